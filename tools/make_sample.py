"""Build the small sample bundled in `boneage_nb/sample` from the 150 hi-res RSNA radiographs.

Run from the repo root: `python tools/make_sample.py ../shared/data/rsna-boneage-hires`.
It picks 48 radiographs, 24 per sex, spread evenly over each sex's age range, and saves them as
PNG with the longest side at 256 px (aspect ratio kept), with their labels in `boneage.csv`.
"""
import sys
from pathlib import Path
import pandas as pd
from PIL import Image

def pick(df, n):
    "`n` rows of `df` spread evenly over its sorted ages"
    df = df.sort_values(['boneage','id']).reset_index(drop=True)
    idx = [round(i*(len(df)-1)/(n-1)) for i in range(n)]
    return df.iloc[idx]

def main(src, dest='boneage_nb/sample', n_per_sex=24, size=256):
    src,dest = Path(src),Path(dest)
    df = pd.read_csv(src/'boneage.csv')
    sub = pd.concat([pick(df[df.male==m], n_per_sex) for m in (False,True)]).sort_values('id')
    (dest/'images').mkdir(parents=True, exist_ok=True)
    for i in sub.id:
        img = Image.open(src/'images'/f'{i}.png')
        img.thumbnail((size,size), Image.LANCZOS)
        img.save(dest/'images'/f'{i}.png', optimize=True)
    sub.to_csv(dest/'boneage.csv', index=False)
    print(f'{len(sub)} images written to {dest}')

if __name__ == '__main__': main(*sys.argv[1:])
