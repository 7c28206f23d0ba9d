"""`make bench-quality`, HTML rows: cleaner's HTML mode against trafilatura on the same pages.

Rows: trafilatura with its defaults and with comments off, cleaner HTML mode with the content
stage off (trafilatura, then the rules), and cleaner HTML mode with the HTML content model,
out of fold (5 folds grouped by site host). WCXB is also split by page type. Writes its
section of bench/RESULTS.md.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import (
    DATASETS,
    HEADER,
    replace_section,
    results_parser,
    row,
    scorer,
    summarise,
    today,
    versions,
)
from bench.quality import trafilatura_html
from cleaner.chain import Cleaner
from cleaner.options import FAVORS
from training.html import cross_validate_html, load_html_pages


def trafilatura_defaults(page_html: str) -> str:
    import trafilatura

    return trafilatura.extract(page_html) or ""


def main() -> None:
    parser = results_parser(__doc__)
    parser.add_argument("--favors", default="balanced",
                        help="Comma-separated --favor values to measure out of fold; the "
                        "tables are written for all of them (default: balanced).")
    args = parser.parse_args()
    favors = tuple(f.strip() for f in args.favors.split(",") if f.strip())
    unknown = [f for f in favors if f not in FAVORS]
    if unknown or not favors:
        parser.error(f"--favors: each one of {', '.join(FAVORS)}")
    score = scorer(args.shared)
    t0 = time.time()
    pages, raw = load_html_pages(args.shared / "bench" / "dev")
    print(f"{len(pages)} pages as HTML training data ({time.time() - t0:.0f}s)", flush=True)
    by_favor = cross_validate_html(
        pages, raw, lambda gold, pred: score.shingle_page(gold, pred)["f1"],
        log=lambda m: print(m, f"({time.time() - t0:.0f}s)", flush=True),
        favors=favors)  # type: ignore[arg-type]
    oof = by_favor[favors[0]]
    no_content = Cleaner(content=False)
    systems: dict[str, Callable[[dict[str, Any]], str]] = {
        "trafilatura (defaults)": lambda r: trafilatura_defaults(r["html"]),
        "trafilatura (comments off)": lambda r: trafilatura_html(r["html"]),
        "cleaner HTML, --no-content (trafilatura, then rules)":
            lambda r: no_content.clean_html(r["html"]).text,
    }
    outputs: dict[str, dict[str, str]] = {name: {} for name in systems}
    for key, record in raw.items():
        for name, system in systems.items():
            outputs[name][key] = system(record)
    for favor, preds in by_favor.items():
        name = "**cleaner HTML (out of fold)**" if favor == "balanced" else \
            f"cleaner HTML --favor {favor} (out of fold)"
        outputs[name] = {k: preds.get(k, "") for k in raw}
    out_dir = Path(__file__).resolve().parent / "out"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "html_outputs.json").write_text(json.dumps(outputs), encoding="utf-8")
    lines = []
    for dataset in DATASETS:
        keys = [k for k in raw if raw[k]["dataset"] == dataset]
        lines.append(f"\n### {dataset}, HTML ({len(keys)} pages)\n\n{HEADER}")
        for name, preds in outputs.items():
            pairs = [(raw[k]["gold"], preds[k]) for k in keys]
            lines.append(row(name, summarise(score, pairs)))
            print(lines[-1], flush=True)
    keys = [k for k in raw if raw[k]["dataset"] == "wcxb_dev"]
    lines.append("\nwcxb_dev by page type, F1: trafilatura (comments off) against cleaner HTML "
                 "(out of fold):\n\n| page type | pages | trafilatura | cleaner HTML | "
                 "difference |\n|---|---|---|---|---|")
    for kind in sorted({raw[k]["page_type"] or "" for k in keys}):
        sub = [k for k in keys if raw[k]["page_type"] == kind]
        base = summarise(score, [(raw[k]["gold"], outputs["trafilatura (comments off)"][k])
                                 for k in sub])["F1"]
        ours = summarise(score, [(raw[k]["gold"], oof.get(k, "")) for k in sub])["F1"]
        lines.append(f"| {kind} | {len(sub)} | {base:.3f} | {ours:.3f} | {ours - base:+.4f} |")
        print(lines[-1], flush=True)
    stamp = today()
    used = versions("cleaner", "trafilatura", "lightgbm", "lxml", "google-re2")
    text = (f"## Quality, HTML mode ({stamp})\n\n`make bench-quality` on ../shared/bench/dev, "
            f"the `html` field; Python {platform.python_version()}; {used}. cleaner HTML is "
            "out of fold: 5 folds grouped by site host (the line model and the page gate "
            "that clean a page never saw its site).\n" + "\n".join(lines) + "\n")
    replace_section(args.out, "## Quality, HTML mode", text)
    print(f"wrote {args.out} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
