# Characters with Python's Unicode semantics, for the text kernels.
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
                              Py_UNICODE_ISLOWER, Py_UNICODE_ISSPACE, Py_UNICODE_ISTITLE,
                              Py_UNICODE_ISUPPER)

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
