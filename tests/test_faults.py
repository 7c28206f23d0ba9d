"""Faults: a killed process loses nothing; odd encodings and huge lines pass through."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

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


def test_a_20_mb_single_line_passes_through(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    line = ("word " * 4_000_000).rstrip() + ".\n"
    path.write_text(line)
    out = tmp_path / "out.txt"
    result = runner.invoke(app, ["clean", "--no-content", str(path), "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_text() == line


def test_nul_and_control_characters_and_empty_input(tmp_path: Path) -> None:
    for data in (b"", b"\n\n\n", b"The ferry\x00 runs \x01twice a day.\n" + PROSE.encode()):
        result = runner.invoke(app, ["clean", "--no-content"], input=data)
        assert result.exit_code == 0
        if b"\x00" in data:
            assert b"\x00" in result.stdout_bytes


def test_invalid_utf8_is_kept_byte_for_byte_in_jsonl_and_text(tmp_path: Path) -> None:
    src = tmp_path / "latin.txt"
    src.write_bytes(b"Advertisement\nCaf\xe9 cr\xe8me on the corner, open every day of the week.\n")
    result = runner.invoke(app, ["clean", "--no-content", str(src)])
    assert result.exit_code == 0
    assert result.stdout_bytes == b"Caf\xe9 cr\xe8me on the corner, open every day of the week.\n"
