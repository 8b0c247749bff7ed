"""Compare the extractor with the hand labels of tests/scoring/corpus/outputs.jsonl (used by the tests)."""

from __future__ import annotations

import json
from pathlib import Path

from snellen.schema import AnswerField

CORPUS = Path(__file__).parent / "corpus" / "outputs.jsonl"


def load(split: str | None = None) -> list[dict]:
    lines = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [e for e in lines if split is None or e["split"] == split]


def _norm(v):
    if isinstance(v, str):
        return v.strip().lower()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list):
        return [_norm(x) for x in v]
    if isinstance(v, dict):
        return {_norm(k): _norm(x) for k, x in v.items()}
    return v


class _S:  # the minimal sample score_response needs
    def __init__(self, e):
        self.fields = [AnswerField.from_dict(f) for f in e["fields"]]
        self.answer = e["answer"]


def disagreements(entries: list[dict]) -> list[str]:
    from snellen.scoring.outcome import score_response

    out = []
    for e in entries:
        s = score_response(_S(e), e["text"])
        got_ext = _norm(s.extracted) if s.extracted is not None else None
        want_ext = _norm(e["extracted"]) if e["extracted"] is not None else None
        if s.outcome != e["outcome"] or got_ext != want_ext:
            out.append(f"{e['id']}: text={e['text']!r}\n    label {e['outcome']} {want_ext}\n    got   {s.outcome} {got_ext} "
                       f"({s.detail.get('reason')})")
    return out


def agreement_table(entries: list[dict]) -> list[tuple[str, str, int, int]]:
    """(split, style, agreeing, lines) for every split x style present."""
    rows = []
    for split in ("heldout", "tune"):
        for style in ("clean", "reasoning"):
            sub = [e for e in entries if e["split"] == split and e.get("style", "clean") == style]
            if sub:
                rows.append((split, style, len(sub) - len(disagreements(sub)), len(sub)))
    return rows


if __name__ == "__main__":
    # python tests/scoring/corpus_check.py table          -> agreement per split and style (no texts shown)
    # python tests/scoring/corpus_check.py tune [STYLE]   -> the disagreements of one split (and style)
    import sys

    split = sys.argv[1] if len(sys.argv) > 1 else "tune"
    if split == "table":
        for sp, st, ok, n in agreement_table(load()):
            print(f"{sp:8s} {st:10s} {ok:4d}/{n:<4d} = {ok / n:.1%}")
        raise SystemExit(0)
    ents = load(split)
    if len(sys.argv) > 2:
        ents = [e for e in ents if e.get("style", "clean") == sys.argv[2]]
    bad = disagreements(ents)
    print("\n".join(bad))
    print(f"{split}: {len(ents) - len(bad)}/{len(ents)} agree")
