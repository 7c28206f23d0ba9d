"""JSONL faults: a bad line is a one-line error naming file and line, or kept, or skipped and
counted; a record without the field passes through unchanged and counted. Nothing is lost
silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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
           b'{"id": 3, "text": null}', b'{"id": 4, "text": ["Advertisement"]}',
           b'{"id": 5, "text": "The ferry runs twice a day."}']
    src.write_bytes(b"\n".join(raw) + b"\n")
    out = tmp_path / "out.jsonl"
    stats = tmp_path / "stats.json"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out),
                                 "--stats-json", str(stats)])
    assert result.exit_code == 0
    assert out.read_bytes().splitlines() == raw
    assert json.loads(stats.read_text())["records_without_field"] == 4
    assert "4 of 5 records have no text in the field 'text'" in result.stderr


@pytest.mark.parametrize(("records", "message"), [
    ([b'{"id": 1, "body": "Advertisement"}', b'{"url": "u"}'],
     "no record has the field 'text' (fields seen: body, id, url)"),
    ([b'{"id": 2, "text": 42}', b'{"id": 3, "text": null}'],
     "no record has a text in the field 'text' (it holds other values)"),
])
def test_a_field_no_record_has_is_an_error_and_writes_nothing(
        tmp_path: Path, records: list[bytes], message: str) -> None:
    src = tmp_path / "odd.jsonl"
    src.write_bytes(b"\n".join(records * 300) + b"\n")  # several batches
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"cleaner: error: {src}: {message}"
    assert not out.exists() and list(tmp_path.iterdir()) == [src]


def test_a_record_nested_too_deeply_is_an_error_or_kept_as_asked(tmp_path: Path) -> None:
    src = tmp_path / "deep.jsonl"
    deep = b'{"text": "x", "a": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    src.write_bytes(b'{"text": "Advertisement\\nThe ferry runs twice a day."}\n' + deep + b"\n")
    result = runner.invoke(app, ["clean", "--no-content", str(src)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"cleaner: error: {src}:2: JSON nested too deeply to read"
    kept = runner.invoke(app, ["clean", "--no-content", "--on-error", "keep", str(src)])
    assert kept.exit_code == 0
    assert kept.stdout_bytes.splitlines()[1] == deep


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


# -- a changed record keeps every byte but its new value ------------------------------------
SPLICE_CASES = [
    (b'{"n": 1.10, "text": "Advertisement\\nKept."}', b'{"n": 1.10, "text": "Kept."}'),
    (b'{"s": "caf\\u00e9", "text": "Advertisement\\nKept."}', b'{"s": "caf\\u00e9", "text": "Kept."}'),
    (b'{"big": 1e400, "text": "Advertisement\\nKept."}', b'{"big": 1e400, "text": "Kept."}'),
    (b'{"d": 1, "d": 2, "text": "Advertisement\\nKept."}', b'{"d": 1, "d": 2, "text": "Kept."}'),
    (b'{"text": "old", "text": "Advertisement\\nKept."}', b'{"text": "old", "text": "Kept."}'),
    (b'{ "text" :"Advertisement\\nKept." , "z":[{"a":"}\\"]"}]}',
     b'{ "text" :"Kept." , "z":[{"a":"}\\"]"}]}'),
    (b'{"\\u0074ext": "Advertisement\\nKept.", "x": null}', b'{"\\u0074ext": "Kept.", "x": null}'),
    (b'{"i": ' + b"7" * 5000 + b', "text": "Advertisement\\nKept."}',
     b'{"i": ' + b"7" * 5000 + b', "text": "Kept."}'),
    (b'{"text": "Advertisement\\nKept \\ud800."}', b'{"text": "Kept \\ud800."}'),
    (b'{"text": "Advertisement\\nKept \xff."}\r\n', b'{"text": "Kept \xff."}\r\n'),
]


@pytest.mark.parametrize(("raw", "expected"), SPLICE_CASES)
def test_a_changed_record_keeps_every_other_byte(tmp_path: Path, raw: bytes,
                                                  expected: bytes) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(raw if raw.endswith(b"\n") else raw + b"\n")
    result = runner.invoke(app, ["clean", "--no-content", str(src)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (expected if expected.endswith(b"\n") else expected + b"\n")


def test_output_field_is_added_at_the_end_and_meta_never_overwrites(tmp_path: Path) -> None:
    from cleaner.io.jsonl import splice

    raw = b'{"n": 1.10, "title": "Mine"}\n'
    out = splice(raw, {"clean": "x"})
    assert out == b'{"n": 1.10, "title": "Mine", "clean": "x"}\n'
    assert splice(out, {"title": "theirs", "url": "u"}, replace=False) == \
        b'{"n": 1.10, "title": "Mine", "clean": "x", "url": "u"}\n'
    assert splice(b"{}", {"text": "a"}) == b'{"text": "a"}'


def test_output_field_over_an_existing_field_needs_overwrite_field(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": "p1", "text": "Advertisement\\nThe ferry runs twice a day."}\n')
    refused = runner.invoke(app, ["clean", "--no-content", "--output-field", "id", str(src)])
    assert refused.exit_code == 2
    assert f"{src}:1: the record already has a field 'id'" in refused.stderr
    same = runner.invoke(app, ["clean", "--no-content", "--output-field", "text", str(src)])
    assert same.exit_code == 0
    forced = runner.invoke(app, ["clean", "--no-content", "--output-field", "id",
                                 "--overwrite-field", str(src)])
    assert forced.exit_code == 0
    assert json.loads(forced.stdout_bytes)["id"] == "The ferry runs twice a day."


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                         st.floats(allow_nan=False, allow_infinity=False))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), json_values, max_size=5), st.text(max_size=30),
       st.booleans(), st.booleans(), st.data())
def test_splicing_changes_the_value_and_nothing_else(record: dict[str, object], text: str,
                                                    ascii_out: bool, spaced: bool,
                                                    data: st.DataObject) -> None:
    from cleaner.io.jsonl import splice

    comma, colon = (", ", ": ") if spaced else (",", ":")

    def enc(value: object) -> str:
        return json.dumps(value, ensure_ascii=ascii_out, separators=(comma, colon))

    def line(values: dict[str, object]) -> bytes:
        members = comma.join(f"{enc(k)}{colon}{enc(v)}" for k, v in values.items())
        return ("{" + members + "}").encode("utf-8")

    key = data.draw(st.sampled_from([*record, "text"])) if record else "text"
    raw = line(record)
    out = splice(raw, {key: text})
    assert json.loads(out) == {**record, key: text}
    same = json.dumps(text, ensure_ascii=False) == enc(text)
    if key in record and (same or not ascii_out):  # the new value's spelling is ours
        assert out == line({**record, key: text})
    elif key not in record:
        assert out.startswith(raw[:-1]) and out.endswith(b"}")


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
@pytest.mark.parametrize("damage", ["flip", "cut"])
def test_a_damaged_compressed_input_is_one_line_error(tmp_path: Path, suffix: str,
                                                      damage: str) -> None:
    import gzip

    import zstandard

    lines = b"".join(b'{"text": "line %d of the ferry timetable"}\n' % i for i in range(5000))
    packed = bytearray(gzip.compress(lines) if suffix == ".gz"
                       else zstandard.ZstdCompressor().compress(lines))
    if damage == "flip":
        for at in range(len(packed) // 3, len(packed) // 3 + 8):
            packed[at] ^= 0x5A
    else:
        packed = packed[: len(packed) // 2]
    src = tmp_path / f"bad.jsonl{suffix}"
    src.write_bytes(bytes(packed))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out)])
    assert result.exit_code == 2, result.stdout
    assert str(src) in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()
