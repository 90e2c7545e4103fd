"""Benchmark, not a test: named recipes of `boneage_nb.fast.recipes` trained on the same data in one run, scored on
the origin validation and test splits; writes OUT.json (every figure) and OUT.md (the table of `recipe_table`).

    python tools/bench_recipes.py --data rsna-boneage-100 --out results/bench_gpu
    python tools/bench_recipes.py --data rsna-boneage-100 --size 64 --limit 1200 --epochs 2 --origin-epochs 1 --bs 64 --out results/bench_cpu

The recipes are fixed beforehand; the test split is scored once per recipe. `--ship` saves the last recipe's model."""
import json, sys, time
from boneage_nb.core import *
from boneage_nb.data import *
from boneage_nb.model import save_bone_model
from boneage_nb.fast import *
from fastai.vision.all import *
from fastcore.script import call_parse

@call_parse
def main(
    data:str='rsna-boneage-100', # RSNA-layout folder, unzipped, or a name of shared_data
    out:str='results/bench', # Output path without extension
    names:str='origin,ours', # Recipes to train, comma-separated, in order
    limit:int=None, # Radiographs to sample from each split, in proportion (default: all)
    epochs:int=None, # Epochs of the fast recipes (default: theirs)
    origin_epochs:int=None, # Epochs of the origin recipe (default: its 5)
    size:int=None, # px the models see (default: each recipe's)
    store:int=None, # px the fast recipes keep in memory (default: theirs)
    bs:int=None, # Batch size of the fast recipes (default: theirs)
    weights:str='random', # Initial weights of recipes without their own ImageNet start: random or imagenet
    set:str='', # Further settings per recipe, e.g. 'lite0.epochs=5,ours.lr=2e-3'
    ship:str=None, # Save the last recipe's model file here
):
    path = Path(data) if Path(data).is_dir() else shared_data(data)
    df = origin_split(read_labels(*rsna_folder(path), check=False, progress=False))
    if limit: df = df.groupby('split', group_keys=False).sample(frac=min(1, limit/len(df)), random_state=0).reset_index(drop=True)
    res = dict(device=torch.cuda.get_device_name() if torch.cuda.is_available() else f'cpu ({defaults.cpus} cores)', torch=torch.__version__,
               sizes=df.split.value_counts().to_dict(), command=' '.join(sys.argv), runs={})
    extra = [o.split('=') for o in set.split(',') if o]
    for name in names.split(','):
        o = dict(size=size, pretrained=recipes[name].pretrained or weights=='imagenet', epochs=origin_epochs if name=='origin' else epochs)
        r = recipes[name].update(**o) if name=='origin' else recipes[name].update(store=store, bs=bs, **o)
        r = r.update(**{k.split('.')[1]: type(getattr(r, k.split('.')[1]))(v) for k,v in extra if k.split('.')[0]==name})
        res.setdefault('recipes', {})[name] = r.as_dict()
        learn,res['runs'][name] = train_recipe(r, df, splits=('valid', 'test'))
        Path(out).with_suffix('.json').write_text(json.dumps(res, indent=1))
        print(name, {k: res['runs'][name][k] for k in ('s_per_epoch', 'train_img_s')}, res['runs'][name]['test']['mae'], flush=True)
    md = f"Device: {res['device']}, torch {res['torch']}. Split sizes {res['sizes']}.\n\n{recipe_table(res['runs']).to_markdown(floatfmt='.3g')}\n"
    Path(out).with_suffix('.md').write_text(md)
    print(md)
    if ship:
        r = learn.recipe
        m = res['runs'][name]
        save_bone_model(learn, ship, r.store, r.size, r.arch, data=f"{path.name}, origin split (train rows only)", recipe=r.as_dict(),
                        valid=m.get('valid_tta', m['valid']), test=m.get('test_tta', m['test']), tta=r.tta, device=res['device'])
        print('saved', ship)
