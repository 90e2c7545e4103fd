"""Prediction speed on this machine's CPU (a benchmark, not a test); writes JSON.

    python tools/bench_predict.py --data rsna-boneage-100 --n 320 --out results/bench_predict_cpu.json

Batch speed: `predict_batch` over `--n` radiographs at batch 32, with the shipped model's 6 test-time transforms and
with one pass, after one warm-up batch (reading and preprocessing included). Cold start: the `boneage-predict`
command on one radiograph, timed from outside (Python start, imports, model load, prediction), `--runs` times."""
import json, time, subprocess, statistics, os, platform
from boneage_nb.data import *
from fastai.vision.all import *
from fastcore.script import call_parse
from boneage_nb.predict import *

@call_parse
def main(
    data:str=None, # RSNA-layout folder, unzipped, or a name of shared_data (default: the bundled sample)
    n:int=320, # Radiographs to predict (the folder's, repeated as needed)
    bs:int=32, # Batch size
    runs:int=3, # Cold runs of the command
    out:str='results/bench_predict_cpu.json', # JSON to write
):
    data = sample_path() if data is None else Path(data) if Path(data).is_dir() else shared_data(data)
    df = read_labels(*rsna_folder(data), check=False, progress=False)
    df = pd.concat([df]*math.ceil(n/len(df))).head(n)
    res = dict(machine=f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs", torch_threads=torch.get_num_threads(),
               torch=torch.__version__, n=len(df), bs=bs, data=str(data), image_size=list(Image.open(df.path.iloc[0]).size))
    for name,tta in (('tta', None), ('one_pass', [(False, 0.)])):
        pr = BonePredictor(tta=tta)
        predict_batch(list(df.path[:bs]), list(df.male[:bs]), predictor=pr, bs=bs, progress=False)
        t0 = time.perf_counter()
        out = predict_batch(list(df.path), list(df.male), predictor=pr, bs=bs, progress=False)
        secs = time.perf_counter()-t0
        assert out.refused.isna().all()
        res[name] = dict(transforms=len(pr.tta), seconds=secs, images_per_s=len(df)/secs)
        print(name, res[name], flush=True)
    fn,cold = str(df.path.iloc[0]),[]
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(['boneage-predict', fn, '--male'], check=True, capture_output=True)
        cold.append(time.perf_counter()-t0)
    res['cold_single_image_command'] = dict(file=fn, seconds=cold, median=statistics.median(cold))
    print('cold', res['cold_single_image_command'])
    Path(out).write_text(json.dumps(res, indent=1))
