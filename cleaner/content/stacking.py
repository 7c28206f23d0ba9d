"""The second stage of the line model: a small tree model over the first one's scores.

The first model scores each line from its own and its neighbours' features. Whether a line is
content also depends on how its neighbours *scored*: a short heading between two confident
paragraphs is content, the same heading between menu items is not. This stage sees the first
scores of the lines around each line, their window and page averages, the line's rank on its
page, and a few features. The compiled kernel computes the rows (`_core.stack_rows`, and
inside `_core.LineModel.score`) and defines their columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner import _core

STACK_NAMES: tuple[str, ...] = _core.STACK_NAMES


def stack_features(scores: np.ndarray, features: np.ndarray, block_of: Sequence[int]
                   ) -> np.ndarray:
    """The second stage's rows from the first stage's scores, the rows they were scored on
    and each line's block."""
    return _core.stack_rows(np.ascontiguousarray(scores, dtype=np.float64),
                            np.ascontiguousarray(features, dtype=np.float32), block_of)
