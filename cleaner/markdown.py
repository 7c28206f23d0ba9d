"""Markdown output: the lines a cleaning kept, written with the structure the page gave them.

The Markdown makes no cleaning decision of its own. HTML mode's dump remembers, for each line,
the block it came from (`Block`: a heading and its level, a list item and its depth, a table
row, a line of preformatted code, a quotation); the Markdown of a result is its kept lines,
in order, each written as its block says (`#` headings, `-` and `1.` items, pipe tables,
fenced code with the page's own line breaks). When the page gate chose trafilatura's text
instead, the result's lines are trafilatura's text (its list items already "- ", its tables
pipe rows), and trafilatura's own Markdown of the page says which of them are headings and
code (`of_extraction`, matching lines by their text). A text document has no structure to
give: its Markdown is its clean text, with what Markdown would misread escaped.

The text of the Markdown (`plain`) is the clean text, block for block: a test holds that, and
bench/markdown.py scores it on the dev pages beside HTML mode's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from cleaner.document import Result, split_lines

# "list": text inside a list but in no item of it (written as text).
BlockKind = Literal["text", "heading", "list", "item", "row", "code", "quote"]


class Block(NamedTuple):
    """Where a dump line came from: `level` is a heading's level or a list item's depth;
    `group` tells one table, list or preformatted block from the next (0: none)."""

    kind: BlockKind = "text"
    level: int = 0
    group: int = 0
    ordered: bool = False


TEXT = Block()


@dataclass(frozen=True)
class Structure:
    """The blocks of a page's dump lines (one per line, blank lines `TEXT`), the text of
    each preformatted block as the page wrote it (line breaks and indents kept, by group),
    and the cells of each table row (by line index; a dump line joins them with spaces)."""

    blocks: tuple[Block, ...] = ()
    code: dict[int, str] = field(default_factory=dict)
    cells: dict[int, tuple[str, ...]] = field(default_factory=dict)


# What Markdown reads as structure at the start of a line of text: a heading, a quotation,
# a list item, a rule or a fence.
_LEADING = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|\||[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|"
                      r"(?:[-*_=]\s*){3,}$|```|~~~)")
_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_FENCE = re.compile(r"^(`{3,}|~{3,})")


def escape(line: str) -> str:
    """A line of text as Markdown that reads back as the same text."""
    match = _LEADING.match(line)
    if match is None:
        return line
    lead, marker = match.group(1), match.group(2)
    if marker[0].isdigit():  # "1." is an item, "1\." a number and a full stop
        return f"{lead}{marker}\\{line[match.end():]}"
    return f"{lead}\\{marker}{line[match.end():]}"


def of_text(text: str) -> str:
    """A text document's Markdown: its lines escaped, its blank lines as they are."""
    lines, endings = split_lines(text)
    return "".join(escape(line) + ending for line, ending in zip(lines, endings, strict=True))


def kept_lines(result: Result) -> list[tuple[int, str]] | None:
    """The original line index of each non-blank line of the result's text, with that line
    as written out (a stripped span gone); None when the two do not pair up (a result that
    is not the document's lines, such as an oversize document passed through)."""
    gone = {r.line for r in result.removals if r.reason.action != "strip"}
    source, _ = split_lines(result.document.text)
    kept = [i for i, line in enumerate(source, 1) if line.strip() and i not in gone]
    out = [line for line in result.text.splitlines() if line.strip()]
    if len(kept) != len(out):
        return None
    return [(i - 1, line) for i, line in zip(kept, out, strict=True)]


def of_page(result: Result, structure: Structure) -> str:
    """An HTML page's Markdown from its dump lines' blocks: the lines the result kept."""
    pairs = kept_lines(result)
    if pairs is None or len(structure.blocks) < len(split_lines(result.document.text)[0]):
        return of_text(result.text)
    blocks = structure.blocks
    in_group: dict[int, int] = {}
    for block in blocks:
        if block.kind == "code":
            in_group[block.group] = in_group.get(block.group, 0) + 1
    parts: list[str] = []
    run: list[tuple[Block, str]] = []
    for index, line in pairs:
        block = blocks[index]
        if run and not _continues(run[-1][0], block):
            parts.append(_render(run, structure, in_group))
            run = []
        cells = structure.cells.get(index)
        if block.kind == "row" and cells and " ".join(cells) == line.strip():
            line = "\t".join(cells)
        run.append((block, line))
    if run:
        parts.append(_render(run, structure, in_group))
    return "\n\n".join(parts) + "\n" if parts else ""


def _continues(before: Block, block: Block) -> bool:
    """Whether a line joins the run before it: rows of one table, items of one list, lines
    of one preformatted block or quotation."""
    if before.kind != block.kind or block.kind in ("text", "heading", "list"):
        return False
    return block.kind in ("item", "quote") or before.group == block.group


def _render(run: Sequence[tuple[Block, str]], structure: Structure,
            in_group: dict[int, int]) -> str:
    first = run[0][0]
    lines = [line for _, line in run]
    if first.kind == "heading":
        return f"{'#' * max(1, min(first.level, 6))} {lines[0].strip()}"
    if first.kind == "item":
        depth = min(b.level for b, _ in run)
        numbers: dict[tuple[int, int], int] = {}
        items = []
        for b, line in run:
            numbers[b.level, b.group] = number = numbers.get((b.level, b.group), 0) + 1
            for deeper in [k for k in numbers if k[0] > b.level]:
                del numbers[deeper]  # a list below an item starts again under the next
            mark = f"{number}." if b.ordered else "-"
            items.append(f"{'  ' * (b.level - depth)}{mark} {escape(line.strip())}")
        return "\n".join(items)
    if first.kind == "row":
        return _table([line.split("\t") for line in lines])
    if first.kind == "code":
        whole = structure.code.get(first.group)
        body = (whole.strip("\n") if whole is not None and len(run) == in_group.get(first.group)
                else "\n".join(lines))
        return _fenced(body)
    if first.kind == "quote":
        return "\n>\n".join(f"> {escape(line.strip())}" for line in lines)
    return "\n\n".join(escape(line) for line in lines)


def _table(rows: list[list[str]]) -> str:
    """Rows of cells as a pipe table, the first row its header."""
    width = max(len(row) for row in rows)
    cells = [[c.strip().replace("|", "\\|") for c in row] + [""] * (width - len(row))
             for row in rows]
    out = [_row(cells[0]), _row(["---"] * width)]
    out += [_row(row) for row in cells[1:]]
    return "\n".join(out)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _fenced(body: str) -> str:
    longest = max((len(m.group(1)) for line in body.splitlines()
                   if (m := _FENCE.match(line.strip()))), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{body}\n{fence}"


def of_extraction(result: Result, markdown: str) -> str:
    """The Markdown of a page whose gate chose trafilatura's text: the result's lines (the
    chain's decisions, on trafilatura's text, which already writes list items as "- " and
    tables as pipe rows), with the headings and code blocks that trafilatura's Markdown of
    the page marks, found by their text."""
    headings: dict[str, int] = {}
    code: dict[str, int] = {}
    fence = 0
    inside = False
    for line in markdown.splitlines():
        if _FENCE.match(line.strip()):
            inside = not inside
            fence += inside
            continue
        if inside:
            code.setdefault(_bare(line), fence)
            continue
        heading = _HEADING_MARK.match(line.strip())
        if heading is not None:
            headings.setdefault(_bare(line.strip()[heading.end():]), len(heading.group().strip()))
    blocks: list[str] = []
    run: list[str] = []
    run_kind = ""
    run_group = 0
    for line in result.text.splitlines():
        if not line.strip():
            continue
        bare = _bare(line)
        group = code.get(bare, 0) if bare else 0
        kind = ("code" if group else "heading" if bare in headings
                else "item" if _ITEM_LINE.match(line) else "row" if _ROW_LINE.match(line)
                else "text")
        if run and (kind != run_kind or kind in ("text", "heading")
                    or (kind == "code" and group != run_group)):
            blocks.append(_extracted_block(run, run_kind, headings))
            run = []
        run.append(line)
        run_kind, run_group = kind, group
    if run:
        blocks.append(_extracted_block(run, run_kind, headings))
    return "\n\n".join(blocks) + "\n" if blocks else ""


_ITEM_LINE = re.compile(r"^\s*- ")
_ROW_LINE = re.compile(r"^\s*\|.*\|\s*$")


def _extracted_block(lines: list[str], kind: str, headings: dict[str, int]) -> str:
    if kind == "code":
        return _fenced("\n".join(lines))
    if kind == "heading":
        return f"{'#' * headings[_bare(lines[0])]} {lines[0].strip()}"
    if kind in ("item", "row"):
        return "\n".join(line.rstrip() for line in lines)
    return escape(lines[0])


_MARKS = re.compile(r"\\(?=[^\w\s])|[*_`#>]+|</?[a-z]+>")
_SPACE = re.compile(r"\s+")


_ITEM_MARK = re.compile(r"^\s*(?:[-+*]|\d{1,9}[.)])\s+")


def _bare(line: str) -> str:
    """A line without its list mark (trafilatura's text writes "-" where its Markdown
    numbers), emphasis, tags and spaces."""
    return _SPACE.sub("", _ITEM_MARK.sub("", _MARKS.sub("", line)))


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # Markdown's backslash escapes


def plain(markdown: str) -> str:
    """The text of a Markdown output, for scoring it beside the clean text: heading and item
    marks, table rules and fences gone, table cells one line, escapes undone; code as it
    is."""
    out: list[str] = []
    code = False
    for line in markdown.splitlines():
        text = line.strip()
        if _FENCE.match(text):
            code = not code
            continue
        if code:
            out.append(line)
            continue
        if re.fullmatch(r"\|(\s*-{3,}\s*\|)+", text):
            continue
        heading = _HEADING_MARK.match(text)
        if heading is not None:  # a heading's text is inline: no item mark, no escape
            out.append(text[heading.end():])
            continue
        text = re.sub(r"^(?:[-+*]|\d+[.)])\s+", "", text)
        text = re.sub(r"^>\s?", "", text)
        if text.startswith("|") and text.endswith("|"):
            text = "\t".join(c.strip().replace("\\|", "|")
                             for c in re.split(r"(?<!\\)\|", text[1:-1]))
        text = re.sub(r"^\\(?=[#>|+*\-`~=_])|^(\d+)\\(?=[.)])", r"\1", text)
        text = _ESCAPED.sub(r"\1", text)
        out.append(text)
    return "\n".join(out) + "\n" if out else ""
