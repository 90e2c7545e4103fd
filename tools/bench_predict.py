"""Prediction speed on this machine's CPU (a benchmark, not a test); writes JSON.

    python tools/bench_predict.py --data ../shared/data/rsna-boneage-100.zip --n 320 --out results/bench_predict_cpu.json

Batch speed: `predict_batch` over `--n` radiographs at batch 32, with the shipped model's 6 test-time transforms and
with one pass, after one warm-up batch (reading and preprocessing included). Cold start: the `boneage-predict`
command on one radiograph, timed from outside (Python start, imports, model load, prediction), `--runs` times."""
import argparse, json, time, subprocess, statistics, os, platform
from boneage_nb.data import *
from fastai.vision.all import *
from boneage_nb.predict import *

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', help='RSNA-layout folder or zip (default: the bundled sample)'); p.add_argument('--n', type=int, default=320)
    p.add_argument('--bs', type=int, default=32); p.add_argument('--runs', type=int, default=3)
    p.add_argument('--out', default='results/bench_predict_cpu.json')
    a = p.parse_args()
    data = Path(a.data) if a.data else sample_path()
    if data.suffix=='.zip': data = unzip_data(data)
    df = read_labels(*rsna_folder(data), check=False, progress=False)
    df = pd.concat([df]*math.ceil(a.n/len(df))).head(a.n)
    res = dict(machine=f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs", torch_threads=torch.get_num_threads(),
               torch=torch.__version__, n=len(df), bs=a.bs, data=str(data), image_size=list(Image.open(df.path.iloc[0]).size))
    for name,tta in (('tta', None), ('one_pass', [(False, 0.)])):
        pr = BonePredictor(tta=tta)
        predict_batch(list(df.path[:a.bs]), list(df.male[:a.bs]), predictor=pr, bs=a.bs, progress=False)
        t0 = time.perf_counter()
        out = predict_batch(list(df.path), list(df.male), predictor=pr, bs=a.bs, progress=False)
        secs = time.perf_counter()-t0
        assert out.refused.isna().all()
        res[name] = dict(transforms=len(pr.tta), seconds=secs, images_per_s=len(df)/secs)
        print(name, res[name], flush=True)
    fn,cold = str(df.path.iloc[0]),[]
    for _ in range(a.runs):
        t0 = time.perf_counter()
        subprocess.run(['boneage-predict', fn, '--male'], check=True, capture_output=True)
        cold.append(time.perf_counter()-t0)
    res['cold_single_image_command'] = dict(file=fn, seconds=cold, median=statistics.median(cold))
    print('cold', res['cold_single_image_command'])
    Path(a.out).write_text(json.dumps(res, indent=1))

if __name__=='__main__': main()
