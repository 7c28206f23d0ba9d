"""How the content stage turns line scores into a page's kept lines (expected F-score)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cleaner.content.selection import expected_f_keep
from cleaner.options import FAVORS

PARAGRAPHS = [0.95, 0.9, 0.97]
MENU = [0.1, 0.05, 0.2]


def test_a_clear_page_keeps_its_paragraphs_and_drops_its_menu() -> None:
    scores = np.array(MENU + PARAGRAPHS)
    words = np.array([1, 1, 2, 40, 35, 50])
    assert expected_f_keep(scores, words).tolist() == [False] * 3 + [True] * 3


def test_a_page_of_doubtful_lines_is_kept_rather_than_dropped_line_by_line() -> None:
    # Every line below a 0.5 threshold: the likeliest text is still the whole page.
    scores = np.full(6, 0.45)
    words = np.array([20, 25, 30, 18, 22, 27])
    assert expected_f_keep(scores, words).all()


def test_a_short_doubtful_line_among_sure_paragraphs_goes() -> None:
    scores = np.array([0.95, 0.3, 0.95])
    words = np.array([40, 12, 40])
    assert expected_f_keep(scores, words).tolist() == [True, False, True]


def test_favor_precision_keeps_less_and_recall_more() -> None:
    scores = np.array([0.9, 0.7, 0.55, 0.45, 0.35, 0.2, 0.1])
    words = np.array([30, 20, 15, 15, 10, 5, 3])
    kept = {f: expected_f_keep(scores, words, beta).sum() for f, beta in ((f, s.beta) for f, s in FAVORS.items())}
    assert kept["precision"] < kept["balanced"] < kept["recall"]


@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 200)), min_size=1, max_size=60))
def test_the_kept_lines_are_the_likeliest_and_never_none(rows: list[tuple[float, int]]) -> None:
    scores = np.array([s for s, _ in rows])
    words = np.array([w for _, w in rows])
    keep = expected_f_keep(scores, words)
    assert keep.any()
    if (~keep).any():
        assert scores[keep].min() >= scores[~keep].max()


def test_an_empty_page_keeps_nothing() -> None:
    assert expected_f_keep(np.zeros(0), np.zeros(0)).tolist() == []
