"""The pure-Python line code that the compiled kernels replaced (cleaner/_core.pyx), kept as
the reference they are compared with: the same regular expressions and string methods, so
their Unicode semantics are Python's by construction."""

from __future__ import annotations

import re
from itertools import pairwise

from cleaner.content.features import CHROME_WORDS, LONG_LINE_CHARS

# The date and price patterns the line features read (the kernel's has_date and has_price).
_PRICE = re.compile(r"[$€£¥₹]\s?\d|\d\s?(€|£|\$|eur\b|usd\b|chf\b|kr\b|zł)")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_DATE = re.compile(r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|" + _MONTH
                   + r"[a-z]*\.? \d{1,2}\b|\d{1,2} " + _MONTH
                   + r"|\d+ (minutes?|hours?|days?|weeks?|months?|years?) ago)")
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_URLISH = re.compile(r"https?://|www\.|\.com\b|@\w|#\w")
_SEPARATORS = re.compile(r"[|•·»›«‹>/]")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]|_")
_BULLET = re.compile(r"^\s*([-*•–·▪►]|\d{1,3}[.)])\s")
_TERMINAL = frozenset(".!?…。！？")
_CLOSERS = "\"'”’»)]"


def line_values(line: str, stop: frozenset[str]) -> tuple[float, ...]:
    folded = line.casefold()
    toks = _WORD.findall(folded)
    n_tok = len(toks)
    chars = len(line.strip())
    stripped = line.rstrip().rstrip(_CLOSERS)
    last = stripped[-1:] if stripped else ""
    alpha_words = [w for w in line.split() if w[:1].isalpha()]
    inv = 1.0 / n_tok if n_tok else 0.0
    inv_chars = 1.0 / chars if chars else 0.0
    terminal = last in _TERMINAL
    first_alpha = next((c for c in line if c.isalpha()), "")
    return (
        n_tok, chars, sum(map(len, toks)) * inv, terminal, last == ":",
        len([t for t in toks if t in stop]),
        sum(w[0].isupper() for w in alpha_words) / len(alpha_words) if alpha_words else 0.0,
        line.isupper(), len(_DIGIT.findall(line)) * inv_chars,
        len(_PUNCT.findall(line)) * inv_chars, line.count(",") * inv,
        _URLISH.search(line) is not None, len(_SEPARATORS.findall(line)),
        _BULLET.match(line) is not None, line.count(". ") + terminal,
        chars >= LONG_LINE_CHARS, len([t for t in toks if t in CHROME_WORDS]) * inv,
        _DATE.search(folded) is not None, first_alpha.islower(), line.count("\t"),
        last == "?", _PRICE.search(folded) is not None,
    )


def words_of(line: str) -> list[str]:
    return [_DIGITS.sub("0", w) for w in _WORD.findall(line.casefold()) if len(w) > 1]


def line_key(line: str, max_words: int) -> str | None:
    words = line.casefold().split()
    if not 0 < len(words) <= max_words:
        return None
    return _DIGITS.sub("0", " ".join(words))


def lexicon_line_values(line: str, words: dict[str, float], lines: dict[str, float],
                        pairs: bool, max_words: int) -> tuple[float, ...]:
    tokens = words_of(line)
    if pairs:
        tokens = tokens + [f"{a} {b}" for a, b in pairwise(tokens)]
    odds = [words[w] for w in tokens if w in words]
    key = line_key(line, max_words)
    whole = lines.get(key) if key is not None else None
    if not odds:
        return (0.0, 0.0, 0.0, 0.0, whole or 0.0, float(whole is not None))
    return (sum(odds) / len(odds), min(odds), max(odds), len(odds) / len(tokens),
            whole or 0.0, float(whole is not None))


def best_language(words: list[str], index: dict[str, tuple[int, ...]],
                  sample: int) -> tuple[int, int]:
    counts: dict[int, int] = {}
    for word in words[:sample]:
        for lang in index.get(word, ()):
            counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return 0, 0
    return max(counts.items(), key=lambda kv: (kv[1], -kv[0]))


MOJIBAKE = re.compile("[\u0080-\u009f]|[ÂÃ][\u0080-\u00bf]|â€|â„|[ÐÑ][\u0080-\u00bf]")


def lines_language(lines: list[str], index: dict[str, tuple[int, ...]],
                   sample: int) -> tuple[int, int]:
    words: list[str] = []
    for line in lines:
        words.extend(_WORD.findall(line.casefold()))
        if len(words) >= sample:
            break
    return best_language(words, index, sample)
