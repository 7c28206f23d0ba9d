"""Compressed files by suffix: .gz (python-isal's igzip) and .zst (the `zstandard` package).

Streams both ways, so a compressed JSONL of any size passes through in bounded memory. gzip
goes through ISA-L (python-isal, the library xopen uses for the same job): the standard
library's zlib reads a JSONL at about a third of its speed and writes at a twentieth (level
9); the measurements are in NOTES.md. Its faults are the standard library's (EOFError for a
file cut short, gzip.BadGzipFile for one that is not gzip).
"""

from __future__ import annotations

import io
from typing import Any, BinaryIO, cast

from isal import igzip

from cleaner.errors import UsageError

SUFFIXES = (".gz", ".zst")
# ISA-L's best ratio (its levels are 0 to 3): within a tenth of zlib's level 9 in size, at
# over ten times its speed.
GZIP_LEVEL = 3


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
        return cast(BinaryIO, igzip.IGzipFile(fileobj=raw, mode="rb"))
    if lower.endswith(".zst"):
        return cast(BinaryIO, io.BufferedReader(_ZstdReader(raw, _zstandard())))
    return raw


class _ZstdReader(io.RawIOBase):
    """A .zst stream, frame after frame, that says when it is damaged or cut short:
    zstandard's own stream reader ends quietly at a truncated frame, which would read as a
    shorter file. Both faults are the OSError a damaged .gz gives."""

    CHUNK = 1 << 17

    def __init__(self, raw: BinaryIO, zstandard: Any) -> None:
        self._raw = raw
        self._zstd = zstandard
        self._obj = zstandard.ZstdDecompressor().decompressobj()
        self._pending = b""
        self._at = 0  # how much of _pending has been handed out
        self._started = False  # a frame has begun and not yet ended

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at >= len(self._pending):
            chunk = self._raw.read(self.CHUNK)
            if not chunk:
                if self._started:
                    raise OSError("the zstd data ends inside a frame (the file is cut short)")
                return 0
            self._pending, self._at = self._feed(chunk), 0
        size = min(len(buffer), len(self._pending) - self._at)
        buffer[:size] = self._pending[self._at:self._at + size]
        self._at += size
        return size

    def _feed(self, chunk: bytes) -> bytes:
        out: list[bytes] = []
        while chunk:
            self._started = True
            try:
                out.append(self._obj.decompress(chunk))
            except self._zstd.ZstdError as exc:
                raise OSError(f"damaged zstd data: {exc}") from None
            if not self._obj.eof:
                break
            chunk = self._obj.unused_data  # the next frame, if the file holds several
            self._obj = self._zstd.ZstdDecompressor().decompressobj()
            self._started = False
        return b"".join(out)


def writer(raw: BinaryIO, name: str) -> BinaryIO:
    lower = name.lower()
    if lower.endswith(".gz"):
        return cast(BinaryIO, igzip.IGzipFile(fileobj=raw, mode="wb", mtime=0,
                                              compresslevel=GZIP_LEVEL))
    if lower.endswith(".zst"):
        return cast(BinaryIO, _zstandard().ZstdCompressor().stream_writer(raw, closefd=False))
    return raw
