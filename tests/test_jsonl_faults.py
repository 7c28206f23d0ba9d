"""JSONL faults: a bad line is a one-line error naming file and line, or kept, or skipped and
counted; a record without the field passes through unchanged and counted. Nothing is lost
silently."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()


def test_malformed_jsonl_is_one_line_error_naming_file_and_line(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text('{"text": "ok"}\n{"text": oops}\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert f"{src}:2: not valid JSON" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def _bad_jsonl(tmp_path: Path) -> Path:
    src = tmp_path / "mixed.jsonl"
    src.write_bytes(b'{"id": "a", "text": "Advertisement\\nThe ferry runs twice a day."}\n'
                    b'{"text": oops}\n[1, 2]\n{"id": "b", "n": 3}\n')
    return src


def test_on_error_keep_writes_bad_lines_through(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", "--no-content", "--on-error", "keep",
                                 str(_bad_jsonl(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0
    lines = out.read_bytes().splitlines()
    assert lines[1:] == [b'{"text": oops}', b"[1, 2]", b'{"id": "b", "n": 3}']
    assert json.loads(lines[0])["text"] == "The ferry runs twice a day."


def test_on_error_skip_drops_bad_lines_and_counts_them(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    stats = tmp_path / "stats.json"
    result = runner.invoke(app, ["clean", "--no-content", "--on-error", "skip",
                                 str(_bad_jsonl(tmp_path)), "-o", str(out),
                                 "--stats-json", str(stats)])
    assert result.exit_code == 0
    assert len(out.read_bytes().splitlines()) == 2
    data = json.loads(stats.read_text())
    assert data["records_skipped"] == 2 and data["records_without_field"] == 1
    assert data["documents"] == 1 and data["removals_by_rule"] == {"ads.label": 1}
    assert set(data["cleaner"]) == {"version", "rules", "model"}
    assert data["cleaner"]["model"] == "off"


def test_a_record_without_the_field_or_with_a_non_string_passes_through_counted(
        tmp_path: Path) -> None:
    src = tmp_path / "odd.jsonl"
    raw = [b'{"id": 1, "body": "Advertisement"}', b'{"id": 2, "text": 42}',
           b'{"id": 3, "text": null}', b'{"id": 4, "text": ["Advertisement"]}']
    src.write_bytes(b"\n".join(raw) + b"\n")
    out = tmp_path / "out.jsonl"
    stats = tmp_path / "stats.json"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out),
                                 "--stats-json", str(stats)])
    assert result.exit_code == 0
    assert out.read_bytes().splitlines() == raw
    assert json.loads(stats.read_text())["records_without_field"] == 4


def test_a_last_line_without_newline_and_blank_lines_are_handled(tmp_path: Path) -> None:
    src = tmp_path / "tail.jsonl"
    src.write_bytes(b'{"text": "Advertisement\\nThe ferry runs twice a day."}\n\n'
                    b'{"text": "The bus runs hourly."}')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    texts = [json.loads(line)["text"] for line in out.read_bytes().splitlines() if line.strip()]
    assert texts == ["The ferry runs twice a day.", "The bus runs hourly."]


def test_a_truncated_gzip_is_one_line_error(tmp_path: Path) -> None:
    import gzip

    src = tmp_path / "cut.jsonl.gz"
    lines = b"".join(b'{"text": "line %d of the ferry timetable"}\n' % i for i in range(2000))
    packed = gzip.compress(lines)
    src.write_bytes(packed[: len(packed) // 2])
    result = runner.invoke(app, ["clean", "--no-content", str(src)])
    assert result.exit_code == 2
    assert "cut.jsonl.gz: cannot decompress" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
