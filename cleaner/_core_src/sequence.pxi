# The lines the content model looks at: a pass's kept, non-blank lines, in order.
#
# Lines that rules already took are invisible here, in every pass; so the model sees the same
# sequence when it runs again on its own output, which keeps the chain's fixed point near.


cdef inline bint _blank(str line) noexcept:
    """`not line or line.isspace()`."""
    cdef int kind = PyUnicode_KIND(line)
    cdef const void* data = PyUnicode_DATA(line)
    cdef Py_ssize_t i
    for i in range(len(line)):
        if not is_space(PyUnicode_READ(kind, data, i)):
            return False
    return True


cdef Py_ssize_t _split_words(str line) noexcept:
    """`len(line.split())`."""
    cdef int kind = PyUnicode_KIND(line)
    cdef const void* data = PyUnicode_DATA(line)
    cdef Py_ssize_t i, n = len(line), words = 0
    cdef bint inside = False
    for i in range(n):
        if is_space(PyUnicode_READ(kind, data, i)):
            inside = False
        elif not inside:
            inside = True
            words += 1
    return words


def word_counts(list lines):
    """`[len(line.split()) for line in lines]`."""
    return [_split_words(<str>line) for line in lines]


def word_count(str text):
    """`len(text.split())`."""
    return _split_words(text)


cdef class Sequence:
    """A pass's kept, non-blank lines (`lines`), with where each stands: its index among the
    page's lines, whether a blank line comes before and after it, its block (a run of lines
    between blank lines, numbered from 0) and its block's words (whitespace-separated)."""

    cdef readonly list lines
    cdef Py_ssize_t n
    cdef Py_ssize_t* _index
    cdef unsigned char* _blank_before
    cdef int* _block_of
    cdef double* _words
    cdef double* _block_words
    cdef readonly int blocks

    def __dealloc__(self):
        free(self._index)
        free(self._blank_before)
        free(self._block_of)
        free(self._words)
        free(self._block_words)

    def __len__(self):
        return self.n

    @property
    def indices(self):
        return [self._index[i] for i in range(self.n)]

    @property
    def blank_before(self):
        return [self._blank_before[i] != 0 for i in range(self.n)]

    @property
    def blank_after(self):
        return [self._blank_after(i) for i in range(self.n)]

    cdef inline bint _blank_after(self, Py_ssize_t i) noexcept:
        return i + 1 >= self.n or self._blank_before[i + 1] != 0

    @property
    def block_of(self):
        return [self._block_of[i] for i in range(self.n)]

    @property
    def block_words(self):
        return [int(self._block_words[i]) for i in range(self.n)]

    @property
    def words(self):
        """Each line's whitespace-separated words (float64)."""
        out = np.zeros(self.n, dtype=np.float64)
        cdef double[::1] w = out
        cdef Py_ssize_t i
        for i in range(self.n):
            w[i] = self._words[i]
        return out


def kept_sequence(list lines, list dropped):
    """The kept, non-blank lines of a page's `lines` (those whose `dropped` is None)."""
    cdef Sequence seq = Sequence.__new__(Sequence)
    cdef Py_ssize_t n_page = len(lines), i, n = 0
    cdef int block = 0, b
    cdef bint saw_blank = False
    cdef str line
    if len(dropped) != n_page:
        raise ValueError("one verdict per line expected")
    seq.lines = []
    size = n_page if n_page else 1
    seq._index = <Py_ssize_t*>malloc(size * sizeof(Py_ssize_t))
    seq._blank_before = <unsigned char*>malloc(size)
    seq._block_of = <int*>malloc(size * sizeof(int))
    seq._words = <double*>malloc(size * sizeof(double))
    seq._block_words = <double*>malloc(size * sizeof(double))
    if not (seq._index and seq._blank_before and seq._block_of and seq._words
            and seq._block_words):
        raise MemoryError()
    for i in range(n_page):
        if dropped[i] is not None:
            continue
        line = <str>lines[i]
        if _blank(line):
            saw_blank = True
            continue
        if saw_blank and n:
            block += 1
        seq.lines.append(line)
        seq._index[n] = i
        seq._blank_before[n] = saw_blank
        seq._block_of[n] = block
        seq._words[n] = <double>_split_words(line)
        saw_blank = False
        n += 1
    seq.n = n
    seq.blocks = block + 1 if n else 0
    cdef double* totals = <double*>calloc(seq.blocks + 1, sizeof(double))
    if totals == NULL:
        raise MemoryError()
    for i in range(n):
        totals[seq._block_of[i]] += seq._words[i]
    for i in range(n):
        seq._block_words[i] = totals[seq._block_of[i]]
    free(totals)
    return seq
