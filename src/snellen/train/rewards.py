"""Verifiable rewards: the evaluation scorer is the accuracy reward; a format reward for a readable answer.

Accuracy is `snellen.scoring.score_response` on the same sample fields and answer the exam scores against
(strict: 1 only when every field is right; partial: the mean per-field score, FineSightBench style), so
training and evaluation share one source of truth. Refusals and unreadable outputs score 0 in both.
Format is 1 when the answer is read from a JSON object (what the prompt asks for), else 0.
The published recipe weighs them 0.9 / 0.1 (RewardSpec).

TRL calls reward functions with the completions and every extra dataset column as keyword arguments;
`answer`, `fields`, `task`, `extra` are the columns data.py writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from snellen.schema import AnswerField
from snellen.scoring.extract import extract
from snellen.scoring.outcome import score_response
from snellen.train.config import RewardSpec


@dataclass
class ScoredSample:
    """What score_response reads from a sample, rebuilt from dataset columns."""

    task: str
    fields: list[AnswerField]
    answer: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=256)
def _fields(fields_json: str) -> tuple[AnswerField, ...]:
    return tuple(AnswerField.from_dict(d) for d in json.loads(fields_json))


def scored_sample(task: str, answer: str, fields: str, extra: str | None = None) -> ScoredSample:
    return ScoredSample(task, list(_fields(fields)), json.loads(answer), json.loads(extra) if extra else {})


def completion_text(completion: Any) -> str | None:
    """A completion as text: TRL passes a string, or for conversational data a list of messages."""
    if completion is None or isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        parts = []
        for msg in completion:
            content = msg.get("content") if isinstance(msg, dict) else msg
            if isinstance(content, list):
                parts.extend(c.get("text", "") for c in content if isinstance(c, dict))
            elif content is not None:
                parts.append(str(content))
        return "".join(parts)
    return str(completion)


def accuracy_scores(completions, task, answer, fields, extra=None, *, credit: str = "strict",
                    scoring: str = "snellen") -> list[float]:
    out = []
    extras = extra if extra is not None else [None] * len(completions)
    for c, t, a, f, e in zip(completions, task, answer, fields, extras):
        score = score_response(scored_sample(t, a, f, e), completion_text(c), scoring=scoring)
        out.append(float(score.strict) if credit == "strict" else float(score.partial))
    return out


def format_scores(completions, fields, **_) -> list[float]:
    out = []
    for c, f in zip(completions, fields):
        ex = extract(list(_fields(f)), completion_text(c))
        out.append(1.0 if ex.status == "answer" and ex.source == "json" else 0.0)
    return out


def reward_functions(spec: RewardSpec, observe: Callable[[str, int, float], None] | None = None):
    """(functions, weights) for TRL. `observe(task, scale, accuracy)` sees every rollout's accuracy
    (difficulty targeting)."""

    def accuracy(completions, task, answer, fields, extra=None, scale=None, **_):
        scores = accuracy_scores(completions, task, answer, fields, extra, credit=spec.credit, scoring=spec.scoring)
        if observe is not None and scale is not None:
            for t, s, v in zip(task, scale, scores):
                observe(t, int(s), v)
        return scores

    def format(completions, fields, **_):  # noqa: A001  (TRL logs the function's name)
        return format_scores(completions, fields)

    funcs, weights = [], []
    if spec.accuracy > 0:
        funcs.append(accuracy)
        weights.append(spec.accuracy)
    if spec.format > 0:
        funcs.append(format)
        weights.append(spec.format)
    return funcs, weights
