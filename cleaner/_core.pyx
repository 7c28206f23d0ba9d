# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled per-page kernels. Pure-Python references live in the tests only.

`forest_scores`: a tree ensemble (LightGBM's binary objective) over the rows of a page, from
the flat arrays of `content/forest.py`. It walks each tree as LightGBM's own predictor does
(each value read as a double, NaN taken as 0 for splits without a missing-value branch,
`value <= threshold` going left), sums the trees in order in a double and applies the same
sigmoid, so that its scores equal LightGBM's bit for bit.
"""

from libc.math cimport exp, isnan

import numpy as np

# LightGBM's kZeroThreshold (1e-35f as a double): its predictor reads a row as the pairs of
# its values outside +-this, so a value inside it is 0.
cdef double ZERO = 1.0000000180025095e-35


def forest_scores(const float[:, ::1] rows, const int[::1] roots,
                  const int[::1] feature, const double[::1] threshold,
                  const int[::1] left, const int[::1] right,
                  const unsigned char[::1] missing, const double[::1] leaf,
                  double sigmoid):
    """One probability per row. Node `n` of the flat arrays splits on `feature[n]` at
    `threshold[n]`; a child >= 0 is a node, a child < 0 is the leaf `~child`; `roots[t]` is
    tree t's first node, or `~leaf` for a tree that is a single leaf. `missing[n]`: 0 none,
    1 zero, 2 NaN, plus 4 when missing values go left."""
    cdef Py_ssize_t n_rows = rows.shape[0]
    cdef Py_ssize_t n_trees = roots.shape[0]
    out = np.empty(n_rows, dtype=np.float64)
    cdef double[::1] scores = out
    cdef Py_ssize_t r, t
    cdef int node, kind
    cdef double total, value
    for r in range(n_rows):
        total = 0.0
        for t in range(n_trees):
            node = roots[t]
            while node >= 0:
                value = rows[r, feature[node]]
                if -ZERO <= value <= ZERO:
                    value = 0.0
                kind = missing[node] & 3
                if isnan(value) and kind != 2:
                    value = 0.0
                if (kind == 1 and value == 0.0) or (kind == 2 and isnan(value)):
                    node = left[node] if missing[node] & 4 else right[node]
                elif value <= threshold[node]:
                    node = left[node]
                else:
                    node = right[node]
            total += leaf[~node]
        scores[r] = 1.0 / (1.0 + exp(-sigmoid * total))
    return out
