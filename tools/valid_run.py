"""Choose by validation only: train a named recipe on the origin training split and score it on the validation split
alone (one pass and the recipe's TTA); the test radiographs are not even decoded. Writes `valid.json` and the model
into `--out`. `boneage-train` scores test too; this is for the runs that choose a recipe.

    python tools/valid_run.py --recipe sharp299 --start runs/sharp/model.pth --data ~/.cache/boneage_nb/rsna-boneage-299 --out runs/sharp299"""
import json, sys, inspect
from boneage_nb.core import BoneAgeError
from boneage_nb.model import BoneAug
from boneage_nb.data import *
from boneage_nb.fast import *
from boneage_nb.train import load_split, check_recipe
from fastai.vision.all import *
from fastcore.script import call_parse

@call_parse
def main(
    recipe:str='sharp299', # A name in `recipes`
    data:str=None, # RSNA-layout folder, unzipped (default: the bundled sample)
    start:str=None, # Model file to continue from (default: the recipe's)
    epochs:int=None, # Epochs (default: the recipe's)
    lr:float=None, # Learning rate, the peak of one-cycle (default: the recipe's)
    bs:int=None, # Batch size (default: the recipe's)
    size:int=None, # Side the model sees, px (default: the recipe's)
    store:int=None, # Side the images are kept at in memory, px (default: the recipe's)
    aug:str=None, # `BoneAug` settings to change, as JSON, e.g. '{"res": 0.4, "noise": 0.04}' (default: the recipe's)
    out:str='runs/valid', # Folder for valid.json and model.pth
    model:bool=True, # Save the trained model too (--no-model: the figures only)
    seed:int=42, # Seed for training (augmentation, order, head); the split stays the origin split
    tta:bool=True, # Score with the recipe's TTA too (--no-tta: one pass only; the model file keeps the recipe's TTA)
    resume:bool=False, # Continue an interrupted run from <out>/checkpoint.pth, written after every epoch (give the same options)
    checkpoint:bool=True, # Write <out>/checkpoint.pth after every epoch (--no-checkpoint: none, for a short GPU run)
):
    try: r = check_recipe(named_recipe(recipe).update(start=start, epochs=epochs, lr=lr, bs=bs, size=size, store=store)) # as boneage-train: an unknown recipe or missing start model is named first
    except BoneAgeError as e: sys.exit(f"valid_run: error: {e}")
    if aug:
        try: a = json.loads(aug)
        except ValueError as e: sys.exit(f"valid_run: error: --aug is not JSON ({e}): {aug}")
        bad = [k for k in a if k not in inspect.signature(BoneAug).parameters or k=='size'] if isinstance(a, dict) else None
        if bad is None or bad: sys.exit(f"valid_run: error: --aug takes BoneAug settings (rot, zoom, shift, flip, light, res, noise), not {bad or aug}")
        r = r.update(aug={**r.aug, **a})
    out,ck = Path(out),Path(out)/'checkpoint.pth'
    if resume and r.how=='fine_tune': sys.exit(f"valid_run: error: --resume: recipe {r.name!r} trains in two fits (fine_tune) and keeps no checkpoint")
    if resume and not ck.is_file(): sys.exit(f"valid_run: error: --resume: no checkpoint.pth in {out}, nothing to continue")
    if not resume and ck.exists(): sys.exit(f"valid_run: error: {ck} exists: --resume to continue that run, or remove it")
    df = load_split(data, check=False) # the origin split, or the folder's own `split` column (the bundled sample's)
    df = df[df.split!='test'].reset_index(drop=True)
    set_seed(seed)
    imgs = decode_radiographs(df.path, start_model(r)[1].store, progress=False)
    try: learn,res = train_recipe(r.update(tta=r.tta if tta else []), df, imgs, splits=('valid',), checkpoint=None if r.how=='fine_tune' or not checkpoint else ck) # as train_run: two fits keep no checkpoint
    except BoneAgeError as e: sys.exit(f"valid_run: error: {e}")
    learn.recipe = learn.recipe.update(tta=r.tta) # what the model file carries, scored here or not
    o = {k: v for k,v in res.items() if k!='history'} | dict(epochs=res['history']['epochs'], sizes=df.split.value_counts().to_dict(), data=str(data), seed=seed)
    print(json.dumps({k: o[k] for k in ('s_per_epoch', 'train_img_s', 'train_seconds')} | {s: round(o[s]['mae'], 3) for s in ('valid', 'valid_tta') if s in o}))
    out.mkdir(parents=True, exist_ok=True)
    (out/'valid.json').write_text(json.dumps(o, indent=1))
    if model: save_recipe_model(learn, out/'model.pth', fit='train')
    ck.unlink(missing_ok=True) # the figures and model are written: nothing left to continue
