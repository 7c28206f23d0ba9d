# Word tables as fingerprints: the lexicon's odds, the stoplists' languages, chrome words.
#
# A page's words are looked up without building a string for each: a 128-bit fingerprint
# (two 64-bit hashes) of a word's code points, computed where the word stands in its line, is
# the key. A table holds each key's fingerprint, not the key: a false hit needs both hashes of
# a word to equal a key's, about 2^-128 per lookup, and the tests compare each table with the
# dict or set it was built from, on dev pages and generated lines. Checking the key's text
# instead cost a cache miss per hit: half the time of a lookup.

from libc.stdint cimport uint64_t
from libc.string cimport memcpy, memset

from cpython.ref cimport PyObject
from cpython.unicode cimport PyUnicode_AsUTF8AndSize

cdef extern from "Python.h":
    # float()'s own parser (NULL: an overflow reads as an infinity, as float() reads it)
    double PyOS_string_to_double(const char* s, char** endptr,
                                 PyObject* overflow_exception) except? -1.0

cdef extern from *:
    void __builtin_prefetch(const void* address)

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


cdef inline void _start(_Hash* h) noexcept:
    h.a = FNV_OFFSET
    h.b = ALT_OFFSET


cdef inline void _feed(_Hash* h, Py_UCS4 c) noexcept:
    h.a = (h.a ^ <uint64_t>c) * FNV_PRIME
    h.b = ((h.b ^ <uint64_t>c) * ALT_PRIME) ^ (h.b >> 29)


cdef inline void _feed_span(_Hash* h, int kind, const void* data, Py_ssize_t i,
                            Py_ssize_t end, bint zeroed) noexcept:
    """Feed code points i..end; with `zeroed`, each run of digits as one 0 (as
    `_zero_digits` writes it)."""
    cdef Py_UCS4 c
    while i < end:
        c = PyUnicode_READ(kind, data, i)
        i += 1
        if zeroed and is_decimal(c):
            c = u'0'
            while i < end and is_decimal(PyUnicode_READ(kind, data, i)):
                i += 1
        _feed(h, c)


cdef inline void _feed_text(_Hash* h, str text, bint zeroed) noexcept:
    _feed_span(h, PyUnicode_KIND(text), PyUnicode_DATA(text), 0, len(text), zeroed)


# How many keys ahead of the one being stored its home slot is fetched (`_claim_all`).
cdef Py_ssize_t PREFETCH_AHEAD = 16


cdef union _Payload:
    double odds
    uint64_t bits


cdef struct _Slot:
    uint64_t hash  # the first hash, mixed; 0: empty (a key whose hash is 0 is stored as 1)
    uint64_t check  # the second hash, mixed
    _Payload payload


cdef class _Fingerprints:
    """An open-addressing table of fingerprints, one slot read per probe."""

    cdef _Slot* _slots
    cdef Py_ssize_t _mask
    cdef readonly Py_ssize_t size

    cdef int _allocate(self, Py_ssize_t keys) except -1:
        cdef Py_ssize_t size = 16
        while size < 2 * keys + 2:
            size *= 2
        self._mask = size - 1
        # calloc: a large block comes zeroed from the system, no pass over it here
        self._slots = <_Slot*>calloc(size, sizeof(_Slot))
        if self._slots == NULL:
            raise MemoryError()
        return 0

    def __dealloc__(self):
        free(self._slots)

    cdef _Slot* _slot(self, _Hash* h) noexcept:
        """The key's slot: its own when the table holds it, else an empty one."""
        cdef uint64_t a = _mix(h.a) or 1
        cdef uint64_t b = _mix_alt(h.b)
        cdef Py_ssize_t slot = a & self._mask
        while self._slots[slot].hash != 0:
            if self._slots[slot].hash == a and self._slots[slot].check == b:
                return &self._slots[slot]
            slot = (slot + 1) & self._mask
        return &self._slots[slot]

    cdef _Slot* _store(self, str key) noexcept:
        """The key's slot, claimed (a new key's payload is zero)."""
        return self._store_span(PyUnicode_KIND(key), PyUnicode_DATA(key), 0, len(key))

    cdef _Slot* _store_span(self, int kind, const void* data, Py_ssize_t start,
                            Py_ssize_t end) noexcept:
        """`_store` for the key that is code points start..end of a text."""
        cdef _Hash h
        _start(&h)
        _feed_span(&h, kind, data, start, end, False)
        cdef _Slot* slot = self._slot(&h)
        if slot.hash == 0:
            slot.hash = _mix(h.a) or 1
            slot.check = _mix_alt(h.b)
            self.size += 1
        return slot

    cdef _Slot** _claim_all(self, const _Hash* keys, Py_ssize_t n) except NULL:
        """Each key's slot, claimed, in the keys' order (the table as n `_store` calls leave
        it). Built at start-up from tens of thousands of keys, the table's slots are cache
        misses; each key's home slot is fetched PREFETCH_AHEAD keys before it is claimed.
        The caller frees the array."""
        cdef _Slot** slots = <_Slot**>malloc((n if n > 0 else 1) * sizeof(_Slot*))
        cdef Py_ssize_t i
        cdef _Slot* slot
        if slots == NULL:
            raise MemoryError()
        for i in range(min(n, PREFETCH_AHEAD)):
            self._prefetch(<_Hash*>&keys[i])
        for i in range(n):
            if i + PREFETCH_AHEAD < n:
                self._prefetch(<_Hash*>&keys[i + PREFETCH_AHEAD])
            slot = self._slot(<_Hash*>&keys[i])
            if slot.hash == 0:
                slot.hash = _mix(keys[i].a) or 1
                slot.check = _mix_alt(keys[i].b)
                self.size += 1
            slots[i] = slot
        return slots

    cdef inline void _prefetch(self, _Hash* h) noexcept:
        """Start reading the key's home slot: a line's lookups are issued together, so that
        the table's cache misses overlap."""
        __builtin_prefetch(&self._slots[(_mix(h.a) or 1) & self._mask])

    cdef inline const _Slot* _find(self, _Hash* h) noexcept:
        """The key's slot, or NULL when the table does not hold it."""
        cdef _Slot* slot = self._slot(h)
        return slot if slot.hash != 0 else NULL


cdef class LexiconTable(_Fingerprints):
    """Keys and their odds (a lexicon's words, or its whole short lines: `Lexicon.words`,
    `Lexicon.lines`). A key is looked up with its digit runs read as one 0, as the lexicon
    stores it."""

    def __cinit__(self, odds):
        """`odds`: a dict, or the packed form a model file holds (`lexicon._packed`): the
        keys one a line, and their odds as float reprs separated by spaces (read here without
        a Python object per key) or as a float64 array (the read-ahead's)."""
        if isinstance(odds, dict):
            self._allocate(len(odds))
            for key, value in (<dict>odds).items():
                self._store(<str?>key).payload.odds = <double?>value
        else:
            keys, values = <tuple?>odds
            self._packed(<str?>keys, read_odds(<str>values) if isinstance(values, str)
                         else values)

    cdef int _packed(self, str keys, const double[::1] values) except -1:
        cdef int kind = PyUnicode_KIND(keys)
        cdef const void* data = PyUnicode_DATA(keys)
        cdef Py_ssize_t n = len(keys), count = 0, i, start = 0, k = 0
        if n:
            count = 1
            for i in range(n):
                if PyUnicode_READ(kind, data, i) == 10:
                    count += 1
        if count != values.shape[0]:
            raise ValueError("a lexicon's keys and odds differ in number")
        self._allocate(count)
        if n == 0:
            return 0
        cdef _Hash* hashes = <_Hash*>malloc(count * sizeof(_Hash))
        cdef _Slot** slots
        if hashes == NULL:
            raise MemoryError()
        try:
            for i in range(n + 1):
                if i < n and PyUnicode_READ(kind, data, i) != 10:
                    continue
                _start(&hashes[k])
                _feed_span(&hashes[k], kind, data, start, i, False)
                k += 1
                start = i + 1
            slots = self._claim_all(hashes, count)
            for k in range(count):
                slots[k].payload.odds = values[k]
            free(slots)
        finally:
            free(hashes)
        return 0


    cdef inline bint _odds(self, _Hash* h, double* odds) noexcept:
        cdef const _Slot* slot = self._find(h)
        if slot == NULL:
            return False
        odds[0] = slot.payload.odds
        return True

    def get(self, str first, str second=None):
        """The odds of a key (of the pair `first second`, given a `second`), or None: for
        tests."""
        cdef _Hash h
        cdef double odds
        _start(&h)
        _feed_text(&h, first, True)
        if second is not None:
            _feed(&h, u' ')
            _feed_text(&h, second, True)
        if self._odds(&h, &odds):
            return odds
        return None


# A word's bits in a WordTable: the stoplists it is on (bit k: language k), and CHROME.
cdef int MAX_STOPLISTS = 63
cdef uint64_t CHROME = (<uint64_t>1) << 63


cdef class WordTable(_Fingerprints):
    """Casefolded words and what they are: which languages' stoplists hold them (the page's
    language is the one whose stopwords its first words hit most), and whether site chrome is
    made of them (`features.CHROME_WORDS`). Looked up as written, digits and all."""

    cdef readonly int languages

    def __cinit__(self, tuple stoplists, frozenset chrome):
        """`stoplists`: each language's words, in the languages' order: a frozenset, or a
        text of one word a line (its lines as `str.splitlines` gives them, read here without
        a Python object per word)."""
        cdef Py_ssize_t lang, keys = len(chrome)
        cdef uint64_t bit
        if len(stoplists) > MAX_STOPLISTS:
            raise ValueError(f"at most {MAX_STOPLISTS} stoplists")
        for words in stoplists:
            keys += (_line_count(<str>words) if isinstance(words, str)
                     else len(<frozenset?>words))
        self._allocate(keys)
        self.languages = <int>len(stoplists)
        for lang in range(len(stoplists)):
            bit = (<uint64_t>1) << lang
            if isinstance(stoplists[lang], str):
                self._store_lines(<str>stoplists[lang], bit)
                continue
            for word in <frozenset>stoplists[lang]:
                self._store(<str?>word).payload.bits |= bit
        for word in chrome:
            self._store(<str?>word).payload.bits |= CHROME

    cdef int _store_lines(self, str text, uint64_t bit) except -1:
        """Each line of `text` (as `str.splitlines` splits) stored with `bit`."""
        cdef int kind = PyUnicode_KIND(text)
        cdef const void* data = PyUnicode_DATA(text)
        cdef Py_ssize_t n = len(text), start = 0, end, following, i, k = 0
        cdef Py_ssize_t count = _line_count(text)
        cdef _Hash* hashes = <_Hash*>malloc((count if count > 0 else 1) * sizeof(_Hash))
        cdef _Slot** slots
        if hashes == NULL:
            raise MemoryError()
        try:
            while start < n:
                end = _line_end(kind, data, n, start, &following)
                _start(&hashes[k])
                _feed_span(&hashes[k], kind, data, start, end, False)
                k += 1
                start = following
            slots = self._claim_all(hashes, k)
            for i in range(k):
                slots[i].payload.bits |= bit
            free(slots)
        finally:
            free(hashes)
        return 0

    cdef inline uint64_t _bits(self, _Hash* h) noexcept:
        cdef const _Slot* slot = self._find(h)
        return slot.payload.bits if slot != NULL else 0

    def language(self, list lines, Py_ssize_t sample):
        """(language, hits): the stoplist that the first `sample` `\\w+` runs of the
        casefolded lines hit most, ties to the lower index; (0, 0) when none is hit. Reads
        only as many lines as the sample needs."""
        cdef Py_ssize_t counts[64]
        cdef Py_ssize_t seen = 0, i, m, start, best = 0, best_hits = 0, lang
        cdef uint64_t bits
        cdef int kind
        cdef const void* data
        cdef str f
        cdef _Hash h
        for lang in range(64):
            counts[lang] = 0
        for line in lines:
            if seen >= sample:
                break
            f = (<str>line).casefold()
            kind = PyUnicode_KIND(f)
            data = PyUnicode_DATA(f)
            m = len(f)
            i = 0
            while i < m and seen < sample:
                if not is_word(PyUnicode_READ(kind, data, i)):
                    i += 1
                    continue
                start = i
                while i < m and is_word(PyUnicode_READ(kind, data, i)):
                    i += 1
                seen += 1
                _start(&h)
                _feed_span(&h, kind, data, start, i, False)
                bits = self._bits(&h) & ~CHROME
                lang = 0
                while bits:
                    if bits & 1:
                        counts[lang] += 1
                    bits >>= 1
                    lang += 1
        for lang in range(64):
            if counts[lang] > best_hits:
                best, best_hits = lang, counts[lang]
        return best, best_hits

    def stoplists(self, str word):
        """The languages whose stoplists hold `word` (for tests)."""
        cdef _Hash h
        _start(&h)
        _feed_text(&h, word, False)
        cdef uint64_t bits = self._bits(&h)
        return tuple(k for k in range(self.languages) if bits & ((<uint64_t>1) << k))

    def is_chrome(self, str word):
        cdef _Hash h
        _start(&h)
        _feed_text(&h, word, False)
        return (self._bits(&h) & CHROME) != 0


def read_odds(str values):
    """A packed lexicon's odds (float reprs separated by spaces) as float64, each as float()
    reads it."""
    cdef Py_ssize_t size, count = 0, k = 0
    cdef const char* text = PyUnicode_AsUTF8AndSize(values, &size)
    cdef const char* at = text
    cdef const char* end = text + size
    cdef char* stop
    cdef bint in_number = False
    while at < end:
        if at[0] == 32:
            in_number = False
        elif not in_number:
            in_number = True
            count += 1
        at += 1
    out = np.empty(count, dtype=np.float64)
    cdef double[::1] odds = out
    at = text
    while k < count:
        while at[0] == 32:
            at += 1
        odds[k] = PyOS_string_to_double(at, &stop, NULL)
        if stop == at or (stop < end and stop[0] != 32):
            raise ValueError("a lexicon's odds must be numbers")
        at = stop
        k += 1
    return out


cdef inline bint _is_line_break(Py_UCS4 c) noexcept:
    """A line boundary of `str.splitlines`."""
    return (10 <= c <= 13 or 28 <= c <= 30 or c == 0x85 or c == 0x2028 or c == 0x2029)


cdef inline Py_ssize_t _line_end(int kind, const void* data, Py_ssize_t n, Py_ssize_t start,
                                 Py_ssize_t* following) noexcept:
    """Where the line that starts at `start` ends, as `str.splitlines` splits (at any of its
    boundaries, CR LF as one), and in `following` where the next line starts (n: none)."""
    cdef Py_ssize_t i = start
    cdef Py_UCS4 c
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        if _is_line_break(c):
            following[0] = i + 2 if (c == 13 and i + 1 < n
                                     and PyUnicode_READ(kind, data, i + 1) == 10) else i + 1
            return i
        i += 1
    following[0] = n
    return n


cdef Py_ssize_t _line_count(str text) except -1:
    """How many lines `text.splitlines()` gives (an upper bound of its distinct ones)."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text), start = 0, count = 0, following
    while start < n:
        _line_end(kind, data, n, start, &following)
        count += 1
        start = following
    return count
