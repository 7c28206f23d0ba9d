"""The page gate of HTML mode: trafilatura's own text, or the line model's choice of lines?

On a news article trafilatura is hard to beat; on listings, forums, product and service pages
the line model finds what it misses. Which is right shows in how the two agree: how much of
the extraction the model would drop, how much it would add from outside it, how sure it is
on either side. A small tree model over these page-level numbers, trained on out-of-fold
scores against which of the two scored better per dev page, makes the call.

One thing the gate does not learn from a thousand dev pages is the news page whose line
model keeps teaser lists, timestamps and comments around a long article: on WCXB listing
pages such lists are content, so agreement numbers look alike. What tells them apart is what
the page says it is (schema.org or Open Graph, `htmldom.page_signals`): on a page that
declares itself an article (and not also a product or a list of items such as a forum
thread), the article is one piece of text, and the line model may not add more than half of
trafilatura's text from outside it (`ARTICLE_MAX_ADDED`; NOTES.md has the measurements).
"""

from __future__ import annotations

import numpy as np

from cleaner.htmldom import PAGE_SIGNAL_NAMES
from cleaner.options import FAVORS

GATE_NAMES: tuple[str, ...] = (
    "log_extract_words", "log_page_words", "page_in_extract_share", "added_outside_share",
    "dropped_inside_share", "mean_score_inside", "mean_score_outside", "kept_share",
    "page_lines", "extract_lines",
)
INSIDE = 0.5  # a line is inside the extraction when this share of its trigrams is there
# The gate is fitted on rows made at the balanced threshold, and it reads rows made the same
# way whatever `--favor` says: --favor moves which lines a page keeps, not the evidence the
# gate was trained to read.
GATE_THRESHOLD = FAVORS["balanced"].threshold
ARTICLE_MAX_ADDED = 0.5  # words from outside the extraction, as a share of its words
_ADDED = GATE_NAMES.index("added_outside_share")
_DECLARES = [PAGE_SIGNAL_NAMES.index(name) for name in
             ("declares_article", "declares_product", "declares_collection")]


def gate_row(line_words: np.ndarray, scores: np.ndarray, extract: np.ndarray,
             extraction: str, threshold: float = GATE_THRESHOLD) -> np.ndarray:
    """The page-level row the gate sees; `extract` is each line's share in the extraction.
    `threshold` stays the gate's own except for experiments."""
    words = line_words.astype(np.float64)
    inside = extract >= INSIDE
    keep = scores >= threshold
    total = max(float(words.sum()), 1.0)
    extract_words = max(len(extraction.split()), 1)
    return np.array([
        np.log1p(extract_words), np.log1p(total), float((words * inside).sum()) / total,
        float((words * (keep & ~inside)).sum()) / extract_words,
        float((words * (~keep & inside)).sum()) / extract_words,
        float(scores[inside].mean()) if inside.any() else 0.0,
        float(scores[~inside].mean()) if (~inside).any() else 0.0,
        float((words * keep).sum()) / extract_words, float(len(scores)),
        float(extraction.count("\n") + 1),
    ], dtype=np.float32)


def article_keeps_extraction(row: np.ndarray, signals: np.ndarray) -> bool:
    """True when a page that declares itself an article, and nothing of many items, would
    gain more than `ARTICLE_MAX_ADDED` of the extraction's words from outside it:
    trafilatura's text wins. `signals` as `htmldom.PAGE_SIGNAL_NAMES`."""
    article, product, collection = (bool(signals[i] > 0) for i in _DECLARES)
    return article and not product and not collection \
        and float(row[_ADDED]) > ARTICLE_MAX_ADDED
