"""Benchmark, not a test: named recipes of `boneage_nb.fast.recipes` trained on the same data in one run, scored on
the origin validation and test splits; writes OUT.json (every figure) and OUT.md (the table of `recipe_table`).

    python tools/bench_recipes.py --data rsna-boneage-100 --out results/bench_gpu
    python tools/bench_recipes.py --data rsna-boneage-100 --size 64 --limit 1200 --epochs 2 --origin-epochs 1 --bs 64 --out results/bench_cpu
    python tools/bench_recipes.py --data rsna-boneage-299 --names origin,ours,sharp,sharp299,polish --chain --out results/bench_gpu_299

An entry of `--names` may change settings of its recipe after `+`: `ours,ours+store=299,ours+store=299+size=299`
trains `ours` three times, as the 100-px recipe, at 224 px from 299-px images, and at 299 px.
With `--chain`, a recipe that continues a model file (`sharp`) continues the model the recipe before it trained in
this run instead, so `ours,sharp,sharp299,polish` trains the whole of the shipped model's recipe from random weights on one data set.

`--preds` also writes each fast recipe's validation predictions, one CSV per recipe, for `tools/sex_lines.py`.
The recipes are fixed beforehand; the test split is scored once per recipe. `--ship` saves the last recipe's model."""
import json, sys, time, tempfile, resource
from boneage_nb.core import *
from boneage_nb.data import *
from boneage_nb.net import save_bone_model, record_metrics
from boneage_nb.fast import *
from fastai.vision.all import *
from fastcore.script import call_parse

@call_parse
def main(
    data:str='rsna-boneage-100', # RSNA-layout folder, unzipped, or a name of shared_data
    out:str='results/bench', # Output path without extension
    names:str='origin,ours', # Recipes to train, comma-separated, in order; 'ours+store=299+size=299' changes settings of one
    limit:int=None, # Radiographs to sample from each split, in proportion (default: all)
    epochs:int=None, # Epochs of the fast recipes (default: theirs)
    origin_epochs:int=None, # Epochs of the origin recipe (default: its 5)
    size:int=None, # px the models see (default: each recipe's)
    store:int=None, # px the fast recipes keep in memory (default: theirs)
    bs:int=None, # Batch size of the fast recipes (default: theirs)
    weights:str='random', # Initial weights of the recipes whose ImageNet weights must be downloaded (origin, ours): random or imagenet
    set:str='', # Further settings per recipe, e.g. 'lite0.epochs=5,ours.lr=2e-3'
    ship:str=None, # Save the last recipe's model file here
    chain:bool=False, # A recipe with a `start` continues the model the recipe before it trained in this run
    preds:bool=False, # Also write each fast recipe's validation predictions (with its TTA) to OUT_<recipe>_valid.csv, for tools/sex_lines.py
):
    path = Path(data) if Path(data).is_dir() else shared_data(data)
    df = origin_split(read_labels(*rsna_folder(path), check=False, progress=False))
    if limit: df = df.groupby('split', group_keys=False).sample(frac=min(1, limit/len(df)), random_state=0).reset_index(drop=True)
    res = dict(device=torch.cuda.get_device_name() if torch.cuda.is_available() else f'cpu ({defaults.cpus} cores)', torch=torch.__version__,
               sizes=df.split.value_counts().to_dict(), command=' '.join(sys.argv), runs={})
    extra = [o.split('=') for o in set.split(',') if o]
    tmp,learn = Path(tempfile.mkdtemp()),None
    def cast(r, k, v): # a setting given as text, as the type the recipe holds (or a number)
        t = type(getattr(r, k)) if getattr(r, k) is not None else (int if v.isdigit() else float)
        return t(v)
    for label in names.split(','):
        name,*kv = label.split('+')
        o = dict(size=size, pretrained=recipes[name].pretrained and recipes[name].arch=='efficientnet_lite0' or weights=='imagenet', epochs=origin_epochs if name=='origin' else epochs)
        r = recipes[name].update(**o) if name=='origin' else recipes[name].update(store=store, bs=bs, **o)
        r = r.update(**{k.split('.')[1]: cast(r, k.split('.')[1], v) for k,v in extra if k.split('.')[0]==name})
        r = r.update(**{k: cast(r, k, v) for k,v in (s.split('=') for s in kv)})
        if chain and r.start and learn is not None and learn.recipe.pipeline=='fast':
            p = learn.recipe
            r = r.update(start=str(save_bone_model(learn, tmp/f'{p.name}.pth', p.store, p.size, p.arch)))
        res.setdefault('recipes', {})[label] = r.as_dict()
        learn,res['runs'][label] = train_recipe(r, df, splits=('valid', 'test'))
        if preds and learn.recipe.pipeline=='fast': # per radiograph, to fit a line per sex on (tools/sex_lines.py)
            v = learn.scored['valid_tta' if learn.recipe.tta else 'valid'] # as scored by train_recipe, not predicted again
            v.assign(file=v.path.map(lambda f: Path(f).name))[['file', 'male', 'boneage', 'pred']].to_csv(f'{out}_{label}_valid.csv', index=False) # names, not this machine's paths
        res['runs'][label]['peak_rss_gb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/2**20 # the process's peak so far (Linux: KiB)
        Path(out).with_suffix('.json').write_text(json.dumps(res, indent=1))
        print(label, {k: res['runs'][label][k] for k in ('s_per_epoch', 'train_img_s')}, res['runs'][label]['test']['mae'], flush=True)
    md = f"Device: {res['device']}, torch {res['torch']}. Split sizes {res['sizes']}.\n\n{recipe_table(res['runs']).to_markdown(floatfmt='.3g')}\n"
    Path(out).with_suffix('.md').write_text(md)
    print(md)
    if ship:
        r = learn.recipe
        m = res['runs'][label]
        save_bone_model(learn, ship, r.store, r.size, r.arch, data=f"{path.name}, origin split (train rows only)", recipe=r.as_dict(),
                        tta=r.tta, device=res['device'])
        for s in ('valid', 'test'): record_metrics(ship, s, m.get(f'{s}_tta', m[s])) # as boneage-train records them: the app quotes them
        print('saved', ship)
