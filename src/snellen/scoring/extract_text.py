"""Single answers stated in prose: labels (letters, digits, words from a closed set, yes/no) and open words.

Markup is blanked first (markdown emphasis, code, headings, HTML tags: never content).
Reading order for a label (first that applies):
  1. the last non-empty line holds only an option ("K", "**K**", "Dog.", "Lower left.");
  2. answer statements: a cue (is, looks like, resembles, reads, answer:, the letter ..., quoted or bold; hedged
     commitments "probably", "most likely", "go with"; restatements "i.e.", "in other words") followed by an
     option, a verdict after one ("magenta fits better"), a sentence holding only an option, and for yes/no a
     sentence "No." / "So no." / "probably not" / "I think so"; questions are not statements. The LAST
     statement wins, unless it is hedged ("K or R", "B, E or R") or it is a tentative alternative ("could also
     be Q") to a different statement in the same sentence;
  3. (not in strict mode) options of more than one character mentioned in the text (negated mentions "not a square" skipped): the
     answer when exactly one distinct option is mentioned and none is hedged;
  4. (not in strict mode) presence questions (field `present`): "there is no ..." / "I don't see any ..." -> no; "there is a ..." -> yes.
Articles and pronouns are not letters: "a"/"I" followed by a word are skipped. Returns AMBIGUOUS when an
answer is offered with alternatives: the caller scores it unparseable (never a guess).
"""

from __future__ import annotations

import re
from functools import lru_cache

from snellen.schema import AnswerField
from snellen.scoring.normalize import canon, mask_markup
from snellen.scoring.vocab import DIGIT_WORDS, Vocab, option_pattern, vocab

AMBIGUOUS = object()

_NOUNS = r"letter|digit|number|numeral|character|word|text|shape|colou?r|animal|quadrant|object|symbol|glyph"
# what introduces a stated answer; hedged commitments ("probably", "most likely", "go with") and restatements
# ("i.e.", "in other words") included: the last statement wins
_CUE = (r"(?:\b(?:is|are|was|be|like|resembles?|reads?|says?|see|shows?|displays?|contains|represents|answer|"
        r"identified\s+as|guess|choose|pick|likely|probably|go(?:ing)?\s+with|stick(?:ing)?\s+with|settle\s+on|"
        r"opt\s+for|in\s+other\s+words|namely|aka|meaning|makes\s+it|call\s+it)\b|\bi\.\s?e\.,?|(?:'s|’s)\b|[:=]|"
        r"\b(?:" + _NOUNS + r")\b)")
_OPEN = r"[\"'“‘`*(\[]*"
_GRAMMAR = (r"(?:(?:capital|uppercase|upper-case|lowercase|lower-case|single|the|letter|digit|number|numeral|character|"
            r"word|an?|most|likely|probably|definitely|clearly|actually|really|just|still|indeed|certainly|simply)\s+)*")
_FILLER = r"(?:(?:(?!(?:not|no|never|either|neither|nor|or)\b)[a-z]+|an?|the)[\s-]+){0,3}?"
_AFTER_WORD = re.compile(r"\s+[A-Za-z]")
_HEDGE_AFTER = re.compile(r"^[*\"'”’`)\]_]*\s*(?:,\s*)?(?:\bor\b|/)", re.I)
_COMMA_NEXT = re.compile(r"^[*\"'”’`)\]_]*\s*,\s*(?:(?:an?|the)\s+)?[\"'“‘`*]*", re.I)
_HEDGE_BEFORE = re.compile(r"(?:\bor|/|\beither)\s*(?:(?:an?|the|possibly|maybe|perhaps)\s+)*[\"'“‘`*(]*$", re.I)
_MODAL_BEFORE = re.compile(r"\b(?:could|might|may|possibly|perhaps|maybe|also)\b", re.I)
_NEGATED_BEFORE = re.compile(r"\b(?:not|no|isn't|isn’t|never|rather\s+than|instead\s+of|nor)\s+(?:(?:an?|the)\s+)?(?:[a-z]+\s+)?[\"'`*]*$", re.I)
_SENTENCE_END = re.compile(r"[.!?\n]")
# yes/no stated as a sentence ("No.", "So no.", "Yes, the star ...") and hedged ("probably not", "I think so")
_YN_SENTENCE = re.compile(
    r"(?:^|(?<=[.!?\n:;—–])|\b(?:so|thus|hence|therefore|then)\b,?)[\s\"'>(-]*(yes|no)\b(?![ \t]+(?!or\b)[A-Za-z])", re.I | re.M)
_YN_HEDGE = re.compile(
    r"\b(?:probably|likely|most\s+likely|i\s+think|i\s+believe|i'd\s+say|i\s+would\s+say|i\s+guess|i\s+suspect)"
    r"[\s,]+(not|so|yes|no)\b|\bi\s+(?:don't|do\s+not|don’t)\s+(think|believe)\s+so\b", re.I)
_QUESTION_END = "?"
_SHORT_SENTENCE = re.compile(r"(?<![^.!?\n])[^.!?\n]+(?=[.!?\n]|$)")
_ABSENT = re.compile(
    r"\b(?:there\s+(?:is|are)\s+no|no\s+(?:\w+\s+){0,3}(?:is|are)\s+(?:visible|present|shown)|"
    r"(?:don't|do\s+not|don’t|cannot|can't|can’t)\s+see\s+(?:any|a|an)\b)", re.I)
_PRESENT = re.compile(r"\b(?:there\s+(?:is|are)\s+(?:a|an|one|some)|i\s+(?:can\s+)?see\s+(?:a|an|one|some))\b", re.I)


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    m = _SENTENCE_END.search(text, pos)
    return start, (m.start() if m else len(text))


class LabelReader:
    """Compiled prose reader for one label field."""

    def __init__(self, field: AnswerField):
        self.v: Vocab = vocab(field)
        self.presence = self.v.yes_no and field.name.lower() == "present"
        v = self.v
        if v.single_alpha:
            token = r"([A-Za-z])"
        elif v.digits:
            token = r"(\d|" + "|".join(DIGIT_WORDS) + r")"
        elif v.yes_no:
            token = r"(yes|no)"
        else:
            token = "(" + option_pattern(v.options) + ")"
        if v.single_alpha or v.digits:
            self.cue = re.compile(_CUE + r"\s*" + _GRAMMAR + _OPEN + token + r"(?![A-Za-z0-9])", re.I)
            self.quoted = re.compile(r"(?:\*\*|__|[\"“'‘`])\s*" + token + r"\s*(?:\*\*|__|[\"”'’`])", re.I)
        elif v.yes_no:
            self.cue = re.compile(_CUE + r"\s*" + _OPEN + token + r"(?![A-Za-z0-9])", re.I)
            self.quoted = re.compile(r"(?:\*\*|__|[\"“`])\s*" + token + r"\s*(?:\*\*|__|[\"”`])", re.I)
        else:
            self.cue = re.compile(_CUE + r"\s*" + _FILLER + _OPEN + token + r"(?![A-Za-z0-9])", re.I)
            self.quoted = re.compile(r"(?:\*\*|__|[\"“`])\s*" + token + r"\s*(?:\*\*|__|[\"”`])", re.I)
        self.short = v.single_alpha or v.digits or v.yes_no
        # "<option> fits better", "<option> is the better match": a verdict stated after the option
        self.verdict = re.compile(r"(?<![A-Za-z0-9])" + token + r"[\s\"'”’`]+(?:fits|matches|is\s+(?:a\s+|the\s+)?"
                                  r"(?:better|closer|best|right|correct|more\s+likely))\b", re.I)

    # a token is an answer unless it is an article/pronoun/number word used as a word ("a bit", "I think", "one of")
    def _valid(self, text: str, m: re.Match) -> str | None:
        tok = m.group(1)
        opt = self.v.lookup(tok)
        if opt is None:
            return None
        as_word = (self.v.single_alpha and tok in "aAiI") or (self.v.digits and tok.isalpha()) or self.v.yes_no
        if as_word and _AFTER_WORD.match(text, m.end(1)):
            return None
        return opt

    def _hedged(self, text: str, start: int, end: int) -> bool:
        if _HEDGE_AFTER.match(text[end:end + 12]) or _HEDGE_BEFORE.search(text[max(0, start - 20):start]):
            return True
        m = _COMMA_NEXT.match(text[end:end + 12])
        if m:
            nxt = text[end + m.end():end + m.end() + 40]
            cand = self.quoted_or_token(nxt)
            if cand is not None:
                return True
        return False

    def quoted_or_token(self, s: str) -> str | None:
        """Whether `s` starts with an option (for 'B, E or R' lists)."""
        if self.v.mention is not None:
            m = self.v.mention.match(s)
            return self.v.lookup(m.group()) if m else None
        m = re.match(r"([A-Za-z0-9]+)", s)
        if not m:
            return None
        tok = m.group(1)
        opt = self.v.lookup(tok)
        if opt is None or (tok in "aAiI" and _AFTER_WORD.match(s, m.end())):
            return None
        if self.v.single_alpha and len(tok) > 1:
            return None
        return opt

    def _yes_no_hits(self, text: str) -> list:
        hits = []
        for m in _YN_SENTENCE.finditer(text):
            hits.append((m.start(1), m.end(1), m.start(), self.v.lookup(m.group(1))))
        for m in _YN_HEDGE.finditer(text):
            word = (m.group(1) or "").lower()
            opt = "no" if word in ("not", "no") or m.group(2) else "yes"
            g = 1 if m.group(1) else 2
            hits.append((m.start(g), m.end(g), m.start(), self.v.lookup(opt)))
        return hits

    def read(self, text: str, strict: bool = False):
        """The stated option, AMBIGUOUS, or None. `strict`: statements only (no mention or description fallback)."""
        v = self.v
        raw, text = text, mask_markup(text)
        for line in reversed(text.strip().splitlines()):
            if line.strip():
                hit = v.lookup(line) if len(line) < 60 else None
                if hit is not None:
                    return hit
                break
        hits = []  # (token start, token end, cue start, option)
        for rx, src in ((self.cue, text), (self.quoted, raw), (self.verdict, text)):
            for m in rx.finditer(src):
                opt = self._valid(src, m)
                if opt is not None:
                    hits.append((m.start(1), m.end(1), m.start(), opt))
        for m in _SHORT_SENTENCE.finditer(text):  # a sentence holding only an option ("Top-left. Wait, ... Top-right.")
            opt = v.lookup(m.group()) if len(m.group()) < 40 else None
            if opt is not None:
                hits.append((m.start(), m.end(), m.start(), opt))
        if v.yes_no:
            hits += [h for h in self._yes_no_hits(text) if h[3] is not None]
        hits = [h for h in hits if not self._in_question(text, h[0])]
        if hits:
            hits.sort()
            s, e, cs, opt = hits[-1]
            if self._hedged(text, s, e):
                return AMBIGUOUS
            a, b = _sentence_bounds(text, s)
            others = {h[3] for h in hits if a <= h[0] < b and h[3] != opt}
            if others and _MODAL_BEFORE.search(text[max(a, cs - 30):s]):
                return AMBIGUOUS
            return opt
        if strict:
            return None
        if v.mention is not None and not v.yes_no:
            found, hedged = set(), False
            for m in v.mention.finditer(text):
                if _NEGATED_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
                    continue
                if self._hedged(text, m.start(), m.end()):
                    hedged = True
                found.add(v.lookup(m.group()))
            if hedged:
                return AMBIGUOUS
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                return AMBIGUOUS
        if self.presence:
            if _ABSENT.search(text):
                return v.lookup("no")
            if _PRESENT.search(text):
                return v.lookup("yes")
        return None

    @staticmethod
    def _in_question(text: str, pos: int) -> bool:
        """A hit inside a question ("could it be a K?") is not a statement."""
        _, b = _sentence_bounds(text, pos)
        return b < len(text) and text[b] == _QUESTION_END


_WORD_TOKEN = r"([A-Za-z]+(?:['’-][A-Za-z]+)*)"
_TEXT_CUE = re.compile(
    r"(?:\b(?:word|text|answer)\b(?:\s*(?:is|was|reads?|says?|spells?)\b)?|"
    r"\b(?:is|are|was|be|reads?|says?|spells?|shows?|displays?|probably|likely|go(?:ing)?\s+with|"
    r"stick(?:ing)?\s+with|settle\s+on)\b|(?:'s|’s)\b|[:=])\s*"
    r"(?:(?:the\s+)?(?:word|text)\s+)?([\"'“‘`*]*)" + _WORD_TOKEN + r"(?![A-Za-z0-9])", re.I)
_CAPS = re.compile(r"(?<![A-Za-z])([A-Z]{2,})(?![A-Za-z])")


class TextReader:
    """Open-vocabulary word reading (`text` fields); the word bank, when given, only helps spot mentions."""

    def __init__(self, field: AnswerField):
        self.v = vocab(field)

    def read(self, text: str, strict: bool = False):
        v = self.v
        text = mask_markup(text)
        for line in reversed(text.strip().splitlines()):
            if line.strip():
                c = canon(line)
                if c and re.fullmatch(r"[a-z]+(?:['’-][a-z]+)*", c):
                    return v.lookup(c) or line.strip(" \t*_`\"'“”‘’.,!?;:()[]")
                break
        hits = []
        for m in _TEXT_CUE.finditer(text):
            opener, tok = m.group(1), m.group(2)
            if LabelReader._in_question(text, m.start(2)):
                continue
            if opener or (tok.isupper() and len(tok) >= 2) or v.lookup(tok):
                hits.append((m.start(2), m.end(2), m.start(), v.lookup(tok) or tok))
        if hits:
            s, e, cs, word = max(hits)
            if _HEDGE_AFTER.match(text[e:e + 12]) or _HEDGE_BEFORE.search(text[max(0, s - 20):s]):
                return AMBIGUOUS
            return word
        if strict:
            return None
        found, hedged = set(), False
        cands = [(m.start(), m.end(), m.group()) for m in _CAPS.finditer(text)]
        if v.mention is not None:
            cands += [(m.start(), m.end(), m.group()) for m in v.mention.finditer(text)]
        for s, e, w in cands:
            if _HEDGE_AFTER.match(text[e:e + 12]) or _HEDGE_BEFORE.search(text[max(0, s - 20):s]):
                hedged = True
            found.add(v.lookup(w) or w)
        if hedged or len(found) > 1:
            return AMBIGUOUS
        if found:
            return found.pop()
        return None


@lru_cache(maxsize=4096)
def label_reader(field: AnswerField) -> LabelReader:
    return LabelReader(field)


@lru_cache(maxsize=4096)
def text_reader(field: AnswerField) -> TextReader:
    return TextReader(field)
