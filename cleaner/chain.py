"""`Cleaner`: builds the chain from options and runs documents through it.

One way to do a thing: the CLI, the library functions and the integrations all come here.
The chain runs to a fixed point (bounded passes) so that cleaning its own output changes
nothing: a stage that looks at neighbours or positions can decide differently once lines
around it are gone, and a second run of a pre-commit hook must never change a file again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache, partial

from cleaner.content.model import FAVOR, ContentModel, load_html_model, load_model
from cleaner.document import Document, Reason, Removal, Result
from cleaner.errors import UsageError
from cleaner.html import Extraction, extract, prepare
from cleaner.htmldom import DomDump
from cleaner.page import Page, Source
from cleaner.rulebook.compiler import RuleSet
from cleaner.rulebook.loader import load_packs
from cleaner.rulebook.model import Pack
from cleaner.stages import DedupStage, RepairStage, RulesStage, Stage
from cleaner.stages.content import ContentStage, HtmlContentStage
from cleaner.stages.keep import KeepStage

MAX_PASSES = 32
# The over-removal guard: a document of at least GUARD_MIN_WORDS words that would lose more
# than `max_removal` of its words keeps its best block instead (flagged "max-removal").
MAX_REMOVAL = 0.95
GUARD_MIN_WORDS = 100
# Documents past this size pass through unchanged, flagged "oversize": the chain's memory
# grows with a document's lines (some 60 bytes per byte of text with the content model), and
# a 200 MB line must not take a worker past its share of the machine. The default keeps a
# worker of `--jobs 2` near 400 MB at the largest document it cleans; the largest dev dump
# is 0.1 MB. An HTML page is mostly markup, so it is allowed HTML_ALLOWANCE times as much.
MAX_DOC_BYTES = 2 << 20
HTML_ALLOWANCE = 4
SENTENCE_WORDS = 8


class Cleaner:
    """Cleans documents. Build once (rules compile here), then call as often as you like.

    Options mirror the CLI's: `rules` adds pack files or folders, `disable` turns rule ids or
    whole packs off, `builtin_rules=False` leaves the shipped packs out, and `repair`,
    `rules_stage`, `content` and `dedup` switch stages off. `favor` ("balanced", "precision"
    or "recall") moves the content stage's decision toward dropping or toward keeping;
    `content_model` swaps in another model file; `keep` is a list of regexes whose lines no
    stage may remove (the way out of a false removal). Nothing is read from configuration
    files.
    """

    def __init__(
        self,
        *,
        rules: Sequence[str | os.PathLike[str]] = (),
        disable: Sequence[str] = (),
        builtin_rules: bool = True,
        repair: bool = True,
        rules_stage: bool = True,
        dedup: bool = True,
        content: bool = True,
        favor: str = "balanced",
        content_model: str | os.PathLike[str] | ContentModel | None = None,
        keep: Sequence[str] = (),
        max_passes: int = MAX_PASSES,
        max_removal: float = MAX_REMOVAL,
        html_model: str | os.PathLike[str] | ContentModel | None = None,
        max_doc_bytes: int = MAX_DOC_BYTES,
    ) -> None:
        self.packs: list[Pack] = _cached_packs(tuple(map(str, rules)), builtin_rules)
        known = {p.name for p in self.packs} | {r.id for p in self.packs for r in p.rules}
        unknown = [d for d in disable if d not in known]
        if unknown:
            raise UsageError(f"--disable {unknown[0]}: no rule or pack has that name "
                             "(see `cleaner rules list`)")
        self.ruleset = _cached_ruleset(tuple(map(str, rules)), builtin_rules, tuple(disable))
        stages: list[Stage] = []
        if repair:
            stages.append(RepairStage())
        if rules_stage:
            stages.append(RulesStage(self.ruleset))
        if content:
            if favor not in FAVOR:
                raise UsageError(f"--favor {favor}: one of {', '.join(FAVOR)}")
            path = str(content_model) if isinstance(content_model, (str, os.PathLike)) else None
            model = content_model if content_model is not None and path is None \
                else partial(load_model, path)  # the file loads at first use, once per process
            stages.append(ContentStage(model, favor))  # type: ignore[arg-type]
            html_path = str(html_model) if isinstance(html_model, (str, os.PathLike)) else None
            self._html_model: ContentModel | Callable[[], ContentModel] | None = (
                html_model if isinstance(html_model, ContentModel)
                else partial(load_html_model, html_path))
        else:
            self._html_model = None
        self.favor = favor
        if dedup:
            stages.append(DedupStage())
        if keep:
            stages.insert(0, KeepStage(keep))
        self.stages: tuple[Stage, ...] = tuple(stages)
        self.max_passes = max(1, max_passes)
        if not 0.0 <= max_removal <= 1.0:
            raise UsageError(f"--max-removal {max_removal}: a share between 0 and 1")
        self.max_removal = max_removal
        if max_doc_bytes < 0:
            raise UsageError(f"--max-doc-bytes {max_doc_bytes}: a size in bytes (0: no limit)")
        self.max_doc_bytes = max_doc_bytes

    def model_digest(self) -> str | None:
        """The content model's digest when the stage is on (this loads the model)."""
        for stage in self.stages:
            if isinstance(stage, ContentStage):
                return stage.model.digest
        return None

    def clean(self, document: Document | str) -> Result:
        """Clean one document (a plain string is a document with no id)."""
        doc = Document(document) if isinstance(document, str) else document
        if self._oversize(doc.text, 1):
            return _passed_through(doc)
        return self._clean(doc, self.stages)

    def _oversize(self, text: str, allowance: int) -> bool:
        limit = self.max_doc_bytes * allowance
        if not limit or len(text) * 4 <= limit:  # a character is at most four bytes
            return False
        return len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit

    def _clean(self, doc: Document, stages: Sequence[Stage],
               flags: tuple[str, ...] = ()) -> Result:
        source = Source(doc)
        page, passes, more = self.fixed_point(Page.from_source(source), stages)
        result = Result(document=doc, text=page.render(), removals=source.removals,
                        repaired_lines=source.repaired, passes=passes, flags=flags + more)
        return self._guarded(result, stages) or result

    def clean_html(self, html: str, id: str = "", *, metadata: bool = False,
                   url: str = "") -> Result:
        """Clean one HTML page into its article text.

        With the content stage on, every visible line of the page (a dump that keeps the
        DOM's view of each line) goes through the chain, and the HTML model scores the lines
        the rules leave on their text and DOM features, trafilatura's extraction among them.
        A page trafilatura finds no main text in is scored by the text model alone (flagged
        "no-extraction"). With the content stage off: trafilatura's text, then the rules.
        With `metadata`, the result's document carries trafilatura's title, author, date,
        url and site name in `meta`.
        """
        from cleaner.htmldom import dom_dump

        if self._oversize(html, HTML_ALLOWANCE):
            return _passed_through(Document(html, id=id, url=url))
        page = prepare(html)
        found = extract(page.html, with_metadata=metadata)
        if self._html_model is None:
            return self._clean(Document(found.text, id=id, meta=found.metadata, url=url),
                               self.stages, page.flags)
        return self.clean_dump(dom_dump(page.html, found.text, page.root), found, id,
                               page.flags, url)

    def clean_dump(self, dump: DomDump, found: Extraction, id: str = "",
                   flags: tuple[str, ...] = (), url: str = "") -> Result:
        """The HTML path after parsing: the page's dump lines scored with their DOM rows."""
        doc = Document(dump.text, id=id, meta=found.metadata, url=url)
        if not found.text.strip() or self._html_model is None:
            return self._clean(doc, self.stages, (*flags, "no-extraction"))
        stage = HtmlContentStage(self._html_model, dump.rows, self.favor, found.text,
                                 dump.signals)
        stages = [stage if isinstance(s, ContentStage) else s for s in self.stages]
        result = self._clean(doc, stages, flags)
        if not stage.prefers_extraction and result.text.strip():
            return result
        # The gate chose trafilatura's text, or the page's own lines came to nothing: a page
        # that renders its text in <noscript> (Discourse forums) or builds it with scripts
        # leaves no visible line, and an empty result is never the answer when trafilatura
        # found text.
        rest = [s for s in self.stages if not isinstance(s, ContentStage)]
        return self._clean(Document(found.text, id=id, meta=found.metadata, url=url), rest,
                           (*flags, "extraction"))

    def fixed_point(self, page: Page, stages: Sequence[Stage] | None = None
                    ) -> tuple[Page, int, tuple[str, ...]]:
        """Run the stages until a pass changes nothing (or the pass limit is reached)."""
        passes = 0
        stages = self.stages if stages is None else stages
        while True:
            passes += 1
            for stage in stages:
                stage.apply(page)
            following = page.kept_page()
            if not following.changed_since(page):
                return page, passes, ()
            page = following
            if passes == self.max_passes:
                return page, passes, ("unstable",)

    def _guarded(self, full: Result, stages: Sequence[Stage]) -> Result | None:
        """The over-removal guard: a long document that would lose more than `max_removal`
        of its words keeps its best block (the blank-delimited block with the most words),
        itself cleaned when that leaves enough of it. None when the guard does not apply.

        Both outcomes are fixed points, so a second run changes nothing: a cleaned block is
        the chain's own output, and a block kept whole is long and one block, so the guard
        keeps it whole again. A short block the chain would empty is no stable rescue; the
        full result stands then.
        """
        doc = full.document
        if self.max_removal >= 1.0:
            return None
        # The guard weighs the page's distinct text: a copy is no loss (a page a scraper
        # saved 30 times over keeps one copy; a label repeated on every screen is one label).
        total = _distinct_words(doc.text)
        if total < GUARD_MIN_WORDS or _distinct_words(full.text) >= (
                1.0 - self.max_removal) * total:
            return None
        source = Source(doc)
        block = _best_block(source.lines)
        block_words = sum(len(source.lines[i].split()) for i in block)
        page, passes, flags = self.fixed_point(
            Page(source, [source.lines[i] for i in block], list(block)), stages)
        if len(" ".join(page.lines).split()) < (1.0 - self.max_removal) * block_words:
            if block_words < GUARD_MIN_WORDS:
                return None
            source.removals.clear()
            page = Page(source, [source.lines[i] for i in block], list(block))
        inside = set(block)
        removals = [r for r in full.removals if r.line - 1 not in inside]
        whole = {r.line for r in removals if r.reason.action != "strip"}
        for number, text in enumerate(source.lines, 1):
            if number - 1 not in inside and number not in whole and text.strip():
                start = source.start(number - 1)
                removals.append(Removal(number, start, start + len(text),
                                        Reason(stage="guard", action="drop-line"), text))
        removals += source.removals
        removals.sort(key=lambda r: (r.start, r.end))
        return Result(document=doc, text=page.render(), removals=removals,
                      repaired_lines=source.repaired, passes=full.passes + passes,
                      flags=(*full.flags, *flags, "max-removal"))

    def clean_text(self, text: str) -> str:
        return self.clean(text).text

    def clean_stream(self, documents: Iterable[Document | str]) -> Iterator[Result]:
        """Results one by one, in order; holds one document at a time."""
        for document in documents:
            yield self.clean(document)


def _passed_through(doc: Document) -> Result:
    """A document over the size limit: unchanged, flagged, nothing removed."""
    return Result(document=doc, text=doc.text, removals=[], flags=("oversize",))


def _distinct_words(text: str) -> int:
    """Words in the text's distinct lines (each line counted once, however often it
    repeats)."""
    return sum(len(line.split()) for line in set(text.splitlines()))


def _best_block(lines: list[str]) -> list[int]:
    """Indices of the blank-delimited block with the most words in sentence-length lines
    (short lines, the stuff of menus and labels, count a tenth); the first on a tie."""
    best: list[int] = []
    best_weight = -1.0
    current: list[int] = []
    weight = 0.0
    for i, line in enumerate([*lines, ""]):
        if line.strip():
            current.append(i)
            words = len(line.split())
            weight += words if words >= SENTENCE_WORDS else words / 10
            continue
        if current and weight > best_weight:
            best, best_weight = current, weight
        current, weight = [], 0.0
    return best


@lru_cache(maxsize=8)
def _cached_ruleset(extra: tuple[str, ...], builtin: bool, disable: tuple[str, ...]) -> RuleSet:
    """Compiled rules shared by every Cleaner of a process with the same packs: compiling
    costs time and tens of MB of RE2 state, and a RuleSet is immutable."""
    return RuleSet.from_packs(_cached_packs(extra, builtin), disable)


@lru_cache(maxsize=8)
def _cached_packs(extra: tuple[str, ...], builtin: bool) -> list[Pack]:
    return load_packs(extra, builtin=builtin)


@lru_cache(maxsize=1)
def default_cleaner() -> Cleaner:
    return Cleaner()


def clean(text: str, **options: object) -> str:
    """Clean one text with the given `Cleaner` options; the default chain is built once."""
    cleaner = default_cleaner() if not options else Cleaner(**options)  # type: ignore[arg-type]
    return cleaner.clean_text(text)
