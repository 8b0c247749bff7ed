"""Binomial confidence intervals for accuracy cells (Wilson score interval, vectorised).

Wilson rather than the normal approximation: accuracy cells near 0 or 1 (tiny or huge targets) are
the rule here, and Wilson keeps its coverage there and never leaves [0, 1].
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm


def wilson(k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes in n trials (arrays broadcast). n == 0 gives NaN bounds."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any(k < 0) or np.any(k > n):
        raise ValueError("wilson: successes must lie in [0, trials]")
    z = norm.ppf(0.5 + level / 2.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1.0 + z * z / n
        centre = (p + z * z / (2.0 * n)) / denom
        half = z * np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denom
        lo = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        hi = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    # The exact endpoints at k == 0 and k == n are 0 and 1; rounding must not move them.
    lo = np.where((k == 0) & (n > 0), 0.0, lo)
    hi = np.where((k == n) & (n > 0), 1.0, hi)
    return lo, hi
