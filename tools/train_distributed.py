"""Train the fast recipe through fastai's distributed path: `Learner.distrib_ctx` (Hugging Face Accelerate + DDP).

Several GPUs on one machine (one process per GPU; each process takes `--bs` images a step, so the global batch is
`--bs` times the number of GPUs: scale `--lr` with it):
    accelerate launch --multi_gpu --num_processes 4 tools/train_distributed.py --data DATA --store 100
One GPU through the same DDP path (accelerate launch refuses --multi_gpu with one process; torchrun sets the
WORLD_SIZE=1 environment that fastai's `distrib_ctx` looks for):
    torchrun --nproc_per_node 1 tools/train_distributed.py --data DATA --store 100
Plain `python tools/train_distributed.py ...` trains on one device without DDP."""
import argparse, json, time, os, sys
from boneage_nb.data import *
from fastai.vision.all import *
from fastai.distributed import *
from boneage_nb.fast import *
from boneage_nb.model import *
sys.path.insert(0, str(Path(__file__).parent))
from bench_recipes import load_data

def _single_process_fix():
    "fastai's `DistributedTrainer` expects the model wrapped in DDP (`.device`, `.module`); Accelerate wraps it only for 2+ processes"
    if num_distrib()==1:
        BoneAgeNet.device = property(lambda self: next(self.parameters()).device)
        BoneAgeNet.module = property(lambda self: self)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', required=True); p.add_argument('--store', type=int, default=224); p.add_argument('--size', type=int, default=224)
    p.add_argument('--epochs', type=int, default=60); p.add_argument('--bs', type=int, default=256); p.add_argument('--lr', type=float, default=4e-3)
    p.add_argument('--wd', type=float, default=0.05); p.add_argument('--limit', type=int); p.add_argument('--out', help='JSON of the results (rank 0)')
    a = p.parse_args()
    rank = rank_distrib()
    _single_process_fix()
    if torch.cuda.is_available(): torch.cuda.set_device(int(os.environ.get('LOCAL_RANK', rank)))
    df = load_data(a.data, a.limit)
    dls = fast_dls(df, a.store, a.size, a.bs, dict(rot=15, zoom=0.15, shift=0.08, flip=True, light=0.1), progress=False)
    learn = fast_learner(dls, pretrained=False, ema=0.995)
    seen = {}
    class _Seen(Callback):
        "Record what the model and the training loader are while fitting"
        def before_train(self): seen.update(model=type(self.learn.model).__name__, dl=type(self.learn.dl).__name__)
    t0 = time.perf_counter()
    with learn.distrib_ctx(sync_bn=torch.cuda.is_available()): learn.fit_one_cycle(a.epochs, a.lr, wd=a.wd, cbs=_Seen())
    secs,ep = time.perf_counter()-t0,learn.timer.epochs
    if rank==0:
        m = fast_evaluate(learn, df, 'valid')[1]
        res = dict(world_size=num_distrib(), during_fit=seen, train_seconds=secs, epochs=a.epochs,
                   s_per_epoch=float(np.median([t for t,_ in ep])), valid_mae=m['mae'], valid=m)
        print(json.dumps({k: v for k,v in res.items() if k!='valid'}))
        if a.out: Path(a.out).write_text(json.dumps(res, indent=1))

if __name__=='__main__': main()
