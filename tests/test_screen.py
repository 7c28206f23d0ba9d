"""A pattern's screen is a superset: a line the screen does not match in is one the pattern
does not match in, so screening a nominated line before compiling the pattern loses no hit;
its cheap branches (`sure_of`) are a subset: a line they match in is one the pattern matches
in, so a hit they find needs no compiled pattern."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Document
from cleaner.page import DocumentState, Page
from cleaner.rulebook import compiler
from cleaner.rulebook.compiler import LinePattern, RuleSet
from cleaner.rulebook.loader import load_packs
from cleaner.rulebook.screen import _NOT_ALNUM, _NOT_ASCII_ALNUM, screen_of, sure_of

PACK_PATTERNS = sorted({(rule.id, pattern) for pack in load_packs(()) for rule in pack.rules
                        if rule.kind in ("regex", "sequence") for pattern in rule.patterns})
SCREENED = [(rule_id, pattern) for rule_id, pattern in PACK_PATTERNS if screen_of(pattern)]
BRANCHED = [(rule_id, pattern) for rule_id, pattern in PACK_PATTERNS if sure_of(pattern)]


def _search(pattern: str, line: str) -> bool:
    options = re2.Options()
    options.log_errors = False
    return re2.compile(pattern, options).search(line) is not None


@pytest.mark.parametrize(("pattern", "screen"), [
    (r"(?i)^[^\pL\pN]*(photo)\s*/\s*[\pL. -]{2,40}\)?$",
     r"(?i)^[^a-zA-Z0-9]*(photo)\s*/\s*[\pL. -]{2,}\)?$"),
    (r"(\s*[>»]\s*[^.,;:]{1,60}){1,8}$", r"(\s*[>»]\s*[^.,;:]{1,}){1,8}$"),
    (r"x{0,100}?y", r"x{0,}?y"),
])
def test_long_counts_open_and_the_not_alphanumeric_class_widens(pattern: str,
                                                               screen: str) -> None:
    assert screen_of(pattern) == screen


@pytest.mark.parametrize("pattern", [
    r"\d{1,2}\.\d{4}",          # short counts cost little and keep the screen sharp
    r"[a{2,40}]b",              # inside a class a brace is a member
    r"[]{2,40}]b",              # a ] first in a class is a member
    r"[^]{2,40}]b",
    r"a\{2,40}",                # an escaped brace is a literal
    r"[[:alpha:]{2,40}]b",      # a POSIX class closes with its own :]
    r"[^\pL\pN\s]x",            # the wide class only where it stands alone
    r"\p{Lu}{1,3}",
])
def test_what_is_no_long_count_or_lone_class_stays(pattern: str) -> None:
    assert screen_of(pattern) is None


@pytest.mark.parametrize("pattern", [r"\Qa{2,40}\E", r"[a{2,40}"])
def test_syntax_the_reader_cannot_be_sure_of_gets_no_screen(pattern: str) -> None:
    assert screen_of(pattern) is None


@pytest.mark.parametrize("flags", ["", "(?i)"])
def test_every_character_the_not_alphanumeric_class_takes_the_wide_one_takes(flags: str) -> None:
    """Read over all of Unicode, with and without case folding."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    narrow_leaves = set(re2.sub(flags + _NOT_ALNUM + "+", "", every))
    wide_leaves = set(re2.sub(flags + _NOT_ASCII_ALNUM + "+", "", every))
    assert 62 <= len(wide_leaves) < 70 and len(narrow_leaves) > 100_000
    assert wide_leaves <= narrow_leaves


def test_most_pack_patterns_get_a_screen_and_every_screen_compiles() -> None:
    assert len(SCREENED) > len(PACK_PATTERNS) // 2
    for _rule_id, pattern in SCREENED:
        screen = screen_of(pattern)
        assert screen is not None
        re2.compile(screen)


@pytest.mark.parametrize(("rule_id", "pattern"), SCREENED)
def test_a_screen_matches_wherever_its_pattern_does_on_the_rules_examples(
        rule_id: str, pattern: str) -> None:
    screen = screen_of(pattern)
    assert screen is not None
    for variant in _example_lines(rule_id):
        if _search(pattern, variant):
            assert _search(screen, variant), (rule_id, variant)


def _example_lines(rule_id: str) -> Iterator[str]:
    """The rule's example lines, and each upper-cased, framed, bulleted and repeated."""
    rule = next(r for p in load_packs(()) for r in p.rules if r.id == rule_id)
    for example in (*rule.examples.drop, *rule.examples.keep):
        for line in example.split("\n"):
            yield from (line, line.upper(), f"  »{line}«  ", f"• {line}", line * 3)


NOISE = ["", " ", "\t", "\xa0", "-", ":", ",", ";", "'", '"', "*", "#", "[", "\u2014", "|", "»", ">", "/", "•", "©", "(", ")", "!", ".",
         "1", "12", "2024", "ß", "İ", "K", "ſ", "é", "Σ", "x", "The", "and", "AP", "Photo",
         "Home", "a" * 45, "word " * 15]


def _generated_lines(data: st.DataObject, pattern: str, count: int = 25) -> Iterator[str]:
    """Lines of the pattern's own words and NOISE, joined as labels and prose join them."""
    words = sorted({w for w in re2.escape(pattern).replace("\\", " ").replace("|", " ").split()
                    if w.isalpha()})
    pieces = st.one_of(st.sampled_from(words or ["x"]), st.sampled_from(NOISE))
    for _ in range(count):
        parts = data.draw(st.lists(pieces, max_size=8))
        joiner = data.draw(st.sampled_from(["", " ", ": ", " / ", " > "]))
        yield joiner.join(parts)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_lines_a_pattern_matches_its_screen_matches(data: st.DataObject) -> None:
    rule_id, pattern = data.draw(st.sampled_from(SCREENED))
    screen = screen_of(pattern)
    assert screen is not None
    for line in _generated_lines(data, pattern):
        if _search(pattern, line):
            assert _search(screen, line), (rule_id, line)


@pytest.mark.parametrize(("pattern", "sure"), [
    (r"(?i)^[^\pL\pN]*(photo\s*:|\(?ap\s*/\s*[\pL. -]{2,40}\)?$|©\s*\S)[^\pL\pN]*$",
     r"(?i)^[^\pL\pN]*(photo\s*:|©\s*\S)[^\pL\pN]*$"),
    (r"^(a)(b|c{1,40})", r"^(a)(b)"),                  # the first group with branches
    (r"(?:a|[|(]{2,40})z", r"(?:a)z"),                 # a class's | and ( are members
    (r"(?i:a|b{1,50}|\(c\|)", r"(?i:a|\(c\|)"),      # escaped ( and | are literals
    (r"(?P<x>a|b{1,50})", r"(?P<x>a)"),
])
def test_the_sure_pattern_keeps_the_branches_without_long_counts(pattern: str,
                                                                  sure: str) -> None:
    assert sure_of(pattern) == sure


@pytest.mark.parametrize("pattern", [
    r"^(a|b{2,40})+y",            # a repeated group is no union of its branches repeated
    r"^(a|b{2,40}){1,3}y",
    r"a|b{2,40}",                 # a | at the top level
    r"(a|b{2,40})|c",
    r"(a(?-i)b|c{2,40})",         # a flag set in a branch reaches the branches after it
    r"x{1,20}(a|b{1,50})",        # a long count outside the branches
    r"(a{1,20}|b{1,50})",         # no cheap branch
    r"(a|b)c{1,50}",              # no costly branch in the group
    r"\Q(a|b{1,50})\E",
    r"[(a|b{1,50})",
])
def test_no_sure_pattern_where_the_branches_are_not_a_union_or_none_is_cheaper(
        pattern: str) -> None:
    assert sure_of(pattern) is None


def test_many_pack_patterns_get_a_sure_pattern_and_every_one_compiles() -> None:
    assert len(BRANCHED) > 20
    for _rule_id, pattern in BRANCHED:
        re2.compile(sure_of(pattern))


@pytest.mark.parametrize(("rule_id", "pattern"), BRANCHED)
def test_the_pattern_matches_wherever_its_sure_pattern_does_on_the_rules_examples(
        rule_id: str, pattern: str) -> None:
    sure = sure_of(pattern)
    assert sure is not None
    for variant in _example_lines(rule_id):
        if _search(sure, variant):
            assert _search(pattern, variant), (rule_id, variant)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_lines_a_sure_pattern_matches_its_pattern_matches(data: st.DataObject) -> None:
    rule_id, pattern = data.draw(st.sampled_from(BRANCHED))
    sure = sure_of(pattern)
    assert sure is not None
    for line in _generated_lines(data, pattern):
        if _search(sure, line):
            assert _search(pattern, line), (rule_id, line)


def test_a_line_the_cheap_branches_take_is_found_without_the_pattern_compiled() -> None:
    pattern = LinePattern(r"(?i)^[^\pL\pN]*(photo\s*:\s*\S|\(?ap\s*/\s*[\pL. -]{2,40}\)?$)")
    assert pattern.found("Photo: Ann Smith")
    assert pattern._regex is None
    assert pattern.found("(AP/Ann Smith)")
    assert pattern._regex is not None
    assert not pattern.found("(AP/" + "a" * 41 + ")")


def test_a_pattern_is_compiled_only_when_a_line_gets_through_its_screen() -> None:
    pattern = LinePattern(r"(?i)^[^\pL\pN]*photo\s*:\s*[\pL .-]{2,40}$")
    assert not pattern.found("Photos of the week, in a sentence of prose.")
    assert pattern._regex is None
    assert pattern.found("Photo: Ann Smith")
    assert pattern._regex is not None


def test_the_rules_find_the_same_hits_with_screens_and_sure_branches_and_without(
        seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(Each side a RuleSet of its own: patterns are screened as a rule set first meets them.)"""
    packs = load_packs(())
    pages = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    pages.append((Path(__file__).resolve().parent.parent / "examples" / "page.txt").read_text())

    def hits(rules: RuleSet) -> list[list[tuple[str, tuple[int, ...], object]]]:
        return [[(h.rule.id, h.lines, h.spans)
                 for h in rules.find(Page.whole(DocumentState(Document(text))))]
                for text in pages]

    screened = hits(RuleSet.from_packs(packs))
    monkeypatch.setattr(compiler, "screen_of", lambda pattern: None)
    monkeypatch.setattr(compiler, "sure_of", lambda pattern: None)
    assert hits(RuleSet.from_packs(packs)) == screened
    assert sum(map(len, screened)) > 20


def test_rule_patterns_compile_without_groups_to_fill_and_match_as_written() -> None:
    # Rules read whether and where a pattern matches, never a group: RE2 answers from its
    # automata alone when it has no group to fill.
    pattern = r"(?i)^(read (more|also))\s*:?\s*$"
    regex = compiler.compile_regex(pattern)
    assert regex._regexp.NumberOfCapturingGroups() == 0
    assert [compiler._found(regex, line) for line in ("Read more:", "Read also", "Read it")] \
        == [True, True, False]
    assert [m.span() for m in regex.finditer("Read more:")] == [(0, 10)]
