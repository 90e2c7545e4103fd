"""Write README.md from nbs/index.ipynb where Quarto (and so `nbdev-readme`) is not available: markdown cells as they
are, code cells as python blocks (outputs left out), notebook links pointed at the docs site.
Run from the repo root: `python tools/readme.py`."""
import re, nbformat

def cell_md(c):
    "Markdown for one cell of the index notebook"
    if c.cell_type=='markdown': return re.sub(r'\]\((\d\d\w*)\.ipynb\)', r'](https://boneage-nb.github.io/boneage_nb/\1.html)', c.source)
    return '```python\n' + c.source + '\n```'

nb = nbformat.read('nbs/index.ipynb', as_version=4)
cells = [c for c in nb.cells if c.cell_type=='markdown' or (c.cell_type=='code' and not c.source.startswith('#| hide'))]
open('README.md', 'w').write('\n\n'.join(map(cell_md, cells)) + '\n')
