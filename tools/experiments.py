"""Recipe experiments, not a test: each setting trained on the origin train split and scored on validation only.

    python tools/experiments.py --data /tmp/data/rsna-boneage-100 --store 100 --epochs 25 --budget 250 --out results/experiments.json

Writes every finished experiment to the JSON as it goes (setting, val MAE with and without TTA, MAE by sex,
s/epoch, img/s), skips the rest once `--budget` seconds would be exceeded, and names the setting with the lowest
validation MAE (`best`). The test split is never touched here."""
import argparse, json, time, sys
from boneage_nb.data import *
from fastai.vision.all import *
from boneage_nb.fast import *
sys.path.insert(0, str(Path(__file__).parent))
from bench_recipes import load_data

ref = dict(bs=256, lr=4e-3, wd=0.01, aug=dict(rot=10, zoom=0.1, shift=0.05), n_sex=16, loss='l1')
strong = dict(ref, wd=0.05, aug=dict(rot=15, zoom=0.15, shift=0.08, flip=True, light=0.1))
flip_tta = [(False, 0.), (True, 0.), (False, 5.), (False, -5.), (True, 5.), (True, -5.)]
rot_tta = [(False, 0.), (False, 5.), (False, -5.)]
experiments = {
    'reference augmentation (rot 10, zoom 0.1, shift 0.05), sex embedding, L1, AdamW wd 0.01, bs 256, lr 4e-3': ref,
    'the same without sex input': dict(ref, n_sex=0),
    'stronger augmentation (rot 15, zoom 0.15, shift 0.08, mirror, light 0.1), wd 0.05': strong,
    'stronger augmentation + EMA 0.995': dict(strong, ema=0.995),
    'stronger augmentation + EMA, lr 8e-3': dict(strong, ema=0.995, lr=8e-3),
    'stronger augmentation + EMA, bs 512, lr 8e-3': dict(strong, ema=0.995, bs=512, lr=8e-3),
    'stronger augmentation + EMA, 288 px': dict(strong, ema=0.995, size=288),
    'stronger augmentation + EMA, ResNet-34': dict(strong, ema=0.995, arch='resnet34'),
}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', required=True); p.add_argument('--out', default='results/experiments.json')
    p.add_argument('--store', type=int, default=224); p.add_argument('--size', type=int, default=224)
    p.add_argument('--epochs', type=int, default=25); p.add_argument('--budget', type=float, default=1e9)
    p.add_argument('--limit', type=int); p.add_argument('--only', type=int, nargs='*', help='indices of experiments to run')
    a = p.parse_args()
    t0 = time.perf_counter()
    df = load_data(a.data, a.limit)
    imgs = decode_radiographs(df.path, a.store, progress=False)
    res = dict(device=torch.cuda.get_device_name() if torch.cuda.is_available() else f'cpu ({defaults.cpus} cores)',
               epochs=a.epochs, command=' '.join(sys.argv), decode_seconds=time.perf_counter()-t0, runs=[])
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    est = None
    for i,(name,cfg) in enumerate(experiments.items()):
        if a.only is not None and i not in a.only: continue
        cost = (est or 0)*(2 if cfg.get('arch')=='resnet34' else (cfg.get('size', a.size)/a.size)**2)
        if time.perf_counter()-t0+cost > a.budget: res['runs'].append(dict(name=name, skipped='time budget')); continue
        cfg = {**cfg, 'size': cfg.get('size', a.size), 'arch': resnet34 if cfg.get('arch')=='resnet34' else resnet18}
        tta = flip_tta if cfg['aug'].get('flip') else rot_tta
        t1 = time.perf_counter()
        try:
            _,r = run_fast(df, imgs, a.store, epochs=a.epochs, tta=tta, pretrained=False, progress=False, **cfg)
            r.pop('history')
            run = dict(name=name, seconds=time.perf_counter()-t1, **r)
            if est is None and cfg['arch'] is resnet18 and cfg['size']==a.size: est = run['seconds']
        except Exception as e: run = dict(name=name, error=f"{type(e).__name__}: {e}")
        res['runs'].append(run)
        v,vt = run.get('valid', {}),run.get('valid_tta', {})
        print(f"{name}: val MAE {v.get('mae')}, with TTA {vt.get('mae')}, {run.get('s_per_epoch')} s/epoch, {run.get('train_img_s')} img/s, {run.get('error', '')}", flush=True)
        out.write_text(json.dumps(res, indent=1))
    ok = [r for r in res['runs'] if 'valid' in r]
    if ok:
        best = min(ok, key=lambda r: min(r['valid']['mae'], r['valid_tta']['mae']))
        res['best'] = dict(name=best['name'], config=best['config'],
                           use_tta=best['valid_tta']['mae']<best['valid']['mae'], s_per_epoch=best['s_per_epoch'])
    res['seconds'] = time.perf_counter()-t0
    out.write_text(json.dumps(res, indent=1))
    print('best:', res.get('best'))

if __name__=='__main__': main()
