"""Rules compiled once into whole-page scans and line nominations.

Checking every rule against every line in Python would cost more than everything else the
chain does. Instead each page is read once per table, in C and in linear time: one RE2
alternation of the `exact` literals and one of the `contains` literals over the page's folded
text; and for the `regex` rules (and the first pattern of every `sequence`), the atoms each
pattern's every match must hold (atoms.py) are found in one pass over the page's casefolded
text (`_core.AtomIndex`), which names the lines each pattern may match. A pattern that
promises no atom scans the whole page with RE2. The scans and the atoms only nominate
candidate lines; each candidate is then confirmed rule by rule, which is where guards and
exact semantics live. A nomination is a superset by construction: every line a match
touches, every line that holds one of a pattern's atoms, becomes a candidate.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import re2

from cleaner import _core, language
from cleaner.normalize import matching_form
from cleaner.page import Page, is_blank
from cleaner.rulebook.atoms import ANYWHERE, TAIL, Placed, atoms_for
from cleaner.rulebook.model import Pack, Rule
from cleaner.rulebook.screen import screen_of, sure_of

_SPACE = r"[^\S\n]+"
# Atoms are looked for by their first this many characters: a shorter automaton, and a line
# that holds a long atom holds its start too (the pattern then decides).
ATOM_PREFIX = 10
# RE2 takes UTF-8; a lone surrogate (from undecodable input bytes) is swapped for U+FFFD,
# one code point for one, so offsets stay true.
_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _options() -> re2.Options:
    """Rules ask whether and where a pattern matches, never what a group holds: parentheses
    compiled as non-capturing let RE2 answer from its automata alone (with groups to fill it
    runs a second, slower engine over each match)."""
    options = re2.Options()
    options.log_errors = False
    options.never_capture = True
    return options


def _literal_pattern(literal: str) -> str:
    return _SPACE.join(re2.escape(part) for part in literal.split(" "))


def compile_regex(pattern: str) -> re2._Regexp:
    return re2.compile(pattern, _options())


def line_local(rule: Rule) -> bool:
    """Whether the rule's verdict on a line is the line's text's alone (given the page's
    language and host): a one-line match that drops the line, with no guard on where the line
    stands. A later pass that sees the same text need not run it again: on the first pass it
    either took the line or passed it over, and nothing it reads has moved."""
    return (rule.action == "drop-line" and rule.kind in ("regex", "exact", "contains")
            and rule.where.position == "any")


@dataclass(frozen=True, slots=True)
class RulesSeen:
    """What one RuleSet ran over on a document's earlier pass: the page language it used and,
    by original line number, the text of each line that no line-local rule took."""

    ruleset: int  # id() of the RuleSet
    lang: str | None
    texts: dict[int, str]

    def covers(self, ruleset: RuleSet, page: Page, lang: str | None) -> bool:
        """Whether every line of `page` was run over before, with the same text and language."""
        if self.ruleset != id(ruleset) or self.lang != lang:
            return False
        return list(map(self.texts.get, page.origin)) == page.lines


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that fired: on which lines, and for `strip` which spans of the first line."""

    rule: Rule
    priority: int
    lines: tuple[int, ...]
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def index(self) -> int:
        return self.lines[0]


class RuleSet:
    """A compiled, immutable set of rules; build once per process, use for every page."""

    def __init__(self, rules: Sequence[Rule], *, nominate: bool = True) -> None:
        self.rules = tuple(rules)
        self._priority = {rule.id: i for i, rule in enumerate(self.rules)}
        self._exact: dict[str, list[Rule]] = {}
        self._contains: list[tuple[Rule, tuple[str, ...]]] = []
        # (rule, whole-page scan, per-line patterns): one per pattern. Patterns are kept as
        # text and compiled at first use: a page scan only for a pattern without atoms, a
        # line pattern only when a nominated line gets through its screen. Most of a one-file
        # run's start-up was compiling rules it never ran.
        self._scans: list[tuple[Rule, str, tuple[str, ...]]] = []
        self._page_scans: dict[str, re2._Regexp] = {}
        self._line_patterns: dict[str, LinePattern] = {}
        self._scan_lines: dict[int, tuple[LinePattern, ...]] = {}
        contains_literals: set[str] = set()
        for rule in self.rules:
            if rule.kind == "exact":
                for literal in rule.patterns:
                    self._exact.setdefault(matching_form(literal), []).append(rule)
            elif rule.kind == "contains":
                literals = tuple(matching_form(p) for p in rule.patterns)
                self._contains.append((rule, literals))
                contains_literals.update(literals)
            elif rule.kind == "regex":
                for pattern in rule.patterns:
                    self._scans.append((rule, pattern, (pattern,)))
            else:
                self._scans.append((rule, rule.patterns[0], tuple(rule.patterns)))
        self._exact_scan = _alternation(
            [_literal_pattern(lit) for lit in sorted(self._exact)],
            prefix=r"(?m)^[^\S\n]*(?:", suffix=r")[^\S\n]*$")
        self._contains_scan = _alternation(
            [_literal_pattern(lit) for lit in sorted(contains_literals)], prefix="(?:", suffix=")")
        self._has_lang = any(rule.lang for rule in self.rules)
        # What a pass over lines the rules have seen before runs (RulesSeen): the rest.
        self._line_local = frozenset(rule.id for rule in self.rules if line_local(rule))
        self._later_scans = frozenset(k for k, (rule, _scan, _patterns) in enumerate(self._scans)
                                      if rule.id not in self._line_local)
        # The scans whose hit is a kept line their one pattern is found in (no guard, no
        # strip, no sequence): confirmed without `_confirm`'s checks.
        self._plain_scans = frozenset(
            k for k, (rule, _scan, _patterns) in enumerate(self._scans)
            if rule.kind == "regex" and rule.action != "strip" and _unguarded(rule))
        self._exact_later = any(r.id not in self._line_local for rules in self._exact.values()
                                for r in rules)
        self._contains_later = any(rule.id not in self._line_local
                                   for rule, _ in self._contains)
        # Each scan's atoms (None: it scans the whole page), worked out at first use, and an
        # index of the atoms of each page language's scans, built at its first page: a
        # one-file run reads the patterns of one language. `nominate=False` scans every page
        # whole with every pattern (the reference the tests hold the nominations to).
        self.nominate = nominate
        self._literal_index: _core.AtomIndex | None = None
        self._exact_lines: _core.LineSet | None = None
        self._atoms: dict[int, Placed | None] = {}
        self._by_language: dict[tuple[str | None, bool],
                                tuple[tuple[int, ...], _core.AtomIndex]] = {}

    @classmethod
    def from_packs(cls, packs: Iterable[Pack], disable: Iterable[str] = (), *,
                   nominate: bool = True) -> RuleSet:
        off = set(disable)
        return cls([rule for pack in packs if pack.name not in off
                    for rule in pack.rules if rule.id not in off], nominate=nominate)

    def __len__(self) -> int:
        return len(self.rules)

    # -- finding ---------------------------------------------------------------------------
    def find(self, page: Page, lang: str | None = None) -> list[Hit]:
        """Every rule hit on the page's kept lines, guards applied, in line then rule order.

        A rule with `lang` fires only on pages in one of its languages; the page's language is
        detected when such rules are loaded (or given as `lang`), and a page too short to tell
        runs them all.
        """
        hits: list[Hit] = []
        if not page.lines:
            return hits
        if self._has_lang and lang is None:
            lang = language.page_language(page.visible_lines())
        scope = lang if self._has_lang else None
        seen = page.state.rules_seen
        later = seen is not None and seen.covers(self, page, scope)
        hits = self._find(page, scope, later)
        if lang is not None and self._has_lang:
            hits = [h for h in hits if not h.rule.lang or lang in h.rule.lang]
        if not later:
            texts = dict(zip(page.origin, page.lines, strict=True))
            for h in hits:
                if h.rule.id in self._line_local:
                    for i in h.lines:
                        texts.pop(page.origin[i], None)
            page.state.rules_seen = RulesSeen(id(self), scope, texts)
        return hits

    def _find(self, page: Page, lang: str | None = None, later: bool = False) -> list[Hit]:
        """The hits; `later` for lines every rule has run over before (RulesSeen), when
        only the rules that are not line-local run."""
        hits: list[Hit] = []
        exact = self._exact_scan is not None and (not later or self._exact_later)
        contains = self._contains_scan is not None and (not later or self._contains_later)
        if exact or contains:
            # The lines that are an exact literal (their words), and those that hold a
            # contains literal's longest word, searched with the tables' own alternations,
            # as the whole page once was.
            folded = page.folded_lines()
            if exact and self._exact_scan is not None:
                for i in self._exact_candidates(page):
                    if not _found(self._exact_scan, folded[i]):
                        continue
                    for rule in self._exact.get(page.matching_form(i), ()):
                        if not (later and rule.id in self._line_local):
                            self._add(page, hits, rule, (i,))
            if contains and self._contains_scan is not None:
                for i in self._contains_candidates(page):
                    if not _found(self._contains_scan, folded[i]):
                        continue
                    norm = page.matching_form(i)
                    for rule, literals in self._contains:
                        if not (later and rule.id in self._line_local) and \
                                any(lit in norm for lit in literals):
                            self._add(page, hits, rule, (i,))
        if self._scans:
            # The page's language's scans: the lines their atoms nominate, and whole-page
            # scans for those without atoms.
            unplaced, index = self._for_language(lang, later)
            touched: dict[int, list[int]] = index.nominate(page.visible_text(), True)
            if unplaced:
                raw = _Scannable(page.visible_text())
                for k in unplaced:
                    found = raw.lines_touched(self._page_scan(self._scans[k][1]))
                    if found:
                        touched[k] = found
            visible = page.visible_lines()
            dropped = page.dropped
            for k in sorted(touched):
                if later and k not in self._later_scans:
                    continue
                rule = self._scans[k][0]
                compiled = self._line_patterns_of(k)
                if k in self._plain_scans:
                    # A one-line match with no guard (most rules): kept and found is a hit.
                    first, priority = compiled[0], self._priority[rule.id]
                    hits.extend(Hit(rule, priority, (i,)) for i in touched[k]
                                if dropped[i] is None and first.found(visible[i]))
                    continue
                for i in touched[k]:
                    self._confirm(page, hits, rule, compiled, i)
        hits.sort(key=lambda h: (h.index, h.priority))
        return hits

    def _exact_candidates(self, page: Page) -> list[int]:
        if not self.nominate:
            assert self._exact_scan is not None
            return _Scannable(page.folded_text()).lines_touched(self._exact_scan)
        return self.exact_lines.lines(page.folded_lines())

    def _contains_candidates(self, page: Page) -> list[int]:
        if not self.nominate:
            assert self._contains_scan is not None
            return _Scannable(page.folded_text()).lines_touched(self._contains_scan)
        return self.literal_index.nominate(page.folded_text()).get(0, [])

    @property
    def exact_lines(self) -> _core.LineSet:
        """The `exact` literals (their matching forms), which name the lines that are one of
        them (built at first use)."""
        if self._exact_lines is None:
            self._exact_lines = _core.LineSet(sorted(self._exact))
        return self._exact_lines

    @property
    def literal_index(self) -> _core.AtomIndex:
        """The `contains` literals' longest words (built at first use)."""
        if self._literal_index is None:
            owners: dict[str, set[tuple[int, int, int]]] = {}
            for _rule, literals in self._contains:
                for literal in literals:
                    word = max(literal.split(" "), key=len)
                    owners.setdefault(word, set()).add((0, ANYWHERE, 0))
            keys = sorted(owners)
            self._literal_index = _core.AtomIndex(
                keys, [tuple(sorted(owners[k])) for k in keys], 1)
        return self._literal_index

    def _for_language(self, lang: str | None, later: bool = False
                      ) -> tuple[tuple[int, ...], _core.AtomIndex]:
        """Of the scans a page in `lang` runs (every scan for None), those without atoms, and
        the index of the others' atoms (each by its first ATOM_PREFIX characters, with the
        scans it stands for). `later`: of the scans a later pass runs (RulesSeen), whose
        smaller automaton reads a page faster and nominates nothing the pass would skip."""
        found = self._by_language.get((lang, later))
        if found is None:
            scans = tuple(k for k, (rule, _scan, _patterns) in enumerate(self._scans)
                          if (lang is None or not rule.lang or lang in rule.lang)
                          and (not later or k in self._later_scans))
            owners: dict[str, set[tuple[int, int, int]]] = {}
            for k in scans:
                if k not in self._atoms:
                    self._atoms[k] = atoms_for(self._scans[k][1]) if self.nominate \
                        else None
                for atom, place, before in self._atoms[k] or ():
                    # a prefix of an atom that must end its line need not end it
                    key = atom if len(atom) <= ATOM_PREFIX else atom[:ATOM_PREFIX]
                    owners.setdefault(key, set()).add(
                        (k, place if key == atom else place & ~TAIL, before))
            keys = sorted(owners)
            index = _core.AtomIndex(keys, [tuple(sorted(owners[a])) for a in keys],
                                    len(self._scans))
            unplaced = tuple(k for k in scans if self._atoms[k] is None)
            found = self._by_language[(lang, later)] = (unplaced, index)
        return found

    def _page_scan(self, pattern: str) -> re2._Regexp:
        regex = self._page_scans.get(pattern)
        if regex is None:
            regex = self._page_scans[pattern] = _page_scan(pattern)
        return regex

    def _line_patterns_of(self, k: int) -> tuple[LinePattern, ...]:
        """The scan's line patterns (shared by text with every scan that holds them)."""
        found = self._scan_lines.get(k)
        if found is None:
            found = self._scan_lines[k] = tuple(self._line_pattern(p)
                                                for p in self._scans[k][2])
        return found

    def _line_pattern(self, pattern: str) -> LinePattern:
        found = self._line_patterns.get(pattern)
        if found is None:
            found = self._line_patterns[pattern] = LinePattern(pattern)
        return found

    def _confirm(self, page: Page, hits: list[Hit], rule: Rule,
                 patterns: tuple[LinePattern, ...], i: int) -> None:
        # The line's own conditions first (kept, the rule's guards): cheaper than a search.
        if not page.kept(i) or not _guards_pass(page, rule, i):
            return
        # Matched without invisible format characters; a strip's spans are offsets into the
        # line as written, so a strip reads the line itself.
        if rule.action == "strip":
            line = encodable(page.lines[i])
            if not patterns[0].may_match(line):
                return
            spans = tuple(m.span() for m in patterns[0].regex().finditer(line)
                          if m.end() > m.start())
            if spans:
                self._add(page, hits, rule, (i,), spans)
            return
        if not patterns[0].found(page.visible_lines()[i]):
            return
        if rule.kind == "regex":
            self._add(page, hits, rule, (i,))
            return
        run = [i]
        j = i + 1
        for regex in patterns[1:]:
            while j < len(page.lines) and is_blank(page.lines[j]):
                j += 1
            if j >= len(page.lines) or not regex.found(page.visible_lines()[j]):
                return
            run.append(j)
            j += 1
        self._add(page, hits, rule, tuple(run))

    def _add(self, page: Page, hits: list[Hit], rule: Rule, lines: tuple[int, ...],
             spans: tuple[tuple[int, int], ...] = ()) -> None:
        if not all(page.kept(i) for i in lines) or not _guards_pass(page, rule, lines[0]):
            return
        hits.append(Hit(rule, self._priority[rule.id], lines, spans))


class LinePattern:
    """A rule's line pattern, compiled when a nominated line first gets through its screen
    (screen.py) and its cheap branches do not match it: a one-file run compiles only the
    patterns that may match, and of those only the ones a line needs whole; once compiled the
    pattern alone decides, so a long run reads each line as it did without screens."""

    __slots__ = ("_regex", "_screen", "_sure", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._screen = _StandIn(screen_of(text))
        self._sure = _StandIn(sure_of(text))
        self._regex: re2._Regexp | None = None

    def regex(self) -> re2._Regexp:
        if self._regex is None:
            self._regex = compile_regex(self.text)
        return self._regex

    def may_match(self, line: str) -> bool:
        """False only where the pattern cannot match in `line`."""
        return self._regex is not None or self._screen.found(line) is not False

    def surely_matches(self, line: str) -> bool:
        """True only where the pattern matches in `line`: its cheap branches do (sure_of)."""
        return self._regex is None and self._sure.found(line) is True

    def found(self, line: str) -> bool:
        """Whether the pattern matches somewhere in `line` (once compiled, it alone asks:
        the screen and the cheap branches stand down)."""
        if self._regex is not None:
            return _found(self._regex, line)
        return self.may_match(line) and (self.surely_matches(line)
                                         or _found(self.regex(), line))


class _StandIn:
    """What a pattern is first read with, before it is compiled: its screen (a superset) or
    its cheap branches (a subset), compiled at first use; absent where the pattern has none."""

    __slots__ = ("_regex", "_text")

    def __init__(self, text: str | None) -> None:
        self._text = text
        self._regex: re2._Regexp | None = None

    def found(self, line: str) -> bool | None:
        """Whether it matches somewhere in `line`; None when there is none to ask."""
        if self._regex is None:
            if self._text is None:
                return None
            try:
                self._regex = compile_regex(self._text)
            except re2.error:  # pragma: no cover - made of the pattern's own syntax
                self._text = None
                return None
        return _found(self._regex, line)


_UNANCHORED = re2._re2.RE2.Anchor.UNANCHORED


def _found(regex: re2._Regexp, line: str) -> bool:
    """Whether `regex` matches somewhere in `line` (lone surrogates read as U+FFFD): RE2's own
    call on the UTF-8 bytes, without the wrapper's match object (a search through it costs
    twice as much)."""
    try:
        data = line.encode("utf-8")
    except UnicodeEncodeError:
        data = encodable(line).encode("utf-8")
    return bool(regex._regexp.Match(_UNANCHORED, data, 0, len(data))[0][0] >= 0)


def _page_scan(pattern: str) -> re2._Regexp:
    """The pattern as a whole-page scan: ^ and $ at line breaks."""
    options = _options()
    options.max_mem = 64 << 20
    return re2.compile("(?m)" + pattern, options)


def _alternation(parts: list[str], *, prefix: str, suffix: str) -> re2._Regexp | None:
    if not parts:
        return None
    options = _options()
    options.max_mem = 256 << 20
    return re2.compile(prefix + "|".join(parts) + suffix, options)


class _Scannable:
    """A page's text as UTF-8 bytes, scanned by RE2 without the wrapper's per-match
    conversion of byte offsets to character offsets: only line numbers are needed, and a
    line break is one byte. Lone surrogates (undecodable input) become invalid bytes that
    match nothing, which is what they are."""

    __slots__ = ("_newlines", "data")

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8", "surrogatepass")
        self._newlines: list[int] | None = None

    def lines_touched(self, scan: re2._Regexp) -> list[int]:
        """Indices of the lines that any match starts in, ends in or spans."""
        touched: list[int] = []
        for match in scan.finditer(self.data):
            start, end = match.span()
            if self._newlines is None:
                self._newlines = [m.start() for m in _NEWLINE.finditer(self.data)]
            first = bisect.bisect_left(self._newlines, start)
            last = bisect.bisect_left(self._newlines, max(start, end - 1))
            if touched and touched[-1] >= first:
                first = touched[-1] + 1
            touched.extend(range(first, last + 1))
        return touched


_NEWLINE = re.compile(b"\n")


def _unguarded(rule: Rule) -> bool:
    """Whether `_guards_pass` holds for the rule on every line."""
    where = rule.where
    return not where.site and where.max_words is None and where.position == "any"


def _guards_pass(page: Page, rule: Rule, index: int) -> bool:
    where = rule.where
    if where.site and not where.covers(page.host()):
        return False
    if where.max_words is not None and page.words()[index] > where.max_words:
        return False
    if where.position == "any":
        return True
    words = page.words()
    before = sum(words[:index])
    total = before + sum(words[index:])
    if where.position == "head":
        return before <= where.share * total
    return before >= (1 - where.share) * total
