# The content models' feature rows: each line's own features, its neighbours', its position
# and its page's, and the lexicon's odds.
#
# A line alone says little ("Related" and "Why did it fail?" are both short); its neighbours
# and its page say the rest. The columns and their order are the models' contract: the names
# below are stored beside the trees and checked when a model loads. The values are those of
# the numpy code the models were fitted on (tests/reference_rows.py), bit for bit: float32
# where numpy computed in float32, its summation order where it summed (numeric.pxi).

from libc.math cimport log1p, log1pf

# What `_line_values` (lines.pxi) writes of each line, in order.
LINE_VALUES = (
    "log_words", "log_chars", "mean_word_len", "terminal", "colon_end", "stop_ratio",
    "title_ratio", "all_caps", "digit_ratio", "punct_ratio", "commas_per_word", "urlish",
    "separators", "bullet", "sentences", "long", "chrome_ratio", "has_date", "starts_lower",
    "tabs", "question", "price",
)
if len(LINE_VALUES) != N_VALUES:
    raise ImportError("_core: LINE_VALUES names each of _line_values' values")
# A line's own values (LINE_VALUES) with what its blank neighbours, repeats and
# block say, in the order the models were fitted on.
BASE = (
    *LINE_VALUES[:15], "blank_before", "blank_after", "log_repeat", "log_block_words",
    *LINE_VALUES[15:19], "chars_vs_max", "log_block_lines", "log_prev_block_words",
    "log_next_block_words", *LINE_VALUES[19:],
)
NEIGHBOUR = ("log_words", "terminal", "stop_ratio", "title_ratio", "punct_ratio", "long",
             "chrome_ratio")
OFFSETS = (-3, -2, -1, 1, 2, 3)
POSITIONAL = ("pos_words", "pos_lines", "in_dense_run", "dist_dense_run", "win5_words",
              "win5_terminal", "win5_stop", "win10_words", "win10_terminal", "win10_chrome")
# Evidence of the page's type: products and listings are short lines with prices, forums
# carry dates and questions, documentation tables carry tabs. Every line sees the same values.
PAGE = ("page_log_words", "page_log_lines", "page_log_longest", "page_stop_rate",
        "page_terminal_share", "page_long_share", "page_short_share", "page_price_share",
        "page_date_share", "page_question_share", "page_tab_share", "page_bullet_share",
        "page_repeat_share", "page_title_mean", "page_block_count")
FEATURE_NAMES = (BASE + tuple(f"{name}@{off:+d}" for off in OFFSETS for name in NEIGHBOUR)
                 + POSITIONAL + PAGE)
LEXICON_NAMES = ("lex_mean", "lex_min", "lex_max", "lex_known", "lex_line", "lex_line_known",
                 "lex_mean@-1", "lex_mean@+1", "lex_win5")
# A line of this many characters or more is long.
cdef Py_ssize_t _LONG_LINE_CHARS = 70
# Lines of up to this many words are looked up whole in the lexicon ("Add to cart").
cdef Py_ssize_t _MAX_LINE_WORDS = 8
# Lines each side averaged into `lex_win5`: a menu is a run of chrome words, not one line.
cdef int _LEXICON_WINDOW = 5
# The page's language is read from its first this many words.
cdef Py_ssize_t _LANGUAGE_SAMPLE = 400
LONG_LINE_CHARS = _LONG_LINE_CHARS
MAX_LINE_WORDS = _MAX_LINE_WORDS
LEXICON_WINDOW = _LEXICON_WINDOW
LANGUAGE_SAMPLE = _LANGUAGE_SAMPLE

cdef int N_BASE = len(BASE), N_NEIGHBOUR = len(NEIGHBOUR), N_OFFSETS = len(OFFSETS)
cdef int N_LINE = len(FEATURE_NAMES), N_LEXICON = len(LEXICON_NAMES)
cdef int POS0 = N_BASE + N_NEIGHBOUR * N_OFFSETS
cdef int PAGE0 = POS0 + len(POSITIONAL)
# Where each of `LINE_VALUES` goes in BASE, and which BASE columns the neighbours copy.
cdef int VALUE_COLUMN[32]
for _k, _name in enumerate(LINE_VALUES):
    VALUE_COLUMN[_k] = BASE.index(_name)
cdef int NEIGHBOUR_COLUMN[16]
for _k, _name in enumerate(NEIGHBOUR):
    NEIGHBOUR_COLUMN[_k] = BASE.index(_name)
cdef int OFFSET[8]
for _k, _off in enumerate(OFFSETS):
    OFFSET[_k] = _off
cdef int B_LOG_WORDS = BASE.index("log_words"), B_TERMINAL = BASE.index("terminal")
cdef int B_STOP = BASE.index("stop_ratio"), B_CHROME = BASE.index("chrome_ratio")
cdef int B_LONG = BASE.index("long"), B_PRICE = BASE.index("price")
cdef int B_DATE = BASE.index("has_date"), B_QUESTION = BASE.index("question")
cdef int B_TABS = BASE.index("tabs"), B_BULLET = BASE.index("bullet")
cdef int B_TITLE = BASE.index("title_ratio"), B_REPEAT = BASE.index("log_repeat")
cdef int B_BLANK_BEFORE = BASE.index("blank_before"), B_BLANK_AFTER = BASE.index("blank_after")
cdef int B_BLOCK_WORDS = BASE.index("log_block_words")
cdef int B_CHARS_VS_MAX = BASE.index("chars_vs_max")
cdef int B_BLOCK_LINES = BASE.index("log_block_lines")
cdef int B_PREV_BLOCK = BASE.index("log_prev_block_words")
cdef int B_NEXT_BLOCK = BASE.index("log_next_block_words")
cdef int V_WORDS = LINE_VALUES.index("log_words"), V_CHARS = LINE_VALUES.index("log_chars")
cdef int V_STOP = LINE_VALUES.index("stop_ratio")
if tuple(PAGE) != ("page_log_words", "page_log_lines", "page_log_longest", "page_stop_rate",
                   "page_terminal_share", "page_long_share", "page_short_share",
                   "page_price_share", "page_date_share", "page_question_share",
                   "page_tab_share", "page_bullet_share", "page_repeat_share",
                   "page_title_mean", "page_block_count") \
        or tuple(POSITIONAL)[:4] != ("pos_words", "pos_lines", "in_dense_run",
                                     "dist_dense_run"):
    raise ImportError("_core: the page and positional columns are written in this order")


cdef class _Analysis:
    """A sequence's lines read once, as the line features and the lexicon read them: each
    line casefolded, its `\\w+` runs (tokens) counted and looked up (stoplists, chrome words,
    the lexicon's odds), its words joined by one space as the key of repeats and of whole-line
    odds. The page's language is the one whose stopwords its first words hit most."""

    cdef Py_ssize_t n
    cdef double* values  # n x N_VALUES: LINE_VALUES (log_words, log_chars still counts)
    cdef int* repeats  # how many of the lines share each line's key
    cdef float* odds  # n x 6: the lexicon's own columns of each line
    cdef int language

    def __dealloc__(self):
        free(self.values)
        free(self.repeats)
        free(self.odds)


cdef struct _Key:
    uint64_t a
    uint64_t b
    Py_ssize_t line


cdef class LineMemo:
    """What one reading of a document's line found that depends on the line's text alone
    (its tokens' bits, its own values but the stopword count, its lexicon odds, its key), by
    original line number: a later pass of the fixed point reads the same
    texts again, and takes these instead (`LineModel.score`). A memo serves one LineModel."""

    cdef Py_ssize_t n
    cdef list texts  # each line's text as read (None: not read yet)
    cdef double* values  # n x N_VALUES
    cdef float* odds  # n x 6
    cdef _Key* keys
    cdef int* chars
    cdef int* chrome
    cdef Py_ssize_t* bits_at  # each line's first token in `bits`, and how many
    cdef Py_ssize_t* bits_len
    cdef uint64_t* bits
    cdef Py_ssize_t bits_used, bits_capacity
    cdef object owner  # the LineModel it serves

    def __cinit__(self, Py_ssize_t lines):
        cdef Py_ssize_t size = lines if lines > 0 else 1
        self.n = lines
        self.texts = [None] * lines
        self.values = <double*>malloc(size * N_VALUES * sizeof(double))
        self.odds = <float*>malloc(size * 6 * sizeof(float))
        self.keys = <_Key*>malloc(size * sizeof(_Key))
        self.chars = <int*>malloc(size * sizeof(int))
        self.chrome = <int*>malloc(size * sizeof(int))
        self.bits_at = <Py_ssize_t*>malloc(size * sizeof(Py_ssize_t))
        self.bits_len = <Py_ssize_t*>malloc(size * sizeof(Py_ssize_t))
        self.bits_capacity = 256
        self.bits = <uint64_t*>malloc(self.bits_capacity * sizeof(uint64_t))
        if not (self.values and self.odds and self.keys and self.chars and self.chrome
                and self.bits_at and self.bits_len and self.bits):
            raise MemoryError()

    def __dealloc__(self):
        free(self.values)
        free(self.odds)
        free(self.keys)
        free(self.chars)
        free(self.chrome)
        free(self.bits_at)
        free(self.bits_len)
        free(self.bits)

    cdef int _keep_bits(self, Py_ssize_t line, const uint64_t* bits, Py_ssize_t n) except -1:
        if self.bits_used + n > self.bits_capacity:
            self.bits_capacity = 2 * (self.bits_used + n) + 64
            self.bits = <uint64_t*>_grow(self.bits, self.bits_capacity * sizeof(uint64_t))
        memcpy(&self.bits[self.bits_used], bits, n * sizeof(uint64_t))
        self.bits_at[line] = self.bits_used
        self.bits_len[line] = n
        self.bits_used += n
        return 0


cdef int _count_repeats(_Key* keys, Py_ssize_t n, int* repeats) except -1:
    """How many keys equal each key: an open-addressing count over the fingerprints."""
    cdef Py_ssize_t size = 16, i, slot
    while size < 2 * n + 2:
        size *= 2
    cdef Py_ssize_t* table = <Py_ssize_t*>malloc(size * sizeof(Py_ssize_t))
    cdef int* counts = <int*>calloc(n + 1, sizeof(int))
    cdef Py_ssize_t* first = <Py_ssize_t*>malloc((n + 1) * sizeof(Py_ssize_t))
    if table == NULL or counts == NULL or first == NULL:
        free(table)
        free(counts)
        free(first)
        raise MemoryError()
    for slot in range(size):
        table[slot] = -1
    for i in range(n):
        slot = (_mix(keys[i].a) or 1) & (size - 1)
        while table[slot] >= 0 and not (keys[table[slot]].a == keys[i].a
                                         and keys[table[slot]].b == keys[i].b):
            slot = (slot + 1) & (size - 1)
        if table[slot] < 0:
            table[slot] = i
        first[i] = table[slot]
        counts[table[slot]] += 1
    for i in range(n):
        repeats[i] = counts[first[i]]
    free(table)
    free(counts)
    free(first)
    return 0


cdef _Analysis _analyse(list lines, WordTable words, LexiconTable lexicon,
                        LexiconTable line_odds, bint pairs, LineMemo memo=None,
                        const Py_ssize_t* origin=NULL):
    """Read the lines (`lexicon` None: no lexicon columns); with a `memo` (and each line's
    original number in `origin`), take a line read before from it, and keep what is read."""
    cdef _Analysis out = _Analysis.__new__(_Analysis)
    cdef Py_ssize_t n = len(lines), r, i, j, m, start, tok_chars, n_chrome, n_spans, n_keys = 0
    cdef Py_ssize_t n_words, tokens = 0, capacity = 256, spans_capacity = 64
    cdef Py_ssize_t seen, best, best_hits, lang, n_stop, at
    cdef object seen_text
    cdef int kind
    cdef const void* data
    cdef Py_UCS4 c
    cdef str f
    cdef _Hash h, plain, zeroed
    cdef uint64_t bits
    cdef double odds = 0.0
    cdef bint has_line, inside, found
    cdef _Odds o
    cdef Py_ssize_t counts[64]
    out.n = n
    size = n if n else 1
    out.values = <double*>calloc(size * N_VALUES, sizeof(double))
    out.repeats = <int*>malloc(size * sizeof(int))
    if lexicon is not None:
        out.odds = <float*>calloc(size * 6, sizeof(float))
    cdef _Key* keys = <_Key*>malloc(size * sizeof(_Key))
    cdef uint64_t* token_bits = <uint64_t*>malloc(capacity * sizeof(uint64_t))
    cdef Py_ssize_t* line_tokens = <Py_ssize_t*>malloc((size + 1) * sizeof(Py_ssize_t))
    cdef int* line_chars = <int*>malloc(size * sizeof(int))
    cdef int* line_chrome = <int*>malloc(size * sizeof(int))
    cdef Py_ssize_t* spans = <Py_ssize_t*>malloc(2 * spans_capacity * sizeof(Py_ssize_t))
    cdef _Hash* hashes = <_Hash*>malloc(capacity * sizeof(_Hash))
    cdef _Hash* lexicon_hashes = <_Hash*>malloc(2 * spans_capacity * sizeof(_Hash))
    try:
        if out.values == NULL or out.repeats == NULL or keys == NULL or token_bits == NULL \
                or line_tokens == NULL or line_chars == NULL or line_chrome == NULL \
                or spans == NULL or hashes == NULL or lexicon_hashes == NULL \
                or (lexicon is not None and out.odds == NULL):
            raise MemoryError()
        for r in range(n):
            line_tokens[r] = tokens
            if memo is not None:
                at = origin[r]
                seen_text = memo.texts[at]
                if seen_text is not None and (seen_text is lines[r] or seen_text == lines[r]):
                    # Read on an earlier pass: the same text says the same.
                    m = memo.bits_len[at]
                    if tokens + m >= capacity:
                        capacity = 2 * (tokens + m) + 16
                        token_bits = <uint64_t*>_grow(token_bits, capacity * sizeof(uint64_t))
                        hashes = <_Hash*>_grow(hashes, capacity * sizeof(_Hash))
                    memcpy(&token_bits[tokens], &memo.bits[memo.bits_at[at]],
                           m * sizeof(uint64_t))
                    tokens += m
                    line_chars[r] = memo.chars[at]
                    line_chrome[r] = memo.chrome[at]
                    keys[r] = memo.keys[at]
                    memcpy(&out.values[r * N_VALUES], &memo.values[at * N_VALUES],
                           N_VALUES * sizeof(double))
                    if lexicon is not None:
                        memcpy(&out.odds[r * 6], &memo.odds[at * 6], 6 * sizeof(float))
                    continue
            f = (<str>lines[r]).casefold()
            kind = PyUnicode_KIND(f)
            data = PyUnicode_DATA(f)
            m = len(f)
            tok_chars = n_spans = 0
            # The tokens (their fingerprints, as written), and the spans of those the
            # lexicon reads.
            if tokens + m >= capacity:
                capacity = 2 * (tokens + m) + 16
                token_bits = <uint64_t*>_grow(token_bits, capacity * sizeof(uint64_t))
                hashes = <_Hash*>_grow(hashes, capacity * sizeof(_Hash))
            if m + 1 > spans_capacity:
                spans_capacity = 2 * m + 16
                spans = <Py_ssize_t*>_grow(spans, 2 * spans_capacity * sizeof(Py_ssize_t))
                lexicon_hashes = <_Hash*>_grow(lexicon_hashes,
                                               2 * spans_capacity * sizeof(_Hash))
            i = 0
            while i < m:
                if not is_word(PyUnicode_READ(kind, data, i)):
                    i += 1
                    continue
                start = i
                i += 1
                while i < m and is_word(PyUnicode_READ(kind, data, i)):
                    i += 1
                _start(&hashes[tokens])
                _feed_span(&hashes[tokens], kind, data, start, i, False)
                words._prefetch(&hashes[tokens])
                tokens += 1
                tok_chars += i - start
                if lexicon is not None and i - start > 1:
                    spans[2 * n_spans] = start
                    spans[2 * n_spans + 1] = i
                    n_spans += 1
            line_chars[r] = <int>tok_chars
            # The key: the words (split on spaces) joined by one space, as is and with each
            # run of digits as 0 (the whole-line lexicon's key, for lines of a few words).
            _start(&plain)
            _start(&zeroed)
            n_words = 0
            inside = False
            i = 0
            while i < m:
                c = PyUnicode_READ(kind, data, i)
                if is_space(c):
                    inside = False
                    i += 1
                    continue
                if not inside:
                    inside = True
                    if n_words:
                        _feed(&plain, u' ')
                        _feed(&zeroed, u' ')
                    n_words += 1
                start = i
                while i < m and not is_space(PyUnicode_READ(kind, data, i)):
                    i += 1
                _feed_span(&plain, kind, data, start, i, False)
                _feed_span(&zeroed, kind, data, start, i, True)
            keys[r].a = plain.a
            keys[r].b = plain.b
            if lexicon is not None:
                n_keys = _lexicon_keys(pairs, kind, data, spans, n_spans, lexicon_hashes)
                for j in range(n_keys):
                    lexicon._prefetch(&lexicon_hashes[j])
                has_line = 1 <= n_words <= _MAX_LINE_WORDS
                if has_line:
                    line_odds._prefetch(&zeroed)
            # The lookups, their slots on their way.
            n_chrome = 0
            for j in range(line_tokens[r], tokens):
                bits = words._bits(&hashes[j])
                token_bits[j] = bits
                n_chrome += (bits & CHROME) != 0
            line_chrome[r] = <int>n_chrome
            if lexicon is not None:
                o.total = o.known = 0
                o.acc = o.lo = o.hi = 0.0
                for j in range(n_keys):
                    found = lexicon._odds(&lexicon_hashes[j], &odds)
                    _add_odds(&o, found, odds)
                has_line = has_line and line_odds._odds(&zeroed, &odds)
                _write_odds(&o, has_line, odds, &out.odds[r * 6])
            # The line's own values; its stopword count waits for the page's language.
            _line_values(<str>lines[r], f, tokens - line_tokens[r], tok_chars, 0, n_chrome,
                         _LONG_LINE_CHARS, &out.values[r * N_VALUES])
            if memo is not None:
                at = origin[r]
                memo.texts[at] = lines[r]
                memo.chars[at] = line_chars[r]
                memo.chrome[at] = line_chrome[r]
                memo.keys[at] = keys[r]
                memcpy(&memo.values[at * N_VALUES], &out.values[r * N_VALUES],
                       N_VALUES * sizeof(double))
                if lexicon is not None:
                    memcpy(&memo.odds[at * 6], &out.odds[r * 6], 6 * sizeof(float))
                memo._keep_bits(at, &token_bits[line_tokens[r]], tokens - line_tokens[r])
        line_tokens[n] = tokens
        # The language: the stoplist the first LANGUAGE_SAMPLE tokens hit most, ties to the
        # lower index; the first (English) when none is hit.
        for lang in range(64):
            counts[lang] = 0
        seen = tokens if tokens < _LANGUAGE_SAMPLE else _LANGUAGE_SAMPLE
        for i in range(seen):
            bits = token_bits[i] & ~CHROME
            lang = 0
            while bits:
                if bits & 1:
                    counts[lang] += 1
                bits >>= 1
                lang += 1
        best = best_hits = 0
        for lang in range(64):
            if counts[lang] > best_hits:
                best, best_hits = lang, counts[lang]
        out.language = <int>best
        for r in range(n):
            n_stop = 0
            for i in range(line_tokens[r], line_tokens[r + 1]):
                n_stop += (token_bits[i] >> best) & 1
            out.values[r * N_VALUES + V_STOP] = n_stop
        _count_repeats(keys, n, out.repeats)
    finally:
        free(keys)
        free(token_bits)
        free(line_tokens)
        free(line_chars)
        free(line_chrome)
        free(spans)
        free(hashes)
        free(lexicon_hashes)
    return out


cdef void* _grow(void* block, size_t size) except NULL:
    cdef void* grown = realloc(block, size)
    if grown == NULL:
        free(block)
        raise MemoryError()
    return grown


cdef int _line_columns(Sequence seq, _Analysis text, float* rows, Py_ssize_t width) except -1:
    """The line group of each row (FEATURE_NAMES, from column 0 of rows `width` wide)."""
    cdef Py_ssize_t n = seq.n, r, k, j, b, start, end, row_off
    cdef double* v
    cdef float* row
    cdef double chars_max = 0.0, stops_total = 0.0, total, run, best, g
    cdef long long words_total = 0, cum
    cdef int n_blocks = seq.blocks, best_start, best_end, run_start
    cdef float value, fidx, fdist, longest = 0.0
    cdef float* words32 = <float*>malloc((n if n else 1) * sizeof(float))
    cdef double* block_lines = <double*>calloc(n_blocks + 1, sizeof(double))
    cdef double* block_total = <double*>calloc(n_blocks + 1, sizeof(double))
    cdef Py_ssize_t short_lines = 0, tab_lines = 0, repeat_lines = 0
    if words32 == NULL or block_lines == NULL or block_total == NULL:
        free(words32)
        free(block_lines)
        free(block_total)
        raise MemoryError()
    # Each line's own values, its blank neighbours, repeats and block.
    for r in range(n):
        v = &text.values[r * N_VALUES]
        row = &rows[r * width]
        words32[r] = <float>v[V_WORDS]
        words_total += <long long>v[V_WORDS]
        stops_total += v[V_STOP]
        if v[V_CHARS] > chars_max:
            chars_max = v[V_CHARS]
        if words32[r] > longest:
            longest = words32[r]
        for k in range(N_VALUES):
            if k == V_STOP:
                value = <float>(v[V_STOP] / v[V_WORDS]) if v[V_WORDS] > 0 else 0.0
            elif k == V_WORDS or k == V_CHARS:
                value = <float>log1p(v[k])
            else:
                value = <float>v[k]
            row[VALUE_COLUMN[k]] = value
        row[B_BLANK_BEFORE] = 1.0 if seq._blank_before[r] else 0.0
        row[B_BLANK_AFTER] = 1.0 if seq._blank_after(r) else 0.0
        row[B_REPEAT] = <float>log1p(<double>text.repeats[r] - 1.0)
        row[B_BLOCK_WORDS] = <float>log1p(seq._block_words[r])
        b = seq._block_of[r]
        block_lines[b] += 1.0
        block_total[b] += <double>words32[r]
    chars_max = chars_max if chars_max > 1.0 else 1.0
    for r in range(n):
        row = &rows[r * width]
        b = seq._block_of[r]
        row[B_CHARS_VS_MAX] = <float>(text.values[r * N_VALUES + V_CHARS] / chars_max)
        row[B_BLOCK_LINES] = <float>log1p(block_lines[b])
        row[B_PREV_BLOCK] = <float>log1p(block_total[b - 1] if b > 0 else 0.0)
        row[B_NEXT_BLOCK] = <float>log1p(block_total[b + 1] if b + 1 < n_blocks else 0.0)
        short_lines += words32[r] <= 3.0
        tab_lines += row[B_TABS] > 0.0
        repeat_lines += row[B_REPEAT] > 0.0
    # The same features of the lines around (-1 past either end).
    for r in range(n):
        row = &rows[r * width]
        for j in range(N_OFFSETS):
            k = r + OFFSET[j]
            for b in range(N_NEIGHBOUR):
                row[N_BASE + j * N_NEIGHBOUR + b] = rows[k * width + NEIGHBOUR_COLUMN[b]] \
                    if 0 <= k < n else -1.0
    # Where the line stands: its share of the words before it, its index, the densest run of
    # long lines (short lines cost a little) and its distance from it, windows around it.
    total = <double>words_total
    best, best_start, best_end = -1.0, 0, -1
    run, run_start = 0.0, 0
    for r in range(n):
        g = <double>words32[r] if rows[r * width + B_LONG] > 0.0 \
            else <double>(-(<float>2.0 + <float>0.5 * words32[r]))
        if run <= 0.0:
            run, run_start = g, <int>r
        else:
            run += g
        if run > best:
            best, best_start, best_end = run, run_start, <int>r
    if best_end < best_start:
        best_end = best_start
    cum = 0
    for r in range(n):
        row = &rows[r * width]
        fidx = <float>r
        row[POS0] = (<float>cum / <float>total) if total else 0.0
        cum += <long long>words32[r]
        row[POS0 + 1] = fidx / <float>(n - 1 if n - 1 > 1 else 1)
        row[POS0 + 2] = 1.0 if best_start <= r <= best_end else 0.0
        if r < best_start:
            fdist = <float>best_start - fidx
        elif r > best_end:
            fdist = fidx - <float>best_end
        else:
            fdist = 0.0
        row[POS0 + 3] = log1pf(fdist)
    _window_mean(&rows[B_LOG_WORDS], n, width, 5, &rows[POS0 + 4], width)
    _window_mean(&rows[B_TERMINAL], n, width, 5, &rows[POS0 + 5], width)
    _window_mean(&rows[B_STOP], n, width, 5, &rows[POS0 + 6], width)
    _window_mean(&rows[B_LOG_WORDS], n, width, 10, &rows[POS0 + 7], width)
    _window_mean(&rows[B_TERMINAL], n, width, 10, &rows[POS0 + 8], width)
    _window_mean(&rows[B_CHROME], n, width, 10, &rows[POS0 + 9], width)
    # The page's columns, the same on every line.
    cdef float page[15]
    page[0] = <float>log1p(total)
    page[1] = <float>log1p(<double>n)
    page[2] = log1pf(longest)
    page[3] = <float>(stops_total / total) if total else 0.0
    page[4] = _mean_f32(&rows[B_TERMINAL], n, width)
    page[5] = _mean_f32(&rows[B_LONG], n, width)
    page[6] = <float>(<double>short_lines / <double>n)
    page[7] = _mean_f32(&rows[B_PRICE], n, width)
    page[8] = _mean_f32(&rows[B_DATE], n, width)
    page[9] = _mean_f32(&rows[B_QUESTION], n, width)
    page[10] = <float>(<double>tab_lines / <double>n)
    page[11] = _mean_f32(&rows[B_BULLET], n, width)
    page[12] = <float>(<double>repeat_lines / <double>n)
    page[13] = _mean_f32(&rows[B_TITLE], n, width)
    page[14] = <float>log1p(<double>n_blocks)
    for r in range(n):
        for k in range(15):
            rows[r * width + PAGE0 + k] = page[k]
    free(words32)
    free(block_lines)
    free(block_total)
    return 0


cdef void _lexicon_columns(_Analysis text, float* rows, Py_ssize_t width,
                           Py_ssize_t col) noexcept:
    """The lexicon group of each row (LEXICON_NAMES, from column `col`): the line's own six,
    the mean odds of the lines before and after it, and their mean around it."""
    cdef Py_ssize_t n = text.n, r, k
    cdef float* row
    for r in range(n):
        row = &rows[r * width + col]
        for k in range(6):
            row[k] = text.odds[r * 6 + k]
        row[6] = text.odds[(r - 1) * 6] if r > 0 else 0.0
        row[7] = text.odds[(r + 1) * 6] if r + 1 < n else 0.0
    _window_mean(&rows[col], n, width, _LEXICON_WINDOW, &rows[col + 8], width)


def line_rows(Sequence seq, WordTable words):
    """The line group of each line of `seq` (float32, FEATURE_NAMES)."""
    out = np.zeros((seq.n, N_LINE), dtype=np.float32)
    if seq.n == 0:
        return out
    cdef float[:, ::1] rows = out
    cdef _Analysis text = _analyse(seq.lines, words, None, None, False)
    _line_columns(seq, text, &rows[0, 0], N_LINE)
    return out


def lexicon_rows(list lines, WordTable words, LexiconTable lexicon, LexiconTable line_odds,
                 bint pairs):
    """The lexicon group of each line (float32, LEXICON_NAMES)."""
    out = np.zeros((len(lines), N_LEXICON), dtype=np.float32)
    if not lines:
        return out
    cdef float[:, ::1] rows = out
    cdef _Analysis text = _analyse(lines, words, lexicon, line_odds, pairs)
    _lexicon_columns(text, &rows[0, 0], N_LEXICON, 0)
    return out
