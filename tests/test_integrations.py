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
