"""JSON answers in model output: find every balanced object, repair, and pick the one that is the answer.

Which object wins (docs: tests/scoring/corpus/README.md, rule 2-3):
  the LAST complete object that carries at least one of the task's field names (case-insensitive, read
  through one wrapping object), skipping objects whose answer values are template placeholders and objects
  introduced as an example ("for example", "e.g."); a bare list answers a one-sequence task; for a one-field
  task with no such object, the last single-key object with a scalar value.
  If the output ends inside an object that names a field, the answer was cut off: `TRUNCATED`, unless only
  the outermost brace is missing (then the repaired object is the last candidate and must hold every field).
Repairs (FineSightBench's, plus Python literals): trailing commas, single quotes, True/False/None.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Any

from snellen.scoring.normalize import canon, is_placeholder

_STRUCT = re.compile(r"[{}\[\]\"'\\]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_JS_LITERAL = re.compile(r"\b(true|false|null)\b")
# An object quoted as an illustration of the format, not as the answer: cue before it (same line, or the line
# above when the object opens a line) or "-style" right after it.
_EXAMPLE_BEFORE = re.compile(
    r"(?:for example|for instance|e\.g\.|such as|example|template|format reminder|"
    r"(?:expected|required|requested|desired)\s+(?:json\s+)?(?:format|output|answer|response|reply)(?:\s+(?:is|would\s+be|looks\s+like))?|"
    r"(?:format|output|answer|response|reply)\s+(?:is|should\s+be|would\s+be|needs\s+to\s+be)\s+(?:like|something\s+like)|"
    r"(?:should|would|will)\s+look\s+like|looks\s+like\s+this|something\s+like|(?:needs|has)\s+to\s+be\s+like)"
    r"\s*[:,]?\s*(?:\*\*|`+(?:json)?)?\s*$", re.I)
_EXAMPLE_AFTER = re.compile(r"^[\s`]*-?\s*(?:style|shaped|like\s+(?:output|format))\b", re.I)
# "{"letter": "X"} where X is the letter": a symbol the text itself defines as the format's variable
_VARIABLE = re.compile(
    r"\b(?:where|with|replace|replacing|substitute)\s+[\"'`<]?([A-Za-z]{1,8}\d?)[\"'`>]?\s+"
    r"(?:is|are|being|replaced|stands|=|means|by|with)\b", re.I)
_MAX_SPAN = 20000
ALIASES = ("answer", "final_answer", "final answer", "result", "prediction")
_PY = {"true": "True", "false": "False", "null": "None"}


@dataclass(frozen=True)
class Spans:
    complete: list[tuple[int, int]]
    open_start: int | None  # start of an object the text ends inside
    open_depth: int  # brackets still open there
    open_in_string: bool


def scan(text: str) -> Spans:
    """Top-level balanced {...} / [...] spans, string-aware (" and '), jumping between structural chars only."""
    complete: list[tuple[int, int]] = []
    stack: list[str] = []
    start = -1
    quote = ""
    esc_at = -1
    n = len(text)
    for m in _STRUCT.finditer(text):
        ch = m.group()
        i = m.start()
        if quote:
            if ch == "\\":
                esc_at = -1 if esc_at == i else i + 1
            elif ch == quote and i != esc_at:
                quote = ""
            continue
        if ch == '"' or ch == "'":
            if stack:
                # an apostrophe inside a word (don't) is not a string quote
                if ch == "'" and 0 < i < n - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
                    continue
                quote = ch
            continue
        if ch == "\\":
            continue
        if ch == "{" or ch == "[":
            if not stack:
                start = i
            stack.append(ch)
        elif stack:
            if (ch == "}") == (stack[-1] == "{"):
                stack.pop()
                if not stack:
                    complete.append((start, i + 1))
            else:  # mismatched closer: this span is not JSON
                stack.clear()
    return Spans(complete, start if stack else None, len(stack), bool(quote) and bool(stack))


def loads(s: str) -> Any:
    """json.loads, then trailing commas removed, then Python-literal syntax (single quotes). None if all fail."""
    if len(s) > _MAX_SPAN:
        return None
    try:
        return json.loads(s)
    except ValueError:
        pass
    fixed = _TRAILING_COMMA.sub(r"\1", s)
    if fixed != s:
        try:
            return json.loads(fixed)
        except ValueError:
            pass
    try:
        return ast.literal_eval(_JS_LITERAL.sub(lambda m: _PY[m.group(1)], fixed))
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return None


def _key(k: Any) -> str:
    return canon(str(k)).replace(" ", "_")


@dataclass(frozen=True)
class JsonSchema:
    """What the JSON layer needs to know about a task's fields."""

    names: tuple[str, ...]  # field names
    keys: tuple[str, ...]  # canonical keys of names
    count_field: str | None  # name of a counts field (for flat counts next to `total`)
    count_keys: frozenset[str]
    single_sequence: bool

    @classmethod
    def of(cls, fields) -> JsonSchema:
        counts = [f for f in fields if f.kind == "counts"]
        return cls(
            names=tuple(f.name for f in fields), keys=tuple(_key(f.name) for f in fields),
            count_field=counts[0].name if counts else None,
            count_keys=frozenset(_key(k) for k in (counts[0].keys or ())) if counts else frozenset(),
            single_sequence=len(fields) == 1 and fields[0].kind == "sequence",
        )


def _as_answer(obj: Any, schema: JsonSchema, depth: int = 0) -> dict | None:
    """The answer dict {field name: raw value} carried by a parsed value, or None."""
    if isinstance(obj, list):
        if depth == 0 and schema.single_sequence and obj and all(isinstance(x, (str, dict)) for x in obj):
            return {schema.names[0]: obj}
        return None
    if not isinstance(obj, dict):
        return None
    norm = {_key(k): v for k, v in obj.items()}
    found = {name: norm[key] for name, key in zip(schema.names, schema.keys) if key in norm}
    if len(schema.names) == 1 and not found:
        for alias in ALIASES:
            a = _key(alias)
            if a in norm and not isinstance(norm[a], dict):
                found = {schema.names[0]: norm[a]}
                break
    if schema.count_field and schema.count_field not in found and found:
        flat = {k: v for k, v in obj.items() if _key(k) in schema.count_keys}
        if flat:
            found[schema.count_field] = flat
    if found:
        return found
    if depth < 2:
        for v in obj.values():
            inner = _as_answer(v, schema, depth + 1)
            if inner is not None:
                return inner
    return None


def _all_placeholders(answer: dict) -> bool:
    def ph(v) -> bool:
        if isinstance(v, list):
            return bool(v) and all(ph(x) for x in v)
        if isinstance(v, dict):
            return bool(v) and (all(ph(x) for x in v.values()) or all(is_placeholder(k) for k in v))
        return is_placeholder(v)

    return all(ph(v) for v in answer.values())


@dataclass(frozen=True)
class JsonResult:
    answer: dict | None  # {field name: raw value} of the winning object
    truncated: bool  # the output ends inside an answer object that could not be repaired
    repaired: bool  # the winner had its outermost brace added
    spans: list[tuple[int, int]]  # every complete span (prose reading blanks them out)
    end: int | None = None  # where the winning object ends (prose after it may state the final answer)


_NO_JSON = JsonResult(None, False, False, [])


def _names_a_field(fragment: str, schema: JsonSchema) -> bool:
    low = fragment.lower().replace("colour", "color")
    return any(re.search(r"[\"']" + re.escape(k).replace("_", "[ _]") + r"[\"']\s*:", low) for k in schema.keys)


def find_answer(text: str, schema: JsonSchema) -> JsonResult:
    if "{" not in text and "[" not in text:
        return _NO_JSON
    spans = scan(text)
    winner: dict | None = None
    single_key: dict | None = None
    end = key_end = None
    variables = {m.group(1).lower() for m in _VARIABLE.finditer(text)} if _VARIABLE.search(text) else set()
    for a, b in spans.complete:
        obj = loads(text[a:b])
        if obj is None:
            continue
        ans = _as_answer(obj, schema)
        if _is_example(text, a, b):
            continue
        if ans is not None and variables:
            ans = {k: (v if not (isinstance(v, str) and v.strip().lower() in variables) else "<" + v + ">")
                   for k, v in ans.items()}
        if ans is not None:
            if not _all_placeholders(ans):
                winner, end = ans, b
        elif len(schema.names) == 1 and isinstance(obj, dict) and len(obj) == 1:
            (v,) = obj.values()
            if isinstance(v, (str, int, float, bool)) and not is_placeholder(v):
                single_key, key_end = {schema.names[0]: v}, b
    repaired = False
    if spans.open_start is not None:
        tail = text[spans.open_start:]
        if text[spans.open_start] == "{" and _names_a_field(tail, schema):
            ans = None
            if spans.open_depth == 1 and not spans.open_in_string:
                obj = loads(tail.rstrip() + "}")
                ans = _as_answer(obj, schema) if obj is not None else None
            if ans is None or len(ans) < len(schema.names) or _all_placeholders(ans):
                return JsonResult(None, True, False, spans.complete)
            winner, repaired, end = ans, True, len(text)
    if winner is None:
        winner, end = single_key, key_end
    return JsonResult(winner, False, repaired, spans.complete, end)


def _is_example(text: str, a: int, b: int) -> bool:
    line_start = text.rfind("\n", 0, a) + 1
    before = text[max(line_start, a - 60):a]
    if not before.strip(" \t`") and line_start > 0:  # the object opens its line: the cue may end the line above
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        before = text[max(prev_start, line_start - 60):line_start - 1]
    return bool(_EXAMPLE_BEFORE.search(before) or _EXAMPLE_AFTER.match(text[b:b + 20]))
