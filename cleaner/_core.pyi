"""Type stubs of the compiled core (cleaner/_core.pyx)."""

import numpy as np

def forest_scores(rows: np.ndarray, roots: np.ndarray, feature: np.ndarray,
                  threshold: np.ndarray, left: np.ndarray, right: np.ndarray,
                  missing: np.ndarray, leaf: np.ndarray, sigmoid: float) -> np.ndarray: ...
