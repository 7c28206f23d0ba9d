"""Formats: Parquet and WARC/WET in, Parquet or JSONL out; --in-place and --output-field;
every other column or field kept, in order; --jobs 1 and --jobs 2 write the same bytes."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

runner = CliRunner()
PAGE = ("Advertisement\nThe council voted on Tuesday to keep the library open for another year.\n"
        "Share this article\nThe decision was welcomed by parents and teachers alike.\n")
CLEAN = ("The council voted on Tuesday to keep the library open for another year.\n"
         "The decision was welcomed by parents and teachers alike.\n")


def _clean(*args: str) -> None:
    result = runner.invoke(app, ["clean", "--no-content", *args])
    assert result.exit_code == 0, result.stderr


def _table(rows: int = 3, text_type: object = None) -> object:
    texts = [PAGE if i % 3 != 2 else None for i in range(rows)]
    return pa.table({
        "id": list(range(rows)),
        "text": pa.array(texts, type=text_type or pa.string()),
        "lang": ["en"] * rows,
        "tags": [["a", "b"]] * rows,
    })


def test_parquet_replaces_the_text_column_and_keeps_the_rest(tmp_path: Path) -> None:
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(_table(450, pa.large_string()), src, row_group_size=100)
    _clean(str(src), "-o", str(out))
    table = pq.read_table(out)
    assert table.column_names == ["id", "text", "lang", "tags"]
    assert table.schema.field("text").type == pa.large_string()
    assert table.column("id").to_pylist() == list(range(450))
    texts = table.column("text").to_pylist()
    assert texts[0] == CLEAN and texts[2] is None and texts.count(CLEAN) == 300
    assert table.column("tags").to_pylist()[0] == ["a", "b"]


def test_parquet_output_field_keeps_the_original(tmp_path: Path) -> None:
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(_table(), src)
    _clean(str(src), "--output-field", "clean", "-o", str(out))
    table = pq.read_table(out)
    assert table.column_names == ["id", "text", "lang", "tags", "clean"]
    assert table.column("text").to_pylist()[0] == PAGE
    assert table.column("clean").to_pylist() == [CLEAN, CLEAN, None]


def test_parquet_to_jsonl_on_stdout_and_by_suffix(tmp_path: Path) -> None:
    src = tmp_path / "in.parquet"
    pq.write_table(_table(), src)
    result = runner.invoke(app, ["clean", "--no-content", str(src)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0] == {"id": 0, "text": CLEAN, "lang": "en", "tags": ["a", "b"]}
    out = tmp_path / "out.jsonl.gz"
    _clean(str(src), "-o", str(out))
    assert gzip.decompress(out.read_bytes()).decode() == result.stdout


def test_parquet_jobs_2_writes_the_same_bytes_as_jobs_1(tmp_path: Path) -> None:
    src = tmp_path / "in.parquet"
    pq.write_table(_table(1000), src, row_group_size=300)
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    _clean(str(src), "-o", str(one), "--jobs", "1")
    _clean(str(src), "-o", str(two), "--jobs", "2")
    assert one.read_bytes() == two.read_bytes()


def test_an_empty_parquet_file_keeps_its_schema(tmp_path: Path) -> None:
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(_table(0), src)
    _clean(str(src), "-o", str(out))
    assert pq.read_table(out).schema.names == ["id", "text", "lang", "tags"]
    assert pq.read_table(out).num_rows == 0


def test_a_broken_parquet_file_is_one_line_error(tmp_path: Path) -> None:
    src = tmp_path / "bad.parquet"
    src.write_bytes(b"PAR1 this is not really parquet")
    result = runner.invoke(app, ["clean", str(src)])
    assert result.exit_code == 2
    assert "bad.parquet: not a readable Parquet file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("column", "message"), [
    (lambda pa: pa.array([[1, 2], [3]]), "holds list<element: int64>, not text"),
    (lambda pa: pa.array([1, 2]), "holds int64, not text"),
    (lambda pa: pa.array([1.5, 2.0]), "holds double, not text"),
])
def test_a_parquet_text_column_that_holds_no_text_is_one_line_error(
        tmp_path: Path, column: object, message: str) -> None:
    import pyarrow as pa

    src = tmp_path / "odd.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "text": column(pa)}), src)  # type: ignore[operator]
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"cleaner: error: {src}: the column 'text' {message}; "
                                     "name a text column with --field")
    assert not out.exists()


def test_a_parquet_column_that_is_missing_names_the_columns_seen(tmp_path: Path) -> None:
    import pyarrow as pa

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["Advertisement"]}), src)
    result = runner.invoke(app, ["clean", "--no-content", "--field", "text", str(src)])
    assert result.exit_code == 2
    assert "no record has the field 'text' (fields seen: id, body)" in result.stderr


@pytest.mark.parametrize("kind", ["string", "large_string", "binary", "dictionary"])
def test_a_parquet_text_column_keeps_its_type(tmp_path: Path, kind: str) -> None:
    import pyarrow as pa

    texts = ["Advertisement\nThe ferry runs twice a day.", "The bus runs hourly.", None]
    if kind == "binary":
        column = pa.array([t.encode() if t else None for t in texts], pa.binary())
    elif kind == "dictionary":
        column = pa.array(texts).dictionary_encode()
    else:
        column = pa.array(texts, getattr(pa, kind)())
    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": column}), src)
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    table = pq.read_table(out)
    assert table.schema.field("text").type == pq.read_table(src).schema.field("text").type
    values = table.column("text").to_pylist()
    first = values[0].decode() if isinstance(values[0], bytes) else values[0]
    assert first == "The ferry runs twice a day." and values[2] is None


def test_undecodable_bytes_in_a_binary_text_column_come_back_as_they_were(
        tmp_path: Path) -> None:
    import pyarrow as pa

    src = tmp_path / "in.parquet"
    raw = b"Advertisement\nThe caf\xe9 opens at nine every morning, the owner said."
    pq.write_table(pa.table({"text": pa.array([raw], pa.binary())}), src)
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert pq.read_table(out).column("text").to_pylist() == [raw.split(b"\n", 1)[1]]


def test_output_field_over_an_existing_parquet_column_needs_overwrite_field(
        tmp_path: Path) -> None:
    import pyarrow as pa

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": ["Advertisement\nThe ferry runs."]}), src)
    refused = runner.invoke(app, ["clean", "--no-content", "--output-field", "id", str(src)])
    assert refused.exit_code == 2 and "the column 'id' exists already" in refused.stderr
    forced = runner.invoke(app, ["clean", "--no-content", "--output-field", "id",
                                 "--overwrite-field", str(src)])
    assert forced.exit_code == 0 and json.loads(forced.stdout)["id"] == "The ferry runs."


def test_jsonl_output_field_keeps_the_original(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": PAGE}) + "\n")
    result = runner.invoke(app, ["clean", "--no-content", "--output-field", "clean", str(src)])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"id": "a", "text": PAGE, "clean": CLEAN}


@pytest.mark.parametrize("name", ["page.txt", "data.jsonl", "data.jsonl.gz", "data.parquet"])
def test_in_place_rewrites_each_input_atomically(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".txt"):
        path.write_text(PAGE)
    elif name.endswith(".parquet"):
        pq.write_table(_table(), path)
    else:
        data = (json.dumps({"text": PAGE}) + "\n").encode()
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    path.chmod(0o640)
    _clean("--in-place", str(path))
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == [name]
    if name.endswith(".txt"):
        assert path.read_text() == CLEAN
    elif name.endswith(".parquet"):
        assert pq.read_table(path).column("text").to_pylist() == [CLEAN, CLEAN, None]
    else:
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if name.endswith(".gz") else raw
        assert json.loads(raw) == {"text": CLEAN}


@pytest.mark.parametrize(("args", "message"), [
    (["--in-place"], "stdin cannot be rewritten"),
    (["--in-place", "{src}", "-o", "{out}"], "--in-place and -o: choose one"),
    (["--in-place", "{src}", "{src}"], "named twice"),
    (["{src}", "-o", "{src}"], "use --in-place"),
])
def test_in_place_misuse_is_one_line_error(tmp_path: Path, args: list[str], message: str) -> None:
    src = tmp_path / "page.txt"
    src.write_text(PAGE)
    argv = [a.format(src=src, out=tmp_path / "o.txt") for a in args]
    result = runner.invoke(app, ["clean", *argv], input=b"")
    assert result.exit_code == 2
    assert message in result.stderr
    assert src.read_text() == PAGE


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = ("<html><head><title>Library</title><meta charset='iso-8859-1'></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
            "<h1>The library stays open</h1>"
            "<p>The council voted on Tuesday to keep the library in the caf\u00e9 quarter open "
            "for another year, after a campaign by parents and teachers.</p>"
            "<p>Advertisement</p>"
            "<p>The decision was welcomed by parents and teachers alike, who had gathered "
            "more than four thousand signatures since the spring.</p>"
            "</article></body></html>").encode("latin-1")
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warc_record("", "warcinfo", payload=io.BytesIO(b"x")))
        writer.write_record(writer.create_warc_record(
            "https://example.org/library", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=iso-8859-1")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://example.org/library", "response", payload=io.BytesIO(html),
            http_headers=headers))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://example.org/logo.png", "response", payload=io.BytesIO(b"\x89PNG"),
            http_headers=image))
        writer.write_record(writer.create_warc_record(
            "https://example.org/wet", "conversion", payload=io.BytesIO(PAGE.encode()),
            warc_content_type="text/plain"))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_pages_come_out_as_jsonl_with_url_and_record_id(tmp_path: Path, name: str) -> None:
    pytest.importorskip("warcio")
    src = tmp_path / name
    _warc(src)
    stats = tmp_path / "stats.json"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "--stats-json", str(stats)])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["url"] for r in rows] == ["https://example.org/library", "https://example.org/wet"]
    assert all(set(r) == {"text", "url", "warc_record_id"} for r in rows)
    assert all(r["warc_record_id"].startswith("urn:uuid:") for r in rows)
    assert "caf\u00e9 quarter" in rows[0]["text"] and "Advertisement" not in rows[0]["text"]
    assert "Home" not in rows[0]["text"]
    assert rows[1]["text"] == CLEAN
    assert json.loads(stats.read_text())["records_not_pages"] == 3


def test_warc_to_parquet_and_to_a_folder(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    src = tmp_path / "crawl.warc.gz"
    _warc(src)
    out = tmp_path / "pages.parquet"
    _clean(str(src), "-o", str(out))
    table = pq.read_table(out)
    assert table.column_names == ["text", "url", "warc_record_id"]
    assert table.num_rows == 2
    folder = tmp_path / "out"
    folder.mkdir()
    _clean(str(src), "-o", str(folder))
    written = folder / "crawl.jsonl.gz"
    assert len(gzip.decompress(written.read_bytes()).splitlines()) == 2


def test_a_broken_warc_is_one_line_error(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    src = tmp_path / "bad.warc"
    src.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    result = runner.invoke(app, ["clean", str(src)])
    assert result.exit_code == 2
    assert f"{src}: " in result.stderr and "offset 0" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _cut(data: bytes, name: str) -> bytes:
    """The archive cut inside its response record (the third of five)."""
    at = data.index(b"The decision") if not name.endswith(".gz") else len(data) * 3 // 5
    return data[:at]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_a_truncated_warc_is_an_error_naming_the_record_not_a_short_archive(
        tmp_path: Path, name: str) -> None:
    pytest.importorskip("warcio")
    whole = tmp_path / name
    _warc(whole)
    src = tmp_path / f"cut-{name}"
    src.write_bytes(_cut(whole.read_bytes(), name))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", "--no-content", str(src), "-o", str(out)])
    assert result.exit_code == 2, result.stdout
    assert f"{src}: the record at offset" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()
    skipped = runner.invoke(app, ["clean", "--no-content", "--on-error", "skip", str(src),
                                  "--stats-json", str(tmp_path / "s.json")])
    assert skipped.exit_code == 0
    assert json.loads((tmp_path / "s.json").read_text())["records_skipped"] == 1
    assert "https://example.org/library" not in skipped.stdout


@pytest.mark.parametrize("delta", [-40, 40])
def test_a_wrong_content_length_is_an_error_naming_the_record(tmp_path: Path,
                                                             delta: int) -> None:
    pytest.importorskip("warcio")
    whole = tmp_path / "crawl.warc"
    _warc(whole)
    data = whole.read_bytes()
    at = data.index(b"https://example.org/library", data.index(b"WARC-Type: response"))
    start = data.rindex(b"WARC/1.0", 0, at)
    head_end = data.index(b"\r\n\r\n", start)
    length_at = data.index(b"Content-Length: ", start, head_end) + len(b"Content-Length: ")
    end = data.index(b"\r\n", length_at)
    length = int(data[length_at:end])
    src = tmp_path / "bad.warc"
    src.write_bytes(data[:length_at] + str(length + delta).encode() + data[end:])
    result = runner.invoke(app, ["clean", "--no-content", str(src)])
    assert result.exit_code == 2
    assert f"{src}: " in result.stderr and "offset" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
