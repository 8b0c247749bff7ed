"""A raw JSON value given for a field -> the field's canonical value (or a refusal / a missing value).

Labels become the option they name (case, separators, synonyms; "a red star" names star); a label naming
no option is kept as written, lower-case (it is wrong, and the taxonomy counts it). Integers accept numbers
as strings and number words; an integral float is its integer, any other float is kept (wrong). Counts keys
are mapped to the field's keys (case, plural), unknown keys kept.
"""

from __future__ import annotations

import json
from typing import Any

from snellen.schema import AnswerField
from snellen.scoring.extract_counts import counts_reader
from snellen.scoring.extract_lists import list_reader
from snellen.scoring.extract_text import AMBIGUOUS, label_reader, text_reader
from snellen.scoring.normalize import canon, is_placeholder, is_refusal_value, names_a_slot, parse_number, plain
from snellen.scoring.vocab import vocab

REFUSED = object()  # the field was explicitly declined (null, "unknown", ...)
MISSING = None


def _scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value) if isinstance(value, (list, dict)) else str(value)


def to_int(value: Any):
    """int for whole numbers (also '3', 'three', 3.0); a non-integral float kept; else the plain text."""
    if isinstance(value, bool):
        return plain(str(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    s = _scalar_text(value)
    n = parse_number(canon(s))
    if n is not None:
        return n
    try:
        f = float(s.strip())
        return int(f) if f.is_integer() else f
    except ValueError:
        return plain(s)


def _slot_name(field: AnswerField, value: Any) -> bool:
    """A value that names the format's slot ("WORD", "WORD1", "N") and no option of the field."""
    if not names_a_slot(value):
        return False
    return field.kind == "integer" or not field.options or vocab(field).lookup(value) is None


def convert(field: AnswerField, value: Any):
    """Raw JSON value -> canonical value, REFUSED, or MISSING (a placeholder)."""
    if is_placeholder(value) or _slot_name(field, value):
        return MISSING
    if is_refusal_value(value):
        return REFUSED
    kind = field.kind
    if kind == "label":
        v = vocab(field)
        if isinstance(value, bool):
            return v.lookup("yes" if value else "no") if v.yes_no else plain(str(value).lower())
        if isinstance(value, list) and len(value) == 1:
            return convert(field, value[0])
        s = _scalar_text(value)
        hit = v.lookup(s)
        if hit is None:
            got = label_reader(field).read(s)
            hit = got if got is not None and got is not AMBIGUOUS else None
        return hit if hit is not None else plain(s)
    if kind == "text":
        s = _scalar_text(value)
        hit = vocab(field).lookup(s)
        if hit is not None:
            return hit
        stripped = s.strip(" \t\r\n*_`\"'“”‘’.,!?;:()[]")
        if stripped and " " not in stripped:
            return stripped
        got = text_reader(field).read(s)
        return got if got is not None and got is not AMBIGUOUS else plain(s)
    if kind == "integer":
        return to_int(value)
    if kind == "sequence":
        if isinstance(value, (list, str)):
            items = [x for x in (value if isinstance(value, list) else [value])
                     if not is_placeholder(x) and not _slot_name(field, x)]
            if isinstance(value, list) and value and not items:
                return MISSING
            return list_reader(field).from_value(value if isinstance(value, str) else items)
        return plain(_scalar_text(value))
    if kind == "counts":
        if isinstance(value, dict):
            if value and all(is_refusal_value(x) for x in value.values()):
                return REFUSED
            v = vocab(field)
            out = {}
            for k, x in value.items():
                if is_placeholder(k) or is_placeholder(x):
                    continue
                out[v.lookup_key(str(k)) or plain(str(k))] = to_int(x) if not is_refusal_value(x) else None
            return out
        if isinstance(value, str):
            return counts_reader(field).read(value) or plain(value)
        return plain(_scalar_text(value))
    raise ValueError(f"unknown field kind {kind!r}")
