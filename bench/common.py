"""Shared by the benchmark and training scripts: the dev sets and the shared scorer."""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATASETS = ("scrapinghub", "wcxb_dev")


def scorer(shared: Path) -> ModuleType:
    """../shared/bench/score.py, imported as a module (it is the judge; we do not copy it)."""
    path = shared / "bench" / "score.py"
    if not path.exists():
        sys.exit(f"{path} is missing: the benchmarks need ../shared beside the repository")
    spec = importlib.util.spec_from_file_location("shared_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def summarise(score: ModuleType, pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Shingle P, R, F1 (as the article-extraction-benchmark computes them), mean page F1,
    and the share of pages with F1 >= 0.9, over (gold, prediction) pairs."""
    pages = [score.shingle_page(gold, pred) for gold, pred in pairs]
    p, r, f1 = score.corpus_shingle(pages)
    page_f1 = [x["f1"] for x in pages]
    return {"P": p, "R": r, "F1": f1, "pageF1": statistics.mean(page_f1) if page_f1 else 0.0,
            "ge0.9": sum(f >= 0.9 for f in page_f1) / len(page_f1) if page_f1 else 0.0,
            "n": len(pages)}


def row(name: str, stats: dict[str, Any]) -> str:
    return (f"| {name} | {stats['P']:.3f} | {stats['R']:.3f} | {stats['F1']:.3f} | "
            f"{stats['pageF1']:.3f} | {stats['ge0.9']:.3f} | {stats['n']} |")


HEADER = ("| system | P | R | F1 | mean page F1 | pages F1>=0.9 | pages |\n"
          "|---|---|---|---|---|---|---|")


def results_parser(doc: str | None) -> argparse.ArgumentParser:
    """The options every script that writes a section of bench/RESULTS.md takes."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    return parser


def replace_section(path: Path, heading: str, text: str) -> None:
    """Rewrite one `## ` section of a Markdown file (appended when it is not there yet)."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    start = old.find(heading)
    if start == -1:
        new = old.rstrip() + "\n\n" + text
    else:
        end = old.find("\n## ", start + 1)
        rest = old[end + 1:] if end != -1 else ""
        new = old[:start] + text.rstrip("\n") + "\n" + ("\n" + rest if rest else "")
    path.write_text(new, encoding="utf-8")


def versions(*packages: str) -> str:
    """"cleaner 0.1.0, trafilatura 2.3.1, ...": the versions a table was measured with."""
    from importlib.metadata import version

    return ", ".join(f"{p} {version(p)}" for p in packages)


def today() -> str:
    import datetime

    return datetime.date.today().isoformat()
