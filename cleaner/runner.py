"""Running `clean` over inputs: batches out, results back in order, routed to their outputs.

The main process reads inputs and writes outputs; workers (or this process, with one job)
clean batches: a text file is one unit; JSONL, Parquet and WARC files are cut into batches of
records. Each batch comes back as what to write (bytes, or an Arrow batch for Parquet), the
explanation and diff lines, and its statistics, so `--jobs 1` and `--jobs N` write the same
bytes.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from cleaner.chain import Cleaner
from cleaner.errors import InputError, UsageError
from cleaner.filetypes import skip_reason
from cleaner.io import formats, parquet
from cleaner.io.atomic import atomic_writer, fingerprint
from cleaner.io.compression import reader, strip_suffix, writer
from cleaner.job import InputFile, JobSpec, Output, ReadDocument, Unit
from cleaner.parallel import ordered_map
from cleaner.progress import Progress
from cleaner.stats import FieldCensus, RunStats

STDIO = "-"

_WORKER: dict[str, Any] = {}


def _init(spec: JobSpec) -> None:
    _WORKER["spec"] = spec
    _WORKER["cleaner"] = Cleaner(spec.options)


def _work(unit: Unit) -> Output:
    """One unit cleaned by its format's adapter, in a worker."""
    spec: JobSpec = _WORKER["spec"]
    out = Output(unit.target, label=unit.label, last=unit.last, kind=unit.out_kind)
    formats.adapter(unit.fmt).clean(unit, spec, _WORKER["cleaner"], out)
    return out


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


@dataclass(frozen=True)
class Inputs:
    """The files a command line names, folders walked: each file, and for a file found in a
    folder, that folder (its path below it is kept under -o)."""

    files: list[str]
    roots: dict[str, str]
    empty: list[str]  # folders with no matching file (only when those are allowed)

    @property
    def from_folders(self) -> bool:
        return bool(self.roots)


DEFAULT_GLOB = "*"


def expand_inputs(names: Sequence[str], glob: str = DEFAULT_GLOB, *,
                  allow_empty: bool = False) -> Inputs:
    """Files as named; a folder's files matching `glob` (a name pattern, or a path pattern
    with "/"; `**` crosses folders), recursively, in sorted order, hidden files and folders
    (a leading dot) left out. A folder with no matching file is an error (a run that would
    clean nothing says so) unless `allow_empty` (--in-place skips it, as it skips any file
    it cannot rewrite)."""
    files: list[str] = []
    roots: dict[str, str] = {}
    empty: list[str] = []
    for name in names:
        path = Path(name)
        if name == STDIO or not path.is_dir():
            files.append(name)
            continue
        pattern = glob if "/" in glob else f"**/{glob}"
        found = sorted(p for p in path.glob(pattern) if p.is_file() and not any(
            part.startswith(".") for part in p.relative_to(path).parts))
        if not found:
            if allow_empty:
                empty.append(name)
                continue
            raise UsageError(f"{name}: no file in the folder matches --glob {glob!r}")
        for p in found:
            files.append(str(p))
            roots[str(p)] = name
    return Inputs(files, roots, empty)


def output_plan(inputs: list[str], output: str | None, spec: JobSpec,
                roots: dict[str, str] | None = None) -> list[Target]:
    """Which inputs go to which output: stdout, one file, or one file each in a folder.

    In a folder each input keeps its path below the inputs' common folder, so `a/p.txt` and
    `b/p.txt` stay apart, and a file found in a folder given as input keeps its path below
    that folder (`roots`); two inputs that would still land on one output (`a.warc` and
    `a.warc.gz` both make `a.jsonl.gz`) are refused before anything is written.
    """
    roots = roots or {}
    if output is None:
        return [Target(None, inputs)]
    out = Path(output)
    resolved = {Path(p).resolve() for p in inputs if p != STDIO}
    folder = output.endswith(("/", os.sep)) or out.is_dir() or len(inputs) > 1 or bool(roots)
    if not folder:
        if out.resolve() in resolved:
            raise UsageError(f"-o {output}: that is an input file; to rewrite inputs, use "
                             "--in-place")
        return [Target(out, inputs)]
    if STDIO in inputs:
        raise UsageError("-o names a folder, but stdin has no file name to write under")
    absolute = [os.path.abspath(name) for name in inputs]
    loose = [os.path.dirname(a) for n, a in zip(inputs, absolute, strict=True) if n not in roots]
    common = os.path.commonpath(loose) if loose else ""
    plan: list[Target] = []
    taken: dict[Path, str] = {}
    for name, full in zip(inputs, absolute, strict=True):
        base = os.path.abspath(roots[name]) if name in roots else common
        rel = Path(os.path.relpath(full, base))
        adapter = formats.format_of(name, spec.fmt)
        if adapter.output_suffix:  # an archive's pages come out as JSON lines
            rel = rel.with_name(_stem(rel.name, adapter.suffixes) + adapter.output_suffix)
        elif spec.options.output_format == "markdown" and adapter.name == "text":
            packed = rel.name[len(strip_suffix(rel.name)):]  # .gz or .zst stays
            rel = rel.with_name(Path(strip_suffix(rel.name)).stem + ".md" + packed)
        target = out / rel
        if target in taken:
            raise UsageError(f"-o {output}: {taken[target]} and {name} would both be written "
                             f"to {target}; clean them into separate folders")
        taken[target] = name
        if target.resolve() in resolved:
            raise UsageError(f"-o {output}: would write {target} over an input file")
        plan.append(Target(target, [name]))
    return plan


def _stem(name: str, suffixes: tuple[str, ...]) -> str:
    """A file name without its compression and format suffixes."""
    stem = strip_suffix(name)
    for suffix in suffixes:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem


def in_place_plan(inputs: list[str], output: str | None, spec: JobSpec,
                  suffixes: tuple[str, ...]) -> tuple[list[Target], list[tuple[str, str]]]:
    """Each input is its own output, rewritten atomically when its cleaning is done. Only
    scraped text is rewritten (filetypes.py); the files skipped, and why, come back too."""
    if output is not None:
        raise UsageError("--in-place and -o: choose one")
    if STDIO in inputs:
        raise UsageError("--in-place needs file names; stdin cannot be rewritten")
    seen: set[Path] = set()
    plan: list[Target] = []
    skipped: list[tuple[str, str]] = []
    for name in inputs:
        if not formats.format_of(name, spec.fmt).in_place:
            raise UsageError(f"{name}: --in-place cannot rewrite a WARC archive; write its "
                             "pages with -o")
        path = Path(name).resolve()
        if path in seen:
            raise UsageError(f"{name}: named twice; --in-place rewrites each file once")
        seen.add(path)
        reason = skip_reason(Path(name), html=spec.markup == "html", parquet=True,
                             extra=suffixes)
        if reason is not None:
            skipped.append((name, reason))
            continue
        plan.append(Target(Path(name), [name], expect=fingerprint(Path(name))))
    return plan, skipped


def units(plan: Plan, spec: JobSpec, progress: Progress | None = None) -> Iterator[Unit]:
    """Every input as units of work, read lazily, in order; each input yields at least one.
    `progress` hears how many bytes of the inputs (as stored) are read."""
    done = 0
    for target, planned in enumerate(plan):
        path = planned.path
        for name in planned.inputs:
            label = "<stdin>" if name == STDIO else name
            adapter = formats.format_of(name, spec.fmt)
            out_kind = formats.output_kind(adapter, path.name if path is not None else None)
            raw = _open_input(name)
            stream = reader(raw, name)
            try:
                for unit in adapter.units(InputFile(stream, label, target, out_kind), spec):
                    if progress is not None and raw is not sys.stdin.buffer:
                        progress.read(done + _position(raw))
                    yield unit
            except (OSError, EOFError) as exc:  # a damaged .gz or .zst
                raise InputError(f"{label}: cannot decompress ({exc})") from None
            finally:
                if raw is not sys.stdin.buffer:
                    done += _position(raw)
                    stream.close()
                    raw.close()


def read_documents(name: str, spec: JobSpec) -> Iterator[ReadDocument]:
    """One input's documents on their own (`learn`), through its format's adapter."""
    adapter = formats.format_of(name, spec.fmt)
    raw = _open_input(name)
    stream = reader(raw, name)
    try:
        yield from adapter.documents(stream, name, spec)
    except (OSError, EOFError) as exc:
        raise InputError(f"{name}: cannot decompress ({exc})") from None
    finally:
        stream.close()
        raw.close()


def run(plan: Plan, spec: JobSpec, jobs: int, explain: TextIO | None,
        progress: Progress | None = None,
        on_file: Callable[[str, RunStats], None] | None = None) -> RunStats:
    """Clean every input of the plan into its output; returns the merged statistics.
    `on_file` hears each input's own statistics when it is done (--verbose)."""
    stats = RunStats()
    progress = progress or Progress(enabled=False)
    ended = False
    file_stats = RunStats()
    try:
        with contextlib.ExitStack() as outputs:
            current: int | None = None
            sink: _Sink | None = None
            census = FieldCensus()
            for out in ordered_map(_work, units(plan, spec, progress), jobs, _init, (spec,)):
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
                if on_file is not None:
                    file_stats.merge(out.stats)
                    if out.last:
                        on_file(out.label, file_stats)
                        file_stats = RunStats()
        ended = True
    finally:
        progress.close(stats if ended else None)
    _flag_notes(stats)
    return stats


def _position(raw: BinaryIO) -> int:
    """How far a file is read (0 for one that cannot say: a pipe named as a file)."""
    try:
        return raw.tell()
    except (OSError, ValueError):
        return 0


def input_size(inputs: Sequence[str]) -> int | None:
    """The inputs' bytes as stored, when every one is a regular file (a pipe's is unknown)."""
    total = 0
    for name in inputs:
        if name == STDIO:
            return None
        try:
            info = os.stat(name)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        total += info.st_size
    return total


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
        self._label: str | None = None  # the input last written, for text outputs
        self._tail = b""

    def write(self, out: Output) -> None:
        if out.batch is None:
            if out.kind == "text" and out.data:
                # Several text documents into one output (stdout): one blank line apart.
                if self._label is not None and self._label != out.label:
                    self.handle.write(b"\n" if self._tail.endswith(b"\n") else b"\n\n")
                self._label = out.label
                self._tail = out.data[-1:]
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
        compressed = handle if formats.format_by_name(target.name) == "parquet" else writer(
            handle, target.name)
        sink = _Sink(compressed, str(target))
        yield sink
        sink.close()
        if compressed is not handle:
            compressed.close()
