"""FineSightBench's published metric, exactly: JSON extraction, per-field scores, the parse-failure fallback,
overall / strict / hallucination, aggregation, and the framework's correctness predicate.

Written from the behavioural rules in docs/finesight-scoring.md (restated from the published
`finesightbench/evaluation/json_metrics.py` and `framework.py`, MIT), not from its code. Deliberately
literal: every quirk of the published metric is reproduced (first JSON object wins, `"2" != 2`,
apostrophes turned into quotes, extra mapping keys keep score 1 but lose `matched`...), because the point
of this module is to give FineSightBench's own numbers. snellen's robust reading is scoring/extract.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MISSING = object()  # a path that does not resolve in the prediction (or the ground truth)
FIELD_KINDS = ("scalar", "ordered_list", "unordered_set", "mapping")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str = "scalar"
    path: tuple[str, ...] | None = None
    case_sensitive: bool = False

    def __post_init__(self):
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"unknown FineSightBench field kind {self.kind!r} (field {self.name!r})")

    @property
    def keys(self) -> tuple[str, ...]:
        return self.path if self.path is not None else (self.name,)


# The published builtin schemas, by published task_type. No other task has one.
BUILTIN_SCHEMAS: dict[str, tuple[FieldSpec, ...]] = {
    "letter_recognition": (FieldSpec("letter"),),
    "animal_recognition": (FieldSpec("animal"),),
    "block_recognition": (FieldSpec("present"),),
    "color_block_recognition": (FieldSpec("color"),),
    "shape_recognition": (FieldSpec("shape"),),
    "chain_reasoning": (FieldSpec("objects", "ordered_list"),),
    "comparison_chain": (FieldSpec("objects", "ordered_list"),),
    "counting_chain": (FieldSpec("counts", "mapping"), FieldSpec("total")),
    "blur_chain": (FieldSpec("counts", "mapping"), FieldSpec("total")),
}


@dataclass
class FieldResult:
    score: float
    matched: bool
    fallback: list[str] | None = None  # the list read by the parse-failure fallback, when it was used
    positional: tuple[int, int, int] | None = None  # ordered lists: (positions right, truth length, prediction length)


@dataclass
class JsonEval:
    """evaluate_json_prediction's result: one per output."""

    parse_ok: bool
    pred: Any  # the extracted JSON value (None when extraction failed)
    error: str | None
    fields: dict[str, FieldResult]
    overall: float
    strict: bool  # all_fields_matched
    hallucination: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": {k: {"score": r.score, "matched": r.matched} for k, r in self.fields.items()},
            "overall": self.overall, "strict": self.strict, "hallucination": self.hallucination,
            "parse_ok": self.parse_ok,
        }


# --- 1. extraction --------------------------------------------------------------------------------

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S | re.I)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def first_block(text: str) -> str | None:
    """The first balanced {...} or [...] block, counting only the opener's bracket kind; None if unclosed."""
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    if not starts:
        return None
    start = min(starts)
    opener = text[start]
    closer = "}" if opener == "{" else "]"
    depth, in_string, escaped = 0, False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    return None


def extract_json(text: str | None) -> tuple[Any, str | None]:
    """(value, None) when a JSON value other than null was read, else (None, error text)."""
    if text is None or not text.strip():
        return None, "empty_output"
    fence = _FENCE.search(text)
    candidate = fence.group(1).strip() if fence else text.strip()
    try:
        value = json.loads(candidate)
    except (ValueError, RecursionError):
        block = first_block(candidate)
        if block is None:
            return None, "no_json_block_found"
        try:
            value = json.loads(block)
        except (ValueError, RecursionError) as first:
            repaired = _TRAILING_COMMA.sub(r"\1", block.replace("'", '"'))
            try:
                value = json.loads(repaired)
            except (ValueError, RecursionError):
                return None, f"json_decode_error: {first}"
    if value is None:
        return None, "unknown_parse_error"
    return value, None


# --- 2. fields ------------------------------------------------------------------------------------


def value_at(obj: Any, keys: tuple[str, ...]) -> Any:
    for k in keys:
        if not isinstance(obj, dict) or k not in obj:
            return MISSING
        obj = obj[k]
    return obj


def _norm(v: Any, case_sensitive: bool) -> Any:
    if isinstance(v, str):
        v = v.strip()
        return v if case_sensitive else v.lower()
    return v


def _as_list(v: Any, case_sensitive: bool) -> list | None:
    if isinstance(v, list):
        return [_norm(x, case_sensitive) for x in v]
    if isinstance(v, str):
        return [_norm(p, case_sensitive) for p in v.split(",") if p.strip()]
    return None


def _scalar(spec: FieldSpec, gt: Any, pred: Any) -> FieldResult:
    if pred is MISSING or gt is MISSING:
        return FieldResult(0.0, False)
    ok = _norm(pred, spec.case_sensitive) == _norm(gt, spec.case_sensitive)
    return FieldResult(float(ok), bool(ok))


def _ordered(spec: FieldSpec, gt: Any, pred: Any) -> FieldResult:
    g = [] if gt is MISSING else (_as_list(gt, spec.case_sensitive) or [])
    p = None if pred is MISSING else _as_list(pred, spec.case_sensitive)
    if p is None:  # missing, or not a list
        return FieldResult(0.0, False, positional=(0, len(g), 0))
    n = max(len(g), len(p))
    correct = sum(a == b for a, b in zip(g, p))
    return FieldResult(correct / n if n else 0.0, len(p) == len(g) and correct == len(g),
                       positional=(correct, len(g), len(p)))


def _unordered(spec: FieldSpec, gt: Any, pred: Any) -> FieldResult:
    if pred is MISSING:
        return FieldResult(0.0, False)
    p = _as_list(pred, spec.case_sensitive)
    if p is None:
        return FieldResult(0.0, False)
    g = set([] if gt is MISSING else (_as_list(gt, spec.case_sensitive) or []))
    p = set(p)
    union = g | p
    return FieldResult(len(g & p) / len(union) if union else 1.0, g == p)


def _norm_map(m: dict, case_sensitive: bool) -> dict:
    out = {}
    for k, v in m.items():
        key = str(k) if case_sensitive else str(k).strip().lower()
        out[key] = _norm(v, case_sensitive)
    return out


def _mapping(spec: FieldSpec, gt: Any, pred: Any) -> FieldResult:
    if pred is MISSING or not isinstance(pred, dict):
        return FieldResult(0.0, False)
    p = _norm_map(pred, spec.case_sensitive)
    g = _norm_map(gt, spec.case_sensitive) if isinstance(gt, dict) else {}  # a GT lacking the field counts as empty
    if not g:
        return FieldResult(1.0, p == g)
    hits = sum(1 for k, v in g.items() if k in p and p[k] == v)
    return FieldResult(hits / len(g), p == g)


_SCORERS = {"scalar": _scalar, "ordered_list": _ordered, "unordered_set": _unordered, "mapping": _mapping}


def score_field(spec: FieldSpec, gt: Any, pred: Any) -> FieldResult:
    """One field; `gt` and `pred` are the whole objects (or MISSING); the spec's path is walked in each."""
    return _SCORERS[spec.kind](spec, value_at(gt, spec.keys), value_at(pred, spec.keys))


# --- 3. parse-failure fallback for ordered lists ---------------------------------------------------

_QUOTED = re.compile(r"[\"']([^\"']{2,})[\"']")
_PARENS = re.compile(r"\(([^)]{2,})\)")
_BULLET = re.compile(r"(?:^|\n)\s*(?:[•\-·*]|\d+\.)\s+([^\n]+?)(?:\n|$|,|;)", re.M)
_TAGGED = re.compile(r"<[^>]+>\s+([^,<\n]{2,})")
_TAG = re.compile(r"<[^>]+>\s*")
_SPLIT = re.compile(r"[,;\n]")


def fallback_list(raw: str | None) -> list[str] | None:
    """A list read from an output that held no JSON, or None. Rules in order; quoted, parenthesised and
    bullet items win as soon as their pattern matches (bullets drop blank items, and may so give an empty
    list, which still counts as a fallback); tagged items and comma pieces only when a non-blank one remains."""
    text = (raw or "").strip()
    for rule in (_QUOTED, _PARENS):
        items = rule.findall(text)
        if items:
            return [s.strip().lower() for s in items]
    items = _BULLET.findall(text + "\n")
    if items:
        return [s.strip().lower() for s in items if s.strip()]
    items = [s.strip().lower() for s in _TAGGED.findall(text) if s.strip()]
    if items:
        return items
    if "," in text or ";" in text:
        pieces = [p.strip() for p in _SPLIT.split(_TAG.sub("", text))]
        items = [p.lower() for p in pieces if len(p) > 1]
        if items:
            return items
    return None


# --- 4. one output --------------------------------------------------------------------------------


def evaluate_json_prediction(output: str | None, gt: Any, schema) -> JsonEval:
    """Score one raw output against the ground-truth answer object under `schema` (FieldSpecs)."""
    schema = tuple(schema)
    pred, error = extract_json(output)
    results: dict[str, FieldResult] = {}
    if pred is not None:
        for spec in schema:
            results[spec.name] = score_field(spec, gt, pred)
        overall = sum(r.score for r in results.values()) / len(results) if results else 1.0
        return JsonEval(True, pred, None, results, overall, all(r.matched for r in results.values()), False)
    any_fallback = False
    for spec in schema:
        items = fallback_list(output) if spec.kind == "ordered_list" else None
        if items is None:
            results[spec.name] = score_field(spec, gt, MISSING)
            continue
        any_fallback = True
        r = _ordered(spec, value_at(gt, spec.keys), items)
        results[spec.name] = FieldResult(r.score, r.matched, items, r.positional)
    overall = sum(r.score for r in results.values()) / len(results) if results else 0.0
    return JsonEval(False, None, error, results, overall, all(r.matched for r in results.values()), not any_fallback)


# --- 6. aggregation -------------------------------------------------------------------------------


def aggregate(results: list[tuple[JsonEval, dict[str, str]]], group_keys: tuple[str, ...] = ("task_type",)) -> dict:
    """aggregate_json_results over (result, row labels) pairs: totals, per field, per group."""
    n = len(results)

    def share(k):
        return k / n if n else 0.0

    halluc = sum(r.hallucination for r, _ in results)
    out: dict[str, Any] = {
        "n": n, "hallucinations": halluc, "hallucination_rate": share(halluc),
        "strict_accuracy": share(sum(r.strict for r, _ in results)),
        "mean_overall_score": share(sum(r.overall for r, _ in results)),
    }
    per_field: dict[str, dict[str, float]] = {}
    positional: dict[str, list[int]] = {}  # ordered lists: summed (right, truth lengths, prediction lengths)
    for r, _ in results:
        for name, fr in r.fields.items():
            acc = per_field.setdefault(name, {"n": 0, "correct": 0, "score": 0.0})
            acc["n"] += 1
            acc["correct"] += fr.matched
            acc["score"] += fr.score
            if fr.positional is not None:
                sums = positional.setdefault(name, [0, 0, 0])
                for i, v in enumerate(fr.positional):
                    sums[i] += v
    out["per_field"] = {}
    for name, a in sorted(per_field.items()):
        f = {"n": a["n"], "correct": a["correct"], "accuracy": a["correct"] / a["n"], "mean_score": a["score"] / a["n"]}
        if name in positional:  # micro average over positions, not the mean of per-sample scores
            right, expected, predicted = positional[name]
            most = max(expected, predicted)
            f.update({"positional_accuracy": right / most if most else 0.0, "positional_correct": right,
                      "positional_expected_total": expected, "positional_predicted_total": predicted})
        out["per_field"][name] = f
    groups: dict[str, list[JsonEval]] = {}
    for r, labels in results:
        key = " | ".join(f"{k}={labels.get(k, 'unknown')}" for k in group_keys)
        groups.setdefault(key, []).append(r)
    out["group_keys"] = list(group_keys)
    out["groups"] = {}
    for key in sorted(groups):
        rs = groups[key]
        g = len(rs)
        out["groups"][key] = {
            "n": g, "hallucinations": sum(r.hallucination for r in rs),
            "hallucination_rate": sum(r.hallucination for r in rs) / g,
            "all_fields_matched": sum(r.strict for r in rs), "strict_accuracy": sum(r.strict for r in rs) / g,
            "mean_overall_score": sum(r.overall for r in rs) / g,
        }
    return out


# --- 7. the framework's correctness predicate -----------------------------------------------------

_SPACE = re.compile(r"\s+")


def object_span(text: str) -> Any:
    a, b = text.find("{"), text.rfind("}")
    if a < 0 or b < a:
        return None
    try:
        value = json.loads(text[a:b + 1])
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _text_form(v: Any) -> str:
    return _SPACE.sub("", str(v)).lower()


def _json_correct(pred: str, gt: str) -> bool:
    g, p = object_span(gt), object_span(pred or "")
    if p is None or not g or set(p) != set(g):
        return False
    for k, gv in g.items():
        pv = p[k]
        if isinstance(gv, dict):
            if not isinstance(pv, dict):
                return False
            if {_text_form(a): _text_form(b) for a, b in gv.items()} != {_text_form(a): _text_form(b) for a, b in pv.items()}:
                return False
        elif isinstance(gv, list):
            if not isinstance(pv, list) or len(pv) != len(gv):
                return False
            if any(_text_form(a) != _text_form(b) for a, b in zip(gv, pv)):
                return False
        elif _text_form(pv) != _text_form(gv):
            return False
    return True


_SPECIAL_TOKEN = re.compile(r"<\|[^|]+\|>")
_NOT_KEPT = re.compile(r"[^a-z0-9,;|\-\s]")
_ORDINALS = re.compile(r"(\d+)\s*[;:]\s*((?:\d+(?:st|nd|rd|th)[\s,]*)+)")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_INT = re.compile(r"-?\d+")


def _plain(text: str) -> str:
    t = _SPECIAL_TOKEN.sub(" ", text.strip().lower())
    t = re.sub(r"[<>/]", " ", t)
    t = _NOT_KEPT.sub(" ", t)
    return _SPACE.sub(" ", t).strip()


def _comparison_parts(text: str) -> tuple[int | None, tuple[str, ...] | None]:
    """'<count>; <ordinals>' anywhere in the text, else (its first integer, None)."""
    m = _ORDINALS.search(text)
    if m:
        return int(m.group(1)), tuple(_ORDINAL.findall(m.group(2)))
    first = _INT.search(text)
    return (int(first.group()) if first else None), None


def is_correct_prediction(pred: str | None, gt: str, task: str = "") -> bool:
    """framework.is_correct_prediction: JSON answers compared key by key, plain-text labels by rules."""
    if gt.strip().startswith("{") and gt.strip().endswith("}"):
        return _json_correct(pred or "", gt)
    p, g = _plain(pred or ""), _plain(gt)
    if p == g:
        return True
    if task == "comparison":
        return _comparison_parts(p) == _comparison_parts(g)
    if re.fullmatch(r"\d+", g):
        first = _INT.search(p)
        return first is not None and int(first.group()) == int(g)
    if "," in g:
        return [s.strip() for s in p.split(",") if s.strip()] == [s.strip() for s in g.split(",") if s.strip()]
    if g in ("yes", "no") or len(g.split()) == 1:
        return g in p.split()
    return g in p  # also an empty label: always true

