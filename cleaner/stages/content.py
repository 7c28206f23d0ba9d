"""The content stage: the learned line model decides which of the remaining lines are article.

Rules catch what every site shares; this stage catches what is particular to a site (its
menus, teaser lists, footers) from the text alone. A page the model would empty keeps its
best block: an empty result is never the right answer for a page that had text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np

from cleaner._core import Scored
from cleaner.content.gate import article_keeps_extraction, gate_row
from cleaner.content.model import ContentModel
from cleaner.content.selection import expected_f_keep
from cleaner.document import Evidence
from cleaner.htmldom import DOM_FEATURE_NAMES, HtmlEvidence
from cleaner.options import FAVORS, Favor
from cleaner.page import Page
from cleaner.profile import ContentSummary

_EXTRACT = DOM_FEATURE_NAMES.index("dom_extract")

# A page where the model would drop less than this share of the words is taken as clean
# already (a clean render, or this chain's own output) and left whole: without it each pass
# of the fixed point would nibble a little more. Chosen by out-of-fold F1 (training/).
MIN_DROP_SHARE = 0.1


Route = Literal["lines", "extraction"]


class ContentStage:
    """Text mode: every pass scores the kept lines and drops those the selection leaves out."""

    name = "content"

    def __init__(self, model: ContentModel | Callable[[], ContentModel],
                 favor: Favor = "balanced", min_drop_share: float = MIN_DROP_SHARE,
                 evidence: int = 0) -> None:
        self._model = model
        self.favor = favor
        self.evidence = evidence  # features to give per removal (Options.evidence)
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
        """The kept lines' indices, their scores and their blocks."""
        found = self.scored(page)
        if found is None:
            return [], np.zeros(0), []
        return found.sequence.indices, found.scores, found.sequence.block_of

    def scored(self, page: Page) -> Scored | None:
        """The page's kept lines scored (the sequence, its rows, the scores) in one call of
        the compiled kernel; None when no line is left."""
        found: Scored | None = self.model.scorer.score(page.lines, page.dropped,
                                                       origin=page.origin,
                                                       memo=page.state.line_memo)
        return found

    def apply(self, page: Page) -> None:
        found = self.scored(page)
        if found is None:
            return
        self.decide(page, found, self.note(page, found))

    def note(self, page: Page, found: Scored) -> np.ndarray:
        """The scored lines' words; on the document's first pass, the scores' summary is
        kept for the quality estimate."""
        words: np.ndarray = found.sequence.words
        if page.state.content_summary is None:
            page.state.content_summary = ContentSummary.of(found.scores, words, self.threshold)
        return words

    def keep_mask(self, scores: np.ndarray, words: np.ndarray) -> np.ndarray:
        """The lines to keep: the set with the best expected F-score (selection.py)."""
        return expected_f_keep(scores, words, FAVORS[self.favor].beta)

    def decide(self, page: Page, found: Scored, words: np.ndarray) -> None:
        scores = found.scores
        indices = found.sequence.indices
        if not (scores >= self.threshold).any():
            # No line looks like content: the block the model likes best stays.
            keep = best_scored_block(found, words)
        else:
            keep = self.keep_mask(scores, words)
            if self.min_drop_share > 0 and \
                    words[~keep].sum() < self.min_drop_share * words.sum():
                return  # already clean text: nibbling at it would not converge
        dropped = np.flatnonzero(~keep).tolist()
        evidence: list[tuple[Evidence, ...]] = [()] * len(dropped)
        if self.evidence and dropped:
            evidence = self.model.explain(found.rows, found.sequence.block_of, dropped,
                                          self.evidence)
        score_of = scores.tolist()
        page.drop_scored((indices[j], (score_of[j], why))
                         for j, why in zip(dropped, evidence, strict=True))


def best_scored_block(found: Scored, words: np.ndarray) -> np.ndarray:
    """A mask of the blank-delimited block with the most score-weighted words (the content
    stage's fallback; the chain's over-removal guard weighs blocks by their prose instead)."""
    weight: dict[int, float] = {}
    block_of = found.sequence.block_of
    for j, (score, count) in enumerate(zip(found.scores.tolist(), words.tolist(),
                                           strict=True)):
        weight[block_of[j]] = weight.get(block_of[j], 0.0) + score * int(count)
    best = max(weight.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    return np.array([b == best for b in block_of], dtype=bool)


class HtmlContentStage(ContentStage):
    """HTML mode: the HTML model scores each kept line on its text features and on the DOM
    features of the line it came from (the page's `HtmlEvidence`), once per document, on the
    chain's first pass: it was fitted on whole pages after the rules, and rescoring what it
    kept would nibble at it pass after pass. Its page gate first says which text the page
    should return (`route`): the lines it keeps, or trafilatura's extraction."""

    def __init__(self, model: ContentModel | Callable[[], ContentModel],
                 favor: Favor = "balanced", evidence: int = 0) -> None:
        super().__init__(model, favor, min_drop_share=0.0, evidence=evidence)

    def apply(self, page: Page) -> None:
        self.route(page)

    def route(self, page: Page) -> Route:
        """Decide the page: "extraction" when the gate prefers trafilatura's text (the
        lines are left alone), else "lines", with the lines the model rejects dropped."""
        evidence = self._evidence(page)
        found = self.scored(page)
        if found is None:
            return "lines"
        model = self.model
        words = self.note(page, found)
        if model.gate is not None:
            extract = evidence.rows[[page.origin[i] for i in found.sequence.indices], _EXTRACT]
            row = gate_row(words, found.scores, extract, evidence.extraction)
            if article_keeps_extraction(row, evidence.signals) or \
                    model.prefers_extraction(row):
                return "extraction"
        self.decide(page, found, words)
        return "lines"

    def scored(self, page: Page) -> Scored | None:
        found: Scored | None = self.model.scorer.score(page.lines, page.dropped,
                                                       self._evidence(page).rows, page.origin)
        return found

    def keep_mask(self, scores: np.ndarray, words: np.ndarray) -> np.ndarray:
        """A fixed threshold: the HTML model, its page gate and its figures were fitted and
        measured with one (the text stage's expected-F selection was not measured here)."""
        return scores >= self.threshold

    @staticmethod
    def _evidence(page: Page) -> HtmlEvidence:
        evidence = page.state.html
        if evidence is None:
            raise ValueError("the HTML content stage needs a page made from HTML")
        return evidence
