"""Every test-time view of a model kept, not only their mean: one row per radiograph of a split of the origin split,
with its file name, sex, bone age and the model's raw prediction for each view of its TTA (months, unbounded, columns
`v00`, `v01`... in the order of the model's `tta`, rounded to 0.001). It keeps what `BonePredictor.views` returns. The
CSV is what rules that combine views or models are decided on (`results/tta-agg-cpu/`, `results/ensemble/`).

    python tools/views.py --model runs/polish/model.pth --data rsna-boneage-299 --split valid --out valid_views.csv"""
import numpy as np, pandas as pd, torch, time
from pathlib import Path
from boneage_nb.data import *
from boneage_nb.net import *
from boneage_nb.predict import *
from fastcore.script import call_parse

@call_parse
def main(
    model:str=None, # Model file (one model, not an ensemble)
    data:str='rsna-boneage-299', # RSNA-layout folder, unzipped, or a name of shared_data
    split:str='valid', # Which split of the origin split
    out:str='views.csv', # CSV to write
    bs:int=64, # Radiographs a batch
    device:str=None, # Where to predict (default: cuda if there is one)
    zoom:bool=False, # The 18 views of `zoom_tta` (`polish`'s, shipped before `full299`) instead of the model file's own
):
    if model is None: raise SystemExit('views.py: --model names the model file')
    path = Path(data) if Path(data).is_dir() else shared_data(data)
    df = origin_split(read_labels(*rsna_folder(path), check=False, progress=False))
    d = df[df.split==split]
    tta = None # the model file's own
    if zoom:
        from boneage_nb.fast import zoom_tta # here: only this option needs the training module
        tta = zoom_tta
    pr,res,t0 = BonePredictor(model, tta=tta, device=device or ('cuda' if torch.cuda.is_available() else 'cpu')),[],time.perf_counter()
    for i in range(0, len(d), bs):
        b = d.iloc[i:i+bs]
        x,s = pr.inputs([read_radiograph(p)[0] for p in b.path], list(b.male))
        res.append(pr.views(x, s).T.float().cpu().numpy())
    v = pd.DataFrame(np.concatenate(res).round(3), columns=[f'v{i:02d}' for i in range(len(pr.tta))])
    v.insert(0, 'boneage', d.boneage.values); v.insert(0, 'male', d.male.values); v.insert(0, 'file', [Path(p).name for p in d.path])
    v.to_csv(out, index=False)
    print(f"{out}: {len(v)} radiographs x {len(pr.tta)} views in {time.perf_counter()-t0:.0f} s; MAE of the mean {np.abs(np.clip(v.filter(regex=r'^v[0-9]+$').values.mean(1), 0, 240)-v.boneage).mean():.3f}")
