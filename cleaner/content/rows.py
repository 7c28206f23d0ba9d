"""The content models' feature rows, built in one place for serving and for training alike.

A row is named column groups side by side: the line's own features with its neighbours',
its position and its page's (features.py), in HTML mode the DOM's view of the line
(htmldom.py), and the lexicon's learned odds (lexicon.py). Each group's column names are
defined once, in the module that computes them; a layout says which groups a model reads and
in which order, and its names are what a model file stores and is checked against. The
content stage, `make train` and the model pin all call `RowBuilder`, so a row cannot be put
together one way when a model is fitted and another when it is used.

The lexicon's columns are a separate step because training fits one lexicon per fold and
joins each page's columns from a lexicon that never saw its site; the rest of the row does
not depend on the lexicon and is built once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from cleaner.content.features import FEATURE_NAMES, page_features
from cleaner.content.lexicon import LEXICON_NAMES, Lexicon, LexiconCache
from cleaner.htmldom import DOM_FEATURE_NAMES

if TYPE_CHECKING:  # sequence.py reads pages, and a page holds a RowCache
    from cleaner.content.sequence import LineSequence

Group = Literal["line", "dom", "lexicon"]
LayoutName = Literal["text", "html"]

GROUP_COLUMNS: dict[Group, tuple[str, ...]] = {
    "line": FEATURE_NAMES,
    "dom": DOM_FEATURE_NAMES,
    "lexicon": LEXICON_NAMES,
}


@dataclass(frozen=True, slots=True)
class Layout:
    """Which column groups a model reads, in order (the lexicon's always last)."""

    name: LayoutName
    groups: tuple[Group, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for group in self.groups for name in GROUP_COLUMNS[group])

    @property
    def reads_dom(self) -> bool:
        return "dom" in self.groups


LAYOUTS: dict[LayoutName, Layout] = {
    "text": Layout("text", ("line", "lexicon")),
    "html": Layout("html", ("line", "dom", "lexicon")),
}


@dataclass(slots=True)
class RowCache:
    """What a document's rows can reuse across the chain's passes: each line's own values
    (keyed by the detected language and the line) and, per lexicon, each line's odds."""

    line_values: dict[tuple[int, str], tuple[float, ...]]
    lexicon_values: dict[int, LexiconCache]

    @classmethod
    def empty(cls) -> RowCache:
        return cls({}, {})

    def for_lexicon(self, lexicon: Lexicon) -> LexiconCache:
        # Keyed by the lexicon: in HTML mode a page may meet both models' lexicons.
        return self.lexicon_values.setdefault(id(lexicon), {})


class RowBuilder:
    """Rows for one layout: `partial_rows` (every group but the lexicon), then
    `with_lexicon`; `rows` does both."""

    def __init__(self, layout: Layout | LayoutName) -> None:
        self.layout = LAYOUTS[layout] if isinstance(layout, str) else layout

    def partial_rows(self, seq: LineSequence, dom: np.ndarray | None = None,
                     cache: RowCache | None = None) -> np.ndarray:
        """The line (and, for a layout that reads it, DOM) columns of each line of `seq`;
        `dom` holds one DOM row per line of `seq`."""
        parts = [page_features(seq.lines, seq.blank_before, seq.blank_after,
                               seq.block_words, seq.block_of,
                               cache.line_values if cache is not None else None)]
        if self.layout.reads_dom:
            if dom is None or len(dom) != len(seq.lines):
                raise ValueError("an HTML layout needs one DOM row per line")
            parts.append(dom)
        return parts[0] if len(parts) == 1 else np.hstack(parts)

    def with_lexicon(self, partial: np.ndarray, lines: Sequence[str], lexicon: Lexicon | None,
                     cache: RowCache | None = None) -> np.ndarray:
        """The rows complete: the lexicon's columns after the rest (none without one)."""
        if lexicon is None:
            return partial
        memo = cache.for_lexicon(lexicon) if cache is not None else None
        return np.hstack([partial, lexicon.columns(lines, memo)])

    def rows(self, seq: LineSequence, lexicon: Lexicon | None, dom: np.ndarray | None = None,
             cache: RowCache | None = None) -> np.ndarray:
        return self.with_lexicon(self.partial_rows(seq, dom, cache), seq.lines, lexicon, cache)
