"""The score table: one row per (sample, repeat) of a run, in the contract of analysis/frame.py.

`error` and `unsupported` responses are passed through from the store (never read as text, never wrong);
every `ok` response is scored by score_response. Dicts are stored as JSON strings (`cell`: the sample's cell,
which for fine-grained samples holds dataset, protocol, candidates, image and rotation).
effective_scale = measured_scale x min(encoder_w / sent_w, encoder_h / sent_h) where both sizes are known,
else NaN (the resize the model applied is unknown).
defects = the codes of the sample's recorded data defects, comma-separated ("" for none).
geometric_scale = the size the smallest target's outline was drawn at (Sample.geometric_scale); NaN where
the dataset does not record it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from snellen.data.defects import codes as defect_codes
from snellen.models.base import resize_ratio
from snellen.schema import SnellenError
from snellen.scoring.outcome import SCORINGS, score_response

COLUMNS = (
    "model", "sample_id", "repeat", "suite", "suite_hash", "profile", "task", "family", "kind", "scale",
    "measured_scale", "effective_scale", "geometric_scale", "count", "chance", "outcome", "strict", "partial", "field_scores",
    "extracted", "answer", "text", "error_kind", "cell", "latency_s", "tokens", "defects",
)
PASSED_THROUGH = ("error", "unsupported")


def _effective(measured: float, sent_size, encoder_size) -> float:
    """Measured px x what the encoder kept of the image; NaN when the backend could not know the encoder size."""
    ratio = resize_ratio(sent_size, encoder_size)
    return math.nan if ratio is None else float(measured) * ratio


def _json(v: Any) -> str | None:
    return None if v is None else json.dumps(v, sort_keys=True, ensure_ascii=False)


def score_row(model: str, sample, response, scoring: str = "snellen") -> dict[str, Any]:
    """One store record (Sample, StoredResponse-like) -> one row of the score table."""
    status = response.status
    if status == "ok":
        s = score_response(sample, response.text, scoring=scoring)
        outcome, strict, partial = s.outcome, s.strict, s.partial
        field_scores, extracted = _json(s.field_scores), _json(s.extracted)
    elif status in PASSED_THROUGH:
        outcome, strict, partial, field_scores, extracted = status, False, math.nan, None, None
    else:
        raise SnellenError(f"sample {response.sample_id}: unknown response status {status!r} in the store")
    return {
        "model": model, "sample_id": sample.id, "repeat": int(response.repeat), "suite": sample.suite,
        "suite_hash": sample.suite_hash, "profile": sample.profile, "task": sample.task, "family": sample.family,
        "kind": sample.kind, "scale": sample.scale, "measured_scale": float(sample.measured_scale),
        "effective_scale": _effective(sample.measured_scale, response.sent_size, response.encoder_size),
        "geometric_scale": sample.geometric_scale,
        "count": int(sample.count), "chance": float(sample.chance), "outcome": outcome, "strict": bool(strict),
        "partial": partial, "field_scores": field_scores, "extracted": extracted, "answer": _json(sample.answer),
        "text": response.text, "error_kind": response.error_kind, "cell": _json(sample.cell),
        "latency_s": _number(getattr(response, "latency_s", None)), "tokens": _tokens(response),
        "defects": ",".join(defect_codes(sample.extra)),  # defects of the sample as published (data/defects.py)
    }


def _number(v) -> float:
    return math.nan if v is None else float(v)


def _tokens(response) -> float:
    """Input + output tokens where the backend reported them (NaN otherwise: cost unknown, not zero)."""
    i, o = getattr(response, "input_tokens", None), getattr(response, "output_tokens", None)
    return math.nan if i is None and o is None else float((i or 0) + (o or 0))


def score_records(model: str, records: Iterable[tuple[Any, Any]], scoring: str = "snellen"):
    """(Sample, StoredResponse) pairs -> score DataFrame with exactly COLUMNS, scored in one mode."""
    import pandas as pd

    if scoring not in SCORINGS:
        raise SnellenError(f"unknown scoring {scoring!r}: expected one of {', '.join(SCORINGS)}")
    rows = [score_row(model, sample, response, scoring) for sample, response in records]
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    if rows:
        df = df.astype({"repeat": "int64", "scale": "int64", "count": "int64", "strict": "bool",
                        "partial": "float64", "effective_scale": "float64",
                        "geometric_scale": "float64", "latency_s": "float64", "tokens": "float64"})
    return df


def score_run(run, scoring: str = "snellen"):
    """An opened run (snellen.store.Run) -> its score DataFrame ("snellen" or "finesight" scoring)."""
    return score_records(run.model, run.records(images=False), scoring)  # scoring never reads the PNGs
