"""Defects of the benchmark's own labels, per task, from the score table's `defects` column (data/defects.py):
how many of a task's samples are affected, what that does to the figures, and each model's accuracy on the
affected samples beside the rest (so a reader sees how much of a number rests on them)."""

from __future__ import annotations

import pandas as pd

from snellen.analysis.frame import scored
from snellen.data.defects import CATALOGUE

COLUMNS = ["profile", "task", "defect", "title", "effect", "samples", "task_samples", "share"]
SPLIT_COLUMNS = ["profile", "task", "defect", "model", "affected_trials", "affected_accuracy", "other_trials", "other_accuracy"]


def _codes(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (profile, task, sample_id, defect) of the samples in the table."""
    if "defects" not in df.columns or df.empty:
        return pd.DataFrame(columns=["profile", "task", "sample_id", "defect"])
    s = df[["profile", "task", "sample_id", "defects"]].drop_duplicates(["profile", "sample_id"])
    s = s.assign(defect=s["defects"].fillna("").astype(str).str.split(",")).explode("defect")
    return s[s["defect"] != ""][["profile", "task", "sample_id", "defect"]]


def defect_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per (profile, task, defect): samples affected out of the task's samples in the table, and the catalogue's
    title and effect. Empty where no sample records a defect."""
    codes = _codes(df)
    if codes.empty:
        return pd.DataFrame(columns=COLUMNS)
    n = df.drop_duplicates(["profile", "sample_id"]).groupby(["profile", "task"]).size().rename("task_samples")
    out = codes.groupby(["profile", "task", "defect"]).size().rename("samples").reset_index()
    out = out.merge(n.reset_index(), on=["profile", "task"], how="left")
    out["share"] = out["samples"] / out["task_samples"]
    known = out["defect"].map(CATALOGUE.get)
    out["title"] = [d.title if d else f"defect {c!r} (not in the catalogue)" for d, c in zip(known, out["defect"])]
    out["effect"] = [d.effect if d else "" for d in known]
    return out[COLUMNS].sort_values(["profile", "task", "defect"]).reset_index(drop=True)


def accuracy_split(df: pd.DataFrame) -> pd.DataFrame:
    """Per (profile, task, defect, model): strict accuracy on the affected samples and on the task's other samples."""
    codes = _codes(df)
    if codes.empty:
        return pd.DataFrame(columns=SPLIT_COLUMNS)
    d = scored(df)
    rows = []
    for (profile, task, defect), g in codes.groupby(["profile", "task", "defect"], sort=True):
        hit = set(g["sample_id"])
        trials = d[(d["profile"] == profile) & (d["task"] == task)]
        for model, t in trials.groupby("model", sort=True):
            on = t["sample_id"].isin(hit)
            a, o = t.loc[on, "strict"], t.loc[~on, "strict"]
            rows.append({"profile": profile, "task": task, "defect": defect, "model": model,
                         "affected_trials": int(len(a)), "affected_accuracy": float(a.mean()) if len(a) else float("nan"),
                         "other_trials": int(len(o)), "other_accuracy": float(o.mean()) if len(o) else float("nan")})
    return pd.DataFrame(rows, columns=SPLIT_COLUMNS)


def defective_trials(df: pd.DataFrame) -> pd.DataFrame:
    """Per (profile, model): the share of its answered trials that are on samples with any recorded defect."""
    d = scored(df)
    if "defects" not in d.columns or d.empty:
        return pd.DataFrame(columns=["profile", "model", "defective_share"])
    flagged = d["defects"].fillna("").astype(str) != ""
    return (d.assign(_f=flagged).groupby(["profile", "model"])["_f"].mean().rename("defective_share").reset_index())


def lines(table: pd.DataFrame) -> list[str]:
    """One plain-text line per (task, defect): for the leaderboard and the terminal."""
    out = []
    for r in table.itertuples(index=False):
        out.append(f"{r.task}: {r.title}, {r.samples} of {r.task_samples} samples ({100 * r.share:.0f}%). "
                   f"Effect: {r.effect}.")
    return out


def affected_samples(df: pd.DataFrame) -> int:
    """How many distinct samples of the table record at least one defect."""
    codes = _codes(df)
    return int(codes.drop_duplicates(["profile", "sample_id"]).shape[0]) if len(codes) else 0
