"""What a run of `clean` hands its workers and gets back, and what a format adapter provides.

A format adapter (one per module in `cleaner/io/`, registered in `io/formats.py`) says how
its files are cut into units of work, how a unit becomes documents and cleaned output, and
how its documents are read on their own (for `learn` and `check`). The runner knows no
format: it plans targets, asks the adapter for units, and sends each unit's output to a sink.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from cleaner.document import Result
from cleaner.options import Markup, OnError, Options
from cleaner.stats import FieldCensus, RunStats
from cleaner.views import explain_lines, unified_diff

if TYPE_CHECKING:
    from cleaner.chain import Cleaner

# What an output holds: the name of the format it is written in (text, JSON lines or a
# Parquet table: the formats whose sinks the runner has).
OutputKind = str
BATCH_RECORDS = 200
BATCH_BYTES = 4 << 20


@dataclass(frozen=True)
class JobSpec:
    """Everything a worker needs to clean as the command line asked."""

    options: Options = field(default_factory=Options)
    fmt: str = "auto"  # auto, or a registered format's name (io/formats.py)
    field: str = "text"
    output_field: str | None = None
    diff: bool = False
    explain: bool = False
    overwrite_field: bool = False
    url_field: str = "url"  # the field or column with the page's URL (site-scoped rules)
    on_error: OnError = "fail"
    markup: Markup = "auto"
    meta: bool = False
    page_stats: bool = False  # count page types and quality (--stats): runs the page models


@dataclass
class Unit:
    target: int
    label: str
    fmt: str  # the adapter that made it
    out_kind: OutputKind
    payload: Any  # the adapter's: bytes, raw lines, an Arrow batch, WARC documents
    first_line: int = 1
    last: bool = True  # the input's last unit: its census of fields is complete


@dataclass
class Output:
    target: int
    data: bytes = b""
    batch: Any = None  # an Arrow record batch, for a Parquet target
    explain: list[str] = field(default_factory=list)
    diff: str = ""
    stats: RunStats = field(default_factory=RunStats)
    census: FieldCensus = field(default_factory=FieldCensus)
    label: str = ""
    last: bool = True
    kind: OutputKind = "text"  # what the target holds

    def report(self, spec: JobSpec, result: Result, name: str) -> None:
        """Count one cleaned document, with its diff and explanation when asked for."""
        self.stats.add(result, spec.page_stats)
        if spec.diff and result.changed:
            self.diff += unified_diff(result, name)
        if spec.explain:
            self.explain.extend(explain_lines(result))


@dataclass(frozen=True)
class InputFile:
    """One input file as an adapter sees it: the (decompressed) stream and its name."""

    stream: BinaryIO
    label: str
    target: int
    out_kind: OutputKind


@dataclass(frozen=True)
class ReadDocument:
    """A document read for `learn` or `report`: its text, the page URL when known, and
    whether the text is an HTML page ("html"), text ("text"), or either ("auto": a field
    value or a file, sniffed as the CLI does)."""

    text: str
    url: str = ""
    markup: Markup = "auto"


@dataclass(frozen=True)
class Adapter:
    """A format: its name, the file suffixes that say it (after .gz/.zst), what its outputs
    may be (the first is the default), and three functions: `units` cuts an input into units
    of work, `clean` cleans one unit into an `Output` (in a worker), `documents` reads an
    input's documents on their own. `output_suffix`, when set, is what a file of this format
    is named as output in a folder (an archive's pages come out as JSON lines)."""

    name: str
    suffixes: tuple[str, ...]
    writes: tuple[OutputKind, ...]
    units: Callable[[InputFile, JobSpec], Iterator[Unit]]
    clean: Callable[[Unit, JobSpec, Cleaner, Output], None]
    documents: Callable[[BinaryIO, str, JobSpec], Iterator[ReadDocument]]
    in_place: bool = True
    output_suffix: str | None = None
