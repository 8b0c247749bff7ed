"""Fine-grained classification protocols: their prompts and how an answer is matched (one code path with
the probe checkers: score_response dispatches here for samples that carry `extra["finegrained"]`).

Protocols (`Protocol.parse`):
  open             no labels given; right when the answer names the class: its label or a synonym, compared
                   after normalisation (case, separators, punctuation, plural s), as whole words, a negated
                   mention ("not a sandal") not counting (the studies' rule: naming other classes too is
                   not penalised);
  closed           every label listed (shuffled per sample); the answer must be one of them (label reader);
  mc<k>[-random|-hard][-circular]
                   k options lettered A.., one right; distractors random or the k-1 nearest classes
                   (data/finegrained/neighbours.py); `-circular`: the k rotations of the option order are
                   asked, and an image counts right only when every rotation is (analysis/finegrained.py).
A multiple-choice answer may give the letter or the option's name; when it gives both and they disagree
it is unparseable, never a guess. A name is read by the shared label reader and then checked against whole
names and synonyms (`mentioned`): a name inside a longer one ("shirt" in "t-shirt") or only negated ("not a
T-shirt/top") is not an answer; a single option named by a synonym ("tee", "t-shirt") is.
"""

from __future__ import annotations

import json
import re
import string
from functools import lru_cache
from dataclasses import dataclass
from typing import Any

from snellen.schema import AnswerField, SnellenError

LETTERS = string.ascii_uppercase
FIELD = "answer"
_SPEC = re.compile(r"^(?:(?P<mode>open|closed)|mc(?P<k>\d+)(?:-(?P<dist>random|hard))?(?P<circ>-circular)?)$")


@dataclass(frozen=True)
class Protocol:
    mode: str  # open | closed | mc
    k: int | None = None  # options of a multiple-choice question
    distractors: str = "random"  # random | hard
    circular: bool = False

    @classmethod
    def parse(cls, text: str) -> Protocol:
        m = _SPEC.match(text.strip().lower())
        if not m:
            raise SnellenError(f"unknown protocol {text!r}: use open, closed or mc<k>[-random|-hard][-circular] (e.g. mc5-hard)")
        if m.group("mode"):
            return cls(m.group("mode"))
        k = int(m.group("k"))
        if not 2 <= k <= len(LETTERS):
            raise SnellenError(f"protocol {text!r}: k must be 2..{len(LETTERS)}")
        return cls("mc", k, m.group("dist") or "random", bool(m.group("circ")))

    @property
    def name(self) -> str:
        if self.mode != "mc":
            return self.mode
        return f"mc{self.k}-{self.distractors}" + ("-circular" if self.circular else "")


def answer_field(protocol: Protocol, option_names: list[str] | None) -> AnswerField:
    if protocol.mode == "mc":
        return AnswerField(FIELD, "label", options=tuple(LETTERS[: protocol.k]))
    if protocol.mode == "closed":
        return AnswerField(FIELD, "label", options=tuple(option_names))
    return AnswerField(FIELD, "text")


def prompts(protocol: Protocol, domain: str, option_names: list[str] | None) -> dict[str, str]:
    """The JSON and free-text prompts of one question."""
    if protocol.mode == "open":
        q = f"What is the specific {domain} shown in this image? Name it as precisely as you can."
        return {"json": f'{q}\nReply with JSON only: {{"{FIELD}": "<name>"}}', "free": q}
    if protocol.mode == "closed":
        listed = "; ".join(option_names)
        q = f"Which {domain} is shown in this image? It is one of: {listed}."
        return {"json": f'{q}\nReply with JSON only: {{"{FIELD}": "<one of the names above>"}}',
                "free": f"{q}\nAnswer with the name."}
    lines = "\n".join(f"{LETTERS[i]}. {n}" for i, n in enumerate(option_names))
    q = f"Which {domain} is shown in this image?\n{lines}"
    return {"json": f'{q}\nReply with JSON only: {{"{FIELD}": "<letter>"}}',
            "free": f"{q}\nAnswer with the letter of the right option."}


# -- matching ---------------------------------------------------------------------------------------------

_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Lower-case words separated by single spaces (slashes, hyphens, underscores, punctuation are separators);
    accents kept as letters are dropped to ASCII where they decompose."""
    import unicodedata

    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower().replace("'", "")
    return " ".join(_NON_WORD.sub(" ", t).split())


@lru_cache(maxsize=1 << 14)
def _plural_re(words: str) -> re.Pattern:
    parts = [re.escape(w) for w in words.split()]
    if parts:
        parts[-1] += r"(?:e?s)?"
    return re.compile(r"(?<![a-z0-9])" + " ".join(parts) + r"(?![a-z0-9])")


_NEGATED = re.compile(r"(?:\b(?:not|no|never|isnt|arent|wasnt|nor|neither|rather than|instead of|unlike)\s+(?:(?:a|an|the|quite|really|exactly)\s+)?)$")


def names_in(text: str, names: tuple[str, ...]) -> bool:
    """The text names one of `names` (whole words, plural s tolerated), not only in a negation ("not a boot")."""
    t = norm(text)
    for n in (norm(x) for x in names):
        if not n:
            continue
        for m in _plural_re(n).finditer(t):
            if not _NEGATED.search(t[: m.start()]):
                return True
    return False


@lru_cache(maxsize=1 << 15)
def _group(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({norm(x) for x in names} - {""}))


@lru_cache(maxsize=64)
def _scanner(groups: frozenset[tuple[str, ...]]) -> tuple[re.Pattern, dict[str, tuple[tuple[str, ...], ...]]]:
    """One regex finding any of the names (normalised; longest first, plural s tolerated) and which option
    groups own each name. Compiled once per option set (closed-world: once per dataset)."""
    owner: dict[str, list[tuple[str, ...]]] = {}
    for g in groups:
        for n in g:
            owner.setdefault(n, []).append(g)
    alts = sorted(owner, key=len, reverse=True)
    pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(n) + r"(?:e?s)?" for n in alts) + r")(?![a-z0-9])")
    return pattern, {n: tuple(v) for n, v in owner.items()}


def mentioned(text: str, accepted: list[list[str]], negated: set[int] | None = None) -> set[int]:
    """Indices of the options whose name or synonym the text names, as whole words, not negated; a mention
    inside a longer mention does not count ("t-shirt" names T-shirt/top, not Shirt). Options only mentioned in
    a negation ("not a T-shirt/top") are added to `negated` when given."""
    t = norm(re.sub(r"(?s)^.*</think\s*>", "", text))
    index_of: dict[tuple[str, ...], list[int]] = {}
    for i, names in enumerate(accepted):
        index_of.setdefault(_group(tuple(names)), []).append(i)
    pattern, owner = _scanner(frozenset(index_of))
    spans = []  # every position's longest name, overlaps kept (the containment rule decides)
    pos = 0
    while (m := pattern.search(t, pos)) is not None:
        word = m.group(0)
        groups_hit = owner.get(word) or owner.get(word[:-1]) or owner.get(word[:-2]) or ()
        spans.extend((m.start(), m.end(), i) for g in groups_hit for i in index_of[g])
        pos = m.start() + 1
    out = set()
    for a0, a1, i in spans:
        if any(b0 <= a0 and a1 <= b1 and b1 - b0 > a1 - a0 for b0, b1, _ in spans):  # part of a longer name
            continue
        if not _NEGATED.search(t[:a0]):
            out.add(i)
        elif negated is not None:
            negated.add(i)
    if negated is not None:
        negated -= out
    return out


def _checked_name(pick: int | None, status: str, reason: str, text: str, accepted: list[list[str]]) -> tuple[int | None, str]:
    """The option a name-reading settles on, checked against whole-name mentions: the label reader's pick must
    be named in its own right (not only inside a longer option's name); where it read nothing, a single option
    named by a synonym is the answer. Returns (option index or None, reason)."""
    if text is None or status == "refusal" or "alternatives" in reason:
        return None, reason
    negated: set[int] = set()
    named = mentioned(text, accepted, negated)
    if pick is not None and (pick in named or not (named or pick in negated)):
        return pick, reason
    if len(named) == 1:
        return next(iter(named)), "names one option (name or synonym)"
    return None, "names several options" if named else reason


def _json_answer(text: str) -> str | None:
    for m in re.finditer(r"\{[^{}]*\}", text):
        try:
            obj = json.loads(m.group(0))
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and isinstance(obj.get(FIELD), str):
            return obj[FIELD]
    return None


def score_finegrained(sample, text: str | None):
    """Score one output of a fine-grained question (see the module docstring)."""
    from snellen.scoring.extract import extract
    from snellen.scoring.outcome import Score
    from snellen.scoring.refusal import is_refusal

    meta: dict[str, Any] = sample.extra["finegrained"]
    protocol = Protocol.parse(meta["protocol"])
    truth = sample.answer[FIELD]

    def result(outcome: str, value=None, reason: str = "", source: str | None = None, chosen: str | None = None) -> Score:
        ok = outcome == "correct"
        extracted = None if value is None else {FIELD: value, **({"class": chosen} if chosen else {})}
        return Score(outcome, ok, 1.0 if ok else 0.0, {FIELD: 1.0 if ok else 0.0}, extracted,
                     {"source": source, "reason": reason})

    if protocol.mode == "open":
        if text is None or not text.strip():
            return result("unparseable", reason="empty output")
        said = _json_answer(text)
        body = said if said is not None else re.sub(r"(?s)^.*</think\s*>", "", text)
        if not body.strip():
            return result("unparseable", reason="empty answer")
        if names_in(body, tuple(meta["accepted"])):
            return result("correct", body.strip(), "names the class", "json" if said is not None else "text", meta["class_id"])
        if is_refusal(body):
            return result("refusal", reason="declines to answer", source="text")
        return result("wrong", body.strip()[:200], "does not name the class", "json" if said is not None else "text")

    fields = sample.fields
    ex = extract(fields, text)
    names = list(meta["option_names"])
    synonyms = meta.get("option_synonyms") or {}
    accepted = [[n, *synonyms.get(str(j), ())] for j, n in enumerate(names)]
    if protocol.mode == "closed":
        got = ex.values.get(FIELD) if ex.status == "answer" else None
        idx, reason = _checked_name(names.index(got) if got in names else None, ex.status, ex.reason, text, accepted)
        if idx is None:
            if ex.status == "answer" and got not in names and not mentioned(text or "", accepted):
                return result("wrong", got, "names no listed class", ex.source)  # a class outside the list
            status = ex.status if ex.status != "answer" else "unparseable"
            return result(status, reason=reason, source=ex.source)
        return result("correct" if names[idx] == truth else "wrong", names[idx], reason, ex.source, meta["option_ids"][idx])

    letters = list(fields[0].options)
    letter = ex.values.get(FIELD) if ex.status == "answer" else None
    letter = letter if letter in letters else None
    by_name = extract((AnswerField(FIELD, "label", options=tuple(names)),), text)
    named = by_name.values.get(FIELD) if by_name.status == "answer" else None
    idx, _ = _checked_name(names.index(named) if named in names else None, by_name.status, by_name.reason, text, accepted)
    named = names[idx] if idx is not None else None
    name_letter = letters[idx] if idx is not None else None
    if letter and name_letter and letter != name_letter:
        return result("unparseable", reason=f"letter {letter} and option name {named!r} disagree", source=ex.source)
    pick = letter or name_letter
    if pick is None:
        status = ex.status if ex.status != "answer" else "unparseable"
        if by_name.status == "refusal" or ex.status == "refusal":
            status = "refusal"
        return result(status, reason=ex.reason if ex.status != "answer" else "no option named", source=ex.source)
    chosen = meta["option_ids"][letters.index(pick)]
    return result("correct" if pick == truth else "wrong", pick, "letter" if letter else "option name",
                  ex.source if letter else by_name.source, chosen)


def reply(sample, scores, names=None) -> str:
    """What a classifier (an image-only baseline) answers to a fine-grained question, as the JSON the prompt
    asks for: its best-scoring class among the candidates offered (every class for open-ended; `names` maps
    class id -> name there, as the sample only names its own options). `scores`: class id -> score (higher is
    more likely; ids missing from it score -inf). Ties go to the first candidate in option order."""
    meta = sample.extra["finegrained"]
    protocol = Protocol.parse(meta["protocol"])
    if protocol.mode == "open":
        if names is None:
            raise SnellenError("an open-ended reply needs the class names (names=dataset.classes)")
        candidates = list(names)
    else:
        candidates = list(meta["option_ids"])
    best = max(range(len(candidates)), key=lambda i: (scores.get(candidates[i], float("-inf")), -i))
    cid = candidates[best]
    if protocol.mode == "mc":
        value = LETTERS[best]
    elif protocol.mode == "closed":
        value = meta["option_names"][best]
    else:
        value = names[cid]
    return json.dumps({FIELD: value}, ensure_ascii=False)
