"""Training-step throughput of the model alone (no data pipeline): eager, eager with cuDNN autotuning
(`torch.backends.cudnn.benchmark`), and `torch.compile` (with autotuning), several batch sizes.

    python tools/bench_step.py --out results/bench_step.json
Not a test: figures for the notebook. Uses random inputs at 224 px, bfloat16 autocast, channels-last and fused AdamW on a GPU."""
import json, time
from fastcore.script import call_parse
from boneage_nb.core import *
from boneage_nb.data import *
from fastai.vision.all import *
from boneage_nb.net import *
from boneage_nb.model import *

def step_rate(m, opt, bs, size, n=30, warm=5):
    dev = next(m.parameters()).device
    x = torch.randn(bs, 3, size, size, device=dev).contiguous(memory_format=torch.channels_last)
    s,y = torch.randint(0, 2, (bs,), device=dev),torch.rand(bs, device=dev)*200
    def step():
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type=='cuda'):
            loss = F.l1_loss(m(x, s)[:,0].float(), y)
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
    for _ in range(warm): step()
    if dev.type=='cuda': torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(n): step()
    if dev.type=='cuda': torch.cuda.synchronize()
    return bs*n/(time.perf_counter()-t0)

@call_parse
def main(
    out:str='results/bench_step.json', # JSON to write
    size:int=224, # px of the random inputs
    bss:str='64,128,256', # Batch sizes, comma-separated
    compile:bool=True, # Time the compiled model too (--no-compile to skip)
):
    bss = [int(o) for o in bss.split(',')]
    dev = default_device()
    res = dict(device=torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu', size=size, eager={}, eager_cudnn_benchmark={}, compiled={})
    body,nf = bone_body(resnet18, pretrained=False)
    m = BoneAgeNet(body, nf, 16, 0., 127., 41.).to(dev).to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(m.parameters(), 1e-3, fused=dev.type=='cuda')
    for key,bench in (('eager', False), ('eager_cudnn_benchmark', True)):
        torch.backends.cudnn.benchmark = bench
        for bs in bss:
            res[key][bs] = step_rate(m, opt, bs, size); print(key, bs, res[key][bs], flush=True)
            Path(out).write_text(json.dumps(res, indent=1))
    if compile:
        t0 = time.perf_counter()
        mc = torch.compile(m)
        for bs in bss:
            res['compiled'][bs] = step_rate(mc, opt, bs, size); print('compiled', bs, res['compiled'][bs], flush=True)
            res['compile_and_run_seconds'] = time.perf_counter()-t0
            Path(out).write_text(json.dumps(res, indent=1))
