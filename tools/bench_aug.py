"""Benchmark, not a test: one augmented training batch, `BoneAug` (one affine resampling of the grey channel, then
brightness/contrast and ImageNet normalisation) against fastai's affine batch transforms with the same settings
(`aug_transforms`: mirror, rotation, zoom and lighting composed into one resampling of the three channels, then
`Normalize`), from radiographs squashed to `store` px to `size` px; milliseconds per batch.

    python tools/bench_aug.py --out results/bench_aug_cpu.json"""
import json, time, os
from boneage_nb.net import *
from boneage_nb.model import *
from fastai.vision.all import *
from fastcore.script import call_parse

@call_parse
def main(
    bs:int=64, # Batch size
    store:int=100, # px the radiographs are kept at
    size:int=224, # px of the augmented batch
    n:int=20, # Batches timed, after 3 to warm up
    out:str='results/bench_aug_cpu.json', # JSON to write
):
    dev = default_device()
    x = torch.rand(bs, 1, store, store, device=dev)
    ours = BoneAug(size, rot=15, zoom=0.15, shift=0.08, flip=True, light=0.1)
    fa = Pipeline(aug_transforms(do_flip=True, max_rotate=15, max_zoom=1.15, max_lighting=0.1, max_warp=0., p_affine=1., p_lighting=1., size=size)
                  + [Normalize.from_stats(*imagenet_stats, cuda=dev.type=='cuda')], split_idx=0)
    ways = {'BoneAug (grey channel, one resampling)': lambda: ours.aug(x, train=True),
            "fastai aug_transforms + Normalize (three channels)": lambda: fa(TensorImage(x.expand(-1, 3, -1, -1)))}
    res = dict(device=torch.cuda.get_device_name() if torch.cuda.is_available() else f"cpu, {os.cpu_count()} cores", torch=torch.__version__,
               bs=bs, store=store, size=size, ms_per_batch={}, out_shape={})
    for name,f in list(ways.items())*2: # twice, alternating: the second round is kept
        for _ in range(3): o = f()
        if torch.cuda.is_available(): torch.cuda.synchronize()
        t = time.perf_counter()
        for _ in range(n): o = f()
        if torch.cuda.is_available(): torch.cuda.synchronize()
        res['ms_per_batch'][name],res['out_shape'][name] = (time.perf_counter()-t)/n*1000,list(o.shape)
    print(json.dumps(res, indent=1))
    Path(out).write_text(json.dumps(res, indent=1))
