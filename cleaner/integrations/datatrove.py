"""datatrove pipeline steps: an extractor for HTML, a formatter for text, a filter.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader, WarcReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerExtractor, CleanerFilter, CleanerFormatter

    # from WARC, where datatrove's own pipelines put trafilatura:
    LocalPipelineExecutor(pipeline=[WarcReader("crawl/"), CleanerExtractor(meta=True),
                                    CleanerFilter(min_quality=0.5), JsonlWriter("clean/")],
                          tasks=8).run()
    # from text dumps:
    LocalPipelineExecutor(pipeline=[JsonlReader("pages/"), CleanerFormatter(),
                                    JsonlWriter("clean/")], tasks=8).run()

They run under datatrove's local, Slurm and Ray executors alike. The Cleaner is built in the
worker at its first document (compiled rules do not travel between processes), and the
removals per rule and per stage go to datatrove's stats. `markup` is as the CLI's --markup:
"auto" (the formatter's default) cleans a document that looks like an HTML page as HTML; the
extractor's is "html". `meta=True` puts the CLI's --meta fields in each document's metadata
(page_type, page_type_prob, quality, and an HTML page's title, author, date, url and
sitename where found; a key the document has already is left alone) and counts the page
types in the stats.

The extractor is a datatrove `BaseExtractor`: each page is cleaned in datatrove's sandbox
process with a per-document `timeout` (a page that takes longer is dropped and counted, and
the sandbox restarts), and a document that cleaning empties is dropped, as datatrove's
extractors do. The formatter keeps every document (an emptied one with empty text); the
filter then drops the emptied ones, and with `min_quality` those whose quality estimate
(from an upstream step with `meta=True`, or computed here) is lower, each counted under its
reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from datatrove.pipeline.extractors.base import BaseExtractor, ExtractorSandbox
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.formatters.base import BaseFormatter

from cleaner.chain import Cleaner
from cleaner.document import Document, MetaValue, Result
from cleaner.options import Markup, check_markup

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from cleaner.options import OptionValues

# What the extractor's sandbox sends back for a page: the text, the removals per rule or
# stage, and the --meta fields (empty without meta).
_Extracted = tuple[str, dict[str, int], dict[str, MetaValue]]


class _CleanerStep:
    """The Cleaner, built lazily in whichever process runs the step (never pickled), and
    what every step does with a result's counts and fields."""

    options: OptionValues
    meta: bool
    _cleaner: Cleaner | None

    @property
    def cleaner(self) -> Cleaner:
        if self._cleaner is None:
            self._cleaner = Cleaner(**self.options)
        return self._cleaner

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cleaner"] = None  # built again in the worker
        return state

    def _record(self, doc: Any, counts: dict[str, int], fields: dict[str, MetaValue],
                changed: bool) -> None:
        step: Any = self
        for key, count in counts.items():
            step.stat_update(f"removed:{key}", value=count)
        if changed:
            step.stat_update("changed")
        if self.meta:
            for key, value in fields.items():
                doc.metadata.setdefault(key, value)
            step.stat_update(f"page_type:{fields.get('page_type')}")


def _fields(result: Result, meta: bool) -> dict[str, MetaValue]:
    return result.meta_fields() if meta else {}


class CleanerFormatter(_CleanerStep, BaseFormatter):
    """Cleans each document's text in place (HTML too, with markup "auto" or "html")."""

    name = "🧹 cleaner"

    def __init__(self, markup: Markup = "auto", meta: bool = False,
                 **options: Unpack[OptionValues]) -> None:
        super().__init__()
        self.markup = check_markup(markup)
        self.meta = meta
        self.options = options
        self._cleaner = None

    def format(self, text: str) -> str:
        return self.cleaner.clean(text, self.markup).text

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Iterator[Any]:
        for doc in data:
            self.stat_update("total")
            with self.track_time():
                page = Document(doc.text, url=doc.metadata.get("url") or "")
                result = self.cleaner.clean(page, self.markup, metadata=self.meta)
            self._record(doc, dict(result.counts()), _fields(result, self.meta),
                         result.changed)
            doc.text = result.text
            yield doc


class CleanerExtractor(_CleanerStep, BaseExtractor):
    """HTML pages (a WARC reader's documents) to their article text, where datatrove's
    pipelines put their extractor; the page's URL (document metadata `url`) scopes the
    site rules."""

    name = "🧹 cleaner extractor"

    def __init__(self, timeout: float = 10.0, markup: Markup = "html", meta: bool = False,
                 **options: Unpack[OptionValues]) -> None:
        super().__init__(timeout)
        self.markup = check_markup(markup)
        self.meta = meta
        self.options = options
        self._cleaner = None
        Cleaner(**options)  # a wrong option fails here, in one line, not in the sandbox

    def extract(self, text: str, url: str = "") -> str:
        """The clean text of one page (datatrove's extractor interface)."""
        return self._extract(text, url)[0]

    def _extract(self, text: str, url: str = "") -> _Extracted:
        result = self.cleaner.clean(Document(text, url=url), self.markup, metadata=self.meta)
        return result.text, dict(result.counts()), _fields(result, self.meta)

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Iterator[Any]:
        """datatrove's extractor loop, with the page's URL going in and the removals and
        fields coming back with the text."""
        with ExtractorSandbox(timeout=self.timeout, warmup_text=("", "")) as sandbox:
            for doc in data:
                self.stat_update("total")
                with self.track_time():
                    try:
                        text, counts, fields = sandbox.process_document(
                            (doc.text, doc.metadata.get("url") or ""), self._extract)
                        self.stat_update("extracted")
                    except TimeoutError:
                        self.stat_update("timeout")
                        continue
                    except EOFError:
                        self.stat_update("broken_process")
                        continue
                changed = text != doc.text
                doc.text = text
                self._record(doc, counts, fields, changed)
                if text.strip():
                    self.stat_update("forwarded")
                    self.update_doc_stats(doc)
                    yield doc
                else:
                    self.stat_update("dropped")


class CleanerFilter(_CleanerStep, BaseFilter):
    """Drops what cleaning emptied (reason "emptied") and, with `min_quality`, documents
    whose quality estimate is below it (reason "low_quality"): the estimate an upstream step
    with `meta=True` put in the metadata, else one computed here by cleaning the text again
    (a fixed point: the text does not change)."""

    name = "🧹 cleaner filter"

    def __init__(self, min_quality: float | None = None, exclusion_writer: Any = None,
                 **options: Unpack[OptionValues]) -> None:
        super().__init__(exclusion_writer)
        if min_quality is not None and not 0.0 <= min_quality <= 1.0:
            raise ValueError(f"CleanerFilter: min_quality {min_quality} is not in [0, 1]")
        self.min_quality = min_quality
        self.meta = False
        self.options = options
        self._cleaner = None

    def filter(self, doc: Any) -> bool | tuple[bool, str]:
        if not doc.text.strip():
            return False, "emptied"
        if self.min_quality is None:
            return True
        quality = doc.metadata.get("quality")
        if not isinstance(quality, float):
            quality = self.cleaner.clean(doc.text).quality
        if quality is not None and quality < self.min_quality:
            return False, "low_quality"
        return True
