"""Output faults: a killed process loses nothing, outputs are written atomically, and an
output that names an input is refused."""

from __future__ import annotations

import json
import os
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


# -- every output that fails is one line naming it, exit 2 ----------------------------------
def _full(tmp_path: Path, name: str) -> Path:
    """An output name that is a link to /dev/full: every write fails with ENOSPC."""
    link = tmp_path / name
    link.symlink_to("/dev/full")
    return link


def _run(*args: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120, check=False)


def _one_line_error(proc: subprocess.CompletedProcess[str], *parts: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cleaner: error: "), proc.stderr
    for part in parts:
        assert part in lines[0]


@pytest.mark.parametrize("name", ["out.txt", "out.jsonl", "out.jsonl.gz", "out.parquet",
                                  "out.jsonl.zst"])
def test_a_full_disk_under_any_output_format_is_one_line(tmp_path: Path, name: str) -> None:
    pytest.importorskip("pyarrow")
    src = tmp_path / ("in.txt" if name == "out.txt" else "in.parquet")
    if name == "out.txt":
        src.write_text("Advertisement\n" + PROSE)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"text": ["Advertisement\n" + PROSE] * 500}), src)
    _one_line_error(_run("clean", "--no-content", str(src), "-o", str(_full(tmp_path, name))),
                    "No space left on device")


@pytest.mark.parametrize("option", ["--explain", "--stats-json"])
def test_a_full_disk_under_a_side_output_is_one_line(tmp_path: Path, option: str) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Advertisement\n" + PROSE)
    _one_line_error(_run("clean", "--no-content", str(src), option, "/dev/full"),
                    "/dev/full", "No space left on device")


def test_a_full_disk_under_stdout_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text(("Advertisement\n" + PROSE) * 200)
    with open("/dev/full", "w") as full:
        _one_line_error(_run("clean", "--no-content", str(src), stdout=full),
                        "No space left on device")


def test_stats_json_into_a_missing_folder_makes_it(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Advertisement\n" + PROSE)
    target = tmp_path / "reports" / "today" / "stats.json"
    proc = _run("clean", "--no-content", str(src), "--stats-json", str(target))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(target.read_text())["documents"] == 1


def test_explain_of_a_removed_line_with_undecodable_bytes_is_valid_json(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(b"Advertisement \xff\xfe\n" + PROSE.encode())
    out = tmp_path / "explain.jsonl"
    proc = _run("clean", "--no-content", str(src), "--explain", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["text"] == "Advertisement \udcff\udcfe"


# -- no leftovers: SIGTERM cleans up, workers never outlive their parent --------------------
def _wait_for(predicate: object, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("mode", ["-o", "--in-place"])
def test_sigterm_during_a_write_removes_the_temporary_file(tmp_path: Path, mode: str) -> None:
    src = tmp_path / "big.jsonl"
    line = json.dumps({"text": "Advertisement\n" + PROSE * 3})
    src.write_text((line + "\n") * 60_000)
    args = ["--in-place", str(src)] if mode == "--in-place" else [
        str(src), "-o", str(tmp_path / "out.jsonl")]
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", "--no-content", "-j",
                             "1", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert _wait_for(lambda: any(p.name.endswith(".tmp") for p in tmp_path.iterdir()))
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert b"Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"]
    assert src.read_text() == (line + "\n") * 60_000


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True,
                         check=False)
    return [int(x) for x in out.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    line = json.dumps({"text": "Advertisement\n" + PROSE * 3})
    src.write_text((line + "\n") * 200_000)
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", "--no-content", "-j",
                             "2", str(src), "-o", str(tmp_path / "out.jsonl")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _wait_for(lambda: len(_children(proc.pid)) >= 2)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert _wait_for(lambda: not any(_alive(w) for w in workers), timeout=30)


def test_a_killed_worker_is_a_one_line_error_and_no_output(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    line = json.dumps({"text": "Advertisement\n" + PROSE * 3})
    src.write_text((line + "\n") * 200_000)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", "--no-content", "-j",
                             "2", str(src), "-o", str(out)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    assert _wait_for(lambda: len(_children(proc.pid)) >= 2)
    os.kill(_children(proc.pid)[0], signal.SIGKILL)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert err.strip().splitlines() == [
        "cleaner: error: a worker process died (killed by a signal, or out of memory); the "
        "output being written was left out"]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"]


@pytest.mark.parametrize("option", ["--explain", "--stats-json"])
def test_a_side_output_to_dev_stdout_on_a_pipe_is_written_into(tmp_path: Path,
                                                               option: str) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Advertisement\n" + PROSE)
    proc = _run("clean", "--no-content", str(src), "-o", "/dev/null", option, "/dev/stdout")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[0] if option == "--explain" else proc.stdout)
