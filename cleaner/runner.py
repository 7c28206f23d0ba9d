"""Running `clean` over inputs: batches out, results back in order, routed to their outputs.

The main process reads inputs and writes outputs; workers (or this process, with one job)
clean batches: a text file is one unit, a JSONL file is cut into batches of records. Each
batch comes back as the bytes to write, the explanation and diff lines, and its statistics,
so `--jobs 1` and `--jobs N` produce the same bytes.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from cleaner.chain import Cleaner
from cleaner.document import Document, Result
from cleaner.errors import InputError
from cleaner.io.atomic import atomic_writer
from cleaner.io.compression import reader, strip_suffix, writer
from cleaner.io.jsonl import JSONL_SUFFIXES, read_records, record_bytes
from cleaner.io.text import decode, encode
from cleaner.parallel import ordered_map
from cleaner.stats import RunStats
from cleaner.views import explain_lines, unified_diff

STDIO = "-"
BATCH_RECORDS = 200
BATCH_BYTES = 4 << 20


@dataclass(frozen=True)
class JobSpec:
    """Everything a worker needs to clean as the command line asked."""

    options: dict[str, Any]
    fmt: str = "auto"  # auto | text | jsonl
    field: str = "text"
    diff: bool = False
    explain: bool = False
    on_error: str = "fail"  # fail | keep | skip

    def format_of(self, name: str) -> str:
        if self.fmt != "auto":
            return self.fmt
        return "jsonl" if strip_suffix(name).lower().endswith(JSONL_SUFFIXES) else "text"


@dataclass
class Unit:
    target: int
    label: str
    kind: str  # text | jsonl
    payload: Any  # bytes for text; list of raw lines for jsonl
    first_line: int = 1


@dataclass
class Output:
    target: int
    data: bytes = b""
    explain: list[str] = field(default_factory=list)
    diff: str = ""
    stats: RunStats = field(default_factory=RunStats)


_WORKER: dict[str, Any] = {}


def _init(spec: JobSpec) -> None:
    _WORKER["spec"] = spec
    _WORKER["cleaner"] = Cleaner(**spec.options)


def _work(unit: Unit) -> Output:
    spec: JobSpec = _WORKER["spec"]
    cleaner: Cleaner = _WORKER["cleaner"]
    out = Output(unit.target)
    if unit.kind == "text":
        result = cleaner.clean(Document(decode(unit.payload), id=unit.label))
        _report(out, spec, result, unit.label)
        if not spec.diff:
            out.data = encode(result.text)
        return out
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
        if text is None:
            out.stats.records_without_field += record.data is not None
            chunks.append(record.raw)
            continue
        result = cleaner.clean(Document(text, id=record.doc_id(unit.label)))
        _report(out, spec, result, f"{unit.label}:{record.line_no}")
        chunks.append(record_bytes(record, spec.field, result.text))
    if not spec.diff:
        out.data = b"".join(chunks)
    return out


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


def units(plan: Sequence[tuple[Path | None, list[str]]], spec: JobSpec) -> Iterator[Unit]:
    """Every input as units of work, read lazily, in order; each input yields at least one."""
    for target, (_path, names) in enumerate(plan):
        for name in names:
            label = "<stdin>" if name == STDIO else name
            raw = _open_input(name)
            stream = reader(raw, name)
            try:
                if spec.format_of(name) == "text":
                    yield Unit(target, label, "text", stream.read())
                    continue
                batch: list[bytes] = []
                size = 0
                first = 1
                for line_no, line in enumerate(stream, 1):
                    if not batch:
                        first = line_no
                    batch.append(line)
                    size += len(line)
                    if len(batch) >= BATCH_RECORDS or size >= BATCH_BYTES:
                        yield Unit(target, label, "jsonl", batch, first)
                        batch, size = [], 0
                yield Unit(target, label, "jsonl", batch, first)
            except (OSError, EOFError) as exc:  # a damaged .gz or .zst
                raise InputError(f"{label}: cannot decompress ({exc})") from None
            finally:
                if raw is not sys.stdin.buffer:
                    stream.close()
                    raw.close()


def run(plan: Sequence[tuple[Path | None, list[str]]], spec: JobSpec, jobs: int,
        explain: TextIO | None) -> RunStats:
    """Clean every input of the plan into its output; returns the merged statistics."""
    stats = RunStats()
    with contextlib.ExitStack() as outputs:
        current: int | None = None
        handle: BinaryIO | None = None
        for out in ordered_map(_work, units(plan, spec), jobs, _init, (spec,)):
            if out.target != current and not spec.diff:  # --diff writes no output
                outputs.close()
                handle = outputs.enter_context(_open_target(plan[out.target][0]))
                current = out.target
            if handle is not None:
                handle.write(out.data)
            if out.diff:
                sys.stdout.write(out.diff)
            if explain is not None:
                for line in out.explain:
                    explain.write(line + "\n")
            stats.merge(out.stats)
    return stats


@contextlib.contextmanager
def _open_target(target: Path | None) -> Iterator[BinaryIO]:
    if target is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with atomic_writer(target) as handle:
        compressed = writer(handle, target.name)
        yield compressed
        if compressed is not handle:
            compressed.close()
