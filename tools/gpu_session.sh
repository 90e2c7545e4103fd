#!/bin/bash
# What one GPU session ran, on the device machine, from the repo root, with the wheels in .whl/ and the data zip in .data/
# (both git-ignored, carried). `bash tools/gpu_session.sh smoke` checks everything in about a minute;
# `bash tools/gpu_session.sh full` runs the experiments, the benchmark with the best setting (shipping its model),
# the distributed run and the step benchmark. `bash tools/gpu_session.sh long` (the second session) trains that
# best setting for about twice as long in the benchmark (shipping its model), then the step benchmark at bs 256 and
# ResNet-18 vs ResNet-34 at 30 epochs. `bash tools/gpu_session.sh compile` trains the 136-epoch recipe through
# torch.compile (no origin run). `bash tools/gpu_session.sh distil` trains two more models of the recipe and, with the
# shipped model's predictions (results/shipped_preds) as a third teacher, distils their average into one student on
# train and one on train + valid (tools/distil.py, about 500 s on an H200), shipping both students.
# `bash tools/gpu_session.sh swa` trains the 136-epoch recipe once more (no origin run), then continues it for 34
# epochs (a quarter more) at a constant lr, averaging the weights once an epoch (tools/swa.py), at two learning
# rates; it ships the averaged model of each. Results go to $OUT.
# The device has torch but not fastai. Make the carried folders here first (Python 3.12 wheels for the device):
#   mkdir -p .whl .data && cp ../shared/data/rsna-boneage-100.zip .data/
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#     --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform any \
#     -d .whl fastai==2.8.12 fastcore==2.2.41 fasttransform==0.0.5 fastdownload==0.0.8 beartype==0.23.1 ttach==0.0.3 \
#     plum-dispatch==2.9.0 fastprogress==1.0.3
# then run it with `.whl` and `.data` carried (fastprogress 1.0.3: newer ones import fasthtml).
# A call carries at most 64 MiB: the data zip (49 MB), the wheels and the tracked models/*.pth (22 MB) are more, so move
# the model file out of the tree for the call and back afterwards.
export PYTHONUNBUFFERED=1
exec > >(tee $OUT/log.txt) 2>&1
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD
[ -d /tmp/data/rsna-boneage-100 ] || python3 -m zipfile -e .data/rsna-boneage-100.zip /tmp/data
D=/tmp/data/rsna-boneage-100
# the trained model comes back in parts under the 16 MiB file limit, with the hash of the whole to check the rejoined file
ship_parts() { f=${1:-/tmp/model.pth}; n=$(basename $f); split -b 12M $f $OUT/$n.part- && (cd $(dirname $f) && sha256sum $n) | tee $OUT/$n.sha256; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
python3 -c "import torch, fastai; print(torch.__version__, fastai.__version__)"
if [ "$1" = smoke ]; then
  python3 tools/experiments.py --data $D --store 100 --epochs 2 --only 0 --out $OUT/smoke_exp.json 2>&1 | grep -v '^\[[0-9]'
  python3 tools/bench_recipes.py --data $D --store 100 --limit 2000 --origin-epochs 1 --epochs 1 --tta 0:0,1:0 --out $OUT/smoke_bench --ship /tmp/m.pth 2>&1 | grep -v '^\[[0-9]'
  timeout 100 torchrun --nproc_per_node 1 tools/train_distributed.py --data $D --store 100 --epochs 1 --out $OUT/smoke_ddp.json 2>&1 | tail -4
  exit 0
fi
if [ "$1" = distil ]; then
  python3 tools/distil.py --data $D --store 100 --config results/gpu-h100/experiments.json --epochs 136 --teachers 2 \
      --teacher-preds results/shipped_preds --alpha 0.5 --fold-in --budget 500 --out $OUT/distil --ship /tmp/distil 2>&1 | grep -v '^\[[0-9]'
  for f in /tmp/distil-*.pth; do [ -f $f ] && ship_parts $f; done
  ls -la $OUT
  exit 0
fi
if [ "$1" = swa ]; then
  python3 tools/bench_recipes.py --data $D --store 100 --skip-origin --epochs 136 --config results/gpu-h100/experiments.json \
      --out $OUT/bench_base --ship /tmp/base.pth 2>&1 | grep -v '^\[[0-9]'
  for lr in 2e-4 8e-4; do
    python3 tools/swa.py --data $D --config results/gpu-h100/experiments.json --model /tmp/base.pth --epochs 34 --lr $lr \
        --bs 256 --every 34 --test --out $OUT/swa_$lr --ship /tmp/swa-$lr.pth 2>&1 | grep -v '^\[[0-9]'
    ship_parts /tmp/swa-$lr.pth
  done
  ls -la $OUT
  exit 0
fi
if [ "$1" = compile ]; then
  python3 tools/bench_recipes.py --data $D --store 100 --skip-origin --compile --epochs 136 --config results/gpu-h100/experiments.json \
      --out $OUT/bench_compiled --ship /tmp/model.pth 2>&1 | grep -v '^\[[0-9]'
  ship_parts
  ls -la $OUT
  exit 0
fi
if [ "$1" = long ]; then
  python3 tools/bench_recipes.py --data $D --store 100 --epochs 400 --config results/gpu-h100/experiments.json --fit-seconds 250 \
      --out $OUT/bench_gpu --ship /tmp/model.pth 2>&1 | grep -v '^\[[0-9]'
  rm -f $OUT/bench_gpu.md
  ship_parts
  timeout 70 python3 tools/bench_step.py --bs 256 --out $OUT/bench_step.json 2>&1 | tail -8
  timeout 120 python3 tools/experiments.py --data $D --store 100 --epochs 30 --only 3 7 --out $OUT/experiments_r34.json 2>&1 | grep -v '^\[[0-9]'
  ls -la $OUT
  exit 0
fi
timeout 230 python3 tools/experiments.py --data $D --store 100 --epochs 25 --budget 200 --out $OUT/experiments.json 2>&1 | grep -v '^\[[0-9]'
python3 tools/bench_recipes.py --data $D --store 100 --epochs 150 --config $OUT/experiments.json --fit-seconds 125 \
    --out $OUT/bench_gpu --ship /tmp/model.pth 2>&1 | grep -v '^\[[0-9]'
rm -f $OUT/bench_gpu.md
ship_parts
timeout 80 torchrun --nproc_per_node 1 tools/train_distributed.py --data $D --store 100 --epochs 3 --bs 256 --lr 4e-3 --out $OUT/ddp.json 2>&1 | grep -v '^\[[0-9]' | tail -30
timeout 60 python3 tools/bench_step.py --out $OUT/bench_step.json 2>&1 | tail -8
ls -la $OUT
