"""The compiled tree evaluator gives LightGBM's scores bit for bit (LightGBM is the reference
here, in the tests; the runtime does not import it)."""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import _core
from cleaner.content.forest import Forest
from cleaner.content.model import load_html_model, load_model
from cleaner.content.rows import RowBuilder
from cleaner.content.sequence import kept_sequence
from cleaner.content.stacking import stack_features
from cleaner.document import Document
from cleaner.errors import CleanerError
from cleaner.html import extract
from cleaner.htmldom import HtmlEvidence, dom_dump
from cleaner.page import DocumentState, Page
from tests.conftest import DEV, need

lightgbm = pytest.importorskip("lightgbm")


def _reference(forest: Forest, row: np.ndarray) -> float:
    """LightGBM's walk, written plainly: the evaluator's specification."""
    total = 0.0
    for root in forest.roots.tolist():
        node = root
        while node >= 0:
            value = float(row[forest.feature[node]])
            if -1.0000000180025095e-35 <= value <= 1.0000000180025095e-35:
                value = 0.0
            kind = int(forest.missing[node]) & 3
            if math.isnan(value) and kind != 2:
                value = 0.0
            if (kind == 1 and value == 0.0) or (kind == 2 and math.isnan(value)):
                node = int(forest.left[node] if forest.missing[node] & 4 else forest.right[node])
            elif value <= forest.threshold[node]:
                node = int(forest.left[node])
            else:
                node = int(forest.right[node])
        total += float(forest.leaf[~node])
    return 1.0 / (1.0 + math.exp(-forest.sigmoid * total))


def _lightgbm(forest: Forest, rows: np.ndarray) -> np.ndarray:
    booster = lightgbm.Booster(model_str=forest.model_to_string())
    return np.asarray(booster.predict(rows, num_threads=1), dtype=np.float64)


def _fitted(seed: int, missing: bool) -> Forest:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(400, 6)).astype(np.float32)
    x[rng.random(x.shape) < 0.2] = 0.0
    if missing:
        x[rng.random(x.shape) < 0.1] = np.nan
    y = (x[:, 0] + np.nan_to_num(x[:, 1]) > 0).astype(np.float32)
    params = {"objective": "binary", "num_leaves": 7, "min_data_in_leaf": 5, "verbosity": -1,
              "seed": seed, "deterministic": True, "num_threads": 1,
              "zero_as_missing": seed % 2 == 1, "use_missing": missing}
    booster = lightgbm.train(params, lightgbm.Dataset(x, label=y), num_boost_round=20)
    return Forest.from_text(booster.model_to_string())


FORESTS = [_fitted(seed, missing) for seed in (1, 2) for missing in (False, True)]
VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32),
                   st.sampled_from([0.0, -0.0, 1e-36, -1e-36, 1e-35, 1e-30]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(VALUES, min_size=6, max_size=6), min_size=1, max_size=20),
       st.integers(0, len(FORESTS) - 1))
def test_the_evaluator_is_lightgbm_on_any_row(rows: list[list[float]], which: int) -> None:
    forest = FORESTS[which]
    x = np.array(rows, dtype=np.float32)
    ours = forest.predict(x)
    assert np.array_equal(ours, _lightgbm(forest, x))
    assert ours.tolist() == [_reference(forest, row) for row in x]


def _fitted_wide(seed: int, leaves: int) -> Forest:
    """An ensemble without missing-value splits (what `make train` fits): QuickScorer's."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3000, 8)).astype(np.float32)
    x[rng.random(x.shape) < 0.2] = 0.0
    y = (x[:, 0] * x[:, 1] + x[:, 2] > 0).astype(np.float32)
    params = {"objective": "binary", "num_leaves": leaves, "min_data_in_leaf": 3,
              "verbosity": -1, "seed": seed, "deterministic": True, "num_threads": 1,
              "use_missing": False}
    booster = lightgbm.train(params, lightgbm.Dataset(x, label=y), num_boost_round=30)
    return Forest.from_text(booster.model_to_string())


WIDE = [_fitted_wide(1, 31), _fitted_wide(2, 32), _fitted_wide(3, 5)]


@pytest.mark.parametrize("scalar", [False, True])
@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(VALUES, min_size=8, max_size=8), min_size=1, max_size=21),
       which=st.integers(0, len(WIDE) - 1))
def test_quickscorer_is_the_plain_walk_on_any_row(scalar: bool, rows: list[list[float]],
                                                   which: int) -> None:
    """Both QuickScorer paths (eight rows side by side, and one at a time), any number of
    rows (a tail of fewer than eight included), NaN, infinities and values near 0."""
    forest = WIDE[which]
    assert forest.quickscorer is not None
    x = np.array(rows, dtype=np.float32)
    _core.quickscorer_scalar(scalar)
    try:
        ours = forest.predict(x)
    finally:
        _core.quickscorer_scalar(False)
    assert np.array_equal(ours, forest.general_scores(x))
    assert np.array_equal(ours, _lightgbm(forest, x))


def test_quickscorer_takes_the_ensembles_it_can_score_and_no_other() -> None:
    assert WIDE[1].max_leaves == 32 and WIDE[1].quickscorer is not None
    assert _fitted_wide(4, 40).quickscorer is None  # more leaves than its 32-bit state holds
    assert all(f.quickscorer is None for f in FORESTS if (f.missing & 3).any())


def _dev_pages(name: str, step: int) -> Iterator[dict[str, str]]:
    with gzip.open(DEV / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n % step == 0:
                yield json.loads(line)


def test_the_shipped_text_model_scores_dev_pages_as_lightgbm_does() -> None:
    need(DEV / "wcxb_dev.jsonl.gz")
    model = load_model()
    assert model.booster is not None and model.stage2 is not None
    pages = 0
    for name in ("scrapinghub", "wcxb_dev"):
        for record in _dev_pages(name, 8):
            page = Page.whole(DocumentState(Document(record["dump"])))
            seq = kept_sequence(page)
            if not seq.lines:
                continue
            rows = RowBuilder("text").rows(seq, model.lexicon)
            first = model.booster.predict(rows)
            assert np.array_equal(first, _lightgbm(model.booster, rows)), record["id"]
            stacked = stack_features(first, rows, seq.block_of)
            assert np.array_equal(model.stage2.predict(stacked),
                                  _lightgbm(model.stage2, stacked)), record["id"]
            pages += 1
    assert pages > 200


def test_the_shipped_html_model_and_gate_score_dev_pages_as_lightgbm_does() -> None:
    need(DEV / "wcxb_dev.jsonl.gz")
    model = load_html_model()
    assert model.booster is not None and model.stage2 is not None and model.gate is not None
    pages = 0
    for record in _dev_pages("wcxb_dev", 40):
        extraction = extract(record["html"]).text
        dump = dom_dump(record["html"], extraction)
        evidence = HtmlEvidence(dump.rows, dump.signals, extraction)
        page = Page.whole(DocumentState(Document(dump.text), evidence))
        seq = kept_sequence(page)
        if not seq.lines:
            continue
        rows = RowBuilder("html").rows(seq, model.lexicon,
                                        evidence.rows[[page.origin[i] for i in seq.indices]])
        first = model.booster.predict(rows)
        assert np.array_equal(first, _lightgbm(model.booster, rows)), record["id"]
        stacked = stack_features(first, rows, seq.block_of)
        assert np.array_equal(model.stage2.predict(stacked), _lightgbm(model.stage2, stacked))
        pages += 1
    gate_rows = np.random.default_rng(3).random((50, 10)).astype(np.float32)
    assert np.array_equal(model.gate.predict(gate_rows), _lightgbm(model.gate, gate_rows))
    assert pages > 20


def test_a_model_text_that_is_not_a_binary_ensemble_is_refused() -> None:
    with pytest.raises(CleanerError, match="binary tree model"):
        Forest.from_text("tree\nobjective=regression\n", "m.json.gz")
    with pytest.raises(CleanerError, match="no trees"):
        Forest.from_text("tree\nobjective=binary sigmoid:1\n", "m.json.gz")


def test_rows_too_narrow_for_the_trees_are_refused() -> None:
    with pytest.raises(ValueError, match="features expected"):
        FORESTS[0].predict(np.zeros((2, 3), dtype=np.float32))


def _lightgbm_contributions(forest: Forest, rows: np.ndarray) -> np.ndarray:
    booster = lightgbm.Booster(model_str=forest.model_to_string())
    return np.asarray(booster.predict(rows.astype(np.float64), pred_contrib=True,
                                      num_threads=1), dtype=np.float64)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(VALUES, min_size=6, max_size=6), min_size=1, max_size=5),
       st.integers(0, len(FORESTS) - 1))
def test_contributions_are_lightgbms_pred_contrib_on_any_row(rows: list[list[float]],
                                                             which: int) -> None:
    """TreeSHAP in the compiled core, missing-value splits included, against LightGBM's."""
    forest = FORESTS[which]
    x = np.array(rows, dtype=np.float32)
    ours = np.stack([forest.contributions(row) for row in x])
    assert np.allclose(ours, _lightgbm_contributions(forest, x), rtol=0, atol=1e-12)


def test_the_shipped_models_contributions_add_up_to_their_scores() -> None:
    """On dev pages' rows: LightGBM's pred_contrib, and a sum that is the raw score."""
    need(DEV / "wcxb_dev.jsonl.gz")
    model = load_model()
    assert model.booster is not None
    checked = 0
    for record in _dev_pages("scrapinghub", 30):
        page = Page.whole(DocumentState(Document(record["dump"])))
        seq = kept_sequence(page)
        rows = RowBuilder("text").rows(seq, model.lexicon)[:: 7]
        ours = np.stack([model.booster.contributions(row) for row in rows])
        assert np.allclose(ours, _lightgbm_contributions(model.booster, rows), atol=1e-12)
        raw = -np.log(1.0 / model.booster.predict(rows) - 1.0)
        assert np.allclose(ours.sum(axis=1), raw, atol=1e-9)
        checked += len(rows)
    assert checked > 50
