"""`Cleaner`: builds the chain from options and runs documents through it.

One way to do a thing: the CLI, the library functions and the integrations all come here.
The chain runs to a fixed point (bounded passes) so that cleaning its own output changes
nothing: a stage that looks at neighbours or positions can decide differently once lines
around it are gone, and a second run of a pre-commit hook must never change a file again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Literal

from cleaner._core import distinct_words, word_count
from cleaner.content.model import ContentModel, load_html_model, load_model
from cleaner.document import Document, Reason, Removal, Result
from cleaner.errors import UsageError
from cleaner.html import (
    Extraction,
    extract,
    extract_markdown,
    looks_like_html,
    prepare,
    to_text,
)
from cleaner.htmldom import DomDump, HtmlEvidence
from cleaner.options import HTML_ALLOWANCE, Markup, Options, check_markup, make_options
from cleaner.page import DocumentState, Page
from cleaner.profile import PageProfile
from cleaner.rulebook.compiler import RuleSet
from cleaner.rulebook.loader import load_packs
from cleaner.rulebook.model import Pack
from cleaner.stages import DedupStage, RepairStage, RulesStage, Stage
from cleaner.stages.content import ContentStage, HtmlContentStage, Route
from cleaner.stages.keep import KeepStage
from cleaner.stages.threads import ThreadStage

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from cleaner.options import OptionValues

# The over-removal guard applies to documents of at least this many words.
GUARD_MIN_WORDS = 100
SENTENCE_WORDS = 8
EXTRACTION: Route = "extraction"
# How `clean_html` reads a page: its lines scored with the DOM ("page"), or trafilatura's
# text cleaned as text ("text").
HtmlMode = Literal["page", "text"]


class Cleaner:
    """Cleans documents. Build once (rules compile here), then call as often as you like.

    Takes an `Options`, or the same as keywords (`Cleaner(favor="precision")`), or both
    (keywords change the options given); both are typed, so a checker completes the names
    and catches a wrong name or value. Nothing is read from configuration files.
    """

    def __init__(self, options: Options | None = None, /,
                 **changes: Unpack[OptionValues]) -> None:
        if changes:
            options = make_options(options, **changes)
        self.options = options = options or Options()
        self.packs: list[Pack] = _cached_packs(options.rules, options.builtin_rules)
        known = ({p.name for p in self.packs} | {r.id for p in self.packs for r in p.rules}
                 | {ThreadStage.name})
        unknown = [d for d in options.disable if d not in known]
        if unknown:
            raise UsageError(f"--disable {unknown[0]}: no rule, pack or stage has that name "
                             "(see `cleaner rules list`)")
        disable = options.disable
        if options.comments == "keep":
            disable = (*disable, *thread_cutting_rules(self.packs))
        self.ruleset = _cached_ruleset(options.rules, options.builtin_rules, disable)
        stages: list[Stage] = []
        if options.repair:
            stages.append(RepairStage())
        if options.rules_stage:
            stages.append(RulesStage(self.ruleset))
        if ThreadStage.name not in options.disable:
            stages.append(ThreadStage(options.comments))
        if options.content:
            stages.append(ContentStage(_model_source(options.content_model, load_model),
                                       options.favor, evidence=options.evidence))
        if options.dedup:
            stages.append(DedupStage())
        if options.keep:
            stages.insert(0, KeepStage(options.keep))
        self.stages: tuple[Stage, ...] = tuple(stages)
        # HTML mode: the HTML model in the content stage's place; trafilatura's text goes
        # through the other stages.
        self._plain_stages = tuple(s for s in stages if not isinstance(s, ContentStage))
        self._html_stages: tuple[Stage, ...] | None = None
        if options.content:
            html_stage = HtmlContentStage(_model_source(options.html_model, load_html_model),
                                          options.favor, options.evidence)
            self._html_stages = tuple(html_stage if isinstance(s, ContentStage) else s
                                      for s in stages)
        self.max_passes = max(1, options.max_passes)
        self.max_removal = options.max_removal
        self.max_doc_bytes = options.max_doc_bytes
        self.markdown = options.output_format == "markdown"

    def model_digest(self) -> str | None:
        """The content model's digest when the stage is on (this loads the model)."""
        for stage in self.stages:
            if isinstance(stage, ContentStage):
                return stage.model.digest
        return None

    def clean(self, document: Document | str, markup: Markup = "auto", *,
              metadata: bool = False) -> Result:
        """Clean one document (a plain string is a document with no id), as HTML when
        `markup` says so or, with "auto" (the CLI's sniffing), when it looks like a page (a
        doctype, <html>, or dense tags); else as text. `metadata` asks an HTML page for
        trafilatura's title, author, date and site name (`Result.meta_fields`)."""
        doc = Document(document) if isinstance(document, str) else document
        if markup == "html" or (markup == "auto" and looks_like_html(doc.text)):
            return self.clean_html(doc.text, doc.id, metadata=metadata, url=doc.url)
        if markup not in ("auto", "text"):
            check_markup(markup)
        if self._oversize(doc.text, 1):
            return _passed_through(doc)
        result = self._clean(doc, self.stages)
        if self.markdown:
            from cleaner import markdown  # Markdown output only: a plain run does not load it

            result.text = markdown.of_text(result.text)
        return result

    def _oversize(self, text: str, allowance: int) -> bool:
        limit = self.max_doc_bytes * allowance
        if not limit or len(text) * 4 <= limit:  # a character is at most four bytes
            return False
        return len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit

    def _clean(self, doc: Document, stages: Sequence[Stage],
               flags: tuple[str, ...] = ()) -> Result:
        """A text document through the chain (no page gate among the stages)."""
        result, _ = self._clean_page(doc, stages, flags)
        assert result is not None, "a text page has no gate to choose the extraction"
        return result

    def _clean_page(self, doc: Document, stages: Sequence[Stage], flags: tuple[str, ...] = (),
                    html: HtmlEvidence | None = None) -> tuple[Result | None, DocumentState]:
        """A document through the chain, with its profile, and the document's state; None
        for the result when an HTML page's gate chose trafilatura's text over the page's
        lines."""
        state = DocumentState(doc, html)
        run = self._run(Page.whole(state), stages)
        if run is None:
            return None, state
        page, passes, more = run
        result = Result(document=doc, text=page.render(), removals=state.removals,
                        repaired_lines=state.repaired, passes=passes, flags=flags + more)
        guarded = self._guarded(result, stages, html)
        if isinstance(guarded, Result):
            result = guarded
        elif guarded == EXTRACTION:
            return None, state
        result.profile = profile_of(state, result)
        return result, state

    def clean_html(self, html: str, id: str = "", *, metadata: bool = False,
                   url: str = "", mode: HtmlMode = "page") -> Result:
        """Clean one HTML page into its article text.

        Mode "page": with the content stage on, every visible line of the page (a dump that
        keeps the DOM's view of each line) goes through the chain, and the HTML model scores
        the lines the rules leave on their text and DOM features, trafilatura's extraction
        among them; its page gate may return trafilatura's text instead (flagged
        "extraction"). A page trafilatura finds no main text in is scored by the text model
        alone (flagged "no-extraction"). With the content stage off: trafilatura's text,
        then the rules. Mode "text": trafilatura's text (its whole-page text when it finds
        no main text), then the text chain: what `check --markup html` writes, so that a
        hook's second run over its own output is a fixed point. With `metadata`, the
        result's document carries trafilatura's title, author, date, url and site name.
        """
        result = self._clean_html(html, id, metadata, url, mode)
        result.html_bytes = len(html.encode("utf-8", "surrogatepass"))
        return result

    def _clean_html(self, html: str, id: str, metadata: bool, url: str,
                    mode: HtmlMode) -> Result:
        from cleaner.htmldom import dom_dump

        if self._oversize(html, HTML_ALLOWANCE):
            return _passed_through(Document(html, id=id, url=url))
        if mode == "text":
            return self.clean(Document(to_text(html), id=id, url=url), "text")
        page = prepare(html)
        found = extract(page.html, with_metadata=metadata)
        dump = None
        if self._html_stages is None:
            result = self._clean(Document(found.text, id=id, meta=found.metadata, url=url),
                                 self.stages, page.flags)
        else:
            dump = dom_dump(page.html, found.text, page.root)
            result = self.clean_dump(dump, found, id, page.flags, url)
        if self.markdown:
            result.text = _page_markdown(result, page.html, dump)
        return result

    def clean_dump(self, dump: DomDump, found: Extraction, id: str = "",
                   flags: tuple[str, ...] = (), url: str = "") -> Result:
        """The HTML path after parsing: the page's dump lines scored with their DOM rows."""
        doc = Document(dump.text, id=id, meta=found.metadata, url=url)
        if not found.text.strip() or self._html_stages is None:
            return self._clean(doc, self.stages, (*flags, "no-extraction"))
        evidence = HtmlEvidence.of(dump, found.text)
        result, state = self._clean_page(doc, self._html_stages, flags, evidence)
        if result is not None and result.text.strip():
            return result
        # The gate chose trafilatura's text, or the page's own lines came to nothing: a page
        # that renders its text in <noscript> (Discourse forums) or builds it with scripts
        # leaves no visible line, and an empty result is never the answer when trafilatura
        # found text. The profile stays the page's.
        extracted = self._clean(Document(found.text, id=id, meta=found.metadata, url=url),
                                self._plain_stages, (*flags, "extraction"))
        extracted.profile = profile_of(state, extracted)
        return extracted

    def fixed_point(self, page: Page, stages: Sequence[Stage] | None = None
                    ) -> tuple[Page, int, tuple[str, ...]]:
        """Run text stages until a pass changes nothing (or the pass limit is reached)."""
        run = self._run(page, self.stages if stages is None else stages)
        assert run is not None, "a text page has no gate to choose the extraction"
        return run

    def _run(self, page: Page, stages: Sequence[Stage]
             ) -> tuple[Page, int, tuple[str, ...]] | None:
        """The fixed point: the page after its last pass, the passes, and the flags. The
        HTML content stage decides on the first pass only; None when its gate routes the
        page to trafilatura's text (the run stops there: its lines will not be used)."""
        passes = 0
        while True:
            passes += 1
            for stage in stages:
                if isinstance(stage, HtmlContentStage):
                    if passes == 1 and stage.route(page) == EXTRACTION:
                        return None
                    continue
                stage.apply(page)
            following = page.kept_page()
            if not following.changed_since(page):
                return page, passes, ()
            page = following
            if passes == self.max_passes:
                return page, passes, ("unstable",)

    def _guarded(self, full: Result, stages: Sequence[Stage], html: HtmlEvidence | None
                 ) -> Result | Route | None:
        """The over-removal guard: a long document that would lose more than `max_removal`
        of its words keeps its best block (`best_prose_block`), itself cleaned when that
        leaves enough of it. None when the guard does not apply; "extraction" when the
        block's run (an HTML page's) routes the page to trafilatura's text.

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
        kept = _distinct_words(full.text)
        least = 1.0 - self.max_removal
        if kept >= least * word_count(doc.text):
            return None  # the page's distinct words are no more than all its words
        total = _distinct_words(doc.text)
        if total < GUARD_MIN_WORDS or kept >= least * total:
            return None
        state = DocumentState(doc, html)
        block = best_prose_block(state.lines)
        block_words = sum(len(state.lines[i].split()) for i in block)
        run = self._run(Page(state, [state.lines[i] for i in block], list(block)), stages)
        if run is None:
            return EXTRACTION
        page, passes, flags = run
        if len(" ".join(page.lines).split()) < (1.0 - self.max_removal) * block_words:
            if block_words < GUARD_MIN_WORDS:
                return None
            state = DocumentState(doc, html)  # the block whole: nothing removed inside it
            page = Page(state, [state.lines[i] for i in block], list(block))
        inside = set(block)
        removals = [r for r in full.removals if r.line - 1 not in inside]
        whole = {r.line for r in removals if r.reason.action != "strip"}
        for number, text in enumerate(state.lines, 1):
            if number - 1 not in inside and number not in whole and text.strip():
                start = state.start(number - 1)
                removals.append(Removal(number, start, start + len(text),
                                        Reason(stage="guard", action="drop-line"), text))
        removals += state.removals
        removals.sort(key=lambda r: (r.start, r.end))
        return Result(document=doc, text=page.render(), removals=removals,
                      repaired_lines=state.repaired, passes=full.passes + passes,
                      flags=(*full.flags, *flags, "max-removal"))

    def clean_text(self, text: str) -> str:
        """The cleaned text of a text document (never read as HTML: a dump that quotes
        markup stays a dump)."""
        return self.clean(text, "text").text

    def clean_stream(self, documents: Iterable[Document | str], markup: Markup = "auto"
                     ) -> Iterator[Result]:
        """Results one by one, in order; holds one document at a time."""
        for document in documents:
            yield self.clean(document, markup)


def _page_markdown(result: Result, html: str, dump: DomDump | None) -> str:
    """An HTML page's Markdown: from its dump lines' blocks when the result is made of them,
    else (the gate chose trafilatura's text, or the content stage is off) trafilatura's own
    Markdown less what the chain removed from its text."""
    from cleaner import markdown

    if dump is not None and "extraction" not in result.flags:
        return markdown.of_page(result, dump.structure)
    return markdown.of_extraction(result, extract_markdown(html))


def profile_of(state: DocumentState, result: Result) -> PageProfile:
    """The evidence for a result's page type and quality: the document's lines (an HTML
    page's dump lines) as read, with what the run made of them."""
    return PageProfile("text" if state.html is None else "html", state.lines, result.text,
                       result.passes, result.flags, state.content_summary, state.html,
                       result.removal_records)


def _model_source(given: str | ContentModel | None, load: Callable[[str | None], ContentModel]
                  ) -> ContentModel | Callable[[], ContentModel]:
    """A loaded model as given, or a loader of the file (the shipped one for None): a model
    file loads at its first use, once per process."""
    if given is None or isinstance(given, str):
        return partial(load, given)
    return given


def _passed_through(doc: Document) -> Result:
    """A document over the size limit: unchanged, flagged, nothing removed."""
    return Result(document=doc, text=doc.text, removals=[], flags=("oversize",))


def _distinct_words(text: str) -> int:
    """Words in the text's distinct lines (each line counted once, however often it
    repeats)."""
    return distinct_words(text)


def best_prose_block(lines: list[str]) -> list[int]:
    """Indices of the blank-delimited block with the most words in sentence-length lines
    (short lines, the stuff of menus and labels, count a tenth); the first on a tie. The
    guard's choice, from the text alone (the content stage's fallback,
    `best_scored_block`, weighs blocks by the model's scores instead)."""
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


def thread_cutting_rules(packs: Iterable[Pack]) -> tuple[str, ...]:
    """The rules that cut a comment thread away with what follows it (the comments pack's
    `cut-after` rules, at "Leave a Reply" and the like): with `comments="keep"` they stand
    down, while the form's own lines still go by the pack's other rules."""
    return tuple(rule.id for pack in packs if pack.name == "comments" for rule in pack.rules
                 if rule.action == "cut-after")


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


def clean(text: str, options: Options | None = None, /, *, markup: Markup = "auto",
          **changes: Unpack[OptionValues]) -> str:
    """Clean one text or HTML page (`markup` as for `Cleaner.clean`) with the given options
    (as for `Cleaner`) into its article text; the default chain, and one chain per distinct
    options, is built once."""
    if options is None and not changes:
        return default_cleaner().clean(text, markup).text
    return cached_cleaner(Cleaner(options, **changes).options).clean(text, markup).text


@lru_cache(maxsize=16)
def cached_cleaner(options: Options) -> Cleaner:
    """One Cleaner per distinct options in this process, built at first use."""
    return Cleaner(options)
