"""`cleaner check`: the pre-commit hook's core, in the style of pre-commit-hooks.

Each file is read as bytes, cleaned, and compared: a file that would change is reported (and,
with `fix`, rewritten atomically, keeping its mode and its newline style). Only scraped text
is touched (filetypes.py decides: a hook's `files:` pattern often lets through CSV, Markdown
and code that sit beside the data). A file we cannot read back exactly (binary, not UTF-8)
is skipped untouched: in place, a file that cannot be round-tripped is a file that must not
be rewritten. A link is followed to its target, unless the target lies outside the
repository. HTML files are left alone unless the user asks: turning a page into its text is
a choice, not a fix.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cleaner.chain import Cleaner
from cleaner.document import Document
from cleaner.errors import InputError
from cleaner.filetypes import cleanable_kind, skip_reason
from cleaner.html import looks_like_html
from cleaner.io import formats
from cleaner.io.atomic import atomic_writer, fingerprint
from cleaner.job import InputFile, JobSpec, Output
from cleaner.stats import FieldCensus
from cleaner.views import text_diff


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    changed: bool
    skipped: str | None = None  # why, when the file was left alone unread
    before: str = ""
    after: str = ""
    # For JSON Lines with a diff asked for: each changed record's text diff (`clean --diff`'s),
    # not the whole lines'.
    record_diff: str = ""


@functools.lru_cache(maxsize=1)
def repository_root() -> Path:
    """The git top level of the working directory, else the working directory itself."""
    try:
        found = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True,
                               text=True, check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        found = None
    if found is not None and found.returncode == 0 and found.stdout.strip():
        return Path(found.stdout.strip()).resolve()
    return Path.cwd().resolve()


def _outside_repository(path: Path) -> bool:
    if not path.is_symlink():
        return False
    target = Path(os.path.realpath(path))
    root = repository_root()
    return root != target and root not in target.parents


def check_file(path: Path, cleaner: Cleaner, *, fix: bool, field: str = "text",
               html: bool = False, suffixes: tuple[str, ...] = (),
               diff: bool = False) -> FileReport:
    """Clean one file's text (or its JSONL field); rewrite it when `fix` and it changed.
    With `diff`, a JSON Lines file's report carries its records' text diffs."""
    name = str(path)
    reason = skip_reason(path, html=html, parquet=False, extra=suffixes)
    if reason is not None:
        return FileReport(name, False, skipped=reason)
    if _outside_repository(path):
        return FileReport(name, False, skipped="a link to a file outside the repository")
    kind = cleanable_kind(path, html=html, parquet=False, extra=suffixes)
    try:
        before = fingerprint(path)
        data = path.read_bytes()
    except OSError as exc:
        return FileReport(name, False, skipped=f"cannot read ({exc.strerror})")
    if b"\x00" in data:
        return FileReport(name, False, skipped="binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return FileReport(name, False, skipped="not UTF-8")
    record_diff = ""
    if kind == "html":  # the user asked: the page becomes its text
        result = (cleaner.clean_html(text, name, mode="text") if looks_like_html(text)
                  else cleaner.clean(Document(text, id=name), "text"))
        after_bytes = result.text.encode("utf-8")
    else:
        fmt = "jsonl" if kind == "jsonl" else "text"
        try:
            after_bytes, census, record_diff = _through_adapter(
                data, cleaner, fmt, field, name, diff=diff and fmt == "jsonl")
        except InputError:
            if fmt == "text":
                raise
            return FileReport(name, False, skipped="not valid JSON Lines")
        problem = census.problem(name, field) if fmt == "jsonl" else None
        if problem is not None:
            raise InputError(problem)
    after = after_bytes.decode("utf-8")
    changed = after_bytes != data
    if changed and fix:
        with atomic_writer(path, expect=before) as handle:
            handle.write(after_bytes)
    return FileReport(name, changed, before=text, after=after, record_diff=record_diff)


def _through_adapter(data: bytes, cleaner: Cleaner, fmt: str, field: str, name: str,
                     diff: bool = False) -> tuple[bytes, FieldCensus, str]:
    """The file's bytes cleaned by its format's adapter, as `clean` writes them (JSONL: each
    record's field, the rest of each line as it was; values cleaned as text), and the census
    of the field (a field that no record has is an error: a mistyped --field must not pass
    every file). A file without a final line break keeps it so. With `diff`, also the
    records' text diffs."""
    spec = JobSpec(fmt=fmt, field=field, markup="text", diff=diff)
    adapter = formats.adapter(fmt)
    source = InputFile(io.BytesIO(data), name, 0, adapter.writes[0])
    pieces: list[bytes] = []
    diffs: list[str] = []
    census = FieldCensus()
    for unit in adapter.units(source, spec):
        out = Output(0, label=name)
        adapter.clean(unit, spec, cleaner, out)
        pieces.append(out.data)
        diffs.append(out.diff)
        census.merge(out.census)
    cleaned = b"".join(pieces)
    if fmt == "jsonl" and data and not data.endswith(b"\n") and cleaned.endswith(b"\n"):
        cleaned = cleaned[:-1]  # the record reader ends every record with one
    return cleaned, census, "".join(diffs)


def check_files(paths: Iterable[Path], cleaner: Cleaner, *, fix: bool, field: str = "text",
                html: bool = False, suffixes: tuple[str, ...] = (),
                diff: bool = False) -> list[FileReport]:
    return [check_file(p, cleaner, fix=fix, field=field, html=html, suffixes=suffixes,
                       diff=diff) for p in paths]


def report(reports: Iterable[FileReport], *, fix: bool, diff: bool,
           out: TextIO | None = None, err: TextIO | None = None) -> int:
    """What pre-commit shows: 'Fixing FILE' (or 'Would fix FILE', or the diff), each skipped
    file and why; the exit status, 1 when any file changed or would."""
    out = out or sys.stdout
    err = err or sys.stderr
    status = 0
    for item in reports:
        if item.skipped:
            err.write(f"Skipping {item.path}: {item.skipped}\n")
        elif item.changed:
            status = 1
            if fix:
                out.write(f"Fixing {item.path}\n")
            elif diff:
                out.write(item.record_diff or text_diff(item.before, item.after, item.path))
            else:
                out.write(f"Would fix {item.path}\n")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """`cleaner check ARGS...` as a function returning its exit status, in the shape of
    pre-commit-hooks' entry points (the options are declared once, on the command)."""
    from cleaner.cli import app

    try:
        app(args=["check", *(sys.argv[1:] if argv is None else argv)], prog_name="cleaner")
    except SystemExit as exc:  # the command ends by exiting with its status
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return 0
