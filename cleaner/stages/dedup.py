"""A paragraph repeated in the same document keeps its first copy.

Live blogs repeat paragraphs, themes print the title twice. Short lines are left alone: a
table cell, a chorus or a "Yes" may repeat on purpose, and repeated short chrome is the
rules' and the content stage's business.
"""

from __future__ import annotations

from cleaner.document import Reason
from cleaner.normalize import collapse
from cleaner.page import Page

MIN_CHARS = 30
MIN_WORDS = 6

_REASON = Reason(stage="dedup", action="drop-line")


class DedupStage:
    name = "dedup"

    def apply(self, page: Page) -> None:
        folded = page.folded_lines()
        seen: set[str] = set()
        for i, line in enumerate(folded):
            if len(line) < MIN_CHARS or not page.kept(i):
                continue
            key = collapse(line)
            if key.count(" ") + 1 < MIN_WORDS:
                continue
            if key in seen:
                page.drop(i, _REASON)
            else:
                seen.add(key)
