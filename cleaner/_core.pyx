# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled per-page kernels. Pure-Python references live in the tests only.

One extension, its parts in _core_src/ by topic (as lxml's etree is put together):

- trees.pxi: tree ensembles (LightGBM's binary objective) scored as LightGBM's own predictor
  scores them, bit for bit: `QuickScorer` (quickscorer.h) for ensembles without
  missing-value splits and of at most 32 leaves a tree, which is all that `make train` fits,
  and `forest_scores`, a plain walk, for any other.
- shap.pxi: each feature's contribution to a score (TreeSHAP), for --explain.
- unicode.pxi, lines.pxi: what the content model reads of each line, with Python's Unicode
  semantics; tests/reference_lines.py holds the Python they replaced.
- lexicon.pxi: the learned lexicon as a C hash table.
"""

from libc.math cimport exp, isnan
from libc.stdlib cimport free, malloc

import numpy as np

include "_core_src/trees.pxi"
include "_core_src/shap.pxi"
include "_core_src/unicode.pxi"
include "_core_src/lines.pxi"
include "_core_src/lexicon.pxi"
