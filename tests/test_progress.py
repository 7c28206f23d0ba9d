"""The progress line: drawn on a terminal, cleared at the end, absent in pipes and with -q."""

from __future__ import annotations

import io

from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.progress import Progress


def test_progress_draws_a_bar_with_share_and_speed_on_a_terminal_then_a_summary() -> None:
    from cleaner.stats import RunStats

    out = io.StringIO()
    progress = Progress(out, enabled=True, total=4_000_000, force_terminal=True)
    progress.update(3, 2_500_000)
    progress.read(2_000_000)
    progress._started().refresh()  # what rich's thread draws a quarter second later
    drawn = out.getvalue()
    assert "3 documents" in drawn and "2.5 MB" in drawn and "MB/s" in drawn
    assert "50%" in drawn
    stats = RunStats(documents=3, bytes_in=2_500_000, bytes_out=1_000_000)
    progress.close(stats)
    last = out.getvalue().splitlines()[-1]
    assert "cleaner: 3 documents, 2.5 MB in, 1.0 MB out (60.0% removed) in " in last


def test_progress_without_a_known_size_has_no_share_and_no_summary_after_a_failure() -> None:
    out = io.StringIO()
    progress = Progress(out, enabled=True, force_terminal=True)
    progress.update(1, 1_000)
    progress.read(500)
    progress._started().refresh()
    assert "1 documents" in out.getvalue() and "%" not in out.getvalue()
    progress.close()
    assert "removed" not in out.getvalue()


def test_progress_is_off_when_stderr_is_not_a_terminal() -> None:
    assert Progress(io.StringIO()).enabled is False
    result = CliRunner().invoke(app, ["clean", "--no-content"], input=b"Advertisement\nHi.\n")
    assert result.exit_code == 0 and result.stderr == ""
    quiet = CliRunner().invoke(app, ["clean", "--no-content", "-q"], input=b"Hi.\n")
    assert quiet.exit_code == 0 and quiet.stderr == ""
