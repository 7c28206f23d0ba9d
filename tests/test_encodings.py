"""Encodings and odd bytes: invalid UTF-8, NUL and control characters, BOMs, CRLF, a 20 MB
line and empty input are cleaned or passed through (exit 0), and kept text keeps its bytes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import cleaner
from cleaner.cli import app

runner = CliRunner()
PROSE = "The ferry to the island runs twice a day in winter and every hour in summer.\n"

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


def test_a_bom_and_crlf_survive_and_the_boilerplate_goes() -> None:
    other = "The second paragraph says something else about the ferry and the island."
    data = ("\ufeff" + PROSE.rstrip("\n") + "\r\nAdvertisement\r\n" + other
            + "\r\n").encode()
    result = runner.invoke(app, ["clean", "--no-content"], input=data)
    assert result.exit_code == 0
    line = PROSE.rstrip("\n").encode()
    assert result.stdout_bytes == b"\xef\xbb\xbf" + line + b"\r\n" + other.encode() + b"\r\n"


def test_a_paragraph_repeated_after_a_bom_is_a_repeat() -> None:
    """Invisible characters are folded out of the matching forms, so a copy of the first
    paragraph is a copy even when the first one carries the file's BOM."""
    data = "\ufeff" + PROSE + PROSE
    assert cleaner.clean(data) == "\ufeff" + PROSE


def test_utf16_input_passes_through_unharmed() -> None:
    data = ("Advertisement\n" + PROSE).encode("utf-16")
    result = runner.invoke(app, ["clean", "--no-content"], input=data)
    assert result.exit_code == 0
    assert result.stdout_bytes == data


def test_invalid_utf8_inside_a_jsonl_line_goes_back_out_byte_for_byte(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_bytes(b'{"text": "Caf\xe9 on the corner.\\nAdvertisement"}\n'
                    b'{"text": "Caf\xe9 unchanged."}\n')
    result = runner.invoke(app, ["clean", "--no-content", str(src)])
    assert result.exit_code == 0
    assert result.stdout_bytes == (b'{"text": "Caf\xe9 on the corner."}\n'
                                   b'{"text": "Caf\xe9 unchanged."}\n')


def test_lone_surrogate_escapes_in_jsonl_round_trip(tmp_path: Path) -> None:
    src = tmp_path / "sur.jsonl"
    src.write_bytes(b'{"text": "Advertisement\\nA lone \\ud800 half of a pair stays put."}\n')
    result = runner.invoke(app, ["clean", "--no-content", str(src)])
    assert result.exit_code == 0
    assert json.loads(result.stdout_bytes) == {"text": "A lone \ud800 half of a pair stays put."}
