"""`make bench-quality`, Markdown rows: does the text of `--output-format markdown` score as
HTML mode's text does? The Markdown makes no cleaning decision of its own, so its text
(`markdown.plain`: marks, table rules and fences set aside) should score within noise of
the text output on every dev page.

Both outputs come from the shipped models (not out of fold: the question is whether the two
agree, not how well either does on unseen sites). Writes its section of bench/RESULTS.md.
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import time
from pathlib import Path
from typing import Any

from bench.common import DATASETS, HEADER, replace_section, results_parser, row, scorer, today

_CLEANERS: Any = None


def _init() -> None:
    global _CLEANERS
    from cleaner.chain import Cleaner

    _CLEANERS = (Cleaner(), Cleaner(output_format="markdown"))


def _clean(task: tuple[str, str]) -> tuple[str, str, str, bool]:
    from cleaner.markdown import plain

    key, html = task
    text_cleaner, markdown_cleaner = _CLEANERS
    text = text_cleaner.clean_html(html).text
    result = markdown_cleaner.clean_html(html)
    return key, text, plain(result.text), "extraction" in result.flags


def _pages(shared: Path) -> dict[str, dict[str, Any]]:
    pages: dict[str, dict[str, Any]] = {}
    for dataset in DATASETS:
        with gzip.open(shared / "bench" / "dev" / f"{dataset}.jsonl.gz", "rt",
                       encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                pages[f"{dataset}/{record['id']}"] = {"dataset": dataset, "html": record["html"],
                                                      "gold": record.get("gold") or ""}
    return pages


def main() -> None:
    parser = results_parser(__doc__)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    score = scorer(args.shared)
    t0 = time.time()
    pages = _pages(args.shared)
    with multiprocessing.get_context("spawn").Pool(args.jobs, initializer=_init) as pool:
        outputs = {key: (text, md, gated) for key, text, md, gated in pool.imap_unordered(
            _clean, [(k, p["html"]) for k, p in pages.items()], chunksize=8)}
    from bench.common import summarise

    lines = []
    for dataset in DATASETS:
        keys = [k for k in pages if pages[k]["dataset"] == dataset]
        text_pairs = [(pages[k]["gold"], outputs[k][0]) for k in keys]
        md_pairs = [(pages[k]["gold"], outputs[k][1]) for k in keys]
        differ = [k for k in keys
                  if score.shingle_page(outputs[k][0], outputs[k][1])["f1"] < 0.99]
        gated = sum(outputs[k][2] for k in keys)
        lines.append(f"\n### {dataset} ({len(keys)} pages; {gated} from trafilatura's text, "
                     f"the gate's choice)\n\n{HEADER}")
        lines.append(row("cleaner HTML, text output", summarise(score, text_pairs)))
        lines.append(row("cleaner HTML, text of the Markdown output", summarise(score, md_pairs)))
        lines.append(f"\nPages whose Markdown text and text output differ (shingle F1 between "
                     f"them below 0.99): {len(differ)} of {len(keys)}"
                     + (f" ({', '.join(differ[:5])}{', ...' if len(differ) > 5 else ''})"
                        if differ else "") + ".")
        print("\n".join(lines[-4:]), flush=True)
    text = (f"## Markdown output ({today()})\n\n`make bench-quality`: every dev page in HTML "
            "mode, written as text and as Markdown (`--output-format markdown`) with the "
            "shipped models; the Markdown's text (marks, table rules and fences set aside) "
            "scored beside the text output against the gold text. In-sample models: the rows "
            "compare the two outputs, not cleaner with its peers.\n" + "\n".join(lines) + "\n")
    replace_section(args.out, "## Markdown output", text)
    print(f"wrote {args.out} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
