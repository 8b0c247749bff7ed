"""Adaptive exam vs the full grid, on simulated observers with KNOWN psychometric functions.

For RUNS observers (threshold log-uniform in 5-30 px, width 0.25 log px, lapse 0.03, chance 1/26 = a letter
task) it measures:
1. the grid: 9 scales x 10 trials (90 queries), thresholds by the analysis (acuity.thresholds): the median width
   of their 95% intervals (log px) and their coverage;
2. the adaptive search stopped at that same interval width (budget 300): queries used, coverage of the
   search's own 95% posterior interval, bias; then the final figure the report shows, i.e. the analysis fit
   re-run over all the adaptive trials: its coverage and bias;
3. the method's overhead per trial (posterior update + choice of the next scale).
Prints the query ratio grid / adaptive at equal interval width (the issue's aim: 5x).

    .venv/bin/python benchmarks/bench_adaptive.py [--runs 500] [--width 0.25]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from snellen.analysis.acuity import thresholds
from snellen.analysis.adaptive import AdaptiveSpec, PsiSearch
from snellen.analysis.psychometric import predict

GRID = np.array([4, 6, 8, 10, 12, 16, 24, 32, 48])
CHANCE, LAPSE = 1 / 26, 0.03


def frame(trials: list[tuple[int, int, bool]]) -> pd.DataFrame:
    """(run, scale, correct) trials -> the score-table columns the analysis reads."""
    run, scale, ok = (np.array(v) for v in zip(*trials))
    n = len(run)
    return pd.DataFrame({
        "model": [f"obs{r:04d}" for r in run], "sample_id": [f"s{i}" for i in range(n)], "repeat": 0,
        "profile": "snellen", "task": "letter", "family": "letter", "kind": "perception", "scale": scale,
        "effective_scale": scale.astype(float), "count": 1, "chance": CHANCE,
        "outcome": np.where(ok, "correct", "wrong"), "strict": ok,
    })


def analysed(df: pd.DataFrame, truth: np.ndarray) -> dict[str, float]:
    th = thresholds(df, np.random.default_rng(0), by=("profile", "model", "task"), n_boot=500)
    th = th.sort_values("model")
    est, lo, hi = (th[f"nominal_{c}"].to_numpy(float) for c in ("fit_threshold_raw", "ci_low", "ci_high"))
    known = np.isfinite(lo) & np.isfinite(hi)
    # A bound outside the grid is reported as "< 4" / "> 48": an open end, which covers what lies beyond it.
    text = th["nominal_threshold_text"].astype(str)
    fitted = ~text.str.startswith(("n/a", "fit did not"))
    lo_open, hi_open = np.where(np.isfinite(lo), lo, 0.0), np.where(np.isfinite(hi), hi, np.inf)
    covered = (lo_open <= truth) & (truth <= hi_open) & fitted.to_numpy()
    return {"coverage": float(np.mean(covered)), "bounded": float(known.mean()),
            "median_width": float(np.nanmedian(np.log(hi / lo))), "bias": float(np.nanmedian(np.log(est / truth))),
            "rmse": float(np.sqrt(np.nanmean(np.log(est / truth) ** 2)))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--width", type=float, default=0.25, help="observers' psychometric width (log px)")
    ap.add_argument("--per-cell", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    truth = np.exp(rng.uniform(np.log(5), np.log(30), args.runs))

    # 1. the grid
    trials = []
    for r, t in enumerate(truth):
        p = predict(np.log(GRID), CHANCE, np.log(t), args.width, LAPSE)
        for s, pi in zip(GRID, p):
            trials += [(r, int(s), bool(x)) for x in rng.random(args.per_cell) < pi]
    g = analysed(frame(trials), truth)
    grid_queries = len(GRID) * args.per_cell
    print(f"grid: {grid_queries} queries/run; analysis CI coverage {g['coverage']:.3f} (both bounds inside the grid: {g['bounded']:.3f}), "
          f"median CI width {g['median_width']:.3f} log px, bias {g['bias']:+.3f}, rmse {g['rmse']:.3f}")

    # 2. adaptive to the grid's interval width
    spec = AdaptiveSpec(min_px=4, max_px=48, ci_width=g["median_width"], max_trials=300, min_trials=10)
    trials, used, post_cover, post_err, spent = [], [], [], [], 0.0
    for r, t in enumerate(truth):
        s = PsiSearch(spec, CHANCE)
        while s.stop_reason() is None:
            t0 = time.perf_counter()
            x = s.next_scale()
            spent -= time.perf_counter() - t0
            ok = bool(rng.random() < predict(np.log(x), CHANCE, np.log(t), args.width, LAPSE))
            t0 = time.perf_counter()
            s.update(x, ok)
            spent -= time.perf_counter() - t0
            trials.append((r, x, ok))
        lo, hi = s.interval()
        used.append(len(s.trials))
        post_cover.append(lo <= t <= hi)
        post_err.append(np.log(s.estimate() / t))
    overhead_ms = -spent / len(trials) * 1000
    a = analysed(frame(trials), truth)
    mean_used = float(np.mean(used))
    print(f"adaptive (psi-marginal, stop at CI width {spec.ci_width:.3f}): {mean_used:.1f} queries/run on average "
          f"(median {np.median(used):.0f}, max {max(used)}); posterior CI coverage {np.mean(post_cover):.3f}, "
          f"bias {np.median(post_err):+.3f}")
    print(f"adaptive re-fitted by the analysis (the report's figure): coverage {a['coverage']:.3f} "
          f"(bounded {a['bounded']:.3f}), median CI width {a['median_width']:.3f}, bias {a['bias']:+.3f}, rmse {a['rmse']:.3f}")
    print(f"queries ratio grid/adaptive at equal CI width: {grid_queries / mean_used:.2f}x (aim 5x)")
    print(f"method overhead per trial: {overhead_ms:.2f} ms (posterior update + next-scale choice)")


if __name__ == "__main__":
    main()
