"""Benchmark: fastai's default regression head against the origin's one linear layer, on a subset of the shared 100-px set.

`python tools/bench_head.py [DATA_FOLDER] [OUT_JSON]` (default `~/.cache/boneage_nb/rsna-boneage-100`, unzipped from
`../shared/data/rsna-boneage-100.zip` if needed; writes `bench_head.json`). Trains each head from random weights on
2,400 training and 600 validation radiographs of the origin split, 3 epochs, Adam 1e-3, 100 px, and records the
last training loss and the validation metrics. About 6 minutes on 2 CPU cores.
"""
import sys, json, time
from pathlib import Path
import pandas as pd
from boneage_nb.data import *
from fastai.vision.all import set_seed
from boneage_nb.learner import *
from boneage_nb.evaluate import *

heads = {'fastai': dict(lin_ftrs=None, ps=0.5, concat_pool=True, first_bn=True), 'origin': origin_head}

def run(sub, head):
    set_seed(42)
    learn = bone_learner(bone_dls(sub, size=100, bs=32), pretrained=False, **heads[head])
    start = time.time()
    with learn.no_bar(), learn.no_logging(): hist = train_learner(learn, epochs=3, lr=1e-3, wd=0.)
    secs = time.time()-start
    res,m = evaluate(learn, sub, 'valid')
    return dict(train_loss=hist['epochs'][-1]['train_loss'], seconds=round(secs, 1), pred_std=float(res.pred.std()),
                **{k: m[k] for k in ('mae', 'rmse', 'r2')})

def main(data=None, out='bench_head.json'):
    data = Path(data) if data else unzip_data(Path(__file__).parent.parent.parent/'shared/data/rsna-boneage-100.zip')
    df = origin_split(read_labels(*rsna_folder(data), check=False, progress=False))
    sub = pd.concat([df[df.split=='train'].sample(2400, random_state=0), df[df.split=='valid'].sample(600, random_state=0)])
    res = {h: run(sub, h) for h in heads}
    Path(out).write_text(json.dumps(res, indent=2))
    print(json.dumps(res, indent=2))

if __name__ == '__main__': main(*sys.argv[1:])
