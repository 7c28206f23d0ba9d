# The lexicon as a C hash table.
#
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
