"""How far the shipped model's answer moves when a file differs from the training copies (`variant_shifts`,
`file_variants`, notebook 07): re-encoded as JPEG, lighter or darker, cropped or framed, rotated, at a lower resolution,
blurred, noisy. One pass (no test-time views) over a seeded sample of one split of the origin split; writes JSON and a
Markdown table.

    python tools/bench_robust.py --data rsna-boneage-299 --split valid --n 400 --out results/robust-cpu/robust"""
import json, sys, time
from pathlib import Path
import numpy as np
from boneage_nb.data import *
from boneage_nb.predict import *
from boneage_nb.net import shipped_model
from fastcore.script import call_parse

@call_parse
def main(
    data:str='rsna-boneage-299', # RSNA-layout folder, unzipped, or a name of shared_data
    split:str='valid', # Which split of the origin split
    n:int=400, # Radiographs, a seeded sample of the split
    seed:int=0, # Seed of the sample
    model:str=None, # Model file (default: the shipped one)
    out:str='robust', # Writes <out>.json and <out>.md
):
    path = Path(data) if Path(data).is_dir() else shared_data(data)
    if path is None: sys.exit(f"bench_robust: no data folder {data!r}")
    df = origin_split(read_labels(*rsna_folder(path), check=False, progress=False))
    d = df[df.split==split].sample(min(n, (df.split==split).sum()), random_state=seed)
    pr = BonePredictor(model, tta=[(False, 0.)])
    t0 = time.perf_counter()
    t = variant_shifts(pr, [read_radiograph(p)[0] for p in d.path], d.male, d.boneage)
    o = dict(model=str(model) if model else shipped_model().name, data=Path(data).name, split=split, n=len(d), seed=seed, views='one pass',
             seconds=time.perf_counter()-t0, command='python '+' '.join(sys.argv), variants=t.to_dict(orient='index'))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out+'.json').write_text(json.dumps(o, indent=1))
    Path(out+'.md').write_text(t.round(2).to_markdown()+'\n')
    print(t.round(2).to_string())
