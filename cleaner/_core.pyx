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
- tables.pxi, lexicon.pxi: word tables as fingerprints (the learned lexicon, the stoplists,
  chrome words) and the lexicon's odds of a line.
- numeric.pxi: sums and means in numpy's order, so that compiled rows equal numpy's.
- sequence.pxi, rows.pxi, scoring.pxi: a pass of the content stage in one call
  (`LineModel.score`): the kept lines, their rows, both stages of trees; then the lines to
  keep (`expected_f_keep`). tests/reference_rows.py holds the numpy they replaced.
- atoms.pxi: the rules' atoms found in one pass over a page (`AtomIndex`), which nominates the
  lines each regex rule may match.
- threads.pxi: comment threads' control words, and the gate that spares pages without a
  thread's controls or headers the search for one.
- page.pxi: a page's bookkeeping (the next pass's lines, line offsets, repeated lines).
- dom.pxi: the HTML DOM dump's walk over lxml's tree as libxml2 nodes (`DomWalk`), built
  against the libxml2 headers lxml ships; tests/reference_dom.py holds the Python walk.
"""

from libc.math cimport exp, isnan
from libc.stdlib cimport calloc, free, malloc, qsort, realloc

import numpy as np

include "_core_src/trees.pxi"
include "_core_src/shap.pxi"
include "_core_src/unicode.pxi"
include "_core_src/lines.pxi"
include "_core_src/tables.pxi"
include "_core_src/lexicon.pxi"
include "_core_src/numeric.pxi"
include "_core_src/sequence.pxi"
include "_core_src/rows.pxi"
include "_core_src/scoring.pxi"
include "_core_src/atoms.pxi"
include "_core_src/threads.pxi"
include "_core_src/page.pxi"
include "_core_src/dom.pxi"
