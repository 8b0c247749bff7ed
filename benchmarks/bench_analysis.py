"""Analysis and report speed, scoring-independent (simulated score tables).

1. acuity (fits + 1,000 bootstrap replicates per group), taxonomy and paired comparisons on ~100k rows;
2. the HTML report for 10 models (target: under a minute).

    .venv/bin/python benchmarks/bench_analysis.py [--boot 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from snellen.analysis import acuity, compare, taxonomy
from snellen.analysis.simulate import Observer, simulate_scores


def timed(label: str, fn):
    t0 = time.perf_counter()
    out = fn()
    secs = time.perf_counter() - t0
    print(f"  {label:44s} {secs:7.2f} s")
    return out, secs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--boot", type=int, default=1000)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    observers = [Observer(f"model-{i}", threshold=6.0 * 1.25**i, resize_ratio=0.5 if i % 2 else None) for i in range(10)]
    df, _ = timed("simulate score table", lambda: simulate_scores(observers, rng, per_cell=140, task_thresholds={"count": 1.5, "chain": 2.5}))
    print(f"rows: {len(df):,}  models: {df['model'].nunique()}  tasks: {df['task'].nunique()}")
    total = 0.0
    th, s = timed(f"thresholds model x task ({args.boot} boot, 2 axes)", lambda: acuity.thresholds(df, rng, n_boot=args.boot)); total += s
    _, s = timed("thresholds model x task x count", lambda: acuity.thresholds(df[df.kind == "reasoning"], rng, by=("profile", "model", "task", "count"), n_boot=args.boot)); total += s
    _, s = timed("dissociation (perception vs reasoning)", lambda: acuity.dissociation(df, rng, n_boot=args.boot)); total += s
    _, s = timed("taxonomy (numeracy, sequences, confusions)", lambda: (taxonomy.numeracy(df), taxonomy.sequence_errors(df), taxonomy.confusions(df), taxonomy.phantom_items(df))); total += s
    _, s = timed("paired McNemar + bootstrap, 45 pairs", lambda: compare.paired(df, rng, n_boot=1000)); total += s
    _, s = timed("leaderboard", lambda: compare.leaderboard(df, th)); total += s
    print(f"analysis of {len(df):,} rows: {total:.1f} s")

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "report"))
    from conftest import hostile_runs  # synthetic runs with images, as the report tests use

    from snellen.report import build_report

    runs = hostile_runs(10, per_cell=16)
    rows = sum(len(r.scores) for r in runs)
    html, s = timed(f"report, 10 models, {rows:,} rows ({args.boot} boot)", lambda: build_report(runs, np.random.default_rng(0), n_boot=args.boot))
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as fh:
        fh.write(html)
    print(f"report: {len(html) / 1e6:.1f} MB in {s:.1f} s ({'under' if s < 60 else 'OVER'} the 60 s target) -> {fh.name}")


if __name__ == "__main__":
    main()
