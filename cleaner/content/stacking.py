"""The second stage of the line model: a small tree model over the first one's scores.

The first model scores each line from its own and its neighbours' features. Whether a line is
content also depends on how its neighbours *scored*: a short heading between two confident
paragraphs is content, the same heading between menu items is not. This stage sees the first
scores of the lines around each line, their window and page averages, and a few features.
"""

from __future__ import annotations

import numpy as np

from cleaner.content.features import FEATURE_NAMES

RADIUS = 5
_KEEP = [FEATURE_NAMES.index(n) for n in
         ("log_words", "terminal", "pos_words", "blank_before", "blank_after", "title_ratio")]
STACK_NAMES: tuple[str, ...] = (
    "score",
    *(f"score@{o:+d}" for o in range(-RADIUS, RADIUS + 1) if o),
    "win2", "win5", "win10", "page_mean", "page_max", "page_rank", "block_mean",
    *(FEATURE_NAMES[i] for i in _KEEP),
)


def stack_features(scores: np.ndarray, features: np.ndarray, block_of: list[int]) -> np.ndarray:
    n = len(scores)
    out = np.empty((n, len(STACK_NAMES)), dtype=np.float32)
    out[:, 0] = scores
    col = 1
    for off in range(-RADIUS, RADIUS + 1):
        if off == 0:
            continue
        shifted = np.full(n, -1.0)
        if off < 0 and n + off > 0:
            shifted[-off:] = scores[: n + off]
        elif off > 0 and n - off > 0:
            shifted[: n - off] = scores[off:]
        out[:, col] = shifted
        col += 1
    csum = np.concatenate([[0.0], np.cumsum(scores)])
    idx = np.arange(n)
    for radius in (2, 5, 10):
        lo = np.maximum(idx - radius, 0)
        hi = np.minimum(idx + radius + 1, n)
        out[:, col] = (csum[hi] - csum[lo]) / (hi - lo)
        col += 1
    out[:, col] = scores.mean()
    out[:, col + 1] = scores.max()
    out[:, col + 2] = scores.argsort().argsort() / max(n - 1, 1)
    blocks = np.asarray(block_of, dtype=np.int64)
    block_mean = np.bincount(blocks, weights=scores) / np.bincount(blocks)
    out[:, col + 3] = block_mean[blocks]
    out[:, col + 4:] = features[:, _KEEP]
    return out
