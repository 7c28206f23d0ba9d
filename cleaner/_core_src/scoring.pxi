# A pass of the content stage in one call: the kept sequence, its rows, both stages of trees;
# then which lines to keep.

from libc.math cimport pow as c_pow

# The second stage reads the first stage's scores in context: a short heading between two
# confident paragraphs is content, the same heading between menu items is not.
cdef int STACK_RADIUS = 5
# A few of the line's own features ride along (the line group's columns, copied).
cdef int STACK_KEEP_COLUMN[8]
cdef int N_STACK_KEEP = 0
for _name in ("log_words", "terminal", "pos_words", "blank_before", "blank_after",
              "title_ratio"):
    STACK_KEEP_COLUMN[N_STACK_KEEP] = FEATURE_NAMES.index(_name)
    N_STACK_KEEP += 1
STACK_KEEP = tuple(FEATURE_NAMES[STACK_KEEP_COLUMN[_k]] for _k in range(N_STACK_KEEP))
STACK_NAMES = (
    "score",
    *(f"score@{o:+d}" for o in range(-STACK_RADIUS, STACK_RADIUS + 1) if o),
    "win2", "win5", "win10", "page_mean", "page_max", "page_rank", "block_mean",
    *STACK_KEEP,
)
cdef int N_STACK = len(STACK_NAMES)


cdef struct _Ranked:
    double score
    Py_ssize_t index


cdef int _by_score(const void* a, const void* b) noexcept nogil:
    """Ascending score, ties by index: a stable order (the expected-F selection's)."""
    cdef const _Ranked* x = <const _Ranked*>a
    cdef const _Ranked* y = <const _Ranked*>b
    if x.score < y.score:
        return -1
    if x.score > y.score:
        return 1
    return -1 if x.index < y.index else (1 if x.index > y.index else 0)


cdef int _stack_columns(const double* scores, Py_ssize_t n, const long long* order,
                        const float* features, Py_ssize_t feature_width, const int* block_of,
                        int n_blocks, float* out) except -1:
    """The second stage's row of each line (STACK_NAMES), `N_STACK` floats wide; `order` is
    numpy's `argsort` of the scores (its order of tied scores is the one the models were
    fitted with, so the ranks come from it)."""
    cdef Py_ssize_t i, k, col, lo, hi
    cdef int off, radius, b
    cdef float* row
    cdef double page_max = scores[0]
    cdef double* running = <double*>malloc((n + 1) * sizeof(double))
    cdef double* block_sum = <double*>calloc(n_blocks + 1, sizeof(double))
    cdef double* block_count = <double*>calloc(n_blocks + 1, sizeof(double))
    cdef int radii[3]
    radii[0], radii[1], radii[2] = 2, 5, 10
    if running == NULL or block_sum == NULL or block_count == NULL:
        free(running)
        free(block_sum)
        free(block_count)
        raise MemoryError()
    running[0] = 0.0
    for i in range(n):
        running[i + 1] = running[i] + scores[i]
        if scores[i] > page_max:
            page_max = scores[i]
        block_sum[block_of[i]] += scores[i]
        block_count[block_of[i]] += 1.0
    cdef double page_mean = _sum_f64(scores, n, 1) / <double>n
    cdef double rank_scale = <double>(n - 1 if n - 1 > 1 else 1)
    for k in range(n):
        out[order[k] * N_STACK + 1 + 2 * STACK_RADIUS + 3 + 2] = \
            <float>(<double>k / rank_scale)
    for i in range(n):
        row = &out[i * N_STACK]
        row[0] = <float>scores[i]
        col = 1
        for off in range(-STACK_RADIUS, STACK_RADIUS + 1):
            if off == 0:
                continue
            row[col] = <float>scores[i + off] if 0 <= i + off < n else -1.0
            col += 1
        for k in range(3):
            radius = radii[k]
            lo = i - radius if i - radius > 0 else 0
            hi = i + radius + 1 if i + radius + 1 < n else n
            row[col] = <float>((running[hi] - running[lo]) / <double>(hi - lo))
            col += 1
        row[col] = <float>page_mean
        row[col + 1] = <float>page_max
        b = block_of[i]
        row[col + 3] = <float>(block_sum[b] / block_count[b])
        for k in range(N_STACK_KEEP):
            row[col + 4 + k] = features[i * feature_width + STACK_KEEP_COLUMN[k]]
    free(running)
    free(block_sum)
    free(block_count)
    return 0


def stack_rows(const double[::1] scores, const float[:, ::1] features, block_of):
    """The second stage's rows (float32, STACK_NAMES) from the first stage's scores, the rows
    they were scored on and each line's block."""
    cdef Py_ssize_t n = scores.shape[0], i
    out = np.zeros((n, N_STACK), dtype=np.float32)
    if n == 0:
        return out
    if features.shape[0] != n or features.shape[1] < N_LINE:
        raise ValueError("one row of line features per score expected")
    blocks = np.ascontiguousarray(block_of, dtype=np.int32)
    if blocks.shape[0] != n or blocks.min() < 0:
        raise ValueError("one block per score expected")
    cdef int[::1] b = blocks
    cdef float[:, ::1] o = out
    cdef const long long[::1] order = np.argsort(scores).astype(np.int64)
    _stack_columns(&scores[0], n, &order[0], &features[0, 0], features.shape[1], &b[0],
                   int(blocks.max()) + 1, &o[0, 0])
    return out


def expected_f_keep(scores, words, double beta=1.0, double calibration=1.5):
    """A mask over the lines: the set with the highest expected F-beta (never empty), each
    score clipped to [0, 1] and raised to `calibration` read as the line's probability of
    being content, each line weighing its words (at least 1). The best set is a prefix of
    the lines by score (selection.py says why)."""
    cdef const double[::1] s = np.ascontiguousarray(scores, dtype=np.float64)
    cdef const double[::1] w = np.ascontiguousarray(words, dtype=np.float64)
    cdef Py_ssize_t n = s.shape[0], i, best = 0
    out = np.zeros(n, dtype=bool)
    if n == 0:
        return out
    if w.shape[0] != n:
        raise ValueError("one word count per score expected")
    cdef double* mass = <double*>malloc(n * sizeof(double))
    cdef double* weight = <double*>malloc(n * sizeof(double))
    cdef _Ranked* ranked = <_Ranked*>malloc(n * sizeof(_Ranked))
    cdef double clipped, b2 = beta * beta, total, cum_mass = 0.0, cum_weight = 0.0
    cdef double expected, best_expected = 0.0
    cdef unsigned char[::1] keep = out.view(np.uint8)
    if mass == NULL or weight == NULL or ranked == NULL:
        free(mass)
        free(weight)
        free(ranked)
        raise MemoryError()
    for i in range(n):
        clipped = s[i]
        if clipped < 0.0:
            clipped = 0.0
        elif clipped > 1.0:
            clipped = 1.0
        weight[i] = w[i] if w[i] > 1.0 else 1.0
        mass[i] = c_pow(clipped, calibration) * weight[i]
        # Sorted by the scores themselves, highest first (ties in line order): the
        # stretch keeps their order, except where it underflows two tiny scores to one zero.
        ranked[i].score = -clipped
        ranked[i].index = i
    qsort(ranked, n, sizeof(_Ranked), _by_score)
    total = _sum_f64(mass, n, 1)
    for i in range(n):
        cum_mass = cum_mass + mass[ranked[i].index]
        cum_weight = cum_weight + weight[ranked[i].index]
        expected = (1.0 + b2) * cum_mass / (cum_weight + b2 * total)
        if i == 0 or expected > best_expected:
            best, best_expected = i, expected
    for i in range(best + 1):
        keep[ranked[i].index] = 1
    free(mass)
    free(weight)
    free(ranked)
    return out


cdef class Scored:
    """One pass's lines as the content model saw them: the sequence, its rows and each
    line's score (the second stage's when the model has one)."""

    cdef readonly Sequence sequence
    cdef readonly object rows
    cdef readonly object scores


cdef class LineModel:
    """A content model's work on one pass of a page, in one call (`score`): the kept
    sequence, each line's row (its line features, the DOM's view of it in HTML mode, the
    lexicon's odds), the first stage's trees, the second stage's rows and trees."""

    cdef WordTable words
    cdef LexiconTable lexicon
    cdef LexiconTable line_odds
    cdef bint pairs
    cdef object first
    cdef object second
    cdef QuickScorer first_fast
    cdef QuickScorer second_fast
    cdef readonly int dom_width
    cdef readonly int width

    def __cinit__(self, WordTable words, first, second, int dom_width,
                  LexiconTable lexicon=None, LexiconTable line_odds=None, bint pairs=False):
        if (lexicon is None) != (line_odds is None):
            raise ValueError("a lexicon has both word and line odds")
        self.words = words
        self.first = first
        self.second = second
        self.first_fast = first.quickscorer
        self.second_fast = second.quickscorer if second is not None else None
        self.dom_width = dom_width
        self.lexicon = lexicon
        self.line_odds = line_odds
        self.pairs = pairs
        self.width = N_LINE + dom_width + (N_LEXICON if lexicon is not None else 0)

    def score(self, list lines, list dropped, dom=None, origin=None, LineMemo memo=None):
        """The page's kept lines scored, or None when none is left. `origin` gives each
        line's original number; in HTML mode `dom` holds a row for each of the document's
        original lines. With a `memo` (the document's, see LineMemo), lines read on an
        earlier pass are taken from it."""
        cdef Sequence seq = kept_sequence(lines, dropped)
        cdef Py_ssize_t n = seq.n, r, k, o
        cdef double[::1] first
        cdef float[:, ::1] stacked_view
        cdef const long long[::1] ranks
        cdef Py_ssize_t* original = NULL
        if n == 0:
            return None
        if memo is not None:
            if origin is None:
                raise ValueError("a memo needs each line's original number")
            if memo.owner is None:
                memo.owner = self
            elif memo.owner is not self:
                memo = None  # it holds another model's odds
        if memo is not None:
            original = <Py_ssize_t*>malloc(n * sizeof(Py_ssize_t))
            if original == NULL:
                raise MemoryError()
            for r in range(n):
                original[r] = <Py_ssize_t>(<list>origin)[seq._index[r]]
                if not 0 <= original[r] < memo.n:
                    free(original)
                    raise ValueError("an original line number past the memo's lines")
        try:
            text = _analyse(seq.lines, self.words, self.lexicon, self.line_odds, self.pairs,
                            memo, original)
        finally:
            free(original)
        rows = np.zeros((n, self.width), dtype=np.float32)
        cdef float[:, ::1] x = rows
        cdef const float[:, ::1] d
        _line_columns(seq, <_Analysis>text, &x[0, 0], self.width)
        if self.dom_width:
            if dom is None or origin is None:
                raise ValueError("an HTML model needs the DOM's rows")
            d = dom
            if d.shape[1] != self.dom_width:
                raise ValueError("DOM rows of the model's width expected")
            for r in range(n):
                o = <Py_ssize_t>(<list>origin)[seq._index[r]]
                for k in range(self.dom_width):
                    x[r, N_LINE + k] = d[o, k]
        if self.lexicon is not None:
            _lexicon_columns(<_Analysis>text, &x[0, 0], self.width, N_LINE + self.dom_width)
        scores = self._scores(self.first_fast, self.first, rows)
        if self.second is not None:
            stacked = np.zeros((n, N_STACK), dtype=np.float32)
            stacked_view = stacked
            first = scores
            order = np.argsort(scores).astype(np.int64)
            ranks = order
            _stack_columns(&first[0], n, &ranks[0], &x[0, 0], self.width, seq._block_of,
                           seq.blocks, &stacked_view[0, 0])
            scores = self._scores(self.second_fast, self.second, stacked)
        cdef Scored out = Scored.__new__(Scored)
        out.sequence = seq
        out.rows = rows
        out.scores = scores
        return out

    cdef object _scores(self, QuickScorer fast, forest, rows):
        if fast is not None:
            return fast.scores(rows)
        return forest.predict(rows)
