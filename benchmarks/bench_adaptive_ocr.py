"""Adaptive vs grid on the REAL OCR observers: do the thresholds agree, and what does each cost in queries?

For each engine (rapidocr, tesseract) and task (letter, digit, word): the full grid (9 scales x --per-cell)
and the adaptive search stopped at --ci-width (or --max-trials), both re-fitted by the same analysis. Prints
both thresholds with their 95% intervals, whether each lies in the other's interval, and the queries used.

    .venv/bin/python benchmarks/bench_adaptive_ocr.py [--per-cell 10] [--ci-width 0.4] [--out /tmp/snellen-adaptive-ocr]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from snellen.analysis.acuity import thresholds
from snellen.cli.eval import adaptive_planner
from snellen.probes.suite import load_suite
from snellen.run import evaluate, select_suite
from snellen.scoring.frame import score_run
from snellen.store import Run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-cell", type=int, default=10)
    ap.add_argument("--ci-width", type=float, default=0.4)
    ap.add_argument("--max-trials", type=int, default=90)
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--tasks", default="letter,digit,word")
    ap.add_argument("--out", default="/tmp/snellen-adaptive-ocr")
    args = ap.parse_args()
    tasks = args.tasks.split(",")
    for engine in args.engines.split(","):
        model = f"ocr:{engine}"
        grid_out = Path(args.out) / f"{engine}-grid"
        ad_out = Path(args.out) / f"{engine}-adaptive"
        evaluate(model, select_suite(load_suite("acuity", per_cell=args.per_cell, only=tasks)), grid_out, progress=False)
        evaluate(model, adaptive_planner(load_suite("acuity", only=tasks), args.ci_width, args.max_trials, None, None),
                 ad_out, progress=False)
        res = {}
        for name, out in (("grid", grid_out), ("adaptive", ad_out)):
            df = score_run(Run(out, create=False))
            th = thresholds(df, np.random.default_rng(0)).set_index("task")
            n = df[df["outcome"] != "unsupported"].groupby("task").size()
            res[name] = (th, n)
        for task in tasks:
            g, a = res["grid"][0].loc[task], res["adaptive"][0].loc[task]
            gv, av = g["nominal_fit_threshold_raw"], a["nominal_fit_threshold_raw"]
            agree = (g["nominal_ci_low"] <= av <= g["nominal_ci_high"]) or (a["nominal_ci_low"] <= gv <= a["nominal_ci_high"])
            print(f"{model:15s} {task:7s} grid {g['nominal_threshold_text']:24s} ({res['grid'][1][task]} queries)  "
                  f"adaptive {a['nominal_threshold_text']:24s} ({res['adaptive'][1][task]} queries)  "
                  f"{'agree' if agree else 'DISAGREE'}", flush=True)


if __name__ == "__main__":
    main()
