"""The score DataFrame contract as the analysis reads it: validation, scored rows, coverage.

Accuracy's denominator is every trial that got an answer: correct, wrong, unparseable and refusal.
`error` and `unsupported` never count as wrong; they are left out and reported as coverage.
"""

from __future__ import annotations

import pandas as pd

from snellen.schema import SnellenError

REQUIRED = (
    "model", "sample_id", "repeat", "profile", "task", "family", "kind", "scale", "effective_scale",
    "count", "chance", "outcome", "strict",
)
OUTCOMES = ("correct", "wrong", "unparseable", "refusal", "error", "unsupported")
SCORED = ("correct", "wrong", "unparseable", "refusal")


class ScoreFrameError(SnellenError):
    pass


def check_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Raise a one-line error naming what is missing or malformed; return the frame unchanged."""
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise ScoreFrameError(f"score table lacks column(s): {', '.join(missing)}")
    bad = sorted(set(df["outcome"].dropna().unique()) - set(OUTCOMES))
    if bad or df["outcome"].isna().any():
        raise ScoreFrameError(f"score table has unknown outcome(s): {bad or ['<missing>']}")
    if (df["scale"] <= 0).any() or df["scale"].isna().any():
        raise ScoreFrameError("score table has a missing or non-positive nominal scale")
    wrong_strict = df["strict"].astype(bool) != (df["outcome"] == "correct")
    if wrong_strict.any():
        sid = df.loc[wrong_strict, "sample_id"].iloc[0]
        raise ScoreFrameError(f"score table: strict disagrees with outcome for sample {sid}")
    return df


def scored(df: pd.DataFrame) -> pd.DataFrame:
    """Rows that enter accuracy (answered trials)."""
    return df[df["outcome"].isin(SCORED)]


def coverage(df: pd.DataFrame, by=("profile", "model", "task")) -> pd.DataFrame:
    """Per group: trials, how many were answered, and the rates of each non-answer outcome."""
    by = list(by)
    counts = pd.crosstab([df[c] for c in by], df["outcome"]).reindex(columns=list(OUTCOMES), fill_value=0)
    out = counts.copy()
    out["trials"] = counts.sum(axis=1)
    out["answered"] = counts[list(SCORED)].sum(axis=1)
    out["coverage"] = out["answered"] / out["trials"]
    answered = out["answered"].where(out["answered"] > 0)
    out["accuracy"] = counts["correct"] / answered
    out["unparseable_rate"] = counts["unparseable"] / answered
    out["refusal_rate"] = counts["refusal"] / answered
    return out.reset_index()
