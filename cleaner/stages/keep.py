"""`keep` patterns: lines that match are never removed by any stage.

A user who finds a false removal adds a pattern and moves on; the stage runs first in every
pass and marks the lines it protects, and `Page.drop` refuses them.
"""

from __future__ import annotations

from collections.abc import Sequence

import re2

from cleaner.errors import UsageError
from cleaner.page import Page


class KeepStage:
    name = "keep"

    def __init__(self, patterns: Sequence[str]) -> None:
        options = re2.Options()
        options.log_errors = False
        self.patterns = []
        for pattern in patterns:
            try:
                compiled = re2.compile(pattern, options)
            except re2.error:
                raise UsageError(f"keep pattern {pattern!r} does not compile on the "
                                 "linear-time engine (RE2)") from None
            if compiled.search(b"") is not None:  # "", "x*", "^": it would keep every line
                raise UsageError(f"keep pattern {pattern!r} matches an empty string, so it "
                                 "would keep every line; make it match the lines to keep")
            self.patterns.append(compiled)

    def apply(self, page: Page) -> None:
        page.protected = frozenset(
            i for i, line in enumerate(page.lines)
            if any(p.search(line.encode("utf-8", "surrogatepass")) for p in self.patterns))
