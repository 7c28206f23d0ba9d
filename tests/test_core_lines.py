"""The compiled line kernels give what the Python they replaced gives (tests/reference_lines.py),
value for value, on generated lines that stress Unicode (scripts, digits that are not ASCII,
numerals that are not digits, every kind of space, case that changes length) and on the dev
pages' lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import _core, language
from cleaner.content.features import CHROME_WORDS, LONG_LINE_CHARS, word_table
from cleaner.content.lexicon import MAX_LINE_WORDS
from tests import reference_lines as ref

FRAGMENTS = [
    "the", "and", "der", "und", "le", "la", "и", "в", "Share", "Reply", "comments", "HOME",
    "Advertisement", "ß", "Straße", "İstanbul", "ﬁle", "ǅemal", "Ⅻ", "²", "٣", "３", "7", "12",
    "1999", "2024-05-01", "12/05/2023", "Jan 5", "5 mar", "march 12,", "3 hours ago", "$5",
    "5 €", "€ 12", "10 usd", "4 zł", "http://x.org", "https://a.b/c", "www.site", "site.com",
    "site.company", "@user", "#tag", "@", "#", "_", "__init__", "a_b", "|", "•", "·", "»", "›",
    "«", "‹", ">", "/", "-", "*", "–", "▪", "►", "1.", "2)", "123.", "1234.", "?", "!", ".",
    "…", "。", "！", "？", ":", ",", ". ", '"', "'", "”", "’", ")", "]", "(", "é", "É", "ñ",
    "日本語", "中文。", "한국어", "עברית", "العربية", "हिन्दी", "ﾃｽﾄ", "e\u0301", "🙂", "x",
]
SPACES = [" ", "  ", "\t", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000",
          "\u200b", ""]
lines_strategy = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(SPACES),
              st.text(max_size=4)),
    max_size=16,
).map("".join)


def kernel_values(lines: list[str], stop: frozenset[str]) -> np.ndarray:
    folded = [line.casefold() for line in lines]
    tokens = [_core.word_runs(f) for f in folded]
    return _core.line_values(lines, folded, tokens, stop, CHROME_WORDS, LONG_LINE_CHARS)


def kernel_odds(lines: list[str], words: dict[str, float], whole: dict[str, float],
                pairs: bool) -> np.ndarray:
    """The lexicon's own six columns of each line, from the page kernel."""
    return _core.lexicon_rows(lines, word_table(), _core.LexiconTable(words),
                              _core.LexiconTable(whole), pairs)[:, :6]


def reference_values(lines: list[str], stop: frozenset[str]) -> np.ndarray:
    return np.array([ref.line_values(line, stop) for line in lines],
                    dtype=np.float64).reshape(len(lines), -1)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.tobytes() == b.tobytes()


STOP = language.stopwords(0)
LEXICON_WORDS = {"share": -2.5, "the": 0.75, "0": -0.125, "reply": -1.0, "straße": 0.5,
                 "share this": -3.0, "read more": -2.0, "0 comments": -1.5, "ss": 0.25}
LEXICON_LINES = {"share": -3.0, "reply": -2.0, "0 comments": -2.5, "home": -1.25}


@settings(max_examples=400, deadline=None)
@given(st.lists(lines_strategy, min_size=1, max_size=8))
def test_line_values_equal_the_python_reference(lines: list[str]) -> None:
    assert same(kernel_values(lines, STOP), reference_values(lines, STOP))


@settings(max_examples=300, deadline=None)
@given(lines_strategy)
def test_word_runs_and_digit_folding_equal_python_re(line: str) -> None:
    folded = line.casefold()
    assert _core.word_runs(folded) == ref._WORD.findall(folded)
    assert _core.zero_digits(folded) == ref._DIGITS.sub("0", folded)
    assert _core.lexicon_words(_core.word_runs(folded), False) == ref.words_of(line)
    key = " ".join(folded.split())
    assert _core.short_line_key(key, MAX_LINE_WORDS) == ref.line_key(line, MAX_LINE_WORDS)


@settings(max_examples=300, deadline=None)
@given(st.lists(lines_strategy, min_size=1, max_size=8), st.booleans())
def test_lexicon_values_equal_the_python_reference(lines: list[str], pairs: bool) -> None:
    got = kernel_odds(lines, LEXICON_WORDS, LEXICON_LINES, pairs)
    want = np.array([ref.lexicon_line_values(line, LEXICON_WORDS, LEXICON_LINES, pairs,
                                             MAX_LINE_WORDS) for line in lines],
                    dtype=np.float32)
    assert same(got, want)


# Pieces of dates and prices and what sits around them: digits of several scripts, the
# separators, month names whole and cut, units, currencies, spaces of every kind.
DATE_PARTS = ["1", "12", "123", "2024", "٣", "３", "²", ".", "/", "-", " ", "\xa0", "\t", "jan",
              "feb", "may", "dec", "janvier", "ma", "uary", ".", "x", "_", "é", "minute",
              "minutes", "hour", "days", "week", "months", "year", "s", " ago", "ago", "$", "€",
              "£", "¥", "₹", "eur", "usd", "chf", "kr", "zł", "z", "ł", "euro", "krona"]
date_text = st.lists(st.sampled_from(DATE_PARTS), max_size=12).map("".join)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(date_text, lines_strategy.map(str.casefold)))
def test_date_and_price_checks_equal_their_regexes(text: str) -> None:
    assert _core.date_found(text) == (ref._DATE.search(text) is not None)
    assert _core.price_found(text) == (ref._PRICE.search(text) is not None)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(lines_strategy, st.floats(-5, 5), max_size=12), lines_strategy,
       lines_strategy)
def test_the_lexicon_table_answers_as_its_dict(odds: dict[str, float], first: str,
                                               second: str) -> None:
    """A token's odds (a pair's: the two with a space between), its digit runs read as one 0,
    are what `dict.get` gives on the zeroed text, for keys and for strangers alike."""
    table = _core.LexiconTable(odds)
    for key in odds:
        assert table.get(key) == odds[key] or _core.zero_digits(key) != key
    assert table.get(first) == odds.get(_core.zero_digits(first))
    pair = _core.zero_digits(first) + " " + _core.zero_digits(second)
    assert table.get(first, second) == odds.get(pair)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["the", "der", "und", "le", "de", "la", "и", "x", "el", "i"]),
                max_size=60), st.integers(1, 50))
def test_language_choice_equals_the_python_reference(words: list[str], sample: int) -> None:
    index = language.stoplist_index()
    lines = [" ".join(words[i:i + 7]) for i in range(0, len(words), 7)]
    assert word_table().language(lines, sample) == ref.best_language(words, index, sample)


DEV = Path(__file__).resolve().parents[2] / "shared" / "bench" / "dev"


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/bench/dev is not beside the clone")
def test_dev_page_lines_equal_the_python_reference() -> None:
    """Every line of a sample of dev dumps (all scripts the dev set has), in each page's
    detected language."""
    from cleaner.content.model import load_model

    lexicon = load_model().lexicon
    assert lexicon is not None
    checked = 0
    for name in ("scrapinghub", "wcxb_dev"):
        with gzip.open(DEV / f"{name}.jsonl.gz", "rt") as handle:
            for k, record in enumerate(handle):
                if k % 7:
                    continue
                lines = json.loads(record)["dump"].splitlines()
                lang, _ = word_table().language(lines, language.SAMPLE_WORDS)
                stop = language.stopwords(lang)
                assert same(kernel_values(lines, stop), reference_values(lines, stop)), k
                got = kernel_odds(lines, lexicon.words, lexicon.lines, lexicon.pairs)
                want = np.array([ref.lexicon_line_values(
                    line, lexicon.words, lexicon.lines, lexicon.pairs, MAX_LINE_WORDS)
                    for line in lines], dtype=np.float32).reshape(len(lines), 6)
                assert same(got, want), k
                checked += len(lines)
    assert checked > 10_000


MOJIBAKE_PARTS = ["Â", "Ã", "Ð", "Ñ", "â", "€", "„", "\x80", "\x9f", "\xa0", "\xbf", "\xc0",
                  "ä", "é", "Ã©", "â€™", "Ð¿", "a", " ", "ÿ", "\u0100"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MOJIBAKE_PARTS), max_size=6).map("".join))
def test_the_mojibake_check_equals_its_regex(text: str) -> None:
    assert _core.has_mojibake(text) == (ref.MOJIBAKE.search(text) is not None)


@settings(max_examples=200, deadline=None)
@given(st.lists(lines_strategy, max_size=12), st.integers(1, 40))
def test_the_page_language_equals_the_python_reference(lines: list[str], sample: int) -> None:
    index = language.stoplist_index()
    assert word_table().language(lines, sample) == ref.lines_language(lines, index, sample)
