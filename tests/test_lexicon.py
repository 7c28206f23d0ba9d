"""The learned lexicon: what it counts, what it keeps, and what training rows may see."""

from __future__ import annotations

import numpy as np

from cleaner.content.lexicon import (
    LEXICON_NAMES,
    MIN_LINE_SITES,
    MIN_WORD_SITES,
    Lexicon,
    line_key,
)
from training.text import PageData, with_lexicon

PROSE = "The committee met on Tuesday to discuss the harbour budget"


def _sites(n: int, chrome: str, content: str = PROSE) -> list[tuple[str, list[str], np.ndarray]]:
    return [(f"site{i}.example", [chrome, content], np.array([0.0, 1.0])) for i in range(n)]


def _col(x: np.ndarray, name: str) -> np.ndarray:
    return x[:, LEXICON_NAMES.index(name)]


def test_words_that_sites_print_as_chrome_get_negative_odds() -> None:
    lexicon = Lexicon.fit(_sites(MIN_WORD_SITES, "Add to cart"))
    assert lexicon.words["cart"] < 0 < lexicon.words["harbour"]
    x = lexicon.columns(["Add to cart", PROSE, "Unheard-of words here"])
    assert _col(x, "lex_mean")[0] < 0 < _col(x, "lex_mean")[1]
    assert _col(x, "lex_known")[2] == 0.0  # nothing known: neutral, and said so


def test_a_site_counts_once_however_many_pages_repeat_its_chrome() -> None:
    pages = [("one.example", ["Posted in Gardening"], np.array([0.0]))] * 40
    lexicon = Lexicon.fit(pages)
    assert "gardening" not in lexicon.words
    assert line_key("Posted in Gardening") not in lexicon.lines


def test_short_lines_are_looked_up_whole_with_digits_folded() -> None:
    lexicon = Lexicon.fit(_sites(MIN_LINE_SITES, "Reviews (12)"))
    assert line_key("Reviews (3)") == line_key("reviews  (47)")
    x = lexicon.columns(["Reviews (3)", PROSE])
    assert _col(x, "lex_line")[0] < 0 and _col(x, "lex_line_known")[0] == 1.0
    assert _col(x, "lex_line_known")[1] == 0.0  # longer than a short line: never looked up


def test_context_columns_read_the_neighbours() -> None:
    lexicon = Lexicon.fit(_sites(MIN_WORD_SITES, "Add to cart"))
    x = lexicon.columns([PROSE, "Add to cart", PROSE])
    mean = _col(x, "lex_mean")
    assert _col(x, "lex_mean@-1")[1] == mean[0] and _col(x, "lex_mean@+1")[1] == mean[2]
    assert _col(x, "lex_mean@-1")[0] == 0.0
    assert np.allclose(_col(x, "lex_win5"), mean.mean())


def test_the_lexicon_survives_its_file_format() -> None:
    lexicon = Lexicon.fit(_sites(MIN_WORD_SITES, "Add to cart"))
    again = Lexicon.from_json(lexicon.to_json())
    lines = ["Add to cart", PROSE]
    assert np.array_equal(again.columns(lines), lexicon.columns(lines))


def _page(site: str, lines: list[str], labels: list[float]) -> PageData:
    n = len(lines)
    return PageData(f"{site}/1", site, "dev", np.zeros((n, 2), dtype=np.float32),
                    np.array(labels, dtype=np.float32), np.ones(n, dtype=np.float32),
                    [0] * n, lines)


def test_training_rows_see_a_lexicon_that_never_saw_their_site() -> None:
    """A word only one site uses must not carry that site's own labels back to it."""
    pages = [_page(f"s{i}.example", ["Add to cart", PROSE], [0, 1]) for i in range(12)]
    pages.append(_page("own.example", ["Zzyzx Zzyzx Zzyzx", PROSE], [0, 1]))
    rows = with_lexicon(pages)
    own = rows[-1].features
    assert own.shape == (2, 2 + len(LEXICON_NAMES))
    assert own[0, 2 + LEXICON_NAMES.index("lex_known")] == 0.0
    others = rows[0].features
    assert others[0, 2 + LEXICON_NAMES.index("lex_mean")] < 0  # what other sites taught


def test_word_pairs_are_counted_and_looked_up_only_when_asked_for() -> None:
    sites = _sites(MIN_WORD_SITES, "Read more")
    with_pairs = Lexicon.fit(sites, pairs=True)
    assert with_pairs.words["read more"] < 0
    assert "read more" not in Lexicon.fit(sites).words
    again = Lexicon.from_json(with_pairs.to_json())
    assert again.pairs and np.array_equal(again.columns(["Read more"]),
                                          with_pairs.columns(["Read more"]))
