"""What the content model looks at: the page's kept, non-blank lines, in order.

Lines that rules already took are invisible here, in every pass; so the model sees the same
sequence when it runs again on its own output, which keeps the chain's fixed point near.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.page import Page, is_blank


@dataclass(frozen=True, slots=True)
class LineSequence:
    indices: list[int]
    lines: list[str]
    blank_before: list[bool]
    blank_after: list[bool]
    block_words: list[int]
    block_of: list[int]


def kept_sequence(page: Page) -> LineSequence:
    indices: list[int] = []
    lines: list[str] = []
    blank_before: list[bool] = []
    block_of: list[int] = []
    block = 0
    saw_blank = False
    for i, (text, reason) in enumerate(zip(page.lines, page.dropped, strict=True)):
        if reason is not None:
            continue
        if is_blank(text):
            saw_blank = True
            continue
        if saw_blank and indices:
            block += 1
        indices.append(i)
        lines.append(text)
        blank_before.append(saw_blank)
        block_of.append(block)
        saw_blank = False
    blank_after = [*blank_before[1:], True] if lines else []
    totals: dict[int, int] = {}
    counts = [len(line.split()) for line in lines]
    for b, c in zip(block_of, counts, strict=True):
        totals[b] = totals.get(b, 0) + c
    block_words = [totals[b] for b in block_of]
    return LineSequence(indices, lines, blank_before, blank_after, block_words, block_of)
