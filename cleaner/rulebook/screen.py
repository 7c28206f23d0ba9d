"""A cheap superset of a pattern, to screen a nominated line before the pattern is compiled.

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
"""

from __future__ import annotations

import re

# A count whose upper bound is at least this is left open: RE2 writes out one copy per count.
OPEN_FROM = 10
_COUNT = re.compile(r"\{(\d+),(\d+)\}")
_NOT_ALNUM = r"[^\pL\pN]"
_NOT_ASCII_ALNUM = "[^a-zA-Z0-9]"


def screen_of(pattern: str) -> str | None:
    """The screen for `pattern`, or None where it would be the pattern itself or the syntax is
    beyond this reader."""
    if "\\Q" in pattern:
        return None
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
        elif c == "[":
            if pattern.startswith(_NOT_ALNUM, i):
                out.append(_NOT_ASCII_ALNUM)
                i += len(_NOT_ALNUM)
                continue
            end = _class_end(pattern, i)
            if end < 0:
                return None
            out.append(pattern[i:end])
            i = end
        elif c == "{" and (count := _COUNT.match(pattern, i)) is not None:
            low, high = count.group(1), int(count.group(2))
            out.append(f"{{{low},}}" if high >= OPEN_FROM else count.group(0))
            i = count.end()
        else:
            out.append(c)
            i += 1
    screen = "".join(out)
    return None if screen == pattern else screen


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
