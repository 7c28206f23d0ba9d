"""Which words and which short lines sites print as chrome, learned from the training pages.

The line features describe a line's shape (length, stopwords, punctuation); two lines of the
same shape, "Add to cart" and "Cotton, 180 g", are told apart only by their words. The rules
name the chrome every site shares in so many words; the lexicon is its soft, learned
counterpart: for each word, and for each short line as a whole (each number folded to 0), the log
odds of content against chrome, counted once per site (a site that prints "Posted in News" on
every page is one vote, not twelve). Only what several sites share is kept, so a site's own
menu never becomes a rule for others.

The model sees, per line, the mean, minimum and maximum odds of its known words, the odds of
the line as a whole, and the mean odds around it. Training rows get these columns from
lexicons that never saw their site (`training.with_lexicon`), as a new page will.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from cleaner import _core
from cleaner.content import readahead
from cleaner.content.features import word_table

# A word or a line is kept when this many sites use it (as content or as chrome).
MIN_WORD_SITES = 5
MIN_LINE_SITES = 3
# Additive smoothing of the counts: a word seen on 5 sites, all chrome, gets log(2/7).
SMOOTHING = 2.0
# Lines of up to this many words are looked up whole ("Add to cart", "Share this:"); the
# columns (LEXICON_NAMES) are computed by the compiled kernel, which defines them.
MAX_LINE_WORDS: int = _core.MAX_LINE_WORDS
LEXICON_NAMES: tuple[str, ...] = _core.LEXICON_NAMES


def words_of(line: str) -> list[str]:
    """Casefolded words of two characters or more, each number as 0 ("page 2" is "page 3")."""
    return _core.lexicon_words(_core.word_runs(line.casefold()), False)


def line_key(line: str) -> str | None:
    """The whole-line key of a short line: casefolded, spaces collapsed, each number as 0."""
    return _core.short_line_key(" ".join(line.casefold().split()), MAX_LINE_WORDS)


class Lexicon:
    """Word (and, with `pairs`, word-pair) and short-line log odds (positive: content),
    read-only once fitted; it ships inside the model file, since the trees were fitted on
    its columns."""

    def __init__(self, words: dict[str, float], lines: dict[str, float],
                 pairs: bool = False) -> None:
        self._words: dict[str, float] | None = words
        self._lines: dict[str, float] | None = lines
        # A model file's packed tables (`_packed`): the compiled tables are built from them
        # directly, and the dicts only when something asks for them.
        self._packed: tuple[Packed, Packed] | None = None
        self.pairs = pairs
        self._tables: tuple[_core.LexiconTable, _core.LexiconTable] | None = None

    def __getstate__(self) -> dict[str, Any]:
        # The tables are rebuilt where the lexicon lands (a worker, a Ray task): C memory.
        return {**self.__dict__, "_tables": None}

    @property
    def words(self) -> dict[str, float]:
        """Word (and word-pair) log odds."""
        if self._words is None:
            self._words = self._unpack(0)
        return self._words

    @property
    def lines(self) -> dict[str, float]:
        """Whole short lines' log odds."""
        if self._lines is None:
            self._lines = self._unpack(1)
        return self._lines

    def _unpack(self, table: int) -> dict[str, float]:
        assert self._packed is not None
        return _unpacked(self._packed[table])

    @property
    def tables(self) -> tuple[_core.LexiconTable, _core.LexiconTable]:
        """`words` and `lines` as the compiled core's hash tables, built at first use (from
        the packed strings when the lexicon was read from a model file)."""
        if self._tables is None:
            sources = ([(p["keys"], _odds(p["odds"])) for p in self._packed]
                       if self._packed is not None else [self.words, self.lines])
            self._tables = (_core.LexiconTable(sources[0]), _core.LexiconTable(sources[1]))
        return self._tables

    def tokens(self, line: str) -> list[str]:
        """The words and (with `pairs`) adjacent word pairs ("read more" is chrome where
        "read" is not) the lexicon looks up."""
        return _core.lexicon_words(_core.word_runs(line.casefold()), self.pairs)

    @classmethod
    def fit(cls, sites: Iterable[tuple[str, Sequence[str], np.ndarray]],
            pairs: bool = False) -> Lexicon:
        """From (site, lines, labels) triples: labels 1 for content, 0 for chrome."""
        tokens = cls({}, {}, pairs).tokens
        seen: dict[str, tuple[set[str], set[str], set[str], set[str]]] = {}
        for site, lines, labels in sites:
            content_words, chrome_words, content_lines, chrome_lines = seen.setdefault(
                site, (set(), set(), set(), set()))
            for line, label in zip(lines, labels, strict=True):
                key = line_key(line)
                if label > 0:
                    content_words.update(tokens(line))
                    if key:
                        content_lines.add(key)
                else:
                    chrome_words.update(tokens(line))
                    if key:
                        chrome_lines.add(key)
        counts = [Counter[str]() for _ in range(4)]
        for sets in seen.values():
            for counter, found in zip(counts, sets, strict=True):
                counter.update(found)
        return cls(_log_odds(counts[0], counts[1], MIN_WORD_SITES),
                   _log_odds(counts[2], counts[3], MIN_LINE_SITES), pairs)

    def columns(self, lines: list[str]) -> np.ndarray:
        """A float32 matrix, one row per line, columns as in `LEXICON_NAMES`."""
        words, whole = self.tables
        return _core.lexicon_rows(lines, word_table(), words, whole, self.pairs)

    def to_json(self) -> dict[str, Any]:
        """Each table packed as two strings, its keys one a line and their odds: a JSON
        decoder reads a dict of 80,000 entries four times slower than these (a one-file
        run reads the model first)."""
        return {"words": _packed(self.words), "lines": _packed(self.lines), "pairs": self.pairs}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Lexicon:
        """From a model file's JSON: packed tables (read into the compiled tables at once,
        so that a damaged file fails here), or, in older files, plain objects."""
        words, lines, pairs = data["words"], data["lines"], bool(data.get("pairs", False))
        if _is_packed(words) and _is_packed(lines):
            lexicon = cls({}, {}, pairs)
            lexicon._words = lexicon._lines = None
            lexicon._packed = (words, lines)
            lexicon.tables  # noqa: B018 - built now: a damaged table is an error of the load
            return lexicon
        return cls(_unpacked(words), _unpacked(lines), pairs)


Packed = dict[str, str]


def _packed(odds: dict[str, float]) -> Packed:
    for key in odds:
        if "\n" in key or not key:
            raise ValueError(f"a lexicon key must be one non-empty line: {key!r}")
    return {"keys": "\n".join(odds), "odds": " ".join(map(repr, map(float, odds.values())))}


def read_odds(odds: str) -> np.ndarray:
    """A packed table's odds as float64 (the read-ahead's form of them)."""
    return _core.read_odds(odds)


def _odds(odds: str) -> str | np.ndarray:
    """A packed table's odds: from the read-ahead for a shipped model's (readahead.py)."""
    found = readahead.group(odds)
    return found["odds"] if found is not None and "odds" in found else odds


def _is_packed(found: Any) -> bool:
    return (isinstance(found, dict) and set(found) == {"keys", "odds"}
            and all(isinstance(v, str) for v in found.values()))


def _unpacked(found: Any) -> dict[str, float]:
    if _is_packed(found):
        keys = found["keys"].split("\n") if found["keys"] else []
        odds = list(map(float, found["odds"].split()))
        if len(keys) != len(odds):
            raise ValueError("a lexicon's keys and odds differ in number")
        return dict(zip(keys, odds, strict=True))
    if not isinstance(found, dict) or not set(map(type, found.values())) <= {float, int}:
        raise ValueError("a lexicon's odds must be numbers")
    return {k: float(v) for k, v in found.items()}


def _log_odds(content: Counter[str], chrome: Counter[str], min_sites: int) -> dict[str, float]:
    """Sorted, rounded: the same pages give the same file byte for byte."""
    out = {}
    for key in sorted(set(content) | set(chrome)):
        c, h = content[key], chrome[key]
        if c + h >= min_sites:
            out[key] = round(math.log((c + SMOOTHING) / (h + SMOOTHING)), 3)
    return out
