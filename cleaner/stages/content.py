"""The content stage: the learned line model decides which of the remaining lines are article.

Rules catch what every site shares; this stage catches what is particular to a site (its
menus, teaser lists, footers) from the text alone. A page the model would empty keeps its
best block: an empty result is never the right answer for a page that had text.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cleaner.content.features import page_features
from cleaner.content.model import ContentModel
from cleaner.content.sequence import kept_sequence
from cleaner.document import Reason
from cleaner.page import Page

# A page where the model would drop less than this share of the words is taken as clean
# already (a clean render, or this chain's own output) and left whole: without it each pass
# of the fixed point would nibble a little more. Chosen by out-of-fold F1 (bench/train.py).
MIN_DROP_SHARE = 0.1


class ContentStage:
    name = "content"

    def __init__(self, model: ContentModel | Callable[[], ContentModel],
                 favor: str = "balanced", min_drop_share: float = MIN_DROP_SHARE) -> None:
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
        return self.model.threshold(self.favor)

    def scores(self, page: Page) -> tuple[list[int], np.ndarray, list[int]]:
        seq = kept_sequence(page)
        if not seq.lines:
            return [], np.zeros(0), []
        cache = page.source.memo.setdefault(self.name, {})
        features = page_features(seq.lines, seq.blank_before, seq.blank_after, seq.block_words,
                                 seq.block_of, cache)
        return seq.indices, self.model.predict(features, seq.block_of), seq.block_of

    def apply(self, page: Page) -> None:
        indices, scores, block_of = self.scores(page)
        if not indices:
            return
        keep = scores >= self.threshold
        if not keep.any():
            keep = _best_block(page, indices, scores, block_of)
        elif self.min_drop_share > 0:
            words = np.array([len(page.lines[i].split()) for i in indices], dtype=np.float64)
            if words[~keep].sum() < self.min_drop_share * words.sum():
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
