"""`cleaner learn` finds the lines a made-up site repeats on every page, generalises the ones
that differ only in numbers, leaves prose alone, and writes a pack that passes its own test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import app
from cleaner.document import Document

runner = CliRunner()
STORIES = [
    "The harbour master said the new pier would open to ferries before the summer.",
    "A local bakery won the regional prize for its rye bread for the third year running.",
    "The council will repaint the old lighthouse in the spring, weather permitting.",
    "Volunteers planted two hundred oak trees along the river path on Saturday morning.",
    "The school choir will sing at the cathedral on Christmas Eve, the head teacher said.",
    "Fishermen reported the largest mackerel catch in a decade during the autumn season.",
    "The museum has reopened its maritime gallery after eighteen months of restoration.",
    "Bus fares will rise by ten pence in April, the transport company announced today.",
]


def _corpus(tmp_path: Path) -> Path:
    path = tmp_path / "pages.jsonl"
    with path.open("w") as handle:
        for i, story in enumerate(STORIES):
            text = "\n".join([
                "Riverton Gazette", "Home | News | Sport | Weather",
                f"Posted {i + 3} March 2024 | {i * 2 + 1} comments",
                story, "The editor quoted the mayor at length in the paper today.",
                "Follow the Gazette on Mastodon", "© Riverton Gazette Ltd"])
            handle.write(json.dumps({"url": f"https://www.gazette.example/n/{i}",
                                     "text": text}) + "\n")
        handle.write(json.dumps({"url": "https://other.example/x",
                                 "text": "Riverton Gazette\nA page of another site."}) + "\n")
    return path


def test_learn_finds_the_repeated_site_lines_and_writes_a_pack_that_passes(
        tmp_path: Path) -> None:
    out = tmp_path / "learned.yaml"
    result = runner.invoke(app, ["learn", str(_corpus(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    pack = yaml.safe_load(out.read_text())
    drops = {d for rule in pack["rules"] for d in rule["examples"]["drop"]}
    assert {"Riverton Gazette", "Home | News | Sport | Weather",
            "Follow the Gazette on Mastodon", "© Riverton Gazette Ltd"} <= drops
    patterns = [r["match"]["regex"] for r in pack["rules"] if "regex" in r["match"]]
    assert len(patterns) == 1 and "\\d+" in patterns[0]
    assert not any(story in drops for story in STORIES)
    assert "The editor quoted the mayor at length in the paper today." not in drops
    assert all("gazette.example" in r["description"] for r in pack["rules"])
    tested = runner.invoke(app, ["rules", "test", str(out)])
    assert tested.exit_code == 0, tested.stdout
    page = "Riverton Gazette\nPosted 30 June 2025 | 7 comments\n" + STORIES[0] + "\n"
    learned = Cleaner(rules=[out], content=False)
    on_site = learned.clean(Document(page, url="https://news.gazette.example/a/1")).text
    assert on_site == STORIES[0] + "\n"
    assert all(r["where"]["site"] == "gazette.example" for r in pack["rules"])


@pytest.mark.parametrize("url", ["", "https://other.example/p", "https://gazette.example.org/"])
def test_a_rule_learned_on_one_site_leaves_other_sites_and_unknown_ones_alone(
        tmp_path: Path, url: str) -> None:
    out = tmp_path / "learned.yaml"
    runner.invoke(app, ["learn", str(_corpus(tmp_path)), "-o", str(out)])
    page = "Follow the Gazette on Mastodon\n" + STORIES[0] + "\n"
    assert Cleaner(rules=[out], content=False).clean(Document(page, url=url)).text == page


def test_learn_global_writes_rules_for_every_site(tmp_path: Path) -> None:
    out = tmp_path / "learned.yaml"
    result = runner.invoke(app, ["learn", "--global", str(_corpus(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    pack = yaml.safe_load(out.read_text())
    assert not any("where" in r for r in pack["rules"])
    page = "Follow the Gazette on Mastodon\n" + STORIES[0] + "\n"
    assert Cleaner(rules=[out], content=False).clean_text(page) == STORIES[0] + "\n"


def test_site_rules_read_the_url_field_of_jsonl_records(tmp_path: Path) -> None:
    out = tmp_path / "learned.yaml"
    runner.invoke(app, ["learn", str(_corpus(tmp_path)), "-o", str(out)])
    src = tmp_path / "new.jsonl"
    page = "Follow the Gazette on Mastodon\n" + STORIES[1]
    src.write_text(json.dumps({"link": "https://www.gazette.example/z", "text": page}) + "\n"
                   + json.dumps({"link": "https://elsewhere.example/z", "text": page}) + "\n")
    result = runner.invoke(app, ["clean", "--no-content", "--rules", str(out), "--url-field",
                                 "link", str(src)])
    assert result.exit_code == 0, result.stderr
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert texts == [STORIES[1], page]


def test_learn_on_text_files_counts_each_file_as_a_document(tmp_path: Path) -> None:
    for i, story in enumerate(STORIES[:4]):
        (tmp_path / f"p{i}.txt").write_text(f"Skip the chrome, said nobody\n{story}\n")
    out = tmp_path / "site.yaml"
    files = [str(p) for p in sorted(tmp_path.glob("p*.txt"))]
    result = runner.invoke(app, ["learn", *files, "-o", str(out), "--min-docs", "4"])
    assert result.exit_code == 0, result.stderr
    pack = yaml.safe_load(out.read_text())
    assert pack["pack"] == "site"
    assert [r["examples"]["drop"] for r in pack["rules"]] == [["Skip the chrome, said nobody"]]


def test_nothing_to_learn_writes_nothing_and_exits_zero(tmp_path: Path) -> None:
    src = tmp_path / "one.txt"
    src.write_text("A single page with nothing repeated on it at all.\n")
    out = tmp_path / "learned.yaml"
    result = runner.invoke(app, ["learn", str(src), "-o", str(out)])
    assert result.exit_code == 0
    assert "no candidate rules" in result.stderr
    assert not out.exists()


def test_learn_on_a_truncated_gzip_is_one_line_error(tmp_path: Path) -> None:
    import gzip

    lines = b"".join(b'{"text": "Share this\\nline %d", "url": "https://a.example/%d"}\n'
                     % (i, i) for i in range(3000))
    packed = gzip.compress(lines)
    src = tmp_path / "cut.jsonl.gz"
    src.write_bytes(packed[: len(packed) // 2])
    result = runner.invoke(app, ["learn", str(src), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"cleaner: error: {src}: cannot decompress")
    assert not (tmp_path / "x.yaml").exists()


def test_learn_reads_parquet_through_its_adapter(tmp_path: Path) -> None:
    """Parquet was once read as if it were JSON lines; now every format's reader is its own."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in _corpus(tmp_path).read_text().splitlines()]
    table = pa.Table.from_pylist([{"url": r.get("url"), "text": r["text"]} for r in rows])
    source = tmp_path / "pages.parquet"
    pq.write_table(table, source)
    out = tmp_path / "learned.yaml"
    result = runner.invoke(app, ["learn", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    drops = {d for rule in yaml.safe_load(out.read_text())["rules"]
             for d in rule["examples"]["drop"]}
    assert "Riverton Gazette" in drops
