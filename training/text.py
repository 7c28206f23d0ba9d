"""Fitting the content model from the development benchmark (`make train`).

Labels come from the gold text: a dump line is content when most of its words sit in runs of
four words that the gold also holds (runs may cross line ends, see `label_lines`). Each page's
lines are weighted by their share of the page's words, so that every page counts the same
and a long paragraph counts more than a menu item. Folds are grouped by site host: a site's
pages are never on both sides of a split. Everything is seeded; LightGBM runs deterministic.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from cleaner.chain import Cleaner
from cleaner.content.forest import Forest
from cleaner.content.lexicon import Lexicon
from cleaner.content.model import TEXT_FEATURE_NAMES, ContentModel
from cleaner.content.rows import RowBuilder
from cleaner.content.sequence import kept_sequence
from cleaner.content.stacking import stack_features
from cleaner.document import Document, Result
from cleaner.page import DocumentState, Page

TOKEN = re.compile(r"\w+")
# Training builds its rows as serving does (one builder); the lexicon step is the same for
# both layouts.
TEXT_ROWS = RowBuilder("text")
SEED = 20261121
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": SEED,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
    "verbosity": -1,
}
ROUNDS = 300
CLEAN_WEIGHT = 0.15
CLEAN_SUFFIX = "#clean"
LEXICON_FOLDS = 5
# Word pairs beside words in both models' lexicons: measured out of fold in both modes
# (NOTES.md, "The learned lexicon" and "Word pairs in the HTML lexicon").
LEXICON_PAIRS = True


@dataclass
class PageData:
    id: str
    host: str
    dataset: str
    features: np.ndarray
    labels: np.ndarray
    weights: np.ndarray
    block_of: list[int]
    lines: list[str] = field(default_factory=list)


def host_of(url: str) -> str:
    host = (urlparse(url or "").hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def records(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def label_lines(lines: list[str], gold: str) -> np.ndarray:
    """1 for a line most of whose words the gold text covers, 0 otherwise.

    A word is covered when some run of four consecutive words of the page that holds it is
    also a run of the gold. The runs cross line ends, as the scorer's shingles do: a price or
    a label that a dump splits over two lines ("Size:" / "XS, S, M") is content when the gold
    holds the two together, which a test of each line on its own would miss. Measured against
    that per-line test out of fold (NOTES.md, "Labels, decoding").
    """
    gold_tokens = TOKEN.findall(gold)
    shingles = {tuple(gold_tokens[i:i + 4]) for i in range(len(gold_tokens) - 3)}
    tokens: list[str] = []
    owner: list[int] = []
    for i, line in enumerate(lines):
        found = TOKEN.findall(line)
        tokens.extend(found)
        owner.extend([i] * len(found))
    covered = np.zeros(len(tokens), dtype=bool)
    for k in range(len(tokens) - 3):
        if tuple(tokens[k:k + 4]) in shingles:
            covered[k:k + 4] = True
    words = np.bincount(owner, minlength=len(lines)) if owner else np.zeros(len(lines))
    hits = np.bincount(owner, weights=covered, minlength=len(lines)) if owner \
        else np.zeros(len(lines))
    out = np.zeros(len(lines), dtype=np.float32)
    has_words = words > 0
    out[has_words] = hits[has_words] / words[has_words] >= 0.5
    return out


def label_lines_each(lines: list[str], gold: str) -> np.ndarray:
    """1 for a line most of whose own 4-grams the gold holds (a line of one to three words:
    when it is a whole gold line), each line judged alone.

    The HTML model keeps these labels: its page gate and the margins over trafilatura were
    fitted and measured with them, and refitted on coverage labels it fell behind on news
    pages and on forums (NOTES.md, "The forum gap was empty output").
    """
    gold_tokens = TOKEN.findall(gold)
    shingles = {tuple(gold_tokens[i:i + 4]) for i in range(len(gold_tokens) - 3)}
    gold_lines = {tuple(TOKEN.findall(x)) for x in gold.splitlines() if x.strip()}
    trigrams = {tuple(gold_tokens[i:i + 3]) for i in range(len(gold_tokens) - 2)}
    out = np.zeros(len(lines), dtype=np.float32)
    for i, line in enumerate(lines):
        toks = TOKEN.findall(line)
        if len(toks) >= 4:
            grams = [tuple(toks[k:k + 4]) for k in range(len(toks) - 3)]
            out[i] = sum(g in shingles for g in grams) / len(grams) >= 0.5
        elif toks:
            out[i] = tuple(toks) in gold_lines or (len(toks) == 3 and tuple(toks) in trigrams)
    return out


def rules_only() -> Cleaner:
    return Cleaner(content=False, dedup=False)


def page_data(record: dict[str, Any], dataset: str, cleaner: Cleaner) -> PageData | None:
    text = cleaner.clean_text(record["dump"])
    page = Page.whole(DocumentState(Document(text)))
    seq = kept_sequence(page)
    if not seq.lines or not record.get("gold"):
        return None
    features = TEXT_ROWS.partial_rows(seq)
    labels = label_lines(seq.lines, record["gold"])
    words = np.array([max(len(TOKEN.findall(x)), 1) for x in seq.lines], dtype=np.float32)
    return PageData(str(record["id"]), host_of(record.get("url", "")), dataset, features,
                    labels, words / words.sum(), seq.block_of, seq.lines)


def clean_version(data: PageData, text: str, cleaner: Cleaner) -> PageData | None:
    """The same page as a perfect cleaner would leave it: only its content lines.

    Trained on both, the model learns that clean text is content, so that cleaning its own
    output changes nothing (the chain's fixed point) and clean renders pass through whole.
    """
    page = Page.whole(DocumentState(Document(cleaner.clean_text(text))))
    seq = kept_sequence(page)
    parts: list[str] = []
    for line, before, label in zip(seq.lines, seq.blank_before, data.labels, strict=True):
        if label:
            if before and parts:
                parts.append("")
            parts.append(line)
    if not parts:
        return None
    clean = Page.whole(DocumentState(Document("\n".join(parts))))
    cseq = kept_sequence(clean)
    features = TEXT_ROWS.partial_rows(cseq)
    words = np.array([max(len(TOKEN.findall(x)), 1) for x in cseq.lines], dtype=np.float32)
    return PageData(data.id + CLEAN_SUFFIX, data.host, data.dataset, features,
                    np.ones(len(cseq.lines), dtype=np.float32),
                    CLEAN_WEIGHT * words / words.sum(), cseq.block_of, cseq.lines)


def load_pages(dev: Path) -> tuple[list[PageData], dict[str, dict[str, Any]]]:
    cleaner = rules_only()
    pages: list[PageData] = []
    raw: dict[str, dict[str, Any]] = {}
    for path in sorted(dev.glob("*.jsonl.gz")):
        dataset = path.name.split(".")[0]
        for record in records(path):
            key = f"{dataset}/{record['id']}"
            raw[key] = {"dump": record["dump"], "gold": record.get("gold") or "",
                        "dataset": dataset, "page_type": record.get("page_type"),
                        "host": host_of(record.get("url", ""))}
            data = page_data(record, dataset, cleaner)
            if data is not None:
                data.id = key
                pages.append(data)
                clean = clean_version(data, record["dump"], cleaner)
                if clean is not None:
                    pages.append(clean)
    return pages, raw


def fit(pages: list[PageData], rounds: int = ROUNDS,
        params: dict[str, Any] | None = None) -> ContentModel:
    import lightgbm

    x = np.vstack([p.features for p in pages])
    y = np.concatenate([p.labels for p in pages])
    w = np.concatenate([p.weights for p in pages])
    data = lightgbm.Dataset(x, label=y, weight=w, free_raw_data=True)
    booster = lightgbm.train({**PARAMS, **(params or {})}, data, num_boost_round=rounds)
    return ContentModel(to_forest(booster))


def to_forest(booster: Any) -> Forest:
    """A fitted LightGBM booster as the runtime scores it: through its model text, so that
    training's out-of-fold scores come from the very evaluator that serves the model."""
    return Forest.from_text(booster.model_to_string())


STAGE2_PARAMS: dict[str, Any] = {"num_leaves": 15, "min_data_in_leaf": 80}
STAGE2_ROUNDS = 150
INNER_FOLDS = 4


def fit_stacked(pages: list[PageData], rounds: int = ROUNDS,
                params: dict[str, Any] | None = None) -> ContentModel:
    """Both stages: the second is trained on first-stage scores that are out of fold within
    the training pages (inner folds by host), as the first stage will be on new pages."""
    import lightgbm

    fold_of = folds_by_host(pages, INNER_FOLDS)
    rows, labels, weights = [], [], []
    for fold in range(INNER_FOLDS):
        inner = fit([p for p, f in zip(pages, fold_of, strict=True) if f != fold], rounds,
                    params)
        for p, f in zip(pages, fold_of, strict=True):
            if f == fold:
                scores = inner.first_scores(p.features)
                rows.append(stack_features(scores, p.features, p.block_of))
                labels.append(p.labels)
                weights.append(p.weights)
    data = lightgbm.Dataset(np.vstack(rows), label=np.concatenate(labels),
                            weight=np.concatenate(weights))
    stage2 = lightgbm.train({**PARAMS, **STAGE2_PARAMS}, data, num_boost_round=STAGE2_ROUNDS)
    model = fit(pages, rounds, params)
    model.stage2 = to_forest(stage2)
    return model


def fit_lexicon(pages: Iterable[PageData]) -> Lexicon:
    """From the dev pages as dumped (their clean versions would count content twice)."""
    return Lexicon.fit(((p.host, p.lines, p.labels) for p in pages
                        if not p.id.endswith(CLEAN_SUFFIX)), LEXICON_PAIRS)


def with_lexicon(pages: list[PageData], folds: int = LEXICON_FOLDS) -> list[PageData]:
    """The pages with their rows completed by the lexicon's columns (`RowBuilder`), each
    page's from a lexicon fitted on the other folds' sites: a lexicon that had counted a
    page's own lines would tell the trees more about it than one will about a new page."""
    fold_of = folds_by_host(pages, folds)
    out: list[PageData] = list(pages)
    for fold in range(folds):
        lexicon = fit_lexicon(p for p, f in zip(pages, fold_of, strict=True) if f != fold)
        for i, (p, f) in enumerate(zip(pages, fold_of, strict=True)):
            if f == fold:
                out[i] = dataclasses.replace(
                    p, features=TEXT_ROWS.with_lexicon(p.features, p.lines, lexicon))
    return out


def fit_text_model(pages: list[PageData], rounds: int = ROUNDS,
                   params: dict[str, Any] | None = None) -> ContentModel:
    """The shipped text model: both stages over line features and lexicon columns, and the
    lexicon of every training page, which new pages are scored with."""
    model = fit_stacked(with_lexicon(pages), rounds, params)
    model.lexicon = fit_lexicon(pages)
    model.feature_names = TEXT_FEATURE_NAMES
    return model


def folds_by_host(pages: list[PageData], k: int) -> list[int]:
    """Assign each host to a fold, largest hosts first onto the lightest fold: balanced, seeded."""
    sizes: dict[str, int] = {}
    for p in pages:
        sizes[p.host] = sizes.get(p.host, 0) + 1
    rng = np.random.default_rng(SEED)
    hosts = sorted(sizes, key=lambda h: (-sizes[h], rng.random()))
    load = [0] * k
    fold_of: dict[str, int] = {}
    for h in hosts:
        f = int(np.argmin(load))
        fold_of[h] = f
        load[f] += sizes[h]
    return [fold_of[p.host] for p in pages]


def cross_validate(pages: list[PageData], raw: dict[str, dict[str, Any]], folds: int = 5,
                   log: Any = None, **fit_kwargs: Any) -> dict[str, str]:
    """Out-of-fold clean text of every dev page: each cleaned by the full chain with a model
    fitted on the folds that hold none of its site's pages."""
    results, _ = cross_validate_results(pages, raw, folds, log, **fit_kwargs)
    return {key: result.text for key, result in results.items()}


def cross_validate_results(pages: list[PageData], raw: dict[str, dict[str, Any]],
                           folds: int = 5, log: Any = None, **fit_kwargs: Any
                           ) -> tuple[dict[str, Result], dict[str, int]]:
    """`cross_validate`'s results whole (text, removals, profile), and each page's fold."""
    fold_of = folds_by_host(pages, folds)
    results: dict[str, Result] = {}
    fold_by_id: dict[str, int] = {}
    for fold in range(folds):
        train = [p for p, f in zip(pages, fold_of, strict=True) if f != fold]
        cleaner = Cleaner(content_model=fit_text_model(train, **fit_kwargs))
        for p, f in zip(pages, fold_of, strict=True):
            if f == fold and p.id in raw:
                results[p.id] = cleaner.clean(Document(raw[p.id]["dump"]), "text")
                fold_by_id[p.id] = fold
        if log:
            log(f"fold {fold}: fitted on {len(train)} pages")
    return results, fold_by_id
