"""Acuity per group (model x task, x count, x kind): accuracy curves and thresholds on two axes.

Axes: `nominal` is the cell's nominal scale (px); `effective` is the median `effective_scale` of the
cell's trials (what the vision encoder received); it is unknown (NaN, said so) if any trial lacks it.
`geometric` is the median `geometric_scale` (the size the outline was drawn at before rasterisation, see
render.fit_outline), unknown likewise; thresholds on it are computed when asked (`axes=`).
Cells are always the nominal-scale cells; only their position on the axis changes.

Figures per group and axis:
- threshold: Bayesian psychometric fit (see psychometric.py): the marginal posterior median of the
  threshold with its equal-tailed 95% credible interval (a steep curve's interval spans the gap between
  the grid sizes that bracket it: the data place it no closer);
- RT50 / RT80 (FineSightBench): the smallest scale where strict accuracy reaches >= 50% / 80%,
  linearly interpolated between the last cell below and the first cell at or above;
- AUC: trapezoidal area under accuracy(scale px) over the grid, divided by the grid's span;
- saturation: the plateau is the pooled accuracy of the two largest scales. A cell is "below the
  plateau" when a one-sided Fisher exact test (cell accuracy < plateau accuracy) has p < 0.05. The
  saturation scale is the smallest scale s such that no cell at a scale >= s is below the plateau.
  If the plateau itself is not significantly above chance (one-sided binomial test, p < 0.05) the
  curve never rises and saturation is "not reached".

A threshold is a number only if the curve rises: when the plateau is not significantly above chance (the
test above), the threshold is censored "> largest scale" whatever a fit to the noise would say.

Censoring: a threshold, CI bound, RT or saturation scale outside the grid is never a number. The
numeric column is NaN and a censor column holds "<" (below the smallest scale), "<=" (reached
already at the smallest scale) or ">" (beyond the largest); `*_text` columns render e.g. "< 4 px".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binom, hypergeom

from snellen.analysis.frame import check_frame, scored
from snellen.analysis.intervals import wilson
from snellen.analysis.psychometric import posterior_thresholds

AXES = ("nominal", "effective", "geometric")
DEFAULT_AXES = ("nominal", "effective")
ALPHA = 0.05


def curves(df: pd.DataFrame, by=("profile", "model", "task")) -> pd.DataFrame:
    """One row per (group, nominal scale): k, n, accuracy, Wilson 95% CI, chance, every axis position."""
    check_frame(df)
    d = scored(df)
    if "geometric_scale" not in d.columns:  # score tables written before it was recorded
        d = d.assign(geometric_scale=np.nan)
    keys = list(by) + ["scale"]
    d = d.assign(_eff_known=d["effective_scale"].notna(), _geo_known=d["geometric_scale"].notna())
    g = d.groupby(keys, sort=True, observed=True)
    out = g.agg(
        k=("strict", "sum"), n=("strict", "size"), chance=("chance", "mean"),
        effective=("effective_scale", "median"), _eff_all=("_eff_known", "all"),
        geometric=("geometric_scale", "median"), _geo_all=("_geo_known", "all"),
    ).reset_index()
    out["k"] = out["k"].astype(int)
    out.loc[~out["_eff_all"], "effective"] = np.nan
    out.loc[~out["_geo_all"], "geometric"] = np.nan
    out = out.drop(columns=["_eff_all", "_geo_all"])
    out["nominal"] = out["scale"].astype(float)
    out["accuracy"] = out["k"] / out["n"]
    out["ci_low"], out["ci_high"] = wilson(out["k"].to_numpy(), out["n"].to_numpy())
    return out


def _first_crossing(xs: np.ndarray, acc: np.ndarray, level: float) -> tuple[float, str]:
    hit = np.nonzero(acc >= level)[0]
    if hit.size == 0:
        return np.nan, ">"
    i = hit[0]
    if i == 0:
        return np.nan, "<="
    x0, x1, a0, a1 = xs[i - 1], xs[i], acc[i - 1], acc[i]
    return float(x0 + (level - a0) * (x1 - x0) / (a1 - a0)), ""


def _saturation(xs, k, n, chance) -> tuple[float, str, float]:
    top = slice(-2, None) if len(xs) >= 3 else slice(-1, None)
    kp, np_ = k[top].sum(), n[top].sum()
    plateau = kp / np_
    if binom.sf(kp - 1, np_, float(np.mean(chance[top]))) >= ALPHA:
        return np.nan, ">", plateau
    # P(X <= k_s) for the cell's share of all successes under equal rates (Fisher, one-sided "less").
    below = hypergeom.cdf(k, n + np_, k + kp, n) < ALPHA
    below[top] = False
    idx = np.nonzero(below)[0]
    first = 0 if idx.size == 0 else idx[-1] + 1
    if first == 0:
        return np.nan, "<=", plateau
    return float(xs[first]), "", plateau


def _fmt(v: float) -> str:
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def censored_text(value: float, censor: str, lo_grid: float, hi_grid: float) -> str:
    if censor in ("<", "<="):
        return f"{censor} {_fmt(lo_grid)} px"
    if censor == ">":
        return f"> {_fmt(hi_grid)} px"
    if censor == "n/a" or np.isnan(value):
        return "n/a"
    return f"{_fmt(value)} px"


def _bound_text(v: float, lo_grid: float, hi_grid: float) -> str:
    if v < lo_grid:
        return f"< {_fmt(lo_grid)}"
    if v > hi_grid:
        return f"> {_fmt(hi_grid)}"
    return _fmt(v)


def thresholds(
    df: pd.DataFrame, rng: np.random.Generator, by=("profile", "model", "task"), n_boot: int = 1000,
    level: float = 0.95, axes: tuple[str, ...] = DEFAULT_AXES,
) -> pd.DataFrame:
    """One row per group with every acuity figure on each of `axes` (columns prefixed by the axis name).

    The threshold interval is a posterior credible interval: it needs no resampling, so `rng` is unused
    and `n_boot` only switches it off (0: point estimates only); both stay for callers' signatures."""
    unknown = [a for a in axes if a not in AXES]
    if unknown:
        raise ValueError(f"unknown axis {unknown[0]!r}; known: {', '.join(AXES)}")
    cur = curves(df, by)
    by = list(by)
    groups = list(cur.groupby(by, sort=True, observed=True))
    rows: list[dict] = []
    fit_jobs: list[tuple[int, str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for gi, (key, cell) in enumerate(groups):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(by, key))
        k, n, chance = cell["k"].to_numpy(), cell["n"].to_numpy(), cell["chance"].to_numpy()
        row.update(trials=int(n.sum()), cells=len(cell), accuracy=k.sum() / n.sum(), chance=float(np.average(chance, weights=n)))
        for axis in axes:
            xs = cell[axis].to_numpy(dtype=float)
            lo_g, hi_g = (np.nanmin(xs), np.nanmax(xs)) if np.isfinite(xs).all() else (np.nan, np.nan)
            row[f"{axis}_grid"] = (lo_g, hi_g)
            # Every row has every column; groups that cannot be fitted say why in the text.
            row.update({f"{axis}_{c}_censor": "n/a" for c in ("threshold", "rt50", "rt80", "saturation")})
            row.update({f"{axis}_{c}": np.nan for c in ("lapse", "width", "fit_threshold_raw", "fit_resolved")})
            if not np.isfinite(xs).all():
                row.update({f"{axis}_{c}_text": "unknown" for c in ("threshold", "rt50", "rt80", "saturation")})
                row.update({f"{axis}_{c}": np.nan for c in ("threshold", "ci_low", "ci_high", "rt50", "rt80", "auc", "saturation")})
                continue
            order = np.argsort(xs)
            xs_o, acc_o = xs[order], (k / n)[order]
            for lvl in (50, 80):
                v, c = _first_crossing(xs_o, acc_o, lvl / 100)
                row[f"{axis}_rt{lvl}"], row[f"{axis}_rt{lvl}_censor"] = v, c
                row[f"{axis}_rt{lvl}_text"] = censored_text(v, c, lo_g, hi_g)
            row[f"{axis}_auc"] = float(np.trapezoid(acc_o, xs_o) / (hi_g - lo_g)) if hi_g > lo_g else np.nan
            v, c, plateau = _saturation(xs_o, k[order], n[order], chance[order])
            row[f"{axis}_saturation"], row[f"{axis}_saturation_censor"] = v, c
            row[f"{axis}_saturation_text"] = censored_text(v, c, lo_g, hi_g) if c != ">" else "not reached"
            row["plateau"] = plateau
            if len(xs) >= 2:
                fit_jobs.append((gi, axis, np.log(xs), k, n, chance))
            else:
                row[f"{axis}_threshold_text"] = "n/a (one scale)"
                row.update({f"{axis}_{c}": np.nan for c in ("threshold", "ci_low", "ci_high")})
        rows.append(row)
    if fit_jobs:
        m = max(len(j[2]) for j in fit_jobs)
        pad = lambda a, fill: np.concatenate([a, np.full(m - len(a), fill)])  # noqa: E731
        X = np.stack([pad(j[2], j[2][0]) for j in fit_jobs])
        K = np.stack([pad(j[3].astype(float), 0.0) for j in fit_jobs])
        N = np.stack([pad(j[4].astype(float), 0.0) for j in fit_jobs])
        G = np.stack([pad(j[5], 0.0) for j in fit_jobs])
        est = posterior_thresholds(X, K, N, G, level=level)
        for r, (gi, axis, *_rest) in enumerate(fit_jobs):
            row = rows[gi]
            lo_g, hi_g = row[f"{axis}_grid"]
            t, lo, hi = est.threshold[r], est.ci_low[r], est.ci_high[r]
            censor = "<" if t < lo_g else ">" if t > hi_g else ""
            if row[f"{axis}_saturation_censor"] == ">":
                censor = ">"  # the curve is never significantly above chance: no threshold within the grid
            row[f"{axis}_threshold"] = t if censor == "" else np.nan
            row[f"{axis}_threshold_censor"] = censor
            row[f"{axis}_ci_low"] = lo if lo >= lo_g and n_boot > 0 else np.nan
            row[f"{axis}_ci_high"] = hi if hi <= hi_g and n_boot > 0 else np.nan
            text = censored_text(t, censor, lo_g, hi_g)
            if censor == "" and n_boot > 0:
                text += f" [{_bound_text(lo, lo_g, hi_g)}, {_bound_text(hi, lo_g, hi_g)}]"
            row[f"{axis}_threshold_text"] = text
            row[f"{axis}_lapse"], row[f"{axis}_width"] = est.lapse[r], est.width[r]
            row[f"{axis}_fit_threshold_raw"] = t  # for plotting the fitted curve only
            row[f"{axis}_fit_resolved"] = est.resolved[r]
    # no answered trial at all (every response an error): an empty table that still has its key columns
    out = pd.DataFrame(rows) if rows else pd.DataFrame(columns=by)
    return out


def dissociation(df: pd.DataFrame, rng: np.random.Generator, n_boot: int = 1000) -> pd.DataFrame:
    """Perception vs reasoning per (profile, model): pooled thresholds, plateaus and their gap."""
    t = thresholds(df, rng, by=("profile", "model", "kind"), n_boot=n_boot)
    keep = ["nominal_threshold_text", "nominal_rt50_text", "nominal_saturation_text", "plateau", "accuracy", "nominal_auc"]
    wide = t.pivot_table(index=["profile", "model"], columns="kind", values=[c for c in keep if t[c].dtype != object], aggfunc="first")
    wide.columns = [f"{kind}_{col}" for col, kind in wide.columns]
    texts = t.set_index(["profile", "model", "kind"])[[c for c in keep if t[c].dtype == object]].unstack("kind")
    texts.columns = [f"{kind}_{col}" for col, kind in texts.columns]
    out = wide.join(texts).reset_index()
    if {"perception_plateau", "reasoning_plateau"} <= set(out.columns):
        out["plateau_gap"] = out["perception_plateau"] - out["reasoning_plateau"]
    return out
