"""Which files `check` and `clean --in-place` may rewrite: scraped text, and nothing else.

A pre-commit hook sees every file its `files:` pattern lets through, and users widen that
pattern (`files: ^data/`) without thinking of the CSV, the README or the script that sit in
the same folder. Cleaning a CSV would drop its row `2,Share`; cleaning Python would drop a
`# Advertisement` comment. So the command decides for itself: the types it can clean as
scraped text, HTML only when asked, and the suffixes a user adds; everything else is
skipped with a message, never rewritten.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from cleaner.errors import UsageError
from cleaner.io.compression import strip_suffix
from cleaner.io.jsonl import JSONL_SUFFIXES
from cleaner.io.parquet import PARQUET_SUFFIXES

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def normalise_suffixes(suffixes: Iterable[str]) -> tuple[str, ...]:
    """User suffixes as '.ext', lower case; '' and '.' are refused (they would match all)."""
    out: list[str] = []
    for raw in suffixes:
        suffix = raw.strip().lower()
        if suffix.startswith("*"):
            suffix = suffix[1:]
        if not suffix.startswith("."):
            suffix = "." + suffix
        if suffix == "." or any(c in suffix for c in "/\\"):
            raise UsageError(f"--suffix {raw!r}: give a file suffix such as .dump")
        out.append(suffix)
    return tuple(out)


def cleanable_kind(path: Path, *, html: bool, parquet: bool,
                   extra: tuple[str, ...] = ()) -> str | None:
    """'text', 'jsonl', 'html' or 'parquet' for a file that may be rewritten as that kind,
    None for any other file. Text is what `.txt` says or a user suffix adds; a compressed
    file counts by the name under its compression suffix only where it may be rewritten
    compressed (JSONL, and text in `clean`)."""
    name = path.name.lower()
    base = name
    if parquet:  # `clean --in-place` writes compressed files back compressed
        base = strip_suffix(name)
    if base.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if parquet and base.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if base.endswith(HTML_SUFFIXES):
        return "html" if html else None
    if base.endswith(TEXT_SUFFIXES) or (extra and base.endswith(extra)):
        return "text"
    return None


def skip_reason(path: Path, *, html: bool, parquet: bool,
                extra: tuple[str, ...] = ()) -> str | None:
    """Why a file may not be rewritten in place, or None when it may."""
    try:
        info = os.stat(path)  # follows a link: its target is what would be rewritten
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot read ({exc.strerror})"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if cleanable_kind(path, html=html, parquet=parquet, extra=extra) is None:
        if path.name.lower().endswith(HTML_SUFFIXES):
            return "HTML (pass --markup html to clean it)"
        suffix = "".join(path.suffixes[-1:]) or "no suffix"
        return (f"not a scraped-text file type ({suffix}); add its suffix with --suffix to "
                "clean it")
    return None
