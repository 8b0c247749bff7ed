"""Ordered lists in prose: numbered/bulleted markdown, comma-separated, "then", arrows.

The list read is the FINAL one: the text after the last list cue ("left to right:", "order is", "answer:"),
else the last markdown list block, else the last line that names an item. Items are read in order; a
segment naming no known item is kept as written when it is short (an item not in the vocabulary, e.g.
"purple heart"), so the taxonomy can count it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from snellen.schema import AnswerField
from snellen.scoring.normalize import canon, mask_markup, plain
from snellen.scoring.vocab import vocab

_CUE = re.compile(
    r"(?:left\s+to\s+right|right\s+to\s+left|top\s+to\s+bottom|bottom\s+to\s+top|(?:largest|biggest|smallest)\s+to\s+"
    r"(?:smallest|largest|biggest)|\border(?:ing)?\b|\bsequence\b|\banswer\b|\bobjects\b|\bwords\b|\bshapes\b|\bdots\b|\bitems\b)"
    r"[^:\n.]{0,30}?(?::|\b(?:is|are|would\s+be)\b)", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+", re.M)
_PAREN = re.compile(r"\([^()]*\)")
_SPLIT = re.compile(r"\n|,|;|->|→|=>|⟶|\bthen\b|\bfollowed\s+by\b|\band\b|\bfinally\b|\bnext\b|\blastly\b", re.I)
_FILLER_WORDS = frozenset({"the", "a", "an", "first", "second", "third", "last", "finally", "then", "next", "lastly",
                           "and", "comes", "is", "leftmost", "rightmost"})
_ITEM = re.compile(r"[a-z]+(?: [a-z]+)*")
# sentences of a list region: lines, sentence ends, colons ("So: magenta dot, cyan dot")
_SENTENCE = re.compile(r"(?<=[A-Za-z0-9)\]])[.!?](?=\s|$)|:(?=\s)")
_WORDY = re.compile(r"[A-Za-z]{2,}")


class ListReader:
    def __init__(self, field: AnswerField):
        self.v = vocab(field)
        self.max_words = self.v.max_words if self.v.options else 3
        self.min_words = min((len(canon(o).split()) for o in self.v.options), default=1)
        # unknown one-word items (a word-reading list) are only taken when written in capitals, as the words are
        self.caps_only = bool(self.v.options) and self.max_words == 1
        self.length = field.length

    def _item(self, s: str) -> str:
        """One list element as written (a JSON list item): the option it names, else its plain spelling."""
        hit = self.v.lookup(s)
        if hit is not None:
            return hit
        if self.v.mention is not None:
            found = [m.group() for m in self.v.mention.finditer(s)]
            if len(found) == 1:
                return self.v.lookup(found[0])
        return plain(s)

    def _segment_items(self, sentence: str) -> tuple[list[str], bool]:
        """Items named in one sentence, in order, and whether any was a known option."""
        out: list[str] = []
        matched = False
        for seg in _SPLIT.split(sentence):
            seg = _BULLET.sub("", seg)
            if self.v.mention is not None:
                found = [self.v.lookup(m.group()) for m in self.v.mention.finditer(seg)]
                if found:
                    out.extend(found)
                    matched = True
                    continue
            raw = seg.replace("*", " ").replace("`", " ").strip(" \t.:!?\"'")
            words = [w for w in plain(raw).split() if w not in _FILLER_WORDS]
            cleaned = " ".join(words)
            if not cleaned or not _ITEM.fullmatch(cleaned):
                continue
            if self.v.options and not (self.min_words <= len(words) <= self.max_words):
                continue
            if not self.v.options and len(words) > self.max_words:
                continue
            if self.caps_only and not raw.isupper():
                continue
            out.append(self.v.lookup(cleaned) or cleaned)
        return out, matched

    def items(self, region: str) -> list[str]:
        """The final list of a region: the last run of consecutive sentences that name items (a sentence with
        words but no item, such as "Wait" or "Corrected", ends a run), so a corrected list replaces a draft."""
        runs: list[list[str]] = []
        run: list[str] = []
        matched_run = False
        for line in _PAREN.sub(" ", mask_markup(region)).split("\n"):
            line = _BULLET.sub("", line)
            for sentence in _SENTENCE.split(line):
                got, matched = self._segment_items(sentence)
                if got:
                    run.extend(got)
                    matched_run |= matched
                elif _WORDY.search(_BULLET.sub("", sentence)) and run:
                    runs.append(run) if (matched_run or not self.v.options) else None
                    run, matched_run = [], False
        if run and (matched_run or not self.v.options):
            runs.append(run)
        return runs[-1] if runs else []

    def region(self, text: str) -> str:
        text = mask_markup(text)
        last = None
        for m in _CUE.finditer(text):
            last = m
        if last is not None and self.items(text[last.end():]):
            return text[last.end():]
        lines = text.splitlines()
        bullets = [i for i, line in enumerate(lines) if _BULLET.match(line)]
        if bullets:
            end = start = bullets[-1]
            j = len(bullets) - 2
            while j >= 0 and all(not lines[k].strip() for k in range(bullets[j] + 1, start)):
                start = bullets[j]
                j -= 1
            return "\n".join(lines[start:end + 1])
        for line in reversed(lines):
            if not line.strip():
                continue
            if self.v.mention is None or self.v.mention.search(line):
                return line
        return ""

    def read(self, text: str, strict: bool = False) -> list[str] | None:
        """`strict`: only a list of at least two items (or of the expected length) counts as a statement."""
        items = self.items(self.region(text))
        if strict and len(items) < min(2, self.length or 2):
            return None
        return items or None

    def from_value(self, value) -> list[str]:
        """A JSON value given for a sequence field -> list of items."""
        if isinstance(value, str):
            got = self.items(value)
            return got if got else [plain(p) for p in _SPLIT.split(value) if plain(p)]
        out = []
        for x in value:
            if isinstance(x, dict):
                x = " ".join(str(v) for v in x.values())
            out.append(self._item(str(x)))
        return out


@lru_cache(maxsize=4096)
def list_reader(field: AnswerField) -> ListReader:
    return ListReader(field)

