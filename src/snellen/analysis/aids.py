"""Acuity aids compared with the bare model: threshold shift with a paired interval, and what it costs.

A model whose spec wraps another through aids (e.g. `upscale:2/ocr:rapidocr`) is paired with the bare
model (`ocr:rapidocr`) where both are in the table. Per task, on the trials BOTH answered (same samples,
same repeats): the threshold ratio aided / bare, both thresholds from the same Bayesian fit the rest of the
analysis reports (psychometric.posterior_thresholds: one threshold definition everywhere), with a 95%
interval of the ratio from draws of the two marginal posteriors (treated as independent: ignoring the
pairing can only widen it; a paired bootstrap gave a step zero width, as it did for thresholds), and
the cost ratios: tokens and seconds per trial, aided over bare (NaN where the backend reports none).
A ratio < 1 means the aid lets the model see smaller targets. A threshold outside the grid on either side
has no ratio (said so).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from snellen.analysis.frame import check_frame, scored
from snellen.analysis.psychometric import posterior_thresholds

LEVEL = 0.95
DRAWS = 4000  # posterior draws per threshold for the ratio's interval


def bare_model(spec: str) -> str | None:
    """The model an aided spec wraps (aids stripped), or None if `spec` is not an aid."""
    from snellen.models.aids import AidBackend
    from snellen.models.base import backends, parse_spec

    known = backends()
    inner, stripped = spec, False
    while True:
        prefix, target = parse_spec(inner)
        cls = known.get(prefix)
        if cls is None or not issubclass(cls, AidBackend) or "/" not in target:
            return inner if stripped else None
        inner, stripped = target.split("/", 1)[1], True


def _curve(scales: np.ndarray, strict: np.ndarray, levels: np.ndarray):
    k = np.array([strict[scales == s].sum() for s in levels], float)
    n = np.array([(scales == s).sum() for s in levels], float)
    return k, n


def aid_shifts(df: pd.DataFrame, rng: np.random.Generator, n_boot: int = 400) -> pd.DataFrame:
    """Per (aided model, task): thresholds, ratio aided / bare with its interval (n_boot == 0: none), costs."""
    check_frame(df)
    d = scored(df)
    models = sorted(d["model"].unique())
    rows = []
    for aided in models:
        bare = bare_model(aided)
        if bare is None or bare not in models:
            continue
        for (profile, task), g in d[d["model"].isin([aided, bare])].groupby(["profile", "task"], sort=True):
            wide = g.pivot_table(index=["sample_id", "repeat"], columns="model", values="strict", aggfunc="first")
            if aided not in wide or bare not in wide:
                continue
            wide = wide[[bare, aided]].dropna()
            if wide.empty:
                continue
            meta = g.drop_duplicates(["sample_id", "repeat"]).set_index(["sample_id", "repeat"]).loc[wide.index]
            scales, chance = meta["scale"].to_numpy(float), float(meta["chance"].mean())
            levels = np.unique(scales)
            row = {"profile": profile, "task": task, "bare": bare, "aided": aided, "pairs": len(wide),
                   "bare_accuracy": float(wide[bare].mean()), "aided_accuracy": float(wide[aided].mean())}
            cost = g.set_index(["sample_id", "repeat"])
            for col, name in (("tokens", "token_ratio"), ("latency_s", "time_ratio")):
                if col in cost:
                    a = cost[cost["model"] == aided][col].reindex(wide.index).mean()
                    b = cost[cost["model"] == bare][col].reindex(wide.index).mean()
                    row[name] = float(a / b) if np.isfinite(a) and np.isfinite(b) and b > 0 else np.nan
                else:
                    row[name] = np.nan
            if len(levels) < 2:
                row.update(ratio=np.nan, ratio_low=np.nan, ratio_high=np.nan, shift_text="n/a (one scale)")
                rows.append(row)
                continue
            xb, xa = wide[bare].to_numpy(bool), wide[aided].to_numpy(bool)
            K, N = zip(*(_curve(scales, x, levels) for x in (xb, xa)))
            X = np.broadcast_to(np.log(levels), (2, len(levels)))
            est = posterior_thresholds(X, np.array(K), np.array(N), np.full((2, len(levels)), chance), level=LEVEL)
            tb, ta = est.threshold
            row.update(bare_threshold=tb, aided_threshold=ta)
            if not ((levels[0] <= est.threshold) & (est.threshold <= levels[-1])).all():
                row.update(ratio=np.nan, ratio_low=np.nan, ratio_high=np.nan,
                           shift_text="n/a (a threshold lies outside the grid)")
            else:
                r = float(ta / tb)
                if n_boot > 0:
                    draws = est.draw_log_thresholds(rng, DRAWS)
                    a = (1 - LEVEL) / 2
                    lo, hi = np.exp(np.quantile(draws[1] - draws[0], [a, 1 - a]))
                    text = f"x{r:.2f} [{lo:.2f}, {hi:.2f}] ({tb:.1f} -> {ta:.1f} px)"
                else:
                    lo = hi = np.nan
                    text = f"x{r:.2f} ({tb:.1f} -> {ta:.1f} px)"
                row.update(ratio=r, ratio_low=float(lo), ratio_high=float(hi), shift_text=text)
            rows.append(row)
    return pd.DataFrame(rows)
