"""The progress line: drawn on a terminal, cleared at the end, absent in pipes and with -q."""

from __future__ import annotations

import io

from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.progress import Progress


def test_progress_draws_documents_megabytes_and_speed_then_clears() -> None:
    out = io.StringIO()
    progress = Progress(out, enabled=True)
    progress.update(3, 2_500_000)
    text = out.getvalue()
    assert text.startswith("\rcleaner: 3 documents, 2.5 MB, ") and text.endswith(" MB/s")
    progress.close()
    assert out.getvalue().endswith("\r")


def test_progress_is_off_when_stderr_is_not_a_terminal() -> None:
    assert Progress(io.StringIO()).enabled is False
    result = CliRunner().invoke(app, ["clean", "--no-content"], input=b"Advertisement\nHi.\n")
    assert result.exit_code == 0 and result.stderr == ""
    quiet = CliRunner().invoke(app, ["clean", "--no-content", "-q"], input=b"Hi.\n")
    assert quiet.exit_code == 0 and quiet.stderr == ""
