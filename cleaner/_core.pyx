# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled per-page kernels. Pure-Python references live in the tests only.

`forest_scores`: a tree ensemble (LightGBM's binary objective) over the rows of a page, from
the flat arrays of `content/forest.py`. It walks each tree as LightGBM's own predictor does
(each value read as a double, NaN taken as 0 for splits without a missing-value branch,
`value <= threshold` going left), sums the trees in order in a double and applies the same
sigmoid, so that its scores equal LightGBM's bit for bit. `forest_scores_flat` gives the same
scores branch-free for ensembles without missing-value splits (all that `make train` fits).

The line kernels (below) compute what the content model reads of each line, with Python's
Unicode semantics; tests/reference_lines.py holds the Python they replaced.
"""

from libc.math cimport exp, isnan
from libc.stdlib cimport free, malloc

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



# -- TreeSHAP: each feature's contribution to a row's score (--explain) -----------------------
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


cdef struct FlatNode:
    float threshold
    int feature
    int child[2]


cdef enum:
    LANES = 16


def forest_scores_flat(const float[:, ::1] rows, const int[::1] roots, const int[::1] depths,
                       const int[:, ::1] packed, const double[::1] value, double sigmoid):
    """`forest_scores` for ensembles without missing-value splits, branch-free: node `n` is
    `packed[n]` = (threshold as float32 bits, feature, left, right), going right when the
    value is above the threshold; a leaf is a node that leads to itself, so a tree is walked
    in exactly `depths[t]` steps, and LANES rows walk it side by side. `value[n]` is a leaf's
    value. The thresholds are LightGBM's doubles rounded down to floats, which splits every
    float value as the double does; NaN and values within +-ZERO are read as 0, as
    LightGBM's predictor reads them, so the scores are still LightGBM's bit for bit."""
    cdef Py_ssize_t n_rows = rows.shape[0], n_cols = rows.shape[1]
    cdef Py_ssize_t n_trees = roots.shape[0], r, t, k, d, i
    out = np.zeros(n_rows, dtype=np.float64)
    cdef double[::1] totals = out
    if n_rows == 0:
        return out
    cdef const float[:, ::1] data = rows
    cdef float x
    cdef bint clean = True
    for r in range(n_rows):
        for i in range(n_cols):
            x = rows[r, i]
            if isnan(x) or (x != 0.0 and -ZERO <= x <= ZERO):
                clean = False
                break
        if not clean:
            break
    if not clean:
        copy = np.array(rows, dtype=np.float32)
        copy[np.isnan(copy) | (np.abs(copy.astype(np.float64)) <= ZERO)] = 0.0
        data = copy
    cdef const FlatNode* nodes = <const FlatNode*> &packed[0, 0]
    cdef const float* base = &data[0, 0]
    cdef const FlatNode* nd
    cdef int idx[LANES]
    cdef int root, depth, node
    for t in range(n_trees):
        root = roots[t]
        depth = depths[t]
        r = 0
        while r + LANES <= n_rows:
            for k in range(LANES):
                idx[k] = root
            for d in range(depth):
                for k in range(LANES):
                    nd = &nodes[idx[k]]
                    idx[k] = nd.child[base[(r + k) * n_cols + nd.feature] > nd.threshold]
            for k in range(LANES):
                totals[r + k] += value[idx[k]]
            r += LANES
        while r < n_rows:
            node = root
            for d in range(depth):
                nd = &nodes[node]
                node = nd.child[base[r * n_cols + nd.feature] > nd.threshold]
            totals[r] += value[node]
            r += 1
    for r in range(n_rows):
        totals[r] = 1.0 / (1.0 + exp(-sigmoid * totals[r]))
    return out

# ---- Lines: words, features and lexicon odds, with Python's Unicode semantics ----
#
# `\w`, `\d` and `\s` below are the `re` module's, for str patterns: a word character is
# alphanumeric (alpha, decimal, digit or numeric) or "_", a digit is a decimal, a space is
# what str.split() splits on. tests/test_core_lines.py compares each kernel with the Python
# it replaced, on generated lines and on the dev pages.

cdef extern from "Python.h":
    int PyUnicode_KIND(object text)
    const void* PyUnicode_DATA(object text)
    Py_UCS4 PyUnicode_READ(int kind, const void* data, Py_ssize_t index) nogil

from cpython.unicode cimport (Py_UNICODE_ISALNUM, Py_UNICODE_ISALPHA, Py_UNICODE_ISDECIMAL,
                              Py_UNICODE_ISLOWER, Py_UNICODE_ISSPACE, Py_UNICODE_ISUPPER)

# The columns of `line_values`, in order (features.py maps them onto its BASE columns).
LINE_VALUES = (
    "log_words", "log_chars", "mean_word_len", "terminal", "colon_end", "stop_ratio",
    "title_ratio", "all_caps", "digit_ratio", "punct_ratio", "commas_per_word", "urlish",
    "separators", "bullet", "sentences", "long", "chrome_ratio", "has_date", "starts_lower",
    "tabs", "question", "price",
)
cdef Py_ssize_t N_VALUES = 22


# Each ASCII character's classes, taken from the same CPython functions at import: the common
# case is a table read, the rest of Unicode asks CPython.
cdef enum:
    F_WORD = 1
    F_SPACE = 2
    F_DECIMAL = 4
    F_ALPHA = 8
    F_UPPER = 16
    F_LOWER = 32

cdef unsigned char ASCII[128]
cdef Py_UCS4 _ch
for _ch in range(128):
    ASCII[_ch] = ((F_WORD if Py_UNICODE_ISALNUM(_ch) or _ch == u'_' else 0)
                  | (F_SPACE if Py_UNICODE_ISSPACE(_ch) else 0)
                  | (F_DECIMAL if Py_UNICODE_ISDECIMAL(_ch) else 0)
                  | (F_ALPHA if Py_UNICODE_ISALPHA(_ch) else 0)
                  | (F_UPPER if Py_UNICODE_ISUPPER(_ch) else 0)
                  | (F_LOWER if Py_UNICODE_ISLOWER(_ch) else 0))


cdef inline bint is_word(Py_UCS4 c) noexcept:
    if c < 128:
        return (ASCII[c] & F_WORD) != 0
    return Py_UNICODE_ISALNUM(c) or c == u'_'


cdef inline bint is_space(Py_UCS4 c) noexcept:
    if c < 128:
        return (ASCII[c] & F_SPACE) != 0
    return Py_UNICODE_ISSPACE(c)


cdef inline bint is_decimal(Py_UCS4 c) noexcept:
    if c < 128:
        return (ASCII[c] & F_DECIMAL) != 0
    return Py_UNICODE_ISDECIMAL(c)


cdef inline bint is_alpha(Py_UCS4 c) noexcept:
    if c < 128:
        return (ASCII[c] & F_ALPHA) != 0
    return Py_UNICODE_ISALPHA(c)


cdef inline bint is_upper(Py_UCS4 c) noexcept:
    if c < 128:
        return (ASCII[c] & F_UPPER) != 0
    return Py_UNICODE_ISUPPER(c)


cdef inline bint is_lower(Py_UCS4 c) noexcept:
    if c < 128:
        return (ASCII[c] & F_LOWER) != 0
    return Py_UNICODE_ISLOWER(c)


cdef inline bint is_terminal(Py_UCS4 c) noexcept:
    return c == u'.' or c == u'!' or c == u'?' or c == u'…' or c == u'。' or c == u'！' \
        or c == u'？'


cdef inline bint is_closer(Py_UCS4 c) noexcept:
    return c == u'"' or c == u"'" or c == u'”' or c == u'’' or c == u'»' or c == u')' \
        or c == u']'


cdef inline bint is_separator(Py_UCS4 c) noexcept:
    return c == u'|' or c == u'•' or c == u'·' or c == u'»' or c == u'›' or c == u'«' \
        or c == u'‹' or c == u'>' or c == u'/'


cdef inline bint is_bullet(Py_UCS4 c) noexcept:
    return c == u'-' or c == u'*' or c == u'•' or c == u'–' or c == u'·' or c == u'▪' \
        or c == u'►'


def word_runs(str text):
    """`re.findall(r"\\w+", text)`."""
    return _word_runs(text)


cdef list _word_runs(str text):
    cdef int k_text = PyUnicode_KIND(text)
    cdef const void* d_text = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text), i = 0, start
    out = []
    while i < n:
        if is_word(PyUnicode_READ(k_text, d_text, i)):
            start = i
            i += 1
            while i < n and is_word(PyUnicode_READ(k_text, d_text, i)):
                i += 1
            out.append(text[start:i])
        else:
            i += 1
    return out


def fold_words(list lines):
    """Each line casefolded, the `\\w+` runs of each folded line, and each folded line's
    words (split on spaces) joined by one space."""
    folded = [(<str>line).casefold() for line in lines]
    return folded, [_word_runs(f) for f in folded], [" ".join((<str>f).split()) for f in folded]


cdef enum:
    MAX_LANGUAGES = 256


def best_language(list token_lists, dict index, Py_ssize_t sample):
    """(language, hits): the language whose stopwords the first `sample` words hit most, ties
    to the lower index; (0, 0) when none is hit. `index` maps a word to its languages (at
    most MAX_LANGUAGES)."""
    return _best_language(token_lists, index, sample)


cdef tuple _best_language(list token_lists, dict index, Py_ssize_t sample):
    cdef Py_ssize_t seen = 0, lang, best = 0, best_hits = 0
    cdef Py_ssize_t counts[MAX_LANGUAGES]
    for lang in range(MAX_LANGUAGES):
        counts[lang] = 0
    for tokens in token_lists:
        for word in <list>tokens:
            if seen >= sample:
                break
            seen += 1
            langs = index.get(word)
            if langs is None:
                continue
            for lang in <tuple>langs:
                if 0 <= lang < MAX_LANGUAGES:
                    counts[lang] += 1
        if seen >= sample:
            break
    for lang in range(MAX_LANGUAGES):
        if counts[lang] > best_hits:
            best, best_hits = lang, counts[lang]
    return best, best_hits


def lines_language(list lines, dict index, Py_ssize_t sample):
    """`best_language` over the casefolded `\\w+` runs of the lines, reading only as many
    lines as the sample needs."""
    cdef list runs = []
    cdef Py_ssize_t seen = 0
    for line in lines:
        words = _word_runs((<str>line).casefold())
        runs.append(words)
        seen += len(words)
        if seen >= sample:
            break
    return _best_language(runs, index, sample)


def has_mojibake(str text):
    """`re.search("[\\u0080-\\u009f]|[ÂÃ][\\u0080-\\u00bf]|â€|â„|[ÐÑ][\\u0080-\\u00bf]",
    text) is not None`: the marks that UTF-8 read as Latin-1 or cp1252 leaves."""
    cdef int k_text = PyUnicode_KIND(text)
    cdef const void* d_text = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text), i
    cdef Py_UCS4 c, d
    for i in range(n):
        c = PyUnicode_READ(k_text, d_text, i)
        if c < 0x80 or c > 0xff:
            continue
        if c <= 0x9f:
            return True
        if i + 1 >= n:
            continue
        d = PyUnicode_READ(k_text, d_text, i + 1)
        if c == u'Â' or c == u'Ã' or c == u'Ð' or c == u'Ñ':
            if 0x80 <= d <= 0xbf:
                return True
        elif c == u'â' and (d == u'€' or d == u'„'):
            return True
    return False


def zero_digits(str text):
    """`re.sub(r"\\d+", "0", text)`: each run of digits as one 0."""
    return _zero_digits(text)


cdef str _zero_digits(str text):
    cdef int k_text = PyUnicode_KIND(text)
    cdef const void* d_text = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text), i = 0, start = 0
    cdef bint any_digit = False
    for i in range(n):
        if is_decimal(PyUnicode_READ(k_text, d_text, i)):
            any_digit = True
            break
    if not any_digit:
        return text
    parts = []
    i = 0
    while i < n:
        if is_decimal(PyUnicode_READ(k_text, d_text, i)):
            parts.append(text[start:i])
            parts.append("0")
            while i < n and is_decimal(PyUnicode_READ(k_text, d_text, i)):
                i += 1
            start = i
        else:
            i += 1
    parts.append(text[start:n])
    return "".join(parts)


cdef inline bint starts_at(str text, Py_ssize_t i, str literal) noexcept:
    cdef int k_text = PyUnicode_KIND(text)
    cdef const void* d_text = PyUnicode_DATA(text)
    cdef int k_literal = PyUnicode_KIND(literal)
    cdef const void* d_literal = PyUnicode_DATA(literal)
    cdef Py_ssize_t k, m = len(literal)
    if i + m > len(text):
        return False
    for k in range(m):
        if PyUnicode_READ(k_text, d_text, i + k) != PyUnicode_READ(k_literal, d_literal, k):
            return False
    return True


cdef bint urlish(str line):
    """`re.search(r"https?://|www\\.|\\.com\\b|@\\w|#\\w", line)`."""
    cdef int k_line = PyUnicode_KIND(line)
    cdef const void* d_line = PyUnicode_DATA(line)
    cdef Py_ssize_t n = len(line), i
    cdef Py_UCS4 c
    for i in range(n):
        c = PyUnicode_READ(k_line, d_line, i)
        if c == u'h':
            if starts_at(line, i, "http://") or starts_at(line, i, "https://"):
                return True
        elif c == u'w':
            if starts_at(line, i, "www."):
                return True
        elif c == u'.':
            if starts_at(line, i, ".com") and (
                    i + 4 == n or not is_word(PyUnicode_READ(k_line, d_line, i + 4))):
                return True
        elif c == u'@' or c == u'#':
            if i + 1 < n and is_word(PyUnicode_READ(k_line, d_line, i + 1)):
                return True
    return False


cdef bint bullet(str line):
    """`re.match(r"^\\s*([-*•–·▪►]|\\d{1,3}[.)])\\s", line)`."""
    cdef int k_line = PyUnicode_KIND(line)
    cdef const void* d_line = PyUnicode_DATA(line)
    cdef Py_ssize_t n = len(line), i = 0, digits
    cdef Py_UCS4 c
    while i < n and is_space(PyUnicode_READ(k_line, d_line, i)):
        i += 1
    if i >= n:
        return False
    if is_bullet(PyUnicode_READ(k_line, d_line, i)):
        i += 1
    else:
        digits = 0
        while i < n and is_decimal(PyUnicode_READ(k_line, d_line, i)):
            digits += 1
            i += 1
        if digits < 1 or digits > 3 or i >= n:
            return False
        c = PyUnicode_READ(k_line, d_line, i)
        if c != u'.' and c != u')':
            return False
        i += 1
    return i < n and is_space(PyUnicode_READ(k_line, d_line, i))


cdef inline Py_ssize_t digits_at(int kind, const void* data, Py_ssize_t n,
                                  Py_ssize_t i) noexcept:
    """How many decimal digits (`\\d`) run from `i`."""
    cdef Py_ssize_t j = i
    while j < n and is_decimal(PyUnicode_READ(kind, data, j)):
        j += 1
    return j - i


cdef inline bint ascii_at(int kind, const void* data, Py_ssize_t n, Py_ssize_t i,
                          const char* literal, Py_ssize_t m) noexcept:
    cdef Py_ssize_t k
    if i + m > n:
        return False
    for k in range(m):
        if PyUnicode_READ(kind, data, i + k) != <Py_UCS4>(<unsigned char>literal[k]):
            return False
    return True


cdef const char* MONTHS = b"janfebmaraprmayjunjulaugsepoctnovdec"
# The units of "3 hours ago", singular: each may take an "s".
cdef const char* UNITS[6]
UNITS[:] = [b"minute", b"hour", b"day", b"week", b"month", b"year"]
cdef Py_ssize_t UNIT_LEN[6]
UNIT_LEN[:] = [6, 4, 3, 4, 5, 4]


cdef inline bint month_at(int kind, const void* data, Py_ssize_t n, Py_ssize_t i) noexcept:
    cdef Py_ssize_t k
    for k in range(12):
        if ascii_at(kind, data, n, i, MONTHS + 3 * k, 3):
            return True
    return False


cdef inline bint is_date_sep(Py_UCS4 c) noexcept:
    return c == u'.' or c == u'/' or c == u'-'


cdef bint has_date(str f):
    """Whether features.py's former date pattern is found in `f`:
    `\\b(\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{4}-\\d{2}-\\d{2}|MONTH[a-z]*\\.? \\d{1,2}\\b|\\d{1,2} MONTH|
    \\d+ (minutes?|hours?|days?|weeks?|months?|years?) ago)`, MONTH the twelve three-letter
    names. Each alternative is decided from the digit runs it needs: a digit can never stand
    where the pattern wants a separator, so a run's length settles each `{m,n}`."""
    cdef int kind = PyUnicode_KIND(f)
    cdef const void* data = PyUnicode_DATA(f)
    cdef Py_ssize_t n = len(f), i, j, r, r2, k, p
    cdef Py_UCS4 c
    cdef bint boundary = True  # \b before i: the previous character is no word character
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if boundary and is_decimal(c):
            r = digits_at(kind, data, n, i)
            j = i + r
            if r <= 2 and j < n:
                c = PyUnicode_READ(kind, data, j)
                if is_date_sep(c):
                    r2 = digits_at(kind, data, n, j + 1)
                    p = j + 1 + r2
                    if 1 <= r2 <= 2 and p < n and is_date_sep(PyUnicode_READ(kind, data, p)) \
                            and digits_at(kind, data, n, p + 1) >= 2:
                        return True
                elif c == u' ' and month_at(kind, data, n, j + 1):
                    return True
            if r == 4 and j < n and PyUnicode_READ(kind, data, j) == u'-' \
                    and digits_at(kind, data, n, j + 1) == 2 and j + 3 < n \
                    and PyUnicode_READ(kind, data, j + 3) == u'-' \
                    and digits_at(kind, data, n, j + 4) >= 2:
                return True
            if j < n and PyUnicode_READ(kind, data, j) == u' ':
                for k in range(6):
                    p = j + 1 + UNIT_LEN[k]
                    if ascii_at(kind, data, n, j + 1, UNITS[k], UNIT_LEN[k]):
                        if p < n and PyUnicode_READ(kind, data, p) == u's':
                            if ascii_at(kind, data, n, p + 1, b" ago", 4):
                                return True
                        if ascii_at(kind, data, n, p, b" ago", 4):
                            return True
        elif boundary and month_at(kind, data, n, i):
            j = i + 3
            while j < n and u'a' <= PyUnicode_READ(kind, data, j) <= u'z':
                j += 1
            if j < n and PyUnicode_READ(kind, data, j) == u'.':
                j += 1
            if j < n and PyUnicode_READ(kind, data, j) == u' ':
                r = digits_at(kind, data, n, j + 1)
                p = j + 1 + r
                if 1 <= r <= 2 and (p == n or not is_word(PyUnicode_READ(kind, data, p))):
                    return True
        boundary = not is_word(c)
    return False


cdef inline bint currency_at(int kind, const void* data, Py_ssize_t n, Py_ssize_t p) noexcept:
    """`(€|£|\\$|eur\\b|usd\\b|chf\\b|kr\\b|zł)` at `p`."""
    cdef Py_UCS4 c
    if p >= n:
        return False
    c = PyUnicode_READ(kind, data, p)
    if c == u'€' or c == u'£' or c == u'$':
        return True
    if ascii_at(kind, data, n, p, b"eur", 3) or ascii_at(kind, data, n, p, b"usd", 3) \
            or ascii_at(kind, data, n, p, b"chf", 3):
        return p + 3 == n or not is_word(PyUnicode_READ(kind, data, p + 3))
    if ascii_at(kind, data, n, p, b"kr", 2):
        return p + 2 == n or not is_word(PyUnicode_READ(kind, data, p + 2))
    return c == u'z' and p + 1 < n and PyUnicode_READ(kind, data, p + 1) == u'ł'


cdef bint has_price(str f):
    """Whether features.py's former price pattern is found in `f`:
    `[$€£¥₹]\\s?\\d|\\d\\s?(€|£|\\$|eur\\b|usd\\b|chf\\b|kr\\b|zł)`."""
    cdef int kind = PyUnicode_KIND(f)
    cdef const void* data = PyUnicode_DATA(f)
    cdef Py_ssize_t n = len(f), i
    cdef Py_UCS4 c, d
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c == u'$' or c == u'€' or c == u'£' or c == u'¥' or c == u'₹':
            if i + 1 < n:
                d = PyUnicode_READ(kind, data, i + 1)
                if is_decimal(d):
                    return True
                if is_space(d) and i + 2 < n and is_decimal(PyUnicode_READ(kind, data, i + 2)):
                    return True
        elif is_decimal(c):
            if currency_at(kind, data, n, i + 1):
                return True
            if i + 1 < n and is_space(PyUnicode_READ(kind, data, i + 1)) \
                    and currency_at(kind, data, n, i + 2):
                return True
    return False


def date_found(str f):
    """`has_date`, for tests."""
    return has_date(f)


def price_found(str f):
    """`has_price`, for tests."""
    return has_price(f)


def line_values(list lines, list folded, list tokens, frozenset stop, frozenset chrome,
                Py_ssize_t long_chars):
    """What each line says about itself, before any context: one float64 row per line,
    columns as in `LINE_VALUES` (log_words and log_chars still raw counts, stop_ratio the
    count of stopwords). `has_date` and `has_price` read the folded line; every match of
    theirs holds a digit, so lines without one are not searched. A line of `long_chars`
    characters or more is long."""
    cdef Py_ssize_t n_lines = len(lines), r, i, n, first, last_i, end, n_tok, tok_chars
    cdef Py_ssize_t n_stop, n_chrome, n_alpha, n_upper, n_digit, n_punct, n_sep, n_space
    cdef Py_UCS4 c, last
    cdef bint terminal, at_word_start, has_digit, seen_alpha, starts_lower
    cdef double inv, inv_chars, chars
    cdef str line, f
    cdef list toks
    cdef int k_line, k_f
    cdef const void* d_line
    cdef const void* d_f
    out = np.zeros((n_lines, N_VALUES), dtype=np.float64)
    cdef double[:, ::1] v = out
    for r in range(n_lines):
        line = <str>lines[r]
        f = <str>folded[r]
        k_line = PyUnicode_KIND(line)
        d_line = PyUnicode_DATA(line)
        k_f = PyUnicode_KIND(f)
        d_f = PyUnicode_DATA(f)
        toks = <list>tokens[r]
        n = len(line)
        n_tok = len(toks)
        tok_chars = 0
        n_stop = 0
        n_chrome = 0
        for tok in toks:
            tok_chars += len(<str>tok)
            if tok in stop:
                n_stop += 1
            if tok in chrome:
                n_chrome += 1
        # strip(): the first and last non-space characters.
        first = 0
        while first < n and is_space(PyUnicode_READ(k_line, d_line, first)):
            first += 1
        end = n
        while end > first and is_space(PyUnicode_READ(k_line, d_line, end - 1)):
            end -= 1
        chars = <double>(end - first)
        last_i = end
        while last_i > 0 and is_closer(PyUnicode_READ(k_line, d_line, last_i - 1)):
            last_i -= 1
        last = PyUnicode_READ(k_line, d_line, last_i - 1) if last_i > 0 else 0
        terminal = last_i > 0 and is_terminal(last)
        n_alpha = n_upper = n_digit = n_punct = n_sep = 0
        at_word_start = True
        seen_alpha = False
        starts_lower = False
        for i in range(n):
            c = PyUnicode_READ(k_line, d_line, i)
            if is_space(c):
                at_word_start = True
                continue
            if at_word_start:
                at_word_start = False
                if is_alpha(c):
                    n_alpha += 1
                    if is_upper(c):
                        n_upper += 1
            if not seen_alpha and is_alpha(c):
                seen_alpha = True
                starts_lower = is_lower(c)
            if is_decimal(c):
                n_digit += 1
            if c == u'_' or not is_word(c):
                n_punct += 1
            if is_separator(c):
                n_sep += 1
        has_digit = False
        for i in range(len(f)):
            if is_decimal(PyUnicode_READ(k_f, d_f, i)):
                has_digit = True
                break
        inv = 1.0 / n_tok if n_tok else 0.0
        inv_chars = 1.0 / chars if chars else 0.0
        v[r, 0] = n_tok
        v[r, 1] = chars
        v[r, 2] = tok_chars * inv
        v[r, 3] = terminal
        v[r, 4] = last_i > 0 and last == u':'
        v[r, 5] = n_stop
        v[r, 6] = (<double>n_upper) / n_alpha if n_alpha else 0.0
        v[r, 7] = line.isupper()
        v[r, 8] = n_digit * inv_chars
        v[r, 9] = n_punct * inv_chars
        v[r, 10] = line.count(",") * inv
        v[r, 11] = urlish(line)
        v[r, 12] = n_sep
        v[r, 13] = bullet(line)
        v[r, 14] = line.count(". ") + terminal
        v[r, 15] = chars >= long_chars
        v[r, 16] = n_chrome * inv
        v[r, 17] = has_digit and has_date(f)
        v[r, 18] = starts_lower
        v[r, 19] = line.count("\t")
        v[r, 20] = last_i > 0 and last == u'?'
        v[r, 21] = has_digit and has_price(f)
    return out


def lexicon_words(list tokens, bint pairs):
    """A line's lexicon tokens from its `\\w+` runs: those of two characters or more, each
    number as 0, then (with `pairs`) each adjacent pair joined by a space."""
    return _lexicon_words(tokens, pairs)


cdef list _lexicon_words(list tokens, bint pairs):
    cdef list words = [_zero_digits(<str>t) for t in tokens if len(<str>t) > 1]
    cdef Py_ssize_t i, n = len(words)
    if pairs and n > 1:
        for i in range(n - 1):
            words.append(<str>words[i] + " " + <str>words[i + 1])
    return words


def short_line_key(str key, Py_ssize_t max_words):
    """The whole-line key of a line of 1 to `max_words` words, from its words joined by one
    space (`fold_words`' keys): each number as 0; None for other lines."""
    return _short_line_key(key, max_words)


cdef object _short_line_key(str key, Py_ssize_t max_words):
    if not key or key.count(" ") + 1 > max_words:
        return None
    return _zero_digits(key)


# -- the lexicon as a C hash table -------------------------------------------------------------
# A page's tokens and pairs are looked up without building a string for each: a 128-bit
# fingerprint (two 64-bit hashes) of a token with its digit runs read as one 0, and of a pair
# (the two with a space between), is computed from the line's own code points. The table holds
# each key's fingerprint, not the key: a false hit needs both hashes of a token to equal a
# key's, about 2^-128 per lookup, and the tests compare the table with `dict.get` on dev pages
# and generated lines. Checking the key's text instead cost a cache miss per hit: half the time.

from libc.stdint cimport uint64_t
from libc.string cimport memset

cdef uint64_t FNV_OFFSET = 14695981039346656037ULL
cdef uint64_t FNV_PRIME = 1099511628211ULL
# The second hash: another offset and another odd multiplier (splitmix64's golden gamma).
cdef uint64_t ALT_OFFSET = 0x6a09e667f3bcc909ULL
cdef uint64_t ALT_PRIME = 0x9e3779b97f4a7c15ULL


cdef struct _Hash:
    uint64_t a
    uint64_t b


cdef inline uint64_t _finalise(uint64_t h, int s1, uint64_t m1, int s2, uint64_t m2,
                               int s3) noexcept:
    h ^= h >> s1
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> s3
    return h


cdef inline uint64_t _mix(uint64_t h) noexcept:
    # splitmix64's finaliser: FNV's low bits are weak, and the table is indexed by them.
    return _finalise(h, 30, 0xbf58476d1ce4e5b9ULL, 27, 0x94d049bb133111ebULL, 31)


cdef inline uint64_t _mix_alt(uint64_t h) noexcept:
    # MurmurHash3's fmix64: a finaliser of its own for the second hash.
    return _finalise(h, 33, 0xff51afd7ed558ccdULL, 33, 0xc4ceb9fe1a85ec53ULL, 33)


cdef inline void _feed(_Hash* h, Py_UCS4 c) noexcept:
    h.a = (h.a ^ <uint64_t>c) * FNV_PRIME
    h.b = ((h.b ^ <uint64_t>c) * ALT_PRIME) ^ (h.b >> 29)


cdef inline void _feed_text(_Hash* h, str text, bint zeroed) noexcept:
    """Feed `text`'s code points; with `zeroed`, each run of digits as one 0 (as
    `_zero_digits` writes it)."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t i = 0, n = len(text)
    cdef Py_UCS4 c
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        i += 1
        if zeroed and is_decimal(c):
            c = u'0'
            while i < n and is_decimal(PyUnicode_READ(kind, data, i)):
                i += 1
        _feed(h, c)


cdef struct _Slot:
    uint64_t hash  # the first hash, mixed; 0: empty (a key whose hash is 0 is stored as 1)
    uint64_t check  # the second hash, mixed
    double odds


cdef class LexiconTable:
    """A lexicon's token odds (`Lexicon.words`) as an open-addressing table of fingerprints:
    one slot read per probe."""

    cdef _Slot* _slots
    cdef Py_ssize_t _mask

    def __cinit__(self, dict odds):
        cdef Py_ssize_t size = 16, slot
        cdef _Hash h
        cdef uint64_t a
        while size < 2 * len(odds) + 2:
            size *= 2
        self._mask = size - 1
        self._slots = <_Slot*>malloc(size * sizeof(_Slot))
        if self._slots == NULL:
            raise MemoryError()
        memset(self._slots, 0, size * sizeof(_Slot))
        for key, value in odds.items():
            h.a = FNV_OFFSET
            h.b = ALT_OFFSET
            _feed_text(&h, <str?>key, False)
            a = _mix(h.a) or 1
            slot = a & self._mask
            while self._slots[slot].hash != 0:
                slot = (slot + 1) & self._mask
            self._slots[slot].hash = a
            self._slots[slot].check = _mix_alt(h.b)
            self._slots[slot].odds = <double?>value

    def __dealloc__(self):
        free(self._slots)

    cdef inline bint _find(self, str first, str second, double* odds) noexcept:
        """The odds of `first` (or of the pair `first second`, for a `second`), digits read
        as by `_zero_digits`; False when the lexicon does not know it."""
        cdef _Hash h
        cdef uint64_t a, b
        cdef Py_ssize_t slot
        h.a = FNV_OFFSET
        h.b = ALT_OFFSET
        _feed_text(&h, first, True)
        if second is not None:
            _feed(&h, u' ')
            _feed_text(&h, second, True)
        a = _mix(h.a) or 1
        b = _mix_alt(h.b)
        slot = a & self._mask
        while self._slots[slot].hash != 0:
            if self._slots[slot].hash == a and self._slots[slot].check == b:
                odds[0] = self._slots[slot].odds
                return True
            slot = (slot + 1) & self._mask
        return False

    def get(self, str first, str second=None):
        """The odds of a token (a pair: two tokens), or None: for tests."""
        cdef double odds
        if self._find(first, second, &odds):
            return odds
        return None


cdef struct _Odds:
    Py_ssize_t total  # tokens looked up
    Py_ssize_t known  # of them, those the lexicon knows
    double acc
    double lo
    double hi


cdef inline void _look_up(LexiconTable words, str first, str second, _Odds* o) noexcept:
    cdef double odds
    o.total += 1
    if not words._find(first, second, &odds):
        return
    if o.known == 0:
        o.lo = o.hi = odds
    else:
        if odds < o.lo:
            o.lo = odds
        if odds > o.hi:
            o.hi = odds
    o.acc += odds
    o.known += 1


def lexicon_values(list keys, list tokens, LexiconTable words, dict line_odds, bint pairs,
                   Py_ssize_t max_words):
    """Each line's own lexicon columns (float32): the mean, minimum and maximum odds of its
    known tokens (`words`: the table of `Lexicon.words`), their share of its tokens, and its
    whole-line odds and whether it has one."""
    cdef Py_ssize_t n_lines = len(keys), r, j, n_tok
    cdef _Odds o
    cdef list line_tokens
    cdef str prev, t
    out = np.zeros((n_lines, 6), dtype=np.float32)
    cdef float[:, ::1] v = out
    for r in range(n_lines):
        line_tokens = <list>tokens[r]
        n_tok = len(line_tokens)
        o.total = o.known = 0
        o.acc = o.lo = o.hi = 0.0
        # The words first, then (with `pairs`) each adjacent pair of them: the order of
        # `_lexicon_words`, which keeps the sum's order (and so its rounding) the same.
        for j in range(n_tok):
            t = <str>line_tokens[j]
            if len(t) > 1:
                _look_up(words, t, None, &o)
        if pairs and o.total > 1:
            prev = None
            for j in range(n_tok):
                t = <str>line_tokens[j]
                if len(t) <= 1:
                    continue
                if prev is not None:
                    _look_up(words, prev, t, &o)
                prev = t
        key = _short_line_key(<str>keys[r], max_words)
        whole = line_odds.get(key) if key is not None else None
        if o.known:
            v[r, 0] = <float>(o.acc / o.known)
            v[r, 1] = <float>o.lo
            v[r, 2] = <float>o.hi
            v[r, 3] = <float>((<double>o.known) / o.total)
        if whole is not None:
            v[r, 4] = <float>(<double>whole)
            v[r, 5] = 1.0
    return out
