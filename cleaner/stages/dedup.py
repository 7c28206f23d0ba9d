"""A paragraph repeated in the same document keeps its first copy.

Live blogs repeat paragraphs, themes print the title twice. Short lines are left alone: a
table cell, a chorus or a "Yes" may repeat on purpose, and repeated short chrome is the
rules' and the content stage's business.
"""

from __future__ import annotations

from cleaner._core import repeated_lines
from cleaner.document import Reason
from cleaner.page import Page

MIN_CHARS = 30
MIN_WORDS = 6

_REASON = Reason(stage="dedup", action="drop-line")


class DedupStage:
    name = "dedup"

    def apply(self, page: Page) -> None:
        # Lines compared by their folded words (the whitespace between them collapsed).
        for i in repeated_lines(page.folded_lines(), page.dropped, MIN_CHARS, MIN_WORDS):
            page.drop(i, _REASON)
