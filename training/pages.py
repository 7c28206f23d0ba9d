"""Fitting the page models (page type, quality estimate) and measuring them out of fold.

Both models learn from the content chain's out-of-fold results on the dev pages: each page
cleaned by content models that never saw its site (training/text.py, training/html.py),
so that the quality model learns how sure the chain's scores are on a site it does not
know, which is what a new page will be. Folds are by site host throughout: a page's type
probabilities, as the quality model's training rows hold them, come from a page-type model
fitted on the other folds (the content model's folds), and its lexicon columns from a type
lexicon fitted on the other folds too.

Labels: WCXB's `page_type`; the scrapinghub set's news pages are articles. The quality
target is each page's measured 4-gram F1 (the benchmark's scorer) against its gold text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cleaner.content.forest import Forest
from cleaner.document import Result
from cleaner.pagetype import (
    PageModel,
    TypeLexicon,
    page_words,
    quality_row,
    type_row,
)
from cleaner.profile import PAGE_TYPES, PageProfile, ProfileMode
from training.text import SEED

TYPE_PARAMS: dict[str, Any] = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 10,
    "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
    "seed": SEED, "deterministic": True, "force_row_wise": True, "num_threads": 2,
    "verbosity": -1,
}
TYPE_ROUNDS = 200
QUALITY_PARAMS: dict[str, Any] = {**TYPE_PARAMS, "objective": "cross_entropy",
                                  "num_leaves": 7, "min_data_in_leaf": 20}
QUALITY_ROUNDS = 200
FOLDS = 5
INNER_FOLDS = 4


@dataclass
class PageCase:
    """One dev page as the page models see it: its label, site, fold, the chain's
    out-of-fold result (whose profile holds the evidence) and its measured F1."""

    id: str
    host: str
    kind: int  # index into PAGE_TYPES
    fold: int
    profile: PageProfile
    f1: float
    words: set[str]


def page_kind(record: dict[str, Any]) -> int:
    """The page's type label: WCXB's, or "article" for a set without one (news pages)."""
    return PAGE_TYPES.index(record.get("page_type") or "article")


def cases(results: dict[str, Result], fold_of: dict[str, int], raw: dict[str, dict[str, Any]],
          hosts: dict[str, str], page_f1: Callable[[str, str], float]) -> list[PageCase]:
    """The pages with a profile, in a fixed order; a page with no fold (no training page)
    takes its site's fold, or one chosen by its host's hash."""
    by_host = {hosts[k]: f for k, f in fold_of.items() if f >= 0}
    out: list[PageCase] = []
    for key in sorted(results):
        result = results[key]
        if result.profile is None:
            continue
        host = hosts[key]
        fold = fold_of.get(key, -1)
        if fold < 0:
            fold = by_host.get(host, int(hashlib.sha256(host.encode()).hexdigest(), 16) % FOLDS)
        out.append(PageCase(key, host, page_kind(raw[key]), fold, result.profile,
                            page_f1(raw[key]["gold"], result.text),
                            page_words(result.profile.lines)))
    return out


def _lexicon_columns(train: Sequence[PageCase], rows_for: Sequence[PageCase]) -> np.ndarray:
    lexicon = TypeLexicon.fit((c.host, c.words, c.kind) for c in train)
    return np.vstack([lexicon.columns(c.words) for c in rows_for])


def _type_rows(mode: ProfileMode, group: Sequence[PageCase], lexicon: np.ndarray) -> np.ndarray:
    return np.vstack([type_row(mode, c.profile, lexicon[i]) for i, c in enumerate(group)])


def _training_rows(mode: ProfileMode, train: Sequence[PageCase]) -> np.ndarray:
    """Rows for fitting: each page's lexicon columns from a lexicon fitted on the inner
    folds without its site (one that had counted the page would flatter it)."""
    inner = [_inner_fold(c.host) for c in train]
    lexicon = np.zeros((len(train), len(PAGE_TYPES)), dtype=np.float32)
    for fold in range(INNER_FOLDS):
        inside = [c for c, f in zip(train, inner, strict=True) if f != fold]
        held = [i for i, f in enumerate(inner) if f == fold]
        if held:
            lexicon[held] = _lexicon_columns(inside, [train[i] for i in held])
    return _type_rows(mode, train, lexicon)


def _inner_fold(host: str) -> int:
    return int(hashlib.sha256(f"{SEED}:{host}".encode()).hexdigest(), 16) % INNER_FOLDS


def _weights(group: Sequence[PageCase]) -> np.ndarray:
    """Each site weighs as the square root of its pages: a big site counts, not alone."""
    sizes: dict[str, int] = {}
    for c in group:
        sizes[c.host] = sizes.get(c.host, 0) + 1
    return np.array([1.0 / np.sqrt(sizes[c.host]) for c in group])


def fit_types(mode: ProfileMode, train: Sequence[PageCase]) -> tuple[TypeLexicon, list[Forest]]:
    import lightgbm

    from training.text import to_forest

    rows = _training_rows(mode, train)
    labels = np.array([c.kind for c in train])
    weights = _weights(train)
    forests = []
    for k in range(len(PAGE_TYPES)):
        data = lightgbm.Dataset(rows, label=(labels == k).astype(float), weight=weights)
        forests.append(to_forest(lightgbm.train(TYPE_PARAMS, data,
                                                num_boost_round=TYPE_ROUNDS)))
    lexicon = TypeLexicon.fit((c.host, c.words, c.kind) for c in train)
    return lexicon, forests


def out_of_fold_types(mode: ProfileMode, group: Sequence[PageCase]) -> np.ndarray:
    """Each page's type probabilities from a model fitted on the other folds."""
    probs = np.zeros((len(group), len(PAGE_TYPES)))
    for fold in range(FOLDS):
        train = [c for c in group if c.fold != fold]
        held = [i for i, c in enumerate(group) if c.fold == fold]
        if not held:
            continue
        lexicon, forests = fit_types(mode, train)
        model = PageModel(mode, lexicon, forests, None)
        rows = np.vstack([model.type_row(group[i].profile) for i in held])
        probs[held] = model.probs(rows)
    return probs


def quality_rows(mode: ProfileMode, group: Sequence[PageCase], probs: np.ndarray) -> np.ndarray:
    return np.vstack([quality_row(mode, c.profile, probs[i]) for i, c in enumerate(group)])


def fit_quality(rows: np.ndarray, f1: np.ndarray) -> Forest:
    import lightgbm

    from training.text import to_forest

    data = lightgbm.Dataset(rows, label=np.clip(f1, 0.0, 1.0))
    return to_forest(lightgbm.train(QUALITY_PARAMS, data, num_boost_round=QUALITY_ROUNDS))


def out_of_fold_quality(group: Sequence[PageCase], rows: np.ndarray) -> np.ndarray:
    """Each page's estimate from a quality model fitted on the other folds' rows."""
    f1 = np.array([c.f1 for c in group])
    folds = np.array([c.fold for c in group])
    out = np.zeros(len(group))
    for fold in range(FOLDS):
        held = folds == fold
        if held.any():
            out[held] = fit_quality(rows[~held], f1[~held]).predict(rows[held])
    return out


@dataclass
class Measured:
    """A mode's out-of-fold figures, and the model fitted on every page."""

    mode: ProfileMode
    cases: list[PageCase]
    type_probs: np.ndarray  # out of fold
    quality: np.ndarray  # out of fold
    model: PageModel


def fit_and_measure(mode: ProfileMode, group: list[PageCase], log: Any = None) -> Measured:
    """Out-of-fold page types and quality estimates, and the shipped model: page types
    fitted on every page; the quality model on every page's out-of-fold row."""
    probs = out_of_fold_types(mode, group)
    if log:
        log(f"{mode}: page types out of fold, accuracy "
            f"{float((probs.argmax(axis=1) == [c.kind for c in group]).mean()):.3f}")
    rows = quality_rows(mode, group, probs)
    quality = out_of_fold_quality(group, rows)
    lexicon, forests = fit_types(mode, group)
    model = PageModel(mode, lexicon, forests,
                      fit_quality(rows, np.array([c.f1 for c in group])))
    return Measured(mode, group, probs, quality, model)


def type_table(measured: Measured) -> list[str]:
    """Markdown: accuracy, per-type recall and precision, and the confusion table."""
    truth = np.array([c.kind for c in measured.cases])
    guess = measured.type_probs.argmax(axis=1)
    n = len(PAGE_TYPES)
    confusion = np.zeros((n, n), dtype=int)
    for t, g in zip(truth, guess, strict=True):
        confusion[t, g] += 1
    lines = [f"{measured.mode} mode: {len(truth)} pages, accuracy "
             f"{float((truth == guess).mean()):.3f} (majority class "
             f"{float(np.bincount(truth, minlength=n).max() / len(truth)):.3f})", "",
             "| true \\ predicted | " + " | ".join(PAGE_TYPES) + " | recall |",
             "|---|" + "---:|" * (n + 1)]
    for k, name in enumerate(PAGE_TYPES):
        total = confusion[k].sum()
        recall = confusion[k, k] / total if total else 0.0
        lines.append(f"| {name} | " + " | ".join(str(v) for v in confusion[k])
                     + f" | {recall:.2f} |")
    precision = [confusion[k, k] / confusion[:, k].sum() if confusion[:, k].sum() else 0.0
                 for k in range(n)]
    lines.append("| precision | " + " | ".join(f"{p:.2f}" for p in precision) + " | |")
    return lines


def calibration_table(measured: Measured) -> list[str]:
    """Markdown: predicted against measured F1 by decile of the prediction, and how often a
    page predicted below 0.8 really is below 0.8."""
    f1 = np.array([c.f1 for c in measured.cases])
    pred = measured.quality
    order = np.argsort(pred, kind="stable")
    lines = [f"{measured.mode} mode: {len(f1)} pages; mean absolute error "
             f"{float(np.abs(pred - f1).mean()):.3f}, correlation "
             f"{float(np.corrcoef(pred, f1)[0, 1]):.3f}", "",
             "| decile | pages | predicted F1 (mean) | measured F1 (mean) |",
             "|---:|---:|---:|---:|"]
    for d, part in enumerate(np.array_split(order, 10), 1):
        lines.append(f"| {d} | {len(part)} | {pred[part].mean():.3f} | {f1[part].mean():.3f} |")
    low = pred < 0.8
    really = float((f1[low] < 0.8).mean()) if low.any() else 0.0
    caught = float((pred[f1 < 0.8] < 0.8).mean()) if (f1 < 0.8).any() else 0.0
    lines += ["", f"Predicted below 0.8: {int(low.sum())} pages, of which {really:.1%} "
                  f"measure below 0.8; of the {int((f1 < 0.8).sum())} pages that measure "
                  f"below 0.8, {caught:.1%} are predicted below 0.8."]
    return lines


TYPES_HEADING = "## Page types (out of fold)"
CALIBRATION_HEADING = "## Quality estimate: calibration (out of fold)"


def main() -> None:
    """`make train`'s last step (and `make bench-quality`'s, with --no-model): the content
    chain out of fold in both modes, then the page models fitted and measured on its
    results; the tables go to bench/RESULTS.md."""
    import argparse
    import time
    from pathlib import Path

    from bench.common import REPO, replace_section, scorer, versions
    from cleaner.pagetype import PAGE_MODEL_PATH, PageModels
    from training.html import cross_validate_html_results, load_html_pages
    from training.text import cross_validate_results, load_pages

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=PAGE_MODEL_PATH)
    parser.add_argument("--no-model", action="store_true", help="Measure only.")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    t0 = time.time()

    def log(message: str) -> None:
        print(f"{message} ({time.time() - t0:.0f}s)", flush=True)

    score = scorer(args.shared)

    def page_f1(gold: str, pred: str) -> float:
        return float(score.shingle_page(gold, pred)["f1"])

    dev = args.shared / "bench" / "dev"
    measured: dict[ProfileMode, Measured] = {}
    pages, raw = load_pages(dev)
    log(f"text: {len(pages)} training pages")
    results, fold_of = cross_validate_results(pages, raw, log=log)
    hosts = {k: v["host"] for k, v in raw.items()}
    measured["text"] = fit_and_measure(
        "text", cases(results, fold_of, raw, hosts, page_f1), log)
    del pages, results
    html_pages, html_raw = load_html_pages(dev)
    log(f"html: {len(html_pages)} training pages")
    by_favor, html_folds = cross_validate_html_results(html_pages, html_raw, page_f1, log=log)
    hosts = {k: v["host"] for k, v in html_raw.items()}
    measured["html"] = fit_and_measure(
        "html", cases(by_favor["balanced"], html_folds, html_raw, hosts, page_f1), log)
    if not args.no_model:
        models = PageModels(measured["text"].model, measured["html"].model)
        args.out.write_bytes(models.to_bytes())
        log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    source = ("Out of fold, 5 folds by site host, on ../shared/bench/dev (WCXB dev split, "
              "CC-BY-4.0; the article-extraction-benchmark's news pages, MIT, as articles); "
              f"{versions('lightgbm')}. From `python -m training.pages`.")
    types = [TYPES_HEADING, "", source, ""]
    calibration = [CALIBRATION_HEADING, "", source, "The estimate is of each page's "
                   "4-gram F1 against its gold text, from a model that saw neither the page's "
                   "site nor its measured F1.", ""]
    for mode in ("text", "html"):
        types += [*type_table(measured[mode]), ""]
        calibration += [*calibration_table(measured[mode]), ""]
    replace_section(args.results, TYPES_HEADING, "\n".join(types))
    replace_section(args.results, CALIBRATION_HEADING, "\n".join(calibration))
    print("\n".join(types + calibration))


if __name__ == "__main__":
    main()
