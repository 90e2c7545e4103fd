"""Evaluate a saved model (default: the shipped one) on one split of the origin split, through the predict API.

    python tools/eval_model.py --data ../shared/data/rsna-boneage-100.zip --split test --out results/shipped_test_cpu.json [--tta]

Reads every radiograph with `read_radiograph` and predicts with `BonePredictor`, exactly as `boneage-predict` does,
and writes `bone_metrics` as JSON. A check that the shipped file reproduces the figures of its card."""
import argparse, json, time, sys
from boneage_nb.data import *
from fastai.vision.all import *
from boneage_nb.evaluate import *
from boneage_nb.predict import *
from boneage_nb.fast import shipped_model

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', required=True); p.add_argument('--split', default='test'); p.add_argument('--model')
    p.add_argument('--tta', action='store_true', help="average over the model's test-time transforms"); p.add_argument('--out')
    p.add_argument('--preds', help='CSV of the per-radiograph predictions')
    a = p.parse_args()
    data = Path(a.data)
    if data.suffix=='.zip': data = unzip_data(data)
    df = origin_split(read_labels(*rsna_folder(data), check=False, progress=False))
    df = df[df.split==a.split]
    pr = BonePredictor(a.model, tta=None if a.tta else [(False, 0.)])
    t0 = time.perf_counter()
    res = predict_batch(list(df.path), list(df.male), predictor=pr, progress=False)
    secs = time.perf_counter()-t0
    if res.refused.notna().any(): sys.exit(f"refused: {res.refused.dropna().tolist()}")
    m = bone_metrics(res.bone_age, df.boneage, df.male)
    err = (res.bone_age.values-df.boneage.values)
    out = dict(model=str(a.model or shipped_model()), split=a.split, transforms=len(pr.tta), seconds=secs, command=' '.join(sys.argv), **m)
    if len(pr.tta)>1: # does the TTA spread flag the larger errors?
        u = res.uncertainty.values
        q = u>=np.quantile(u, 0.9)
        out.update(spearman_uncertainty_abs_error=float(pd.Series(u).corr(pd.Series(np.abs(err)), method='spearman')),
                   mae_top10pct_uncertainty=float(np.abs(err[q]).mean()), mae_rest=float(np.abs(err[~q]).mean()))
    if a.preds: res.assign(boneage=df.boneage.values, error=err).to_csv(a.preds, index=False)
    print(json.dumps({k: v for k,v in out.items() if not isinstance(v, (dict, list))}))
    if a.out: Path(a.out).write_text(json.dumps(out, indent=1))

if __name__=='__main__': main()
