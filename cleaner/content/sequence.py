"""What the content model looks at: the page's kept, non-blank lines, in order.

Lines that rules already took are invisible here, in every pass; so the model sees the same
sequence when it runs again on its own output, which keeps the chain's fixed point near. The
compiled kernel builds it (`_core.Sequence`: the lines, their indices on the page, blank
lines around them, their blocks and the blocks' words).
"""

from __future__ import annotations

from cleaner import _core
from cleaner.page import Page

LineSequence = _core.Sequence


def kept_sequence(page: Page) -> LineSequence:
    return _core.kept_sequence(page.lines, page.dropped)
