"""The rule of `results/ensemble/README.md`, applied to two models' per-view validation predictions
(`tools/views.py`): member A alone (its 18 views of `zoom_tta`, or with `--a-views 6` the first 6, `flip_rot_tta`), the mean of the two members' means over their own
views, and, when member B has the same 18, both with the 6 views at magnification 1 only (12 forwards instead of 36),
each bounded to 0-240 months, on the whole of validation and on its two halves stratified
by sex. Writes the figures and the decision as JSON.

    python tools/ensemble_rule.py results/tta-agg-cpu/valid_views.csv member_b_valid_views.csv --out decision.json"""
import json, numpy as np, pandas as pd
from sklearn.model_selection import train_test_split
from fastcore.script import call_parse
from boneage_nb.fast import zoom_tta, flip_rot_tta

@call_parse
def main(
    a:str, # Member A's views (CSV of tools/views.py)
    b:str, # Member B's views, same radiographs in the same order
    out:str='decision.json', # JSON to write
    margin:float=0.05, # Gain on each half needed to adopt
    a_views:int=None, # Member A's first N views only (6: those at magnification 1, `flip_rot_tta`, what `full299` ships with)
):
    A,B = pd.read_csv(a),pd.read_csv(b)
    if list(A.file)!=list(B.file) or not np.array_equal(A.boneage, B.boneage): raise SystemExit(f"{a} and {b} hold other radiographs")
    pa,pb = A.filter(regex=r'^v\d+$').values,B.filter(regex=r'^v\d+$').values
    if a_views: pa = pa[:,:a_views]
    if pa.shape[1] not in (len(zoom_tta), len(flip_rot_tta)): raise SystemExit(f"member A: {len(zoom_tta)} views (zoom_tta's) or their first 6 expected, not {pa.shape[1]}")
    y,m = A.boneage.values,A.male.values.astype(bool)
    one = [i for i,t in enumerate(zoom_tta) if t[2]==1.] # the views at magnification 1 (the views are zoom_tta's, in its order)
    cand = dict(a=pa.mean(1), b=pb.mean(1), ensemble=(pa.mean(1)+pb.mean(1))/2) # each member's mean over its own views, then their mean
    if pb.shape[1]==pa.shape[1]: cand['ensemble6'] = (pa[:,one].mean(1)+pb[:,one].mean(1))/2 # both with zoom_tta: the cheaper variant too
    halves = train_test_split(np.arange(len(y)), test_size=0.5, random_state=0, stratify=m)
    err = {k: np.abs(np.clip(v, 0, 240)-y) for k,v in cand.items()}
    o = {k: dict(all=float(e.mean()), halves=[float(e[h].mean()) for h in halves], male=float(e[m].mean()), female=float(e[~m].mean())) for k,e in err.items()}
    for k in cand:
        if k.startswith('ensemble'): o[k]['gain'] = [o['a']['halves'][i]-o[k]['halves'][i] for i in (0,1)]
    ok = lambda k: k in o and all(g>=margin for g in o[k]['gain'])
    o['adopt'] = 'ensemble6' if ok('ensemble6') and ok('ensemble') and o['ensemble6']['all']-o['ensemble']['all']<=0.01 else 'ensemble' if ok('ensemble') else None
    o['views'] = dict(a=pa.shape[1], b=pb.shape[1])
    o['b_beats_a'] = all(o['a']['halves'][i]-o['b']['halves'][i]>=margin for i in (0,1)) # member B alone, by the same margin on each half
    o['views_at_zoom_1'] = one
    json.dump(o, open(out, 'w'), indent=1)
    print(json.dumps({k: (round(v['all'], 3), [round(x, 3) for x in v['halves']]) if isinstance(v, dict) and 'all' in v else v for k,v in o.items()}))
