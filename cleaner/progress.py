"""A one-line progress report on stderr (documents, MB, MB/s), only where a person watches.

On when stderr is a terminal and --quiet is not given; redrawn at most a few times a second,
so it costs nothing measurable; cleared at the end so that what follows starts on a clean line.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

REDRAW_SECONDS = 0.25


class Progress:
    def __init__(self, out: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.out = out or sys.stderr
        self.enabled = self.out.isatty() if enabled is None else enabled
        self.documents = 0
        self.bytes = 0
        self._start = time.monotonic()
        self._drawn = 0.0
        self._width = 0

    def update(self, documents: int, size: int) -> None:
        self.documents += documents
        self.bytes += size
        now = time.monotonic()
        if self.enabled and now - self._drawn >= REDRAW_SECONDS:
            self._drawn = now
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        elapsed = max(1e-9, (now or time.monotonic()) - self._start)
        mb = self.bytes / 1e6
        return f"cleaner: {self.documents:,} documents, {mb:,.1f} MB, {mb / elapsed:,.2f} MB/s"

    def _draw(self, now: float) -> None:
        text = self.line(now)
        pad = max(0, self._width - len(text))
        self.out.write("\r" + text + " " * pad)
        self.out.flush()
        self._width = len(text)

    def close(self) -> None:
        if self.enabled and self._width:
            self.out.write("\r" + " " * self._width + "\r")
            self.out.flush()
