"""The page models: what kind of page a document is, and how well it was cleaned.

Two small models per input mode (text, HTML), fitted by `make train` on the dev pages'
labels and shipped as data (`page_model.json.gz`):

- the page type: one tree ensemble per `PAGE_TYPES` entry (one against the rest), over the
  page's evidence (profile.py) and a type lexicon (words' log-odds of appearing on a page
  of each type, learned from many sites); the seven scores are normalised to sum to 1;
- the quality estimate: an ensemble fitted with cross-entropy on each dev page's measured
  F1, out of fold, over the page-type probabilities, the evidence and what the content
  model made of the page: its output is an estimate of the F1, in [0, 1].

Both are scored by the compiled tree kernel (content/forest.py); LightGBM is training-only.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from isal import igzip

from cleaner.content.forest import Forest
from cleaner.errors import CleanerError
from cleaner.profile import (
    CONTENT_EVIDENCE_NAMES,
    HTML_EVIDENCE_NAMES,
    PAGE_TYPES,
    REMOVAL_EVIDENCE_NAMES,
    TEXT_EVIDENCE_NAMES,
    PageProfile,
    ProfileMode,
)

PAGE_MODEL_PATH = Path(__file__).resolve().parent / "content" / "page_model.json.gz"
LEXICON_NAMES: tuple[str, ...] = tuple(f"lexicon_{t}" for t in PAGE_TYPES)
TYPE_PROB_NAMES: tuple[str, ...] = tuple(f"type_{t}" for t in PAGE_TYPES)
_WORD = re.compile(r"[^\W\d_]{3,}")


def type_feature_names(mode: ProfileMode) -> tuple[str, ...]:
    names = (*TEXT_EVIDENCE_NAMES, *LEXICON_NAMES, *REMOVAL_EVIDENCE_NAMES)
    return (*names, *HTML_EVIDENCE_NAMES) if mode == "html" else names


def quality_feature_names(mode: ProfileMode) -> tuple[str, ...]:
    names = (*TYPE_PROB_NAMES, *TEXT_EVIDENCE_NAMES, *CONTENT_EVIDENCE_NAMES,
             *REMOVAL_EVIDENCE_NAMES)
    return (*names, *HTML_EVIDENCE_NAMES) if mode == "html" else names


def page_words(lines: Iterable[str]) -> set[str]:
    """The page's distinct words of three letters or more, case-folded."""
    words: set[str] = set()
    for line in lines:
        if line:
            words.update(_WORD.findall(line.casefold()))
    return words


@dataclass(frozen=True)
class TypeLexicon:
    """Per word, its log-odds of appearing on a page of each type against the others."""

    index: dict[str, int]
    weights: np.ndarray  # float32, len(index) x len(PAGE_TYPES)

    def columns(self, words: set[str]) -> np.ndarray:
        """`LEXICON_NAMES`: the mean weight per type over the page's known words."""
        hits = [i for w in words if (i := self.index.get(w)) is not None]
        if not hits:
            return np.zeros(len(PAGE_TYPES), dtype=np.float32)
        return self.weights[np.array(sorted(hits))].mean(axis=0, dtype=np.float64).astype(
            np.float32)

    def to_json(self) -> dict[str, Any]:
        words = sorted(self.index, key=self.index.__getitem__)
        return {"words": words, "weights": np.round(self.weights, 4).tolist()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TypeLexicon:
        words = data["words"]
        weights = np.array(data["weights"], dtype=np.float32).reshape(len(words),
                                                                     len(PAGE_TYPES))
        return cls({w: i for i, w in enumerate(words)}, weights)

    @classmethod
    def fit(cls, pages: Iterable[tuple[str, set[str], int]], min_hosts: int = 5,
            size: int = 4000) -> TypeLexicon:
        """From (host, words, type index) per page: words seen on at least `min_hosts`
        sites, each page counted once and each site's pages weighted to one site's worth
        (a big site's template words would otherwise pass for its type's); the `size`
        words whose weights say the most."""
        host_pages: dict[str, int] = {}
        listed = list(pages)
        for host, _, _ in listed:
            host_pages[host] = host_pages.get(host, 0) + 1
        counts: dict[str, np.ndarray] = {}
        hosts: dict[str, set[str]] = {}
        totals = np.zeros(len(PAGE_TYPES))
        for host, words, kind in listed:
            weight = 1.0 / host_pages[host]
            totals[kind] += weight
            for w in words:
                row = counts.get(w)
                if row is None:
                    row = counts[w] = np.zeros(len(PAGE_TYPES))
                row[kind] += weight
                hosts.setdefault(w, set()).add(host)
        kept = sorted(w for w in counts if len(hosts[w]) >= min_hosts)
        if not kept:
            return cls({}, np.zeros((0, len(PAGE_TYPES)), dtype=np.float32))
        table = np.array([counts[w] for w in kept])
        rest = table.sum(axis=1, keepdims=True) - table
        rest_totals = totals.sum() - totals
        inside = np.log((table + 0.5) / (totals + 1.0))
        outside = np.log((rest + 0.5) / (rest_totals + 1.0))
        weights = inside - outside
        strength = np.abs(weights).max(axis=1) * np.log1p(table.sum(axis=1))
        order = np.argsort(-strength, kind="stable")[:size]
        chosen = sorted(order.tolist())
        return cls({kept[i]: j for j, i in enumerate(chosen)},
                   weights[chosen].astype(np.float32))


@dataclass
class PageModel:
    """One input mode's page-type ensembles, type lexicon and quality ensemble."""

    mode: ProfileMode
    lexicon: TypeLexicon
    types: list[Forest]  # one per PAGE_TYPES entry
    quality_forest: Forest | None

    def type_row(self, profile: PageProfile) -> np.ndarray:
        return type_row(self.mode, profile, self.lexicon.columns(page_words(profile.lines)))

    def type_probs(self, profile: PageProfile) -> np.ndarray:
        return self.probs(self.type_row(profile).reshape(1, -1))[0]

    def probs(self, rows: np.ndarray) -> np.ndarray:
        """Rows of `type_feature_names` to probabilities per type, each row summing to 1."""
        scores = np.column_stack([forest.predict(rows) for forest in self.types])
        totals = scores.sum(axis=1, keepdims=True)
        return np.where(totals > 0, scores / np.where(totals > 0, totals, 1.0),
                        1.0 / len(PAGE_TYPES))

    def quality(self, profile: PageProfile) -> float:
        if self.quality_forest is None:
            raise CleanerError(f"the {self.mode} page model has no quality estimate; "
                               "retrain it with `make train`")
        row = quality_row(self.mode, profile, profile.page_type_probs)
        return float(self.quality_forest.predict(row.reshape(1, -1))[0])

    def to_json(self) -> dict[str, Any]:
        return {"type_features": list(type_feature_names(self.mode)),
                "quality_features": list(quality_feature_names(self.mode)),
                "lexicon": self.lexicon.to_json(),
                "types": [forest.model_to_string() for forest in self.types],
                "quality": (self.quality_forest.model_to_string()
                            if self.quality_forest is not None else None)}

    @classmethod
    def from_json(cls, mode: ProfileMode, data: dict[str, Any], name: str) -> PageModel:
        if tuple(data.get("type_features", ())) != type_feature_names(mode) or \
                tuple(data.get("quality_features", ())) != quality_feature_names(mode):
            raise CleanerError(f"{name}: the {mode} page model was trained on other "
                               "features; retrain it with `make train`")
        types = [Forest.from_text(text, name) for text in data["types"]]
        if len(types) != len(PAGE_TYPES):
            raise CleanerError(f"{name}: {len(PAGE_TYPES)} page-type ensembles expected, "
                               f"found {len(types)}")
        quality = data.get("quality")
        return cls(mode, TypeLexicon.from_json(data["lexicon"]), types,
                   Forest.from_text(quality, name) if quality else None)


def type_row(mode: ProfileMode, profile: PageProfile, lexicon: np.ndarray) -> np.ndarray:
    """The page-type model's row (`type_feature_names`), with the page's type-lexicon
    columns as given (training gives each page a lexicon that never saw its site)."""
    parts = [profile.text_row, lexicon, profile.removal_row]
    if mode == "html":
        parts.append(_html_part(profile))
    return np.concatenate(parts).astype(np.float32)


def quality_row(mode: ProfileMode, profile: PageProfile, probs: np.ndarray) -> np.ndarray:
    """The quality model's row (`quality_feature_names`), with the page-type probabilities
    as given (training's are out of fold)."""
    parts = [probs.astype(np.float32), profile.text_row, profile.content_row(),
             profile.removal_row]
    if mode == "html":
        parts.append(_html_part(profile))
    return np.concatenate(parts).astype(np.float32)


def _html_part(profile: PageProfile) -> np.ndarray:
    html = profile.html
    return html if html is not None else np.zeros(len(HTML_EVIDENCE_NAMES), dtype=np.float32)


@dataclass
class PageModels:
    text: PageModel
    html: PageModel

    def for_mode(self, mode: ProfileMode) -> PageModel:
        return self.html if mode == "html" else self.text

    def to_bytes(self) -> bytes:
        payload = {"text": self.text.to_json(), "html": self.html.to_json()}
        return gzip.compress(json.dumps(payload).encode(), compresslevel=9, mtime=0)

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> PageModels:
        try:
            # isal's decompressor: the same bytes as gzip's in under half the time
            payload = json.loads(igzip.decompress(data))
            return cls(PageModel.from_json("text", payload["text"], name),
                       PageModel.from_json("html", payload["html"], name))
        except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
            raise CleanerError(f"{name}: not a page model file ({exc})") from None


@lru_cache(maxsize=1)
def page_models(path: str | None = None) -> PageModels:
    """The page models at `path` (default: the shipped ones), read once per process."""
    target = Path(path) if path else PAGE_MODEL_PATH
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise CleanerError(f"{target}: cannot read the page model ({exc.strerror})") from None
    return PageModels.from_bytes(data, str(target))


def describe(probs: Sequence[float]) -> str:
    """"article 0.93" for a row of type probabilities."""
    best = int(np.argmax(probs))
    return f"{PAGE_TYPES[best]} {float(probs[best]):.2f}"
