"""The working state of one document during one pass of the chain.

Columnar on purpose: a page is a list of line texts, a parallel list of verdicts and a list
mapping each line to its original line number. Stages read and mark these lists; derived
forms (the folded text, word counts) are computed once per pass, when a stage first asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cleaner._core import LineMemo, has_invisible, kept_lines, line_starts, word_counts
from cleaner.document import (
    CONTENT_REASON,
    ContentVerdict,
    Document,
    Reason,
    RemovalLog,
    split_lines,
)
from cleaner.normalize import collapse, fold, visible

if TYPE_CHECKING:
    from cleaner.htmldom import HtmlEvidence
    from cleaner.profile import ContentSummary
    from cleaner.rulebook.compiler import RulesSeen


class DocumentState:
    """One document while it is cleaned: its original lines, split once and shared by every
    pass, and the record of what was done to it (removals, repaired lines), with what a
    stage may reuse across passes in typed slots."""

    __slots__ = ("_line_memo", "_starts", "content_summary", "document", "endings",
                 "ends_with_newline", "folded", "html", "lines", "newline", "removals",
                 "repaired", "rules_seen", "thread_verdict")

    def __init__(self, document: Document, html: HtmlEvidence | None = None) -> None:
        self.document = document
        text = document.text
        self.lines, self.endings = split_lines(text)
        self.ends_with_newline = bool(self.endings) and self.endings[-1] != ""
        # The one ending every line has, or None for a text that mixes them.
        self.newline: str | None = "\n"
        if "\r" in text:
            kinds = set(self.endings[:-1]) | ({self.endings[-1]} - {""})
            self.newline = kinds.pop() if len(kinds) == 1 else None
        self.removals = RemovalLog(self.lines, self.endings)
        self.repaired = 0
        # For a page made from HTML: what the DOM and trafilatura say of each original line.
        self.html = html
        # The threads stage's verdict on the page's comment threads, taken on the first pass
        # that finds one: True under an article (they go), False on a forum (they stay).
        self.thread_verdict: bool | None = None
        # The content stage's first look at the page (its scores before any line went):
        # evidence for the quality estimate (profile.py).
        self.content_summary: ContentSummary | None = None
        # What the rules stage has already run every rule over (compiler.RulesSeen): a later
        # pass need not run again the rules whose verdict on a line is its text's alone.
        self.rules_seen: RulesSeen | None = None
        # Each original line's text and folded form, as the first pass that folded them
        # read them (Page.folded_lines): later passes see the same texts.
        self.folded: tuple[dict[int, str], dict[int, str]] | None = None  # texts, forms
        self._line_memo: LineMemo | None = None
        self._starts: list[int] | None = None

    @property
    def line_memo(self) -> LineMemo:
        """What the content model read of each line, for its later passes (made at first
        use)."""
        if self._line_memo is None:
            self._line_memo = LineMemo(len(self.lines))
        return self._line_memo

    def start(self, index: int) -> int:
        """Character offset of an original line; computed on the first removal only."""
        if self._starts is None:
            self._starts = line_starts(self.lines, self.endings)
        return self._starts[index]

    def record(self, index: int, start: int, end: int, reason: Reason | ContentVerdict,
               text: str) -> None:
        """Log one removal: characters `start`..`end` of original line `index` (0-based)."""
        self.removals.add(index, start, end, reason, text)


# What marks a line the content stage dropped (its own reason is in the removal log).
_CONTENT = Reason(stage=CONTENT_REASON, action="drop-line")


def host_of(url: str) -> str:
    """A URL's host, lower case, without 'www.'; '' for no URL or one without a host."""
    if not url:
        return ""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def is_blank(line: str) -> bool:
    return not line or line.isspace()


class Page:
    """One pass's view of a document: the lines still kept after the previous pass."""

    __slots__ = ("_folded", "_folded_text", "_matching", "_text", "_visible", "_words",
                 "dropped", "lines", "origin", "protected", "state")

    def __init__(self, state: DocumentState, lines: list[str], origin: list[int]) -> None:
        self.state = state
        self.lines = lines
        self.origin = origin
        self.dropped: list[Reason | None] = [None] * len(lines)
        self.protected: frozenset[int] = frozenset()  # lines no stage may remove (`keep`)
        self._text: str | None = None
        self._visible: list[str] | None = None
        self._folded: list[str] | None = None
        self._folded_text: str | None = None
        self._matching: dict[int, str] = {}
        self._words: list[int] | None = None

    @classmethod
    def whole(cls, state: DocumentState) -> Page:
        """The first pass's page: every original line."""
        return cls(state, list(state.lines), list(range(len(state.lines))))

    def __len__(self) -> int:
        return len(self.lines)

    def host(self) -> str:
        """The document's host name (lower case, without 'www.'), '' when its URL is unknown."""
        return host_of(self.state.document.url)

    # -- derived forms -------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The lines joined by LF: what whole-page regex scans run over."""
        if self._text is None:
            self._text = "\n".join(self.lines)
        return self._text

    def visible_lines(self) -> list[str]:
        """The lines without invisible format characters (normalize.visible), index-aligned
        with `lines`: what regex rules read. The lines themselves when there are none."""
        if self._visible is None:
            text = self.text
            self._visible = (self.lines if not has_invisible(text)
                             else [visible(line) for line in self.lines])
        return self._visible

    def visible_text(self) -> str:
        lines = self.visible_lines()
        return self.text if lines is self.lines else "\n".join(lines)

    def folded_lines(self) -> list[str]:
        """Casefolded, NFKC lines, index-aligned with `lines`. A later pass takes each line's
        form from the earlier pass that folded it (a line's form is its text's)."""
        if self._folded is None:
            known = self.state.folded
            if known is not None:
                texts, forms = known
                if list(map(texts.get, self.origin)) == self.lines:
                    folded = list(map(forms.__getitem__, self.origin))
                else:
                    folded = [forms[o] if texts.get(o) == line else fold(line)
                              for line, o in zip(self.lines, self.origin, strict=True)]
            else:
                folded = fold(self.text).split("\n")
                if len(folded) != len(self.lines):  # a fold that moved line breaks
                    folded = [fold(line) for line in self.lines]
                self.state.folded = (dict(zip(self.origin, self.lines, strict=True)),
                                     dict(zip(self.origin, folded, strict=True)))
            self._folded = folded
        return self._folded

    def folded_text(self) -> str:
        if self._folded_text is None:
            self._folded_text = "\n".join(self.folded_lines())
        return self._folded_text

    def matching_form(self, index: int) -> str:
        """The matching form (normalize.py) of one line, cached."""
        value = self._matching.get(index)
        if value is None:
            value = collapse(self.folded_lines()[index])
            self._matching[index] = value
        return value

    def words(self) -> list[int]:
        """Whitespace-separated word count of each line."""
        if self._words is None:
            self._words = word_counts(self.lines)
        return self._words

    # -- verdicts ------------------------------------------------------------------------
    def kept(self, index: int) -> bool:
        return self.dropped[index] is None

    def drop(self, index: int, reason: Reason) -> bool:
        """Mark a line dropped; the first reason given wins. Returns whether it was kept."""
        if self.dropped[index] is not None or index in self.protected:
            return False
        self.dropped[index] = reason
        text = self.lines[index]
        if not is_blank(text):
            self.state.record(self.origin[index], 0, len(text), reason, text)
        return True

    def drop_scored(self, drops: Iterable[tuple[int, ContentVerdict]]) -> None:
        """`drop` for the content stage's lines, each with its score and evidence (one call
        per pass; the reasons are made when the removals are read)."""
        dropped, lines, origin, protected = self.dropped, self.lines, self.origin, self.protected
        add = self.state.removals.add
        for index, verdict in drops:
            if dropped[index] is not None or index in protected:
                continue
            dropped[index] = _CONTENT
            text = lines[index]
            if text and not text.isspace():
                add(origin[index], 0, len(text), verdict, text)

    def replace(self, index: int, text: str) -> None:
        """Repair's way to change a line: the text changes, the verdict does not."""
        self.lines[index] = text
        self.state.repaired += 1
        self._invalidate(index)

    def _invalidate(self, index: int) -> None:
        self._text = None
        self._visible = None
        self._folded = None
        self._folded_text = None
        self._matching.pop(index, None)
        self._words = None

    def strip(self, index: int, start: int, end: int, reason: Reason) -> None:
        """Remove one span of a kept line; a line left blank goes whole."""
        text = self.lines[index]
        if self.dropped[index] is not None or start >= end or index in self.protected:
            return
        self.state.record(self.origin[index], start, end, reason, text[start:end])
        rest = text[:start] + text[end:]
        if is_blank(rest):
            self.dropped[index] = reason
        self.lines[index] = rest
        self._invalidate(index)

    # -- the next pass -------------------------------------------------------------------
    def kept_page(self) -> Page:
        """The kept lines as the next pass sees them: exactly the lines `render` writes (a run
        of blank lines between kept lines as one)."""
        lines, origin = kept_lines(self.lines, self.dropped, self.origin)
        return Page(self.state, lines, origin)

    def render(self) -> str:
        """The page's lines as text, each line with its own original ending; the text ends
        with a line break exactly when the source did."""
        if not self.lines:
            return ""
        source = self.state
        if source.newline is not None:  # one line ending throughout: the fast path
            tail = source.newline if source.ends_with_newline else ""
            return source.newline.join(self.lines) + tail
        endings = source.endings
        parts: list[str] = []
        before = ""
        for line, src in zip(self.lines, self.origin, strict=True):
            ending = endings[src] or "\n"
            if not line and before == "\r" and ending[0] == "\n":
                # A CR, then a blank line ending in LF, would read back as one CRLF: the
                # blank line would vanish on the next run. It takes the CR instead.
                ending = "\r"
            parts.append(line)
            parts.append(ending)
            before = ending
        if not source.ends_with_newline:
            parts.pop()
        return "".join(parts)

    def changed_since(self, before: Page) -> bool:
        return self.lines != before.lines
