# TreeSHAP: each feature's contribution to a row's score (--explain).
# Lundberg, Erion and Lee's path-dependent algorithm, as LightGBM's `pred_contrib` runs it
# (tree.cpp, TreeSHAP): the contributions of a row and the trees' expected value sum to its
# raw score (log-odds). `counts[n]` is the training rows through node n, a leaf's at
# n_nodes + leaf.

cdef struct PathElement:
    int feature
    double zero_fraction
    double one_fraction
    double pweight


cdef void _extend(PathElement* path, int depth, double zero, double one, int feature) noexcept:
    cdef int i
    path[depth].feature = feature
    path[depth].zero_fraction = zero
    path[depth].one_fraction = one
    path[depth].pweight = 1.0 if depth == 0 else 0.0
    for i in range(depth - 1, -1, -1):
        path[i + 1].pweight += one * path[i].pweight * (i + 1) / (depth + 1.0)
        path[i].pweight = zero * path[i].pweight * (depth - i) / (depth + 1.0)


cdef void _unwind(PathElement* path, int depth, int index) noexcept:
    cdef double one = path[index].one_fraction
    cdef double zero = path[index].zero_fraction
    cdef double next_one = path[depth].pweight
    cdef double tmp
    cdef int i
    for i in range(depth - 1, -1, -1):
        if one != 0:
            tmp = path[i].pweight
            path[i].pweight = next_one * (depth + 1) / ((i + 1) * one)
            next_one = tmp - path[i].pweight * zero * (depth - i) / (depth + 1.0)
        else:
            path[i].pweight = path[i].pweight * (depth + 1) / (zero * (depth - i))
    for i in range(index, depth):
        path[i].feature = path[i + 1].feature
        path[i].zero_fraction = path[i + 1].zero_fraction
        path[i].one_fraction = path[i + 1].one_fraction


cdef double _unwound_sum(PathElement* path, int depth, int index) noexcept:
    cdef double one = path[index].one_fraction
    cdef double zero = path[index].zero_fraction
    cdef double next_one = path[depth].pweight
    cdef double total = 0.0
    cdef double tmp
    cdef int i
    for i in range(depth - 1, -1, -1):
        if one != 0:
            tmp = next_one * (depth + 1) / ((i + 1) * one)
            total += tmp
            next_one = path[i].pweight - tmp * zero * ((depth - i) / (depth + 1.0))
        else:
            total += (path[i].pweight / zero) / ((depth - i) / (depth + 1.0))
    return total


cdef int _hot(const float[::1] row, const int[:, ::1] nodes, const double[::1] threshold,
              int node) noexcept:
    """The child a row goes to, as `forest_scores` decides."""
    cdef double value = row[nodes[node, 0]]
    cdef int flags = nodes[node, 3]
    cdef int kind = flags & 3
    if -ZERO <= value <= ZERO:
        value = 0.0
    if kind != 2 and isnan(value):
        value = 0.0
    if (kind == 1 and value == 0.0) or (kind == 2 and isnan(value)):
        return nodes[node, 1] if flags & 4 else nodes[node, 2]
    if value <= threshold[node]:
        return nodes[node, 1]
    return nodes[node, 2]


cdef void _shap(const float[::1] row, double[::1] phi, const int[:, ::1] nodes,
                const double[::1] threshold, const double[::1] leaf, const double[::1] counts,
                int n_nodes, int node, int depth, PathElement* parent, double zero,
                double one, int feature) noexcept:
    cdef PathElement* path = parent + depth + 1
    cdef int i, hot, cold, index, split
    cdef double w, incoming_zero, incoming_one, hot_count, cold_count
    for i in range(depth):
        path[i] = parent[i]
    _extend(path, depth, zero, one, feature)
    if node < 0:  # a leaf
        for i in range(1, depth + 1):
            w = _unwound_sum(path, depth, i)
            phi[path[i].feature] += w * (path[i].one_fraction - path[i].zero_fraction) * \
                leaf[~node]
        return
    split = nodes[node, 0]
    hot = _hot(row, nodes, threshold, node)
    cold = nodes[node, 2] if hot == nodes[node, 1] else nodes[node, 1]
    w = counts[node]
    hot_count = counts[hot] if hot >= 0 else counts[n_nodes + ~hot]
    cold_count = counts[cold] if cold >= 0 else counts[n_nodes + ~cold]
    incoming_zero = 1.0
    incoming_one = 1.0
    index = 0
    while index <= depth:
        if path[index].feature == split:
            break
        index += 1
    if index != depth + 1:
        incoming_zero = path[index].zero_fraction
        incoming_one = path[index].one_fraction
        _unwind(path, depth, index)
        depth -= 1
    _shap(row, phi, nodes, threshold, leaf, counts, n_nodes, hot, depth + 1, path,
          hot_count / w * incoming_zero, incoming_one, split)
    _shap(row, phi, nodes, threshold, leaf, counts, n_nodes, cold, depth + 1, path,
          cold_count / w * incoming_zero, 0.0, split)


def forest_contributions(const float[::1] row, const int[::1] roots, const int[:, ::1] nodes,
                         const double[::1] threshold, const double[::1] leaf,
                         const double[::1] counts, int n_features, int max_depth):
    """Each feature's contribution to the row's raw score, and last the trees' expected
    value (n_features + 1 doubles, LightGBM's `pred_contrib` layout)."""
    out = np.zeros(n_features + 1, dtype=np.float64)
    cdef double[::1] phi = out
    cdef int n_nodes = nodes.shape[0]
    cdef Py_ssize_t size = (max_depth + 2) * (max_depth + 3) // 2
    cdef PathElement* path = <PathElement*> malloc(size * sizeof(PathElement))
    cdef Py_ssize_t t
    cdef int root
    if path == NULL:
        raise MemoryError()
    try:
        for t in range(roots.shape[0]):
            root = roots[t]
            if root < 0:  # a tree of one leaf: all of it is the expected value
                phi[n_features] += leaf[~root]
                continue
            # the tree's mean leaf value over its training rows: what no feature explains
            phi[n_features] += _weighted(root, nodes, leaf, counts, n_nodes) / counts[root]
            _shap(row, phi, nodes, threshold, leaf, counts, n_nodes, root, 0, path, 1.0, 1.0,
                  -1)
    finally:
        free(path)
    return out


cdef double _weighted(int node, const int[:, ::1] nodes, const double[::1] leaf,
                      const double[::1] counts, int n_nodes) noexcept:
    """A subtree's leaf values weighted by their training rows."""
    if node < 0:
        return leaf[~node] * counts[n_nodes + ~node]
    return (_weighted(nodes[node, 1], nodes, leaf, counts, n_nodes)
            + _weighted(nodes[node, 2], nodes, leaf, counts, n_nodes))
