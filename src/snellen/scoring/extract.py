"""Answer extraction, layered and driven by the sample's AnswerFields (never by task names).

  1. empty text -> unparseable; a closed <think> block is skipped, an unclosed one -> unparseable; LaTeX
     answer wrappers (\\boxed{K}) unwrapped;
  2. JSON (extract_json): the winning object's values converted per field (values.py); an answer cut off
     inside an object -> unparseable; every field declined (null, "unknown") -> refusal. The final answer wins
     whatever its form: prose after that object which STATES an answer (readers in strict mode: statements,
     no mention fallback) replaces the fields it states;
  3. prose, with JSON objects blanked out: each field read by its kind's reader (markup blanked first); an
     answer offered with alternatives -> unparseable; nothing read -> refusal if the text declines
     (refusal.py), else unparseable; a reasoning reply cut off mid-sentence with no final-answer cue ->
     unparseable.
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
from snellen.scoring.normalize import unwrap_latex
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
    readers = []  # each: (text, strict) -> value | None | AMBIGUOUS
    for f in fields:
        if f.kind == "label":
            readers.append(label_reader(f).read)
        elif f.kind == "text":
            readers.append(text_reader(f).read)
        elif f.kind == "sequence":
            readers.append(list_reader(f).read)
        elif f.kind == "counts":
            r = counts_reader(f)
            readers.append(lambda text, strict, r=r: r.read(text))
        elif f.kind == "integer":
            r = integer_reader(f, count_keys)
            readers.append(lambda text, strict, r=r, alone=alone: r.read(text, alone and not strict))
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

    text = unwrap_latex(text)
    js = find_answer(text, plan.schema)
    if js.truncated:
        return _fail("unparseable", "JSON answer cut off", "json")
    prose = _blank(text, js.spans)
    cut = cut_off(text)
    if js.answer is not None:
        values: dict[str, Any] = {}
        refused = 0
        for f in plan.fields:
            v = convert(f, js.answer[f.name]) if f.name in js.answer else None
            if v is REFUSED:
                refused += 1
                v = None
            values[f.name] = v
        restated = False
        if not js.repaired and js.end is not None and not cut:
            # the final answer wins whatever its form: prose after the JSON that states an answer replaces it
            tail = prose[js.end:]
            if tail.strip():
                for f, read in zip(plan.fields, plan.readers):
                    v = read(tail, True)
                    if v is None or v is AMBIGUOUS:
                        continue
                    if isinstance(v, dict) and isinstance(values[f.name], dict):
                        v = {**values[f.name], **v}
                    restated |= v != values[f.name]
                    values[f.name] = v
        if refused and all(v is None for v in values.values()):
            return _fail("refusal", "JSON answer declines every field", "json")
        if not all(v is None for v in values.values()):
            if js.repaired and any(v is None for v in values.values()):
                return _fail("unparseable", "JSON answer cut off", "json")
            if restated:
                return Extraction("answer", values, "text", "prose after the JSON answer")
            return Extraction("answer", values, "json", "repaired JSON" if js.repaired else "JSON")
        # an object of placeholders only is no answer: read the prose around it

    values = {}
    for f, read in zip(plan.fields, plan.readers):
        v = read(prose, False)
        if v is AMBIGUOUS:
            return _fail("unparseable", f"{f.name}: alternatives offered", "text")
        values[f.name] = v
    if all(v is None for v in values.values()):
        if is_refusal(prose):
            return _fail("refusal", "declines to answer", "text")
        if js.answer is not None:
            return _fail("unparseable", "JSON answer holds only placeholders", "json")
        return _fail("unparseable", "no answer stated", "text")
    if cut and not _FINAL_CUE.search(prose):
        return _fail("unparseable", "cut off while reasoning, before a final answer", "text")
    return Extraction("answer", values, "text", "prose")


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with JSON spans replaced by spaces (same length, so offsets still match the text)."""
    if not spans:
        return text
    parts, last = [], 0
    for a, b in spans:
        parts.append(text[last:a])
        parts.append(" " * (b - a))
        last = b
    parts.append(text[last:])
    return "".join(parts)


# Words a sentence does not end on: a reasoning reply that stops on one was cut off (token limit).
_DANGLING = frozenset(
    "a an the is are was were be been being of to from with and or but near at in on by for that which whether than "
    "then if so as one next another seems seem looks look like there its this these those my their each every some "
    "any has have had can could would should might may will very more most less into onto about between around "
    "after before also maybe possibly perhaps either neither".split())
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")
_FINAL_CUE = re.compile(r"\bfinal\s+answer\b|\banswer\s*(?:is\b|:)", re.I)


def cut_off(text: str) -> bool:
    """The reply stops mid-sentence while reasoning: a trailing comma/colon/dash, or a last word no sentence ends
    on (lower-case, so the letter answers "A"/"I" are not taken for articles), in a reply of several words."""
    t = text.rstrip()
    if not t or len(t.split()) < 8:
        return False
    if t[-1] in ",:;(—–":
        return True
    m = _LAST_WORD.search(t)
    return bool(m) and m.end(1) == len(t) and m.group(1) in _DANGLING
