"""The data model: what goes into the chain and what comes out.

A `Document` is what a reader yields; a `Result` is what the chain gives back. Between the two
the chain works on a columnar `Page` (see page.py): per-line Python objects would cost more
than the cleaning itself on large datasets, so `Line` is a view built on demand for
explanations, not the working representation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from cleaner.profile import PageProfile, PageType

_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """The lines of a text and each line's own ending: LF, CRLF or a lone CR (old Mac files,
    and scrapers that glue pages together), '' for a last line with none.

    Every one of the three is a line break wherever it stands, so any mix of them splits the
    same way on every run: a page whose first line ends in CRLF and later ones in LF cleans
    like any other, and writing each kept line with its own ending gives back the input's
    bytes for every line that stays.
    """
    if "\r" not in text:  # the common case, at C speed
        lines = text.split("\n")
        endings = ["\n"] * len(lines)
    else:
        lines = _BREAK.split(text)
        endings = [*_BREAK.findall(text), ""]
    endings[-1] = ""
    if len(lines) > 1 and lines[-1] == "":  # the text ends with a line break
        lines.pop()
        endings.pop()
    return lines, endings


@dataclass(frozen=True, slots=True)
class Document:
    """One page to clean. `meta` rides along untouched (JSONL fields, WARC headers)."""

    text: str
    id: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    url: str = ""  # where the page came from, when known: site-scoped rules read its host


@dataclass(frozen=True, slots=True)
class Evidence:
    """One feature's part in a content score: its value on the line and its contribution to
    the score in log-odds (TreeSHAP; negative pushes toward removal). `model` says which
    trees: "line" (the line's own features) or "context" (the second stage, over the first
    stage's scores around the line; its "score" is the line's own first score)."""

    feature: str
    value: float
    effect: float
    model: Literal["line", "context"] = "line"

    def as_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "value": round(self.value, 4),
                "effect": round(self.effect, 4)}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a line or span went: the stage that decided, and the rule when a rule did; for
    the content stage, its score and (when asked, `Options.evidence`) the features that
    weighed most."""

    stage: str
    action: str
    rule_id: str | None = None
    score: float | None = None
    evidence: tuple[Evidence, ...] = ()

    @property
    def key(self) -> str:
        """The name statistics count under: the rule id, else the stage."""
        return self.rule_id or self.stage


@dataclass(frozen=True, slots=True)
class Removal:
    """One removed line, or one stripped span of a kept line.

    `line` is 1-based in the original text; `start`/`end` are character offsets into the
    original text (for a strip, of the span; a repaired line's spans are approximate,
    since repair may change its length).
    """

    line: int
    start: int
    end: int
    reason: Reason
    text: str

    def as_dict(self, doc_id: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": doc_id,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "stage": self.reason.stage,
            "rule": self.reason.rule_id,
            "action": self.reason.action,
            "text": self.text,
        }
        if self.reason.score is not None:
            out["score"] = round(self.reason.score, 4)
        for model, key in (("line", "evidence"), ("context", "context")):
            found = [e.as_dict() for e in self.reason.evidence if e.model == model]
            if found:
                out[key] = found
        return out


@dataclass(frozen=True, slots=True)
class Line:
    """A view of one original line and its verdict, for explanations and tests."""

    number: int
    text: str
    start: int
    reason: Reason | None

    @property
    def kept(self) -> bool:
        return self.reason is None


# The fields `--meta` adds from an HTML page's metadata (trafilatura's, where it finds them).
META_FIELDS: tuple[str, ...] = ("title", "author", "date", "url", "sitename")
# The fields `--meta` adds from the page models (beside an HTML page's metadata), and those
# of them that are numbers (the rest are strings).
PAGE_FIELDS: tuple[str, ...] = ("page_type", "page_type_prob", "quality")
NUMBER_FIELDS = frozenset({"page_type_prob", "quality"})
MetaValue = str | float | None
# Every `--meta` field, in the order columnar outputs add them.
META_COLUMNS: tuple[str, ...] = (*META_FIELDS, *PAGE_FIELDS)


# A content removal's reason, made when the log is read: (score, evidence).
ContentVerdict = tuple[float, tuple[Evidence, ...]]
CONTENT_REASON = "content"


class RemovalLog:
    """What the chain took from a document, as it took it: each removal's original line
    (0-based), its span within the line, its reason (for the content stage, only the score
    and evidence) and its text. The `Removal` and `Reason` objects are made when something
    reads them (`removals`): a run that only wants the clean text never pays for them."""

    __slots__ = ("_endings", "_entries", "_lines", "_made")

    def __init__(self, lines: list[str], endings: list[str]) -> None:
        self._lines = lines
        self._endings = endings
        self._entries: list[tuple[int, int, int, Reason | ContentVerdict, str]] = []
        self._made: list[Removal] | None = None

    def add(self, index: int, start: int, end: int, reason: Reason | ContentVerdict,
            text: str) -> None:
        self._entries.append((index, start, end, reason, text))
        self._made = None

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Removal]:
        return iter(self.removals)

    def keys(self) -> Iterator[tuple[str, str]]:
        """Each entry's (statistics key, stage), read from the log as it is: statistics
        count every document of a run, and need no `Removal` built for that."""
        for entry in self._entries:
            reason = entry[3]
            if isinstance(reason, Reason):
                yield reason.key, reason.stage
            else:
                yield CONTENT_REASON, CONTENT_REASON

    @property
    def removals(self) -> list[Removal]:
        """The log as `Removal` objects, offsets into the document's text."""
        if self._made is None:
            from cleaner._core import line_starts

            starts = line_starts(self._lines, self._endings)
            self._made = [
                Removal(index + 1, starts[index] + start, starts[index] + end,
                        reason if isinstance(reason, Reason) else
                        Reason(stage=CONTENT_REASON, action="drop-line", score=reason[0],
                               evidence=reason[1]), text)
                for index, start, end, reason, text in self._entries]
        return self._made


class Result:
    """The cleaned text of one document and everything that was taken from it. `removals`
    may be given as the chain's `RemovalLog`, read into `Removal`s at first use."""

    __slots__ = ("_removals", "document", "flags", "html_bytes", "passes", "profile",
                 "repaired_lines", "text")

    def __init__(self, document: Document, text: str,
                 removals: list[Removal] | RemovalLog, repaired_lines: int = 0,
                 passes: int = 1, flags: tuple[str, ...] = (),
                 profile: PageProfile | None = None, html_bytes: int = 0) -> None:
        self.document = document
        self.text = text
        self._removals = removals
        self.repaired_lines = repaired_lines
        self.passes = passes
        self.flags = flags
        # The evidence for the page type and the quality estimate (None for a document the
        # chain passed through unread: an oversize one).
        self.profile = profile
        self.html_bytes = html_bytes  # for a page cleaned as HTML: its size, markup and all

    @property
    def removals(self) -> list[Removal]:
        if isinstance(self._removals, RemovalLog):
            self._removals = self._removals.removals
        return self._removals

    @property
    def removal_records(self) -> Iterable[Removal]:
        """The removals as given, not read yet (for evidence that may never be asked)."""
        return self._removals

    def __repr__(self) -> str:
        return (f"Result(document={self.document!r}, text={self.text!r}, "
                f"removals={self.removals!r}, repaired_lines={self.repaired_lines}, "
                f"passes={self.passes}, flags={self.flags!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in (
            "document", "text", "removals", "repaired_lines", "passes", "flags",
            "profile", "html_bytes"))

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    @property
    def changed(self) -> bool:
        return self.text != self.document.text

    @property
    def page_type(self) -> PageType | None:
        """The kind of page, one of `profile.PAGE_TYPES` (computed on first request)."""
        return self.profile.page_type if self.profile is not None else None

    @property
    def page_type_prob(self) -> float | None:
        """The page-type model's probability for `page_type`."""
        return self.profile.page_type_prob if self.profile is not None else None

    @property
    def quality(self) -> float | None:
        """The estimated F1 of `text` against what a person would keep of the page."""
        return self.profile.quality if self.profile is not None else None

    def page_fields(self) -> dict[str, MetaValue]:
        """The `--meta` fields of the page models (`PAGE_FIELDS`; None each for a document
        passed through unread)."""
        if self.profile is None:
            return dict.fromkeys(PAGE_FIELDS)
        return {"page_type": self.profile.page_type,
                "page_type_prob": round(self.profile.page_type_prob, 4),
                "quality": round(self.profile.quality, 4)}

    def meta_fields(self) -> dict[str, MetaValue]:
        """Everything `--meta` adds: an HTML page's metadata (the keys it has) and the page
        models' fields."""
        return {**self.document.meta, **self.page_fields()}

    def counts(self) -> Counter[str]:
        """Removed lines (and stripped spans) per rule id or stage."""
        return Counter(key for key, _stage in self._keys())

    def stage_counts(self) -> Counter[str]:
        """Removed lines (and stripped spans) per stage."""
        return Counter(stage for _key, stage in self._keys())

    def _keys(self) -> Iterable[tuple[str, str]]:
        if isinstance(self._removals, RemovalLog):
            return self._removals.keys()
        return ((r.reason.key, r.reason.stage) for r in self._removals)

    def lines(self) -> list[Line]:
        """Every original line with its verdict: the reason it went, or None if it stayed
        (a line that only lost a stripped span stayed)."""
        gone = {r.line: r.reason for r in self.removals if r.reason.action != "strip"}
        out: list[Line] = []
        start = 0
        lines, endings = split_lines(self.document.text)
        for number, (line, ending) in enumerate(zip(lines, endings, strict=True), 1):
            out.append(Line(number, line, start, gone.get(number)))
            start += len(line) + len(ending)
        return out
