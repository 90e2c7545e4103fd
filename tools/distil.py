"""Distillation and the final fit on train + valid, not a test: can a single model of the recipe beat the recipe?

    python tools/distil.py --data /tmp/data/rsna-boneage-100 --store 100 --config results/gpu-h100/experiments.json \\
        --epochs 136 --teachers 2 --teacher-preds results/shipped_preds --alpha 0.5 --fold-in --budget 470 \\
        --out results/distil --ship /tmp/distil

1. `--teachers` models of the recipe (the `best` setting of `--config`) are trained on the origin train split and
   scored on validation. Predictions made elsewhere by other models of the recipe (`--teacher-preds`: a folder of
   `train.csv`, `valid.csv`, `test.csv` from `tools/eval_model.py --preds`) join them. The teachers' average is
   the ensemble.
2. A student of the same recipe is trained on train with targets `alpha` x label + (1-`alpha`) x ensemble
   (`blend_targets`) and scored on validation: does it beat a single teacher?
3. With `--fold-in`, a second student is trained on train + valid (`fold_in`), its targets blended the same way
   (the ensemble's validation predictions are out-of-sample). Nothing is left to validate it on.
Every setting is fixed before anything runs; the test split is only scored, once per model, never used to choose.
A step that would end past `--budget` seconds is skipped. Writes `<out>.json` and `<out>.md`, and with `--ship`
the students' model files (`<ship>-student.pth`, `<ship>-foldin.pth`). On CPU at a small size (minutes):

    python tools/distil.py --data ../shared/data/rsna-boneage-100.zip --store 100 --size 48 --bs 16 --limit 600 \\
        --config results/gpu-h100/experiments.json --epochs 1 --teachers 2 --fold-in --out /tmp/distil"""
import argparse, json, time, sys
from boneage_nb.data import *
from fastai.vision.all import *
from boneage_nb.fast import *
from boneage_nb.evaluate import *
sys.path.insert(0, str(Path(__file__).parent))
from bench_recipes import load_data, best_recipe, _f

splits = ('train', 'valid', 'test')

def read_teacher(folder, df) -> dict:
    "Predictions of another model for each split of `df`, in `df`'s row order, from `folder`/<split>.csv (`eval_model.py --preds`)"
    res = {}
    for sp in splits:
        fn = Path(folder)/f'{sp}.csv'
        if not fn.exists(): raise BoneAgeError(f"{fn}: missing; make it with tools/eval_model.py --split {sp} --tta --preds {fn}")
        p = pd.read_csv(fn)
        p.index = p.file.map(lambda o: Path(o).stem)
        ids = df.id[df.split==sp].astype(str)
        miss = ids[~ids.isin(p.index)]
        if len(miss): raise BoneAgeError(f"{fn}: no prediction for {len(miss)} '{sp}' radiographs, e.g. {list(miss[:3])}")
        res[sp] = p.bone_age.loc[ids].values.astype(float)
    return res

def scores(preds, df) -> dict:
    "`bone_metrics` of `preds` (split -> array) on each split of `df` they cover, train excluded"
    return {sp: bone_metrics(p, df.boneage[df.split==sp].values, df.male[df.split==sp].values)
            for sp,p in preds.items() if sp!='train'}

def table(models) -> str:
    "Markdown table of every model's validation and test figures"
    hdr = ['model', 'trained on', 'val MAE', 'test MAE', 'test RMSE', 'test R2', 'test MAE male', 'test MAE female', 'test stage acc', 'train s']
    rows = ['| ' + ' | '.join(hdr) + ' |', '|' + '---|'*len(hdr)]
    for n,m in models.items():
        if 'skipped' in m: rows.append(f"| {n} | skipped: {m['skipped']} |" + ' |'*(len(hdr)-2)); continue
        v,t = m.get('valid', {}),m['test']
        rows.append('| ' + ' | '.join([n, m.get('trained_on', 'train'), _f(v.get('mae')), _f(t['mae']), _f(t['rmse']), _f(t['r2'], '{:.3f}'),
                    _f(t['mae_male']), _f(t['mae_female']), _f(100*t['stage_accuracy'], '{:.2f}%'), _f(m.get('train_seconds'), '{:.0f}')]) + ' |')
    return '\n'.join(rows)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', required=True); p.add_argument('--out', default='results/distil')
    p.add_argument('--config', required=True, help="experiments JSON (tools/experiments.py): its `best` setting is the recipe")
    p.add_argument('--limit', type=int); p.add_argument('--store', type=int, default=100)
    p.add_argument('--size', type=int, help="override the recipe's size (small CPU runs)")
    p.add_argument('--bs', type=int, help="override the recipe's batch size (small CPU runs)")
    p.add_argument('--epochs', type=int, default=136); p.add_argument('--teachers', type=int, default=2)
    p.add_argument('--teacher-preds', nargs='*', default=[], help='folders of train/valid/test.csv predictions of other teachers')
    p.add_argument('--alpha', type=float, default=0.5, help='weight of the labels in the students\' targets')
    p.add_argument('--fold-in', action='store_true', help='also train a student on train + valid')
    p.add_argument('--budget', type=float, default=1e9, help='skip a training that would end later than this many seconds')
    p.add_argument('--ship', help='save the students to <ship>-student.pth and <ship>-foldin.pth')
    a = p.parse_args()
    t_all = time.perf_counter()
    best,kw = best_recipe(a.config)
    c,tta = best['config'],kw.pop('tta')
    kw.update(size=a.size or c['size'], bs=a.bs or c['bs'])
    if not best['use_tta']: tta = None
    df = load_data(a.data, a.limit)
    res = dict(device=torch.cuda.get_device_name() if torch.cuda.is_available() else f'cpu ({defaults.cpus} cores)',
               torch=torch.__version__, command=' '.join(sys.argv), sizes=df.split.value_counts().to_dict(),
               recipe=dict(kw, arch=c['arch'], epochs=a.epochs, tta=tta, store=a.store), alpha=a.alpha, models={})
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    save = lambda: out.with_suffix('.json').write_text(json.dumps(res, indent=1))
    imgs = decode_radiographs(df.path, a.store, progress=False)
    res['decode_seconds'] = time.perf_counter()-t_all
    preds,est = {},None
    def fits(scale=1.):
        return est is None or time.perf_counter()-t_all+est*scale <= a.budget
    def train(name, d, on, eval_splits):
        nonlocal est
        t0 = time.perf_counter()
        learn,r = run_fast(d, imgs, a.store, epochs=a.epochs, pretrained=False, splits=('valid',) if 'valid' in eval_splits else (), progress=False, **kw)
        preds[name] = {sp: fast_preds(learn, sp, tta) for sp in eval_splits}
        m = dict(trained_on=on, seconds=time.perf_counter()-t0, train_seconds=r['train_seconds'], train_img_s=r['train_img_s'],
                 n_train=r['n_train'], peak_gpu_gb=r['peak_gpu_gb'], valid_one_pass=r.get('valid'), **scores(preds[name], df))
        res['models'][name] = m; save()
        est = max(ifnone(est, 0), m['seconds'])
        print(name, {k: round(v['mae'], 3) for k,v in m.items() if isinstance(v, dict) and 'mae' in v}, f"{m['seconds']:.0f} s", flush=True)
        return learn
    for k in range(a.teachers):
        if not fits(): res['models'][f'teacher {k}'] = dict(skipped='time budget'); continue
        train(f'teacher {k}', df, 'train', splits)
    for i,fn in enumerate(a.teacher_preds):
        name = f'teacher from {fn}'
        preds[name] = read_teacher(fn, df)
        res['models'][name] = dict(trained_on='train', **scores(preds[name], df))
    ts = [n for n in preds if n.startswith('teacher')]
    if not ts: sys.exit('no teachers: nothing to distil')
    ens = {sp: np.mean([preds[n][sp] for n in ts], 0) for sp in splits}
    res['models']['ensemble'] = dict(teachers=ts, **scores(ens, df)); save()
    print('ensemble of', len(ts), {sp: round(v['mae'], 3) for sp,v in scores(ens, df).items()}, flush=True)
    students = []
    if fits(): students.append(('student', train('student', blend_targets(df, ens['train'], a.alpha), 'train', ('valid', 'test'))))
    else: res['models']['student'] = dict(skipped='time budget')
    if a.fold_in:
        if fits(1.25):
            b = blend_targets(blend_targets(df, ens['train'], a.alpha), ens['valid'], a.alpha, 'valid').assign(label=df.boneage)
            students.append(('foldin', train('student on train + valid', fold_in(b), 'train + valid', ('test',))))
        else: res['models']['student on train + valid'] = dict(skipped='time budget')
    res['seconds_total'] = time.perf_counter()-t_all
    save()
    md = (f"Device: {res['device']}, torch {res['torch']}. {a.epochs} epochs a model, alpha {a.alpha}, "
          f"TTA {'on' if tta else 'off'}. Split sizes {res['sizes']}.\n\n{table(res['models'])}\n")
    out.with_suffix('.md').write_text(md)
    print(md)
    if a.ship:
        for tag,learn in students:
            name = 'student' if tag=='student' else 'student on train + valid'
            m = res['models'][name]
            fn = save_bone_model(learn, f'{a.ship}-{tag}.pth', a.store, kw['size'], c['arch'],
                                 data=f"RSNA training set at {a.store} px, origin split ({m['trained_on']} rows)",
                                 recipe=dict(res['recipe'], distilled_from=ts, alpha=a.alpha), valid=m.get('valid'), test=m['test'],
                                 tta=tta, device=res['device'])
            print('saved', fn, fn.stat().st_size)

if __name__=='__main__': main()
