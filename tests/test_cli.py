"""The `cleaner` command, in process with typer's CliRunner."""

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


def test_stdin_to_stdout() -> None:
    result = runner.invoke(app, ["clean", "--no-content"], input=PAGE.encode())
    assert result.exit_code == 0
    assert result.stdout == CLEAN


def test_many_files_into_a_folder_keep_their_layout_below_their_common_folder(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for sub in ("in/x", "in/y"):
        (tmp_path / sub).mkdir(parents=True)
        (tmp_path / sub / "a.txt").write_text(PAGE)
    result = runner.invoke(app, ["clean", "--no-content", "in/x/a.txt", "in/y/a.txt", "-o",
                                 "out"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "x" / "a.txt").read_text() == CLEAN
    assert (tmp_path / "out" / "y" / "a.txt").read_text() == CLEAN


def test_output_naming_an_input_is_refused_and_input_untouched(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    result = runner.invoke(app, ["clean", "--no-content", str(page), "-o", str(page)])
    assert result.exit_code == 2
    assert "input file" in result.stderr
    assert page.read_text() == PAGE


def test_diff_shows_what_would_go_and_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    result = runner.invoke(app, ["clean", "--no-content", str(page), "--diff"])
    assert result.exit_code == 0
    assert "-Advertisement\n" in result.stdout
    assert "-Share this article\n" in result.stdout
    assert page.read_text() == PAGE


def test_explain_writes_one_json_line_per_removal(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    explain = tmp_path / "explain.jsonl"
    result = runner.invoke(app, ["clean", "--no-content", str(page), "--explain", str(explain)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in explain.read_text().splitlines()]
    assert [(r["line"], r["rule"], r["text"]) for r in rows] == [
        (1, "ads.label", "Advertisement"), (3, "social.share-prompt", "Share this article")]
    assert rows[0]["start"] == 0 and rows[0]["end"] == len("Advertisement")
    assert PAGE[rows[1]["start"]:rows[1]["end"]] == "Share this article"


def test_jsonl_replaces_the_field_keeps_other_fields_order_and_unchanged_bytes(
        tmp_path: Path) -> None:
    src = tmp_path / "data.jsonl"
    untouched = b'{"id":  7, "text": "Nothing to remove here at all.", "x": [1]}\n'
    src.write_bytes(json.dumps({"url": "u", "text": PAGE, "id": "a"}).encode() + b"\n"
                    + untouched + json.dumps({"id": "b", "other": 1}).encode() + b"\n"
                    + json.dumps({"id": "c", "text": "Advertisement"}).encode() + b"\n")
    out = tmp_path / "clean.jsonl"
    result = runner.invoke(app, ["clean", "--no-content", "--format", "jsonl", "--field", "text", str(src),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_bytes().splitlines(keepends=True)
    first = json.loads(lines[0])
    assert list(first) == ["url", "text", "id"] and first["text"] == CLEAN
    assert lines[1] == untouched
    assert json.loads(lines[2]) == {"id": "b", "other": 1}
    assert json.loads(lines[3]) == {"id": "c", "text": ""}


def test_missing_input_is_exit_2_without_traceback() -> None:
    result = runner.invoke(app, ["clean", "--no-content", "no/such/file.txt"])
    assert result.exit_code == 2
    assert "no such file" in result.stderr
    assert "Traceback" not in result.output


def test_rules_list_json_has_every_field() -> None:
    result = runner.invoke(app, ["rules", "list", "--json"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= 30
    assert {"id", "pack", "action", "lang", "description", "examples"} <= set(rows[0])


def test_rules_test_passes_on_builtin_packs() -> None:
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0
    assert "0 failed" in result.stdout


def _pack(tmp_path: Path, name: str, match: str, drop: str, keep: str) -> Path:
    """A one-rule pack file `mine` with a drop-line rule."""
    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "pack: mine\ndescription: Test pack.\nrules:\n"
        f"  - id: mine.{name}\n    description: A test rule.\n"
        f"    match: {match}\n    action: drop-line\n"
        f"    examples: {{drop: {drop}, keep: {keep}}}\n")
    return pack


def test_rules_test_fails_with_exit_1_on_a_broken_example(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "hello", "{exact: [hello there]}", "[hello there, goodbye]",
                 "['Hello there, friend, how are you']")
    result = runner.invoke(app, ["rules", "test", str(pack)])
    assert result.exit_code == 1
    assert "FAIL mine.hello:drop[1]" in result.stdout


def test_user_rules_and_disable_options(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "decision", "{contains: [was welcomed by parents]}",
                 "[It was welcomed by parents.]", "[Parents welcomed it.]")
    result = runner.invoke(app, ["clean", "--no-content", "--rules", str(pack), "--disable", "ads"],
                           input=PAGE.encode())
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Advertisement", "The council voted on Tuesday to keep the library open for another year."]


def test_disable_unknown_name_is_a_usage_error() -> None:
    result = runner.invoke(app, ["clean", "--no-content", "--disable", "nope.nothing"], input=b"x")
    assert result.exit_code == 2
    assert "nope.nothing" in result.stderr


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("cleaner ")


def test_stats_table_goes_to_stderr_with_provenance() -> None:
    result = runner.invoke(app, ["clean", "--stats"], input=PAGE.encode())
    assert result.exit_code == 0
    assert result.stdout.strip()
    assert "documents" in result.stderr and "model " in result.stderr
    assert "ads.label" in result.stderr


@pytest.mark.parametrize(("config", "message"), [
    ("[tool]\ncleaner = 5\n", "[tool.cleaner] must be a table of settings, not int"),
    ("tool = 3\n", "[tool] must be a table of settings, not int"),
    ("[tool.cleaner]\nkeep = [\"\"]\n", "matches an empty string"),
    ("[tool.cleaner]\nkeep = [\"x*\"]\n", "matches an empty string"),
])
def test_a_bad_configuration_is_one_line_error(tmp_path: Path, monkeypatch, config: str,
                                              message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(config)
    (tmp_path / "p.txt").write_text(PAGE)
    result = runner.invoke(app, ["clean", "--no-content", "p.txt"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
