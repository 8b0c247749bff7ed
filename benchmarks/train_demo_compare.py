"""Before/after evidence of a `snellen train` run, printed side by side:

1. exam runs: accuracy by task and scale (Wilson 95% CI) and each task's acuity threshold with its interval;
2. a GRPO stage's metrics.jsonl: the mean accuracy reward (not the format reward) over the first and the last
   quarter of its steps, with a bootstrap 95% CI over steps, and the share of zero-signal groups.

    python benchmarks/train_demo_compare.py runs/train-demo/exam-before runs/train-demo/exam-after \
        --metrics runs/train-demo/run/stages/02-grpo/metrics.jsonl
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from rich.console import Console

from snellen.analysis.acuity import thresholds
from snellen.cli.exam import accuracy_table
from snellen.scoring import score_run
from snellen.store import open_run


def reward_trend(path: str, console: Console) -> None:
    """First vs last quarter of a GRPO stage's accuracy reward, each with a bootstrap CI over steps."""
    recs = [json.loads(line) for line in open(path)]
    steps = [r for r in recs if "rewards/accuracy/mean" in r]
    if len(steps) < 8:
        console.print(f"{path}: {len(steps)} logged GRPO steps with an accuracy reward; need >= 8")
        return
    acc = np.array([r["rewards/accuracy/mean"] for r in steps])
    fmt = np.array([r.get("rewards/format/mean", np.nan) for r in steps])
    zero = np.array([r.get("zero_signal_share", np.nan) for r in steps])
    q = len(acc) // 4
    rng = np.random.default_rng(0)

    def ci(x):
        boots = [rng.choice(x, len(x)).mean() for _ in range(2000)]
        return f"{x.mean():.3f} [{np.quantile(boots, 0.025):.3f}, {np.quantile(boots, 0.975):.3f}]"

    diff = [rng.choice(acc[-q:], q).mean() - rng.choice(acc[:q], q).mean() for _ in range(2000)]
    console.print(f"{path}: {len(steps)} GRPO steps")
    console.print(f"  accuracy reward, first {q} steps: {ci(acc[:q])}   last {q} steps: {ci(acc[-q:])}")
    console.print(f"  rise {acc[-q:].mean() - acc[:q].mean():+.3f} [{np.quantile(diff, 0.025):+.3f}, {np.quantile(diff, 0.975):+.3f}]"
                  f"   format reward first/last: {np.nanmean(fmt[:q]):.3f} / {np.nanmean(fmt[-q:]):.3f}"
                  f"   zero-signal share first/last: {np.nanmean(zero[:q]):.2f} / {np.nanmean(zero[-q:]):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", nargs="*")
    ap.add_argument("--metrics", action="append", default=[], help="a GRPO stage's metrics.jsonl")
    args = ap.parse_args()
    console = Console(width=160)
    for path in args.runs:
        with open_run(path) as run:
            df = score_run(run)
        console.print(accuracy_table(df, path))
        th = thresholds(df, np.random.default_rng(0))
        console.print(th[["task", "nominal_threshold_text", "nominal_rt50_text"]].to_string(index=False))
    for path in args.metrics:
        reward_trend(path, console)


if __name__ == "__main__":
    main()
