"""Per-field answer vocabularies, compiled once per AnswerField (fields are frozen, hence cacheable).

A Vocab maps any spelling of an option to the option (`by_canon`) and holds a regex that finds options
mentioned in prose (separators, synonyms and, for count keys, plurals tolerated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from snellen.schema import AnswerField
from snellen.scoring.normalize import SYNONYMS, UNITS, canon, parse_number, singular_forms

_INVERSE: dict[str, list[str]] = {}
for _src, _dst in SYNONYMS.items():
    _INVERSE.setdefault(_dst, [_dst]).append(_src)


@dataclass(frozen=True)
class Vocab:
    options: tuple[str, ...]
    by_canon: dict[str, str]
    mention: re.Pattern | None  # options in prose (multi-character options only)
    single_alpha: bool  # every option is one letter (A-Z)
    digits: bool  # every option is one digit (number words read as digits)
    yes_no: bool
    max_words: int

    def lookup(self, value: str) -> str | None:
        """The option `value` names, or None."""
        c = canon(value)
        hit = self.by_canon.get(c)
        if hit is None and self.digits:
            n = parse_number(c)
            if n is not None and str(n) in self.by_canon:
                hit = self.by_canon[str(n)]
        return hit

    def lookup_key(self, value: str) -> str | None:
        """Like lookup, also accepting plural forms (count keys)."""
        c = canon(value)
        for form in singular_forms(c):
            if form in self.by_canon:
                return self.by_canon[form]
        return None


def _word_alt(word: str) -> str:
    alts = _INVERSE.get(word, [word])
    return "(?:" + "|".join(re.escape(a) for a in sorted(alts, key=len, reverse=True)) + ")" if len(alts) > 1 else re.escape(word)


def option_pattern(options, plural: bool = False) -> str:
    """Alternation of options as prose spells them, longest first, without boundaries."""
    pats = []
    for opt in sorted(set(options), key=lambda o: len(canon(o)), reverse=True):
        words = canon(opt).split()
        if not words:
            continue
        pats.append(r"[\s_\-]+".join(_word_alt(w) for w in words) + (r"(?:e?s)?" if plural else ""))
    return "(?:" + "|".join(pats) + ")"


@lru_cache(maxsize=4096)
def vocab(field: AnswerField) -> Vocab:
    opts = tuple(field.keys or ()) if field.kind == "counts" else tuple(field.options or ())
    by_canon = {canon(o): o for o in opts}
    single_alpha = bool(opts) and all(len(o) == 1 and o.isalpha() for o in opts)
    digits = bool(opts) and all(len(o) == 1 and o.isdigit() for o in opts)
    multi = [o for o in opts if len(canon(o)) > 1]
    mention = None
    if multi:
        plural = field.kind == "counts"
        mention = re.compile(r"(?<![a-z0-9])" + option_pattern(multi, plural) + r"(?![a-z0-9])", re.I)
    return Vocab(
        options=opts, by_canon=by_canon, mention=mention, single_alpha=single_alpha, digits=digits,
        yes_no=set(by_canon) == {"yes", "no"}, max_words=max((len(canon(o).split()) for o in opts), default=3),
    )


DIGIT_WORDS = UNITS[:10]
