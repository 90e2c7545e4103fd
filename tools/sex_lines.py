"""Should a model's output be corrected by a line per sex (`fit_sex_lines`, `rescale_by_sex`)? Decided on validation
predictions alone: the validation split is cut in two halves (stratified by sex), the lines are fitted on one half and
scored on the other, both ways; one line for both sexes is scored the same way. Writes every figure as JSON, and the
lines fitted on the whole of validation, which a recipe's `rescale` takes.

    python tools/sex_lines.py --preds results/sharp-cpu/preds/valid.csv --col bone_age --out results/sexlines-cpu/sharp_valid.json

`--preds`: a CSV with one row per validation radiograph: `boneage`, `male` and the prediction in `--col`."""
import json, sys
import numpy as np, pandas as pd
from sklearn.model_selection import train_test_split
from boneage_nb.fast import fit_line, fit_sex_lines, apply_sex_lines
from boneage_nb.predict import bound_age
from boneage_nb.evaluate import bone_metrics
from fastcore.script import call_parse

def _mae(p, y): return float(np.abs(bound_age(p)-y).mean()) # of the age as reported

@call_parse
def main(
    preds:str=None, # CSV of validation predictions: boneage, male and --col
    col:str='pred', # The column of the predictions
    out:str=None, # JSON to write
    seed:int=0, # Seed of the split into halves
):
    if not preds: sys.exit("sex_lines: --preds CSV is needed")
    df = pd.read_csv(preds)
    miss = [c for c in ('boneage', 'male', col) if c not in df]
    if miss: sys.exit(f"sex_lines: {preds} has no column {miss}")
    p,y,m = df[col].values.astype(float),df.boneage.values.astype(float),df.male.values.astype(bool)
    halves = train_test_split(np.arange(len(df)), test_size=0.5, random_state=seed, stratify=m)
    folds = []
    for fit,score in (halves, halves[::-1]):
        per_sex = fit_sex_lines(p[fit], y[fit], m[fit])
        one = fit_line(p[fit], y[fit]) # one line for both sexes
        folds.append(dict(n_fit=len(fit), n_score=len(score), lines=per_sex, one_line=one, mae_before=_mae(p[score], y[score]),
                          mae_one_line=_mae(one[0]+one[1]*p[score], y[score]), mae_per_sex=_mae(apply_sex_lines(p[score], m[score], per_sex), y[score])))
    lines = fit_sex_lines(p, y, m)
    o = dict(preds=preds, col=col, n=len(df), command='python '+' '.join(sys.argv), folds=folds,
             gain_per_sex=[f['mae_before']-f['mae_per_sex'] for f in folds], gain_one_line=[f['mae_before']-f['mae_one_line'] for f in folds],
             lines=lines, before=bone_metrics(bound_age(p), y, m), after_in_sample=bone_metrics(bound_age(apply_sex_lines(p, m, lines)), y, m))
    print(json.dumps({k: o[k] for k in ('n', 'gain_per_sex', 'gain_one_line', 'lines')}))
    if out: open(out, 'w').write(json.dumps(o, indent=1))
