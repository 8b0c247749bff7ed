"""Scoring throughput: responses/s of score_response over 100k realistic outputs, and of score_records.

The outputs are the hand-labelled corpus (tests/scoring/corpus/outputs.jsonl: every family; JSON, prose,
markdown, refusals, truncations) cycled to N responses, so the mix is the one the extractor is checked on.
Run: .venv/bin/python benchmarks/bench_scoring.py [N]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from snellen.schema import AnswerField, Sample, chance_of
from snellen.scoring import score_records, score_response

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "scoring" / "corpus" / "outputs.jsonl"


class _Resp:
    __slots__ = ("sample_id", "repeat", "status", "text", "error_kind", "sent_size", "encoder_size")

    def __init__(self, sid, repeat, text):
        self.sample_id, self.repeat, self.status, self.text = sid, repeat, "ok", text
        self.error_kind, self.sent_size, self.encoder_size = None, (448, 448), (448, 448)


def main(n: int = 100_000) -> None:
    entries = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    samples = []
    for i, e in enumerate(entries):
        fields = [AnswerField.from_dict(f) for f in e["fields"]]
        samples.append(Sample(
            id=f"b{i}", suite="bench", suite_version="1", suite_hash="h", task=e["family"], family=e["family"],
            kind="perception", split="exam", seed=0, index=i, cell={}, prompts={}, answer=e["answer"], fields=fields,
            chance=chance_of(fields), scale=12, measured_scale=12.0, ink_h=12, ink_w=12, count=1, targets=[],
            canvas=(448, 448),
        ))
    pairs = [(samples[i % len(samples)], entries[i % len(entries)]["text"]) for i in range(n)]
    mean_chars = sum(len(t) for _, t in pairs) / n

    score_response(*pairs[0])  # compile the per-field readers once, as a long run would
    t0 = time.perf_counter()
    outcomes: dict[str, int] = {}
    for smp, text in pairs:
        o = score_response(smp, text).outcome
        outcomes[o] = outcomes.get(o, 0) + 1
    dt = time.perf_counter() - t0

    records = [(smp, _Resp(smp.id, i, text)) for i, (smp, text) in enumerate(pairs)]
    t1 = time.perf_counter()
    df = score_records("bench", records)
    dt_frame = time.perf_counter() - t1

    print(f"{n:,} responses over {len(entries)} distinct outputs (15 families), mean {mean_chars:.0f} chars")
    print(f"score_response: {dt:.2f} s = {n / dt:,.0f} responses/s  outcomes {outcomes}")
    print(f"score_records (table of {len(df):,} rows): {dt_frame:.2f} s = {n / dt_frame:,.0f} responses/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
