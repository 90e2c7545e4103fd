"""Should a model's output be corrected by a line per sex (`fit_sex_lines`, `rescale_by_sex`)? Decided on validation
predictions alone: the validation split is cut in two halves (stratified by sex), the lines are fitted on one half and
scored on the other, both ways; one line for both sexes is scored the same way. Writes every figure as JSON, and the
lines fitted on the whole of validation, which a recipe's `rescale` takes.

    python tools/sex_lines.py --preds results/sharp-cpu/preds/valid.csv --col bone_age --out results/sexlines-cpu/sharp_valid.json

`--preds`: a CSV with one row per validation radiograph: `boneage`, `male` and the prediction in `--col`, or a CSV of
`tools/views.py`, whose mean over its views is the prediction when it has no `--col`.

`--others`: other models' predictions of the same radiographs, read the same way. Each fold's lines, fitted on half of
--preds, are applied to each other model's other half. A recipe's final fit is a new model that carries the lines of
its train-only one: this says whether lines fitted on one model carry over to another.

    python tools/sex_lines.py --preds results/full299/valid_6views.csv --col pred --others results/ensemble/b_valid_views.csv --out lines.json"""
import json, sys
import numpy as np, pandas as pd
from sklearn.model_selection import train_test_split
from boneage_nb.fast import fit_line, fit_sex_lines, apply_sex_lines
from boneage_nb.predict import bound_age
from boneage_nb.evaluate import bone_metrics
from fastcore.script import call_parse

def _mae(p, y): return float(np.abs(bound_age(p)-y).mean()) # of the age as reported

def _read_preds(f, col):
    "The CSV `f` and its predictions: column `col`, or the mean of the views of a CSV of tools/views.py that has no `col`"
    d = pd.read_csv(f)
    views = d.filter(regex=r'^v\d+$')
    miss = [c for c in ('boneage', 'male', col) if c not in d and not (c==col and views.shape[1])]
    if miss: sys.exit(f"sex_lines: {f} has no column {miss}")
    return d,(d[col] if col in d else views.mean(axis=1)).values.astype(float)

@call_parse
def main(
    preds:str=None, # CSV of validation predictions: boneage, male and --col
    col:str='pred', # The column of the predictions
    out:str=None, # JSON to write
    seed:int=0, # Seed of the split into halves
    others:str=None, # Comma-separated CSVs of other models' predictions of the same radiographs, in the same order
):
    if not preds: sys.exit("sex_lines: --preds CSV is needed")
    df,p = _read_preds(preds, col)
    y,m = df.boneage.values.astype(float),df.male.values.astype(bool)
    halves = train_test_split(np.arange(len(df)), test_size=0.5, random_state=seed, stratify=m)
    both_ways,folds = (halves, halves[::-1]),[]
    for fit,score in both_ways:
        per_sex = fit_sex_lines(p[fit], y[fit], m[fit])
        one = fit_line(p[fit], y[fit]) # one line for both sexes
        folds.append(dict(n_fit=len(fit), n_score=len(score), lines=per_sex, one_line=one, mae_before=_mae(p[score], y[score]),
                          mae_one_line=_mae(one[0]+one[1]*p[score], y[score]), mae_per_sex=_mae(apply_sex_lines(p[score], m[score], per_sex), y[score])))
    oth = {}
    for f in (others.split(',') if others else []):
        d,q = _read_preds(f, col)
        if list(d.boneage)!=list(df.boneage) or list(d.male.astype(bool))!=list(m): sys.exit(f"sex_lines: {f} holds other radiographs than {preds}")
        oth[f] = [dict(mae_before=_mae(q[score], y[score]), mae_per_sex=_mae(apply_sex_lines(q[score], m[score], fo['lines']), y[score]))
                  for fo,(fit,score) in zip(folds, both_ways)]
        for fo in oth[f]: fo['gain'] = fo['mae_before']-fo['mae_per_sex']
    lines = fit_sex_lines(p, y, m)
    o = dict(preds=preds, col=col, n=len(df), command='python '+' '.join(sys.argv), folds=folds,
             gain_per_sex=[f['mae_before']-f['mae_per_sex'] for f in folds], gain_one_line=[f['mae_before']-f['mae_one_line'] for f in folds],
             lines=lines, others={f: dict(folds=v, gain_per_sex=[fo['gain'] for fo in v]) for f,v in oth.items()}, before=bone_metrics(bound_age(p), y, m), after_in_sample=bone_metrics(bound_age(apply_sex_lines(p, m, lines)), y, m))
    print(json.dumps({k: o[k] for k in ('n', 'gain_per_sex', 'gain_one_line', 'lines')} | {f: v['gain_per_sex'] for f,v in o['others'].items()}))
    if out: open(out, 'w').write(json.dumps(o, indent=1))
