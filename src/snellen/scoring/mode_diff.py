"""Why snellen's scoring and FineSightBench's published metric give one output different scores.

`reason(sample, text, snellen, finesight)` -> None when both modes agree (same strict, same partial), else
one short category from REASONS. The categories are the published metric's known strictnesses (docs/
finesight-scoring.md) checked in a fixed order, so each differing output gets exactly one reason.
`compare_records(model, records)` scores every answered response both ways (one row each, COLUMNS).
"""

from __future__ import annotations

from typing import Any

from snellen.scoring import finesight_metric as fm

REASONS = {
    "no_json": "published parser finds no JSON (prose answer, unclosed brace, empty)",
    "list_fallback": "published reads a list from prose (its parse-failure fallback)",
    "not_object": "JSON is a bare list or value, not an object",
    "first_object": "several JSON objects: published scores the first (text tasks: none), snellen the final answer",
    "key_spelling": "field key spelt differently or nested (published needs the exact key)",
    "number_text": "number given as text or a word (published: \"2\" != 2)",
    "boolean": "true/false for a yes/no answer",
    "value_spelling": "value spelling (punctuation, separators, synonyms such as grey)",
    "extra_keys": "counts mapping with extra keys (published: score 1 but not matched)",
    "count_keys": "counts keys spelt differently (plural, case)",
    "extra_top_keys": "extra top-level keys (published text-task predicate rejects them)",
    "list_as_text": "list given as one comma-separated string (published text-task predicate rejects it)",
    "all_or_nothing": "partial credit: the published text-task predicate is all or nothing",
    "quotes_repair": "single quotes or trailing comma (published predicate does not repair)",
    "snellen_declines": "snellen reads no answer (refusal, alternatives, placeholder)",
    "other": "other",
}


COLUMNS = ("model", "sample_id", "repeat", "profile", "task", "scale", "rule", "snellen_strict", "finesight_strict",
           "snellen_partial", "finesight_partial", "reason")


def compare_records(model: str, records):
    """(Sample, StoredResponse) pairs -> DataFrame (COLUMNS): both modes' scores of every answered response."""
    import pandas as pd

    from snellen.scoring.outcome import score_response

    rows = []
    for sample, response in records:
        if response.status != "ok":  # errors and unsupported are never scored, in either mode
            continue
        a = score_response(sample, response.text)
        b = score_response(sample, response.text, scoring="finesight")
        rows.append((model, sample.id, int(response.repeat), sample.profile, sample.task, int(sample.scale),
                     b.detail["rule"], a.strict, b.strict, a.partial, b.partial,
                     reason(sample, response.text, a, b)))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def differs(a, b) -> bool:
    return a.strict != b.strict or abs(a.partial - b.partial) > 1e-9


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _more_objects(text: str) -> bool:
    """Another JSON object after the first balanced block the published parser reads."""
    block = fm.first_block(text)
    if block is None:
        return False
    rest = text[text.index(block) + len(block):]
    nxt = fm.first_block(rest)
    return nxt is not None and nxt.startswith("{")


def _field_reason(spec: fm.FieldSpec, truth: Any, pred: Any) -> str:
    gv, pv = fm.value_at(truth, spec.keys), fm.value_at(pred, spec.keys)
    if pv is fm.MISSING:
        return "key_spelling"
    if spec.kind == "mapping" and isinstance(pv, dict) and isinstance(gv, dict):
        if any(isinstance(v, str) for v in pv.values()):
            return "number_text"
        g = {str(k).strip().lower() for k in gv}
        p = {str(k).strip().lower() for k in pv}
        if g <= p:
            return "extra_keys"
        return "count_keys"
    if isinstance(pv, bool):
        return "boolean"
    if _is_number(gv) and isinstance(pv, str):
        return "number_text"
    return "value_spelling"


def _framework_reason(sample, text: str, snellen, finesight) -> str:
    if snellen.strict == finesight.strict:
        return "all_or_nothing"
    truth = sample.answer
    pred = fm.object_span(text)
    if pred is None:
        if _more_objects(text):
            return "first_object"
        block = fm.first_block(text)
        if block is not None and block.startswith("{"):
            return "quotes_repair"
        return "no_json" if fm.extract_json(text)[0] is None else "not_object"
    if set(pred) != set(truth):
        return "extra_top_keys" if set(truth) <= set(pred) else "key_spelling"
    for k, gv in truth.items():
        pv = pred[k]
        if isinstance(gv, list) and isinstance(pv, str):
            return "list_as_text"
        if _is_number(gv) and isinstance(pv, str):
            return "number_text"
        if isinstance(gv, bool) or isinstance(pv, bool):
            return "boolean"
    return "value_spelling"


def reason(sample, text: str | None, snellen, finesight) -> str | None:
    """One category (a key of REASONS) for an output the two modes score differently, else None."""
    if not differs(snellen, finesight):
        return None
    text = text or ""
    detail = finesight.detail
    if snellen.outcome in ("unparseable", "refusal") and finesight.partial > 0:
        return "snellen_declines"
    if detail.get("rule") == "framework":
        return _framework_reason(sample, text, snellen, finesight)
    if not detail.get("parse_ok"):
        return "list_fallback" if detail.get("fallback") else "no_json"
    if detail.get("not_an_object"):
        return "not_object"
    if _more_objects(text):
        return "first_object"
    from snellen.scoring.finesight import rule_of

    pred, _ = fm.extract_json(text)
    _, schema = rule_of(sample)
    for spec in schema:
        s, f = snellen.field_scores.get(spec.name), finesight.field_scores.get(spec.name)
        if s != f or not detail["matched"].get(spec.name):
            if s == f == 1.0 and spec.kind != "mapping":
                continue
            return _field_reason(spec, sample.answer, pred)
    return "other"
