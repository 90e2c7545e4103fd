__version__ = "0.0.1"

# fastai's import raises two warnings about its own dependencies (torch.jit.script deprecated, a pandas option
# deprecated) that no user of boneage_nb can act on; the package's __init__ runs before any of its modules
# imports fastai, so every module can be imported first, in any order, without them.
import warnings
warnings.filterwarnings('ignore', message=r'`torch.jit.script` is deprecated', category=FutureWarning)
warnings.filterwarnings('ignore', message=r"The 'mode.chained_assignment' option is deprecated")
# raised inside fastai when it turns a decoded image into a tensor; it copies, so nothing is at risk
warnings.filterwarnings('ignore', message=r'The given NumPy array is not writable', category=UserWarning)
