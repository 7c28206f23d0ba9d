"""Progress on stderr while a run cleans, only where a person watches; a summary at the end.

On when stderr is a terminal and --quiet is not given. Drawn by rich (which typer brings):
documents, megabytes cleaned, MB/s, and, when the inputs' sizes are known (files, not a
pipe), a bar with the share of the input read and the time left. rich redraws it from its
own thread several times a second, so a slow document does not freeze it, and clears it at
the end; the one-line summary that follows (documents, MB, share removed, time) stays.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from cleaner.stats import RunStats

REFRESH_PER_SECOND = 4


class Progress:
    """`update` after each cleaned batch, `read` as the input is read, `close` at the end."""

    def __init__(self, out: TextIO | None = None, *, enabled: bool | None = None,
                 total: int | None = None, force_terminal: bool = False) -> None:
        self.out = out or sys.stderr
        self.enabled = self.out.isatty() if enabled is None else enabled
        self.total = total
        self.documents = 0
        self.bytes = 0
        self._start = time.monotonic()
        self._bar: Any = None
        self._task: Any = None
        self._force_terminal = force_terminal

    def _started(self) -> Any:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            console = Console(file=self.out, force_terminal=self._force_terminal or None,
                              highlight=False)
            columns: list[Any] = [TextColumn("cleaner:"),
                                  TextColumn("{task.fields[documents]:,} documents,"),
                                  TextColumn("{task.fields[mb]:,.1f} MB,"),
                                  TextColumn("{task.fields[speed]:,.2f} MB/s")]
            if self.total:
                columns[1:1] = [BarColumn(bar_width=24), TaskProgressColumn(),
                                TimeRemainingColumn(compact=True)]
            self._bar = Bar(*columns, console=console, transient=True,
                            refresh_per_second=REFRESH_PER_SECOND)
            self._task = self._bar.add_task("clean", total=self.total or None,
                                            documents=0, mb=0.0, speed=0.0)
            self._bar.start()
        return self._bar

    def update(self, documents: int, size: int) -> None:
        """Count a cleaned batch: its documents and their bytes of text."""
        self.documents += documents
        self.bytes += size
        if self.enabled:
            mb = self.bytes / 1e6
            self._started().update(self._task, documents=self.documents, mb=mb,
                                   speed=mb / self.elapsed())

    def read(self, position: int) -> None:
        """How many bytes of the inputs (as stored: compressed ones compressed) are read."""
        if self.enabled and self.total:
            self._started().update(self._task, completed=min(position, self.total))

    def elapsed(self) -> float:
        return max(1e-9, time.monotonic() - self._start)

    def summary(self, stats: RunStats) -> str:
        share = 1 - stats.bytes_out / stats.bytes_in if stats.bytes_in else 0.0
        return (f"cleaner: {stats.documents:,} documents, {stats.bytes_in / 1e6:,.1f} MB in, "
                f"{stats.bytes_out / 1e6:,.1f} MB out ({share:.1%} removed) "
                f"in {self.elapsed():.1f} s")

    def close(self, stats: RunStats | None = None) -> None:
        """Clear the bar; with `stats` (a run that ended well), print the summary line."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if self.enabled and stats is not None:
            self.out.write(self.summary(stats) + "\n")
            self.out.flush()
