"""What users of other command-line tools expect: -h, -v, folders as inputs, one-line errors
for options that would do nothing, documents kept apart on stdout, HTML bytes counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()
PAGE = ("Advertisement\nThe council voted on Tuesday to keep the library open for another year.\n"
        "Share this article\nThe decision was welcomed by parents and teachers alike.\n")
CLEAN = ("The council voted on Tuesday to keep the library open for another year.\n"
         "The decision was welcomed by parents and teachers alike.\n")
HTML = (Path(__file__).parent / "cases" / "html" / "article.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [[], ["clean"], ["check"], ["rules"], ["rules", "list"],
                                     ["learn"]])
def test_dash_h_is_help_on_every_command(command: list[str]) -> None:
    short = runner.invoke(app, [*command, "-h"])
    long = runner.invoke(app, [*command, "--help"])
    assert short.exit_code == 0 and "Usage:" in short.stdout
    assert short.stdout == long.stdout


def _tree(root: Path) -> None:
    for name in ("a/x.txt", "a/b/y.txt", "z.txt", ".hidden/h.txt", "a/.h.txt", "notes.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(PAGE)


def test_a_folder_cleans_its_files_recursively_keeping_their_paths(tmp_path: Path) -> None:
    _tree(tmp_path / "in")
    done = runner.invoke(app, ["clean", "--no-content", str(tmp_path / "in"), "-o",
                               str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    written = sorted(str(p.relative_to(tmp_path / "out")) for p in
                     (tmp_path / "out").rglob("*") if p.is_file())
    assert written == ["a/b/y.txt", "a/x.txt", "notes.md", "z.txt"]  # hidden ones left out
    assert (tmp_path / "out" / "a" / "b" / "y.txt").read_text() == CLEAN


def test_a_folder_with_one_file_still_keeps_its_path_under_the_output(tmp_path: Path) -> None:
    (tmp_path / "in" / "deep").mkdir(parents=True)
    (tmp_path / "in" / "deep" / "p.txt").write_text(PAGE)
    done = runner.invoke(app, ["clean", "--no-content", str(tmp_path / "in"), "-o",
                               str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "out" / "deep" / "p.txt").read_text() == CLEAN


def test_glob_picks_a_folders_files_by_name_or_path(tmp_path: Path) -> None:
    _tree(tmp_path / "in")
    by_name = runner.invoke(app, ["clean", "--no-content", str(tmp_path / "in"), "--glob",
                                  "*.md", "-o", str(tmp_path / "o1")])
    assert by_name.exit_code == 0, by_name.output
    assert [p.name for p in (tmp_path / "o1").rglob("*") if p.is_file()] == ["notes.md"]
    by_path = runner.invoke(app, ["clean", "--no-content", str(tmp_path / "in"), "--glob",
                                  "a/*.txt", "-o", str(tmp_path / "o2")])
    assert by_path.exit_code == 0, by_path.output
    assert [str(p.relative_to(tmp_path / "o2")) for p in (tmp_path / "o2").rglob("*")
            if p.is_file()] == ["a/x.txt"]


def test_a_folder_with_no_matching_file_is_a_one_line_error(tmp_path: Path) -> None:
    _tree(tmp_path / "in")
    done = runner.invoke(app, ["clean", str(tmp_path / "in"), "--glob", "*.warc"])
    assert done.exit_code == 2
    assert done.stderr.strip().splitlines() == [
        f"cleaner: error: {tmp_path / 'in'}: no file in the folder matches --glob '*.warc'"]


def test_in_place_over_a_folder_rewrites_its_text_files_and_skips_the_rest_quietly(
        tmp_path: Path) -> None:
    _tree(tmp_path / "in")
    (tmp_path / "in" / "code.py").write_text("print('Advertisement')\n")
    done = runner.invoke(app, ["clean", "--no-content", "-i", str(tmp_path / "in")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "in" / "a" / "x.txt").read_text() == CLEAN
    assert (tmp_path / "in" / "code.py").read_text() == "print('Advertisement')\n"
    assert "Skipping" not in done.stderr
    verbose = runner.invoke(app, ["clean", "--no-content", "-i", "-v", str(tmp_path / "in")])
    assert f"Skipping {tmp_path / 'in' / 'code.py'}:" in verbose.stderr


def test_verbose_says_what_each_file_came_to(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(PAGE)
    done = runner.invoke(app, ["clean", "--no-content", "-v", str(tmp_path / "a.txt"),
                               str(tmp_path / "b.txt"), "-o", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    lines = done.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"cleaner: {tmp_path / 'a.txt'}: 1 document (1 changed), "
                               f"{len(PAGE)} -> {len(CLEAN)} bytes (")
    assert "lines removed by rules 2" in lines[0]


def test_jobs_zero_is_a_one_line_error() -> None:
    done = runner.invoke(app, ["clean", "--jobs", "0"], input=PAGE.encode())
    assert done.exit_code == 2
    assert done.stderr == ("cleaner: error: --jobs 0: at least one worker is needed (the "
                           "default is all cores)\n")


def test_meta_on_plain_text_output_says_it_adds_nothing(tmp_path: Path) -> None:
    done = runner.invoke(app, ["clean", "--no-content", "--meta"], input=PAGE.encode())
    assert done.exit_code == 0 and done.stdout == CLEAN
    assert "--meta adds fields to JSONL, Parquet and WARC output" in done.stderr
    (tmp_path / "p.jsonl").write_text(json.dumps({"text": PAGE}) + "\n")
    records = runner.invoke(app, ["clean", "--no-content", "--meta", str(tmp_path / "p.jsonl")])
    assert records.exit_code == 0 and "--meta adds" not in records.stderr


def test_several_text_inputs_to_stdout_are_one_blank_line_apart(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PAGE)
    (tmp_path / "b.txt").write_text(PAGE.rstrip("\n"))  # no final line break
    (tmp_path / "c.txt").write_text(PAGE)
    done = runner.invoke(app, ["clean", "--no-content", *(str(tmp_path / n) for n in
                                                         ("a.txt", "b.txt", "c.txt"))])
    assert done.exit_code == 0, done.output
    assert done.stdout == CLEAN + "\n" + CLEAN.rstrip("\n") + "\n\n" + CLEAN


def test_stats_on_html_count_the_pages_bytes_read(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    done = runner.invoke(app, ["clean", str(page), "--stats-json", str(tmp_path / "s.json"),
                               "-o", str(tmp_path / "out.txt")])
    assert done.exit_code == 0, done.output
    stats = json.loads((tmp_path / "s.json").read_text())
    assert stats["html_pages"] == 1
    assert stats["html_bytes_in"] == len(HTML.encode("utf-8")) > stats["bytes_in"]


def test_check_diff_on_jsonl_shows_each_records_text_diff(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": PAGE}) + "\n" for i in range(2)))
    checked = runner.invoke(app, ["check", "--diff", "--no-content", str(path)])
    cleaned = runner.invoke(app, ["clean", "--diff", "--no-content", str(path)])
    assert checked.exit_code == 1
    assert checked.stdout == cleaned.stdout
    assert f"--- a/{path}:1\n" in checked.stdout and f"--- a/{path}:2\n" in checked.stdout
    assert "-Advertisement\n" in checked.stdout and '"id"' not in checked.stdout
