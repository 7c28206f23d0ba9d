"""The literal strings a pattern's every match must hold: which lines a regex rule can touch.

Running every rule's regex over every page costs a scan per pattern. Most patterns name their
labels in so many words ("leave a reply", "advertisement"), and a match must contain one of
them. `required_atoms` reads a pattern's syntax tree and returns a set of casefolded strings
such that any match, casefolded, contains at least one of them (a necessary condition, as
RE2's own prefilter computes, here kept per line); None when the pattern promises no string
of `MIN_ATOM` characters. A line whose casefolded text holds none of a pattern's atoms cannot
match it, so only the lines that hold one are searched.

Why casefolded text: the packs match case-insensitively (`(?i)`), and RE2 folds a letter to
the letters of its simple case-folding orbit; Python's `casefold` maps every letter of an
orbit to one and the same string, so a match's casefold holds the casefold of the literal
it matched. A case-sensitive literal is a fortiori found in the casefolded text.

The syntax is read with Python's `re` parser after RE2's Unicode classes (`\\pL`, `\\p{Lu}`)
are replaced by classes of many characters, which the analysis treats as any character. A
pattern it cannot read gets None: it is searched on every line.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import warnings
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Any

# The `re` module's parser (re._parser since Python 3.11, sre_parse before), untyped.
sre: Any = importlib.import_module("re._constants" if sys.version_info >= (3, 11)
                                   else "sre_constants")
sre_parse: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11)
                                         else "sre_parse")

# Atoms weaker than this (`_strength`) nominate too many lines to be worth keeping.
MIN_ATOM = 3
# Characters that prose is full of besides letters and digits: they weigh in an atom's
# strength as a letter does; any other mark ("(", "@", "©", "|") weighs twice.
_COMMON_MARKS = frozenset(" .,'-:;\"!?")
# The most strings an exact set may hold, and the longest of them, before it is given up.
MAX_EXACT = 64
MAX_LENGTH = 48
# The most atoms a pattern may place (its branches' together).
MAX_PLACED = 1024
# A class of more characters than this is read as any character.
MAX_CLASS = 4

# RE2's Unicode classes, outside and inside brackets: replaced by placeholder characters
# (letters, numbers, any other class), which the analysis reads as many characters.
_UNICODE_CLASS = re.compile(r"\\([pP])(?:\{([^}]*)\}|([A-Za-z]))")
_POSIX_CLASS = re.compile(r"\[:\^?[a-z]+:\]")
_LETTERS, _NUMBERS, _OTHER = "\x01", "\x02", "\x03"
_PLACEHOLDERS = frozenset(map(ord, _LETTERS + _NUMBERS + _OTHER))
_MANY = "\x04\x05\x06\x07"
# Where an atom stands in a matching line (flags): after nothing but characters that are no
# letter or number (HEAD), and before nothing but such (TAIL).
ANYWHERE, HEAD, TAIL = 0, 1, 2

Exact = frozenset[str] | None
Atoms = frozenset[str] | None


class _Info:
    """What a node of the syntax tree can match: `exact`, every string it matches (None when
    too many or unbounded), and `atoms`, strings one of which each match holds (None: no
    promise)."""

    __slots__ = ("atoms", "exact")

    def __init__(self, exact: Exact, atoms: Atoms) -> None:
        self.exact = exact
        self.atoms = atoms if atoms is not None else _as_atoms(exact)


def _as_atoms(exact: Exact) -> Atoms:
    if exact is None or any(_strength(s) < MIN_ATOM for s in exact):
        return None
    return exact


def _strength(atom: str) -> int:
    """How rarely a line holds `atom`, roughly: its length, with marks that prose seldom
    uses counted twice (an embed's "(@" is rarer than the word "may")."""
    return len(atom) + sum(1 for c in atom
                           if not c.isalnum() and not c.isspace() and c not in _COMMON_MARKS)


_ANYTHING = _Info(None, None)


def _exact(strings: set[str]) -> Exact:
    if len(strings) > MAX_EXACT or any(len(s) > MAX_LENGTH for s in strings):
        return None
    return frozenset(strings)


def required_atoms(pattern: str) -> Atoms:
    """Casefolded strings one of which every match of `pattern` holds (each at least
    MIN_ATOM characters, none with a line break), or None."""
    found: Atoms = _reading(lambda: _required_atoms(pattern))
    return found


def _required_atoms(pattern: str) -> Atoms:
    if _POSIX_CLASS.search(pattern):  # which Python's parser would read as literals
        return None
    try:
        tree = _parsed(pattern)
    except (re.error, ValueError, OverflowError, RecursionError):
        return None
    atoms = _sequence(list(tree)).atoms
    if atoms is None or any("\n" in a for a in atoms):
        return None
    return atoms


Placed = tuple[tuple[str, int, int], ...]


# The analysis of the built-in packs' patterns, worked out ahead (`make atoms` rewrites the
# file; a test holds it to a fresh analysis): a one-file run reads it instead of parsing each
# pattern. A pattern not in it (a user's pack, an edited
# rule) is analysed when first met.
SHIPPED = Path(__file__).resolve().parent / "atoms.json"


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Placed | None]:
    try:
        data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {pattern: None if placed is None else tuple((a, p, b) for a, p, b in placed)
            for pattern, placed in data.get("patterns", {}).items()}


def atoms_for(pattern: str) -> Placed | None:
    """`placed_atoms`, from the shipped analysis when it holds the pattern."""
    shipped = _shipped()
    if pattern in shipped:
        return shipped[pattern]
    return placed_atoms(pattern)


def write_shipped(patterns: list[str]) -> None:
    """Write the analysis of `patterns` to SHIPPED (sorted: the same packs, the same file)."""
    rows = [f"{json.dumps(p, ensure_ascii=False)}: "
            f"{json.dumps(placed_atoms(p), ensure_ascii=False, separators=(',', ':'))}"
            for p in sorted(set(patterns))]
    SHIPPED.write_text('{"note": "Written by `make atoms` from the built-in packs.",\n'
                       '"patterns": {\n' + ",\n".join(rows) + "}}\n", encoding="utf-8")


def builtin_patterns() -> list[str]:
    """The patterns of the built-in packs that a rule set scans (regex rules, and the first
    pattern of each sequence)."""
    from cleaner.rulebook.loader import load_packs

    return [pattern for pack in load_packs(()) for rule in pack.rules
            if rule.kind in ("regex", "sequence")
            for pattern in (rule.patterns if rule.kind == "regex" else rule.patterns[:1])]


def placed_atoms(pattern: str) -> Placed | None:
    """`required_atoms` with where each stands in a matching line: (atom, place, before).

    A pattern anchored at the line's start (`^[^\\pL\\pN]*...`, as the packs' labels are)
    promises the atom early in the line: before it, only characters its own prefix can match
    (punctuation, and the ASCII letters and digits in `before`, a mask: bit k for the digit k,
    bit 10 + k for the k-th letter): place HEAD. When the label is all of the line, nothing
    but punctuation follows it either: place TAIL. A line of prose that merely holds the word
    shows neither. Placed atoms may be short ("ad"): where they stand makes them selective.
    Why ASCII only: casefolding never makes an ASCII letter or digit of a character that is
    no letter or number (a test reads all of Unicode), so punctuation before a label stays
    punctuation in the casefolded text; other scripts' letters are not looked at.
    """
    found: Placed | None = _reading(lambda: _placed_atoms(pattern))
    return found


def _placed_atoms(pattern: str) -> Placed | None:
    if _POSIX_CLASS.search(pattern):
        return None
    try:
        items = list(_parsed(pattern))
    except (re.error, ValueError, OverflowError, RecursionError):
        return None
    if not items or items[0] != (sre.AT, sre.AT_BEGINNING):
        atoms = _sequence(items).atoms
        if atoms is None or any("\n" in a for a in atoms):
            return None
        return tuple(sorted((a, ANYWHERE, 0) for a in atoms))
    items = _without_junk(items[1:])
    tail = len(items) > 0 and items[-1] == (sre.AT, sre.AT_END)
    core = _without_junk(items[:-1][::-1])[::-1] if tail else items
    placed: set[tuple[str, int, int]] = set()
    for alternative in _alternatives(core):
        info = _sequence(alternative)
        if tail and info.exact is not None and "" not in info.exact:
            placed.update((s, HEAD | TAIL, 0) for s in info.exact)
            continue
        leading = _leading(alternative, 0, 0)
        if leading is not None:
            placed.update((s, HEAD, mask) for s, mask in leading)
        elif info.atoms is not None:
            placed.update((s, ANYWHERE, 0) for s in info.atoms)
        else:
            return None
    if not placed or any("\n" in a for a, _, _ in placed):
        return None
    return tuple(sorted(placed))


_DIGITS = (1 << 10) - 1
_LETTER_BITS = ((1 << 26) - 1) << 10
_ALL = _DIGITS | _LETTER_BITS


def _mask_of(text: str) -> int:
    """The ASCII letters and digits of `text` as a mask."""
    mask = 0
    for c in text:
        if "0" <= c <= "9":
            mask |= 1 << (ord(c) - 48)
        elif "a" <= c <= "z":
            mask |= 1 << (10 + ord(c) - 97)
    return mask


def _reach(op: Any, av: Any) -> int:
    """The ASCII letters and digits (casefolded) a node can match, as a mask."""
    if op is sre.LITERAL:
        return _mask_of(chr(av).casefold()) if av not in _PLACEHOLDERS else _ALL
    if op is sre.AT:
        return 0
    if op is sre.IN:
        members = list(av)
        if members and members[0][0] is sre.NEGATE:
            excluded = {v for o, v in members[1:] if o is sre.LITERAL}
            return 0 if {ord(_LETTERS), ord(_NUMBERS)} <= excluded else _ALL
        mask = 0
        for o, v in members:
            if o is sre.LITERAL:
                mask |= _ALL if v in _PLACEHOLDERS else _mask_of(chr(v).casefold())
            elif o is sre.RANGE:
                mask |= _ALL if v[1] - v[0] > 128 else \
                    _mask_of("".join(chr(c) for c in range(v[0], v[1] + 1)).casefold())
            elif o is sre.CATEGORY and v in (sre.CATEGORY_SPACE, sre.CATEGORY_LINEBREAK):
                continue
            elif o is sre.CATEGORY and v is sre.CATEGORY_DIGIT:
                mask |= _DIGITS
            else:
                return _ALL
        return mask
    if op is sre.SUBPATTERN:
        return _reach_all(list(av[-1]))
    if op is sre.BRANCH:
        return _or(*(_reach_all(list(b)) for b in av[1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        return _reach_all(list(av[2]))
    return _ALL


def _or(*masks: int) -> int:
    out = 0
    for mask in masks:
        out |= mask
    return out


def _reach_all(items: list[tuple[Any, Any]]) -> int:
    return _or(*(_reach(op, av) for op, av in items))


def _leading(items: list[tuple[Any, Any]], before: int, depth: int
             ) -> list[tuple[str, int]] | None:
    """The strings of two characters or more that a match of `items` holds early on, each
    with the mask of the ASCII letters and digits that may come before it within the match:
    the first exact run (multiplied out), after any part that cannot give one is stepped over
    (its letters and digits added to the mask); a group is read in place, an alternation
    branch by branch. None when some way through gives no such string."""
    if depth > 16 or not items or before == _ALL:
        return None  # past a part that may hold anything, where an atom stands says nothing
    op, av = items[0]
    rest = items[1:]
    if op is sre.SUBPATTERN:
        return _leading(list(av[-1]) + rest, before, depth + 1)
    if op is sre.BRANCH:
        out: list[tuple[str, int]] = []
        for branch in av[1]:
            found = _leading(list(branch) + rest, before, depth + 1)
            if found is None:
                return None
            out += found
        return out if len(out) <= MAX_PLACED else None
    if op is sre.AT:
        return _leading(rest, before, depth + 1)
    run = _leading_exact(items)
    if run is not None and all(map(_placeable, run)):
        return [(s, before) for s in run]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
        found = _leading(list(av[2]), before, depth + 1)
        if found is not None:
            return found
    # Step over the first part: whatever it matches may come before what follows.
    return _leading(rest, before | _reach(op, av), depth + 1)


def _without_junk(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """`items` without a leading `[^\\pL\\pN]*`: any run of characters that are no letter
    and no number."""
    if items and items[0][0] in (sre.MAX_REPEAT, sre.MIN_REPEAT) and items[0][1][0] == 0:
        inner = list(items[0][1][2])
        if len(inner) == 1 and inner[0][0] is sre.IN and _reach(*inner[0]) == 0:
            members = inner[0][1]
            if members and members[0][0] is sre.NEGATE:
                return items[1:]
    return items


def _alternatives(items: list[tuple[Any, Any]]) -> list[list[tuple[Any, Any]]]:
    """The branches of a pattern that is one alternation (in a group or not), else itself."""
    if len(items) == 1 and items[0][0] is sre.SUBPATTERN:
        return _alternatives(list(items[0][1][-1]))
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        return [list(branch) for branch in items[0][1][1]]
    return [items]


def _placeable(atom: str) -> bool:
    """Whether an atom is selective enough where it stands: two characters, or one that is
    not an ASCII letter or digit ("©", ":")."""
    return len(atom) >= 2 or (len(atom) == 1 and not _mask_of(atom))


def _leading_exact(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The strings every match of `items` starts with: its leading exact parts multiplied out,
    up to MAX_PLACED strings (None when its first part is not exact)."""
    run: set[str] | None = None
    for info in _parts(items):
        if info.exact is None:
            break
        if run is None:
            run = set(info.exact)
            continue
        grown = _product(run, info.exact, MAX_PLACED)
        if grown is None:
            if len(run) * len(info.exact) <= MAX_PLACED:
                # Too long to hold whole: what every match starts with, it starts with cut
                # short too ("the material may not be published, broadcast, ...").
                run = {(a + b)[:MAX_LENGTH] for a, b in product(run, info.exact)}
            break
        run = grown
    return frozenset(_prefix_minimal(run)) if run else None


def _prefix_minimal(strings: set[str]) -> set[str]:
    """`strings` without those that start with another of them: a line that starts with
    "share this" starts with "share", so "share" alone nominates the same lines (and the
    branches of an alternation followed by optional parts stay under MAX_PLACED together)."""
    kept: list[str] = []
    for s in sorted(strings):  # a string's extensions follow it directly
        if not kept or not s.startswith(kept[-1]):
            kept.append(s)
    return set(kept)


def _readable(pattern: str) -> str:
    """The pattern in Python's syntax: RE2's Unicode classes as many characters."""
    out = []
    depth = 0  # inside brackets or not
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            found = _UNICODE_CLASS.match(pattern, i)
            if found:
                name = found.group(2) or found.group(3)
                mark = _OTHER if found.group(1) == "P" else \
                    {"L": _LETTERS, "N": _NUMBERS}.get(name, _OTHER)
                out.append(mark + _MANY if depth else f"[{mark}{_MANY}]")
                i = found.end()
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[" and not depth:
            depth = 1
            out.append(c)
            # a ']' first in the class (after an optional '^') is a literal
            j = i + 1
            if j < len(pattern) and pattern[j] == "^":
                out.append("^")
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                out.append("\\]")
                j += 1
            i = j
            continue
        if c == "]" and depth:
            depth = 0
        out.append(c)
        i += 1
    return "".join(out)


def _sequence(items: list[tuple[Any, Any]]) -> _Info:
    """A concatenation. Every part is in every match, so the best promise of any part stands
    for the whole; runs of consecutive exact parts are multiplied out first ("leave a " and
    "(reply|comment)" give "leave a reply", "leave a comment")."""
    best: Atoms = None
    run: set[str] = {""}  # the strings the current run of exact parts matches
    whole: set[str] | None = {""}  # the strings the whole matches, while every part is exact
    for info in _parts(items):
        best = _better(best, info.atoms)
        if info.exact is None:
            run = {""}
            whole = None
            continue
        grown = _product(run, info.exact)
        run = grown if grown is not None else set(info.exact)
        best = _better(best, _as_atoms(frozenset(run)))
        whole = _product(whole, info.exact) if whole is not None else None
    exact = frozenset(whole) if whole is not None else None
    return _Info(exact, _better(best, _as_atoms(exact)))


def _parts(items: list[tuple[Any, Any]]) -> list[_Info]:
    """The parts of a concatenation, each run of literal characters as one string."""
    parts: list[_Info] = []
    letters: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            letters.append(chr(av).casefold())
            continue
        if letters:
            parts.append(_Info(frozenset({"".join(letters)}), None))
            letters = []
        parts.append(_node(op, av))
    if letters:
        parts.append(_Info(frozenset({"".join(letters)}), None))
    return parts


def _product(left: set[str], right: frozenset[str], limit: int = MAX_EXACT) -> set[str] | None:
    if len(left) * len(right) > limit or \
            max(map(len, left)) + max(map(len, right)) > MAX_LENGTH:
        return None
    return {a + b for a, b in product(left, right)}


def _better(a: Atoms, b: Atoms) -> Atoms:
    """The more selective of two promises: the stronger weakest atom, then fewer atoms."""
    if a is None:
        return b
    if b is None:
        return a
    key_a = (min(map(_strength, a)), -len(a))
    key_b = (min(map(_strength, b)), -len(b))
    return b if key_b > key_a else a


# Each node's analysis, by the node's identity, while one pattern is read (`_reading`): the
# search for where atoms stand reads the same parts again from every branch point.
_MEMO: dict[tuple[Any, int], tuple[Any, _Info]] = {}


def _parsed(pattern: str) -> Any:
    """The re module's syntax tree of the pattern as RE2 reads it (`_readable`), without
    Python's warnings about syntax it may one day read otherwise ("possible nested set" at
    a "[[" that RE2 reads as a "[" in a class): the pattern is RE2's, and a user's pack
    would have them printed on every run."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return sre_parse.parse(_readable(pattern))


def _reading(parse: Any) -> Any:
    """Run `parse` with a fresh memo (the syntax tree it reads stays alive meanwhile)."""
    _MEMO.clear()
    try:
        return parse()
    finally:
        _MEMO.clear()


def _node(op: Any, av: Any) -> _Info:
    key = (op, id(av))
    found = _MEMO.get(key)
    if found is not None and found[0] is av:
        return found[1]
    info = _node_info(op, av)
    _MEMO[key] = (av, info)
    return info


def _node_info(op: Any, av: Any) -> _Info:
    if op is sre.LITERAL:
        return _Info(frozenset({chr(av).casefold()}), None)
    if op is sre.IN:
        return _char_class(av)
    if op in (sre.ANY, sre.NOT_LITERAL):
        return _ANYTHING
    if op is sre.AT:
        return _Info(frozenset({""}), None)
    if op is sre.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is sre.BRANCH:
        return _branch([_sequence(list(alternative)) for alternative in av[1]])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, high, item = av
        return _repeat(low, high, _sequence(list(item)))
    return _ANYTHING  # lookarounds, back references, anything RE2 would not take anyway


def _char_class(items: list[tuple[Any, Any]]) -> _Info:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL and av in _PLACEHOLDERS:
            return _ANYTHING
        if op is sre.LITERAL:
            chars.add(chr(av).casefold())
        elif op is sre.RANGE and av[1] - av[0] < MAX_CLASS:
            chars.update(chr(c).casefold() for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, a wide range
            return _ANYTHING
    if len(chars) > MAX_CLASS:
        return _ANYTHING
    return _Info(frozenset(chars), None)


def _branch(infos: list[_Info]) -> _Info:
    exact: Exact = None
    if all(i.exact is not None for i in infos):
        exact = _exact(set().union(*(i.exact for i in infos if i.exact is not None)))
    atoms: Atoms = None
    if all(i.atoms is not None for i in infos):
        atoms = frozenset().union(*(i.atoms for i in infos if i.atoms is not None))
    return _Info(exact, atoms)


def _repeat(low: int, high: int, info: _Info) -> _Info:
    if low == 0:
        if high == 1 and info.exact is not None:
            return _Info(_exact({"", *info.exact}), None)
        return _Info(None, None)
    if low == high and info.exact is not None and low <= 4:
        strings: set[str] | None = {""}
        for _ in range(low):
            strings = _product(strings, info.exact) if strings is not None else None
        return _Info(frozenset(strings) if strings is not None else None, info.atoms)
    return _Info(None, info.atoms)
