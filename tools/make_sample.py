"""Build the small sample bundled in `boneage_nb/sample` from the 150 hi-res RSNA radiographs.

    python tools/make_sample.py --src rsna-boneage-hires --full rsna-boneage-100

It picks 48 radiographs, 24 per sex, spread evenly over each sex's age range, and saves them as PNG with the
longest side at 256 px (aspect ratio kept), with their labels in `boneage.csv`, and the `split` each one has in the
origin split of the full training set (`--full`), so that the sample's test radiographs were never trained on."""
from boneage_nb.core import *
from boneage_nb.data import *
from fastai.vision.all import *
from fastcore.script import call_parse

def pick(df, n):
    "`n` rows of `df` spread evenly over its sorted ages"
    df = df.sort_values(['boneage','id']).reset_index(drop=True)
    return df.iloc[[round(i*(len(df)-1)/(n-1)) for i in range(n)]]

@call_parse
def main(
    src:str='rsna-boneage-hires', # Folder of the hi-res radiographs, or a name of shared_data
    full:str='rsna-boneage-100', # The full training set whose origin split each radiograph keeps
    dest:str='boneage_nb/sample', # Where to write
    n_per_sex:int=24, # Radiographs per sex
    size:int=256, # Longest side, px
):
    src,full,dest = [Path(o) if Path(o).is_dir() else shared_data(o) for o in (src, full)] + [Path(dest)]
    split = origin_split(normalise_labels(pd.read_csv(full/'boneage.csv'))).set_index('id').split
    df = pd.read_csv(src/'boneage.csv')
    sub = pd.concat([pick(df[df.male==m], n_per_sex) for m in (False,True)]).sort_values('id')
    (dest/'images').mkdir(parents=True, exist_ok=True)
    for i in sub.id:
        img = Image.open(src/'images'/f'{i}.png')
        img.thumbnail((size,size), Image.LANCZOS)
        img.save(dest/'images'/f'{i}.png', optimize=True)
    sub.assign(split=sub.id.astype(str).map(split)).to_csv(dest/'boneage.csv', index=False)
    print(f'{len(sub)} images written to {dest}')
