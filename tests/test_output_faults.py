"""Output faults: a killed process loses nothing, outputs are written atomically, and an
output that names an input is refused."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()
PROSE = "The ferry to the island runs twice a day in winter and every hour in summer.\n"


def test_sigkill_during_check_fix_leaves_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    original = ("Advertisement\n" + PROSE * 3) * 40_000
    path.write_text(original)
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "check", "--fix",
                             "--no-content", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    text = path.read_text()
    assert text == original or text == (PROSE * 3) * 40_000  # before or after, never between
    assert not [p for p in tmp_path.iterdir() if p.name != "big.txt" and
                not p.name.endswith(".tmp")]



def test_an_output_folder_that_cannot_exist_is_one_line_error(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_text(PROSE)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o",
                                 str(blocker / "out.txt")])
    assert result.exit_code == 2
    assert f"{blocker / 'out.txt'}: cannot write" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_full_disk_leaves_no_partial_output_and_the_input_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    src = tmp_path / "page.txt"
    src.write_text("Advertisement\n" + PROSE)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "out.txt"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.txt"]
    result = runner.invoke(app, ["check", "--fix", "--no-content", str(src)])
    assert result.exit_code == 2 and "cannot write" in result.stderr
    assert src.read_text() == "Advertisement\n" + PROSE


def test_output_naming_an_input_is_refused_and_the_input_untouched(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_text("Advertisement\n" + PROSE)
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(src)])
    assert result.exit_code == 2
    assert "that is an input file" in result.stderr
    assert src.read_text() == "Advertisement\n" + PROSE
