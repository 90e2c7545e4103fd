"""Benchmark: fastai's default regression head against the origin's one linear layer, on a subset of the shared 100-px set.

`python tools/bench_head.py --data rsna-boneage-100 --out results/bench_head.json` (a folder, or a name of `shared_data`). Trains each head from random weights on
2,400 training and 600 validation radiographs of the origin split, 3 epochs, Adam 1e-3, 100 px, and records the
last training loss and the validation metrics. About 6 minutes on 2 CPU cores.
"""
import json, time
from fastcore.script import call_parse
from pathlib import Path
import pandas as pd
from boneage_nb.core import *
from boneage_nb.data import *
from fastai.vision.all import set_seed
from boneage_nb.learner import *
from boneage_nb.evaluate import *

heads = {'fastai': dict(lin_ftrs=None, ps=0.5, concat_pool=True, first_bn=True), 'origin': origin_head}

def run(sub, head):
    set_seed(42)
    learn = bone_learner(bone_dls(sub, size=100, bs=32), pretrained=False, **heads[head])
    start = time.time()
    learn.add_cb(QuietTraining())
    hist = train_learner(learn, epochs=3, lr=1e-3, wd=0.)
    secs = time.time()-start
    res,m = evaluate(learn, sub, 'valid')
    return dict(train_loss=hist['epochs'][-1]['train_loss'], seconds=round(secs, 1), pred_std=float(res.pred.std()),
                **{k: m[k] for k in ('mae', 'rmse', 'r2')})

@call_parse
def main(
    data:str='rsna-boneage-100', # RSNA-layout folder, unzipped, or a name of shared_data
    out:str='bench_head.json', # JSON to write
):
    data = Path(data) if Path(data).is_dir() else shared_data(data)
    df = origin_split(read_labels(*rsna_folder(data), check=False, progress=False))
    sub = pd.concat([df[df.split=='train'].sample(2400, random_state=0), df[df.split=='valid'].sample(600, random_state=0)])
    res = {h: run(sub, h) for h in heads}
    Path(out).write_text(json.dumps(res, indent=2))
    print(json.dumps(res, indent=2))
