"""Value normalisation shared by every extractor: canonical spellings, number words, placeholders.

Comparison is FineSightBench's (strip + lower-case); on top of that, spellings that name the same answer
(`grey`/`gray`, `upper left`/`top-left`, `bottom_left`) are read as the option they name, so a spelling
choice is never scored as a perception error.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Word-level synonyms applied to both sides (options and values), so the mapping is symmetric.
SYNONYMS = {"grey": "gray", "upper": "top", "lower": "bottom", "colour": "color"}
_SEP = re.compile(r"[\s_\-]+")
_WORD = re.compile(r"[a-z]+")
# Markdown emphasis, quotes, brackets and sentence punctuation around a value.
_EDGE = "*_`\"'“”‘’.,!?;:()[]{}<> \t\r\n"

UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(UNITS)}
for _t, _w in enumerate(TENS):
    NUMBER_WORDS[_w] = 20 + 10 * _t
    for _u in range(1, 10):
        NUMBER_WORDS[f"{_w} {UNITS[_u]}"] = NUMBER_WORDS[f"{_w}-{UNITS[_u]}"] = 20 + 10 * _t + _u
# A number in prose: digits, or a number word (compounds first so "twenty-one" is not read as "twenty").
NUMBER = (r"(?:\d+|(?:" + "|".join(TENS) + r")(?:[\s-](?:" + "|".join(UNITS[1:10]) + r"))?|"
          + "|".join(sorted(UNITS, key=len, reverse=True)) + r")")

# Values that decline to answer (JSON "letter": "unknown"), compared after canon().
REFUSAL_VALUES = frozenset({
    "", "unknown", "none", "n/a", "na", "null", "unclear", "not sure", "unsure", "cannot determine",
    "can't determine", "cannot tell", "can't tell", "not visible", "undetermined", "unidentifiable", "?", "-",
    "not applicable", "no answer", "indeterminate", "unreadable", "illegible",
})
# a template slot or several ("<X>", "<color> <identity>", "..."), or a value holding a slot ("<color> dot")
_PLACEHOLDER = re.compile(r"^\s*(?:(?:<[^<>]*>|\.{2,}|…|\[[^\[\]]*\])[\s,]*)+$|<[a-z][a-z _-]*>", re.I)
# Values that name the slot instead of filling it ("WORD", "WORD1", "N", "<type>" without brackets); only a
# placeholder when the field has no option of that spelling (the letter X stays a letter).
SLOT_NAMES = frozenset({"x", "n", "word", "words", "name", "type", "color", "colour", "identity", "count", "number",
                        "quadrant", "letter", "digit", "shape", "animal", "object", "value", "answer"})
_SLOT = re.compile(r"^(?:word|item|object)\s*\d+$")


@lru_cache(maxsize=1 << 16)  # answers repeat a lot across a run
def canon(value: str) -> str:
    """Lower-case, separators unified to one space, edge punctuation and emphasis removed, synonyms mapped."""
    s = _SEP.sub(" ", value.strip(_EDGE).lower()).strip(_EDGE)
    if any(w in SYNONYMS for w in s.split()):
        s = " ".join(SYNONYMS.get(w, w) for w in s.split())
    return s


def plain(value: str) -> str:
    """How an unmatched value is kept: stripped of emphasis and edge punctuation, lower-case, single spaces."""
    return " ".join(value.strip(_EDGE).lower().split())


def parse_number(token: str) -> int | None:
    t = token.strip().lower()
    if t.isdigit():
        return int(t)
    return NUMBER_WORDS.get(" ".join(t.replace("-", " ").split()))


def is_placeholder(value) -> bool:
    """A template slot echoed instead of an answer ("<X>", "...", "<color> dot"; Python's `...` literal)."""
    if value is Ellipsis:
        return True
    return isinstance(value, str) and bool(_PLACEHOLDER.search(value))


def names_a_slot(value) -> bool:
    """The value is the name of a format slot ("WORD", "WORD1", "N"); callers check it is not an option."""
    if not isinstance(value, str):
        return False
    c = value.strip(_EDGE).lower()
    return c in SLOT_NAMES or bool(_SLOT.match(c))


# Markup is never content. Markdown emphasis/code/strike marks and HTML tags are blanked (same length, so
# positions still line up with the text they came from); a bullet "* " at a line start is kept.
_MARKUP = re.compile(r"\*\*|__|~~|`+|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|</?[a-z][a-z0-9]*\s*/?>|^[ \t]*#{1,6}(?=[ \t])", re.I | re.M)
# LaTeX answer wrappers: \boxed{K}, \text{No}, \mathbf{4}, $...$, \( \) \[ \]
_LATEX_CMD = re.compile(r"\\(?:boxed|fbox|text|textbf|mathrm|mathbf|textit|mathit|texttt|bf|operatorname)\s*\{([^{}]*)\}")
_LATEX_DELIM = re.compile(r"\$+|\\[()\[\]]|\\[ ,;!]")


_MARKUP_CHARS = frozenset("*_~`<#")


def mask_markup(text: str) -> str:
    if _MARKUP_CHARS.isdisjoint(text):
        return text
    return _MARKUP.sub(lambda m: " " * len(m.group()), text)


def unwrap_latex(text: str) -> str:
    """`\\boxed{\\text{No}}` -> `No`; LaTeX math delimiters dropped. Text without a backslash or $ is returned as is."""
    if "\\" not in text and "$" not in text:
        return text
    for _ in range(4):  # nested wrappers, innermost first
        new = _LATEX_CMD.sub(lambda m: m.group(1), text)
        if new == text:
            break
        text = new
    return _LATEX_DELIM.sub(" ", text)


def is_refusal_value(value) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and canon(value) in REFUSAL_VALUES or (isinstance(value, str) and plain(value) in REFUSAL_VALUES)


def singular_forms(word: str) -> tuple[str, ...]:
    """A count key as written and its singular candidates ('circles' -> 'circle'; 'boxes' -> 'box')."""
    forms = [word]
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and len(word) > 2:
        forms.append(word[:-1])
    return tuple(forms)
