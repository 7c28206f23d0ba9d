"""`cleaner check`: the pre-commit hook's core, in the style of pre-commit-hooks.

Each file is read as bytes, cleaned, and compared: a file that would change is reported (and,
with `fix`, rewritten atomically, keeping its mode and its newline style). A file we cannot
read back exactly (binary, not UTF-8) is skipped untouched: in place, a file that cannot be
round-tripped is a file that must not be rewritten. HTML files are left alone unless the user
asks: turning a page into its text is a choice, not a fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cleaner.chain import Cleaner
from cleaner.document import Document
from cleaner.errors import InputError
from cleaner.html import looks_like_html, to_text
from cleaner.io.atomic import atomic_writer
from cleaner.io.jsonl import JSONL_SUFFIXES, read_records, record_bytes

HTML_SUFFIXES = (".html", ".htm", ".xhtml")

FIXED = 1
SKIPPED = 0


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    changed: bool
    skipped: str | None = None  # why, when the file was left alone unread
    before: str = ""
    after: str = ""


def check_file(path: Path, cleaner: Cleaner, *, fix: bool, field: str = "text",
               html: bool = False) -> FileReport:
    """Clean one file's text (or its JSONL field); rewrite it when `fix` and it changed."""
    name = str(path)
    if path.suffix.lower() in HTML_SUFFIXES and not html:
        return FileReport(name, False, skipped="HTML (pass --markup html to clean it)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileReport(name, False, skipped=f"cannot read ({exc.strerror})")
    if b"\x00" in data:
        return FileReport(name, False, skipped="binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return FileReport(name, False, skipped="not UTF-8")
    if path.suffix.lower() in HTML_SUFFIXES:  # the user asked: the page becomes its text
        text = to_text(text) if looks_like_html(text) else text
        after = cleaner.clean(Document(text, id=name)).text
        after_bytes = after.encode("utf-8")
    elif path.suffix.lower() in JSONL_SUFFIXES:
        new = _clean_jsonl(data, cleaner, field)
        if new is None:
            return FileReport(name, False, skipped="not valid JSON Lines")
        after_bytes = new
        after = new.decode("utf-8")
    else:
        after = cleaner.clean(Document(text, id=name)).text
        after_bytes = after.encode("utf-8")
    changed = after_bytes != data
    if changed and fix:
        with atomic_writer(path) as handle:
            handle.write(after_bytes)
    return FileReport(name, changed, before=text, after=after)


def _clean_jsonl(data: bytes, cleaner: Cleaner, field: str) -> bytes | None:
    """The file with each record's field cleaned; None when a line is not a JSON object."""
    out: list[bytes] = []
    try:
        for record in read_records(data.splitlines(keepends=True), "-"):
            text = record.text(field)
            out.append(record.raw if text is None else
                       record_bytes(record, field, cleaner.clean_text(text)))
    except InputError:
        return None
    return b"".join(out)


def check_files(paths: Iterable[Path], cleaner: Cleaner, *, fix: bool, field: str = "text",
                html: bool = False) -> list[FileReport]:
    return [check_file(p, cleaner, fix=fix, field=field, html=html) for p in paths]
