"""Stochastic weight averaging (SWA) on top of a saved model, not a test: does averaging the weights along a short,
constant-rate continuation of training beat the model it started from, on validation?

    python tools/swa.py --data /tmp/data/rsna-boneage-100 --config results/gpu-h100/experiments.json \\
        --epochs 4 --lr 2e-4 --bs 64 --every 23 --out results/swa/swa_cpu --ship /tmp/swa.pth

1. The model (default: the shipped one) is scored on validation, one pass and with the recipe's test-time augmentation.
2. Training goes on from its weights on the origin train split only, with the recipe's augmentation (the `best`
   setting of `--config`), AdamW at a constant `--lr`. Every `--every` steps the weights and batch-norm statistics
   join a running mean (`SWA`). After each epoch the live weights and the mean are scored on validation.
3. At the end the mean is scored twice: with its averaged batch-norm statistics, and with statistics recomputed by
   one pass over the (augmented) training images (`bn_update`). The better of the two on validation is the result;
   it is scored with the recipe's test-time augmentation on validation, as the start model was in step 1.
The test split is only scored with `--test`, once, for the result; it chooses nothing. Writes `<out>.json`, and with
`--ship` the result as a model file (`save_bone_model`). On CPU at a small size (a minute):

    python tools/swa.py --data ../shared/data/rsna-boneage-100.zip --config results/gpu-h100/experiments.json \\
        --limit 300 --size 64 --epochs 1 --bs 16 --every 4 --out /tmp/swa"""
import argparse, json, time, sys
from boneage_nb.data import *
from fastai.vision.all import *
from boneage_nb.fast import *
from boneage_nb.fast import _archs
from boneage_nb.evaluate import *
sys.path.insert(0, str(Path(__file__).parent))
from bench_recipes import load_data, best_recipe

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', required=True); p.add_argument('--config', required=True); p.add_argument('--model')
    p.add_argument('--limit', type=int); p.add_argument('--size', type=int, help="input size (default: the model's)")
    p.add_argument('--epochs', type=int, default=4); p.add_argument('--lr', type=float, default=2e-4)
    p.add_argument('--bs', type=int, default=64); p.add_argument('--every', type=int, default=20)
    p.add_argument('--seed', type=int, default=0); p.add_argument('--test', action='store_true')
    p.add_argument('--out', required=True); p.add_argument('--ship')
    a = p.parse_args()
    t0 = time.perf_counter()
    set_seed(a.seed)
    best,kw = best_recipe(a.config)
    m,cfg = load_bone_model(a.model)
    size,tta = ifnone(a.size, cfg['size']),kw['tta']
    df = load_data(a.data, a.limit)
    dls = fast_dls(df, cfg['store'], size, a.bs, kw['aug'], progress=False)
    learn = fast_learner(dls, _archs[cfg['arch']], False, kw['loss'], cfg['n_sex'], cfg['ps']) # the recipe's optimiser, precision, memory format
    learn.model.load_state_dict(m.state_dict())
    swa = SWA(a.every)
    learn.add_cb(swa)
    learn.remove_cbs([ProgressCallback])
    val = lambda t=None: fast_evaluate(learn, df, 'valid', t)[1]
    res = dict(command=' '.join(sys.argv), model=str(a.model or shipped_model()), recipe=best['name'], size=size, epochs=a.epochs,
               lr=a.lr, bs=a.bs, every=a.every, device=torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu',
               n_train=int((df.split=='train').sum()), n_valid=int((df.split=='valid').sum()), start=dict(valid=val()), epochs_log=[])
    if tta: res['start']['valid_tta'] = val(tta)
    print('start', res['start']['valid']['mae'], flush=True)
    for ep in range(a.epochs):
        learn.fit(1, a.lr, wd=kw['wd'])
        loss,secs = float(learn.recorder.values[-1][0]),learn.timer.epochs[-1][0] # read now: get_preds runs before_fit
        live = val()
        swa.swap(); avg = val(); swa.swap()
        res['epochs_log'].append(dict(epoch=ep+1, train_loss=loss, seconds=secs,
                                      valid_live=live['mae'], valid_avg=avg['mae'], n_averaged=swa.n))
        print(res['epochs_log'][-1], flush=True)
    swa.swap() # the model now holds the mean, scored after the last epoch
    res['avg'] = dict(valid=avg)
    avg_state = {k: v.clone() for k,v in learn.model.state_dict().items()}
    bn_update(learn, dls.train.new(shuffle=False, drop_last=False))
    res['avg_bn'] = dict(valid=val())
    res['chosen'] = 'avg_bn' if res['avg_bn']['valid']['mae']<res['avg']['valid']['mae'] else 'avg'
    if res['chosen']=='avg': learn.model.load_state_dict(avg_state)
    if tta:
        res[res['chosen']]['valid_tta'] = val(tta)
        if a.test: res[res['chosen']]['test_tta'] = fast_evaluate(learn, df, 'test', tta)[1]
    if a.test: res[res['chosen']]['test'] = fast_evaluate(learn, df, 'test')[1]
    res['seconds'] = time.perf_counter()-t0
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix('.json').write_text(json.dumps(res, indent=1))
    print(json.dumps({k: res[k] for k in ('chosen', 'seconds')}), res[res['chosen']].get('valid_tta', res[res['chosen']]['valid'])['mae'])
    if a.ship: save_bone_model(learn, a.ship, cfg['store'], size, cfg['arch'], swa=dict(start=res['model'], epochs=a.epochs, lr=a.lr,
                                   bs=a.bs, every=a.every, chosen=res['chosen'], n_averaged=swa.n))

if __name__=='__main__': main()
