"""HTML mode out of fold under other model seeds: how far a refit alone moves the figure.

`make bench-quality` fits every model with one LightGBM seed (training.text.SEED); bagging
and feature fractions draw from it, so a change that alters the training data of a few pages
moves the out-of-fold figure by as much as a change of seed would. This runs the same
cross-validation (5 folds by host, folds unchanged) with each seed given and prints corpus F1
per dataset and WCXB page type, one JSON line per seed: run it on two commits to tell a real
change from a refit's. It writes nothing to bench/RESULTS.md; NOTES.md keeps what was read.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.common import DATASETS, REPO, scorer, summarise
from training import html, text


def use_seed(seed: int) -> None:
    """LightGBM's seed for every model the cross-validation fits (line models, page gate)."""
    text.PARAMS["seed"] = seed
    html.GATE_PARAMS["seed"] = seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("seeds", nargs="+", type=int, help="LightGBM seeds to fit with")
    args = parser.parse_args()
    score = scorer(args.shared)
    t0 = time.time()
    pages, raw = html.load_html_pages(args.shared / "bench" / "dev")
    for seed in args.seeds:
        use_seed(seed)
        oof = html.cross_validate_html(
            pages, raw, lambda gold, pred: score.shingle_page(gold, pred)["f1"],
            log=lambda m: print(m, f"({time.time() - t0:.0f}s)", flush=True),
            favors=("balanced",))["balanced"]
        figures: dict[str, float | int] = {"seed": seed}
        for dataset in DATASETS:
            keys = [k for k in raw if raw[k]["dataset"] == dataset]
            figures[dataset] = summarise(score, [(raw[k]["gold"], oof.get(k, ""))
                                                 for k in keys])["F1"]
        wcxb = [k for k in raw if raw[k]["dataset"] == "wcxb_dev"]
        for kind in sorted({raw[k]["page_type"] or "" for k in wcxb}):
            sub = [k for k in wcxb if raw[k]["page_type"] == kind]
            figures[kind] = summarise(score, [(raw[k]["gold"], oof.get(k, ""))
                                              for k in sub])["F1"]
        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
