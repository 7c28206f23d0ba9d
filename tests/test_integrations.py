"""HF datasets, Ray Data and datatrove give the same text as the CLI (real libraries, real
local Ray instance; marked `integration`: CI runs them, `-m "not integration"` skips them)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

pytestmark = pytest.mark.integration
runner = CliRunner()
PAGES = [
    "Advertisement\nThe council voted on Tuesday to keep the library open for another year.\n"
    "Share this article\nThe decision was welcomed by parents and teachers alike.\n",
    "Skip to content\nThe ferry to the island runs twice a day in winter and hourly in summer.\n"
    "Click to comment\n",
    "Leave a Reply\nCancel reply\nThe harbour master said the pier would open before June.\n",
] * 5


def _cli_texts(tmp_path: Path, *options: str) -> list[str]:
    src = tmp_path / "pages.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(PAGES)))
    result = runner.invoke(app, ["clean", str(src), "--jobs", "1", *options])
    assert result.exit_code == 0, result.stderr
    return [json.loads(line)["text"] for line in result.stdout.splitlines()]


def test_hf_datasets_map_with_two_processes_matches_the_cli(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    from cleaner.integrations.hf import clean_batch

    ds = datasets.Dataset.from_dict({"id": list(range(len(PAGES))), "text": PAGES})
    out = ds.map(clean_batch, batched=True, batch_size=4, num_proc=2,
                 fn_kwargs={"field": "text"})
    assert out["text"] == _cli_texts(tmp_path)
    assert out["id"] == list(range(len(PAGES)))
    side = ds.map(clean_batch, batched=True, fn_kwargs={"output_field": "clean",
                                                        "content": False})
    assert side["text"] == PAGES and side.column_names == ["id", "text", "clean"]


def test_hf_clean_batch_names_a_missing_field() -> None:
    from cleaner.integrations.hf import clean_batch

    with pytest.raises(KeyError, match="no field 'body'"):
        clean_batch({"text": ["x"]}, field="body")


_RAY_README = """
import json, sys, warnings
warnings.simplefilter("always")
import ray
from cleaner.integrations.ray import clean_dataset
ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
ds = ray.data.read_parquet(sys.argv[1])
clean_dataset(ds, field="text", **json.loads(sys.argv[3])).write_parquet(sys.argv[2])
ray.shutdown()
"""


@pytest.mark.parametrize("extra", [{}, {"concurrency": 2}, {"favor": "precision"}])
def test_ray_the_readme_example_on_two_cpus_finishes_and_matches_the_cli(
        tmp_path: Path, extra: dict[str, object]) -> None:
    """The README's call on a two-CPU instance (read, clean, write Parquet): a hang guard
    with a generous bound (it stalled for minutes when the actors took every CPU)."""
    pytest.importorskip("ray")
    import subprocess
    import sys

    import pyarrow as pa
    import pyarrow.parquet as pq

    expected = _cli_texts(tmp_path, *(["--favor", "precision"] if extra.get("favor") else []))
    src = tmp_path / "pages"
    src.mkdir()
    pq.write_table(pa.table({"id": list(range(len(PAGES))), "text": PAGES}),
                   src / "part.parquet")
    out = tmp_path / "clean"
    proc = subprocess.run([sys.executable, "-c", _RAY_README, str(src), str(out),
                           json.dumps(extra)], capture_output=True, text=True, timeout=420,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "``concurrency`` is deprecated" not in proc.stderr  # Ray 2.51's deprecation
    table = pa.concat_tables([pq.read_table(p) for p in sorted(out.glob("*.parquet"))])
    rows = sorted(table.to_pylist(), key=lambda r: r["id"])
    assert [r["text"] for r in rows] == expected


def test_datatrove_step_matches_the_cli_and_pickles(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerFormatter

    step = CleanerFormatter()
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(PAGES)]
    assert [d.text for d in step.run(iter(docs))] == _cli_texts(tmp_path)
    again = pickle.loads(pickle.dumps(step))
    assert again.format(PAGES[0]) == docs[0].text
    assert step.stats.stats["removed:ads.label"].total == 5


def test_datatrove_local_executor_runs_the_step(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanerFormatter

    source = tmp_path / "in"
    source.mkdir()
    (source / "pages.jsonl").write_text(
        "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(PAGES)))
    LocalPipelineExecutor(pipeline=[JsonlReader(str(source)), CleanerFormatter(content=False),
                                    JsonlWriter(str(tmp_path / "out"), compression=None)],
                          tasks=1, logging_dir=str(tmp_path / "logs")).run()
    written = [json.loads(line) for f in sorted((tmp_path / "out").iterdir())
               for line in f.read_text().splitlines()]
    assert len(written) == len(PAGES)
    assert all("Advertisement" not in row["text"] for row in written)


HTML_PAGE = (Path(__file__).parent / "cases" / "html" / "article.html").read_text(
    encoding="utf-8")


def test_every_integration_cleans_html_as_the_cli_does(tmp_path: Path) -> None:
    """HTML mode reaches the integrations: "auto" (the default) sniffs a page, as the CLI."""
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerFormatter
    from cleaner.integrations.hf import clean_batch

    src = tmp_path / "pages.jsonl"
    src.write_text(json.dumps({"id": 0, "text": HTML_PAGE}) + "\n")
    result = runner.invoke(app, ["clean", str(src), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    expected = json.loads(result.stdout)["text"]
    assert "<" not in expected and len(expected.split()) > 50
    assert clean_batch({"text": [HTML_PAGE]})["text"] == [expected]
    assert clean_batch({"text": [HTML_PAGE]}, markup="html")["text"] == [expected]
    assert clean_batch({"text": [HTML_PAGE]}, markup="text")["text"] != [expected]
    step = CleanerFormatter()
    assert [d.text for d in step.run(iter([Document(text=HTML_PAGE, id="0")]))] == [expected]
    with pytest.raises(Exception, match="markup 'xml'"):
        clean_batch({"text": ["x"]}, markup="xml")  # type: ignore[arg-type]


def test_datatrove_extractor_cleans_html_as_the_cli_and_drops_what_it_empties(
        tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerExtractor

    src = tmp_path / "pages.jsonl"
    src.write_text(json.dumps({"id": 0, "text": HTML_PAGE}) + "\n")
    result = runner.invoke(app, ["clean", str(src), "--jobs", "1", "--markup", "html",
                                 "--meta"])
    assert result.exit_code == 0, result.stderr
    expected = json.loads(result.stdout)
    step = CleanerExtractor(meta=True)
    empty = "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    docs = [Document(text=HTML_PAGE, id="0", metadata={"url": "https://example.com/a"}),
            Document(text=empty, id="1")]
    out = list(step.run(iter(docs)))
    assert [d.id for d in out] == ["0"]
    assert out[0].text == expected["text"]
    assert out[0].metadata["page_type"] == expected["page_type"]
    assert out[0].metadata["quality"] == expected["quality"]
    assert out[0].metadata["url"] == "https://example.com/a"  # kept, not overwritten
    assert step.stats.stats["dropped"].total == 1
    assert sum(v.total for k, v in step.stats.stats.items() if k.startswith("page_type:")) == 2
    again = pickle.loads(pickle.dumps(step))
    assert again.extract(HTML_PAGE) == expected["text"]


def test_datatrove_extractor_counts_a_page_over_its_timeout(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerExtractor

    step = CleanerExtractor(timeout=1e-4)
    assert list(step.run(iter([Document(text=HTML_PAGE * 20, id="0")]))) == []
    assert step.stats.stats["timeout"].total == 1


def test_datatrove_filter_drops_emptied_and_low_quality_documents() -> None:
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerFilter, CleanerFormatter

    docs = [Document(text=PAGES[0], id="0"), Document(text="Home\nNews\n", id="1"),
            Document(text="", id="2")]
    formatted = list(CleanerFormatter(meta=True).run(iter(docs)))
    assert len(formatted) == 3
    keep_all = CleanerFilter()
    assert [d.id for d in keep_all.run(iter(formatted))] == ["0", "1"]
    assert keep_all.stats.stats["dropped_emptied"].total == 1
    strict = CleanerFilter(min_quality=1.0)
    assert list(strict.run(iter(formatted))) == []
    assert strict.stats.stats["dropped_low_quality"].total == 2
    with pytest.raises(ValueError, match="min_quality"):
        CleanerFilter(min_quality=2.0)


def test_the_hf_and_ray_steps_add_the_meta_fields_as_the_cli() -> None:
    from cleaner.integrations.hf import clean_batch
    from cleaner.integrations.ray import CleanBatches

    pa = pytest.importorskip("pyarrow")
    out = clean_batch({"text": [HTML_PAGE, PAGES[0]]}, meta=True)
    step = CleanBatches("text", None, {}, meta=True)
    table = step(pa.RecordBatch.from_pydict({"text": [HTML_PAGE, PAGES[0]]}))
    for key in ("page_type", "page_type_prob", "quality", "title"):
        assert table.column(key).to_pylist() == out[key]
    assert table.schema.field("quality").type == pa.float64()
