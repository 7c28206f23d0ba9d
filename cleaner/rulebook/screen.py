"""Cheap stand-ins for a pattern before it is compiled: a superset that screens a nominated
line out, and a subset (its cheap branches) that may take it in.

RE2 compiles a counted repetition by writing its operand out once per count, and a Unicode
class such as `[^\\pL\\pN]` as a UTF-8 automaton of hundreds of byte ranges: `[\\pL .-]{2,40}`
is forty copies of one. Most of a pack's compile time is those two shapes (a tenth of the
patterns took half of it), and a one-file run compiles every pattern its page nominates a
line for, although most nominated lines do not match. A screen is the pattern with each
counted repetition of ten or more left unbounded above and each `[^\\pL\\pN]` read as "not
an ASCII letter or digit": a language that holds the pattern's (an unbounded count admits
every bounded one; every character that is not a letter or number is not an ASCII letter or
digit, nor one that folds to one, as Kelvin's K and the long s fold, since those are letters),
so a line the screen does not match in is one the pattern does not match in, and no match
is lost. It compiles in a small fraction of the time, and the pattern is compiled only when a
line gets through.

Where the scanner cannot be sure of the syntax (`\\Q...\\E` quoting, a class that never
closes), there is no screen.

A line that gets through the screen is usually one the pattern matches, and then a pattern
with such a costly branch is compiled for a hit its cheap branches would have given: most
lines that take the photo-credit rule are "Photo: ..." or "© ...", and its branch for "(AP
Photo/Name)" with `[\\pL. -]{2,40}` is most of its compile time. `sure_of` gives the pattern
with only its cheap branches (`P(A|B|C)S` as `P(A|C)S` when B holds a long count): a
subset, so a line it matches in is one the pattern matches in, and the pattern is compiled
only for a line the cheap branches do not decide.
"""

from __future__ import annotations

import itertools
import re
from typing import Literal

# A count whose upper bound is at least this is left open: RE2 writes out one copy per count.
OPEN_FROM = 10
_COUNT = re.compile(r"\{(\d+),(\d+)\}")
_NOT_ALNUM = r"[^\pL\pN]"
_NOT_ASCII_ALNUM = "[^a-zA-Z0-9]"


def screen_of(pattern: str) -> str | None:
    """The screen for `pattern`, or None where it would be the pattern itself or the syntax is
    beyond this reader."""
    pieces = _pieces(pattern)
    if pieces is None:
        return None
    out: list[str] = []
    for kind, start, end in pieces:
        piece = pattern[start:end]
        if kind == "class" and piece == _NOT_ALNUM:
            out.append(_NOT_ASCII_ALNUM)
        elif kind == "count" and _upper(piece) >= OPEN_FROM:
            out.append(piece[:piece.index(",") + 1] + "}")
        else:
            out.append(piece)
    screen = "".join(out)
    return None if screen == pattern else screen


def sure_of(pattern: str) -> str | None:
    """The pattern with only its cheap branches: for `P(B1|...|Bn)S`, where the group is the
    first at the top level whose branches are split by `|` and is not repeated (a quantifier
    after it: `(A|B)+` is no union of `A+` and `B+`), the same group with the branches that
    hold no long count. None when there is no such group, when every branch or none is cheap,
    when P or S holds a long count themselves or a `|` of their own, or when a flag is set
    inside the group (`(a(?-i)b|c)`: the flag reaches the branches after it)."""
    pieces = _pieces(pattern)
    if pieces is None:
        return None
    depth = 0
    group = -1  # where the chosen group opens
    bars: list[int] = []  # the group's own `|`s
    close = -1
    for kind, i, _end in pieces:
        c = pattern[i] if kind == "char" else ""
        if c == "(":
            if depth == 0 and close < 0:
                group, bars = i, []
            elif group >= 0 and close < 0 and _FLAGS.match(pattern, i):
                return None
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0 and group >= 0 and close < 0:
                repeated = pattern[i + 1:i + 2] in ("?", "*", "+", "{")
                if bars and not repeated:
                    close = i
                else:
                    group = -1
        elif c == "|":
            if depth == 0:
                return None
            if depth == 1 and group >= 0 and close < 0:
                bars.append(i)
    if close < 0 or depth != 0:
        return None
    opener = _OPENER.match(pattern, group)
    assert opener is not None
    head, tail = pattern[:opener.end()], pattern[close:]
    if _has_long_count(head) or _has_long_count(tail):
        return None
    edges = [opener.end() - 1, *bars, close]
    branches = [pattern[a + 1:b] for a, b in itertools.pairwise(edges)]
    cheap = [b for b in branches if not _has_long_count(b)]
    if not cheap or len(cheap) == len(branches):
        return None
    return head + "|".join(cheap) + tail


# An inline flag group that sets flags for what follows it: `(?i)`, `(?-s)`, not `(?i:`.
_FLAGS = re.compile(r"\(\?[a-zA-Z-]*\)")
# What opens a group: `(`, `(?:`, `(?i:`, `(?P<name>`.
_OPENER = re.compile(r"\((\?([a-zA-Z-]*:|P<\w+>))?")
Piece = tuple[Literal["escape", "class", "count", "char"], int, int]


def _pieces(pattern: str) -> list[Piece] | None:
    """The pattern read as this module needs it, one syntax reader for all its uses: each
    escape (a backslash and the next character), class, count (`{m,n}`) and other single
    character as (kind, start, end). None where the syntax is beyond this reader (`\\Q...\\E`
    quoting, a class that never closes)."""
    if "\\Q" in pattern:
        return None
    out: list[Piece] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(("escape", i, i + 2))
            i += 2
        elif c == "[":
            end = _class_end(pattern, i)
            if end < 0:
                return None
            out.append(("class", i, end))
            i = end
        elif c == "{" and (count := _COUNT.match(pattern, i)) is not None:
            out.append(("count", i, count.end()))
            i = count.end()
        else:
            out.append(("char", i, i + 1))
            i += 1
    return out


def _upper(count: str) -> int:
    """The upper bound of a count `{m,n}`."""
    return int(count[count.index(",") + 1:-1])


def _has_long_count(part: str) -> bool:
    """Whether `part` holds a counted repetition of OPEN_FROM or more (unreadable: as if)."""
    pieces = _pieces(part)
    return pieces is None or any(kind == "count" and _upper(part[a:b]) >= OPEN_FROM
                                 for kind, a, b in pieces)


def _class_end(pattern: str, start: int) -> int:
    """The index just past the class opened at `start` (-1 if it never closes): a `]` first
    (after an optional `^`) is a member, a backslash escapes the next character, and a POSIX
    class (`[:alpha:]`) closes with its own `:]`."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
        elif pattern.startswith("[:", i):
            close = pattern.find(":]", i + 2)
            if close < 0:
                return -1
            i = close + 2
        elif c == "]":
            return i + 1
        else:
            i += 1
    return -1
