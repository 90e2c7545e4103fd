"""Prediction speed on this machine's CPU (a benchmark, not a test); writes JSON.

    python tools/bench_predict.py --data rsna-boneage-100 --n 320 --out results/bench_predict_cpu.json

Batch speed: `predict_batch` over `--n` radiographs at batch 32, with the shipped model's 6 test-time transforms and
with one pass, after one warm-up batch (reading and preprocessing included). Cold start: the `boneage-predict`
command on one radiograph, timed from outside (Python start, imports, model load, prediction), `--runs` times,
interleaved with `python -c "import torch, torchvision"` (the floor any PyTorch command pays) and `boneage-predict --help`;
the medians and the ratio of the command (one pass, `--no-tta`) to the floor. `--cold-only` skips the batch part."""
import json, time, subprocess, statistics, os, platform
from boneage_nb.core import *
from boneage_nb.data import *
from fastai.vision.all import *
from fastcore.script import call_parse
from boneage_nb.predict import *

@call_parse
def main(
    data:str=None, # RSNA-layout folder, unzipped, or a name of shared_data (default: the bundled sample)
    n:int=320, # Radiographs to predict (the folder's, repeated as needed)
    bs:int=32, # Batch size
    runs:int=5, # Cold runs of each command
    cold_only:bool=False, # Only the cold-start figures
    out:str='results/bench_predict_cpu.json', # JSON to write
):
    data = sample_path() if data is None else Path(data) if Path(data).is_dir() else shared_data(data)
    df = read_labels(*rsna_folder(data), check=False, progress=False)
    df = pd.concat([df]*math.ceil(n/len(df))).head(n)
    res = dict(machine=f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs", torch_threads=torch.get_num_threads(),
               torch=torch.__version__, n=len(df), bs=bs, data=str(data), image_size=list(Image.open(df.path.iloc[0]).size))
    for name,tta in (() if cold_only else (('tta', None), ('one_pass', [(False, 0.)]))):
        pr = BonePredictor(tta=tta)
        predict_batch(list(df.path[:bs]), list(df.male[:bs]), predictor=pr, bs=bs, progress=False)
        t0 = time.perf_counter()
        preds = predict_batch(list(df.path), list(df.male), predictor=pr, bs=bs, progress=False)
        secs = time.perf_counter()-t0
        assert preds.refused.isna().all()
        res[name] = dict(transforms=len(pr.tta), seconds=secs, images_per_s=len(df)/secs)
        print(name, res[name], flush=True)
    fn = str(df.path.iloc[0])
    cmds = {'import torch, torchvision': ['python', '-c', 'import torch, torchvision'], 'boneage-predict --help': ['boneage-predict', '--help'],
            'boneage-predict FILE --male --no-tta': ['boneage-predict', fn, '--male', '--no-tta'], 'boneage-predict FILE --male': ['boneage-predict', fn, '--male']}
    cold = {k: [] for k in cmds}
    for _ in range(runs): # interleaved, so that a busy moment of the machine falls on all of them alike
        for k,c in cmds.items():
            t0 = time.perf_counter()
            subprocess.run(c, check=True, capture_output=True)
            cold[k].append(round(time.perf_counter()-t0, 3))
    med = {k: statistics.median(v) for k,v in cold.items()}
    res['cold_start'] = dict(file=fn, runs=runs, seconds=cold, median=med,
                             ratio_one_pass_to_torch=round(med['boneage-predict FILE --male --no-tta']/med['import torch, torchvision'], 2))
    print('cold', json.dumps(res['cold_start'], indent=1))
    Path(out).write_text(json.dumps(res, indent=1))
