"""Agreement of snellen's two scoring modes with FineSightBench's own scores, over a peer-scored set.

Input: a FineSightBench release folder (read by snellen's loader, images included) and a JSONL of model
outputs over its samples, each scored by the published code: `image_id`, `task_type`, `prediction`,
`peer_json_metrics` ({fields: {name: {score, matched}}, overall, strict, hallucination, parse_ok}, or null
for the text tasks, which have no schema) and `peer_framework_correct`.

For each mode it prints how many lines agree with the published scores: strict (all fields matched),
per field (score and matched), overall, hallucination, parse_ok, and the text-task predicate; then, for
the lines where snellen's default scoring and the finesight mode differ, the categorised reasons.

    .venv/bin/python benchmarks/finesight_agreement.py \\
        [--release ../shared/finesightbench-sample/release] \\
        [--predictions ../shared/finesightbench-sample/predictions-scored-by-peer.jsonl]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from snellen.data import open_dataset
from snellen.scoring import score_response
from snellen.scoring.mode_diff import REASONS, reason

# the shared test data sits beside the checkout (../shared); look up the parents for it
SHARED = next((p / "shared" / "finesightbench-sample" for p in Path(__file__).resolve().parents
               if (p / "shared" / "finesightbench-sample").is_dir()), Path("shared/finesightbench-sample"))


def agreement(samples: dict, lines: list[dict], scoring: str) -> Counter:
    c: Counter = Counter()
    for r in lines:
        s = score_response(samples[r["image_id"]], r["prediction"], scoring=scoring)
        peer = r["peer_json_metrics"]
        c["lines"] += 1
        if peer is None:  # a text task: the published number is the framework predicate
            c["predicate"] += 1
            c["predicate_agree"] += s.strict == r["peer_framework_correct"]
            continue
        c["json"] += 1
        c["strict_agree"] += s.strict == peer["strict"]
        c["overall_agree"] += s.partial == peer["overall"]
        if scoring == "finesight":
            c["parse_ok_agree"] += s.detail["parse_ok"] == peer["parse_ok"]
            c["hallucination_agree"] += s.detail["hallucination"] == peer["hallucination"]
        else:  # snellen has no hallucination flag: nothing read (unparseable or refusal) is its analogue
            c["hallucination_agree"] += (s.outcome in ("unparseable", "refusal")) == peer["hallucination"]
        for name, f in peer["fields"].items():
            c["fields"] += 1
            c["field_score_agree"] += s.field_scores.get(name) == f["score"]
            if scoring == "finesight":
                c["field_matched_agree"] += s.detail["matched"][name] == f["matched"]
    return c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--release", type=Path, default=SHARED / "release")
    ap.add_argument("--predictions", type=Path, default=SHARED / "predictions-scored-by-peer.jsonl")
    args = ap.parse_args()
    t0 = time.perf_counter()
    samples = {s.extra["image_id"]: s for s in open_dataset(args.release)}
    lines = [json.loads(x) for x in args.predictions.read_text(encoding="utf-8").splitlines() if x.strip()]
    print(f"{len(samples)} samples, {len(lines):,} outputs (loaded in {time.perf_counter() - t0:.1f} s)")
    for scoring in ("snellen", "finesight"):
        t0 = time.perf_counter()
        c = agreement(samples, lines, scoring)
        secs = time.perf_counter() - t0
        print(f"\nscoring={scoring}  ({secs:.2f} s, {secs / len(lines) * 1e6:.0f} us per output)")
        print(f"  strict agreed        {c['strict_agree']:>6,} of {c['json']:,}")
        print(f"  per-field score      {c['field_score_agree']:>6,} of {c['fields']:,}")
        if scoring == "finesight":
            print(f"  per-field matched    {c['field_matched_agree']:>6,} of {c['fields']:,}")
            print(f"  parse_ok             {c['parse_ok_agree']:>6,} of {c['json']:,}")
        print(f"  overall (= partial)  {c['overall_agree']:>6,} of {c['json']:,}")
        print(f"  hallucination        {c['hallucination_agree']:>6,} of {c['json']:,}")
        print(f"  text-task predicate  {c['predicate_agree']:>6,} of {c['predicate']:,}")

    reasons: Counter = Counter()
    by_task: Counter = Counter()
    for r in lines:
        smp = samples[r["image_id"]]
        a = score_response(smp, r["prediction"])
        b = score_response(smp, r["prediction"], scoring="finesight")
        why = reason(smp, r["prediction"], a, b)
        if why:
            reasons[why] += 1
            by_task[smp.task] += 1
    n = sum(reasons.values())
    print(f"\nsnellen vs finesight scoring differ on {n:,} of {len(lines):,} outputs ({n / len(lines):.1%}):")
    for why, k in reasons.most_common():
        print(f"  {k:>6,}  {REASONS[why]}")
    print("by task: " + ", ".join(f"{t} {k}" for t, k in by_task.most_common()))


if __name__ == "__main__":
    main()
