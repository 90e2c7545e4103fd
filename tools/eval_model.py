"""Evaluate a saved model (default: the shipped one) on one split of the origin split, through the predict API,
exactly as `boneage-predict` reads and predicts; writes `bone_metrics` as JSON. A check that the shipped file
reproduces the figures of its card.

    python tools/eval_model.py --data rsna-boneage-299 --split test --out results/shipped_test_cpu.json [--tta] [--without-sex | --wrong-sex] [--record]

With `--chunk N` the radiographs are predicted N at a time and each chunk's rows are kept in `<out>.part.csv`: a run
that is killed continues where it stopped when started again with the same options (its `seconds` add up the chunks)."""
import json, time, sys
from boneage_nb.core import *
from boneage_nb.data import *
from boneage_nb.net import shipped_model, record_metrics
from boneage_nb.evaluate import bone_metrics
from boneage_nb.predict import *
from fastai.vision.all import *
from fastcore.script import call_parse

@call_parse
def main(
    data:str='rsna-boneage-100', # RSNA-layout folder, unzipped, or a name of shared_data
    split:str='test', # Which split of the origin split
    model:str=None, # Model file (default: the shipped one)
    tta:bool=False, # Average over the model's test-time transforms
    out:str=None, # JSON to write
    preds:str=None, # CSV of the per-radiograph predictions to write
    without_sex:bool=False, # Predict as if no sex were known (`BonePredictor.without_sex`)
    wrong_sex:bool=False, # Predict with the other sex, to show what a mistake costs
    record:bool=False, # Keep the figures in the model file too (`record_metrics`), as <split>[_without_sex|_wrong_sex][_one_pass]
    chunk:int=None, # Predict this many radiographs at a time, each chunk kept in <out>.part.csv: a killed run continues there
    device:str=None, # Where to predict (default: cuda if there is one)
):
    if without_sex and wrong_sex: sys.exit("--without-sex or --wrong-sex, not both")
    path = Path(data) if Path(data).is_dir() else shared_data(data)
    df = origin_split(read_labels(*rsna_folder(path), check=False, progress=False))
    df = df[df.split==split]
    pr = BonePredictor(model, tta=None if tta else [(False, 0.)], device=device or ('cuda' if torch.cuda.is_available() else 'cpu'))
    paths,males = list(df.path),None if without_sex else list(~df.male if wrong_sex else df.male)
    if not chunk:
        t0 = time.perf_counter()
        res = predict_batch(paths, males, predictor=pr, progress=False)
        secs = time.perf_counter()-t0
    else:
        if not out: sys.exit("--chunk keeps its progress next to --out: name it")
        part = Path(out+'.part.csv')
        res = pd.read_csv(part) if part.exists() else pd.DataFrame()
        if len(res) and list(res.file)!=[str(p) for p in paths[:len(res)]]: sys.exit(f"{part} holds other radiographs: remove it to start again")
        for i in range(len(res), len(paths), chunk):
            t0 = time.perf_counter()
            r = predict_batch(paths[i:i+chunk], None if males is None else males[i:i+chunk], predictor=pr, progress=False)
            r = r.assign(file=r.file.map(str), seconds=time.perf_counter()-t0)
            r.to_csv(part, mode='a', header=not part.exists(), index=False)
            res = pd.concat([res, r], ignore_index=True)
        secs = float(res.seconds.sum())
        res = res.drop(columns='seconds')
    if res.refused.notna().any(): sys.exit(f"refused: {res.refused.dropna().tolist()}")
    m = bone_metrics(res.bone_age, df.boneage, df.male)
    o = dict(model=str(model or shipped_model()), split=split, transforms=len(pr.tta), without_sex=without_sex, wrong_sex=wrong_sex,
             device=torch.cuda.get_device_name() if str(pr.device).startswith('cuda') else 'cpu', seconds=secs, command=' '.join(sys.argv), mean_uncertainty=float(res.uncertainty.mean()), **m)
    if len(pr.tta)>1: # does the spread over the transforms flag the larger errors?
        u,err = res.uncertainty.values,np.abs(res.bone_age.values-df.boneage.values)
        q = u>=np.quantile(u, 0.9)
        o.update(spearman_uncertainty_abs_error=float(pd.Series(u).corr(pd.Series(err), method='spearman')),
                 mae_top10pct_uncertainty=float(err[q].mean()), mae_rest=float(err[~q].mean()))
    if preds: res.assign(file=res.file.map(lambda f: Path(f).name), boneage=df.boneage.values, error=res.bone_age.values-df.boneage.values).to_csv(preds, index=False) # names, not this machine's paths
    print(json.dumps({k: v for k,v in o.items() if not isinstance(v, (dict, list))}))
    if out: Path(out).write_text(json.dumps(o, indent=1))
    if chunk: part.unlink() # the figures are written
    if record: record_metrics(model, split + ('_without_sex' if without_sex else '_wrong_sex' if wrong_sex else '') + ('' if tta else '_one_pass'), m)
