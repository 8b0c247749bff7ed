"""FineSightBench-compatible per-field scores, plus error sizes for the taxonomy.

Per field, after strip + lower-case (and the option spellings of normalize.canon):
  label / text / integer: exact match (1 or 0);
  sequence: positions correct / max(len(truth), len(prediction));
  counts: share of the TRUE keys whose count is exactly right (extra keys do not lower it).
strict = every field scores 1; partial = mean field score.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from snellen.schema import AnswerField
from snellen.scoring.normalize import canon


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return canon(str(v))


def _int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().lstrip("-").isdigit():
        return int(v.strip())
    return None


@lru_cache(maxsize=4096)
def _option_set(field: AnswerField) -> frozenset[str]:
    return frozenset(_text(o) for o in (field.keys if field.kind == "counts" else field.options) or ())


def sequence_score(truth: list, pred: list) -> float:
    n = max(len(truth), len(pred))
    if n == 0:
        return 1.0
    return sum(_text(t) == _text(p) for t, p in zip(truth, pred)) / n


def counts_score(truth: dict, pred: dict) -> float:
    if not truth:
        return 1.0 if not pred else 0.0
    got = {_text(k): v for k, v in pred.items()}
    return sum(_int(got.get(_text(k))) == _int(c) for k, c in truth.items()) / len(truth)


def edit_distance(a: list, b: list) -> int:
    """Levenshtein distance between two item lists (unit costs)."""
    a, b = [_text(x) for x in a], [_text(x) for x in b]
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def field_score(field: AnswerField, truth: Any, pred: Any) -> float:
    if pred is None:
        return 0.0
    kind = field.kind
    if kind == "sequence":
        return sequence_score(list(truth), pred) if isinstance(pred, list) else 0.0
    if kind == "counts":
        return counts_score(dict(truth), pred) if isinstance(pred, dict) else 0.0
    if kind == "integer":
        t, p = _int(truth), _int(pred)
        return float(t is not None and t == p)
    return float(_text(truth) == _text(pred))


def error_detail(fields, answer: dict, extracted: dict) -> dict[str, Any]:
    """Absolute count errors, sequence edit distances and values outside the answer space."""
    detail: dict[str, Any] = {}
    for f in fields:
        t, p = answer.get(f.name), extracted.get(f.name)
        if f.kind == "integer":
            ti, pi = _int(t), _int(p)
            detail.setdefault("abs_error", {})[f.name] = abs(pi - ti) if ti is not None and pi is not None else None
        elif f.kind == "counts" and isinstance(t, dict):
            got = {_text(k): _int(v) for k, v in p.items()} if isinstance(p, dict) else {}
            errs = [abs(got[_text(k)] - int(c)) for k, c in t.items() if got.get(_text(k)) is not None]
            detail.setdefault("count_abs_error", {})[f.name] = sum(errs) if isinstance(p, dict) else None
            detail.setdefault("count_missing_keys", {})[f.name] = len(t) - len(errs)
            keys = _option_set(f) if f.keys else {_text(k) for k in t}
            extra = sorted(k for k in got if k not in keys)
            if extra:
                detail.setdefault("outside_options", {})[f.name] = extra
        elif f.kind == "sequence" and isinstance(t, list):
            detail.setdefault("edit_distance", {})[f.name] = edit_distance(t, p) if isinstance(p, list) else None
            if isinstance(p, list) and f.options:
                opts = _option_set(f)
                extra = [x for x in p if _text(x) not in opts]
                if extra:
                    detail.setdefault("outside_options", {})[f.name] = extra
        elif f.kind in ("label", "text") and p is not None and f.options and f.kind == "label":
            if _text(p) not in _option_set(f):
                detail.setdefault("outside_options", {})[f.name] = [p]
    return detail
