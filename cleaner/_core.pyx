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
                  const int[:, ::1] nodes, const double[::1] threshold,
                  const double[::1] leaf, double sigmoid):
    """One probability per row. Node `n` is `nodes[n]` = (feature, left, right, missing) and
    `threshold[n]`: it splits on feature `nodes[n, 0]` at `threshold[n]`; a child >= 0 is a
    node, a child < 0 is the leaf `~child`; `roots[t]` is tree t's first node, or `~leaf` for
    a tree that is a single leaf. missing: 0 none, 1 zero, 2 NaN, plus 4 when missing values
    go left. A node's four numbers sit side by side: one cache line per step down a tree."""
    cdef Py_ssize_t n_rows = rows.shape[0]
    cdef Py_ssize_t n_trees = roots.shape[0]
    out = np.zeros(n_rows, dtype=np.float64)
    cdef double[::1] totals = out
    cdef Py_ssize_t r, t
    cdef int node, kind, root, flags
    cdef double value
    # Tree by tree, each over every row: a tree's nodes stay in the cache while the rows
    # pass through it. Each row's total still adds the trees in LightGBM's order.
    for t in range(n_trees):
        root = roots[t]
        for r in range(n_rows):
            node = root
            while node >= 0:
                value = rows[r, nodes[node, 0]]
                if -ZERO <= value <= ZERO:
                    value = 0.0
                flags = nodes[node, 3]
                kind = flags & 3
                if kind != 2 and isnan(value):
                    value = 0.0
                if (kind == 1 and value == 0.0) or (kind == 2 and isnan(value)):
                    node = nodes[node, 1] if flags & 4 else nodes[node, 2]
                elif value <= threshold[node]:
                    node = nodes[node, 1]
                else:
                    node = nodes[node, 2]
            totals[r] += leaf[~node]
    for r in range(n_rows):
        totals[r] = 1.0 / (1.0 + exp(-sigmoid * totals[r]))
    return out
