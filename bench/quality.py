"""`make bench-quality`: text-mode quality on ../shared/bench/dev, peers in the same run.

Rows: the dump unchanged, jusText on the dump's lines, trafilatura on the HTML (comments
off), cleaner rules only, and cleaner full scored out of fold (5 folds grouped by site host:
the model that cleans a page never saw its site). Writes the table to bench/RESULTS.md.
"""

from __future__ import annotations

import html
import platform
import time

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
from cleaner.chain import Cleaner
from training.text import cross_validate, load_pages, records


def justext_lines(dump: str) -> str:
    """jusText's classifier over the dump's lines (each line a paragraph), English stoplist
    unless the page's language is detected otherwise by jusText's own stoplists."""
    import justext

    body = "".join(f"<p>{html.escape(x)}</p>" for x in dump.splitlines() if x.strip())
    if not body:
        return ""
    doc = f"<html><body>{body}</body></html>".encode()
    paragraphs = justext.justext(doc, justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def trafilatura_html(page_html: str) -> str:
    import trafilatura

    return trafilatura.extract(page_html, include_comments=False) or ""


def main() -> None:
    parser = results_parser(__doc__)
    parser.add_argument("--by-type", action="store_true", help="Also split WCXB by page type.")
    args = parser.parse_args()
    score = scorer(args.shared)
    dev = args.shared / "bench" / "dev"
    t0 = time.time()
    pages, raw = load_pages(dev)
    oof = cross_validate(pages, raw, log=lambda m: print(m, f"({time.time() - t0:.0f}s)",
                                                          flush=True))
    rules_only = Cleaner(content=False)
    systems = {
        "the dump unchanged": lambda r: r["dump"],
        "jusText on the dump lines": lambda r: justext_lines(r["dump"]),
        "trafilatura on the HTML (comments off)": lambda r: trafilatura_html(r["html"]),
        "cleaner, rules only": lambda r: rules_only.clean_text(r["dump"]),
    }
    lines = []
    for dataset in DATASETS:
        recs = list(records(dev / f"{dataset}.jsonl.gz"))
        lines.append(f"\n### {dataset} ({len(recs)} pages)\n\n{HEADER}")
        for name, system in systems.items():
            pairs = [(r.get("gold") or "", system(r)) for r in recs]
            lines.append(row(name, summarise(score, pairs)))
            print(lines[-1], flush=True)
        pairs = [(r.get("gold") or "", oof.get(f"{dataset}/{r['id']}", r["dump"])) for r in recs]
        lines.append(row("**cleaner, full (out of fold)**", summarise(score, pairs)))
        print(lines[-1], flush=True)
        if args.by_type and dataset == "wcxb_dev":
            lines.append("\ncleaner full, out of fold, by page type:\n\n"
                         + HEADER.replace("| system |", "| page type |", 1))
            for kind in sorted({r.get("page_type") or "" for r in recs}):
                sub = [(r.get("gold") or "", oof.get(f"{dataset}/{r['id']}", r["dump"]))
                       for r in recs if r.get("page_type") == kind]
                lines.append(row(kind, summarise(score, sub)))
    stamp = today()
    used = versions("cleaner", "trafilatura", "jusText", "lightgbm", "google-re2")
    text = (f"## Quality, text mode ({stamp})\n\n`make bench-quality` on ../shared/bench/dev; "
            f"Python {platform.python_version()}; {used}. Shingle P/R/F1 as the "
            "article-extraction-benchmark computes them (corpus P over non-empty "
            "predictions). cleaner full is out of fold: 5 folds grouped by site host.\n"
            + "\n".join(lines) + "\n")
    replace_section(args.out, "## Quality, text mode", text)
    print(f"wrote {args.out} ({time.time() - t0:.0f}s)")



if __name__ == "__main__":
    main()
