"""The Python walk of the DOM dump that the compiled one replaced (`_core.DomWalk`), kept as
the reference it is compared with: lxml's own elements, text, tails and attribute reads, so
the tree is read as lxml reads it by construction."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleaner.htmldom import (
    _BAD,
    _COMMENTS,
    _GOOD,
    _HIDDEN_STYLE,
    _STRUCTURE,
    _TAG_BITS,
    _WS,
    BAD,
    BLOCK,
    CELLS,
    COMMENTS,
    GOOD,
    LINK,
    SKIP,
    SPACED,
    _block_of,
    text_content,
)
from cleaner.markdown import TEXT, Block


@dataclass
class Line:
    parts: list[str] = field(default_factory=list)
    has_text: bool = False  # a part with more than spaces in it
    link_chars: int = 0
    context: int = 0
    heading: int = 0
    paragraph: bool = False
    depth: int = 0
    block: Block = TEXT
    cell_starts: list[int] = field(default_factory=list)  # where each cell after the first
    cells: tuple[str, ...] = ()  # a table row's cells (two or more), for Markdown

    def as_tuple(self, blank_before: bool) -> tuple[object, ...]:
        """The compiled walk's tuple of a line."""
        return (self.parts[0], blank_before, self.link_chars, self.context, self.heading,
                self.paragraph, self.depth, self.block, self.cells)


def name_bits(names: str) -> int:
    if not names.strip():
        return 0
    bits = BAD if _BAD.search(names) else 0
    if _GOOD.search(names):
        bits |= GOOD
    if _COMMENTS.search(names):
        bits |= COMMENTS
    return bits


def attribute_bits(element: object) -> int | None:
    bits = 0
    for name, value in element.items():  # type: ignore[attr-defined]
        if name == "class" or name == "id" or name == "role":
            if value:
                bits |= name_bits(value)
        elif name == "hidden" or (name == "aria-hidden" and value == "true") or (
                name == "style" and value and _HIDDEN_STYLE.search(value)):
            return None
    return bits


class Walk:
    """lxml's iterwalk with its comments and processing instructions, whose tails are text
    of the page (iterwalk yields elements only, whatever tag it is asked for): ("start",
    node) and ("end", node) in document order; `skip_subtree()` after a start passes over
    that node's children."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.skip = False

    def skip_subtree(self) -> None:
        self.skip = True

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        self.skip = False
        yield "start", self.root
        stack = [(self.root, iter(()) if self.skip else iter(self.root))]
        while stack:
            element, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                yield "end", element
                continue
            self.skip = False
            yield "start", child
            stack.append((child, iter(()) if self.skip else iter(child)))


def blocks(root: object, census: dict[str, int], code: dict[int, str]
           ) -> Iterator[tuple[Line, bool]]:
    """Lines in document order, each with whether a blank line should precede it."""
    current = Line()
    context_stack: list[tuple[int, int]] = [(0, 0)]  # (context bits, heading level)
    block_stack: list[Block] = [TEXT]
    groups = 0
    pending_blank = False

    def flush(blank_after: bool) -> Iterator[tuple[Line, bool]]:
        nonlocal current, pending_blank
        text = _WS.sub(" ", "".join(current.parts)).strip()
        if text:
            if current.cell_starts:
                bounds = [0, *current.cell_starts, len(current.parts)]
                current.cells = tuple(
                    _WS.sub(" ", "".join(current.parts[a:b])).strip()
                    for a, b in itertools.pairwise(bounds))
            current.parts = [text]
            yield current, pending_blank
            pending_blank = False
        current = Line()
        if blank_after:
            pending_blank = True

    def add(text: str | None, link: bool) -> None:
        if not text:
            return
        if not current.has_text:
            bits, heading = context_stack[-1]
            current.context = bits
            current.heading = heading
            current.depth = len(context_stack)
            current.block = block_stack[-1]
            current.has_text = not text.isspace()
        current.parts.append(text)
        if link:
            current.link_chars += len(text.strip())

    walker = Walk(root)
    skipped: set[int] = set()
    for event, element in walker:
        tag = element.tag
        tag = tag.lower() if isinstance(tag, str) else ""
        if event == "start":
            if tag:
                census[tag] = census.get(tag, 0) + 1
            own = None if not tag or tag in SKIP else attribute_bits(element)
            if own is None:
                skipped.add(id(element))
                walker.skip_subtree()
                continue
            bits, heading = context_stack[-1]
            bits |= _TAG_BITS.get(tag, 0) | own
            if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
                heading = int(tag[1])
            context_stack.append((bits, heading))
            block = block_stack[-1]
            if tag in _STRUCTURE:
                groups += 1
                block = _block_of(tag, block, groups)
                if tag == "pre":
                    code[groups] = text_content(element)
            block_stack.append(block)
            if tag in BLOCK or tag == "br":
                yield from flush(blank_after=tag in SPACED)
                if tag in SPACED:
                    pending_blank = True
            if tag in CELLS and current.has_text:
                current.parts.append("\t")
                current.cell_starts.append(len(current.parts))
            if tag == "p":
                current.paragraph = True
            add(element.text, bool(bits & LINK))
            continue
        # end
        if id(element) in skipped:
            skipped.discard(id(element))
        else:
            if tag in BLOCK:
                paragraph = tag == "p"
                if paragraph:
                    current.paragraph = True
                yield from flush(blank_after=tag in SPACED)
            context_stack.pop()
            block_stack.pop()
        add(element.tail, bool(context_stack[-1][0] & LINK))
    yield from flush(blank_after=False)


def lines(root: object) -> tuple[list[tuple[object, ...]], dict[str, int], dict[int, str]]:
    """The reference walk's lines as the compiled walk gives them, its census and code."""
    census: dict[str, int] = {}
    code: dict[int, str] = {}
    out = [line.as_tuple(blank) for line, blank in blocks(root, census, code)]
    return out, census, code


TOKEN = re.compile(r"\w+")


def _folded_tokens(text: str) -> list[str]:
    return TOKEN.findall(text.casefold())


def extract_shares(lines: list[str], extraction: str) -> np.ndarray:
    tokens = _folded_tokens(extraction)
    trigrams = {tuple(tokens[i:i + 3]) for i in range(len(tokens) - 2)}
    whole = {tuple(_folded_tokens(x)) for x in extraction.splitlines() if x.strip()}
    out = np.zeros(len(lines), dtype=np.float32)
    for i, line in enumerate(lines):
        toks = _folded_tokens(line)
        if len(toks) >= 3:
            grams = [tuple(toks[k:k + 3]) for k in range(len(toks) - 2)]
            out[i] = sum(g in trigrams for g in grams) / len(grams)
        elif toks:
            out[i] = float(tuple(toks) in whole)
    return out
