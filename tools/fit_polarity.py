"""Fit the negative-radiograph test (`boneage_nb.core.negative_score`) that `radiograph_problem` refuses on, and measure it.

    python tools/fit_polarity.py --data rsna-boneage-100 --out boneage_nb/tables/polarity.json --report results/polarity/polarity.json

It fits `fit_polarity` on the radiographs of `--data` less those of `--exclude` (the 150 hi-res ones, which the sample's
48 are among), with a fifth held out to count errors on unseen radiographs, writes the weights to `--out`, then checks
them, through `radiograph_problem` as prediction and training use it, on every radiograph of `--data` and `--exclude`
and on the negative of each, and writes the counts to `--report`."""
from boneage_nb.core import *
from boneage_nb.data import *
from fastai.vision.all import *
from fastcore.script import call_parse
import boneage_nb.core as core
from PIL import ImageOps

def _refusals(fns, invert=False):
    "Files of `fns` (or of their negatives) that `radiograph_problem` refuses, with the reason"
    res = [(f, radiograph_problem(ImageOps.invert(open_radiograph(f)) if invert else open_radiograph(f))) for f in fns]
    return [(Path(f).stem, p) for f,p in res if p]

def _negatives(fns):
    "How the negatives of `fns` fare: refused as negatives, refused for another reason (which), or read"
    res = [o[1] for o in _refusals(fns, True)]
    neg = sum(o.startswith('looks like a negative') for o in res)
    return dict(called_negative=neg, refused_otherwise=Counter(o.split(' (')[0] for o in res if not o.startswith('looks like a negative')), read=len(fns)-len(res))

@call_parse
def main(
    data:str='rsna-boneage-100', # RSNA-layout folder, or a name of shared_data
    exclude:str='rsna-boneage-hires', # Radiographs left out of the fit and checked apart (folder or shared_data name)
    out:str='boneage_nb/tables/polarity.json', # Weights file to write
    report:str='results/polarity/polarity.json', # Figures to write
    penalty:float=1., # Inverse strength of the L2 penalty
    seed:int=0, # Seed of the held-out draw
):
    data,exclude = [Path(o) if Path(o).is_dir() else shared_data(o) for o in (data, exclude)]
    df = read_labels(*rsna_folder(data), check=False, progress=False)
    ex = read_labels(*rsna_folder(exclude), check=False, progress=False)
    fit = df[~df.id.isin(ex.id)]
    t = time.time()
    w = fit_polarity(list(fit.path), C=penalty, seed=seed)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps({k: w[k] for k in ('coef', 'intercept', 'n', 'C')}))
    core._polarity.cache_clear()
    sets = {'fit': list(fit.path), 'excluded': list(ex.path), 'sample': sorted((sample_path()/'images').iterdir())}
    rep = dict(command=' '.join(sys.argv), fit_seconds=round(time.time()-t, 1), held_out=w['held_out'],
               **{k: dict(n=len(v), upright_refused=_refusals(v), negatives=_negatives(v)) for k,v in sets.items()})
    Path(report).parent.mkdir(parents=True, exist_ok=True)
    Path(report).write_text(json.dumps(rep, indent=1))
    print(json.dumps({k: v if not isinstance(v, dict) else {a: (b if not isinstance(b, list) else len(b)) for a,b in v.items()} for k,v in rep.items()}, indent=1))
