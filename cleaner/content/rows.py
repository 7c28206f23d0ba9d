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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from cleaner import _core
from cleaner.content.features import FEATURE_NAMES, word_table
from cleaner.content.lexicon import LEXICON_NAMES, Lexicon
from cleaner.htmldom import DOM_FEATURE_NAMES

if TYPE_CHECKING:  # sequence.py reads pages
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


class RowBuilder:
    """Rows for one layout: `partial_rows` (every group but the lexicon), then
    `with_lexicon`; `rows` does both. (The content stage has the compiled kernel build the
    same rows in one call, `ContentModel.scorer`; tests keep the two equal.)"""

    def __init__(self, layout: Layout | LayoutName) -> None:
        self.layout = LAYOUTS[layout] if isinstance(layout, str) else layout

    def partial_rows(self, seq: LineSequence, dom: np.ndarray | None = None) -> np.ndarray:
        """The line (and, for a layout that reads it, DOM) columns of each line of `seq`;
        `dom` holds one DOM row per line of `seq`."""
        parts = [_core.line_rows(seq, word_table())]
        if self.layout.reads_dom:
            if dom is None or len(dom) != len(seq.lines):
                raise ValueError("an HTML layout needs one DOM row per line")
            parts.append(dom)
        return parts[0] if len(parts) == 1 else np.hstack(parts)

    def with_lexicon(self, partial: np.ndarray, lines: list[str], lexicon: Lexicon | None
                     ) -> np.ndarray:
        """The rows complete: the lexicon's columns after the rest (none without one)."""
        if lexicon is None:
            return partial
        return np.hstack([partial, lexicon.columns(lines)])

    def rows(self, seq: LineSequence, lexicon: Lexicon | None,
             dom: np.ndarray | None = None) -> np.ndarray:
        return self.with_lexicon(self.partial_rows(seq, dom), seq.lines, lexicon)
