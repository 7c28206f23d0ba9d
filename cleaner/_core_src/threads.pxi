# Comment threads: the words of a thread's controls, and which lines may be a thread's at all.

cdef enum:
    STRONG_CONTROL = 1
    WEAK_CONTROL = 2
    SIGNATURE = 4
    HEADING = 8


cdef inline bint _is_letter(Py_UCS4 c) noexcept:
    """`[^\\W\\d_]`: a word character that is no decimal digit and no underscore."""
    return is_word(c) and not is_decimal(c) and c != u'_'


cdef class ControlWords(_Fingerprints):
    """The words a comment thread's controls are made of (threads.STRONG_CONTROLS and
    WEAK_CONTROLS): a control line holds one of the strong ones, and nothing but these. And
    the first words of a header that signs its record from below (threads.SIGNATURE_WORDS:
    "Posted by: Name | date"), and the nouns a comment section's heading counts
    (threads.COMMENT_NOUNS and THOUGHT_NOUNS: "12 Comments", "5 thoughts on")."""

    def __cinit__(self, frozenset strong, frozenset weak, frozenset signature=frozenset(),
                  frozenset heading=frozenset()):
        self._allocate(len(strong) + len(weak) + len(signature) + len(heading))
        for word in strong:
            self._store(<str?>word).payload.bits |= STRONG_CONTROL
        for word in weak:
            self._store(<str?>word).payload.bits |= WEAK_CONTROL
        for word in signature:
            self._store(<str?>word).payload.bits |= SIGNATURE
        for word in heading:
            self._store(<str?>word).payload.bits |= HEADING

    cdef Py_ssize_t _next_word(self, str line, int kind, const void* data, Py_ssize_t i,
                               uint64_t* bits) except -2:
        """From `i`, the next run of two letters or more: its bits in the table (casefolded;
        0 when it is not there) go to `bits`, and the index after it is returned; -1 when no
        such run is left. A capital after a small letter starts a run: a page minified
        without spaces between its buttons dumps them as one word ("ReplyDelete")."""
        cdef Py_ssize_t n = len(line), start, k
        cdef bint ascii, lower
        cdef Py_UCS4 c
        cdef _Hash h
        cdef const _Slot* slot
        while i < n:
            if not _is_letter(PyUnicode_READ(kind, data, i)):
                i += 1
                continue
            start = i
            ascii = True
            lower = False
            while i < n:
                c = PyUnicode_READ(kind, data, i)
                if not _is_letter(c) or (lower and is_upper(c)):
                    break
                lower = is_lower(c)
                if c >= 128:
                    ascii = False
                i += 1
            if i - start < 2:
                continue
            _start(&h)
            if ascii:
                for k in range(start, i):
                    c = PyUnicode_READ(kind, data, k)
                    _feed(&h, <Py_UCS4>(<int>c + 32) if u'A' <= c <= u'Z' else c)
            else:
                _feed_text(&h, line[start:i].casefold(), False)
            slot = self._find(&h)
            bits[0] = slot.payload.bits if slot != NULL else 0
            return i
        return -1

    cpdef bint is_control(self, str line) except -1:
        """threads._is_control: the line's words (runs of two letters or more, casefolded)
        are all control words, one of them strong."""
        cdef int kind = PyUnicode_KIND(line)
        cdef const void* data = PyUnicode_DATA(line)
        cdef Py_ssize_t i = 0
        cdef bint strong = False
        cdef uint64_t bits = 0
        while True:
            i = self._next_word(line, kind, data, i, &bits)
            if i < 0:
                return strong
            bits &= STRONG_CONTROL | WEAK_CONTROL
            if not bits:
                return False
            strong = strong or (bits & STRONG_CONTROL) != 0

    cdef bint _signs(self, str line) except -1:
        """Whether the line's first word (a run of two letters or more) starts a signature."""
        cdef uint64_t bits = 0
        return self._next_word(line, PyUnicode_KIND(line), PyUnicode_DATA(line), 0,
                               &bits) >= 0 and (bits & SIGNATURE) != 0

    cdef bint _counts_a_heading_noun(self, str line) except -1:
        """Whether the line holds a decimal digit and, among its first three words, one of
        the heading nouns (a heading starts with its count or its noun: "12 Comments",
        "124 Reader Comments", "Comments (12)")."""
        cdef int kind = PyUnicode_KIND(line)
        cdef const void* data = PyUnicode_DATA(line)
        cdef Py_ssize_t i, n = len(line)
        cdef int words
        cdef uint64_t bits = 0
        for i in range(n):
            if is_decimal(PyUnicode_READ(kind, data, i)):
                break
        else:
            return False
        i = 0
        for words in range(3):
            i = self._next_word(line, kind, data, i, &bits)
            if i < 0:
                return False
            if bits & HEADING:
                return True
        return False

    def gate(self, list lines, Py_ssize_t control_words, Py_ssize_t header_words,
             Py_ssize_t longest, Py_ssize_t longest_heading=0):
        """(control lines, header candidates, counted headings): how many of the lines are a
        thread's controls (at most `control_words` words and `longest` characters), the
        indices of the lines that may be a strong or a signing header (at most `header_words`
        words, and what every strong header holds, `_may_be_strong_header`, or a signature's
        first word), and of the lines of at most `longest_heading` characters that may count
        a thread's comments (a digit and a heading noun)."""
        cdef Py_ssize_t r, words, controls = 0
        cdef list candidates = []
        cdef list counted = []
        cdef str line
        for r in range(len(lines)):
            line = <str>lines[r]
            if len(line) <= longest_heading and self._counts_a_heading_noun(line):
                counted.append(r)
            if len(line) > longest:
                continue
            words = _split_words(line)
            if words == 0:
                continue
            if words <= control_words and self.is_control(line):
                controls += 1
            elif words <= header_words and (_may_be_strong_header(line) or self._signs(line)):
                candidates.append(r)
        return controls, candidates, counted


cdef bint _may_be_strong_header(str line) noexcept:
    """What every match of threads._STRONG_HEADER holds: a colon or an ellipsis that only
    spaces follow ("says:", "said..."), or a bracket before "s" (in any case: "(Score:"),
    "#" or a digit."""
    cdef int kind = PyUnicode_KIND(line)
    cdef const void* data = PyUnicode_DATA(line)
    cdef Py_ssize_t i, n = len(line), end = n
    cdef Py_UCS4 c
    while end > 0 and is_space(PyUnicode_READ(kind, data, end - 1)):
        end -= 1
    if end > 0 and (PyUnicode_READ(kind, data, end - 1) == u':'
                    or PyUnicode_READ(kind, data, end - 1) == 0x2026):
        return True
    if end > 2 and PyUnicode_READ(kind, data, end - 1) == u'.' \
            and PyUnicode_READ(kind, data, end - 2) == u'.' \
            and PyUnicode_READ(kind, data, end - 3) == u'.':
        return True
    for i in range(n - 1):
        if PyUnicode_READ(kind, data, i) == u'(':
            c = PyUnicode_READ(kind, data, i + 1)
            if c == u's' or c == u'S' or c == 0x17F or c == u'#' or is_decimal(c):
                return True
    return False
