"""Features of each line of a page dump, for the content model.

A line alone says little ("Related" and "Why did it fail?" are both short); its neighbours and
its page say the rest. So each line gets its own features, the same features of the lines
around it, and features of the page (its size, its language's stopword rate, where its
densest run of long lines lies). The order and meaning of the columns is the model's
contract: `FEATURE_NAMES` is stored beside the trees and checked when the model loads.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from cleaner import _core, language

# Words that site chrome is made of, in the languages the rule packs cover. A line's share of
# them is a soft, learned version of what the rules say outright.
CHROME_WORDS = frozenset({
    "advertisement", "advertising", "sponsored", "cookie", "cookies", "privacy", "policy",
    "terms", "conditions", "login", "log", "sign", "signin", "signup", "register", "subscribe",
    "subscription", "newsletter", "share", "shares", "tweet", "comment", "comments", "reply",
    "replies", "copyright", "rights", "reserved", "menu", "search", "home", "contact", "follow",
    "facebook", "twitter", "instagram", "youtube", "linkedin", "pinterest", "whatsapp", "tiktok",
    "related", "read", "more", "trending", "popular", "tags", "tag", "category", "categories",
    "posted", "author", "views", "likes", "click", "download", "app", "cart", "account",
    "password", "email", "skip", "navigation", "toggle", "previous", "next", "back", "top",
    "sitemap", "careers", "about", "faq", "help", "support", "checkout",
    "wishlist", "loading", "javascript", "browser", "anzeige", "werbung", "datenschutz",
    "impressum", "anmelden", "suche", "teilen", "kommentar", "kommentare", "mehr", "publicité",
    "confidentialité", "connexion", "rechercher", "partager", "commentaires", "accueil",
    "publicidad", "privacidad", "buscar", "compartir", "comentarios", "inicio", "pubblicità",
    "cerca", "condividi", "commenti", "publicidade", "pesquisar", "partilhar", "comentários",
    "reclame", "zoeken", "delen", "reacties", "реклама", "поиск", "войти", "поделиться",
    "комментарии", "главная", "подписаться"
})
LONG_LINE_CHARS = 70

BASE = (
    "log_words", "log_chars", "mean_word_len", "terminal", "colon_end", "stop_ratio",
    "title_ratio", "all_caps", "digit_ratio", "punct_ratio", "commas_per_word", "urlish",
    "separators", "bullet", "sentences", "blank_before", "blank_after", "log_repeat",
    "log_block_words", "long", "chrome_ratio", "has_date", "starts_lower", "chars_vs_max",
    "log_block_lines", "log_prev_block_words", "log_next_block_words", "tabs", "question",
    "price",
)
NEIGHBOUR = ("log_words", "terminal", "stop_ratio", "title_ratio", "punct_ratio", "long",
             "chrome_ratio")
OFFSETS = (-3, -2, -1, 1, 2, 3)
POSITIONAL = ("pos_words", "pos_lines", "in_dense_run", "dist_dense_run", "win5_words",
              "win5_terminal", "win5_stop", "win10_words", "win10_terminal", "win10_chrome")
# Evidence of the page's type: products and listings are short lines with prices, forums
# carry dates and questions, documentation tables carry tabs. Every line sees the same values.
PAGE = ("page_log_words", "page_log_lines", "page_log_longest", "page_stop_rate",
        "page_terminal_share", "page_long_share", "page_short_share", "page_price_share",
        "page_date_share", "page_question_share", "page_tab_share", "page_bullet_share",
        "page_repeat_share", "page_title_mean", "page_block_count")

FEATURE_NAMES: tuple[str, ...] = (
    BASE
    + tuple(f"{name}@{off:+d}" for off in OFFSETS for name in NEIGHBOUR)
    + POSITIONAL
    + PAGE
)
# Each line casefolded, the `\w+` runs of each folded line, and its words joined by one space
# (the key under which repeats are counted): what the line features and the lexicon read.
LineWords = tuple[list[str], list[list[str]], list[str]]


def line_words(lines: list[str]) -> LineWords:
    return _core.fold_words(lines)


_B = {name: i for i, name in enumerate(BASE)}
_P = {name: i for i, name in enumerate(POSITIONAL)}
_NB = [_B[name] for name in NEIGHBOUR]


# Where each of the kernel's line values goes in BASE (its n_stop becomes the ratio).
_VALUE_COLUMNS = [_B[name] for name in _core.LINE_VALUES]


def page_features(lines: list[str], blank_before: list[bool], blank_after: list[bool],
                  block_words: list[int], block_of: list[int],
                  forms: LineWords | None = None) -> np.ndarray:
    """A float32 matrix, one row per line, columns as in `FEATURE_NAMES`; `forms` are the
    lines' `line_words` when the caller has them already."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    if len(block_of) != n:
        raise ValueError("block_of must give a block for every line")
    folded, tokens, keys = forms if forms is not None else line_words(lines)
    stop = language.stopwords(language.detect_in(tokens))
    raw = _core.line_values(lines, folded, tokens, stop, CHROME_WORDS, LONG_LINE_CHARS)
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
