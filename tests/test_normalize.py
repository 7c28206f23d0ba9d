"""The folded form: casefold then NFKC of the whole text, invisible characters gone."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner._core import casefold
from cleaner.normalize import INVISIBLE, fold

# Characters that casefolding or NFKC changes, that compose across a boundary (combining
# marks, Hangul jamo, a base letter before them), compatibility forms, the invisible ones,
# and the line breaks that split a page.
_TRICKY = st.sampled_from(
    list("aAeEsSßΣσςİıK\u212a\u00a0\u00b2\ufb01\uff21\uff41\u2460\u1e9e")
    + [chr(c) for c in range(0x300, 0x370, 7)]
    + ["\u1100", "\u1161", "\u11a8", "\uac00", "\u0e33", "\u0f73", "\u1b05", "\u1b35"]
    + list("\u00ad\u200b\u200d\u202e\u2060\ufeff")
    + ["\n", "\n", "\r", "\u2028", " "])


def _reference(text: str) -> str:
    if text.isascii():
        return text.lower()
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", text.casefold()))


@settings(max_examples=500)
@given(st.lists(st.one_of(_TRICKY, st.characters()), max_size=60).map("".join))
def test_folding_line_by_line_is_folding_the_whole_text(text: str) -> None:
    assert fold(text) == _reference(text)


def test_a_line_break_stops_composition() -> None:
    # a Hangul leading consonant and a vowel compose into one syllable, but not across a line
    assert fold("\u1100\u1161") == "\uac00"
    assert fold("\u1100\n\u1161") == "\u1100\n\u1161"
    assert fold("e\n\u0301x\u00a0ﬁ") == "e\n\u0301x fi"


@settings(max_examples=1000)
@given(st.lists(st.one_of(_TRICKY, st.characters(), st.characters(min_codepoint=0x10000)),
                max_size=80).map("".join))
def test_the_compiled_casefold_is_pythons(text: str) -> None:
    assert casefold(text) == text.casefold()
    assert type(casefold(text)) is str


def test_the_compiled_casefold_expands_and_narrows_as_python_does() -> None:
    # one to three characters each ("ß" -> "ss", "ΐ" -> three), a wide page folded to
    # narrow text ("Ａ" -> "ａ" stays wide, "K" (Kelvin) -> "k" is ASCII)
    for text in ("Straße", "ΐ", "KK", "Ａbc", "İstanbul", "ΣΑΣ", "😀Ab"):
        assert casefold(text) == text.casefold()
    assert casefold("K").isascii()
