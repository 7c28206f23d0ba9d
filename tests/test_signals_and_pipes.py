"""A closed pipe ends quietly; Ctrl-C ends with exit 130; neither prints a traceback."""

from __future__ import annotations

import json
import os
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
    _wait_until_reading_stdin(proc.pid)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert b"Traceback" not in err


# read(2) on x86-64 and on arm64.
_READ_SYSCALLS = {"0", "63"}


def _wait_until_reading_stdin(pid: int, timeout: float = 60.0) -> None:
    """Until the command blocks reading fd 0. A fixed sleep raced the imports on a loaded
    machine: a signal that lands mid-import tests the libraries, not our handler."""
    syscall = Path(f"/proc/{pid}/syscall")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            fields = syscall.read_text().split()
        except OSError:  # no /proc (or not allowed to read it): the old, racy wait
            time.sleep(1.5)
            return
        if len(fields) > 1 and fields[0] in _READ_SYSCALLS and int(fields[1], 16) == 0:
            return
        time.sleep(0.05)
    raise AssertionError("the command never waited on stdin")


def test_head_one_exits_zero_quietly_with_one_or_two_jobs(tmp_path: Path) -> None:
    data = tmp_path / "big.jsonl"
    line = json.dumps({"text": "Advertisement\nThe ferry to the island runs twice a day.\n"})
    data.write_text((line + "\n") * 20000)
    for jobs in ("1", "2"):
        proc = subprocess.run(
            f"{' '.join(CLEANER)} clean --no-content -j {jobs} {data} | head -1; "
            "exit ${PIPESTATUS[0]}", shell=True, executable="/bin/bash",
            capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ""
        assert proc.stdout.count("\n") == 1


def test_an_internal_error_is_one_line_unless_debugging(tmp_path: Path) -> None:
    """A bug of ours (simulated by a sitecustomize that breaks the chain) is one line and
    exit 2; CLEANER_DEBUG=1 shows the traceback."""
    hook = tmp_path / "sitecustomize.py"
    hook.write_text("import cleaner.chain\n"
                    "def broken(self, *args, **kwargs):\n    raise ZeroDivisionError('boom')\n"
                    "cleaner.chain.Cleaner.clean = broken\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    page = tmp_path / "p.txt"
    page.write_text("Advertisement\n")
    quiet = subprocess.run([*CLEANER, "clean", str(page)], capture_output=True, text=True,
                           env=env, timeout=120)
    assert quiet.returncode == 2
    assert quiet.stderr.strip().splitlines() == [
        "cleaner: internal error: ZeroDivisionError: boom (a bug; please report it with "
        "CLEANER_DEBUG=1 set, which shows where)"]
    loud = subprocess.run([*CLEANER, "clean", str(page)], capture_output=True, text=True,
                          env={**env, "CLEANER_DEBUG": "1"}, timeout=120)
    assert "Traceback" in loud.stderr
