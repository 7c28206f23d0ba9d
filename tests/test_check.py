"""`cleaner check`, the pre-commit hook: one table drives the core function and the command."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.check import check_file
from cleaner.cli import app
from tests.conftest import REPO

PROSE = "The ferry to the island runs twice a day in winter and every hour in summer.\n"
CASES = [
    # (file name, input bytes, expected exit, expected bytes after --fix)
    ("clean.txt", PROSE.encode(), 0, PROSE.encode()),
    ("ad.txt", b"Advertisement\n" + PROSE.encode(), 1, PROSE.encode()),
    ("crlf.txt", b"Advertisement\r\n" + PROSE.replace("\n", "\r\n").encode(), 1,
     PROSE.replace("\n", "\r\n").encode()),
    ("data.jsonl", b'{"id": 1, "text": "Advertisement\\nThe ferry runs twice a day."}\n', 1,
     b'{"id": 1, "text": "The ferry runs twice a day."}\n'),
    ("same.jsonl", b'{"id":1,  "text": "The ferry runs twice a day."}\n', 0,
     b'{"id":1,  "text": "The ferry runs twice a day."}\n'),
    ("page.html", b"<p>Advertisement</p>\n", 0, b"<p>Advertisement</p>\n"),
    ("latin1.txt", b"Advertisement\ncaf\xe9\n", 0, b"Advertisement\ncaf\xe9\n"),
    ("binary.txt", b"Advertisement\x00\x01\n", 0, b"Advertisement\x00\x01\n"),
]
RULES_ONLY = Cleaner(content=False)


@pytest.mark.parametrize(("name", "data", "code", "after"), CASES, ids=[c[0] for c in CASES])
def test_check_file_core(tmp_path: Path, name: str, data: bytes, code: int, after: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    report = check_file(path, RULES_ONLY, fix=True)
    assert int(report.changed) == code
    assert path.read_bytes() == after


@pytest.mark.parametrize(("name", "data", "code", "after"), CASES, ids=[c[0] for c in CASES])
def test_check_fix_command(tmp_path: Path, name: str, data: bytes, code: int,
                           after: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["check", "--fix", "--no-content", str(path)])
    assert result.exit_code == code
    assert path.read_bytes() == after
    assert (f"Fixing {path}" in result.stdout) == bool(code)
    second = CliRunner().invoke(app, ["check", "--fix", "--no-content", str(path)])
    assert second.exit_code == 0


def test_check_diff_writes_nothing_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "ad.txt"
    path.write_bytes(b"Advertisement\n" + PROSE.encode())
    result = CliRunner().invoke(app, ["check", "--diff", "--no-content", str(path)])
    assert result.exit_code == 1
    assert "-Advertisement" in result.stdout
    assert path.read_bytes() == b"Advertisement\n" + PROSE.encode()


def test_check_without_options_names_the_files(tmp_path: Path) -> None:
    path = tmp_path / "ad.txt"
    path.write_bytes(b"Advertisement\n" + PROSE.encode())
    result = CliRunner().invoke(app, ["check", "--no-content", str(path)])
    assert result.exit_code == 1
    assert f"Would fix {path}" in result.stdout


def test_fix_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "ad.txt"
    path.write_bytes(b"Advertisement\n" + PROSE.encode())
    os.chmod(path, 0o640)
    CliRunner().invoke(app, ["check", "--fix", "--no-content", str(path)])
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_html_becomes_its_clean_text_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    paragraphs = "".join(f"<p>{PROSE.strip()} Paragraph {i}.</p>" for i in range(4))
    page = (f"<html><body><nav><a href='/'>Home</a></nav><article>{paragraphs}"
            "<p>Advertisement</p></article></body></html>")
    path.write_text(page)
    result = CliRunner().invoke(app, ["check", "--fix", "--no-content", str(path)])
    assert result.exit_code == 0 and path.read_text() == page
    result = CliRunner().invoke(app, ["check", "--fix", "--no-content", "--markup", "html",
                                      str(path)])
    assert result.exit_code == 1
    text = path.read_text()
    assert "<p>" not in text and "Paragraph 3." in text and "Advertisement" not in text
    again = CliRunner().invoke(app, ["check", "--fix", "--no-content", "--markup", "html",
                                     str(path)])
    assert again.exit_code == 0 and path.read_text() == text


def test_configuration_from_pyproject_applies_and_the_command_line_wins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cleaner]\ncontent = false\ndisable = ["ads"]\nkeep = ["^Share this article$"]\n')
    sub = tmp_path / "data"
    sub.mkdir()
    page = sub / "page.txt"
    page.write_text("Advertisement\nShare this article\nFacebook\n" + PROSE)
    monkeypatch.chdir(sub)
    result = CliRunner().invoke(app, ["check", "--fix", "page.txt"])
    assert result.exit_code == 1
    assert page.read_text() == "Advertisement\nShare this article\n" + PROSE


def test_a_bad_configuration_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".cleaner.toml").write_text("colour = 'red'\n")
    (tmp_path / "a.txt").write_text(PROSE)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "a.txt"])
    assert result.exit_code == 2
    assert "unknown setting 'colour'" in result.stderr


def test_the_library_reads_no_configuration(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".cleaner.toml").write_text("disable = ['ads']\n")
    monkeypatch.chdir(tmp_path)
    assert RULES_ONLY.clean_text("Advertisement\n" + PROSE) == PROSE


@pytest.mark.parametrize(("name", "data", "code", "after"), CASES, ids=[c[0] for c in CASES])
def test_check_fix_main(tmp_path: Path, name: str, data: bytes, code: int, after: bytes,
                        capsys: pytest.CaptureFixture[str]) -> None:
    from cleaner.cli import main

    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SystemExit) as info:
        main(["check", "--fix", "--no-content", str(path)])
    assert info.value.code == code
    assert path.read_bytes() == after


HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_hook_files_pattern_takes_text_and_jsonl_only(hook: dict[str, object]) -> None:
    pattern = re.compile(str(hook["files"]))
    for name in ("data/page.txt", "dump.jsonl", "a/b/c.txt"):
        assert pattern.search(name), name
    for name in ("src/app.py", "README.md", "page.html", "notes.txt.bak", "x.json"):
        assert not pattern.search(name), name
    assert hook["language"] == "python" and str(hook["entry"]).startswith("cleaner check")


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_every_hook_is_in_the_readme(hook: dict[str, object]) -> None:
    assert str(hook["id"]) in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "data", "code", "after"), CASES, ids=[c[0] for c in CASES])
def test_check_core_main_returns_the_exit_status(tmp_path: Path, name: str, data: bytes,
                                                 code: int, after: bytes) -> None:
    from cleaner.check import main

    path = tmp_path / name
    path.write_bytes(data)
    assert main(["--fix", "--no-content", str(path)]) == code
    assert path.read_bytes() == after
    assert main(["--fix", "--no-content", str(path)]) == 0


def test_an_unknown_check_markup_is_an_error_not_silence(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"<p>Advertisement</p>\n")
    result = CliRunner().invoke(app, ["check", "--markup", "xml", str(path)])
    assert result.exit_code == 2
    assert "xml" in result.output
    assert path.read_bytes() == b"<p>Advertisement</p>\n"


def test_check_diff_is_the_diff_clean_prints(tmp_path: Path) -> None:
    path = tmp_path / "ad.txt"
    path.write_bytes(b"Advertisement\n" + PROSE.encode())
    checked = CliRunner().invoke(app, ["check", "--diff", "--no-content", str(path)])
    cleaned = CliRunner().invoke(app, ["clean", "--diff", "--no-content", str(path)])
    assert checked.stdout == cleaned.stdout
    assert "-Advertisement" in checked.stdout
