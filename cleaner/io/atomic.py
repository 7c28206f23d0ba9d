"""Atomic file writes: a temporary file in the same folder, fsync, then rename.

A reader of the target sees the old file or the new one, never half of one; an interrupted
process (Ctrl-C, SIGTERM, an error) removes its temporary file; only SIGKILL can leave one.

Only a regular file is replaced that way. A symbolic link is written through: its target is
replaced and the link stays a link. A device or FIFO (`-o /dev/null`, a pipe) is written into
directly, never replaced by a file. A hard link cannot be kept: the name written gets a new
file and the other names keep the old content, as with editors that save by renaming.
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


def fingerprint(path: Path) -> tuple[int, int]:
    """Size and modification time: what `atomic_writer(expect=...)` compares before renaming."""
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


@contextlib.contextmanager
def atomic_writer(path: Path, *, expect: tuple[int, int] | None = None) -> Iterator[BinaryIO]:
    """Yield a binary file; on clean exit it replaces `path` (keeping its mode and, where the
    process may, its owner). With `expect` (a `fingerprint` taken before the file was read),
    a file that changed meanwhile is left alone and the write is refused: an in-place
    rewrite must not lose what another process appended."""
    path = Path(path)
    try:
        info: os.stat_result | None = os.stat(path)  # through links: what would be written
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path}: is a folder")
    if info is not None and not stat.S_ISREG(info.st_mode):
        # /dev/null, a FIFO, /dev/stdout (a link to a pipe that has no path of its own)
        with _direct(path) as handle:
            yield handle
        return
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = real.parent if str(real.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield _Guarded(handle)  # type: ignore[misc]
            _finish(handle, tmp, real, info, expect, str(path))
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, _WriteFailed):
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise


@contextlib.contextmanager
def _direct(path: Path) -> Iterator[BinaryIO]:
    """A device or FIFO: opened and written as it is (there is nothing to rename over)."""
    try:
        raw = open(path, "wb", buffering=0)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with raw:  # unbuffered: a write error surfaces at the write, not again at close
            yield _Guarded(raw)  # type: ignore[misc]
    except _WriteFailed as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _finish(handle: BinaryIO, tmp: str, path: Path, before: os.stat_result | None,
            expect: tuple[int, int] | None, name: str) -> None:
    """Flush, sync, give the new file the old one's mode and owner, and move it into place."""
    try:
        handle.flush()
        os.fsync(handle.fileno())
        if before is not None:
            mode = stat.S_IMODE(before.st_mode)
            with contextlib.suppress(PermissionError):
                if (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
                    os.chown(tmp, before.st_uid, before.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
    except OSError as exc:
        raise _WriteFailed(exc.errno, exc.strerror) from None
    if expect is not None:
        try:
            now = fingerprint(path)
        except FileNotFoundError:
            now = None
        if now != expect:
            raise OutputError(f"{name}: changed while it was being cleaned; left as it is "
                              "(run again when nothing else writes to it)")
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise _WriteFailed(exc.errno, exc.strerror) from None


class _WriteFailed(OSError):
    """A write to the output failed: the output's fault, not the input's."""


class _Guarded:
    """The output file, with write errors marked as the output's (a full disk, say)."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        try:
            return self._handle.write(data)
        except OSError as exc:
            raise _WriteFailed(exc.errno, exc.strerror) from None

    def flush(self) -> None:
        try:
            self._handle.flush()
        except OSError as exc:
            raise _WriteFailed(exc.errno, exc.strerror) from None

    def __getattr__(self, name: str) -> object:
        return getattr(self._handle, name)
