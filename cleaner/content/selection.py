"""Which lines of a page to keep, given the line model's scores.

The benchmark and the users score a page, not a line: a page's F-score is what is at stake.
A fixed threshold treats every page alike; here each page keeps the lines that maximise its
*expected* F-score, reading each score as the probability that the line is content. On a page
where the model is unsure of every line this keeps the most likely lines instead of dropping
them one by one, and on a page with a few clear paragraphs it keeps no doubtful line that
would cost more precision than it could add recall.

Expected F-beta of keeping a set S, with p the probabilities and w each line's words:

    (1 + b²) · Σ_S p·w  /  (Σ_S w  +  b² · Σ_all p·w)

For a given size of S the numerator is largest for the most probable lines, so the best set
is a prefix of the lines sorted by p: one sort and one cumulative sum per page.

The scores are stretched (raised to CALIBRATION) before they are read as probabilities: the
model's raw scores are too generous to doubtful lines, which the out-of-fold search over the
exponent showed (NOTES.md, "Decoding").
"""

from __future__ import annotations

import numpy as np

from cleaner import _core

CALIBRATION = 1.5


def expected_f_keep(scores: np.ndarray, words: np.ndarray, beta: float = 1.0,
                    calibration: float = CALIBRATION) -> np.ndarray:
    """A mask over the lines: the set with the highest expected F-beta (never empty)."""
    mask: np.ndarray = _core.expected_f_keep(scores, words, beta, calibration)
    return mask
