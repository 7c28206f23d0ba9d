# The lexicon's odds of a line's words and word pairs, and of the line whole.

cdef struct _Odds:
    Py_ssize_t total  # tokens looked up
    Py_ssize_t known  # of them, those the lexicon knows
    double acc
    double lo
    double hi


cdef inline void _add_odds(_Odds* o, bint found, double odds) noexcept:
    o.total += 1
    if not found:
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


cdef inline void _write_odds(const _Odds* o, bint has_line, double line_odds,
                             float* v) noexcept:
    """The six per-line lexicon columns: the mean, minimum and maximum odds of the known
    tokens, their share of the tokens, the whole line's odds and whether it has them."""
    if o.known:
        v[0] = <float>(o.acc / o.known)
        v[1] = <float>o.lo
        v[2] = <float>o.hi
        v[3] = <float>((<double>o.known) / o.total)
    else:
        v[0] = v[1] = v[2] = v[3] = 0.0
    v[4] = <float>line_odds if has_line else 0.0
    v[5] = 1.0 if has_line else 0.0


cdef Py_ssize_t _lexicon_keys(bint pairs, int kind, const void* data,
                              const Py_ssize_t* spans, Py_ssize_t n_spans,
                              _Hash* out) noexcept:
    """The fingerprints of a line's lexicon keys into `out` (room for 2 * n_spans): its
    tokens of two characters or more (`spans`: start and end of each in the folded line),
    their digit runs read as 0, the words first, then (with `pairs`) each adjacent pair of
    them: the order of `_lexicon_words`, which keeps the odds' sum in the same order (and so
    its rounding). Returns how many."""
    cdef Py_ssize_t j, k = 0
    for j in range(n_spans):
        _start(&out[k])
        _feed_span(&out[k], kind, data, spans[2 * j], spans[2 * j + 1], True)
        k += 1
    if pairs and n_spans > 1:
        for j in range(1, n_spans):
            out[k] = out[j - 1]
            _feed(&out[k], u' ')
            _feed_span(&out[k], kind, data, spans[2 * j], spans[2 * j + 1], True)
            k += 1
    return k


def lexicon_words(list tokens, bint pairs):
    """A line's lexicon tokens from its `\\w+` runs: those of two characters or more, each
    number as 0, then (with `pairs`) each adjacent pair joined by a space."""
    cdef list words = [_zero_digits(<str>t) for t in tokens if len(<str>t) > 1]
    cdef Py_ssize_t i, n = len(words)
    if pairs and n > 1:
        for i in range(n - 1):
            words.append(<str>words[i] + " " + <str>words[i + 1])
    return words


def short_line_key(str key, Py_ssize_t max_words):
    """The whole-line key of a line of 1 to `max_words` words, from its words joined by one
    space (`fold_words`' keys): each number as 0; None for other lines."""
    if not key or key.count(" ") + 1 > max_words:
        return None
    return _zero_digits(key)
