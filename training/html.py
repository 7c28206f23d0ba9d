"""Fitting the HTML content model: the text model's line features plus what the DOM knows.

Each dev page's HTML becomes dump lines with DOM features (htmldom.py); rules run first, as
they will at inference; the remaining lines are labelled against the gold text line by line
(`label_lines_each`), and the same two-stage fit runs on the wider feature rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.chain import Cleaner
from cleaner.content.forest import Forest
from cleaner.content.gate import GATE_THRESHOLD, gate_row
from cleaner.content.model import HTML_FEATURE_NAMES, ContentModel
from cleaner.content.rows import RowBuilder
from cleaner.content.sequence import kept_sequence
from cleaner.document import Document, Result
from cleaner.html import extract
from cleaner.htmldom import DOM_FEATURE_NAMES, dom_dump
from cleaner.options import Favor
from cleaner.page import DocumentState, Page
from training.text import (
    SEED,
    TOKEN,
    PageData,
    fit_lexicon,
    fit_stacked,
    folds_by_host,
    host_of,
    label_lines_each,
    records,
    rules_only,
    to_forest,
    with_lexicon,
)

_EXTRACT = DOM_FEATURE_NAMES.index("dom_extract")
HTML_ROWS = RowBuilder("html")


def html_features(page: Page, rows: np.ndarray) -> tuple[list[int], np.ndarray, list[int],
                                                          list[str]]:
    """The kept lines' indices, their rows but the lexicon's columns (`RowBuilder`), their
    blocks and texts."""
    seq = kept_sequence(page)
    if not seq.lines:
        return [], np.zeros((0, 0), dtype=np.float32), [], []
    partial = HTML_ROWS.partial_rows(seq, rows[[page.origin[i] for i in seq.indices]])
    return seq.indices, partial, seq.block_of, seq.lines


@dataclass
class HtmlPage:
    """One dev page as HTML training data, with what the page gate needs beside it."""

    data: PageData
    lines: list[str]
    words: np.ndarray
    extract: np.ndarray  # each line's share in trafilatura's extraction
    extraction: str
    gold: str


def html_page_data(record: dict[str, Any], dataset: str, cleaner: Cleaner) -> HtmlPage | None:
    if not record.get("gold") or not record.get("html"):
        return None
    extraction = extract(record["html"]).text
    dump = dom_dump(record["html"], extraction)
    if not dump.lines:
        return None
    page = Page.whole(DocumentState(Document(dump.text)))
    page, _, _ = cleaner.fixed_point(page)
    indices, features, block_of, lines = html_features(page, dump.rows)
    if not lines:
        return None
    labels = label_lines_each(lines, record["gold"])
    words = np.array([max(len(TOKEN.findall(x)), 1) for x in lines], dtype=np.float32)
    data = PageData(f"{dataset}/{record['id']}", host_of(record.get("url", "")), dataset,
                    features, labels, words / words.sum(), block_of, lines)
    shares = dump.rows[[page.origin[i] for i in indices], _EXTRACT]
    return HtmlPage(data, lines, np.array([len(x.split()) for x in lines]), shares, extraction,
                    record["gold"])


def _one(args: tuple[dict[str, Any], str]) -> tuple[HtmlPage | None, dict[str, Any]]:
    record, dataset = args
    page = html_page_data(record, dataset, rules_only())
    raw = {"html": record["html"], "gold": record.get("gold") or "", "dataset": dataset,
           "page_type": record.get("page_type"), "host": host_of(record.get("url", ""))}
    return page, raw


def load_html_pages(dev: Path, jobs: int = 2) -> tuple[list[HtmlPage], dict[str, dict[str, Any]]]:
    """Every dev page as HTML training data (trafilatura runs per page: spread over jobs)."""
    from cleaner.parallel import ordered_map

    tasks = [(record, path.name.split(".")[0]) for path in sorted(dev.glob("*.jsonl.gz"))
             for record in records(path)]
    pages: list[HtmlPage] = []
    raw: dict[str, dict[str, Any]] = {}
    for (record, dataset), (page, info) in zip(tasks, ordered_map(_one, tasks, jobs),
                                               strict=True):
        raw[f"{dataset}/{record['id']}"] = info
        if page is not None:
            pages.append(page)
    return pages, raw


def fit_html(pages: list[PageData], **fit_kwargs: Any) -> ContentModel:
    """The HTML line model: the text model's two-stage fit over text, DOM and lexicon rows.
    The lexicon is learned from the HTML pages' own lines (they split and join text as the
    DOM does, not as a text dump does), cross-fitted by site as in the text model."""
    model = fit_stacked(with_lexicon(pages), **fit_kwargs)
    model.lexicon = fit_lexicon(pages)
    model.feature_names = HTML_FEATURE_NAMES
    return model


def out_of_fold(pages: list[HtmlPage], folds: int = 5, log: Any = None,
                **fit_kwargs: Any) -> tuple[list[np.ndarray], list[int], list[ContentModel]]:
    """Each page's line scores from a model fitted on the folds without its site, the fold
    of each page, and the fold models."""
    data = [p.data for p in pages]
    fold_of = folds_by_host(data, folds)
    scores: list[np.ndarray] = [np.zeros(0)] * len(pages)
    models: list[ContentModel] = []
    for fold in range(folds):
        model = fit_html([d for d, f in zip(data, fold_of, strict=True) if f != fold],
                         **fit_kwargs)
        models.append(model)
        for i, (d, f) in enumerate(zip(data, fold_of, strict=True)):
            if f == fold:
                assert model.lexicon is not None
                x = HTML_ROWS.with_lexicon(d.features, d.lines, model.lexicon)
                scores[i] = model.predict(x, d.block_of)
        if log:
            log(f"fold {fold}: fitted the line model")
    return scores, fold_of, models


GATE_PARAMS: dict[str, Any] = {"objective": "binary", "num_leaves": 7, "min_data_in_leaf": 20,
                               "learning_rate": 0.05, "verbosity": -1, "seed": SEED,
                               "deterministic": True, "num_threads": 2}
GATE_ROUNDS = 100


def fit_gate(pages: list[HtmlPage], scores: list[np.ndarray],
             page_f1: Callable[[str, str], float], threshold: float = GATE_THRESHOLD
             ) -> Forest:
    """The page gate, from out-of-fold line scores: label 1 where trafilatura's text scored
    better than the model's lines, weighted by how much better either was."""
    import lightgbm

    rows, labels, weights = [], [], []
    for page, score in zip(pages, scores, strict=True):
        chosen = "\n".join(x for x, s in zip(page.lines, score, strict=True) if s >= threshold)
        model_f1 = page_f1(page.gold, chosen)
        extraction_f1 = page_f1(page.gold, page.extraction)
        rows.append(gate_row(page.words, score, page.extract, page.extraction, threshold))
        labels.append(float(extraction_f1 > model_f1))
        weights.append(abs(extraction_f1 - model_f1) + 1e-3)
    data = lightgbm.Dataset(np.vstack(rows), label=np.array(labels), weight=np.array(weights))
    return to_forest(lightgbm.train(GATE_PARAMS, data, num_boost_round=GATE_ROUNDS))


def fit_html_with_gate(pages: list[HtmlPage], page_f1: Callable[[str, str], float],
                       log: Any = None) -> ContentModel:
    """What `make train` ships: the line model on every page, the gate on its OOF scores."""
    scores, _, _ = out_of_fold(pages, log=log)
    model = fit_html([p.data for p in pages])
    model.gate = fit_gate(pages, scores, page_f1)
    return model


def cross_validate_html(pages: list[HtmlPage], raw: dict[str, dict[str, Any]],
                        page_f1: Callable[[str, str], float], folds: int = 5,
                        log: Any = None, favors: tuple[Favor, ...] = ("balanced",)
                        ) -> dict[Favor, dict[str, str]]:
    """Out-of-fold HTML-mode text of every dev page under each of `favors`, folds grouped
    by site host: each page is cleaned by a line model and a gate that never saw its site."""
    by_favor, _ = cross_validate_html_results(pages, raw, page_f1, folds, log, favors)
    return {favor: {key: result.text for key, result in results.items()}
            for favor, results in by_favor.items()}


def cross_validate_html_results(pages: list[HtmlPage], raw: dict[str, dict[str, Any]],
                                page_f1: Callable[[str, str], float], folds: int = 5,
                                log: Any = None, favors: tuple[Favor, ...] = ("balanced",)
                                ) -> tuple[dict[Favor, dict[str, Result]], dict[str, int]]:
    """`cross_validate_html`'s results whole, and each page's fold (-1 for a page that is no
    training page: any fold's model cleans it the same, see below)."""
    scores, fold_of, models = out_of_fold(pages, folds, log)
    results: dict[Favor, dict[str, Result]] = {favor: {} for favor in favors}
    fold_by_id: dict[str, int] = {}
    for fold in range(folds):
        train = [i for i, f in enumerate(fold_of) if f != fold]
        model = models[fold]
        model.gate = fit_gate([pages[i] for i in train], [scores[i] for i in train], page_f1)
        for favor in favors:
            cleaner = Cleaner(html_model=model, favor=favor)
            for page, f in zip(pages, fold_of, strict=True):
                if f == fold:
                    results[favor][page.data.id] = cleaner.clean_html(
                        raw[page.data.id]["html"])
                    fold_by_id[page.data.id] = fold
        if log:
            log(f"fold {fold}: cleaned its pages")
    # Pages with no visible line (text only in <noscript>, or built by scripts) are not
    # training pages, but they are benchmark pages: the cleaner gives trafilatura's text for
    # them, and no line model is consulted, so any fold's model cleans them the same.
    for favor in favors:
        rest = Cleaner(html_model=models[0], favor=favor)
        for key, record in raw.items():
            if key not in results[favor]:
                results[favor][key] = rest.clean_html(record["html"])
                fold_by_id.setdefault(key, -1)
    return results, fold_by_id
