"""`make train`: fit the content model on ../shared/bench/dev and write the shipped model file.

Deterministic: seeded LightGBM in deterministic mode, inputs read in a fixed order. The honest
figures come from `make bench-quality`, which cross-validates the same fitting by site host;
`--cv` prints them here too.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.common import DATASETS, HEADER, REPO, row, scorer, summarise
from cleaner.content.model import HTML_MODEL_PATH, MODEL_PATH
from training.html import fit_html_with_gate, load_html_pages
from training.text import cross_validate, fit_text_model, load_pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--cv", action="store_true", help="Also print out-of-fold figures.")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--html-out", type=Path, default=HTML_MODEL_PATH)
    parser.add_argument("--only", choices=("text", "html"), help="Fit only one model.")
    args = parser.parse_args()
    t0 = time.time()
    if args.only != "text":
        html_pages, _ = load_html_pages(args.shared / "bench" / "dev")
        score = scorer(args.shared)
        html_model = fit_html_with_gate(
            html_pages, lambda gold, pred: score.shingle_page(gold, pred)["f1"], log=print)
        args.html_out.write_bytes(html_model.to_bytes())
        print(f"wrote {args.html_out} ({args.html_out.stat().st_size / 1e6:.2f} MB, "
              f"{time.time() - t0:.0f}s)", flush=True)
    if args.only == "html":
        return
    pages, raw = load_pages(args.shared / "bench" / "dev")
    print(f"{len(pages)} training pages (dumps and their clean versions), "
          f"{sum(len(p.labels) for p in pages)} lines ({time.time() - t0:.0f}s)", flush=True)
    if args.cv:
        score = scorer(args.shared)
        preds = cross_validate(pages, raw, log=print)
        print(HEADER)
        for dataset in DATASETS:
            pairs = [(raw[k]["gold"], preds.get(k, "")) for k in raw
                     if raw[k]["dataset"] == dataset]
            print(row(f"cleaner full, out of fold ({dataset})", summarise(score, pairs)))
    model = fit_text_model(pages)
    args.out.write_bytes(model.to_bytes())
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, {time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
