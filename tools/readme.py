"""Write README.md from nbs/index.ipynb where Quarto (and so `nbdev-readme`) is not available: markdown cells as they
are, code cells as python blocks (hidden cells and outputs left out), links to pages of the site made absolute.
Run from the repo root: `python tools/readme.py`."""
import re, nbformat

site = 'https://boneage-nb.github.io/boneage_nb/'

def cell_md(c):
    "Markdown for one cell of the index notebook"
    if c.cell_type=='markdown': return re.sub(r'\]\(([a-z_]+\.html)\)', rf']({site}\1)', c.source)
    return '```python\n' + c.source + '\n```'

nb = nbformat.read('nbs/index.ipynb', as_version=4)
cells = [c for c in nb.cells if c.cell_type=='markdown' or (c.cell_type=='code' and not c.source.startswith('#| hide'))]
open('README.md', 'w').write('\n\n'.join(map(cell_md, cells)) + '\n')
