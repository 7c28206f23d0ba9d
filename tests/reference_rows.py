"""The numpy code that the compiled page kernel replaced (cleaner/_core_src/rows.pxi and
scoring.pxi), kept as the reference it is compared with, value for value: the content
stage's kept sequence, each line's features, the lexicon's columns, the second stage's rows
and the expected-F selection, as the shipped models were fitted on them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from cleaner import _core, language
from cleaner.content.features import FEATURE_NAMES
from cleaner.content.lexicon import MAX_LINE_WORDS, Lexicon
from cleaner.content.stacking import STACK_NAMES
from cleaner.page import Page, is_blank
from tests import reference_lines as ref

BASE = _core.BASE
NEIGHBOUR = _core.NEIGHBOUR
OFFSETS = _core.OFFSETS
POSITIONAL = _core.POSITIONAL
PAGE = _core.PAGE
_B = {name: i for i, name in enumerate(BASE)}
_P = {name: i for i, name in enumerate(POSITIONAL)}
_NB = [_B[name] for name in NEIGHBOUR]
_VALUE_COLUMNS = [_B[name] for name in _core.LINE_VALUES]
_KEEP = [FEATURE_NAMES.index(n) for n in _core.STACK_KEEP]
RADIUS = 5
WINDOW = _core.LEXICON_WINDOW


def line_words(lines: list[str]) -> tuple[list[str], list[list[str]], list[str]]:
    folded = [line.casefold() for line in lines]
    return folded, [ref._WORD.findall(f) for f in folded], [" ".join(f.split()) for f in folded]


def line_values(lines: list[str], folded: list[str], tokens: list[list[str]],
                stop: frozenset[str]) -> np.ndarray:
    return np.array([ref.line_values(line, stop) for line in lines],
                    dtype=np.float64).reshape(len(lines), -1)


@dataclass(frozen=True, slots=True)
class LineSequence:
    indices: list[int]
    lines: list[str]
    blank_before: list[bool]
    blank_after: list[bool]
    block_words: list[int]
    block_of: list[int]


def kept_sequence(page: Page) -> LineSequence:
    indices: list[int] = []
    lines: list[str] = []
    blank_before: list[bool] = []
    block_of: list[int] = []
    block = 0
    saw_blank = False
    for i, (text, reason) in enumerate(zip(page.lines, page.dropped, strict=True)):
        if reason is not None:
            continue
        if is_blank(text):
            saw_blank = True
            continue
        if saw_blank and indices:
            block += 1
        indices.append(i)
        lines.append(text)
        blank_before.append(saw_blank)
        block_of.append(block)
        saw_blank = False
    blank_after = [*blank_before[1:], True] if lines else []
    totals: dict[int, int] = {}
    counts = [len(line.split()) for line in lines]
    for b, c in zip(block_of, counts, strict=True):
        totals[b] = totals.get(b, 0) + c
    block_words = [totals[b] for b in block_of]
    return LineSequence(indices, lines, blank_before, blank_after, block_words, block_of)


def page_features(lines: list[str], blank_before: list[bool], blank_after: list[bool],
                  block_words: list[int], block_of: list[int]) -> np.ndarray:
    """A float32 matrix, one row per line, columns as in `FEATURE_NAMES`; `forms` are the
    lines' `line_words` when the caller has them already."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    if len(block_of) != n:
        raise ValueError("block_of must give a block for every line")
    folded, tokens, keys = line_words(lines)
    words_seen = [w for t in tokens for w in t]
    lang, _ = ref.best_language(words_seen, language.stoplist_index(), _core.LANGUAGE_SAMPLE)
    stop = language.stopwords(lang)
    raw = line_values(lines, folded, tokens, stop)
    words = raw[:, 0].astype(np.float32)
    n_stop = raw[:, 5]
    stops_total = float(n_stop.sum())
    raw[:, 5] = np.divide(n_stop, raw[:, 0], out=np.zeros(n), where=raw[:, 0] > 0)
    chars = raw[:, 1].copy()
    raw[:, 0] = np.log1p(raw[:, 0])
    raw[:, 1] = np.log1p(raw[:, 1])
    base = np.zeros((n, len(BASE)), dtype=np.float32)
    base[:, _VALUE_COLUMNS] = raw
    repeats = Counter(keys)
    base[:, _B["blank_before"]] = blank_before
    base[:, _B["blank_after"]] = blank_after
    base[:, _B["log_repeat"]] = np.log1p(
        np.array([repeats[key] for key in keys], dtype=np.float64) - 1)
    base[:, _B["log_block_words"]] = np.log1p(np.asarray(block_words, dtype=np.float64))
    base[:, _B["chars_vs_max"]] = chars / max(float(chars.max()), 1.0)
    blocks = np.asarray(block_of, dtype=np.int64)
    block_lines = np.bincount(blocks)
    block_total = np.bincount(blocks, weights=words)
    prev_total = np.concatenate([[0.0], block_total[:-1]])
    next_total = np.concatenate([block_total[1:], [0.0]])
    base[:, _B["log_block_lines"]] = np.log1p(block_lines[blocks])
    base[:, _B["log_prev_block_words"]] = np.log1p(prev_total[blocks])
    base[:, _B["log_next_block_words"]] = np.log1p(next_total[blocks])

    neighbours = np.zeros((n, len(OFFSETS) * len(NEIGHBOUR)), dtype=np.float32)
    sub = base[:, _NB]
    for k, off in enumerate(OFFSETS):
        cols = slice(k * len(NEIGHBOUR), (k + 1) * len(NEIGHBOUR))
        fill = np.full((n, len(NEIGHBOUR)), -1.0, dtype=np.float32)
        if off < 0 and n + off > 0:
            fill[-off:] = sub[: n + off]
        elif off > 0 and n - off > 0:
            fill[: n - off] = sub[off:]
        neighbours[:, cols] = fill

    total = float(words.sum())
    cum = np.cumsum(words) - words
    idx = np.arange(n, dtype=np.float32)
    start, end = _dense_run(words, base[:, _B["long"]])
    dist = np.where(idx < start, start - idx, np.where(idx > end, idx - end, 0))
    positional = np.zeros((n, len(POSITIONAL)), dtype=np.float32)
    def column(name: str) -> np.ndarray:
        return base[:, _B[name]]

    positional_columns = {
        "pos_words": cum / total if total else 0.0,
        "pos_lines": idx / max(n - 1, 1),
        "in_dense_run": (idx >= start) & (idx <= end),
        "dist_dense_run": np.log1p(dist),
        "win5_words": window_mean(column("log_words"), 5),
        "win5_terminal": window_mean(column("terminal"), 5),
        "win5_stop": window_mean(column("stop_ratio"), 5),
        "win10_words": window_mean(column("log_words"), 10),
        "win10_terminal": window_mean(column("terminal"), 10),
        "win10_chrome": window_mean(column("chrome_ratio"), 10),
    }
    for name, column_values in positional_columns.items():
        positional[:, _P[name]] = column_values

    def share(name: str) -> float:
        return float(column(name).mean())

    page_columns = {
        "page_log_words": np.log1p(total), "page_log_lines": np.log1p(n),
        "page_log_longest": np.log1p(words.max()),
        "page_stop_rate": stops_total / total if total else 0.0,
        "page_terminal_share": share("terminal"), "page_long_share": share("long"),
        "page_short_share": float((words <= 3).mean()), "page_price_share": share("price"),
        "page_date_share": share("has_date"), "page_question_share": share("question"),
        "page_tab_share": float((base[:, _B["tabs"]] > 0).mean()),
        "page_bullet_share": share("bullet"),
        "page_repeat_share": float((base[:, _B["log_repeat"]] > 0).mean()),
        "page_title_mean": share("title_ratio"),
        "page_block_count": float(np.log1p(len(block_lines))),
    }
    page = np.array([page_columns[name] for name in PAGE], dtype=np.float32)
    return np.hstack([base, neighbours, positional, np.broadcast_to(page, (n, len(PAGE)))])


def window_mean(values: np.ndarray, radius: int) -> np.ndarray:
    """Each value's mean over the `radius` values each side of it (fewer at the ends)."""
    padded = np.concatenate([np.zeros(radius + 1, dtype=np.float64), np.cumsum(values),
                             np.full(radius, float(values.sum()))])
    n = len(values)
    hi = padded[2 * radius + 1: 2 * radius + 1 + n]
    lo = padded[:n]
    counts = np.minimum(np.arange(n) + radius, n - 1) - np.maximum(np.arange(n) - radius, 0) + 1
    return ((hi - lo) / counts).astype(np.float32)


def _dense_run(words: np.ndarray, long: np.ndarray) -> tuple[int, int]:
    """The run of lines with the most words in long lines, short lines costing a little."""
    gain = np.where(long > 0, words, -(2.0 + 0.5 * words))
    best, best_start, best_end = -1.0, 0, -1
    run, run_start = 0.0, 0
    for i, g in enumerate(gain.tolist()):
        if run <= 0:
            run, run_start = g, i
        else:
            run += g
        if run > best:
            best, best_start, best_end = run, run_start, i
    return best_start, max(best_end, best_start)


def lexicon_columns(lexicon: Lexicon, lines: list[str]) -> np.ndarray:
    n = len(lines)
    out = np.zeros((n, 9), dtype=np.float32)
    if n == 0:
        return out
    out[:, :6] = np.array([ref.lexicon_line_values(line, lexicon.words, lexicon.lines,
                                                   lexicon.pairs, MAX_LINE_WORDS)
                           for line in lines], dtype=np.float32).reshape(n, 6)
    mean = out[:, 0]
    out[1:, 6] = mean[:-1]
    out[:-1, 7] = mean[1:]
    out[:, 8] = window_mean(mean, WINDOW)
    return out


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


def expected_f_keep(scores: np.ndarray, words: np.ndarray, beta: float = 1.0,
                    calibration: float = 1.5) -> np.ndarray:
    """A mask over the lines: the set with the highest expected F-beta (never empty)."""
    n = len(scores)
    if n == 0:
        return np.zeros(0, dtype=bool)
    clipped = np.clip(np.asarray(scores, dtype=np.float64), 0.0, 1.0)
    probs = clipped ** calibration
    weights = np.maximum(np.asarray(words, dtype=np.float64), 1.0)
    # Sorted by the scores themselves: the stretch keeps their order, except where it
    # underflows two tiny scores to one zero.
    order = np.argsort(-clipped, kind="stable")
    mass = probs * weights
    b2 = beta * beta
    expected = (1.0 + b2) * np.cumsum(mass[order]) / (np.cumsum(weights[order])
                                                       + b2 * mass.sum())
    keep = np.zeros(n, dtype=bool)
    keep[order[: int(np.argmax(expected)) + 1]] = True
    return keep
