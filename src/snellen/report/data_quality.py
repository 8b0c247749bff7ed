"""The report's data-quality panel: defects of the benchmark's own labels, per task, near the top of each
profile section (not buried): share of samples affected, what it does to the figures, and each model's
accuracy on the affected samples beside the rest."""

from __future__ import annotations

from typing import Any

import pandas as pd

from snellen.analysis import data_quality


def _pct(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{100 * v:.0f}%"


def panel(df: pd.DataFrame, anchor: str) -> dict[str, Any] | None:
    """None where no sample of the section records a defect."""
    table = data_quality.defect_table(df)
    if table.empty:
        return None
    split = data_quality.accuracy_split(df)
    rows = []
    for r in table.itertuples(index=False):
        s = split[(split["task"] == r.task) & (split["defect"] == r.defect)]
        models = [{"model": m.model, "affected": _pct(m.affected_accuracy), "affected_n": m.affected_trials,
                   "other": _pct(m.other_accuracy), "other_n": m.other_trials} for m in s.itertuples(index=False)]
        rows.append({"task": r.task, "defect": r.defect, "title": r.title, "effect": r.effect,
                     "samples": int(r.samples), "task_samples": int(r.task_samples), "share": _pct(r.share),
                     "models": models})
    share = table.groupby("task")["share"].max()
    return {"anchor": anchor, "rows": rows, "tasks": {t: _pct(v) for t, v in share.items()},
            "affected_samples": int(data_quality.affected_samples(df)), "samples": int(df["sample_id"].nunique())}
