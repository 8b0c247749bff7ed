"""Adaptive threshold search: the psi-marginal method (a QUEST+ variant) over snellen's psychometric model.

The model is the one the analysis fits (psychometric.py): at scale s (px), x = ln s,

    p(correct) = g + (1 - g - lam) * logistic((x - a) / w)

with g fixed at the task's chance. The search keeps a posterior on a grid over (a, ln w, lam), starting
from the priors the analysis uses (psychometric.py's log_prior_*, steps included, with the searchable
range as the tested one), and, before every trial, picks the integer scale whose outcome is expected to shrink the entropy of the posterior of the
threshold `a` the most, treating width and lapse as nuisance parameters (Prins 2013, "psi-marginal"; QUEST+,
Watson 2017, with entropy of the marginal). It stops when the 95% credible interval of the threshold is
narrower than the requested width (in log px: 0.3 means hi/lo = e^0.3 = 1.35), when the threshold lies
outside the searchable range with 97.5% posterior probability, or at the trial budget.

Why written here, not `questplus` (PyPI, weighed for this issue): questplus is GPL-3.0 (snellen is
Apache-2.0), pulls xarray, and recomputes the whole likelihood table per `update`; this module is ~100
lines of numpy on a 10,000-point grid, ~1 ms per trial (benchmarks/bench_adaptive.py prints it).

The search is a pure function of the trials it was given (`PsiSearch.replay`): a run resumed after a kill
rebuilds the identical posterior from the stored trials and proposes the identical next scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from snellen.analysis.psychometric import STEP_WIDTH, log_prior_lapse, log_prior_loc, log_prior_width, predict, prior_box

# Grid cells over the prior's box: loc, log width below STEP_WIDTH (steps: all alike on integer scales,
# so few cells), log width above it (smooth rises), lapse. Each point is its cell's centre.
N_LOC, N_STEP_WIDTH, N_SMOOTH_WIDTH, N_LAPSE = 128, 2, 12, 6


class AdaptiveSpec(BaseModel):
    """How one task's search runs; recorded in the run manifest."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    method: str = Field("psi-marginal", pattern="^psi-marginal$")
    min_px: int = Field(4, ge=1)
    max_px: int = Field(48, ge=2)
    ci_width: float | None = Field(0.4, gt=0.0, description="stop when the 95% interval spans <= this many log px")
    max_trials: int = Field(60, ge=2, description="query budget per task")
    min_trials: int = Field(10, ge=1)

    @model_validator(mode="after")
    def _range(self):
        if self.max_px <= self.min_px:
            raise ValueError(f"max_px ({self.max_px}) must exceed min_px ({self.min_px})")
        if self.min_trials > self.max_trials:
            raise ValueError(f"min_trials ({self.min_trials}) exceeds max_trials ({self.max_trials})")
        return self

    @property
    def stopping_rule(self) -> str:
        width = f"95% interval <= {self.ci_width:g} log px (hi/lo <= {np.exp(self.ci_width):.2f})" if self.ci_width else None
        parts = [p for p in (width, f"{self.max_trials} trials", "threshold outside the range") if p]
        return "first of: " + "; ".join(parts)


@dataclass(frozen=True)
class Trial:
    scale: int
    correct: bool
    chance: float


class PsiSearch:
    """One task's search. `next_scale()` proposes, `update()` takes the outcome, `stop_reason()` says when."""

    def __init__(self, spec: AdaptiveSpec, chance: float):
        self.spec = spec
        self.chance = float(chance)
        # The searchable range plays the tested range of the analysis's priors (it reaches LOC_MARGIN beyond
        # it, so a threshold outside the range is detectable).
        lo_x, hi_x = np.log([float(spec.min_px)]), np.log([float(spec.max_px)])
        box_lo, box_hi = (b[0] for b in prior_box(lo_x, hi_x))
        self.locs, _ = _cells(box_lo[0], box_hi[0], N_LOC)
        step_lw, step_cell = _cells(box_lo[1], np.log(STEP_WIDTH), N_STEP_WIDTH)
        smooth_lw, smooth_cell = _cells(np.log(STEP_WIDTH), box_hi[1], N_SMOOTH_WIDTH)
        log_widths = np.concatenate([step_lw, smooth_lw])
        self.widths = np.exp(log_widths)
        self.lapses, _ = _cells(box_lo[2], box_hi[2], N_LAPSE)
        self.scales = np.arange(spec.min_px, spec.max_px + 1)
        # Prior mass per cell = density x cell size; loc and lapse cells are equal, width cells differ.
        width_mass = log_prior_width(log_widths[None], lo_x, hi_x)[0] + np.log(np.concatenate([step_cell, smooth_cell]))
        self.log_post = (log_prior_loc(self.locs, lo_x, hi_x)[:, None, None] + width_mass[None, :, None]
                         + log_prior_lapse(self.lapses)[None, None, :])
        self.log_post -= _logsumexp(self.log_post)
        self._p_table: dict[float, np.ndarray] = {}
        self.trials: list[Trial] = []

    def _p_correct(self, x: np.ndarray, chance: float) -> np.ndarray:
        """p(correct) at log-scales x (c,) for every grid point: (c, loc, width, lapse)."""
        return predict(x[:, None, None, None], chance, self.locs[None, :, None, None],
                       self.widths[None, None, :, None], self.lapses[None, None, None, :])

    def _table(self, chance: float) -> np.ndarray:
        key = round(float(chance), 12)
        if key not in self._p_table:
            self._p_table[key] = np.clip(self._p_correct(np.log(self.scales.astype(float)), key), 1e-9, 1 - 1e-9)
        return self._p_table[key]

    def update(self, scale: int, correct: bool, chance: float | None = None) -> None:
        g = self.chance if chance is None else float(chance)
        p = self._p_correct(np.array([np.log(float(scale))]), g)[0]
        p = np.clip(p, 1e-9, 1 - 1e-9)
        self.log_post += np.log(p if correct else 1.0 - p)
        self.log_post -= _logsumexp(self.log_post)
        self.trials.append(Trial(int(scale), bool(correct), g))

    @classmethod
    def replay(cls, spec: AdaptiveSpec, chance: float, trials: list[Trial]) -> PsiSearch:
        s = cls(spec, chance)
        for t in trials:
            s.update(t.scale, t.correct, t.chance)
        return s

    def next_scale(self) -> int:
        """The scale whose outcome minimises the expected entropy of the threshold's marginal posterior."""
        post = np.exp(self.log_post)  # (L, W, Λ)
        pc = self._table(self.chance)  # (C, L, W, Λ)
        joint1 = pc * post[None]
        p1 = joint1.sum(axis=(1, 2, 3))  # (C,)
        m1 = joint1.sum(axis=(2, 3)) / p1[:, None]  # marginal over loc after a correct answer
        m0 = (post.sum(axis=(1, 2))[None, :] - joint1.sum(axis=(2, 3))) / (1.0 - p1)[:, None]
        h = p1 * _entropy(m1) + (1.0 - p1) * _entropy(m0)
        return int(self.scales[int(np.argmin(h))])  # argmin takes the first (smallest scale) on ties

    def loc_marginal(self) -> np.ndarray:
        return np.exp(self.log_post).sum(axis=(1, 2))

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Equal-tailed credible interval of the threshold, px."""
        m = self.loc_marginal()
        cdf = np.cumsum(m)
        a = (1.0 - level) / 2.0
        lo = float(np.interp(a, cdf, self.locs))
        hi = float(np.interp(1.0 - a, cdf, self.locs))
        return float(np.exp(lo)), float(np.exp(hi))

    def estimate(self) -> float:
        """Posterior median of the threshold, px."""
        m = self.loc_marginal()
        return float(np.exp(np.interp(0.5, np.cumsum(m), self.locs)))

    def outside(self) -> str | None:
        """'<' or '>' when the threshold lies outside the searchable scales with >= 97.5% probability."""
        m = self.loc_marginal()
        if m[self.locs < np.log(self.spec.min_px)].sum() >= 0.975:
            return "<"
        if m[self.locs > np.log(self.spec.max_px)].sum() >= 0.975:
            return ">"
        return None

    def stop_reason(self) -> str | None:
        n = len(self.trials)
        if n >= self.spec.max_trials:
            return "budget"
        if n < self.spec.min_trials:
            return None
        side = self.outside()
        if side is not None:
            return "below range" if side == "<" else "above range"
        if self.spec.ci_width is not None:
            lo, hi = self.interval()
            if np.log(hi / lo) <= self.spec.ci_width:
                return "ci width"
        return None


def _cells(lo: float, hi: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Centres of n equal cells spanning [lo, hi], and each cell's size."""
    size = (hi - lo) / n
    return lo + size * (np.arange(n) + 0.5), np.full(n, size)


def _logsumexp(a: np.ndarray) -> float:
    m = float(np.max(a))
    return m + float(np.log(np.sum(np.exp(a - m))))


def _entropy(m: np.ndarray) -> np.ndarray:
    m = np.clip(m, 1e-300, None)
    return -np.sum(m * np.log(m), axis=-1)
