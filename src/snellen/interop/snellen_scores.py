"""A snellen run's benchmark scores, for tables that set runs beside harness result files.

Tasks are the run's own task names: a fine-grained task is `<dataset>:<protocol>` (e.g.
`fashion-mnist:mc5-hard`) with metric `accuracy` (a fraction; the unit of a `-circular` protocol is the image,
as in the report); a probe task (`letter`, `species`, ...) has `accuracy` over every scale and `threshold`,
the fitted acuity threshold in px on the nominal axis (`threshold_effective` on the effective one). Both are
computed exactly as `snellen report` computes them; accuracy's denominator is answered trials (errors are
coverage). A threshold censored by the grid (not reached, or below the smallest scale) is no number: asking
for it is an error that says so.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from snellen.interop.benchmark_scores import ScoreFile, TaskScores


def is_run(path: Path) -> bool:
    from snellen.store import STORE_FILE

    return (path / STORE_FILE).is_file()


def read(path: Path) -> ScoreFile:
    from snellen.analysis import acuity, finegrained
    from snellen.analysis.frame import SCORED
    from snellen.scoring import score_run
    from snellen.store import open_run

    run = open_run(path)
    df = score_run(run)
    out = ScoreFile(path=path, format="snellen run", model=run.model)
    fg = df[df["profile"] == finegrained.PROFILE]
    if len(fg):
        acc = finegrained.accuracy(fg)
        for (dataset, protocol), g in acc.groupby(["dataset", "protocol"], sort=True):
            task = f"{dataset}:{protocol}"
            answered, correct = int(g["answered"].sum()), int(g["correct"].sum())
            ts = TaskScores(task=task, metrics={}, units={}, default="accuracy", n=answered)
            if answered:
                ts.metrics["accuracy"], ts.units["accuracy"] = correct / answered, "fraction"
            else:
                ts.missing["accuracy"] = "no answered trial (every response an error or unsupported)"
            out.tasks[task] = ts
    probes = df[df["profile"] != finegrained.PROFILE]
    if len(probes):
        th = acuity.thresholds(probes, np.random.default_rng(0), by=("model", "task"), n_boot=0)
        th = th.set_index("task") if len(th) else th
        for task, g in probes.groupby("task", sort=True):
            answered = g[g["outcome"].isin(SCORED)]
            ts = TaskScores(task=str(task), metrics={}, units={}, default="accuracy", n=len(answered))
            if len(answered):
                ts.metrics["accuracy"], ts.units["accuracy"] = float((answered["outcome"] == "correct").mean()), "fraction"
            else:
                ts.missing["accuracy"] = "no answered trial (every response an error or unsupported)"
            for axis, key in (("nominal", "threshold"), ("effective", "threshold_effective")):
                row = th.loc[task] if len(th) and task in th.index else None
                value = float(row[f"{axis}_threshold"]) if row is not None and f"{axis}_threshold" in row else math.nan
                if math.isfinite(value):
                    ts.metrics[key], ts.units[key] = value, "px"
                else:
                    why = str(row[f"{axis}_threshold_text"]) if row is not None and f"{axis}_threshold_text" in row else "no fit"
                    ts.missing[key] = f"threshold not measured ({why})"
            out.tasks[str(task)] = ts
    return out
