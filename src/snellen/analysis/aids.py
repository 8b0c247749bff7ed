"""Acuity aids compared with the bare model: threshold shift with a paired interval, and what it costs.

A model whose spec wraps another through aids (e.g. `upscale:2/ocr:rapidocr`) is paired with the bare
model (`ocr:rapidocr`) where both are in the table. Per task, on the trials BOTH answered (same samples,
same repeats): the threshold ratio aided / bare with a paired bootstrap percentile interval (pairs of
trials resampled together, both curves refitted by the same maximum-likelihood fit the analysis uses), and
the cost ratios: tokens and seconds per trial, aided over bare (NaN where the backend reports none).
A ratio < 1 means the aid lets the model see smaller targets. A threshold outside the grid on either side
has no ratio (said so).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from snellen.analysis.frame import check_frame, scored
from snellen.analysis.psychometric import fit

LEVEL = 0.95


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
            idx = np.vstack([np.arange(len(wide)), rng.integers(0, len(wide), size=(n_boot, len(wide)))])
            K, N = [], []
            for sel in idx:  # row 0: the data; then the paired bootstrap replicates
                for x in (xb, xa):
                    k, n = _curve(scales[sel], x[sel], levels)
                    K.append(k)
                    N.append(n)
            K, N = np.array(K), np.array(N)
            X = np.broadcast_to(np.log(levels), K.shape)
            ok = (N > 0).sum(axis=1) >= 2
            loc = np.full(len(K), np.nan)
            f = fit(X[ok], K[ok], N[ok], np.full(K[ok].shape, chance))
            loc[ok] = np.where(f.converged, f.loc, np.nan)
            lo_g, hi_g = np.log(levels[0]), np.log(levels[-1])
            pair = loc.reshape(-1, 2)
            inside = (pair >= lo_g) & (pair <= hi_g)
            tb, ta = np.exp(pair[0])
            row.update(bare_threshold=tb, aided_threshold=ta)
            if not inside[0].all():
                row.update(ratio=np.nan, ratio_low=np.nan, ratio_high=np.nan,
                           shift_text="n/a (a threshold lies outside the grid)")
            else:
                reps = pair[1:][inside[1:].all(axis=1)]
                log_ratio = reps[:, 1] - reps[:, 0]
                a = (1 - LEVEL) / 2
                lo, hi = np.quantile(log_ratio, [a, 1 - a]) if len(log_ratio) >= 20 else (np.nan, np.nan)
                r = float(np.exp(pair[0, 1] - pair[0, 0]))
                row.update(ratio=r, ratio_low=float(np.exp(lo)), ratio_high=float(np.exp(hi)),
                           shift_text=f"x{r:.2f} [{np.exp(lo):.2f}, {np.exp(hi):.2f}] ({tb:.1f} -> {ta:.1f} px)"
                           if np.isfinite(lo) else f"x{r:.2f} ({tb:.1f} -> {ta:.1f} px; too few replicates inside the grid)")
            rows.append(row)
    return pd.DataFrame(rows)
