"""Print accuracy by task and scale (Wilson 95% CI) and the acuity thresholds of exam runs, side by side.

    python benchmarks/train_demo_compare.py runs/train-demo/exam-before runs/train-demo/exam-after ...
"""

from __future__ import annotations

import sys

import numpy as np
from rich.console import Console

from snellen.analysis.acuity import thresholds
from snellen.cli.exam import accuracy_table
from snellen.scoring import score_run
from snellen.store import open_run


def main(paths: list[str]) -> None:
    console = Console(width=160)
    for path in paths:
        with open_run(path) as run:
            df = score_run(run)
        console.print(accuracy_table(df, path))
        th = thresholds(df, np.random.default_rng(0))
        console.print(th[["task", "nominal_threshold_text", "nominal_rt50_text"]].to_string(index=False))


if __name__ == "__main__":
    main(sys.argv[1:])
