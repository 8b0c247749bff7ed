"""The report's scoring panel: snellen's reading vs FineSightBench's published metric on the same answers.

Shown for every profile whose runs hold samples of the `finesight` profile (FineSightBench data or the
finesight suite): per model and task both strict accuracies, the share of answered trials the two modes
score differently, and why (scoring/mode_diff.py, one reason per trial).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from snellen.scoring.mode_diff import REASONS

RULES = {"json_metrics": "published schema", "framework": "published text-task predicate",
         "derived": "no published schema: JSON metric over snellen's fields"}


def _pct(k: float, n: int) -> str:
    return f"{100 * k / n:.1f}%" if n else "—"


def panel(modes: pd.DataFrame, scoring: str) -> dict[str, Any] | None:
    """Rows of mode_diff.compare_records (one profile) -> the panel's tables, or None when there are none."""
    if modes is None or not len(modes):
        return None
    tasks = []
    for (model, task), g in modes.groupby(["model", "task"], sort=True):
        n = len(g)
        diff = g[g["reason"].notna()]
        top = diff["reason"].value_counts()
        tasks.append({
            "model": model, "task": task, "rule": RULES.get(g["rule"].iloc[0], g["rule"].iloc[0]), "trials": n,
            "snellen": _pct(g["snellen_strict"].sum(), n), "finesight": _pct(g["finesight_strict"].sum(), n),
            "differ": _pct(len(diff), n), "differ_n": len(diff),
            "reasons": "; ".join(f"{REASONS.get(r, r)} ({k})" for r, k in top.head(3).items()) or "—",
        })
    reasons = []
    for model, g in modes.groupby("model", sort=True):
        n = len(g)
        for r, k in g["reason"].value_counts().items():
            reasons.append({"model": model, "reason": REASONS.get(r, r), "trials": int(k), "share": _pct(k, n)})
    n, differ = len(modes), int(modes["reason"].notna().sum())
    return {"scoring": scoring, "trials": n, "differ": differ, "differ_share": _pct(differ, n), "tasks": tasks,
            "reasons": reasons}
