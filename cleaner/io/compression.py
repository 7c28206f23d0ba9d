"""Compressed files by suffix: .gz (standard library) and .zst (the `zstandard` package).

Streams both ways, so a compressed JSONL of any size passes through in bounded memory.
"""

from __future__ import annotations

import gzip
import io
from typing import Any, BinaryIO, cast

from cleaner.errors import UsageError

SUFFIXES = (".gz", ".zst")


def strip_suffix(name: str) -> str:
    """The name without its compression suffix: what decides the format."""
    lower = name.lower()
    for suffix in SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError:
        raise UsageError(".zst files need the zstandard package: pip install "
                         "'cleaner[zstd]'") from None
    return zstandard


def reader(raw: BinaryIO, name: str) -> BinaryIO:
    lower = name.lower()
    if lower.endswith(".gz"):
        return cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="rb"))
    if lower.endswith(".zst"):
        stream = _zstandard().ZstdDecompressor().stream_reader(raw)
        return cast(BinaryIO, io.BufferedReader(stream))
    return raw


def writer(raw: BinaryIO, name: str) -> BinaryIO:
    lower = name.lower()
    if lower.endswith(".gz"):
        return cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0))
    if lower.endswith(".zst"):
        return cast(BinaryIO, _zstandard().ZstdCompressor().stream_writer(raw, closefd=False))
    return raw
