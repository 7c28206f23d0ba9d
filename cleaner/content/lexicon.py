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
        self.words = words
        self.lines = lines
        self.pairs = pairs
        self._tables: tuple[_core.LexiconTable, _core.LexiconTable] | None = None

    def __getstate__(self) -> dict[str, Any]:
        # The tables are rebuilt where the lexicon lands (a worker, a Ray task): C memory.
        return {**self.__dict__, "_tables": None}

    @property
    def tables(self) -> tuple[_core.LexiconTable, _core.LexiconTable]:
        """`words` and `lines` as the compiled core's hash tables, built at first use."""
        if self._tables is None:
            self._tables = (_core.LexiconTable(self.words), _core.LexiconTable(self.lines))
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
        return {"words": self.words, "lines": self.lines, "pairs": self.pairs}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Lexicon:
        """From a model file's JSON (keys are strings there); the odds taken as they are
        when all are floats, as `to_json` writes them (a one-file run reads 80,000)."""
        return cls(_odds(data["words"]), _odds(data["lines"]), bool(data.get("pairs", False)))


def _odds(found: dict[str, Any]) -> dict[str, float]:
    kinds = set(map(type, found.values()))
    if kinds <= {float}:
        return found
    if not kinds <= {float, int}:
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
