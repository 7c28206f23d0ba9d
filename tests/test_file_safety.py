"""What `check` and `clean --in-place` / `-o` may write, and how: only scraped text is
rewritten, links are written through, special files are never replaced, outputs never
overwrite each other, and a file that changes while it is cleaned is left alone."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.errors import OutputError
from cleaner.io.atomic import atomic_writer, fingerprint

runner = CliRunner()
PROSE = "The ferry to the island runs twice a day in winter and every hour in summer.\n"
PAGE = "Advertisement\n" + PROSE
SCRAPED = {"page.txt": PAGE, "page.text": PAGE,
           "data.jsonl": '{"text": "Advertisement\\nThe ferry runs twice a day."}\n',
           "data.ndjson": '{"text": "Advertisement\\nThe ferry runs twice a day."}\n'}
NOT_SCRAPED = {"labels.csv": "id,label\n1,News\n2,Share\n", "table.tsv": "1\tShare\n",
               "README.md": "# Data\n\nAdvertisement\n\nShare\n",
               "script.py": "# Advertisement\nprint('Share')\n", "conf.yaml": "a: Share\n",
               "data.json": '{"text": "Advertisement"}\n', "pyproject.toml": "[x]\n",
               "notes": "Advertisement\nShare\n", "page.html": "<p>Advertisement</p>\n",
               "Makefile": "all:\n\techo Share\n", "app.js": "// Share\n"}


@pytest.mark.parametrize("command", [["check", "--fix"], ["clean", "--in-place"]])
@pytest.mark.parametrize("name", sorted(NOT_SCRAPED))
def test_files_that_are_not_scraped_text_are_skipped_and_untouched(
        tmp_path: Path, command: list[str], name: str) -> None:
    path = tmp_path / name
    path.write_text(NOT_SCRAPED[name])
    result = runner.invoke(app, [*command, "--no-content", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text() == NOT_SCRAPED[name]
    assert f"Skipping {path}" in result.stderr


@pytest.mark.parametrize("command", [["check", "--fix"], ["clean", "--in-place"]])
@pytest.mark.parametrize("name", sorted(SCRAPED))
def test_scraped_text_types_are_cleaned_in_place(tmp_path: Path, command: list[str],
                                                 name: str) -> None:
    path = tmp_path / name
    path.write_text(SCRAPED[name])
    result = runner.invoke(app, [*command, "--no-content", str(path)])
    assert result.exit_code == (1 if command[0] == "check" else 0), result.output
    assert "Advertisement" not in path.read_text()


@pytest.mark.parametrize("command", [["check", "--fix"], ["clean", "--in-place"]])
def test_a_suffix_the_user_adds_is_cleaned_as_text(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "page.dump"
    path.write_text(PAGE)
    skipped = runner.invoke(app, [*command, "--no-content", str(path)])
    assert path.read_text() == PAGE and "add its suffix with --suffix" in skipped.stderr
    runner.invoke(app, [*command, "--no-content", "--suffix", ".dump", str(path)])
    assert path.read_text() == PROSE


def test_a_suffix_can_come_from_the_configuration(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".cleaner.toml").write_text('suffixes = ["dump"]\n')
    path = tmp_path / "page.dump"
    path.write_text(PAGE)
    result = runner.invoke(app, ["check", "--fix", "--no-content", str(path)])
    assert result.exit_code == 1 and path.read_text() == PROSE


def test_html_is_cleaned_in_place_only_with_markup_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    html = "<html><body><p>Advertisement</p><p>" + PROSE + "</p></body></html>\n"
    path.write_text(html)
    runner.invoke(app, ["clean", "--in-place", "--no-content", str(path)])
    assert path.read_text() == html
    runner.invoke(app, ["clean", "--in-place", "--no-content", "--markup", "html", str(path)])
    assert path.read_text() != html


# -- links and special files ----------------------------------------------------------------
@pytest.mark.parametrize("command", [["check", "--fix"], ["clean", "--in-place"]])
def test_a_link_is_written_through_and_stays_a_link(tmp_path: Path, monkeypatch,
                                                    command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "real.txt"
    target.write_text(PAGE)
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    runner.invoke(app, [*command, "--no-content", str(link)])
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert target.read_text() == PROSE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_check_skips_a_link_to_a_file_outside_the_repository(tmp_path: Path,
                                                            monkeypatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    outside = tmp_path / "outside.txt"
    outside.write_text(PAGE)
    (repo / "link.txt").symlink_to(outside)
    monkeypatch.chdir(repo / ".")
    from cleaner.check import repository_root

    repository_root.cache_clear()
    try:
        result = runner.invoke(app, ["check", "--fix", "--no-content", "link.txt"])
    finally:
        repository_root.cache_clear()
    assert result.exit_code == 0
    assert "outside the repository" in result.stderr
    assert outside.read_text() == PAGE


def _special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.txt"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "chardev":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    elif kind == "folder":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(tmp_path / "missing.txt")
    elif kind == "link-to-fifo":
        os.mkfifo(tmp_path / "pipe")
        path.symlink_to(tmp_path / "pipe")
    elif kind == "socket":
        import socket

        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        _SOCKETS.append(server)
    return path


_SOCKETS: list[object] = []
SPECIAL = ["fifo", "chardev", "folder", "dangling", "link-to-fifo", "socket"]


@pytest.mark.parametrize("command", [["check", "--fix"], ["clean", "--in-place"]])
@pytest.mark.parametrize("kind", SPECIAL)
def test_in_place_skips_every_file_that_is_not_regular_without_blocking(
        tmp_path: Path, kind: str, command: list[str]) -> None:
    path = _special(tmp_path, kind)
    proc = subprocess.run([sys.executable, "-m", "cleaner", *command, "--no-content",
                           str(path)], capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert f"Skipping {path}" in proc.stderr
    assert path.is_symlink() or not path.exists() or not path.is_file()


@pytest.mark.parametrize("kind", ["chardev"])
def test_an_output_that_is_a_device_is_written_into_not_replaced(tmp_path: Path,
                                                                 kind: str) -> None:
    node = _special(tmp_path, kind)
    src = tmp_path / "in.txt"
    src.write_text(PAGE)
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(node)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(node).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chardev.txt", "in.txt"]


def test_an_output_that_is_a_fifo_is_written_into(tmp_path: Path) -> None:
    fifo = _special(tmp_path, "fifo")
    src = tmp_path / "in.txt"
    src.write_text(PAGE)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(fifo)])
    out, _ = reader.communicate(timeout=60)
    assert result.exit_code == 0
    assert out == PROSE.encode()
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_fifo_in_a_rules_folder_is_passed_over(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    os.mkfifo(folder / "pack.yaml")
    src = tmp_path / "in.txt"
    src.write_text(PAGE)
    proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", "--no-content",
                           "--rules", str(folder), str(src)], capture_output=True,
                          timeout=60, check=False)
    assert proc.returncode == 0 and proc.stdout == PROSE.encode()


def test_a_fifo_named_as_a_rules_file_is_a_one_line_error(tmp_path: Path) -> None:
    fifo = tmp_path / "pack.yaml"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "cleaner", "rules", "test", str(fifo)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr


def test_in_place_keeps_the_owner_and_mode(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    path = tmp_path / "page.txt"
    path.write_text(PAGE)
    os.chown(path, 1234, 2345)
    path.chmod(0o640)
    runner.invoke(app, ["clean", "--in-place", "--no-content", str(path)])
    info = os.stat(path)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 2345, 0o640)
    assert path.read_text() == PROSE


# -- a file that changes while it is cleaned ------------------------------------------------
def test_a_file_that_changes_before_the_rename_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(PAGE)
    before = fingerprint(path)
    with pytest.raises(OutputError, match="changed while it was being cleaned"), \
            atomic_writer(path, expect=before) as handle:
        handle.write(PROSE.encode())
        with open(path, "a") as appender:
            appender.write("A line appended by the scraper.\n")
    assert path.read_text() == PAGE + "A line appended by the scraper.\n"
    assert list(tmp_path.iterdir()) == [path]


def test_in_place_refuses_a_file_that_grew_while_it_was_cleaned(tmp_path: Path,
                                                               monkeypatch) -> None:
    import cleaner.runner as run_module

    path = tmp_path / "page.txt"
    path.write_text(PAGE)
    real_work = run_module._work

    def work_while_the_scraper_appends(unit: run_module.Unit) -> run_module.Output:
        with open(path, "a") as appender:
            appender.write("A line appended by the scraper.\n")
        return real_work(unit)

    monkeypatch.setattr(run_module, "_work", work_while_the_scraper_appends)
    result = runner.invoke(app, ["clean", "--in-place", "--no-content", "-j", "1", str(path)])
    assert result.exit_code == 2
    assert "changed while it was being cleaned" in result.stderr
    assert path.read_text().endswith("A line appended by the scraper.\n")


# -- outputs never overwrite each other -----------------------------------------------------
LAYOUTS = {
    "nested": (["a/p.txt", "a/b/p.txt"], ["p.txt", "b/p.txt"]),
    "siblings": (["a/p.txt", "b/p.txt"], ["a/p.txt", "b/p.txt"]),
    "cousins": (["x/a/p.txt", "y/a/p.txt"], ["x/a/p.txt", "y/a/p.txt"]),
    "dotdot": (["../up/a/x.txt", "../up/b/x.txt"], ["a/x.txt", "b/x.txt"]),
    "absolute": (["ABS/a/p.txt", "ABS/b/p.txt"], ["a/p.txt", "b/p.txt"]),
    "one-in-a-folder": (["deep/er/p.txt"], ["p.txt"]),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_inputs_with_equal_names_get_distinct_outputs(tmp_path: Path, monkeypatch,
                                                      layout: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    names, expected = LAYOUTS[layout]
    names = [n.replace("ABS", str(tmp_path / "abs")) for n in names]
    for n, name in enumerate(names):
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Advertisement\nPage number {n} of the ferry timetable, in full.\n")
    result = runner.invoke(app, ["clean", "--no-content", *names, "-o", "out/"])
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(work / "out")) for p in (work / "out").rglob("*.txt"))
    assert written == sorted(expected)
    texts = {(work / "out" / e).read_text() for e in expected}
    assert len(texts) == len(names)


@pytest.mark.parametrize("names", [["a.warc", "a.warc.gz"], ["a.wet", "a.warc"],
                                   ["p.txt", "./p.txt"]])
def test_two_inputs_for_one_output_are_refused_before_anything_is_written(
        tmp_path: Path, monkeypatch, names: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for name in names:
        Path(name).write_bytes(b"")
    result = runner.invoke(app, ["clean", "--no-content", *names, "-o", "out"])
    assert result.exit_code == 2
    assert "would both be written to" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_output_name_ending_in_a_slash_is_a_folder_even_for_one_input(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("p.txt").write_text(PAGE)
    result = runner.invoke(app, ["clean", "--no-content", "p.txt", "-o", "out/"])
    assert result.exit_code == 0
    assert (tmp_path / "out" / "p.txt").read_text() == PROSE
