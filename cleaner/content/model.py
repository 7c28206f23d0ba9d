"""The shipped line model: tree ensembles, loaded lazily and once per process.

The trees were fitted by LightGBM (`make train`) and are scored by the compiled kernel
(content/forest.py), which gives LightGBM's scores bit for bit without LightGBM at run time.
The file is gzipped JSON: the feature names the trees were trained on (checked against the
code's, so a stale model fails loudly, not quietly) and LightGBM's model text. (Older files
also carry the --favor thresholds, which now live in `options.FAVORS`; they are not read.)
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from isal import igzip

from cleaner import _core
from cleaner.content.features import FEATURE_NAMES, word_table
from cleaner.content.forest import Forest
from cleaner.content.lexicon import LEXICON_NAMES, Lexicon
from cleaner.content.rows import LAYOUTS
from cleaner.content.stacking import STACK_NAMES, stack_features
from cleaner.document import Evidence
from cleaner.errors import CleanerError
from cleaner.htmldom import DOM_FEATURE_NAMES

MODEL_PATH = Path(__file__).resolve().parent / "content_model.json.gz"
HTML_MODEL_PATH = Path(__file__).resolve().parent / "html_model.json.gz"
# The columns each model reads, as its layout orders them (rows.py).
TEXT_FEATURE_NAMES = LAYOUTS["text"].names
HTML_FEATURE_NAMES = LAYOUTS["html"].names


class ContentModel:
    """First-stage trees over line features and, optionally, second-stage trees over the
    first stage's scores in context (see stacking.py)."""

    def __init__(self, booster: Forest | None, digest: str = "", stage2: Forest | None = None,
                 feature_names: tuple[str, ...] = FEATURE_NAMES) -> None:
        self.booster = booster
        self.stage2 = stage2
        self.digest = digest
        self.feature_names = feature_names
        # HTML model only: trafilatura's text or the line model's, per page.
        self.gate: Forest | None = None
        self.lexicon: Lexicon | None = None  # its columns come last in each feature row
        self._scorer: tuple[tuple[object, ...], _core.LineModel] | None = None

    @property
    def scorer(self) -> _core.LineModel:
        """The compiled kernel that scores a pass of a page with this model (built at first
        use, and again if the trees or the lexicon are replaced)."""
        key = (self.booster, self.stage2, self.lexicon, self.feature_names)
        if self._scorer is None or any(a is not b for a, b in zip(self._scorer[0], key,
                                                                  strict=True)):
            assert self.booster is not None, "a model without trees scores nothing"
            words, whole = self.lexicon.tables if self.lexicon is not None else (None, None)
            dom_width = len(self.feature_names) - len(FEATURE_NAMES) - (
                len(LEXICON_NAMES) if self.lexicon is not None else 0)
            if dom_width and self.feature_names[len(FEATURE_NAMES):][:dom_width] \
                    != DOM_FEATURE_NAMES:
                raise CleanerError("the model's columns are not a layout the kernel builds")
            scorer = _core.LineModel(word_table(), self.booster, self.stage2, dom_width,
                                     words, whole,
                                     self.lexicon is not None and self.lexicon.pairs)
            self._scorer = (key, scorer)
        return self._scorer[1]

    def prefers_extraction(self, gate_row: np.ndarray) -> bool:
        """The gate's verdict for a page: True when trafilatura's own text is the better bet."""
        if self.gate is None:
            return False
        return bool(self.gate.predict(gate_row.reshape(1, -1))[0] >= 0.5)

    def first_scores(self, features: np.ndarray) -> np.ndarray:
        assert self.booster is not None, "a model without trees scores nothing"
        return self.booster.predict(features)

    def predict(self, features: np.ndarray, block_of: list[int] | None = None) -> np.ndarray:
        if len(features) == 0:
            return np.zeros(0, dtype=np.float64)
        scores = self.first_scores(features)
        if self.stage2 is None:
            return scores
        blocks = block_of if block_of is not None else [0] * len(scores)
        stacked = stack_features(scores, features, blocks)
        return self.stage2.predict(stacked)

    def explain(self, features: np.ndarray, block_of: list[int], lines: list[int], top: int
                ) -> list[tuple[Evidence, ...]]:
        """For each of `lines` (row positions), the `top` features that pushed its score
        down most: in the first stage's trees over the line's features, then in the second
        stage's over the scores around it (TreeSHAP, as LightGBM's pred_contrib)."""
        assert self.booster is not None, "a model without trees explains nothing"
        stacked = None
        if self.stage2 is not None and lines:
            blocks = block_of if block_of else [0] * len(features)
            stacked = stack_features(self.first_scores(features), features, blocks)
        out = []
        for j in lines:
            found = _pushes(self.booster.contributions(features[j]), features[j],
                            self.feature_names, top, "line")
            if stacked is not None and self.stage2 is not None:
                found += _pushes(self.stage2.contributions(stacked[j]), stacked[j],
                                 STACK_NAMES, top, "context")
            out.append(tuple(found))
        return out

    def to_bytes(self) -> bytes:
        payload = {"features": list(self.feature_names),
                   "model": self.booster.model_to_string() if self.booster else None,
                   "stage2": self.stage2.model_to_string() if self.stage2 else None,
                   "gate": self.gate.model_to_string() if self.gate is not None else None,
                   "lexicon": self.lexicon.to_json() if self.lexicon is not None else None}
        return gzip.compress(json.dumps(payload).encode(), compresslevel=9, mtime=0)

    @classmethod
    def from_bytes(cls, data: bytes, name: str,
                   features: tuple[str, ...] = FEATURE_NAMES) -> ContentModel:
        try:
            payload = json.loads(igzip.decompress(data))
            if not isinstance(payload, dict):
                raise ValueError("not a JSON object")
            if tuple(payload.get("features", ())) != features:
                raise CleanerError(f"{name}: the model was trained on other features; "
                                   "retrain it with `make train`")
            booster = Forest.from_text(payload["model"], name)
            stage2 = payload.get("stage2")
            model = cls(booster, hashlib.sha256(data).hexdigest()[:16],
                        Forest.from_text(stage2, name) if stage2 else None, features)
            if payload.get("gate"):
                model.gate = Forest.from_text(payload["gate"], name)
            if payload.get("lexicon"):
                model.lexicon = Lexicon.from_json(payload["lexicon"])
        except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CleanerError(f"{name}: not a content model file ({exc})") from None
        return model


def _pushes(contributions: np.ndarray, row: np.ndarray, names: tuple[str, ...], top: int,
            model: Literal["line", "context"]) -> list[Evidence]:
    """The `top` most negative contributions (the expected value, last, left out)."""
    effects = contributions[:-1]
    order = [int(i) for i in np.argsort(effects, kind="stable")[:top] if effects[i] < 0]
    return [Evidence(names[i], float(row[i]), float(effects[i]), model) for i in order]


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> ContentModel:
    """The text model at `path` (default: the shipped one), read once per process."""
    target = Path(path) if path else MODEL_PATH
    return ContentModel.from_bytes(_read(target), str(target), TEXT_FEATURE_NAMES)


@lru_cache(maxsize=4)
def load_html_model(path: str | None = None) -> ContentModel:
    """The HTML model (text and DOM features) at `path`, default the shipped one."""
    target = Path(path) if path else HTML_MODEL_PATH
    return ContentModel.from_bytes(_read(target), str(target), HTML_FEATURE_NAMES)


def _read(target: Path) -> bytes:
    try:
        return target.read_bytes()
    except OSError as exc:
        raise CleanerError(f"{target}: cannot read the content model ({exc.strerror})") from None
