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
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cleaner.chain import Cleaner
from cleaner.document import Document
from cleaner.errors import InputError
from cleaner.filetypes import cleanable_kind, skip_reason
from cleaner.html import looks_like_html, to_text
from cleaner.io.atomic import atomic_writer, fingerprint
from cleaner.io.jsonl import read_records, record_bytes
from cleaner.stats import FieldCensus


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    changed: bool
    skipped: str | None = None  # why, when the file was left alone unread
    before: str = ""
    after: str = ""


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
               html: bool = False, suffixes: tuple[str, ...] = ()) -> FileReport:
    """Clean one file's text (or its JSONL field); rewrite it when `fix` and it changed."""
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
    if kind == "html":  # the user asked: the page becomes its text
        text = to_text(text) if looks_like_html(text) else text
        after = cleaner.clean(Document(text, id=name)).text
        after_bytes = after.encode("utf-8")
    elif kind == "jsonl":
        new = _clean_jsonl(data, cleaner, field, name)
        if new is None:
            return FileReport(name, False, skipped="not valid JSON Lines")
        after_bytes = new
        after = new.decode("utf-8")
    else:
        after = cleaner.clean(Document(text, id=name)).text
        after_bytes = after.encode("utf-8")
    changed = after_bytes != data
    if changed and fix:
        with atomic_writer(path, expect=before) as handle:
            handle.write(after_bytes)
    return FileReport(name, changed, before=text, after=after)


def _clean_jsonl(data: bytes, cleaner: Cleaner, field: str, name: str) -> bytes | None:
    """The file with each record's field cleaned; None when a line is not a JSON object.
    A field that no record has is an error: a mistyped --field must not pass every file."""
    out: list[bytes] = []
    census = FieldCensus()
    lines = data.split(b"\n")
    pieces = [line + b"\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    try:
        for record in read_records(pieces, name):
            text = record.text(field)
            if record.data is not None:
                census.count(record.data, field in record.data, text is not None)
            if text is None:
                out.append(record.raw)
                continue
            doc = Document(text, id=f"{name}:{record.line_no}", url=record.text("url") or "")
            out.append(record_bytes(record, field, cleaner.clean(doc).text))
    except InputError:
        return None
    problem = census.problem(name, field)
    if problem is not None:
        raise InputError(problem)
    return b"".join(out)


def check_files(paths: Iterable[Path], cleaner: Cleaner, *, fix: bool, field: str = "text",
                html: bool = False, suffixes: tuple[str, ...] = ()) -> list[FileReport]:
    return [check_file(p, cleaner, fix=fix, field=field, html=html, suffixes=suffixes)
            for p in paths]
