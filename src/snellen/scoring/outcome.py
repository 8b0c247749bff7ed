"""score_response: one model output -> one outcome (correct, wrong, unparseable, refusal) and field scores.

Pure and allocation-light: per-field readers and regexes are compiled once per AnswerField and cached, so
the same function serves as an RL reward over many responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from snellen.schema import SnellenError
from snellen.scoring.extract import extract
from snellen.scoring.metrics import error_detail, field_score

OUTCOMES = ("correct", "wrong", "unparseable", "refusal")
SCORINGS = ("snellen", "finesight")  # snellen's robust reading; FineSightBench's published metric, exactly


@dataclass(frozen=True, slots=True)
class Score:
    outcome: str  # correct | wrong | unparseable | refusal
    strict: bool  # every field right (== outcome correct)
    partial: float  # mean field score
    field_scores: dict[str, float]
    extracted: dict[str, Any] | None  # None when nothing was read
    detail: dict[str, Any] = field(default_factory=dict)


def score_response(sample, text: str | None, scoring: str = "snellen") -> Score:
    """Score one output against `sample.answer`.

    scoring="snellen" reads it by `sample.fields` (extract.py); "finesight" applies FineSightBench's
    published metric exactly (finesight.py). Fine-grained classification samples (`extra["finegrained"]`)
    are matched by their protocol's rule (finegrained.py) in either mode."""
    if scoring not in SCORINGS:
        raise SnellenError(f"unknown scoring {scoring!r}: expected one of {', '.join(SCORINGS)}")
    if "finegrained" in (getattr(sample, "extra", None) or {}):  # classification protocols (duck-typed samples have no extra): prompts and matching in finegrained.py
        from snellen.scoring.finegrained import score_finegrained

        return score_finegrained(sample, text)
    if scoring != "snellen":
        if scoring == "finesight":
            from snellen.scoring.finesight import score_finesight

            return score_finesight(sample, text)
        raise SnellenError(f"unknown scoring {scoring!r}: expected one of {', '.join(SCORINGS)}")
    fields = sample.fields
    ex = extract(fields, text)
    if ex.status != "answer":
        return Score(ex.status, False, 0.0, {f.name: 0.0 for f in fields}, None,
                     {"source": ex.source, "reason": ex.reason})
    answer = sample.answer
    scores = {f.name: field_score(f, answer.get(f.name), ex.values.get(f.name)) for f in fields}
    strict = all(s == 1.0 for s in scores.values())
    partial = sum(scores.values()) / len(scores) if scores else 0.0
    detail = {"source": ex.source, "reason": ex.reason}
    detail.update(error_detail(fields, answer, ex.values))
    return Score("correct" if strict else "wrong", strict, partial, scores, ex.values, detail)
