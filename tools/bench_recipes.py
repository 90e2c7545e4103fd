"""Benchmark, not a test: the origin recipe and ours on the same data in one run.

Writes `<out>.json` (every figure, the configs, the device) and `<out>.md` (the table). On a GPU:
    python tools/bench_recipes.py --data /tmp/data/rsna-boneage-100 --store 100 --out results/bench_gpu --ship models/boneage-resnet18-sex.pth
On a CPU at a small size (minutes):
    python tools/bench_recipes.py --data ../shared/data/rsna-boneage-100.zip --store 100 --size 64 --limit 1200 \
        --origin-epochs 1 --epochs 2 --out results/bench_cpu
Only the origin test split is evaluated besides validation, once per recipe, with the recipe fixed beforehand."""
import argparse, json, time, math, sys
from boneage_nb.data import *
from fastai.vision.all import *
from boneage_nb.fast import *
from boneage_nb.evaluate import *
from boneage_nb.learner import *
from boneage_nb.model import *

def load_data(data, limit=None):
    "Labels (with paths) of an RSNA-layout folder or zip, with the origin split; `limit` rows sampled evenly from each split"
    data = Path(data)
    if data.suffix=='.zip': data = unzip_data(data)
    df = origin_split(read_labels(*rsna_folder(data), check=False, progress=False))
    if limit: df = df.groupby('split', group_keys=False).sample(frac=min(1, limit/len(df)), random_state=0)
    return df.reset_index(drop=True)

def run_origin(df, size=224, epochs=5, bs=32, lr=1e-3):
    "The origin recipe through fastai's default pipeline (images decoded by DataLoader workers every epoch)"
    if torch.cuda.is_available(): torch.cuda.reset_peak_memory_stats()
    dls = bone_dls(df, size=size, bs=bs)
    learn = bone_learner(dls, pretrained=False, loss='mse', cbs=Timer())
    learn.remove_cbs([ProgressCallback])
    t0 = time.perf_counter()
    learn.fit(epochs, lr, wd=0.)
    secs = time.perf_counter()-t0
    ep = learn.timer.epochs
    res = dict(config=dict(size=size, epochs=epochs, bs=bs, lr=lr, loss='mse', opt='Adam', wd=0., rot=10., head='origin',
                           pretrained=False, pipeline='fastai DataBlock, CPU workers decode every epoch'),
               train_seconds=secs, s_per_epoch=float(np.median([t for t,_ in ep])),
               train_img_s=float(np.median([n/t for t,n in ep])), peak_gpu_gb=torch.cuda.max_memory_allocated()/2**30 if torch.cuda.is_available() else None,
               n_train=int((df.split=='train').sum()), history=loss_history(learn))
    for sp in ('valid', 'test'): res[sp] = evaluate(learn, df, sp)[1]
    return res

def best_recipe(fn) -> tuple:
    "The `best` entry of an experiments JSON (`tools/experiments.py`) and its setting as `run_fast` keywords (`tta` included)"
    best = json.loads(Path(fn).read_text())['best']
    c = best['config']
    kw = {k: c[k] for k in ('size', 'bs', 'lr', 'wd', 'aug', 'ema', 'loss', 'n_sex', 'ps')}
    kw.update(arch=globals()[c['arch']], tta=[tuple(o) for o in c['tta']] if c['tta'] else None)
    return best, kw

def _f(v, fmt='{:.2f}'): return '' if v is None else fmt.format(v)

def table(rows) -> str:
    "Markdown table of (name, result, metrics key) rows"
    hdr = ['recipe', 'epochs', 'val MAE', 'test MAE', 'test RMSE', 'test R2', 'test MAE male', 'test MAE female',
           'test stage acc', 'val stage acc', 's/epoch', 'train img/s', 'train s', 'peak GPU GiB']
    out = ['| ' + ' | '.join(hdr) + ' |', '|' + '---|'*len(hdr)]
    for name,r,k in rows:
        v,t = r['valid'+k],r['test'+k]
        out.append('| ' + ' | '.join([name, str(r['config']['epochs']), _f(v['mae']), _f(t['mae']), _f(t['rmse']), _f(t['r2'], '{:.3f}'),
            _f(t['mae_male']), _f(t['mae_female']), _f(100*t['stage_accuracy'], '{:.2f}%'), _f(100*v['stage_accuracy'], '{:.2f}%'),
            _f(r['s_per_epoch']), _f(r['train_img_s'], '{:,.0f}'), _f(r['train_seconds'], '{:.0f}'), _f(r['peak_gpu_gb'])]) + ' |')
    return '\n'.join(out)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', required=True); p.add_argument('--out', default='results/bench')
    p.add_argument('--limit', type=int); p.add_argument('--store', type=int, default=224); p.add_argument('--size', type=int, default=224)
    p.add_argument('--origin-epochs', type=int, default=5); p.add_argument('--skip-origin', action='store_true')
    p.add_argument('--epochs', type=int, default=60); p.add_argument('--bs', type=int, default=64)
    p.add_argument('--lr', type=float, default=2e-3); p.add_argument('--wd', type=float, default=0.05)
    p.add_argument('--rot', type=float, default=10.); p.add_argument('--zoom', type=float, default=0.1)
    p.add_argument('--shift', type=float, default=0.05); p.add_argument('--flip', type=int, default=0)
    p.add_argument('--light', type=float, default=0.); p.add_argument('--ema', type=float)
    p.add_argument('--n-sex', type=int, default=16); p.add_argument('--ps', type=float, default=0.)
    p.add_argument('--loss', default='l1'); p.add_argument('--tta', default='', help="e.g. '0:0,1:0' = plain + mirrored")
    p.add_argument('--ship', help='save our model (half precision) to this file')
    p.add_argument('--config', help="experiments JSON (tools/experiments.py): train its `best` setting; overrides the recipe options")
    p.add_argument('--compile', action='store_true', help='train our recipe through torch.compile (`CompileTrain`)')
    p.add_argument('--fit-seconds', type=float, help='with --config: fewer than --epochs epochs if needed to train in about this long')
    a = p.parse_args()
    t_all = time.perf_counter()
    df = load_data(a.data, a.limit)
    res = dict(device=torch.cuda.get_device_name() if torch.cuda.is_available() else f'cpu ({defaults.cpus} cores)',
               torch=torch.__version__, sizes=df.split.value_counts().to_dict(), command=' '.join(sys.argv))
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    def save():
        out.with_suffix('.json').write_text(json.dumps(res, indent=1))
    if not a.skip_origin:
        res['origin'] = run_origin(df, a.size, a.origin_epochs); save()
        print('origin', {k: res['origin'][k] for k in ('s_per_epoch', 'train_img_s')}, res['origin']['test']['mae'], flush=True)
    t0 = time.perf_counter()
    imgs = decode_radiographs(df.path, a.store, progress=False)
    res['decode_seconds'] = time.perf_counter()-t0
    tta = [(bool(int(f)), float(r)) for f,r in (o.split(':') for o in a.tta.split(','))] if a.tta else None
    kw = dict(size=a.size, bs=a.bs, lr=a.lr, wd=a.wd, aug=dict(rot=a.rot, zoom=a.zoom, shift=a.shift, flip=bool(a.flip), light=a.light),
              ema=a.ema, tta=tta, loss=a.loss, n_sex=a.n_sex, ps=a.ps, arch=resnet18)
    epochs,use_tta = a.epochs,bool(tta)
    if a.config:
        best,kw = best_recipe(a.config)
        if a.fit_seconds: epochs = max(1, min(epochs, int(a.fit_seconds/(best['s_per_epoch']*1.03))))
        use_tta = best['use_tta']
        res['chosen'] = dict(best, epochs=epochs)
    kw['compile'] = a.compile
    learn,res['ours'] = run_fast(df, imgs, a.store, epochs=epochs, pretrained=False, splits=('valid', 'test'), progress=False, **kw)
    res['ours']['use_tta'] = use_tta
    tta = kw['tta']
    a.size = kw['size']
    res['seconds_total'] = time.perf_counter()-t_all
    save()
    rows = ([('origin recipe', res['origin'], '')] if 'origin' in res else []) + [('ours', res['ours'], '')]
    if tta: rows.append(('ours + TTA', res['ours'], '_tta'))
    md = f"Device: {res['device']}, torch {res['torch']}. Split sizes {res['sizes']}.\n\n{table(rows)}\n"
    out.with_suffix('.md').write_text(md)
    print(md)
    if a.ship:
        m = res['ours']
        save_bone_model(learn, a.ship, a.store, a.size, data=f"RSNA training set at {a.store} px, origin split (train rows only)",
                        recipe=m['config'], valid=m['valid'+('_tta' if use_tta else '')], test=m['test'+('_tta' if use_tta else '')], tta=tta if use_tta else None,
                        device=res['device'])
        print('saved', a.ship, Path(a.ship).stat().st_size)

if __name__=='__main__': main()
