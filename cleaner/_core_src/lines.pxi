# Lines: words, the features of each line, dates and prices, the page's language.

# How many values `_line_values` writes per line (LINE_VALUES, rows.pxi, names them).
cdef Py_ssize_t N_VALUES = 22


def word_runs(str text):
    """`re.findall(r"\\w+", text)`."""
    return _word_runs(text)


cdef list _word_runs(str text):
    cdef int k_text = PyUnicode_KIND(text)
    cdef const void* d_text = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text), i = 0, start
    out = []
    while i < n:
        if is_word(PyUnicode_READ(k_text, d_text, i)):
            start = i
            i += 1
            while i < n and is_word(PyUnicode_READ(k_text, d_text, i)):
                i += 1
            out.append(text[start:i])
        else:
            i += 1
    return out


def has_invisible(str text):
    """`normalize.INVISIBLE.search(text) is not None`: a soft hyphen, a zero-width or joiner
    character, a direction mark or embedding, an invisible operator or a BOM."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t i
    cdef Py_UCS4 c
    if kind == 1:  # Latin-1 text holds only the soft hyphen of them
        for i in range(len(text)):
            if PyUnicode_READ(kind, data, i) == 0xAD:
                return True
        return False
    for i in range(len(text)):
        c = PyUnicode_READ(kind, data, i)
        if c < 0xAD:
            continue
        if c == 0xAD or c == 0x180E or 0x200B <= c <= 0x200F or 0x202A <= c <= 0x202E \
                or 0x2060 <= c <= 0x2064 or c == 0xFEFF:
            return True
    return False


def has_mojibake(str text):
    """`re.search("[\\u0080-\\u009f]|[ÂÃ][\\u0080-\\u00bf]|â€|â„|[ÐÑ][\\u0080-\\u00bf]",
    text) is not None`: the marks that UTF-8 read as Latin-1 or cp1252 leaves."""
    cdef int k_text = PyUnicode_KIND(text)
    cdef const void* d_text = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text), i
    cdef Py_UCS4 c, d
    for i in range(n):
        c = PyUnicode_READ(k_text, d_text, i)
        if c < 0x80 or c > 0xff:
            continue
        if c <= 0x9f:
            return True
        if i + 1 >= n:
            continue
        d = PyUnicode_READ(k_text, d_text, i + 1)
        if c == u'Â' or c == u'Ã' or c == u'Ð' or c == u'Ñ':
            if 0x80 <= d <= 0xbf:
                return True
        elif c == u'â' and (d == u'€' or d == u'„'):
            return True
    return False


def zero_digits(str text):
    """`re.sub(r"\\d+", "0", text)`: each run of digits as one 0."""
    return _zero_digits(text)


cdef str _zero_digits(str text):
    cdef int k_text = PyUnicode_KIND(text)
    cdef const void* d_text = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text), i = 0, start = 0
    cdef bint any_digit = False
    for i in range(n):
        if is_decimal(PyUnicode_READ(k_text, d_text, i)):
            any_digit = True
            break
    if not any_digit:
        return text
    parts = []
    i = 0
    while i < n:
        if is_decimal(PyUnicode_READ(k_text, d_text, i)):
            parts.append(text[start:i])
            parts.append("0")
            while i < n and is_decimal(PyUnicode_READ(k_text, d_text, i)):
                i += 1
            start = i
        else:
            i += 1
    parts.append(text[start:n])
    return "".join(parts)


cdef inline bint starts_at(str text, Py_ssize_t i, str literal) noexcept:
    cdef int k_text = PyUnicode_KIND(text)
    cdef const void* d_text = PyUnicode_DATA(text)
    cdef int k_literal = PyUnicode_KIND(literal)
    cdef const void* d_literal = PyUnicode_DATA(literal)
    cdef Py_ssize_t k, m = len(literal)
    if i + m > len(text):
        return False
    for k in range(m):
        if PyUnicode_READ(k_text, d_text, i + k) != PyUnicode_READ(k_literal, d_literal, k):
            return False
    return True


cdef bint urlish(str line):
    """`re.search(r"https?://|www\\.|\\.com\\b|@\\w|#\\w", line)`."""
    cdef int k_line = PyUnicode_KIND(line)
    cdef const void* d_line = PyUnicode_DATA(line)
    cdef Py_ssize_t n = len(line), i
    cdef Py_UCS4 c
    for i in range(n):
        c = PyUnicode_READ(k_line, d_line, i)
        if c == u'h':
            if starts_at(line, i, "http://") or starts_at(line, i, "https://"):
                return True
        elif c == u'w':
            if starts_at(line, i, "www."):
                return True
        elif c == u'.':
            if starts_at(line, i, ".com") and (
                    i + 4 == n or not is_word(PyUnicode_READ(k_line, d_line, i + 4))):
                return True
        elif c == u'@' or c == u'#':
            if i + 1 < n and is_word(PyUnicode_READ(k_line, d_line, i + 1)):
                return True
    return False


cdef bint bullet(str line):
    """`re.match(r"^\\s*([-*•–·▪►]|\\d{1,3}[.)])\\s", line)`."""
    cdef int k_line = PyUnicode_KIND(line)
    cdef const void* d_line = PyUnicode_DATA(line)
    cdef Py_ssize_t n = len(line), i = 0, digits
    cdef Py_UCS4 c
    while i < n and is_space(PyUnicode_READ(k_line, d_line, i)):
        i += 1
    if i >= n:
        return False
    if is_bullet(PyUnicode_READ(k_line, d_line, i)):
        i += 1
    else:
        digits = 0
        while i < n and is_decimal(PyUnicode_READ(k_line, d_line, i)):
            digits += 1
            i += 1
        if digits < 1 or digits > 3 or i >= n:
            return False
        c = PyUnicode_READ(k_line, d_line, i)
        if c != u'.' and c != u')':
            return False
        i += 1
    return i < n and is_space(PyUnicode_READ(k_line, d_line, i))


cdef inline Py_ssize_t digits_at(int kind, const void* data, Py_ssize_t n,
                                  Py_ssize_t i) noexcept:
    """How many decimal digits (`\\d`) run from `i`."""
    cdef Py_ssize_t j = i
    while j < n and is_decimal(PyUnicode_READ(kind, data, j)):
        j += 1
    return j - i


cdef inline bint ascii_at(int kind, const void* data, Py_ssize_t n, Py_ssize_t i,
                          const char* literal, Py_ssize_t m) noexcept:
    cdef Py_ssize_t k
    if i + m > n:
        return False
    for k in range(m):
        if PyUnicode_READ(kind, data, i + k) != <Py_UCS4>(<unsigned char>literal[k]):
            return False
    return True


cdef const char* MONTHS = b"janfebmaraprmayjunjulaugsepoctnovdec"
# The units of "3 hours ago", singular: each may take an "s".
cdef const char* UNITS[6]
UNITS[:] = [b"minute", b"hour", b"day", b"week", b"month", b"year"]
cdef Py_ssize_t UNIT_LEN[6]
UNIT_LEN[:] = [6, 4, 3, 4, 5, 4]


cdef inline bint month_at(int kind, const void* data, Py_ssize_t n, Py_ssize_t i) noexcept:
    cdef Py_ssize_t k
    for k in range(12):
        if ascii_at(kind, data, n, i, MONTHS + 3 * k, 3):
            return True
    return False


cdef inline bint is_date_sep(Py_UCS4 c) noexcept:
    return c == u'.' or c == u'/' or c == u'-'


cdef bint has_date(str f):
    """Whether features.py's former date pattern is found in `f`:
    `\\b(\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{4}-\\d{2}-\\d{2}|MONTH[a-z]*\\.? \\d{1,2}\\b|\\d{1,2} MONTH|
    \\d+ (minutes?|hours?|days?|weeks?|months?|years?) ago)`, MONTH the twelve three-letter
    names. Each alternative is decided from the digit runs it needs: a digit can never stand
    where the pattern wants a separator, so a run's length settles each `{m,n}`."""
    cdef int kind = PyUnicode_KIND(f)
    cdef const void* data = PyUnicode_DATA(f)
    cdef Py_ssize_t n = len(f), i, j, r, r2, k, p
    cdef Py_UCS4 c
    cdef bint boundary = True  # \b before i: the previous character is no word character
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if boundary and is_decimal(c):
            r = digits_at(kind, data, n, i)
            j = i + r
            if r <= 2 and j < n:
                c = PyUnicode_READ(kind, data, j)
                if is_date_sep(c):
                    r2 = digits_at(kind, data, n, j + 1)
                    p = j + 1 + r2
                    if 1 <= r2 <= 2 and p < n and is_date_sep(PyUnicode_READ(kind, data, p)) \
                            and digits_at(kind, data, n, p + 1) >= 2:
                        return True
                elif c == u' ' and month_at(kind, data, n, j + 1):
                    return True
            if r == 4 and j < n and PyUnicode_READ(kind, data, j) == u'-' \
                    and digits_at(kind, data, n, j + 1) == 2 and j + 3 < n \
                    and PyUnicode_READ(kind, data, j + 3) == u'-' \
                    and digits_at(kind, data, n, j + 4) >= 2:
                return True
            if j < n and PyUnicode_READ(kind, data, j) == u' ':
                for k in range(6):
                    p = j + 1 + UNIT_LEN[k]
                    if ascii_at(kind, data, n, j + 1, UNITS[k], UNIT_LEN[k]):
                        if p < n and PyUnicode_READ(kind, data, p) == u's':
                            if ascii_at(kind, data, n, p + 1, b" ago", 4):
                                return True
                        if ascii_at(kind, data, n, p, b" ago", 4):
                            return True
        elif boundary and month_at(kind, data, n, i):
            j = i + 3
            while j < n and u'a' <= PyUnicode_READ(kind, data, j) <= u'z':
                j += 1
            if j < n and PyUnicode_READ(kind, data, j) == u'.':
                j += 1
            if j < n and PyUnicode_READ(kind, data, j) == u' ':
                r = digits_at(kind, data, n, j + 1)
                p = j + 1 + r
                if 1 <= r <= 2 and (p == n or not is_word(PyUnicode_READ(kind, data, p))):
                    return True
        boundary = not is_word(c)
    return False


cdef inline bint currency_at(int kind, const void* data, Py_ssize_t n, Py_ssize_t p) noexcept:
    """`(€|£|\\$|eur\\b|usd\\b|chf\\b|kr\\b|zł)` at `p`."""
    cdef Py_UCS4 c
    if p >= n:
        return False
    c = PyUnicode_READ(kind, data, p)
    if c == u'€' or c == u'£' or c == u'$':
        return True
    if ascii_at(kind, data, n, p, b"eur", 3) or ascii_at(kind, data, n, p, b"usd", 3) \
            or ascii_at(kind, data, n, p, b"chf", 3):
        return p + 3 == n or not is_word(PyUnicode_READ(kind, data, p + 3))
    if ascii_at(kind, data, n, p, b"kr", 2):
        return p + 2 == n or not is_word(PyUnicode_READ(kind, data, p + 2))
    return c == u'z' and p + 1 < n and PyUnicode_READ(kind, data, p + 1) == u'ł'


cdef bint has_price(str f):
    """Whether features.py's former price pattern is found in `f`:
    `[$€£¥₹]\\s?\\d|\\d\\s?(€|£|\\$|eur\\b|usd\\b|chf\\b|kr\\b|zł)`."""
    cdef int kind = PyUnicode_KIND(f)
    cdef const void* data = PyUnicode_DATA(f)
    cdef Py_ssize_t n = len(f), i
    cdef Py_UCS4 c, d
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c == u'$' or c == u'€' or c == u'£' or c == u'¥' or c == u'₹':
            if i + 1 < n:
                d = PyUnicode_READ(kind, data, i + 1)
                if is_decimal(d):
                    return True
                if is_space(d) and i + 2 < n and is_decimal(PyUnicode_READ(kind, data, i + 2)):
                    return True
        elif is_decimal(c):
            if currency_at(kind, data, n, i + 1):
                return True
            if i + 1 < n and is_space(PyUnicode_READ(kind, data, i + 1)) \
                    and currency_at(kind, data, n, i + 2):
                return True
    return False


def date_found(str f):
    """`has_date`, for tests."""
    return has_date(f)


def price_found(str f):
    """`has_price`, for tests."""
    return has_price(f)


def line_values(list lines, list folded, list tokens, frozenset stop, frozenset chrome,
                Py_ssize_t long_chars):
    """What each line says about itself, before any context: one float64 row per line,
    columns as in `LINE_VALUES` (log_words and log_chars still raw counts, stop_ratio the
    count of stopwords), from each line, its casefolded form and that form's `\\w+` runs.
    The page kernel (`LineModel`) computes the same per line; this is its test harness."""
    cdef Py_ssize_t n_lines = len(lines), r, tok_chars, n_stop, n_chrome
    out = np.zeros((n_lines, N_VALUES), dtype=np.float64)
    cdef double[:, ::1] v = out
    for r in range(n_lines):
        tok_chars = n_stop = n_chrome = 0
        for tok in <list>tokens[r]:
            tok_chars += len(<str>tok)
            n_stop += tok in stop
            n_chrome += tok in chrome
        _line_values(<str>lines[r], <str>folded[r], len(<list>tokens[r]), tok_chars, n_stop,
                     n_chrome, long_chars, &v[r, 0])
    return out


cdef int _line_values(str line, str f, Py_ssize_t n_tok, Py_ssize_t tok_chars,
                      Py_ssize_t n_stop, Py_ssize_t n_chrome, Py_ssize_t long_chars,
                      double* v) except -1:
    """One line's `LINE_VALUES` into `v`, given the counts of its folded form's tokens (how
    many, their characters, how many are stopwords and chrome words). `has_date` and
    `has_price` read the folded line; every match of theirs holds a digit, so lines without
    one are not searched. A line of `long_chars` characters or more is long."""
    cdef Py_ssize_t i, n, first, last_i, end
    cdef Py_ssize_t n_alpha, n_upper, n_digit, n_punct, n_sep, n_comma = 0, n_stops = 0
    cdef Py_ssize_t n_tabs = 0
    cdef Py_UCS4 c, last, previous = 0
    cdef bint terminal, at_word_start, has_digit, seen_alpha, starts_lower
    cdef bint cased = False, uncased_lower = False
    cdef double inv, inv_chars, chars
    cdef int k_line = PyUnicode_KIND(line)
    cdef const void* d_line = PyUnicode_DATA(line)
    cdef int k_f = PyUnicode_KIND(f)
    cdef const void* d_f = PyUnicode_DATA(f)
    n = len(line)
    # strip(): the first and last non-space characters.
    first = 0
    while first < n and is_space(PyUnicode_READ(k_line, d_line, first)):
        first += 1
    end = n
    while end > first and is_space(PyUnicode_READ(k_line, d_line, end - 1)):
        end -= 1
    chars = <double>(end - first)
    last_i = end
    while last_i > 0 and is_closer(PyUnicode_READ(k_line, d_line, last_i - 1)):
        last_i -= 1
    last = PyUnicode_READ(k_line, d_line, last_i - 1) if last_i > 0 else 0
    terminal = last_i > 0 and is_terminal(last)
    n_alpha = n_upper = n_digit = n_punct = n_sep = 0
    at_word_start = True
    seen_alpha = False
    starts_lower = False
    for i in range(n):
        c = PyUnicode_READ(k_line, d_line, i)
        # str.count(",") / (". ") / ("\t") and str.isupper(), in the same pass
        if c == u',':
            n_comma += 1
        elif c == u'\t':
            n_tabs += 1
        elif c == u' ' and previous == u'.':
            n_stops += 1
        previous = c
        if c >= 128:
            if Py_UNICODE_ISLOWER(c) or Py_UNICODE_ISTITLE(c):
                uncased_lower = True
            elif Py_UNICODE_ISUPPER(c):
                cased = True
        elif ASCII[c] & F_LOWER:
            uncased_lower = True
        elif ASCII[c] & F_UPPER:
            cased = True
        if is_space(c):
            at_word_start = True
            continue
        if at_word_start:
            at_word_start = False
            if is_alpha(c):
                n_alpha += 1
                if is_upper(c):
                    n_upper += 1
        if not seen_alpha and is_alpha(c):
            seen_alpha = True
            starts_lower = is_lower(c)
        if is_decimal(c):
            n_digit += 1
        if c == u'_' or not is_word(c):
            n_punct += 1
        if is_separator(c):
            n_sep += 1
    has_digit = False
    for i in range(len(f)):
        if is_decimal(PyUnicode_READ(k_f, d_f, i)):
            has_digit = True
            break
    inv = 1.0 / n_tok if n_tok else 0.0
    inv_chars = 1.0 / chars if chars else 0.0
    v[0] = n_tok
    v[1] = chars
    v[2] = tok_chars * inv
    v[3] = terminal
    v[4] = last_i > 0 and last == u':'
    v[5] = n_stop
    v[6] = (<double>n_upper) / n_alpha if n_alpha else 0.0
    v[7] = cased and not uncased_lower
    v[8] = n_digit * inv_chars
    v[9] = n_punct * inv_chars
    v[10] = n_comma * inv
    v[11] = urlish(line)
    v[12] = n_sep
    v[13] = bullet(line)
    v[14] = n_stops + terminal
    v[15] = chars >= long_chars
    v[16] = n_chrome * inv
    v[17] = has_digit and has_date(f)
    v[18] = starts_lower
    v[19] = n_tabs
    v[20] = last_i > 0 and last == u'?'
    v[21] = has_digit and has_price(f)
    return 0


def lexicon_words(list tokens, bint pairs):
    """A line's lexicon tokens from its `\\w+` runs: those of two characters or more, each
    number as 0, then (with `pairs`) each adjacent pair joined by a space."""
    return _lexicon_words(tokens, pairs)


cdef list _lexicon_words(list tokens, bint pairs):
    cdef list words = [_zero_digits(<str>t) for t in tokens if len(<str>t) > 1]
    cdef Py_ssize_t i, n = len(words)
    if pairs and n > 1:
        for i in range(n - 1):
            words.append(<str>words[i] + " " + <str>words[i + 1])
    return words


def short_line_key(str key, Py_ssize_t max_words):
    """The whole-line key of a line of 1 to `max_words` words, from its words joined by one
    space (`fold_words`' keys): each number as 0; None for other lines."""
    return _short_line_key(key, max_words)


cdef object _short_line_key(str key, Py_ssize_t max_words):
    if not key or key.count(" ") + 1 > max_words:
        return None
    return _zero_digits(key)
