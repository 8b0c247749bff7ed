"""What a person can answer for a sample, and how their answer becomes text snellen's scorer reads.

Controls are chosen from the sample's AnswerFields (never from task names): a label of single
characters is one key press, other labels are buttons, integers and counts are number fields, a
sequence of '<colour> <identity>' items is built by clicking (or typing) colour then identity, a
sequence of words and open text are typed. The answer is checked against the field's answer space
(a malformed answer is refused with a message and never stored) and written as the JSON object the
prompts ask models for, so the one scorer scores people and models alike. Every trial is forced
choice: there is no "can't tell" (a guess at chance is what a threshold is measured against).
"""

from __future__ import annotations

import json
import re
import string
from typing import Any

from snellen.schema import AnswerField, Sample

MAX_NUMBER = 9999
MAX_ITEMS = 64
_WORD = re.compile(r"^[A-Z]+$")
_SPLIT = re.compile(r"[\s,;]+")
# The sentence of a free prompt that says how to write the answer: the page's controls replace it.
_HOW_TO_ANSWER = re.compile(r"\s*Answer (?:with|in the format|yes or no)\b(?:[^'.]|'[^']*')*\.")
# Hotkeys for buttons: digits first (left hand on the number row), then letters.
_BUTTON_KEYS = "1234567890" + "qwertyuiopasdfghjklzxcvbnm"


class MalformedAnswer(ValueError):
    """An answer that is not in the field's answer space (the page shows the message; nothing is stored)."""


def shown_prompt(sample: Sample) -> str:
    """The free-text prompt in words, without the sentence on answer formatting (the controls say it)."""
    text = sample.prompts.get("free") or sample.prompts.get("json") or ""
    return " ".join(_HOW_TO_ANSWER.sub("", text).split())


def _pairs(options: tuple[str, ...]) -> tuple[list[str], list[str]] | None:
    """Options of the form '<colour> <identity>' (every colour x identity): (colours, identities), else None."""
    split = [o.split(" ", 1) for o in options]
    if not split or any(len(p) != 2 for p in split):
        return None
    colours = list(dict.fromkeys(p[0] for p in split))
    identities = list(dict.fromkeys(p[1] for p in split))
    if len(colours) < 2 or len(colours) * len(identities) != len(set(options)):
        return None
    return colours, identities


def _hotkeys(options: list[str]) -> list[str]:
    if all(len(o) == 1 and o.isalnum() for o in options):
        return [o.lower() for o in options]
    first = [o[0].lower() for o in options]
    if len(set(first)) == len(first) and all(c in string.ascii_lowercase for c in first):
        return first  # yes/no -> y/n
    return list(_BUTTON_KEYS[: len(options)]) + [""] * max(0, len(options) - len(_BUTTON_KEYS))


def control(field: AnswerField) -> dict[str, Any]:
    """How the page asks for one field (see the module docstring)."""
    c: dict[str, Any] = {"name": field.name, "kind": field.kind}
    opts = list(field.options or ())
    if field.kind == "label":
        if opts and all(len(o) == 1 and o.isalnum() for o in opts):
            c.update(control="key", options=opts)
        else:
            c.update(control="buttons", options=opts, hotkeys=_hotkeys(opts))
    elif field.kind == "integer":
        c.update(control="number", label=field.name.replace("_", " "))
    elif field.kind == "counts":
        c.update(control="counts", keys=list(field.keys or ()))
    elif field.kind == "sequence":
        pairs = _pairs(tuple(opts)) if opts else None
        if pairs:
            colours, identities = pairs
            c.update(control="order", colours=colours, identities=identities,
                     colour_keys=[("1234567890"[i] if i < 10 else "") for i in range(len(colours))],
                     identity_keys=_identity_keys(identities))
        else:
            c.update(control="words")
    elif field.kind == "text":
        c.update(control="text")
    else:  # a new field kind needs a control here before people can answer it
        raise ValueError(f"no answer control for field kind {field.kind!r}")
    return c


def _identity_keys(identities: list[str]) -> list[str]:
    """Identity hotkeys: letters, so they never collide with the colours' digit keys."""
    if all(len(i) == 1 and i.isalpha() for i in identities):
        return [i.lower() for i in identities]
    letters = "qwertyuiopasdfghjklzxcvbnm"
    return list(letters[: len(identities)]) + [""] * max(0, len(identities) - len(letters))


def controls(sample: Sample) -> list[dict[str, Any]]:
    return [control(f) for f in sample.fields]


# ---------------------------------------------------------------------------------------------------------
# checking and writing answers


def _label(field: AnswerField, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MalformedAnswer(f"{field.name}: choose one of {', '.join(field.options or ())}")
    wanted = value.strip().lower()
    for o in field.options or ():
        if o.lower() == wanted:
            return o
    raise MalformedAnswer(f"{field.name}: {value.strip()[:40]!r} is not one of {', '.join(field.options or ())}")


def _integer(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise MalformedAnswer(f"{name}: type a whole number")
    if isinstance(value, int):
        n = value
    elif isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        n = int(value.strip())
    else:
        shown = str(value).strip()[:40] if value is not None else ""
        raise MalformedAnswer(f"{name}: {shown!r} is not a whole number" if shown else f"{name}: type a whole number")
    if not 0 <= n <= MAX_NUMBER:
        raise MalformedAnswer(f"{name}: {n} is out of range (0 to {MAX_NUMBER})")
    return n


def _counts(field: AnswerField, value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise MalformedAnswer(f"{field.name}: give a number for each of {', '.join(field.keys or ())}")
    keys = list(field.keys or ())
    extra = sorted(set(value) - set(keys))
    if extra:
        raise MalformedAnswer(f"{field.name}: {extra[0][:40]!r} is not one of {', '.join(keys)}")
    return {k: _integer(k, value.get(k)) for k in keys}


def _words(value: Any, name: str) -> list[str]:
    items = _SPLIT.split(value.strip()) if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(w, str) for w in items):
        raise MalformedAnswer(f"{name}: type the words separated by spaces or commas")
    words = [w.strip().upper() for w in items if w.strip()]
    if not words:
        raise MalformedAnswer(f"{name}: type at least one word")
    bad = [w for w in words if not _WORD.match(w)]
    if bad:
        raise MalformedAnswer(f"{name}: {bad[0][:40]!r} is not a word of letters A-Z")
    return words


def _sequence(field: AnswerField, value: Any) -> list[str]:
    if control(field)["control"] == "words":
        words = _words(value, field.name)
    else:
        if not isinstance(value, list) or not value:
            raise MalformedAnswer(f"{field.name}: pick at least one item, in order")
        words = [_label(field, v) for v in value]
    if len(words) > MAX_ITEMS:
        raise MalformedAnswer(f"{field.name}: at most {MAX_ITEMS} items")
    return words


def check(sample: Sample, answer: Any) -> dict[str, Any]:
    """The answer in canonical form ({field name: value}), or MalformedAnswer saying what is wrong."""
    if not isinstance(answer, dict):
        raise MalformedAnswer("the answer must be an object with one entry per question field")
    unknown = sorted(set(answer) - {f.name for f in sample.fields})
    if unknown:
        raise MalformedAnswer(f"{str(unknown[0])[:40]!r} is not a field of this question")
    out: dict[str, Any] = {}
    for f in sample.fields:
        v = answer.get(f.name)
        if f.kind == "label":
            out[f.name] = _label(f, v)
        elif f.kind == "integer":
            out[f.name] = _integer(f.name.replace("_", " "), v)
        elif f.kind == "counts":
            out[f.name] = _counts(f, v)
        elif f.kind == "sequence":
            out[f.name] = _sequence(f, v)
        elif f.kind == "text":
            out[f.name] = _one_word(f, v)
        else:
            raise MalformedAnswer(f"{f.name}: field kind {f.kind!r} cannot be answered here")
    return out


def _one_word(field: AnswerField, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MalformedAnswer(f"{field.name}: type the word")
    words = _words(value, field.name)
    if len(words) != 1:
        raise MalformedAnswer(f"{field.name}: type one word")
    return words[0]


def to_text(answer: dict[str, Any]) -> str:
    """The stored response text: the JSON object the json prompt asks models for."""
    return json.dumps(answer, ensure_ascii=False)
