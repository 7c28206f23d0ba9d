"""Type stubs of the compiled core (cleaner/_core.pyx)."""

import numpy as np

def forest_scores(rows: np.ndarray, roots: np.ndarray, nodes: np.ndarray,
                  threshold: np.ndarray, leaf: np.ndarray, sigmoid: float) -> np.ndarray: ...
