"""The content stage: the learned line model decides which of the remaining lines are article.

Rules catch what every site shares; this stage catches what is particular to a site (its
menus, teaser lists, footers) from the text alone. A page the model would empty keeps its
best block: an empty result is never the right answer for a page that had text.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cleaner.content.features import page_features
from cleaner.content.gate import article_keeps_extraction, gate_row
from cleaner.content.model import ContentModel
from cleaner.content.selection import expected_f_keep
from cleaner.content.sequence import kept_sequence
from cleaner.document import Reason
from cleaner.htmldom import DOM_FEATURE_NAMES, PAGE_SIGNAL_NAMES
from cleaner.options import FAVORS, Favor
from cleaner.page import Page

_EXTRACT = DOM_FEATURE_NAMES.index("dom_extract")

# A page where the model would drop less than this share of the words is taken as clean
# already (a clean render, or this chain's own output) and left whole: without it each pass
# of the fixed point would nibble a little more. Chosen by out-of-fold F1 (bench/train.py).
MIN_DROP_SHARE = 0.1


class ContentStage:
    name = "content"

    def __init__(self, model: ContentModel | Callable[[], ContentModel],
                 favor: Favor = "balanced", min_drop_share: float = MIN_DROP_SHARE) -> None:
        self._model = model
        self.favor = favor
        self.min_drop_share = min_drop_share

    @property
    def model(self) -> ContentModel:
        """The model, loaded at first use (a loader is called once, then kept)."""
        if callable(self._model) and not hasattr(self._model, "predict"):
            self._model = self._model()
        return self._model  # type: ignore[return-value]

    @property
    def threshold(self) -> float:
        return FAVORS[self.favor].threshold

    def scores(self, page: Page) -> tuple[list[int], np.ndarray, list[int]]:
        seq = kept_sequence(page)
        if not seq.lines:
            return [], np.zeros(0), []
        cache = page.source.memo.setdefault(self.name, {})
        features = page_features(seq.lines, seq.blank_before, seq.blank_after, seq.block_words,
                                 seq.block_of, cache)
        features = self.extra_features(page, seq.indices, features)
        return seq.indices, self.model.predict(features, seq.block_of), seq.block_of

    def extra_features(self, page: Page, indices: list[int], features: np.ndarray
                       ) -> np.ndarray:
        """Columns after the line features: the lexicon's (in HTML mode the subclass puts the
        DOM's first)."""
        lexicon = self.model.lexicon
        if lexicon is None:
            return features
        # Keyed by the lexicon: in HTML mode a page may meet both models' lexicons.
        cache = page.source.memo.setdefault(f"lexicon-{id(lexicon)}", {})
        return np.hstack([features, lexicon.columns([page.lines[i] for i in indices], cache)])

    def apply(self, page: Page) -> None:
        indices, scores, block_of = self.scores(page)
        if not indices:
            return
        self.decide(page, indices, scores, block_of)

    def keep_mask(self, scores: np.ndarray, words: np.ndarray) -> np.ndarray:
        """The lines to keep: the set with the best expected F-score (selection.py)."""
        return expected_f_keep(scores, words, FAVORS[self.favor].beta)

    def decide(self, page: Page, indices: list[int], scores: np.ndarray,
               block_of: list[int]) -> None:
        words = np.array([len(page.lines[i].split()) for i in indices], dtype=np.float64)
        if not (scores >= self.threshold).any():
            keep = _best_block(page, indices, scores, block_of)  # no line looks like content
        else:
            keep = self.keep_mask(scores, words)
            if self.min_drop_share > 0 and \
                    words[~keep].sum() < self.min_drop_share * words.sum():
                return  # already clean text: nibbling at it would not converge
        for j in np.flatnonzero(~keep).tolist():
            page.drop(indices[j], Reason(stage="content", action="drop-line",
                                         score=float(scores[j])))


def _best_block(page: Page, indices: list[int], scores: np.ndarray,
                block_of: list[int]) -> np.ndarray:
    """The blank-delimited block with the most score-weighted words."""
    weight: dict[int, float] = {}
    for j, i in enumerate(indices):
        words = len(page.lines[i].split())
        weight[block_of[j]] = weight.get(block_of[j], 0.0) + float(scores[j]) * words
    best = max(weight.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    return np.array([b == best for b in block_of], dtype=bool)


class HtmlContentStage(ContentStage):
    """The content stage for a page made from HTML: the HTML model scores each kept line on
    its text features and on the DOM features of the line it came from (`rows`, one per
    original line of the dump)."""

    name = "content"

    def __init__(self, model: ContentModel | Callable[[], ContentModel], rows: np.ndarray,
                 favor: Favor = "balanced", extraction: str = "",
                 signals: np.ndarray | None = None) -> None:
        super().__init__(model, favor, min_drop_share=0.0)
        self.rows = rows
        self.extraction = extraction
        self.signals = np.zeros(len(PAGE_SIGNAL_NAMES), dtype=np.float32) if signals is None \
            else signals
        self.prefers_extraction = False

    def apply(self, page: Page) -> None:
        """Decide once per document, on the first pass: the model was fitted on whole pages
        (after the rules), and rescoring what it kept would nibble at it pass after pass.
        When the page gate prefers trafilatura's text, say so and leave the lines alone (the
        caller cleans the extraction instead)."""
        memo = page.source.memo
        if memo.get("html-content-done"):
            return
        memo["html-content-done"] = True
        indices, scores, block_of = self.scores(page)
        if not indices:
            return
        model = self.model
        if model.gate is not None:
            words = np.array([len(page.lines[i].split()) for i in indices])
            extract = self.rows[[page.origin[i] for i in indices], _EXTRACT]
            row = gate_row(words, scores, extract, self.extraction, self.threshold)
            if article_keeps_extraction(row, self.signals) or model.prefers_extraction(row):
                self.prefers_extraction = True
                return
        self.decide(page, indices, scores, block_of)

    def keep_mask(self, scores: np.ndarray, words: np.ndarray) -> np.ndarray:
        """A fixed threshold: the HTML model, its page gate and its figures were fitted and
        measured with one (the text stage's expected-F selection was not measured here)."""
        return scores >= self.threshold

    def extra_features(self, page: Page, indices: list[int], features: np.ndarray
                       ) -> np.ndarray:
        dom = self.rows[[page.origin[i] for i in indices]]
        return super().extra_features(page, indices, np.hstack([features, dom]))
