"""Benchmark, not a test: one update of the weights' average, `EMA`'s (a `torch._foreach_lerp_` over the model's
floating-point state) against PyTorch's `AveragedModel` with `get_ema_multi_avg_fn` and `use_buffers=True` (the same
average of weights and batch-norm statistics), on the recipe's ResNet-18 `BoneAgeNet`; milliseconds per update.

    python tools/bench_ema.py --out results/bench_ema_cpu.json"""
import json, time, platform, os
from boneage_nb.net import *
from boneage_nb.model import *
from fastai.vision.all import *
from fastcore.script import call_parse
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

@call_parse
def main(
    n:int=200, # Updates timed, after 5 to warm up
    out:str='results/bench_ema_cpu.json', # JSON to write
):
    dev = default_device()
    m = BoneAgeNet(*bone_body(pretrained=False)).to(dev)
    state = [v for v in m.state_dict().values() if v.is_floating_point()]
    avg = [v.clone() for v in state]
    ema = AveragedModel(m, multi_avg_fn=get_ema_multi_avg_fn(0.995), use_buffers=True)
    ways = {'EMA callback (torch._foreach_lerp_ over the state)': lambda i: torch._foreach_lerp_(avg, state, 1-min(0.995, (1+i)/(10+i))),
            'AveragedModel + get_ema_multi_avg_fn, use_buffers=True': lambda i: ema.update_parameters(m)}
    res = dict(device=torch.cuda.get_device_name() if torch.cuda.is_available() else f"cpu, {os.cpu_count()} cores", torch=torch.__version__, ms_per_update={})
    for name,f in list(ways.items())*2: # twice, alternating: the second round is kept
        for i in range(5): f(i)
        if torch.cuda.is_available(): torch.cuda.synchronize()
        t = time.perf_counter()
        for i in range(n): f(i)
        if torch.cuda.is_available(): torch.cuda.synchronize()
        res['ms_per_update'][name] = (time.perf_counter()-t)/n*1000
    print(json.dumps(res, indent=1))
    Path(out).write_text(json.dumps(res, indent=1))
