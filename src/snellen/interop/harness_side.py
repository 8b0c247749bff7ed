"""Scoring from inside a harness: the exported task code calls `score` with the sample's metadata, the
model's text and the image the harness actually held, and gets back one JSON-serialisable record.

The record names the sample (id, suite hash) and the hash of the pixels the harness had, so `snellen
import` can match it to the suite's sample and refuse a record whose image differs. Harness failure
sentinels (a request that never got an answer) are recorded as errors, never scored as wrong answers.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

import numpy as np

from snellen.schema import Sample, decode_image
from snellen.scoring.outcome import score_response
from snellen.store import pixel_hash

RECORD_VERSION = 1


def pixels_of(image: Any, name: str = "image") -> np.ndarray:
    """HxWx3 uint8 pixels of a PIL image, PNG bytes, a data URL, a base64 string or a file path."""
    if hasattr(image, "convert"):  # PIL
        return np.asarray(image.convert("RGB"))
    if isinstance(image, (bytes, bytearray)):
        return decode_image(bytes(image), name)
    if isinstance(image, str):
        if image.startswith("data:"):
            return decode_image(base64.b64decode(image.partition(",")[2]), name)
        if os.path.exists(image):
            with open(image, "rb") as fh:
                return decode_image(fh.read(), name)
        try:  # VLMEvalKit keeps images as plain base64 in its TSV
            return decode_image(base64.b64decode(image, validate=True), name)
        except binascii.Error:
            raise ValueError(f"{name}: image is neither a data URL, a file nor base64") from None
    raise TypeError(f"{name}: cannot read pixels from {type(image).__name__}")


def score(meta: str | dict, text: str | None, image: Any, *, question: str | None = None, failed: str | None = None,
          suite_tasks: str | list[str] | None = None) -> dict[str, Any]:
    """One record: sample id, suite hash, pixel hash of `image`, which of snellen's prompts `question` is
    (None if the harness changed it), and snellen's outcome of `text`.

    `failed` (the harness's own failure message) makes the record an error: not scored, not wrong."""
    m = json.loads(meta) if isinstance(meta, str) else dict(meta)
    sample = Sample.from_meta(m)
    rec: dict[str, Any] = {
        "snellen_record": RECORD_VERSION, "sample_id": sample.id, "suite": sample.suite,
        "suite_hash": sample.suite_hash, "task": sample.task, "scale": sample.scale,
        # where the sample sits in its suite, so `snellen import` can draw it again and compare
        "cell": sample.cell, "index": sample.index, "split": sample.split,
        "pixel_hash": None if image is None else pixel_hash(pixels_of(image, sample.id)),
        "suite_tasks": json.loads(suite_tasks) if isinstance(suite_tasks, str) else suite_tasks,
        "prompt_variant": next((k for k, v in sample.prompts.items() if v == question), None),
    }
    if failed is not None or text is None:
        rec.update(outcome="error", strict=None, partial=None, extracted=None,
                   error=(failed or "no response")[:500])
        return rec
    s = score_response(sample, text)
    rec.update(outcome=s.outcome, strict=bool(s.strict), partial=float(s.partial), extracted=s.extracted)
    return rec


def accuracy(records: list[dict[str, Any]]) -> float:
    """Strict accuracy over the records that got an answer (errors are not answers); NaN if none did."""
    scored = [r for r in records if isinstance(r, dict) and r.get("outcome") not in (None, "error")]
    return float(np.mean([bool(r["strict"]) for r in scored])) if scored else float("nan")
