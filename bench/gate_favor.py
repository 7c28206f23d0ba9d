"""The HTML page gate under --favor precision and recall, out of fold: the gate reading rows
made at the favor's threshold (as it was once served) against rows made at the balanced
threshold it is fitted with (as it is served now).

One fit serves both: the fold models and gates are those of `make bench-quality` (5 folds by
site host); each dev page is parsed once and its dump cleaned four ways (two favors, two
ways of making the gate's row). Writes its section of bench/RESULTS.md.
"""

from __future__ import annotations

import multiprocessing
import time
from functools import partial
from typing import Any

import cleaner.stages.content as content_stage
from bench.common import (
    DATASETS,
    HEADER,
    replace_section,
    results_parser,
    row,
    scorer,
    summarise,
    today,
)
from cleaner.chain import Cleaner
from cleaner.content.gate import gate_row
from cleaner.content.model import ContentModel
from cleaner.html import extract, prepare
from cleaner.htmldom import dom_dump
from cleaner.options import FAVORS
from training.html import fit_gate, load_html_pages, out_of_fold

FAVORS_MEASURED = ("precision", "recall")
WAYS = ("favor's threshold (before)", "balanced threshold (now)")
_STATE: dict[str, Any] = {}


def _clean(key: str) -> dict[tuple[str, str], str]:
    models: list[ContentModel] = _STATE["models"]
    fold = _STATE["fold_of"].get(key, 0)
    html = _STATE["raw"][key]["html"]
    page = prepare(html)
    found = extract(page.html)
    dump = dom_dump(page.html, found.text, page.root)
    out: dict[tuple[str, str], str] = {}
    for favor in FAVORS_MEASURED:
        cleaner = _cleaner(models[fold], fold, favor)
        for way in WAYS:
            if way == WAYS[0]:  # the row made at the favor's own threshold
                content_stage.gate_row = partial(  # type: ignore[assignment]
                    _at, threshold=FAVORS[favor].threshold)
            try:
                out[(favor, way)] = cleaner.clean_dump(dump, found, key, page.flags).text
            finally:
                content_stage.gate_row = gate_row  # type: ignore[assignment]
    return out


def _at(words: Any, scores: Any, extract: Any, extraction: str, threshold: float) -> Any:
    return gate_row(words, scores, extract, extraction, threshold)


def _cleaner(model: ContentModel, fold: int, favor: str) -> Cleaner:
    cache = _STATE.setdefault("cleaners", {})
    key = (fold, favor)
    if key not in cache:
        cache[key] = Cleaner(html_model=model, favor=favor)
    return cache[key]  # type: ignore[no-any-return]


def main() -> None:
    parser = results_parser(__doc__)
    args = parser.parse_args()
    score = scorer(args.shared)
    t0 = time.time()
    pages, raw = load_html_pages(args.shared / "bench" / "dev")
    print(f"{len(pages)} pages ({time.time() - t0:.0f}s)", flush=True)

    def page_f1(gold: str, pred: str) -> float:
        return float(score.shingle_page(gold, pred)["f1"])

    scores, fold_of, models = out_of_fold(
        pages, 5, lambda m: print(m, f"({time.time() - t0:.0f}s)", flush=True))
    for fold, model in enumerate(models):
        train = [i for i, f in enumerate(fold_of) if f != fold]
        model.gate = fit_gate([pages[i] for i in train], [scores[i] for i in train], page_f1)
    _STATE.update(models=models, raw=raw,
                  fold_of={p.data.id: f for p, f in zip(pages, fold_of, strict=True)})
    keys = sorted(raw)
    outputs: dict[tuple[str, str], dict[str, str]] = {}
    with multiprocessing.get_context("fork").Pool(2) as pool:
        for key, cleaned in zip(keys, pool.imap(_clean, keys, chunksize=4), strict=True):
            for variant, text in cleaned.items():
                outputs.setdefault(variant, {})[key] = text
    print(f"cleaned ({time.time() - t0:.0f}s)", flush=True)
    lines = []
    for dataset in DATASETS:
        subset = [k for k in keys if raw[k]["dataset"] == dataset]
        lines.append(f"\n### {dataset}, HTML ({len(subset)} pages)\n\n{HEADER}")
        for (favor, way), preds in outputs.items():
            stats = summarise(score, [(raw[k]["gold"], preds[k]) for k in subset])
            lines.append(row(f"--favor {favor}, gate row at the {way}", stats))
            print(lines[-1], flush=True)
        for favor in FAVORS_MEASURED:
            moved = sum(outputs[(favor, WAYS[0])][k] != outputs[(favor, WAYS[1])][k]
                        for k in subset)
            lines.append(f"\n--favor {favor}: {moved} of {len(subset)} pages changed.")
    text = (f"## HTML page gate under --favor ({today()})\n\n`python -m bench.gate_favor` on "
            "../shared/bench/dev, out of fold (5 folds by site host): the gate reading rows "
            "made at the favor's threshold against rows made at the balanced threshold it "
            "was fitted with.\n" + "\n".join(lines) + "\n")
    replace_section(args.out, "## HTML page gate under --favor", text)
    print(f"wrote {args.out} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
