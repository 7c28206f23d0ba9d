# Tree ensembles: LightGBM's binary objective, scored as its predictor scores them.

from libc.math cimport fabsf

cdef extern from "quickscorer.h":
    ctypedef struct qs_forest:
        int n_features
        int n_trees
        const int* offsets
        const float* thresholds
        const int* trees
        const unsigned int* masks
        const unsigned int* start
        const double* leaves
    int qs_totals(const qs_forest* forest, const float* rows, Py_ssize_t n_rows,
                  Py_ssize_t n_cols, double* totals) nogil
    int qs_force_scalar

# LightGBM's kZeroThreshold (1e-35f as a double): its predictor reads a row as the pairs of
# its values outside +-this, so a value inside it is 0.
cdef double ZERO = 1.0000000180025095e-35
# QuickScorer's state holds a bit per leaf in 32 bits.
QUICKSCORER_MAX_LEAVES = 32


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
    _sigmoid(totals, sigmoid)
    return out


cdef void _sigmoid(double[::1] totals, double sigmoid) noexcept:
    cdef Py_ssize_t r
    for r in range(totals.shape[0]):
        totals[r] = 1.0 / (1.0 + exp(-sigmoid * totals[r]))


cdef class QuickScorer:
    """An ensemble without missing-value splits, each tree of at most 32 leaves (all that
    `make train` fits), laid out for QuickScorer (quickscorer.h): its split nodes grouped by
    feature and sorted by threshold, each with the mask of the leaves its failed test rules
    out. Built once per model; `scores` gives `forest_scores`' probabilities bit for bit."""

    cdef qs_forest _forest
    cdef object _arrays  # the numpy arrays the C struct points into, kept alive here
    cdef readonly double sigmoid
    cdef readonly int n_features

    def __cinit__(self, const int[::1] roots, const int[::1] feature,
                  const double[::1] threshold, const int[::1] left, const int[::1] right,
                  const double[::1] leaf, double sigmoid):
        cdef Py_ssize_t n_trees = roots.shape[0], n_nodes = feature.shape[0], t, k
        cdef int n_features = 0
        for k in range(n_nodes):
            if feature[k] + 1 > n_features:
                n_features = feature[k] + 1
        # Each node's tree and its left subtree's leaves, as a range of the tree's leaves
        # numbered left to right (an in-order walk).
        node_tree = np.zeros(n_nodes, dtype=np.int32)
        node_mask = np.zeros(n_nodes, dtype=np.uint32)
        start = np.zeros(n_trees, dtype=np.uint32)
        leaves = np.zeros(n_trees * 32, dtype=np.float64)
        cdef int[::1] trees_of = node_tree
        cdef unsigned int[::1] masks = node_mask
        cdef unsigned int[::1] starts = start
        cdef double[::1] values = leaves
        cdef int n_leaves
        for t in range(n_trees):
            if roots[t] < 0:  # a tree of one leaf
                starts[t] = 1
                values[t * 32] = leaf[~roots[t]]
                continue
            n_leaves = _number_leaves(roots[t], <int>t, left, right, leaf, trees_of, masks,
                                      values[t * 32: t * 32 + 32], 0)
            if n_leaves > 32:
                raise ValueError("QuickScorer takes trees of at most 32 leaves")
            starts[t] = <unsigned int>(0xFFFFFFFF if n_leaves == 32 else (1 << n_leaves) - 1)
        # Thresholds rounded down to floats: `value > low` for a float value exactly when
        # `value > threshold` for the double.
        with np.errstate(over="ignore"):
            low = np.asarray(threshold).astype(np.float32)
        above = low.astype(np.float64) > np.asarray(threshold)
        low[above] = np.nextafter(low[above], np.float32(-np.inf))
        order = np.lexsort((low, np.asarray(feature)))
        offsets = np.searchsorted(np.asarray(feature)[order],
                                  np.arange(n_features + 1)).astype(np.int32)
        sorted_thresholds = np.ascontiguousarray(low[order])
        sorted_trees = np.ascontiguousarray(node_tree[order])
        sorted_masks = np.ascontiguousarray(node_mask[order])
        self._arrays = (offsets, sorted_thresholds, sorted_trees, sorted_masks, start, leaves)
        cdef int[::1] o = offsets
        cdef float[::1] th = sorted_thresholds
        cdef int[::1] tr = sorted_trees
        cdef unsigned int[::1] ms = sorted_masks
        self._forest.n_features = n_features
        self._forest.n_trees = <int>n_trees
        self._forest.offsets = &o[0]
        self._forest.thresholds = &th[0] if n_nodes else NULL
        self._forest.trees = &tr[0] if n_nodes else NULL
        self._forest.masks = &ms[0] if n_nodes else NULL
        self._forest.start = &starts[0]
        self._forest.leaves = &values[0]
        self.sigmoid = sigmoid
        self.n_features = n_features

    def scores(self, const float[:, ::1] rows):
        """One probability per row (float64), as `forest_scores` gives it."""
        out = np.zeros(rows.shape[0], dtype=np.float64)
        if rows.shape[0] == 0:
            return out
        if rows.shape[1] < self.n_features:
            raise ValueError(f"rows of {self.n_features} features expected")
        cdef double[::1] totals = out
        cdef const float[:, ::1] data = _readable(rows)
        if qs_totals(&self._forest, &data[0, 0], data.shape[0], data.shape[1],
                     &totals[0]) != 0:
            raise MemoryError()
        _sigmoid(totals, self.sigmoid)
        return out


cdef int _number_leaves(int node, int tree, const int[::1] left, const int[::1] right,
                        const double[::1] leaf, int[::1] trees_of, unsigned int[::1] masks,
                        double[::1] values, int first) except -1:
    """Number the leaves under `node` from `first`, left to right, writing their values and
    each split node's tree and mask; returns the next free number (past 32: too many)."""
    cdef int after_left, after
    if node < 0:
        if first < 32:
            values[first] = leaf[~node]
        return first + 1
    after_left = _number_leaves(left[node], tree, left, right, leaf, trees_of, masks, values,
                                first)
    after = _number_leaves(right[node], tree, left, right, leaf, trees_of, masks, values,
                           after_left)
    trees_of[node] = tree
    if after <= 32:
        masks[node] = ~((((<unsigned int>1) << (after_left - first)) - 1) << first)
    return after


cdef object _readable(const float[:, ::1] rows):
    """The rows as LightGBM's predictor reads them: NaN and values within +-ZERO as 0 (a copy
    only when a row has one)."""
    cdef Py_ssize_t i, size = rows.shape[0] * rows.shape[1]
    cdef const float* x = &rows[0, 0]
    cdef bint odd = False
    for i in range(size):
        # NaN fails the first test; a value within +-ZERO other than 0 passes the second.
        odd |= not (fabsf(x[i]) > <float>ZERO or x[i] == 0.0)
    if not odd:
        return rows
    copy = np.array(rows, dtype=np.float32)
    copy[np.isnan(copy) | (np.abs(copy.astype(np.float64)) <= ZERO)] = 0.0
    return copy


def quickscorer_scalar(bint scalar):
    """Score with the scalar path even where the CPU has AVX2 (for tests: both paths)."""
    global qs_force_scalar
    qs_force_scalar = 1 if scalar else 0
