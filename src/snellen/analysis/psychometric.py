"""Psychometric function fits: the Bayesian grid posterior the product reports, and the maximum-likelihood fit.

Model, per cell i at scale s_i (px), log-scale x_i = ln s_i:

    p_i = g_i + (1 - g_i - lam) * F((x_i - a) / w),   F = logistic

- g_i, the floor, is FIXED at the task's chance (the mean `chance` of the cell's trials, so pooled
  cells of tasks with different chance get the chance of their mix);
- lam, the lapse rate, is free in [0, LAPSE_MAX] (so the ceiling 1 - lam is fitted, >= 0.8);
- a is the log threshold: at s = e^a accuracy is exactly halfway between chance and the ceiling,
  which is the ONE threshold snellen reports (report, leaderboard, exam); w (> 0) is the width in log-px.

What the product reports (`posterior_thresholds`): the posterior over (a, w, lam) on a grid, in the
manner of psignifit (Schuett et al. 2016): the threshold is the median of a's marginal posterior and
its interval the equal-tailed 95% credible interval of that marginal. Why not the bootstrap any more:
a bootstrap of a step (0% at 6 px, 100% at 8 px) resamples the same step and returns a zero-width
interval (6.9 [6.9, 6.9]) where the data only place the threshold somewhere between 6 and 8 px; the
posterior spreads over exactly that gap. benchmarks/simulate_thresholds.py measures the coverage of
both (`--method both`) on smooth curves, steep curves, few trials per cell and lapses.

Why not psignifit itself: psignifit 4.3 (PyPI) is GPL-3.0, which snellen (Apache-2.0) cannot depend on,
and it took 0.89 s for one 9-cell fit here; the report fits hundreds of curves. The grid posterior here
is batched over rows in numpy (~20-30 ms per curve). Our priors differ from psignifit's defaults where
the coverage check said so: psignifit's width prior starts at twice the smallest grid step, which
would squeeze a step's interval into the middle of its gap; ours admits steps (see posterior_thresholds).

`fit` (maximum likelihood, batched projected Fisher scoring from a grid start) and
`bootstrap_thresholds` (trials resampled within cells, percentile interval) are the previous estimator:
kept for tests of the model and so the benchmark can show the before/after; the product does not call them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

LAPSE_MAX = 0.2
WIDTH_MIN, WIDTH_MAX = 0.02, 2.0  # log-px, for the ML fit; 0.02 is a step, 2.0 a rise spread over ~100x in size
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


# ---------------------------------------------------------------------------------------------------
# Bayesian fit on a parameter grid (the default threshold estimate and its interval)
# ---------------------------------------------------------------------------------------------------

PRIOR_WIDTH_MIN = 1e-6  # log-px: steps may be as steep as they like (a true step needs a flat gap)
STEP_WIDTH = 0.02  # log-px: widths below this rise within a tenth of the finest grid step: steps
STEP_PRIOR_MASS = 0.3  # prior probability of a step (0.5 left 5-trial cells at 92% coverage; 0.3: 94%, true step 93%)
LAPSE_PRIOR_B = 5.0  # lapse prior ~ Beta(1, B) on [0, LAPSE_MAX]; psignifit uses B = 10, which biased thresholds up by 8% at a 15% lapse
_GRID = (40, 20, 6)  # points per pass on (loc, log width, lapse)
_PASSES = 4  # refinements at most: a pass zooms on the region holding the posterior's mass
_MASS_CUT = 1e-6  # marginal mass below which a grid slice is outside the refined region
_RESOLVED = 6  # grid points the threshold's interval must span to count as resolved


@dataclass
class PosteriorEstimate:
    """Per row: marginal posterior medians and the equal-tailed credible interval of the threshold (px).

    `resolved` is False where the final grid put the threshold's interval across fewer than _RESOLVED
    points (its bounds are then only as precise as the grid step)."""

    threshold: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    width: np.ndarray
    lapse: np.ndarray
    resolved: np.ndarray
    level: float
    loc_grid: np.ndarray  # (rows, A): the final pass's grid over ln(threshold)
    loc_mass: np.ndarray  # (rows, A): the marginal posterior mass at each grid point

    def draw_log_thresholds(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """(rows, size) draws of ln(threshold) from each row's marginal posterior (each grid point owns a cell)."""
        step = self.loc_grid[:, 1:2] - self.loc_grid[:, 0:1]
        edges = np.concatenate([self.loc_grid - step / 2, self.loc_grid[:, -1:] + step / 2], axis=1)
        cdf = np.concatenate([np.zeros((len(edges), 1)), np.cumsum(self.loc_mass, axis=1)], axis=1)
        cdf /= cdf[:, -1:]
        u = rng.random((len(edges), size))
        return np.stack([np.interp(ui, c, e) for ui, c, e in zip(u, cdf, edges)])


def log_prior_loc(a, lo_x, hi_x):
    """Log density of the threshold `a` (log px) for a curve tested over [lo_x, hi_x]: flat over the tested
    sizes, cosine fall-off to zero over LOC_MARGIN beyond each end (broadcasts like numpy)."""
    out = np.maximum(np.maximum(lo_x - a, a - hi_x), 0.0) / LOC_MARGIN
    with np.errstate(divide="ignore"):
        return np.where(out < 1.0, np.log(0.5 + 0.5 * np.cos(np.pi * np.minimum(out, 1.0)) + 1e-300), -np.inf)


_SPREAD = 2.0 * np.log(19.0)  # a logistic of scale w rises from 5% to 95% over this many w


def _smooth_limits(lo_x, hi_x):
    """psignifit's width range for a smooth rise, as logistic scales: flat while its 5-95% rise fits in the
    tested range, cosine fall-off to zero at three times the range."""
    flat = np.maximum((hi_x - lo_x) / _SPREAD, 2.0 * STEP_WIDTH)
    return flat, 3.0 * flat


def log_prior_width(lw, lo_x, hi_x):
    """Log density in log width, lw (rows, W) for rows tested over lo_x, hi_x (rows,): STEP_PRIOR_MASS
    log-uniform below STEP_WIDTH (steps: steeper than any grid step); the rest uniform in width from
    STEP_WIDTH on, with psignifit's fall-off."""
    w = np.exp(lw)
    flat, end = (v[:, None] for v in _smooth_limits(lo_x, hi_x))
    shape = np.where(w <= flat, 1.0, 0.5 + 0.5 * np.cos(np.pi * np.clip((w - flat) / (end - flat), 0.0, 1.0)))
    norm = (flat - STEP_WIDTH) + (end - flat) / 2.0  # integral of `shape` over width
    step = STEP_PRIOR_MASS / (np.log(STEP_WIDTH) - np.log(PRIOR_WIDTH_MIN))
    smooth = (1.0 - STEP_PRIOR_MASS) * w * shape / norm
    with np.errstate(divide="ignore"):
        return np.log(np.where(w < STEP_WIDTH, step, smooth))


def log_prior_lapse(lam):
    """Log density (up to a constant) of the lapse rate on [0, LAPSE_MAX]: Beta(1, LAPSE_PRIOR_B)."""
    return (LAPSE_PRIOR_B - 1.0) * np.log1p(-lam)


def prior_box(lo_x, hi_x) -> tuple[np.ndarray, np.ndarray]:
    """Where the prior is non-zero for rows tested over lo_x, hi_x (rows,): (lo, hi), each (rows, 3) over
    (loc, log width, lapse)."""
    lo = np.column_stack([lo_x - LOC_MARGIN, np.full_like(lo_x, np.log(PRIOR_WIDTH_MIN)), np.zeros_like(lo_x)])
    hi = np.column_stack([hi_x + LOC_MARGIN, np.log(_smooth_limits(lo_x, hi_x)[1]), np.full_like(lo_x, LAPSE_MAX)])
    return lo, hi


def _support(x, n):
    big = np.where(n > 0, x, np.nan)
    lo_x, hi_x = np.nanmin(big, axis=1), np.nanmax(big, axis=1)
    return (lo_x, hi_x, *prior_box(lo_x, hi_x))


def _posterior_pass(x, k, n, g, lo_x, hi_x, lo, hi):
    """Normalised posterior on a (rows, A, W, L) grid spanning [lo, hi] per row, with the grids."""
    u = [np.linspace(0.0, 1.0, s) for s in _GRID]
    a = lo[:, 0:1] + u[0] * (hi[:, 0:1] - lo[:, 0:1])  # (r, A)
    lw = lo[:, 1:2] + u[1] * (hi[:, 1:2] - lo[:, 1:2])  # (r, W)
    lam = lo[:, 2:3] + u[2] * (hi[:, 2:3] - lo[:, 2:3])  # (r, L)
    # float32 for the (rows, A, W, L, cells) block: half the memory traffic; log-likelihoods of a few
    # thousand trials keep ~1e-4 absolute precision, far below what moves a posterior weight.
    f32 = np.float32
    f = expit(((x[:, None, None, :] - a[:, :, None, None]) / np.exp(lw)[:, None, :, None]).astype(f32))  # (r, A, W, m)
    gg = g[:, None, None, None, :].astype(f32)
    p = gg + (f32(1.0) - gg - lam[:, None, None, :, None].astype(f32)) * f[:, :, :, None, :]  # (r, A, W, L, m)
    np.clip(p, f32(1e-7), f32(1.0 - 1e-7), out=p)
    kk, nk = k[:, None, None, None, :].astype(f32), (n - k)[:, None, None, None, :].astype(f32)
    logpost = np.sum(kk * np.log(p) + nk * np.log1p(-p), axis=-1, dtype=np.float64)
    logpost += log_prior_loc(a, lo_x[:, None], hi_x[:, None])[:, :, None, None]
    logpost += log_prior_lapse(lam)[:, None, None, :]
    logpost += log_prior_width(lw, lo_x, hi_x)[:, None, :, None]  # grids are uniform: equal cell volumes
    logpost -= logpost.reshape(len(x), -1).max(axis=1)[:, None, None, None]
    post = np.exp(logpost)
    post /= post.reshape(len(x), -1).sum(axis=1)[:, None, None, None]
    return post, (a, lw, lam)


def _quantiles(grid, mass, qs):
    """Quantiles of a marginal given as mass at evenly spaced grid points (each point owns a cell)."""
    step = grid[:, 1:2] - grid[:, 0:1]
    edges = np.concatenate([grid - step / 2, grid[:, -1:] + step / 2], axis=1)
    cdf = np.concatenate([np.zeros((len(grid), 1)), np.cumsum(mass, axis=1)], axis=1)
    cdf /= cdf[:, -1:]
    return np.stack([[np.interp(q, c, e) for q in qs] for c, e in zip(cdf, edges)])


def _region(grid, mass, lo, hi):
    """The span of grid points holding marginal mass above _MASS_CUT, widened by one point."""
    keep = mass > _MASS_CUT
    idx = np.arange(grid.shape[1])
    first = np.where(keep, idx, grid.shape[1]).min(axis=1)
    last = np.where(keep, idx, -1).max(axis=1)
    rows = np.arange(len(grid))
    new_lo = grid[rows, np.maximum(first - 1, 0)]
    new_hi = grid[rows, np.minimum(last + 1, grid.shape[1] - 1)]
    return np.maximum(new_lo, lo), np.minimum(new_hi, hi)


def posterior_thresholds(x, k, n, floor, level: float = 0.95, chunk: int = 16) -> PosteriorEstimate:
    """Bayesian fit of every row on a parameter grid; threshold = marginal posterior median of `loc`.

    Priors (psignifit's approach, our own choices, checked by benchmarks/simulate_thresholds.py):
    - loc: flat over the tested sizes, cosine fall-off over LOC_MARGIN beyond them;
    - width: a step with probability STEP_PRIOR_MASS (log-uniform on [PRIOR_WIDTH_MIN, STEP_WIDTH]),
      else a smooth rise: uniform in width from STEP_WIDTH while its 5-95% rise fits in the tested range,
      falling off (cosine) to zero at three times the range (psignifit's default). The step part
      is what makes a step's interval its whole gap: with smooth widths only, a step's posterior is a
      tent peaked mid-gap and its interval covered a true step's threshold 84% of the time;
    - lapse ~ Beta(1, LAPSE_PRIOR_B) on [0, LAPSE_MAX]; the floor is fixed at chance.
    The interval is the equal-tailed credible interval of the threshold's marginal posterior. The first
    pass spans the whole prior; each further pass zooms on the region that holds the posterior's mass,
    until the interval spans at least _RESOLVED grid points.
    """
    x, k, n, g = _as_rows(x, k, n, floor)
    rows = x.shape[0]
    q = np.full((rows, 3), np.nan)
    w_med, lam_med = np.full(rows, np.nan), np.full(rows, np.nan)
    resolved = np.zeros(rows, dtype=bool)
    loc_grid, loc_mass = np.zeros((rows, _GRID[0])), np.zeros((rows, _GRID[0]))
    alpha = (1.0 - level) / 2.0
    for s in range(0, rows, chunk):
        idx = np.arange(s, min(s + chunk, rows))
        lo_x, hi_x, lo, hi = _support(x[idx], n[idx])
        box_lo, box_hi = lo.copy(), hi.copy()
        active = np.arange(idx.size)
        for it in range(_PASSES):
            r = idx[active]
            post, (a, lw, lam) = _posterior_pass(x[r], k[r], n[r], g[r], lo_x[active], hi_x[active],
                                                 box_lo[active], box_hi[active])
            ma, mw, ml = post.sum(axis=(2, 3)), post.sum(axis=(1, 3)), post.sum(axis=(1, 2))
            qa = _quantiles(a, ma, (alpha, 0.5, 1.0 - alpha))
            ok = (qa[:, 2] - qa[:, 0]) >= _RESOLVED * (a[:, 1] - a[:, 0])
            q[r] = qa
            loc_grid[r], loc_mass[r] = a, ma
            w_med[r] = np.exp(_quantiles(lw, mw, (0.5,))[:, 0])
            lam_med[r] = _quantiles(lam, ml, (0.5,))[:, 0]
            resolved[r] = ok
            if it == 0:
                ok[:] = False  # the first pass only locates the mass
            for j, (grid, mass) in enumerate(((a, ma), (lw, mw), (lam, ml))):
                b_lo, b_hi = _region(grid, mass, lo[active, j], hi[active, j])
                tiny = b_hi - b_lo < 1e-9  # e.g. lapse pinned at 0: keep a sliver of span
                box_lo[active, j] = np.where(tiny, np.maximum(b_lo - 1e-6, lo[active, j]), b_lo)
                box_hi[active, j] = np.where(tiny, np.minimum(b_hi + 1e-6, hi[active, j]), b_hi)
            active = active[~ok]
            if active.size == 0:
                break
    return PosteriorEstimate(np.exp(q[:, 1]), np.exp(q[:, 0]), np.exp(q[:, 2]), w_med, lam_med, resolved, level,
                             loc_grid, loc_mass)
