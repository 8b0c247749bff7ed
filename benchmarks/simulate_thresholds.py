"""Trustworthiness of the threshold interval: simulated observers with a KNOWN psychometric function.

For every regime of `snellen.analysis.simulate.REGIMES` (smooth curves with many trials, steep curves,
few trials per cell, lapses), RUNS simulated exams (fixed seed) are fitted in one vectorised batch;
prints how often the 95% interval covers the true threshold (target 93-97%; at 1,000 runs the binomial
sd of a coverage is 0.7 points), the median log error of the point estimate, the share of zero-width
intervals and the median interval width in grid steps. `--method bootstrap` is the estimator the product
used before (percentile bootstrap of the ML fit), for the before/after comparison.

    .venv/bin/python benchmarks/simulate_thresholds.py [--runs 1000] [--method posterior|bootstrap|both] [--speed]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from snellen.analysis import psychometric
from snellen.analysis.simulate import REGIMES, Regime, simulate_counts


def estimate(method: str, x, k, n, chance, rng, boot: int):
    if method == "bootstrap":
        est = psychometric.bootstrap_thresholds(x, k, n, chance, rng, n_boot=boot)
        return est.fit.threshold, est.ci_low, est.ci_high
    est = psychometric.posterior_thresholds(x, k, n, chance)
    return est.threshold, est.ci_low, est.ci_high


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--method", choices=("posterior", "bootstrap", "both"), default="posterior")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--only", default="", help="run only regimes whose name contains this")
    ap.add_argument("--speed", action="store_true", help="also time both estimators on 80 report-sized curves")
    args = ap.parse_args()
    methods = ("bootstrap", "posterior") if args.method == "both" else (args.method,)
    ok = True
    for regime in REGIMES:
        if args.only and args.only not in regime.name:
            continue
        x, k, n, truth = simulate_counts(regime, args.runs, np.random.default_rng(args.seed))
        step = np.median(np.diff(x))
        for method in methods:
            t0 = time.perf_counter()
            t, lo, hi = estimate(method, x, k, n, regime.chance, np.random.default_rng(args.seed + 1), args.boot)
            secs = time.perf_counter() - t0
            cover = float(np.mean((lo <= truth) & (truth <= hi)))
            logerr = np.log(t / truth)
            bias = float(np.median(logerr))
            zero = float(np.mean(hi / lo < 1.001))
            width = float(np.median(np.log(hi / lo)) / step)
            good = 0.93 <= cover <= 0.97
            verdict = "OK" if good else ("UNDER: claims more precision than the data give" if cover < 0.93
                                         else "over: conservative, wider than needed (steep curves: the whole gap)")
            ok &= good
            print(f"{regime.name:44s} {method:9s} coverage {100 * cover:5.1f}%  median log bias {bias:+.4f}"
                  f"  zero-width {100 * zero:5.1f}%  median width {width:4.2f} steps  {secs:6.1f} s"
                  f"  {verdict}", flush=True)
    print("all regimes within 93-97%" if ok else "some regimes outside 93-97% (see each line for which side)")
    if args.speed:
        # What a report pays: 80 curves (9 cells x 140 trials), both estimators in this one run.
        x, k, n, _ = simulate_counts(Regime("speed", 1 / 26, (5.0, 40.0), 0.25, 0.03, 140), 80, np.random.default_rng(0))
        t0 = time.perf_counter()
        psychometric.bootstrap_thresholds(x, k, n, 1 / 26, np.random.default_rng(0), n_boot=args.boot)
        tb = time.perf_counter() - t0
        t0 = time.perf_counter()
        psychometric.posterior_thresholds(x, k, n, 1 / 26)
        tp = time.perf_counter() - t0
        print(f"speed, 80 curves: bootstrap ({args.boot} replicates) {tb:.2f} s, posterior {tp:.2f} s: posterior {tb / tp:.1f}x faster")


if __name__ == "__main__":
    main()
