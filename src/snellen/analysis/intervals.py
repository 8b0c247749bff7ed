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


def paired_difference(both, only_a, only_b, neither, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Interval for p_a - p_b from paired binary outcomes (the same items, two models): Newcombe's hybrid
    score interval for paired data (Stat Med 1998, 17:2635, method 10): Wilson intervals of both
    proportions, combined with the phi correlation of the 2x2 table. Unlike a paired bootstrap it is never
    zero-width when every pair agrees (20 of 20 wrong for both is a difference of 0 with an interval).
    Arrays broadcast; no pairs gives NaN bounds."""
    a, b, c, d = (np.asarray(v, dtype=float) for v in (both, only_a, only_b, neither))
    n = a + b + c + d
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = (a + b) / n, (a + c) / n
        l1, u1 = wilson(a + b, n, level)
        l2, u2 = wilson(a + c, n, level)
        denom = (a + b) * (c + d) * (a + c) * (b + d)
        phi = np.where(denom > 0, (a * d - b * c) / np.sqrt(np.where(denom > 0, denom, 1.0)), 0.0)
        delta = p1 - p2
        lo = delta - np.sqrt(np.maximum((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2, 0.0))
        hi = delta + np.sqrt(np.maximum((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2, 0.0))
    lo = np.where(n > 0, np.clip(lo, -1.0, 1.0), np.nan)
    hi = np.where(n > 0, np.clip(hi, -1.0, 1.0), np.nan)
    return lo, hi
