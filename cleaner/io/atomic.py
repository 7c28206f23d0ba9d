"""Atomic file writes: a temporary file in the same folder, fsync, then rename.

A reader of the target sees the old file or the new one, never half of one; a killed
process leaves at most a stray temporary file, never a truncated output.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cleaner.errors import OutputError


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on clean exit it replaces `path` (keeping its mode if it existed)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield _Guarded(handle)  # type: ignore[misc]
            _finish(handle, tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, _WriteFailed):
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _finish(handle: BinaryIO, tmp: str, path: Path) -> None:
    """Flush, sync, give the new file the old one's mode, and move it into place."""
    try:
        handle.flush()
        os.fsync(handle.fileno())
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        raise _WriteFailed(exc.errno, exc.strerror) from None


class _WriteFailed(OSError):
    """A write to the temporary file failed: the output's fault, not the input's."""


class _Guarded:
    """The temporary file, with write errors marked as the output's (a full disk, say)."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        try:
            return self._handle.write(data)
        except OSError as exc:
            raise _WriteFailed(exc.errno, exc.strerror) from None

    def __getattr__(self, name: str) -> object:
        return getattr(self._handle, name)
