"""A closed pipe ends quietly; Ctrl-C ends with exit 130; neither prints a traceback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

CLEANER = [sys.executable, "-m", "cleaner"]


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    data = tmp_path / "big.jsonl"
    line = json.dumps({"text": "The ferry to the island runs twice a day in winter.\n" * 20})
    data.write_text((line + "\n") * 3000)
    proc = subprocess.run(
        f"{' '.join(CLEANER)} clean --no-content {data} | head -c 100 > /dev/null",
        shell=True, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr
    assert "BrokenPipe" not in proc.stderr


def test_ctrl_c_exits_130_without_a_traceback() -> None:
    proc = subprocess.Popen([*CLEANER, "clean", "--no-content"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)  # the command is waiting on stdin
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert b"Traceback" not in err
