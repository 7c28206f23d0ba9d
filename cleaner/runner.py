"""Running `clean` over inputs: batches out, results back in order, routed to their outputs.

The main process reads inputs and writes outputs; workers (or this process, with one job)
clean batches: a text file is one unit; JSONL, Parquet and WARC files are cut into batches of
records. Each batch comes back as what to write (bytes, or an Arrow batch for Parquet), the
explanation and diff lines, and its statistics, so `--jobs 1` and `--jobs N` write the same
bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from cleaner.chain import Cleaner
from cleaner.decoding import decode_page
from cleaner.document import Document, Result
from cleaner.errors import InputError, UsageError
from cleaner.html import META_FIELDS, looks_like_html
from cleaner.io import parquet, warc
from cleaner.io.atomic import atomic_writer
from cleaner.io.compression import reader, strip_suffix, writer
from cleaner.io.jsonl import JSONL_SUFFIXES, read_records, record_bytes
from cleaner.io.text import decode, encode
from cleaner.options import Markup, OnError, Options
from cleaner.parallel import ordered_map
from cleaner.progress import Progress
from cleaner.stats import FieldCensus, RunStats
from cleaner.views import explain_lines, unified_diff

STDIO = "-"
BATCH_RECORDS = 200
BATCH_BYTES = 4 << 20
FORMATS = ("text", "jsonl", "parquet", "warc")


def format_by_name(name: str) -> str:
    """The format a file name says (compression suffixes aside); text when it says nothing."""
    base = strip_suffix(name).lower()
    if base.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if base.endswith(parquet.PARQUET_SUFFIXES):
        return "parquet"
    if base.endswith(warc.WARC_SUFFIXES):
        return "warc"
    return "text"


@dataclass(frozen=True)
class JobSpec:
    """Everything a worker needs to clean as the command line asked."""

    options: Options = field(default_factory=Options)
    fmt: str = "auto"  # auto, or a format's name (the adapter registry)
    field: str = "text"
    output_field: str | None = None
    diff: bool = False
    explain: bool = False
    overwrite_field: bool = False
    url_field: str = "url"  # the field or column with the page's URL (site-scoped rules)
    on_error: OnError = "fail"
    markup: Markup = "auto"
    meta: bool = False

    def format_of(self, name: str) -> str:
        return self.fmt if self.fmt != "auto" else format_by_name(name)


def output_kind(input_format: str, target: Path | None) -> str:
    """What a target holds: text for text inputs; for records, Parquet when the target's
    name says so (or a Parquet input is rewritten), else JSONL."""
    if input_format == "text":
        if target is not None and format_by_name(target.name) in ("parquet", "jsonl"):
            raise UsageError(f"-o {target}: text input writes text; give a text file name")
        return "text"
    named = format_by_name(target.name) if target is not None else "jsonl"
    if named == "parquet" or (input_format == "parquet" and target is not None
                              and named != "jsonl"):
        if input_format == "jsonl":
            raise UsageError(f"-o {target}: JSONL input writes JSONL; give a .jsonl name")
        return "parquet"
    return "jsonl"


@dataclass
class Unit:
    target: int
    label: str
    kind: str  # text | jsonl | parquet | warc
    out_kind: str  # text | jsonl | parquet
    payload: Any  # bytes; raw lines; an Arrow batch; WARC documents
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


_WORKER: dict[str, Any] = {}


def _init(spec: JobSpec) -> None:
    _WORKER["spec"] = spec
    _WORKER["cleaner"] = Cleaner(spec.options)


def _work(unit: Unit) -> Output:
    spec: JobSpec = _WORKER["spec"]
    cleaner: Cleaner = _WORKER["cleaner"]
    out = Output(unit.target, label=unit.label, last=unit.last)
    if unit.kind == "text":
        text = decode(unit.payload)
        if spec.markup == "html" or (spec.markup == "auto" and looks_like_html(text)):
            result = cleaner.clean_html(decode_page(unit.payload), id=unit.label)
        else:
            result = cleaner.clean(Document(text, id=unit.label))
        _report(out, spec, result, unit.label)
        if not spec.diff:
            out.data = encode(result.text)
    elif unit.kind == "jsonl":
        _work_jsonl(unit, spec, cleaner, out)
    elif unit.kind == "parquet":
        _work_parquet(unit, spec, cleaner, out)
    else:
        _work_warc(unit, spec, cleaner, out)
    return out


def _work_jsonl(unit: Unit, spec: JobSpec, cleaner: Cleaner, out: Output) -> None:
    chunks: list[bytes] = []
    lines = ((line if line.endswith(b"\n") else line + b"\n") for line in unit.payload)
    records = read_records(lines, unit.label, strict=spec.on_error == "fail",
                           first_line=unit.first_line)
    for record in records:
        if record.error is not None:
            if spec.on_error == "keep":
                out.stats.records_kept_invalid += 1
                chunks.append(record.raw)
            else:
                out.stats.records_skipped += 1
            continue
        text = record.text(spec.field)
        if record.data is not None:
            out.census.count(record.data, spec.field in record.data, text is not None)
        if text is None:
            out.stats.records_without_field += record.data is not None
            chunks.append(record.raw)
            continue
        target = spec.output_field
        if (target is not None and target != spec.field and target in (record.data or {})
                and not spec.overwrite_field):
            raise UsageError(f"{unit.label}:{record.line_no}: the record already has a field "
                             f"{target!r}; pass --overwrite-field to replace it")
        result = _clean_value(cleaner, spec, text, record.doc_id(unit.label),
                              record.text(spec.url_field) or "")
        _report(out, spec, result, f"{unit.label}:{record.line_no}")
        meta = result.document.meta if spec.meta else None
        chunks.append(record_bytes(record, spec.field, result.text, target, meta))
    if not spec.diff:
        out.data = b"".join(chunks)


def _work_parquet(unit: Unit, spec: JobSpec, cleaner: Cleaner, out: Output) -> None:
    batch = unit.payload
    texts = parquet.texts_of(batch, spec.field)
    ids = parquet.ids_of(batch)
    urls = parquet.texts_of(batch, spec.url_field)
    cleaned: list[str | None] = []
    metas: list[dict[str, str]] = []
    for row, (text, doc_id, url) in enumerate(zip(texts, ids, urls, strict=True),
                                              unit.first_line):
        out.census.count((), True, text is not None)
        if text is None:
            out.stats.records_without_field += 1
            cleaned.append(None)
            metas.append({})
            continue
        name = f"{unit.label}:{row}"
        result = _clean_value(cleaner, spec, text, doc_id or name, url or "")
        _report(out, spec, result, name)
        cleaned.append(result.text)
        metas.append(result.document.meta)
    if spec.diff:
        return
    if batch.schema.get_field_index(spec.field) >= 0 or spec.output_field:
        batch = parquet.with_texts(batch, spec.field, cleaned, spec.output_field)
    if spec.meta:
        batch = parquet.with_columns(batch, {key: [m.get(key) for m in metas]
                                             for key in META_FIELDS})
    _emit_batch(out, unit.out_kind, batch)


def _work_warc(unit: Unit, spec: JobSpec, cleaner: Cleaner, out: Output) -> None:
    rows: list[dict[str, str]] = []
    for item in unit.payload:
        doc = item
        if isinstance(item, warc.Damaged):
            sys.stderr.write(f"cleaner: note: {item.message}; "
                             f"{'kept as read' if item.document else 'skipped'}\n")
            if item.document is None:
                out.stats.records_skipped += 1
                continue
            out.stats.records_kept_invalid += 1
            doc = item.document
        if doc is None:
            out.stats.records_not_pages += 1
            continue
        text = decode_page(doc.payload, doc.charset)
        doc_id = doc.record_id or doc.url
        result = (cleaner.clean_html(text, id=doc_id, metadata=spec.meta, url=doc.url)
                  if doc.html else cleaner.clean(Document(text, id=doc_id, url=doc.url)))
        _report(out, spec, result, doc.url or doc.record_id)
        row = {"text": result.text, "url": doc.url, "warc_record_id": doc.record_id}
        if spec.meta:
            row.update({k: result.document.meta.get(k) for k in META_FIELDS if k != "url"})
        rows.append(row)
    if spec.diff:
        return
    if unit.out_kind == "jsonl":
        out.data = b"".join(_row_jsonl(row) for row in rows)
        return
    pa = parquet.pyarrow()
    names = ["text", "url", "warc_record_id"]
    if spec.meta:
        names += [k for k in META_FIELDS if k != "url"]
    schema = pa.schema([(name, pa.string()) for name in names])
    _emit_batch(out, "parquet", pa.RecordBatch.from_pylist(rows, schema=schema))


def _clean_value(cleaner: Cleaner, spec: JobSpec, text: str, doc_id: str,
                 url: str = "") -> Result:
    """A record's text, cleaned as HTML when --markup says so or (auto) it looks like it."""
    if spec.markup == "html" or (spec.markup == "auto" and looks_like_html(text)):
        return cleaner.clean_html(text, id=doc_id, metadata=spec.meta, url=url)
    return cleaner.clean(Document(text, id=doc_id, url=url))


def _row_jsonl(row: dict[str, str]) -> bytes:
    return json.dumps(row, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"


def _emit_batch(out: Output, kind: str, batch: Any) -> None:
    if kind == "parquet":
        out.batch = batch
    else:
        out.data = parquet.jsonl_bytes(batch)


def _report(out: Output, spec: JobSpec, result: Result, name: str) -> None:
    out.stats.add(result)
    if spec.diff and result.changed:
        out.diff += unified_diff(result, name)
    if spec.explain:
        out.explain.extend(explain_lines(result))


def _open_input(name: str) -> BinaryIO:
    if name == STDIO:
        return sys.stdin.buffer
    path = Path(name)
    if path.is_dir():
        raise InputError(f"{name}: is a folder; name the files to clean")
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None


@dataclass(frozen=True)
class Target:
    """One output and the inputs that go into it; `expect`, for an input rewritten in
    place, is its fingerprint before it was read (a file that changes meanwhile is kept)."""

    path: Path | None  # None: stdout
    inputs: list[str]
    expect: tuple[int, int] | None = None


Plan = Sequence[Target]


def output_plan(inputs: list[str], output: str | None, spec: JobSpec) -> list[Target]:
    """Which inputs go to which output: stdout, one file, or one file each in a folder.

    In a folder each input keeps its path below the inputs' common folder, so `a/p.txt` and
    `b/p.txt` stay apart; two inputs that would still land on one output (`a.warc` and
    `a.warc.gz` both make `a.jsonl.gz`) are refused before anything is written.
    """
    if output is None:
        return [Target(None, inputs)]
    out = Path(output)
    resolved = {Path(p).resolve() for p in inputs if p != STDIO}
    folder = output.endswith(("/", os.sep)) or out.is_dir() or len(inputs) > 1
    if not folder:
        if out.resolve() in resolved:
            raise UsageError(f"-o {output}: that is an input file; to rewrite inputs, use "
                             "--in-place")
        return [Target(out, inputs)]
    if STDIO in inputs:
        raise UsageError("-o names a folder, but stdin has no file name to write under")
    absolute = [os.path.abspath(name) for name in inputs]
    common = os.path.commonpath([os.path.dirname(a) for a in absolute])
    plan: list[Target] = []
    taken: dict[Path, str] = {}
    for name, full in zip(inputs, absolute, strict=True):
        rel = Path(os.path.relpath(full, common))
        if spec.format_of(name) == "warc":  # an archive's pages come out as JSON lines
            rel = rel.with_name(_archive_stem(rel.name) + ".jsonl.gz")
        target = out / rel
        if target in taken:
            raise UsageError(f"-o {output}: {taken[target]} and {name} would both be written "
                             f"to {target}; clean them into separate folders")
        taken[target] = name
        if target.resolve() in resolved:
            raise UsageError(f"-o {output}: would write {target} over an input file")
        plan.append(Target(target, [name]))
    return plan


def _archive_stem(name: str) -> str:
    stem = strip_suffix(name)
    for suffix in warc.WARC_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem


def units(plan: Plan, spec: JobSpec) -> Iterator[Unit]:
    """Every input as units of work, read lazily, in order; each input yields at least one."""
    for target, planned in enumerate(plan):
        path = planned.path
        for name in planned.inputs:
            label = "<stdin>" if name == STDIO else name
            kind = spec.format_of(name)
            out_kind = output_kind(kind, path)
            raw = _open_input(name)
            stream = reader(raw, name)
            try:
                if kind == "text":
                    yield Unit(target, label, kind, out_kind, stream.read())
                elif kind == "jsonl":
                    yield from _jsonl_units(stream, target, label, out_kind)
                elif kind == "parquet":
                    yield from _parquet_units(stream, target, label, out_kind, spec)
                else:
                    yield from _warc_units(stream, target, label, out_kind, spec.on_error)
            except (OSError, EOFError) as exc:  # a damaged .gz or .zst
                raise InputError(f"{label}: cannot decompress ({exc})") from None
            finally:
                if raw is not sys.stdin.buffer:
                    stream.close()
                    raw.close()


def _jsonl_units(stream: BinaryIO, target: int, label: str, out_kind: str) -> Iterator[Unit]:
    batch: list[bytes] = []
    size = 0
    first = 1
    for line_no, line in enumerate(stream, 1):
        if not batch:
            first = line_no
        batch.append(line)
        size += len(line)
        if len(batch) >= BATCH_RECORDS or size >= BATCH_BYTES:
            yield Unit(target, label, "jsonl", out_kind, batch, first, last=False)
            batch, size = [], 0
    yield Unit(target, label, "jsonl", out_kind, batch, first)


def _parquet_units(stream: BinaryIO, target: int, label: str, out_kind: str,
                   spec: JobSpec) -> Iterator[Unit]:
    row = 0
    source: Any = stream
    if not stream.seekable():  # Parquet's footer is at the end: a pipe is read whole
        import io

        source = io.BytesIO(stream.read())
    schema = parquet.schema_of(source, label)
    parquet.check_columns(schema, label, spec.field, spec.output_field, spec.overwrite_field)
    pending: Unit | None = None
    for batch in parquet.read_batches(source, label, BATCH_RECORDS):
        if pending is not None:
            yield pending
        pending = Unit(target, label, "parquet", out_kind, batch, row, last=False)
        row += batch.num_rows
    if pending is None:
        pending = Unit(target, label, "parquet", out_kind, _empty_batch(source, label), row)
    pending.last = True
    yield pending


def _empty_batch(source: Any, label: str) -> Any:
    pa = parquet.pyarrow()
    source.seek(0)
    schema = pa.parquet.ParquetFile(source).schema_arrow
    return pa.RecordBatch.from_pylist([], schema=schema)


def _warc_units(stream: BinaryIO, target: int, label: str, out_kind: str,
                on_error: str) -> Iterator[Unit]:
    batch: list[warc.WarcDocument | warc.Damaged | None] = []
    size = 0
    for doc in warc.read_documents(stream, label, on_error):
        batch.append(doc)
        size += len(doc.payload) if isinstance(doc, warc.WarcDocument) else 0
        if len(batch) >= BATCH_RECORDS or size >= BATCH_BYTES:
            yield Unit(target, label, "warc", out_kind, batch)
            batch, size = [], 0
    yield Unit(target, label, "warc", out_kind, batch)


def run(plan: Plan, spec: JobSpec, jobs: int, explain: TextIO | None,
        progress: Progress | None = None) -> RunStats:
    """Clean every input of the plan into its output; returns the merged statistics."""
    stats = RunStats()
    progress = progress or Progress(enabled=False)
    try:
        with contextlib.ExitStack() as outputs:
            current: int | None = None
            sink: _Sink | None = None
            census = FieldCensus()
            for out in ordered_map(_work, units(plan, spec), jobs, _init, (spec,)):
                if out.target != current and not spec.diff:  # --diff writes no output
                    outputs.close()
                    sink = outputs.enter_context(_open_target(plan[out.target]))
                    current = out.target
                if sink is not None:
                    sink.write(out)
                census.merge(out.census)
                if out.last:
                    _close_census(census, out.label, spec.field)
                    census = FieldCensus()
                if out.diff:
                    sys.stdout.write(out.diff)
                if explain is not None:
                    for line in out.explain:
                        explain.write(line + "\n")
                stats.merge(out.stats)
                progress.update(out.stats.documents, out.stats.bytes_in)
    finally:
        progress.close()
    _flag_notes(stats)
    return stats


_NOTED_FLAGS = {
    "oversize": "over --max-doc-bytes, written through unchanged",
    "html-truncated": "HTML nested past the parser's limit: text past it is missing",
}


def _flag_notes(stats: RunStats) -> None:
    """What a user must hear of without asking for --stats: documents not cleaned in full."""
    for flag, note in _NOTED_FLAGS.items():
        count = stats.flags.get(flag, 0)
        if count:
            sys.stderr.write(f"cleaner: note: {count} document{'s' * (count != 1)} {note} "
                             f"(flag {flag!r} in --explain)\n")


def _close_census(census: FieldCensus, label: str, name: str) -> None:
    """At an input's end: an error when none of its records had the field, a note on stderr
    when some lacked it (they were written through unchanged)."""
    problem = census.problem(label, name)
    if problem is not None:
        raise InputError(problem)
    missing = census.records - census.with_text
    if missing:
        sys.stderr.write(f"cleaner: note: {label}: {missing} of {census.records} records have "
                         f"no text in the field {name!r}; written through unchanged\n")


class _Sink:
    """One output: bytes go to the (compressed) file; Arrow batches to a Parquet writer."""

    def __init__(self, handle: BinaryIO, name: str) -> None:
        self.handle = handle
        self.name = name
        self.parquet: parquet.ParquetSink | None = None
        self.schema: Any = None

    def write(self, out: Output) -> None:
        if out.batch is None:
            self.handle.write(out.data)
            return
        if out.batch.num_rows == 0:
            self.schema = self.schema if self.schema is not None else out.batch.schema
            return
        if self.parquet is None:
            self.parquet = parquet.ParquetSink(self.handle, self.name)
        self.parquet.write(out.batch)

    def close(self) -> None:
        if self.parquet is not None or self.schema is not None:
            sink = self.parquet or parquet.ParquetSink(self.handle, self.name)
            sink.close(self.schema)


@contextlib.contextmanager
def _open_target(planned: Target) -> Iterator[_Sink]:
    target = planned.path
    if target is None:
        sink = _Sink(sys.stdout.buffer, "<stdout>")
        yield sink
        sink.close()
        sys.stdout.buffer.flush()
        return
    with atomic_writer(target, expect=planned.expect) as handle:
        compressed = handle if format_by_name(target.name) == "parquet" else writer(
            handle, target.name)
        sink = _Sink(compressed, str(target))
        yield sink
        sink.close()
        if compressed is not handle:
            compressed.close()
