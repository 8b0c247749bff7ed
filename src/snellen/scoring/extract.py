"""Answer extraction, layered and driven by the sample's AnswerFields (never by task names).

  1. empty text -> unparseable; a closed <think> block is skipped, an unclosed one -> unparseable;
  2. JSON (extract_json): the winning object's values converted per field (values.py); an answer cut off
     inside an object -> unparseable; every field declined (null, "unknown") -> refusal;
  3. prose, with JSON objects blanked out: each field read by its kind's reader; an answer offered with
     alternatives -> unparseable; nothing read -> refusal if the text declines (refusal.py), else unparseable.
The reading protocol, with its hand-labelled corpus, is tests/scoring/corpus/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from snellen.schema import AnswerField
from snellen.scoring.extract_counts import counts_reader, integer_reader
from snellen.scoring.extract_json import JsonSchema, find_answer
from snellen.scoring.extract_lists import list_reader
from snellen.scoring.extract_text import AMBIGUOUS, label_reader, text_reader
from snellen.scoring.refusal import is_refusal
from snellen.scoring.values import REFUSED, convert

_THINK_CLOSE = re.compile(r"</think\s*>", re.I)
_THINK_OPEN = re.compile(r"<think\s*>", re.I)


@dataclass(frozen=True, slots=True)
class Extraction:
    status: str  # "answer" | "unparseable" | "refusal"
    values: dict[str, Any] | None  # field name -> value (None where the output gave none)
    source: str | None  # "json" | "text"
    reason: str  # why, in a few words (kept in Score.detail)


@dataclass(frozen=True)
class _Plan:
    fields: tuple[AnswerField, ...]
    schema: JsonSchema
    readers: tuple  # one callable(text) -> value | None | AMBIGUOUS per field


@lru_cache(maxsize=4096)
def _plan(fields: tuple[AnswerField, ...]) -> _Plan:
    count_keys = tuple(k for f in fields if f.kind == "counts" for k in (f.keys or ()))
    alone = sum(f.kind == "integer" for f in fields) == 1 and len(fields) == 1
    readers = []
    for f in fields:
        if f.kind == "label":
            readers.append(label_reader(f).read)
        elif f.kind == "text":
            readers.append(text_reader(f).read)
        elif f.kind == "sequence":
            readers.append(list_reader(f).read)
        elif f.kind == "counts":
            readers.append(counts_reader(f).read)
        elif f.kind == "integer":
            r = integer_reader(f, count_keys)
            readers.append(lambda text, r=r, alone=alone: r.read(text, alone))
        else:
            raise ValueError(f"unknown field kind {f.kind!r} of field {f.name!r}")
    return _Plan(fields, JsonSchema.of(fields), tuple(readers))


def _fail(status: str, reason: str, source: str | None = None) -> Extraction:
    return Extraction(status, None, source, reason)


def extract(fields, text: str | None) -> Extraction:
    plan = _plan(tuple(fields))
    if text is None or not text.strip():
        return _fail("unparseable", "empty output")
    close = None
    for close in _THINK_CLOSE.finditer(text):
        pass
    if close is not None:
        text = text[close.end():]
    elif _THINK_OPEN.search(text):
        return _fail("unparseable", "reasoning cut off before an answer")
    if not text.strip():
        return _fail("unparseable", "empty answer after reasoning")

    js = find_answer(text, plan.schema)
    if js.truncated:
        return _fail("unparseable", "JSON answer cut off", "json")
    if js.answer is not None:
        values: dict[str, Any] = {}
        refused = 0
        for f in plan.fields:
            v = convert(f, js.answer[f.name]) if f.name in js.answer else None
            if v is REFUSED:
                refused += 1
                v = None
            values[f.name] = v
        if refused and all(v is None for v in values.values()):
            return _fail("refusal", "JSON answer declines every field", "json")
        if all(v is None for v in values.values()):
            return _fail("unparseable", "JSON answer holds only placeholders", "json")
        if js.repaired and any(v is None for v in values.values()):
            return _fail("unparseable", "JSON answer cut off", "json")
        return Extraction("answer", values, "json", "repaired JSON" if js.repaired else "JSON")

    prose = text
    if js.spans:
        parts, last = [], 0
        for a, b in js.spans:
            parts.append(text[last:a])
            last = b
        parts.append(text[last:])
        prose = "\n".join(parts)
    values = {}
    for f, read in zip(plan.fields, plan.readers):
        v = read(prose)
        if v is AMBIGUOUS:
            return _fail("unparseable", f"{f.name}: alternatives offered", "text")
        values[f.name] = v
    if all(v is None for v in values.values()):
        if is_refusal(prose):
            return _fail("refusal", "declines to answer", "text")
        return _fail("unparseable", "no answer stated", "text")
    return Extraction("answer", values, "text", "prose")
