# The page's own bookkeeping, once per pass: the next pass's lines, where each original line
# starts, which long lines repeat, how many distinct words a text holds.


def kept_lines(list lines, list dropped, list origin):
    """The kept lines as the next pass sees them (page.Page.kept_page): the lines no stage
    dropped, blank ones gone except one blank line where a run of them stood between kept
    lines; and each one's original line number (a blank line takes its run's first)."""
    cdef Py_ssize_t i, n = len(lines)
    cdef list out_lines = [], out_origin = []
    cdef object blank_at = None
    cdef str line
    if len(dropped) != n or len(origin) != n:
        raise ValueError("one verdict and one origin per line expected")
    for i in range(n):
        if dropped[i] is not None:
            continue
        line = <str>lines[i]
        if _blank(line):
            if out_lines and blank_at is None:
                blank_at = origin[i]
            continue
        if blank_at is not None:
            out_lines.append("")
            out_origin.append(blank_at)
            blank_at = None
        out_lines.append(line)
        out_origin.append(origin[i])
    return out_lines, out_origin


def line_starts(list lines, list endings):
    """Each line's character offset in the text the lines and their endings make, and the
    text's length last."""
    cdef Py_ssize_t i, n = len(lines), at = 0
    cdef list out = [0] * (n + 1)
    if len(endings) != n:
        raise ValueError("one ending per line expected")
    for i in range(n):
        at += len(<str>lines[i]) + len(<str>endings[i])
        out[i + 1] = at
    return out


cdef int _line_key(str line, _Hash* key) noexcept:
    """The fingerprint of the line's whitespace-separated words joined by one space
    (normalize.collapse), and how many words it has."""
    return _span_key(PyUnicode_KIND(line), PyUnicode_DATA(line), 0, len(line), key)


cdef int _span_key(int kind, const void* data, Py_ssize_t i, Py_ssize_t n,
                   _Hash* key) noexcept:
    """`_line_key` of the characters i..n."""
    cdef Py_ssize_t start
    cdef int words = 0
    _start(key)
    while i < n:
        if is_space(PyUnicode_READ(kind, data, i)):
            i += 1
            continue
        start = i
        while i < n and not is_space(PyUnicode_READ(kind, data, i)):
            i += 1
        if words:
            _feed(key, u' ')
        _feed_span(key, kind, data, start, i, False)
        words += 1
    return words


cdef class LineSet(_Fingerprints):
    """Lines, each by its words joined by one space (normalize.collapse): `lines(lines)`
    names those of a page's lines that are one of them, whatever spaces stand around and
    between their words."""

    cdef Py_ssize_t _longest  # the most characters a member has

    def __cinit__(self, lines):
        self._allocate(len(lines))
        self._longest = 0
        for line in lines:
            if " ".join((<str?>line).split()) != line:
                raise ValueError("a line of a LineSet has its words joined by one space")
            self._store(<str>line)
            self._longest = max(self._longest, len(<str>line))

    def lines(self, list lines):
        """The indices of the lines (each a str without a line feed) that are in the set."""
        cdef Py_ssize_t i, n
        cdef int kind
        cdef const void* data
        cdef list out = []
        cdef _Hash key
        cdef str line
        for i in range(len(lines)):
            line = <str?>lines[i]
            kind = PyUnicode_KIND(line)
            data = PyUnicode_DATA(line)
            n = len(line)
            # A line of more characters than a member, spaces aside, is none of them (a
            # page's prose): not worth its fingerprint.
            if n <= self._longest or _words_fit(kind, data, 0, n, self._longest):
                _span_key(kind, data, 0, n, &key)
                if self._find(&key) != NULL:
                    out.append(i)
        return out


cdef bint _words_fit(int kind, const void* data, Py_ssize_t i, Py_ssize_t n,
                     Py_ssize_t most) noexcept:
    """Whether characters i..n, their words joined by one space, are at most `most`."""
    cdef Py_ssize_t length = 0
    cdef bint gap = False
    while i < n and is_space(PyUnicode_READ(kind, data, i)):
        i += 1
    while i < n:
        if is_space(PyUnicode_READ(kind, data, i)):
            gap = True
        else:
            length += 1 + gap
            gap = False
            if length > most:
                return False
        i += 1
    return True


cdef class _Seen:
    """A set of fingerprints (one page's)."""

    cdef _Key* _slots
    cdef Py_ssize_t _mask

    def __cinit__(self, Py_ssize_t keys):
        cdef Py_ssize_t size = 16
        while size < 2 * keys + 2:
            size *= 2
        self._mask = size - 1
        self._slots = <_Key*>calloc(size, sizeof(_Key))
        if self._slots == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self._slots)

    cdef bint add(self, _Hash* h) noexcept:
        """Add the key; False when it was there already."""
        cdef uint64_t a = _mix(h.a) or 1, b = _mix_alt(h.b)
        cdef Py_ssize_t slot = a & self._mask
        while self._slots[slot].a != 0:
            if self._slots[slot].a == a and <uint64_t>self._slots[slot].b == b:
                return False
            slot = (slot + 1) & self._mask
        self._slots[slot].a = a
        self._slots[slot].b = b
        return True


def repeated_lines(list folded, list dropped, Py_ssize_t min_chars, Py_ssize_t min_words):
    """The indices of the kept lines (`dropped` None) that repeat an earlier kept line: lines
    of at least `min_chars` characters and `min_words` words, compared by their words (the
    folded lines' whitespace collapsed)."""
    cdef Py_ssize_t i, n = len(folded)
    cdef _Seen seen = _Seen(n)
    cdef list out = []
    cdef _Hash key
    cdef str line
    if len(dropped) != n:
        raise ValueError("one verdict per line expected")
    for i in range(n):
        line = <str>folded[i]
        if len(line) < min_chars or dropped[i] is not None:
            continue
        if _line_key(line, &key) < min_words:
            continue
        if not seen.add(&key):
            out.append(i)
    return out


cdef inline bint _line_break(Py_UCS4 c) noexcept:
    """What str.splitlines cuts at (with CR LF as one)."""
    return c == 10 or c == 13 or c == 11 or c == 12 or 28 <= c <= 30 or c == 0x85 \
        or c == 0x2028 or c == 0x2029


def distinct_words(str text):
    """The words (whitespace-separated) of the text's distinct lines, each line counted once
    however often it repeats (lines as `str.splitlines` cuts them)."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text), i, lines = 1, total = 0, words = 0
    cdef _Hash key
    cdef Py_UCS4 c
    cdef bint inside = False
    for i in range(n):
        if _line_break(PyUnicode_READ(kind, data, i)):
            lines += 1
    cdef _Seen seen = _Seen(lines)
    _start(&key)
    i = 0
    # One pass: each line's key and its words together; a line ends at a break or the end
    # (a text ending in a break has no empty last line, as splitlines has none).
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        i += 1
        if _line_break(c):
            if seen.add(&key):
                total += words
            if c == 13 and i < n and PyUnicode_READ(kind, data, i) == 10:
                i += 1
            _start(&key)
            words = 0
            inside = False
            continue
        _feed(&key, c)
        if is_space(c):
            inside = False
        elif not inside:
            inside = True
            words += 1
    if n and not _line_break(PyUnicode_READ(kind, data, n - 1)):
        if seen.add(&key):
            total += words
    return total
