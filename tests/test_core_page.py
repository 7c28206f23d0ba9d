"""The page's compiled bookkeeping gives what the Python it replaced gives, on generated pages
with blank lines, every kind of space, repeats and dropped lines."""

from __future__ import annotations

from itertools import accumulate
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import _core
from cleaner.normalize import collapse, fold
from cleaner.page import is_blank
from tests.test_core_lines import lines_strategy

SPACES = ["", " ", "   ", "\t", "\xa0", "\u3000"]
line = st.one_of(lines_strategy, st.sampled_from(SPACES),
                 st.sampled_from(["The same long line, repeated on purpose here.",
                                  "the  same LONG line,   repeated on purpose here.",
                                  "A line of thirty characters or more, said twice"]))
lines_and_drops = st.lists(st.tuples(line, st.booleans()), max_size=30)


def _kept_page(lines: list[str], dropped: list[Any], origin: list[int]
               ) -> tuple[list[str], list[int]]:
    """page.Page.kept_page as it was."""
    out: list[str] = []
    out_origin: list[int] = []
    blank_at = -1
    for i, (text, reason) in enumerate(zip(lines, dropped, strict=True)):
        if reason is not None:
            continue
        if is_blank(text):
            if out and blank_at < 0:
                blank_at = origin[i]
            continue
        if blank_at >= 0:
            out.append("")
            out_origin.append(blank_at)
            blank_at = -1
        out.append(text)
        out_origin.append(origin[i])
    return out, out_origin


@settings(max_examples=400, deadline=None)
@given(lines_and_drops)
def test_the_next_passes_lines_are_the_python_ones(pairs: list[tuple[str, bool]]) -> None:
    lines = [text for text, _ in pairs]
    dropped = ["gone" if drop else None for _, drop in pairs]
    origin = [3 * i + 1 for i in range(len(lines))]
    assert _core.kept_lines(lines, dropped, origin) == _kept_page(lines, dropped, origin)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(lines_strategy, st.sampled_from(["\n", "\r\n", "\r", ""]))))
def test_line_starts_are_the_running_lengths(pairs: list[tuple[str, str]]) -> None:
    lines = [text for text, _ in pairs]
    endings = [end for _, end in pairs]
    want = [0, *accumulate(len(t) + len(e) for t, e in pairs)]
    assert _core.line_starts(lines, endings) == want


@settings(max_examples=400, deadline=None)
@given(lines_and_drops, st.integers(0, 40), st.integers(0, 8))
def test_repeated_lines_are_the_ones_dedup_took(pairs: list[tuple[str, bool]],
                                                min_chars: int, min_words: int) -> None:
    folded = [fold(text) for text, _ in pairs]
    dropped = ["gone" if drop else None for _, drop in pairs]
    want = []
    seen: set[str] = set()
    for i, text in enumerate(folded):
        if len(text) < min_chars or dropped[i] is not None:
            continue
        key = collapse(text)
        if (key.count(" ") + 1 if key else 0) < min_words:
            continue
        if key in seen:
            want.append(i)
        else:
            seen.add(key)
    assert _core.repeated_lines(folded, dropped, min_chars, min_words) == want


@settings(max_examples=300, deadline=None)
@given(st.lists(line, max_size=30), st.sampled_from(["\n", "\r\n", "\r"]))
def test_distinct_words_count_each_line_once(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    assert _core.distinct_words(text) == sum(len(x.split()) for x in set(text.splitlines()))


@settings(max_examples=300, deadline=None)
@given(st.lists(line, max_size=30), st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x85"]))
def test_a_text_has_as_many_words_as_split_finds_and_no_fewer_than_its_distinct_lines(
        lines: list[str], newline: str) -> None:
    # The over-removal guard skips counting the page's distinct words when what it kept
    # outweighs all the page's words: sound only while this bound holds.
    text = newline.join(lines)
    assert _core.word_count(text) == len(text.split())
    assert _core.word_count(text) >= _core.distinct_words(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(line, max_size=12), st.lists(line, max_size=20))
def test_a_line_set_names_the_lines_whose_words_it_holds(members: list[str],
                                                          lines: list[str]) -> None:
    keys = sorted({collapse(m) for m in members})
    text = "\n".join(lines)
    cut = text.split("\n")
    want = [i for i, x in enumerate(cut) if collapse(x) in set(keys)]
    assert _core.LineSet(keys).lines(cut) == want


@settings(max_examples=200, deadline=None)
@given(st.lists(line, min_size=1, max_size=8), st.data())
def test_a_line_set_finds_its_members_however_widely_spaced(members: list[str],
                                                            data: st.DataObject) -> None:
    # A line longer than every member is passed over unless its words, spaces aside, fit.
    keys = sorted({collapse(m) for m in members} - {""})
    gap = st.text(alphabet=st.sampled_from([" ", "\t", "\xa0", "\u3000", "\u2003"]),
                  min_size=1, max_size=12)
    lines = [data.draw(gap) + data.draw(gap).join(key.split(" ")) + data.draw(gap)
             for key in keys]
    assert _core.LineSet(keys).lines(lines) == list(range(len(lines)))
    longer = [key + " " + key for key in keys]
    assert _core.LineSet(keys).lines(longer) == \
        [i for i, x in enumerate(longer) if x in set(keys)]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    ["a", "é", "\xad", "\u180e", "\u200a", "\u200b", "\u200f", "\u2010", "\u2029",
     "\u202a", "\u202e", "\u202f", "\u205f", "\u2060", "\u2064", "\u2065", "\ufeff",
     "\U0001f642", "日"]), max_size=20))
def test_the_invisible_check_is_the_regex(text: str) -> None:
    from cleaner.normalize import INVISIBLE

    assert _core.has_invisible(text) == (INVISIBLE.search(text) is not None)
