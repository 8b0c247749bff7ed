"""Fine-grained classification results: accuracy per (dataset, protocol, model) with Wilson intervals, circular
evaluation, and accuracy as the number of candidates grows.

Reads the score table (analysis/frame.py contract) rows of profile `finegrained`; their `cell` JSON holds
dataset, split, protocol, candidates, image and rotation. Accuracy's denominator is answered trials, as
everywhere (errors and unsupported are coverage, never wrong). Under a `-circular` protocol the unit is the
image: right only when every rotation was answered right; an image with any rotation unanswered (error,
unsupported, missing) is left out and counted against coverage.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from snellen.analysis.frame import SCORED
from snellen.analysis.intervals import wilson

PROFILE = "finegrained"
KEYS = ("dataset", "split", "protocol", "candidates", "image", "rotation")


def rows(df: pd.DataFrame) -> pd.DataFrame:
    """The fine-grained rows of a score table, with the cell's keys as columns."""
    fg = df[df["profile"] == PROFILE].copy()
    if fg.empty:
        return fg.assign(**{k: pd.Series(dtype=object) for k in KEYS})
    cells = [json.loads(c) if isinstance(c, str) else (c or {}) for c in fg["cell"]]
    for k in KEYS:
        fg[k] = [c.get(k) for c in cells]
    fg["candidates"] = fg["candidates"].astype(int)
    fg["rotation"] = fg["rotation"].fillna(0).astype(int)
    fg["circular"] = fg["protocol"].str.endswith("-circular")
    return fg


def units(fg: pd.DataFrame) -> pd.DataFrame:
    """One row per scored unit: a trial, or under a circular protocol an image with all its rotations.
    Columns: model, dataset, split, protocol, candidates, answered, correct, unread (bool: an answer was given
    but none could be read from it, unparseable or refusal; under circular, on any rotation), unit (what the
    unit is, the same in every run that asked the same question: sample id(s) and repeat; sample ids hash
    the dataset's content, protocol, distractor source, seed, image and rotation)."""
    by = ["model", "dataset", "split", "protocol", "candidates"]
    plain = fg[~fg["circular"]]
    unread = ("unparseable", "refusal")
    out = [plain[by].assign(answered=plain["outcome"].isin(SCORED).to_numpy(), correct=(plain["outcome"] == "correct").to_numpy(),
                            unread=plain["outcome"].isin(unread).to_numpy(),
                            unit=(plain["sample_id"].astype(str) + "#" + plain["repeat"].astype(str)).to_numpy())]
    circ = fg[fg["circular"]]
    if len(circ):
        g = circ.groupby([*by, "image", "repeat"], sort=False)
        agg = g.agg(n=("rotation", "nunique"), answered=("outcome", lambda s: bool(s.isin(SCORED).all())),
                    correct=("outcome", lambda s: bool((s == "correct").all())),
                    unread=("outcome", lambda s: bool(s.isin(unread).any())),
                    ids=("sample_id", lambda s: "|".join(sorted(map(str, s)))))
        agg = agg.reset_index()
        agg["unit"] = agg["ids"] + "#" + agg["repeat"].astype(str)
        agg["answered"] &= agg["n"] == agg["candidates"]  # a missing rotation is an unanswered image
        agg["correct"] &= agg["answered"]
        agg["unread"] &= agg["answered"]
        out.append(agg[[*by, "answered", "correct", "unread", "unit"]])
    return pd.concat(out, ignore_index=True)


def accuracy(df: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per (dataset, split, protocol, candidates, model): units, answered, correct, accuracy, ci_low, ci_high,
    coverage, unread_rate (share of answered units whose answer could not be read: counted wrong), chance."""
    fg = rows(df)
    cols = ["dataset", "split", "protocol", "candidates", "model", "units", "answered", "correct", "accuracy",
            "ci_low", "ci_high", "coverage", "unread_rate", "chance"]
    if fg.empty:
        return pd.DataFrame(columns=cols)
    u = units(fg)
    g = u.groupby(["dataset", "split", "protocol", "candidates", "model"], sort=True)
    t = g.agg(units=("answered", "size"), answered=("answered", "sum"), correct=("correct", "sum"),
              unread=("unread", "sum")).reset_index()
    t["accuracy"] = np.where(t["answered"] > 0, t["correct"] / t["answered"].where(t["answered"] > 0), np.nan)
    lo, hi = wilson(t["correct"].to_numpy(), t["answered"].to_numpy(), level)
    t["ci_low"], t["ci_high"] = lo, hi
    t["coverage"] = t["answered"] / t["units"]
    t["unread_rate"] = t["unread"] / t["answered"].where(t["answered"] > 0)
    # chance per unit: 1/k for a trial; a uniform guesser gets all k rotations right with probability (1/k)^k
    circ = t["protocol"].str.endswith("-circular")
    t["chance"] = np.where(t["protocol"] == "open", 0.0,
                           np.where(circ, (1.0 / t["candidates"]) ** t["candidates"], 1.0 / t["candidates"]))
    return t[cols]


def distractors(protocol: str) -> str:
    """How the other candidates were chosen: random, hard, all (closed), none (open)."""
    if protocol == "closed":
        return "all"
    if protocol == "open":
        return "none"
    return "hard" if "-hard" in protocol else "random"


def by_candidates(acc: pd.DataFrame) -> pd.DataFrame:
    """Accuracy vs number of candidates (non-circular multiple choice and closed-world): one row per
    (dataset, model, distractors, candidates). Closed-world (every class offered) ends each of the model's
    distractor lines on that dataset (a line `random` when it has no multiple-choice rows)."""
    t = acc[(acc["protocol"] != "open") & ~acc["protocol"].str.endswith("-circular")].copy()
    if t.empty:
        return t.assign(distractors=pd.Series(dtype=object))
    t["distractors"] = t["protocol"].map(distractors)
    lines = [t[t["distractors"] != "all"]]
    for (_, _), g in t.groupby(["dataset", "model"], sort=False):
        closed = g[g["distractors"] == "all"]
        for kind in sorted(set(g["distractors"]) - {"all"}) or ["random"]:
            lines.append(closed.assign(distractors=kind))
    return pd.concat(lines, ignore_index=True).sort_values(["dataset", "model", "distractors", "candidates"]).reset_index(drop=True)


def board_text(acc: pd.DataFrame, fmt: str) -> str:
    """The fine-grained results as md (one table per dataset), csv or json (the rows of `accuracy`)."""
    import io

    if fmt == "csv":
        buf = io.StringIO()
        acc.to_csv(buf, index=False)
        return buf.getvalue()
    if fmt == "json":
        return acc.to_json(orient="records", double_precision=6, indent=2) + "\n"
    parts = []
    for dataset, g in acc.groupby("dataset", sort=True):
        parts.append(f"### Fine-grained `{dataset}` (accuracy over answered questions, Wilson 95%; one protocol per row, never pooled)\n")
        lines = ["| Protocol | Candidates | Model | Answered / units | Accuracy % [95% CI] | Not read % | Chance % |",
                 "|---|---|---|---|---|---|---|"]
        for r in g.sort_values(["protocol", "candidates", "accuracy"], ascending=[True, True, False]).itertuples():
            acc_txt = "—" if r.answered == 0 else f"{100 * r.accuracy:.1f} [{100 * r.ci_low:.1f}, {100 * r.ci_high:.1f}]"
            unread = "—" if r.answered == 0 else f"{100 * r.unread_rate:.1f}"
            k = "—" if r.protocol == "open" else str(r.candidates)
            lines.append(f"| {r.protocol} | {k} | {r.model} | {r.answered} / {r.units} | {acc_txt} | {unread} | {100 * r.chance:.3g} |")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)
