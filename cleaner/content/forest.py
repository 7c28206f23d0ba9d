"""Tree ensembles as flat arrays, scored by the compiled kernel (`cleaner._core`).

`make train` fits with LightGBM and stores LightGBM's model text in the model file; this
module reads that text into arrays (one entry per split node, one per leaf) so that the
runtime needs no LightGBM. The kernel walks the trees as LightGBM's predictor does, so the
scores are LightGBM's to the last bit (a test compares them on the dev pages).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cleaner import _core
from cleaner.content import readahead
from cleaner.errors import CleanerError

# The arrays a forest is read into (its fields but the scalars and the text).
_ARRAYS = ("roots", "feature", "threshold", "left", "right", "missing", "leaf")
_CATEGORICAL = 1
_DEFAULT_LEFT = 2


@dataclass(frozen=True)
class Forest:
    """A binary-objective ensemble: node arrays, leaf values, each tree's root, the sigmoid
    scale, and the text it was read from (written back into model files unchanged)."""

    roots: np.ndarray  # int32, per tree: its first node, or ~leaf for a one-leaf tree
    feature: np.ndarray  # int32, per node
    threshold: np.ndarray  # float64, per node
    left: np.ndarray  # int32, per node: a node (>= 0) or ~leaf
    right: np.ndarray  # int32
    missing: np.ndarray  # uint8, per node: missing type (0 none, 1 zero, 2 NaN) | 4 if left
    leaf: np.ndarray  # float64, per leaf
    sigmoid: float
    n_features: int
    text: str

    def predict(self, rows: np.ndarray) -> np.ndarray:
        """One probability per row (float64); `rows` has `n_features` columns. An ensemble
        without missing-value splits and of at most 32 leaves a tree (what `make train` fits)
        is scored by QuickScorer; any other by the plain walk."""
        if rows.ndim != 2 or (len(rows) and rows.shape[1] < self.n_features):
            raise ValueError(f"rows of {self.n_features} features expected, got {rows.shape}")
        data = np.ascontiguousarray(rows, dtype=np.float32)
        scorer = self.quickscorer
        if scorer is not None:
            return scorer.scores(data)
        return self.general_scores(data)

    def general_scores(self, rows: np.ndarray) -> np.ndarray:
        """The plain walk, whatever the splits (QuickScorer is checked against it)."""
        data = np.ascontiguousarray(rows, dtype=np.float32)
        return _core.forest_scores(data, self.roots, self.nodes, self.threshold, self.leaf,
                                   self.sigmoid)

    @property
    def quickscorer(self) -> _core.QuickScorer | None:
        """The ensemble laid out for QuickScorer (built at first use), or None when it has
        missing-value splits or a tree of more than 32 leaves."""
        if "_quickscorer" not in self.__dict__:
            scorer = None
            if not (self.missing & 3).any() and self.max_leaves <= _core.QUICKSCORER_MAX_LEAVES:
                scorer = _core.QuickScorer(self.roots, self.feature, self.threshold, self.left,
                                           self.right, self.leaf, self.sigmoid)
            object.__setattr__(self, "_quickscorer", scorer)
        found: _core.QuickScorer | None = self.__dict__["_quickscorer"]
        return found

    @property
    def max_leaves(self) -> int:
        """The most leaves of any tree (a tree's split nodes are contiguous, and it has one
        leaf more than it has splits)."""
        firsts = self.roots[self.roots >= 0]
        if len(firsts) == 0:
            return 1
        splits = np.diff(np.append(firsts, len(self.feature)))
        return int(splits.max()) + 1

    @property
    def nodes(self) -> np.ndarray:
        """Each node's feature, left and right child and missing flags side by side
        (int32, one row per node): the general kernel's layout."""
        packed = self.__dict__.get("_nodes")
        if packed is None:
            packed = np.ascontiguousarray(np.stack(
                [self.feature, self.left, self.right, self.missing.astype(np.int32)], axis=1),
                dtype=np.int32)
            object.__setattr__(self, "_nodes", packed)
        return packed

    def contributions(self, row: np.ndarray) -> np.ndarray:
        """Each feature's contribution to the row's raw score (log-odds), then the trees'
        expected value: TreeSHAP, as LightGBM's `pred_contrib` gives it (the contributions
        sum to the raw score). For explanations: one row at a time."""
        data = np.ascontiguousarray(row, dtype=np.float32).reshape(-1)
        if len(data) < self.n_features:
            raise ValueError(f"a row of {self.n_features} features expected, got {len(data)}")
        counts, depth = self._counts
        return _core.forest_contributions(data, self.roots, self.nodes, self.threshold,
                                          self.leaf, counts, self.n_features, depth)

    @property
    def _counts(self) -> tuple[np.ndarray, int]:
        """The training rows through each node, then each leaf (from the model text's
        internal_count and leaf_count), and the deepest tree's depth."""
        cached = self.__dict__.get("_count_data")
        if cached is None:
            nodes: list[float] = []
            leaves: list[float] = []
            _, _, body = self.text.partition("\nTree=")
            for block in ("Tree=" + body).split("\nTree=") if body else []:
                tree = _fields(block.split("\n\n", 1)[0])
                if "num_leaves" not in tree:
                    continue
                leaf_count = tree.get("leaf_count", "1")
                leaves.extend(float(v) for v in leaf_count.split())
                if int(tree["num_leaves"]) > 1:
                    if "internal_count" not in tree:
                        raise CleanerError("the model text has no node counts: "
                                           "contributions need them")
                    nodes.extend(float(v) for v in tree["internal_count"].split())
            depth = 0
            children = np.stack([self.left, self.right], axis=1).tolist()
            for root in self.roots.tolist():
                stack = [(root, 0)] if root >= 0 else []
                while stack:
                    node, level = stack.pop()
                    depth = max(depth, level + 1)
                    stack.extend((c, level + 1) for c in children[node] if c >= 0)
            cached = (np.array(nodes + leaves, dtype=np.float64), depth)
            object.__setattr__(self, "_count_data", cached)
        return cached

    def model_to_string(self) -> str:
        """LightGBM's model text, as a Booster would give it (model files store it)."""
        return self.text

    @classmethod
    def from_text(cls, text: str, name: str = "model") -> Forest:
        """Read LightGBM's model text (numerical splits; the binary objective, or
        cross-entropy on labels in [0, 1], whose output is the plain sigmoid): its arrays from
        the read-ahead when a shipped model's text is given (readahead.py), else from it."""
        header = text.partition("\nTree=")[0]
        values = _fields(header)
        objective = values.get("objective", "")
        if not objective.startswith(("binary", "cross_entropy")) or \
                objective.startswith("cross_entropy_lambda"):
            raise CleanerError(f"{name}: a binary tree model expected, not {objective!r}")
        sigmoid = 1.0
        for part in objective.split()[1:]:
            if part.startswith("sigmoid:"):
                sigmoid = float(part.split(":", 1)[1])
        n_features = int(values.get("max_feature_idx", "-1")) + 1
        arrays = readahead.group(text)
        if arrays is None or set(arrays) != set(_ARRAYS):
            arrays = cls.read_arrays(text, name)
        return cls(**{key: arrays[key] for key in _ARRAYS}, sigmoid=sigmoid,
                   n_features=n_features, text=text)

    @staticmethod
    def read_arrays(text: str, name: str = "model") -> dict[str, np.ndarray]:
        """The trees' arrays (`_ARRAYS`), read from LightGBM's model text."""
        body = text.partition("\nTree=")[2]
        roots: list[int] = []
        # Each field's values of every tree, as text, converted at once (float() per value:
        # the same doubles LightGBM's text holds).
        feature: list[str] = []
        threshold: list[str] = []
        left: list[str] = []
        right: list[str] = []
        kinds: list[str] = []
        leaf: list[str] = []
        node_bases: list[int] = []  # per node: its tree's first node
        leaf_bases: list[int] = []  # per node: its tree's first leaf
        for block in ("Tree=" + body).split("\nTree=") if body else []:
            tree = _fields(block.split("\n\n", 1)[0])
            if "num_leaves" not in tree:
                continue
            node_base, leaf_base = len(feature), len(leaf)
            leaf.extend(tree["leaf_value"].split())
            if int(tree["num_leaves"]) == 1:
                roots.append(~leaf_base)
                continue
            if int(tree.get("num_cat", "0")) > 0:
                raise CleanerError(f"{name}: categorical splits are not supported")
            roots.append(node_base)
            splits = tree["split_feature"].split()
            feature.extend(splits)
            threshold.extend(tree["threshold"].split())
            left.extend(tree["left_child"].split())
            right.extend(tree["right_child"].split())
            kinds.extend(tree["decision_type"].split())
            node_bases.extend([node_base] * len(splits))
            leaf_bases.extend([leaf_base] * len(splits))
        decision = np.array(list(map(int, kinds)), dtype=np.int64)
        if (decision & _CATEGORICAL).any():
            raise CleanerError(f"{name}: categorical splits are not supported")
        bases = np.array(node_bases, dtype=np.int64)
        leaf_starts = np.array(leaf_bases, dtype=np.int64)

        def children(values: list[str]) -> np.ndarray:
            # a node index within its tree, or ~leaf within its tree
            index = np.array(list(map(int, values)), dtype=np.int64)
            return np.where(index >= 0, bases + index, ~(leaf_starts + ~index)).astype(np.int32)

        if not roots:
            raise CleanerError(f"{name}: the model holds no trees")
        missing = ((decision >> 2) & 3) | np.where(decision & _DEFAULT_LEFT, 4, 0)
        return {"roots": np.array(roots, dtype=np.int32),
                "feature": np.array(list(map(int, feature)), dtype=np.int32),
                "threshold": np.array(list(map(float, threshold)), dtype=np.float64),
                "left": children(left), "right": children(right),
                "missing": missing.astype(np.uint8),
                "leaf": np.array(list(map(float, leaf)), dtype=np.float64)}


def _fields(block: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in block.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out
