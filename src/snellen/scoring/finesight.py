"""The `finesight` scoring mode: one output scored by FineSightBench's published metric, as a snellen Score.

Which published rule applies (by the published task a sample belongs to, see `rule_of`):
  json_metrics  the tasks with a builtin schema (letter ... blur_chain): per-field score and matched,
                overall (-> partial), all fields matched (-> strict), hallucination;
  framework     the text tasks, which have no schema: the framework's is_correct_prediction against the
                answer's JSON text (-> strict; partial 1/0; no per-field scores); the other rules also
                record its verdict in detail["framework_correct"];
  derived       a snellen task with no published counterpart: json_metrics under the schema its
                AnswerFields imply (label/integer/text -> scalar, sequence -> ordered_list, counts ->
                mapping). Not a published number; recorded in detail["rule"] so reports can say so.
Outcome: correct when strict; unparseable when the published metric flags a hallucination (nothing
read, no list fallback) or, for the framework rule, when no JSON object is found; wrong otherwise. The
published metric has no refusal.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from snellen.scoring import finesight_metric as fm

# Published task_type of each task name snellen uses for FineSightBench's tasks (loader and finesight suite).
PUBLISHED_TASK = {"spatial_chain": "chain_reasoning"}
TEXT_TASKS = frozenset({"text_recognition", "text_reading_chain", "text_counting_chain"})
_KIND = {"label": "scalar", "integer": "scalar", "text": "scalar", "sequence": "ordered_list", "counts": "mapping"}


def published_task(sample) -> str:
    """The published task_type a sample was loaded from (extra) or is named after (suite task name)."""
    task = (sample.extra or {}).get("task_type") or sample.task
    return PUBLISHED_TASK.get(task, task)


@lru_cache(maxsize=1024)
def _derived(fields: tuple) -> tuple[fm.FieldSpec, ...]:
    return tuple(fm.FieldSpec(f.name, _KIND[f.kind]) for f in fields)


def rule_of(sample) -> tuple[str, tuple[fm.FieldSpec, ...]]:
    task = published_task(sample)
    if task in fm.BUILTIN_SCHEMAS:
        return "json_metrics", fm.BUILTIN_SCHEMAS[task]
    if task in TEXT_TASKS:
        return "framework", ()
    return "derived", _derived(tuple(sample.fields))


def _read(pred: Any, schema) -> dict[str, Any]:
    out = {}
    for spec in schema:
        v = fm.value_at(pred, spec.keys)
        out[spec.name] = None if v is fm.MISSING else v
    return out


def score_finesight(sample, text: str | None):
    """Score one output with the published metric; returns a snellen Score (see the module doc)."""
    from snellen.scoring.outcome import Score

    rule, schema = rule_of(sample)
    # the framework predicate, against the answer's JSON text as the HF release stores it
    correct = fm.is_correct_prediction(text, json.dumps(sample.answer), published_task(sample))
    if rule == "framework":
        found = fm.object_span(text or "") is not None
        outcome = "correct" if correct else ("wrong" if found else "unparseable")
        return Score(outcome, correct, float(correct), {}, None,
                     {"scoring": "finesight", "rule": rule, "json_object": found})
    ev = fm.evaluate_json_prediction(text, sample.answer, schema)
    outcome = "correct" if ev.strict else ("unparseable" if ev.hallucination else "wrong")
    detail: dict[str, Any] = {
        "scoring": "finesight", "rule": rule, "parse_ok": ev.parse_ok, "hallucination": ev.hallucination,
        "matched": {k: r.matched for k, r in ev.fields.items()}, "framework_correct": correct,
    }
    if ev.error:
        detail["error"] = ev.error
    fallback = {k: r.fallback for k, r in ev.fields.items() if r.fallback is not None}
    if fallback:
        detail["fallback"] = fallback
    if ev.parse_ok:
        extracted = _read(ev.pred, schema) if isinstance(ev.pred, dict) else None
        if not isinstance(ev.pred, dict):
            detail["not_an_object"] = type(ev.pred).__name__
    else:
        extracted = {spec.name: fallback.get(spec.name) for spec in schema} if fallback else None
    return Score(outcome, ev.strict, ev.overall, {k: r.score for k, r in ev.fields.items()}, extracted, detail)
