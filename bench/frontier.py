"""`make bench-frontier`: quality against speed for a few sizes of the content model.

For each size (first-stage rounds x leaves), a stacked model is fitted on four of the five
host-grouped folds and cleans the fifth with the full chain; F1 is scored on those held-out
pages and MB/s measured on them, one core, in this run. One fold, not five: this table is for
comparing sizes with each other; the headline figures are bench-quality's.
"""

from __future__ import annotations

import datetime
import time

from bench.common import DATASETS, replace_section, results_parser, scorer, summarise
from cleaner.chain import Cleaner
from training.text import ROUNDS, fit_text_model, folds_by_host, load_pages

SIZES = ((100, 15), (ROUNDS, 31), (600, 63))


def main() -> None:
    parser = results_parser(__doc__)
    args = parser.parse_args()
    score = scorer(args.shared)
    pages, raw = load_pages(args.shared / "bench" / "dev")
    fold_of = folds_by_host(pages, 5)
    train = [p for p, f in zip(pages, fold_of, strict=True) if f != 0]
    held = [p.id for p, f in zip(pages, fold_of, strict=True) if f == 0 and p.id in raw]
    size_mb = sum(len(raw[k]["dump"].encode()) for k in held) / 1e6
    table = ["| model (rounds x leaves) | size (MB) | F1 scrapinghub | F1 wcxb_dev | MB/s |",
             "|---|---|---|---|---|"]
    for rounds, leaves in SIZES:
        model = fit_text_model(train, rounds=rounds, params={"num_leaves": leaves})
        cleaner = Cleaner(content_model=model)
        cleaner.clean_text("warm up")
        start = time.perf_counter()
        preds = {k: cleaner.clean_text(raw[k]["dump"]) for k in held}
        mbs = size_mb / (time.perf_counter() - start)
        f1 = {}
        for dataset in DATASETS:
            pairs = [(raw[k]["gold"], preds[k]) for k in held if raw[k]["dataset"] == dataset]
            f1[dataset] = summarise(score, pairs)["F1"]
        table.append(f"| {rounds} x {leaves} | {len(model.to_bytes()) / 1e6:.2f} | "
                     f"{f1['scrapinghub']:.3f} | {f1['wcxb_dev']:.3f} | {mbs:.2f} |")
        print(table[-1], flush=True)
    text = (f"## Content model frontier ({datetime.date.today().isoformat()})\n\n"
            f"`make bench-frontier`: fold 0 of 5 (host-grouped) held out, {len(held)} pages, "
            "full chain, one core. Compare rows with each other, not with the 5-fold table.\n\n"
            + "\n".join(table) + "\n")
    replace_section(args.out, "## Content model frontier", text)


if __name__ == "__main__":
    main()
