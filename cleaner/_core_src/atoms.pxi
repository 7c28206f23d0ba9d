# Which lines may match which rule patterns: every pattern's atoms (rulebook/atoms.py) found
# in one pass over a page's casefolded text.
#
# Aho and Corasick's automaton over the atoms, made a DFA over the atoms' own alphabet (a
# character no atom has is one class, which leads back to the start): one table read per
# character. An atom never holds a line break, so a line break restarts the automaton and
# counts the line. An atom may be placed (atoms.py): at the head of its line (before it only
# the ASCII letters and digits its pattern allows there) or at its tail (no ASCII letter or
# digit after it); an occurrence elsewhere does not count.

cdef enum:
    AT_HEAD = 1
    AT_TAIL = 2


cdef struct _Pending:
    int pattern
    Py_ssize_t end


# str.casefold of each character beyond ASCII met so far (at most three characters each):
# a page is folded as it is read, without a folded copy of it.
cdef struct _Fold:
    Py_UCS4 code  # 0: an empty slot
    Py_UCS4 chars[3]
    int n

cdef _Fold* _folds = NULL
cdef Py_ssize_t _folds_size = 0, _folds_used = 0


cdef int _casefold(Py_UCS4 c, Py_UCS4* out) except -1:
    """`chr(c).casefold()` into `out`; returns its length."""
    global _folds, _folds_size, _folds_used
    cdef Py_ssize_t slot, k, old_size
    cdef _Fold* old
    cdef str folded
    if c < 128:
        out[0] = <Py_UCS4>(<int>c + 32) if u'A' <= c <= u'Z' else c
        return 1
    if _folds_size:
        slot = (<Py_ssize_t>c * 2654435761) & (_folds_size - 1)
        while _folds[slot].code:
            if _folds[slot].code == c:
                for k in range(_folds[slot].n):
                    out[k] = _folds[slot].chars[k]
                return _folds[slot].n
            slot = (slot + 1) & (_folds_size - 1)
    if 2 * (_folds_used + 1) > _folds_size:
        old, old_size = _folds, _folds_size
        _folds_size = old_size * 2 if old_size else 1024
        _folds = <_Fold*>calloc(_folds_size, sizeof(_Fold))
        if _folds == NULL:
            _folds, _folds_size = old, old_size
            raise MemoryError()
        for k in range(old_size):
            if old[k].code:
                slot = (<Py_ssize_t>old[k].code * 2654435761) & (_folds_size - 1)
                while _folds[slot].code:
                    slot = (slot + 1) & (_folds_size - 1)
                _folds[slot] = old[k]
        free(old)
    folded = chr(c).casefold()
    if len(folded) > 3:
        raise ValueError("a character casefolds to more than three")
    slot = (<Py_ssize_t>c * 2654435761) & (_folds_size - 1)
    while _folds[slot].code:
        slot = (slot + 1) & (_folds_size - 1)
    _folds[slot].code = c
    _folds[slot].n = <int>len(folded)
    for k in range(len(folded)):
        _folds[slot].chars[k] = folded[k]
        out[k] = folded[k]
    _folds_used += 1
    return <int>len(folded)


cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    int PyUnicode_4BYTE_KIND


def casefold(str text):
    """`text.casefold()`, character by character through the same cache as `nominate`'s
    folding (str.casefold has no context, so the two are equal): ASCII is a table's work,
    and each other character is folded by CPython once per process, not once per page."""
    cdef Py_ssize_t i, n = len(text), m = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    cdef Py_UCS4* out
    if text.isascii():
        return text.lower()
    out = <Py_UCS4*>malloc((3 * n + 1) * sizeof(Py_UCS4))
    if out == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if c < 128:
                out[m] = <Py_UCS4>(<int>c + 32) if u'A' <= c <= u'Z' else c
                m += 1
            else:
                m += _casefold(c, out + m)
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, m)
    finally:
        free(out)


# How far back a head atom's check looks (its length): what nominate() remembers.
cdef enum:
    RING = 64


cdef inline uint64_t _alnum_bit(Py_UCS4 c) noexcept nogil:
    """The character's bit among the ASCII digits (0-9) and lower-case letters (10-35)."""
    if 48 <= c <= 57:  # 0-9
        return (<uint64_t>1) << (<int>c - 48)
    if 97 <= c <= 122:  # a-z
        return (<uint64_t>1) << (<int>c - 87)
    if 65 <= c <= 90:  # A-Z
        return (<uint64_t>1) << (<int>c - 55)
    return 0

cdef class AtomIndex:
    """The atoms of a set of patterns; `nominate(text)` gives each pattern whose atoms occur
    in `text` the lines they occur in."""

    cdef int _states
    cdef int _classes
    cdef int* _delta  # _states x _classes
    cdef int* _first_atom  # per state: an atom ending there, or -1
    cdef int* _next_atom  # per atom: the next atom ending at the same state, or -1
    cdef int* _suffix  # per state: the nearest proper suffix state where an atom ends, or -1
    cdef int* _owner_start  # per atom: its patterns are _owners[_owner_start[a]:...[a + 1]]
    cdef int* _owners
    cdef unsigned char* _places  # per owner: where the atom must stand for that pattern
    cdef uint64_t* _before  # per owner: the ASCII letters and digits allowed before a HEAD
    cdef int* _length  # per atom: its characters
    cdef unsigned short _ascii[128]
    cdef Py_UCS4* _wide  # sorted: the atoms' characters beyond ASCII
    cdef int _n_wide
    cdef readonly int patterns

    def __cinit__(self, list atoms, list owners, int patterns):
        """`atoms`: distinct strings, none with a line break; `owners[k]`: the (pattern,
        place, before) triples atom k stands for, 0 <= pattern < `patterns`, place a
        combination of atoms.HEAD and atoms.TAIL (0: anywhere), before the mask of the
        ASCII digits and letters that may stand before a HEAD atom."""
        cdef Py_ssize_t n_atoms = len(atoms), a, i, k, total = 0
        cdef int state, child, cls, fail, head, tail, c
        self.patterns = patterns
        alphabet = sorted({ch for atom in atoms for ch in <str>atom})
        wide = [ch for ch in alphabet if ord(ch) >= 128]
        self._n_wide = len(wide)
        self._wide = <Py_UCS4*>malloc((self._n_wide + 1) * sizeof(Py_UCS4))
        if self._wide == NULL:
            raise MemoryError()
        memset(self._ascii, 0, sizeof(self._ascii))
        cdef dict class_of = {}
        for k, ch in enumerate(alphabet):
            class_of[ch] = k + 1
            if ord(ch) < 128:
                self._ascii[ord(ch)] = <unsigned short>(k + 1)
        for k, ch in enumerate(wide):
            self._wide[k] = ord(ch)
        self._classes = len(alphabet) + 1
        for atom in atoms:
            if "\n" in <str>atom or not atom:
                raise ValueError("an atom is a non-empty string without a line break")
            total += len(<str>atom)
        # The trie: state 0 the start, one state per distinct prefix.
        self._delta = <int*>malloc((total + 1) * self._classes * sizeof(int))
        self._first_atom = <int*>malloc((total + 1) * sizeof(int))
        self._suffix = <int*>malloc((total + 1) * sizeof(int))
        self._next_atom = <int*>malloc((n_atoms + 1) * sizeof(int))
        self._owner_start = <int*>malloc((n_atoms + 1) * sizeof(int))
        self._length = <int*>malloc((n_atoms + 1) * sizeof(int))
        if not (self._delta and self._first_atom and self._suffix and self._next_atom
                and self._owner_start and self._length):
            raise MemoryError()
        for a in range(n_atoms):
            self._length[a] = <int>len(<str>atoms[a])
        for i in range((total + 1) * self._classes):
            self._delta[i] = -1
        for i in range(total + 1):
            self._first_atom[i] = -1
            self._suffix[i] = -1
        self._states = 1
        for a in range(n_atoms):
            state = 0
            for ch in <str>atoms[a]:
                cls = class_of[ch]
                child = self._delta[state * self._classes + cls]
                if child < 0:
                    child = self._states
                    self._states += 1
                    self._delta[state * self._classes + cls] = child
                state = child
            self._next_atom[a] = self._first_atom[state]
            self._first_atom[state] = <int>a
        self._delta = <int*>_grow(self._delta, self._states * self._classes * sizeof(int))
        # Breadth first: each state's failure (the longest proper suffix that is a state),
        # its missing transitions taken from its failure's, its nearest suffix with an atom.
        cdef int* queue = <int*>malloc(self._states * sizeof(int))
        cdef int* failure = <int*>malloc(self._states * sizeof(int))
        if queue == NULL or failure == NULL:
            free(queue)
            free(failure)
            raise MemoryError()
        head = tail = 0
        failure[0] = 0
        for cls in range(self._classes):
            child = self._delta[cls]
            if child < 0:
                self._delta[cls] = 0
            else:
                failure[child] = 0
                queue[tail] = child
                tail += 1
        while head < tail:
            state = queue[head]
            head += 1
            fail = failure[state]
            self._suffix[state] = fail if self._first_atom[fail] >= 0 else self._suffix[fail]
            for cls in range(self._classes):
                child = self._delta[state * self._classes + cls]
                if child < 0:
                    self._delta[state * self._classes + cls] = \
                        self._delta[fail * self._classes + cls]
                else:
                    failure[child] = self._delta[fail * self._classes + cls]
                    queue[tail] = child
                    tail += 1
        free(queue)
        free(failure)
        self._suffix[0] = -1
        # Each atom's patterns, side by side.
        total = 0
        for a in range(n_atoms):
            self._owner_start[a] = <int>total
            total += len(<tuple?>owners[a])
        self._owner_start[n_atoms] = <int>total
        self._owners = <int*>malloc((total + 1) * sizeof(int))
        self._places = <unsigned char*>malloc(total + 1)
        self._before = <uint64_t*>malloc((total + 1) * sizeof(uint64_t))
        if self._owners == NULL or self._places == NULL or self._before == NULL:
            raise MemoryError()
        for a in range(n_atoms):
            for k, (c, place, before) in enumerate(<tuple>owners[a]):
                if not 0 <= c < patterns or not 0 <= place <= AT_HEAD | AT_TAIL:
                    raise ValueError("an atom's pattern or place is out of range")
                if place & AT_HEAD and self._length[a] > RING:
                    raise ValueError(f"an atom at a line's head is at most {RING} characters")
                self._owners[self._owner_start[a] + k] = c
                self._places[self._owner_start[a] + k] = <unsigned char>place
                self._before[self._owner_start[a] + k] = <uint64_t>before

    def __dealloc__(self):
        free(self._delta)
        free(self._first_atom)
        free(self._next_atom)
        free(self._suffix)
        free(self._owner_start)
        free(self._owners)
        free(self._places)
        free(self._before)
        free(self._length)
        free(self._wide)

    cdef inline int _class(self, Py_UCS4 c) noexcept:
        cdef int lo = 0, hi = self._n_wide, mid
        if c < 128:
            return self._ascii[c]
        while lo < hi:
            mid = (lo + hi) >> 1
            if self._wide[mid] < c:
                lo = mid + 1
            else:
                hi = mid
        return lo + (self._classes - self._n_wide) if lo < self._n_wide \
            and self._wide[lo] == c else 0

    def nominate(self, str text, bint fold=False):
        """{pattern: the lines (0-based, ascending) where one of its atoms stands where it
        must} for the patterns with such an atom in `text`; with `fold`, in `text`
        casefolded (as str.casefold folds it, read character by character)."""
        cdef int kind = PyUnicode_KIND(text)
        cdef const void* data = PyUnicode_DATA(text)
        cdef Py_ssize_t i, n = len(text), line = 0, last_alnum = -1, at = 0
        cdef Py_ssize_t pending = 0, capacity = 16
        cdef int state = 0, hit, atom, k, place, j, width
        cdef uint64_t seen = 0, bit
        cdef Py_UCS4 c
        cdef Py_UCS4 chars[3]
        cdef dict found = {}
        cdef Py_ssize_t* last = <Py_ssize_t*>malloc((self.patterns + 1) * sizeof(Py_ssize_t))
        cdef _Pending* tails = <_Pending*>malloc(capacity * sizeof(_Pending))
        # seen_before[p % RING]: the ASCII letters and digits of the line before (folded)
        # position p, for the last RING positions (a head atom is no longer: __cinit__)
        cdef uint64_t seen_before[RING]
        if last == NULL or tails == NULL:
            free(last)
            free(tails)
            raise MemoryError()
        for k in range(self.patterns):
            last[k] = -1
        try:
            for i in range(n + 1):
                c = PyUnicode_READ(kind, data, i) if i < n else u'\n'
                if c == u'\n':
                    # The line's end: its atoms at the tail count if nothing follows them.
                    for k in range(pending):
                        if last_alnum <= tails[k].end:
                            _nominate(found, last, tails[k].pattern, line)
                    pending = 0
                    line += 1
                    state = 0
                    last_alnum = -1
                    seen = 0
                    continue
                if fold and c < 128:
                    chars[0] = <Py_UCS4>(<int>c + 32) if u'A' <= c <= u'Z' else c
                    width = 1
                elif fold:
                    width = _casefold(c, chars)
                else:
                    chars[0] = c
                    width = 1
                for j in range(width):
                    c = chars[j]
                    seen_before[at & (RING - 1)] = seen
                    bit = _alnum_bit(c)
                    if bit:
                        seen |= bit
                        last_alnum = at
                    state = self._delta[state * self._classes + self._class(c)]
                    hit = state if self._first_atom[state] >= 0 else self._suffix[state]
                    while hit >= 0:
                        atom = self._first_atom[hit]
                        while atom >= 0:
                            for k in range(self._owner_start[atom],
                                           self._owner_start[atom + 1]):
                                place = self._places[k]
                                if place & AT_HEAD and seen_before[
                                        (at + 1 - self._length[atom]) & (RING - 1)] \
                                        & ~self._before[k]:
                                    continue  # a letter or digit stands before it
                                if place & AT_TAIL:
                                    if pending == capacity:
                                        capacity *= 2
                                        tails = <_Pending*>_grow(
                                            tails, capacity * sizeof(_Pending))
                                    tails[pending].pattern = self._owners[k]
                                    tails[pending].end = at
                                    pending += 1
                                else:
                                    _nominate(found, last, self._owners[k], line)
                            atom = self._next_atom[atom]
                        hit = self._suffix[hit]
                    at += 1
        finally:
            free(last)
            free(tails)
        return found


cdef inline int _nominate(dict found, Py_ssize_t* last, int pattern, Py_ssize_t line) except -1:
    if last[pattern] == line:
        return 0
    last[pattern] = line
    lines = found.get(pattern)
    if lines is None:
        found[pattern] = [line]
    else:
        (<list>lines).append(line)
    return 0
