"""--jobs N gives the same bytes as --jobs 1: outputs, explanations and statistics."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.job import BATCH_RECORDS
from cleaner.parallel import ordered_map

runner = CliRunner()
PAGE = (REPO_PAGE := Path(__file__).resolve().parent.parent / "examples" / "page.txt").read_text()


def _square(x: int) -> int:
    return x * x


def test_ordered_map_keeps_order_with_a_bounded_window() -> None:
    assert list(ordered_map(_square, range(50), jobs=2, window=3)) == [x * x for x in range(50)]
    assert list(ordered_map(_square, range(5), jobs=1)) == [0, 1, 4, 9, 16]


def test_jobs_2_writes_the_same_bytes_as_jobs_1_for_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "pages.jsonl"
    with src.open("w") as handle:
        for i in range(BATCH_RECORDS * 2 + 17):
            text = PAGE.replace("orchard", f"orchard {i}") if i % 3 else "Advertisement"
            handle.write(json.dumps({"id": i, "text": text}) + "\n")
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        explain = tmp_path / f"explain{jobs}.jsonl"
        stats = tmp_path / f"stats{jobs}.json"
        result = runner.invoke(app, ["clean", str(src), "-o", str(out), "--jobs", jobs,
                                     "--explain", str(explain), "--stats-json", str(stats)])
        assert result.exit_code == 0, result.output
        outs[jobs] = (out.read_bytes(), explain.read_bytes(), stats.read_bytes())
    assert outs["1"] == outs["2"]
    assert outs["1"][0].count(b"\n") == BATCH_RECORDS * 2 + 17


def test_jobs_2_for_many_text_files_into_a_folder(tmp_path: Path) -> None:
    names = []
    for i in range(7):
        path = tmp_path / f"p{i}.txt"
        path.write_text(PAGE.replace("orchard", f"orchard {i}"))
        names.append(str(path))
    for jobs in ("1", "2"):
        result = runner.invoke(app, ["clean", *names, "-o", str(tmp_path / f"o{jobs}"),
                                     "--jobs", jobs])
        assert result.exit_code == 0, result.output
    for i in range(7):
        one = (tmp_path / "o1" / f"p{i}.txt").read_bytes()
        assert one == (tmp_path / "o2" / f"p{i}.txt").read_bytes()
        assert b"Skip to content" not in one


def test_a_bad_record_in_a_worker_is_the_same_one_line_error(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text('{"text": "fine"}\n' * 300 + "{oops\n")
    result = runner.invoke(app, ["clean", str(src), "--jobs", "2", "-o",
                                 str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2
    assert f"{src}:301: not valid JSON" in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_compressed_jsonl_round_trips_by_suffix(tmp_path: Path) -> None:
    import gzip

    import pytest

    zstandard = pytest.importorskip("zstandard")
    records = b"".join(json.dumps({"id": i, "text": f"Advertisement\nLine {i} of prose here."}
                                  ).encode() + b"\n" for i in range(50))
    (tmp_path / "in.jsonl.gz").write_bytes(gzip.compress(records))
    (tmp_path / "in.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(records))
    for src, out in (("in.jsonl.gz", "out.jsonl.zst"), ("in.jsonl.zst", "out.jsonl.gz")):
        result = runner.invoke(app, ["clean", "--no-content", str(tmp_path / src), "-o",
                                     str(tmp_path / out), "--jobs", "2"])
        assert result.exit_code == 0, result.output
    via_zst = zstandard.ZstdDecompressor().stream_reader(
        (tmp_path / "out.jsonl.zst").read_bytes()).read()
    via_gz = gzip.decompress((tmp_path / "out.jsonl.gz").read_bytes())
    assert via_zst == via_gz
    assert json.loads(via_gz.splitlines()[3])["text"] == "Line 3 of prose here."


def test_a_damaged_gzip_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00broken")
    result = runner.invoke(app, ["clean", str(bad), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2
    assert "cannot decompress" in result.stderr
