"""Psychometric function fit (maximum likelihood, vectorised) and bootstrap threshold intervals.

Model, per cell i at scale s_i (px), log-scale x_i = ln s_i:

    p_i = g_i + (1 - g_i - lam) * F((x_i - a) / w),   F = logistic

- g_i, the floor, is FIXED at the task's chance (the mean `chance` of the cell's trials, so pooled
  cells of tasks with different chance get the chance of their mix);
- lam, the lapse rate, is free in [0, LAPSE_MAX] (so the ceiling 1 - lam is fitted, >= 0.8);
- a is the log threshold: at s = e^a accuracy is exactly halfway between chance and the ceiling,
  which is the threshold this module reports; w (> 0) is the width in log-px.

Why not a library (weighed 2026 for this issue):
- psignifit 4.3 (PyPI) is GPL-3.0, which snellen (Apache-2.0) cannot depend on, and it is a Bayesian
  grid posterior that took 0.89 s for ONE 9-cell fit on this machine: 1,000 simulated runs x 1,000
  bootstrap replicates would take ~10 days. questplus (GPL-3.0 too) does adaptive stimulus
  placement (QUEST+), not fitting of a finished grid; it is the tool for a later adaptive exam.
- So the fit is written here in numpy: one batched Fisher-scoring loop fits every row of a
  (rows x cells) array at once: many (model, task) groups and all their bootstrap replicates in a
  single call. Point estimates start from a coarse grid search (robust to local optima); bootstrap
  replicates start from a grid over `a` around their group's estimate. Each iteration takes the best
  of a ladder of step lengths (never decreasing the likelihood); parameters at a bound whose
  gradient points outward are held fixed (projected Newton).

Bootstrap: trials are resampled with replacement within each cell, i.e. k*_i ~ Binomial(n_i, k_i/n_i)
(identical for binary outcomes), the model is refitted on every replicate, and the CI is the
percentile interval of the replicate thresholds. Repeats of one sample are counted as separate
trials. Coverage and bias of this procedure are checked by benchmarks/simulate_thresholds.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

LAPSE_MAX = 0.2
WIDTH_MIN, WIDTH_MAX = 0.02, 2.0  # log-px; 0.02 is a step, 2.0 a rise spread over ~100x in size
LOC_MARGIN = 1.5  # the log threshold may lie this far (log-px) outside the grid, then it is censored
_EPS = 1e-9
LL_TOL = 1e-7  # relative log-likelihood gain below which an iteration counts as converged
_STEPS = 2.0 ** -np.arange(0, 12)


@dataclass
class Fit:
    """Fitted parameters per row. `loc` is ln(threshold), `width` in log-px, `lapse` in [0, LAPSE_MAX]."""

    loc: np.ndarray
    width: np.ndarray
    lapse: np.ndarray
    loglik: np.ndarray
    converged: np.ndarray

    @property
    def threshold(self) -> np.ndarray:
        return np.exp(self.loc)


def predict(x, floor, loc, width, lapse) -> np.ndarray:
    """Accuracy of the model at log-scales x (rows broadcast against parameters of shape (rows, 1))."""
    return floor + (1.0 - floor - lapse) * expit((x - loc) / width)


def _loglik(x, k, n, g, theta) -> np.ndarray:
    """theta: (..., 3) = (loc, log width, lapse); x, k, n, g: (..., m). Returns (...)."""
    p = predict(x, g, theta[..., 0:1], np.exp(theta[..., 1:2]), theta[..., 2:3])
    p = np.clip(p, _EPS, 1.0 - _EPS)
    return np.sum(k * np.log(p) + (n - k) * np.log1p(-p), axis=-1)


def _bounds(x, n) -> tuple[np.ndarray, np.ndarray]:
    """Per-row parameter bounds (rows, 3): loc within LOC_MARGIN of the row's populated grid."""
    big = np.where(n > 0, x, np.nan)
    lo_x, hi_x = np.nanmin(big, axis=1), np.nanmax(big, axis=1)
    rows = x.shape[0]
    lo = np.column_stack([lo_x - LOC_MARGIN, np.full(rows, np.log(WIDTH_MIN)), np.zeros(rows)])
    hi = np.column_stack([hi_x + LOC_MARGIN, np.full(rows, np.log(WIDTH_MAX)), np.full(rows, LAPSE_MAX)])
    return lo, hi


def _grid_start(x, k, n, g, lo, hi, candidates: np.ndarray, chunk: int) -> np.ndarray:
    """Best of `candidates` (rows, c, 3) per row, by likelihood, in row chunks to bound memory."""
    best = np.empty((x.shape[0], 3))
    for s in range(0, x.shape[0], chunk):
        e = min(s + chunk, x.shape[0])
        cand = np.clip(candidates[s:e], lo[s:e, None, :], hi[s:e, None, :])
        ll = _loglik(x[s:e, None, :], k[s:e, None, :], n[s:e, None, :], g[s:e, None, :], cand)
        best[s:e] = cand[np.arange(e - s), np.argmax(ll, axis=1)]
    return best


def _refine(x, k, n, g, theta, lo, hi, max_iter: int = 60, tol: float = 1e-7):
    """Batched projected Fisher scoring with a step-length ladder. Returns (theta, loglik, converged)."""
    theta = theta.copy()
    ll = _loglik(x, k, n, g, theta)
    converged = np.zeros(theta.shape[0], dtype=bool)
    active = np.arange(theta.shape[0])
    for _ in range(max_iter):
        if active.size == 0:
            break
        th, xa, ka, na, ga = theta[active], x[active], k[active], n[active], g[active]
        loc, w, lam = th[:, 0:1], np.exp(th[:, 1:2]), th[:, 2:3]
        z = (xa - loc) / w
        f = expit(z)
        p = np.clip(ga + (1.0 - ga - lam) * f, _EPS, 1.0 - _EPS)
        rise = (1.0 - ga - lam) * f * (1.0 - f)
        jac = np.stack([-rise / w, -rise * z, -f], axis=-1)  # dp/d(loc, log w, lapse): (r, m, 3)
        resid = (ka - na * p) / (p * (1.0 - p))
        grad = np.einsum("rm,rmj->rj", resid, jac)
        info = np.einsum("rm,rmi,rmj->rij", na / (p * (1.0 - p)), jac, jac)
        # Hold parameters that sit on a bound with the gradient pointing out of the box.
        held = ((th <= lo[active] + 1e-12) & (grad < 0)) | ((th >= hi[active] - 1e-12) & (grad > 0))
        grad = np.where(held, 0.0, grad)
        eye = np.eye(3)[None]
        mask = held[:, :, None] | held[:, None, :]
        info = np.where(mask, 0.0, info) + eye * held[:, :, None]
        info = info + eye * (1e-9 + 1e-6 * np.abs(np.diagonal(info, axis1=1, axis2=2)).max(axis=1))[:, None, None]
        step = np.linalg.solve(info, grad[..., None])[..., 0]
        cand = th[:, None, :] + _STEPS[None, :, None] * step[:, None, :]
        cand = np.clip(cand, lo[active][:, None, :], hi[active][:, None, :])
        cll = _loglik(xa[:, None, :], ka[:, None, :], na[:, None, :], ga[:, None, :], cand)
        pick = np.argmax(cll, axis=1)
        new_ll = cll[np.arange(active.size), pick]
        better = new_ll > ll[active]
        gain = np.where(better, new_ll - ll[active], 0.0)
        new_th = np.where(better[:, None], cand[np.arange(active.size), pick], th)
        moved = np.max(np.abs(new_th - th), axis=1)
        theta[active] = new_th
        ll[active] = np.where(better, new_ll, ll[active])
        # Converged when the parameters stop moving or the likelihood stops rising: a curve that is at
        # its ceiling across the grid has a flat ridge towards ever smaller thresholds (censored later).
        done = (moved < tol) | ~better | (gain < LL_TOL * np.maximum(1.0, np.abs(ll[active])))
        converged[active[done]] = True
        active = active[~done]
    return theta, ll, converged


def _as_rows(x, k, n, g):
    k = np.atleast_2d(np.asarray(k, dtype=float))
    rows = k.shape[0]
    x, n, g = (np.broadcast_to(np.atleast_2d(np.asarray(v, dtype=float)), k.shape).copy() for v in (x, n, g))
    if np.any(k < 0) or np.any(k > n):
        raise ValueError("psychometric fit: successes must lie in [0, trials] in every cell")
    if np.any((n > 0).sum(axis=1) < 2):
        raise ValueError("psychometric fit: every row needs at least two populated cells")
    assert x.shape == (rows, k.shape[1])
    return x, k, n, g


def fit(x, k, n, floor, chunk: int = 4096) -> Fit:
    """Maximum-likelihood fit of every row. x: log-scales (rows, m); k, n: successes, trials; floor: chance.

    Cells with n == 0 are padding and contribute nothing. Starts from a (loc x width x lapse) grid.
    """
    x, k, n, g = _as_rows(x, k, n, floor)
    lo, hi = _bounds(x, n)
    rows = x.shape[0]
    u = np.linspace(0.0, 1.0, 24)
    locs = lo[:, None, 0] + u[None, :] * (hi[:, None, 0] - lo[:, None, 0])  # (rows, 24)
    widths = np.log(np.geomspace(WIDTH_MIN * 2, WIDTH_MAX / 2, 7))
    lapses = np.array([0.0, 0.04, 0.15])
    grid = np.stack(np.meshgrid(np.arange(24), widths, lapses, indexing="ij"), axis=-1).reshape(-1, 3)
    cand = np.empty((rows, grid.shape[0], 3))
    cand[:, :, 0] = locs[:, grid[:, 0].astype(int)]
    cand[:, :, 1] = grid[None, :, 1]
    cand[:, :, 2] = grid[None, :, 2]
    start = _grid_start(x, k, n, g, lo, hi, cand, max(1, chunk // 8))
    theta, ll, conv = _refine(x, k, n, g, start, lo, hi)
    return Fit(theta[:, 0], np.exp(theta[:, 1]), theta[:, 2], ll, conv)


def fit_from(x, k, n, floor, start: np.ndarray, chunk: int = 65536) -> Fit:
    """Fit rows starting near `start` (rows, 3 = loc, width, lapse): used for bootstrap replicates.

    Tries `loc` on a grid around the start (keeping its width and lapse) before refining, so a
    replicate whose threshold moved far still reaches its own optimum.
    """
    x, k, n, g = _as_rows(x, k, n, floor)
    lo, hi = _bounds(x, n)
    s = np.column_stack([start[:, 0], np.log(start[:, 1]), start[:, 2]])
    offsets = np.linspace(-1.0, 1.0, 11)
    cand = np.repeat(s[:, None, :], offsets.size, axis=1)
    cand[:, :, 0] += offsets[None, :]
    start_theta = _grid_start(x, k, n, g, lo, hi, cand, chunk)
    theta, ll, conv = _refine(x, k, n, g, start_theta, lo, hi)
    return Fit(theta[:, 0], np.exp(theta[:, 1]), theta[:, 2], ll, conv)


@dataclass
class ThresholdEstimate:
    """Per group: point fit plus bootstrap percentile CI of the threshold (px, on the fitted axis)."""

    fit: Fit
    ci_low: np.ndarray
    ci_high: np.ndarray
    boot_converged: np.ndarray  # share of replicates that converged, per group
    n_boot: int


def bootstrap_thresholds(
    x, k, n, floor, rng: np.random.Generator, n_boot: int = 1000, level: float = 0.95
) -> ThresholdEstimate:
    """Fit each row (group) and bootstrap its threshold CI, all groups and replicates in one batch."""
    x, k, n, g = _as_rows(x, k, n, floor)
    point = fit(x, k, n, g)
    rows, m = k.shape
    if n_boot <= 0:
        nan = np.full(rows, np.nan)
        return ThresholdEstimate(point, nan, nan.copy(), nan.copy(), 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n > 0, k / np.where(n > 0, n, 1), 0.0)
    kb = rng.binomial(n.astype(np.int64)[:, None, :].repeat(n_boot, 1), rate[:, None, :].repeat(n_boot, 1))
    rep = lambda a: np.repeat(a, n_boot, axis=0)  # noqa: E731
    start = np.column_stack([point.loc, point.width, point.lapse])
    boot = fit_from(rep(x), kb.reshape(rows * n_boot, m).astype(float), rep(n), rep(g), rep(start))
    locs = boot.loc.reshape(rows, n_boot)
    alpha = (1.0 - level) / 2.0
    lo_q, hi_q = np.quantile(locs, [alpha, 1.0 - alpha], axis=1)
    conv = boot.converged.reshape(rows, n_boot).mean(axis=1)
    return ThresholdEstimate(point, np.exp(lo_q), np.exp(hi_q), conv, n_boot)
