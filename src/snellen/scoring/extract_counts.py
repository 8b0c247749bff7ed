"""Counts and whole numbers in prose: "3 red, 2 blue; total: 5", "Red: 2", "three circles", "a total of five".

Per count key the LAST statement wins ("<n> <key>", "<key>: <n>", "<key> (n)", "no <key>" = 0); a total is
read only where it is stated ("total: 5", "5 in total", "a total of five", "there are ten blocks" with a
noun that is not a count key), never summed from the counts. Other integer fields are read under their
name ("with letter: 2"); a lone integer field also from an output that is just a number.
"""

from __future__ import annotations

import re
from functools import lru_cache

from snellen.schema import AnswerField
from snellen.scoring.normalize import NUMBER, mask_markup, parse_number
from snellen.scoring.vocab import option_pattern, vocab

_N = r"(" + NUMBER + r")"


class CountsReader:
    def __init__(self, field: AnswerField):
        self.v = vocab(field)
        self.rx = []
        for key in self.v.options:
            k = option_pattern([key], plural=True)
            self.rx.append((key, (
                re.compile(r"(?<![\w.=])" + _N + r"[ \t]+(?:[a-z]+[ \t]+)?" + k + r"\b", re.I),
                # "red: 2", "red - 2", "red x 2"; "red (2)" only when the bracket closes right after the number,
                # so "4 fish (7 animals in total)" is not fish 7
                re.compile(r"\b" + k + r"\b(?:[ \t]+[a-z]+)?[ \t]*(?:(?:[:=]|-|–|—|\bx\b|×)[ \t]*" + _N + r"\b|"
                           r"\([ \t]*" + _N + r"[ \t]*\))", re.I),
                re.compile(r"\bno[ \t]+(?:[a-z]+[ \t]+)?" + k + r"\b", re.I),
            )))

    def read(self, text: str) -> dict[str, int] | None:
        text = mask_markup(text)
        out: dict[str, int] = {}
        for key, (before, after, none) in self.rx:
            best = (-1, None)
            for rx in (before, after):
                for m in rx.finditer(text):
                    if rx is after and _TOTAL_AFTER.match(text, m.end()):
                        continue  # "orange ones - seven blocks altogether": a total, not this key's count
                    if m.end() > best[0]:
                        best = (m.end(), parse_number(m.group(1) or m.group(2)))
            for m in none.finditer(text):
                if m.end() > best[0]:
                    best = (m.end(), 0)
            if best[1] is not None:
                out[key] = best[1]
        return out or None


_TOTAL = (
    re.compile(r"\btotal\b[ \t]*(?:[a-z]+[ \t]*){0,2}?[:=]?[ \t]*" + _N + r"\b", re.I),
    re.compile(r"(?<![\w.=])" + _N + r"[ \t]+(?:[a-z]+[ \t]+)?(?:in[ \t]+total|total|altogether|overall|in[ \t]+all)\b", re.I),
)
# How prose names an integer field other than by its name (the letter-count task's `with_letter`).
_LETTER = r"(?:[ \t]+(?:the[ \t]+)?(?:letter[ \t]+)?(?:an?[ \t]+)?[\"'“‘]?[A-Za-z](?![A-Za-z])[\"'”’]?)?"
FIELD_PHRASES = {
    "with_letter": (
        r"\b(?:containing|contains?|with[ \t]+(?:the[ \t]+)?letter)" + _LETTER + r"[ \t]*[:=][ \t]*<N>\b",
        r"(?<![\w.=])<N>[ \t]+(?:of[ \t]+them[ \t]+|of[ \t]+the[ \t]+words[ \t]+|words?[ \t]+)?"
        r"(?:contains?|have|has|include)[ \t]+(?:the[ \t]+)?(?:letter[ \t]+)?(?:an?[ \t]+)?[\"'“‘]?[A-Za-z](?![A-Za-z])",
    ),
}
_TOTAL_AFTER = re.compile(r"[ \t]+(?:[a-z]+[ \t]+)?(?:in[ \t]+total|total|altogether|overall|in[ \t]+all)\b", re.I)
_THERE_ARE = re.compile(r"\bthere[ \t]+(?:are|is)[ \t]+" + _N + r"[ \t]+([a-z]+)", re.I)
_NEXT_WORDS = re.compile(r"[ \t]+([a-z]+)(?:[ \t]+([a-z]+))?", re.I)
_WHOLE_NUMBER = re.compile(r"^[\s*_`\"'(]*" + _N + r"[\s*_`\"'.)!]*$", re.I)


class IntegerReader:
    def __init__(self, field: AnswerField, count_keys: tuple[str, ...] = ()):
        self.name = field.name
        self.is_total = field.name.lower() == "total"
        name = r"[\s_-]*".join(re.escape(w) for w in re.split(r"[\s_-]+", field.name.strip()))
        # "total: 5", "total is 5", and a heading "Total" with the number alone on the next line
        self.named = re.compile(r"\b" + name + r"\b[ \t]*(?:(?:is|are|of|=|:)[ \t]*|:?[ \t]*\n[ \t]*(?=\S+[ \t]*$))?"
                                + _N + r"\b", re.I | re.M)
        self.keys = vocab(AnswerField("keys", "counts", keys=count_keys)) if count_keys else None
        self.aliases = tuple(re.compile(p.replace("<N>", _N), re.I) for p in FIELD_PHRASES.get(self.name.lower(), ()))

    def _counts_a_key(self, text: str, m: re.Match) -> bool:
        """'total: 2 red' -- the number is the count of a key, not this field's value."""
        if self.keys is None:
            return False
        nxt = _NEXT_WORDS.match(text, m.end(1))
        return nxt is not None and any(w and self.keys.lookup_key(w) is not None for w in nxt.groups())

    def read(self, text: str, alone: bool) -> int | None:
        text = mask_markup(text)
        best = (-1, None)
        for rx in self.aliases:
            for m in rx.finditer(text):
                best = max(best, (m.end(), parse_number(m.group(1))), key=lambda t: t[0])
        for m in self.named.finditer(text):
            if not self._counts_a_key(text, m):
                best = max(best, (m.end(), parse_number(m.group(1))), key=lambda t: t[0])
        if self.is_total:
            for rx in _TOTAL:
                for m in rx.finditer(text):
                    if not self._counts_a_key(text, m):
                        best = max(best, (m.end(), parse_number(m.group(1))), key=lambda t: t[0])
            for m in _THERE_ARE.finditer(text):
                if self.keys is not None and self.keys.lookup_key(m.group(2)) is not None:
                    continue
                best = max(best, (m.end(), parse_number(m.group(1))), key=lambda t: t[0])
        if best[1] is None and alone:
            m = _WHOLE_NUMBER.match(text)
            if m:
                return parse_number(m.group(1))
        return best[1]


@lru_cache(maxsize=4096)
def counts_reader(field: AnswerField) -> CountsReader:
    return CountsReader(field)


@lru_cache(maxsize=4096)
def integer_reader(field: AnswerField, count_keys: tuple[str, ...] = ()) -> IntegerReader:
    return IntegerReader(field, count_keys)

