"""Differential check of scoring/finesight_metric.py against a local checkout of the published code.

Mutates the fixture's outputs at random (inserted quotes, brackets, fences, bullets, tags, newlines,
deletions, truncation) and compares, output by output: every field's score, matched and positional
counts, overall, strict, hallucination and parse_ok (json_metrics), and the framework predicate on the
answer's JSON text and on plain-text labels. The published code is loaded from the checkout at run time,
never copied into this repository (its framework module imports torch, PIL and matplotlib).

    git clone https://github.com/DobricLilujun/FineSightBench /tmp/FineSightBench
    .venv/bin/python benchmarks/finesight_differential.py --published /tmp/FineSightBench [--n 20000] [--seed 0]

Exit status 1 when any output disagrees.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import random
import sys
from pathlib import Path

from snellen.scoring import finesight_metric as fm

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "scoring" / "fixtures" / "finesight"
PIECES = ('"', "'", "{", "}", "[", "]", ",", ";", "\n", "```", "```json\n", "- ", "1. ", "(", ")", "<c> ", "\\",
          " ", "null", "true", ":", "NaN", "<|x|>", "•", "2; 1st, 3rd")
PLAIN = ("2; 1st 3rd", "3", "-1", "yes", "no", "", "red circle", "a b, c")


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def mutate(text: str, rng: random.Random) -> str:
    t = list(text)
    for _ in range(rng.randint(1, 4)):
        op, i = rng.random(), rng.randint(0, len(t))
        if op < 0.5:
            t[i:i] = list(rng.choice(PIECES))
        elif op < 0.8:
            del t[i:i + rng.randint(1, 5)]
        else:
            t = t[:i]
    return "".join(t)


def published_view(res: dict) -> dict:
    fields = {k: (v["score"], v["matched"], v.get("positional_correct"), v.get("expected_len"), v.get("predicted_len"))
              for k, v in res["field_results"].items()}
    return {"fields": fields, "overall": res["overall_score"], "strict": res["all_fields_matched"],
            "hallucination": res["hallucination"], "parse_ok": res["parse_ok"]}


def our_view(ev: fm.JsonEval, schema) -> dict:
    kinds = {s.name: s.kind for s in schema}
    fields = {}
    for k, r in ev.fields.items():
        pos = r.positional if kinds[k] == "ordered_list" else (None, None, None)
        fields[k] = (r.score, r.matched, *pos)
    return {"fields": fields, "overall": ev.overall, "strict": ev.strict, "hallucination": ev.hallucination,
            "parse_ok": ev.parse_ok}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--published", type=Path, required=True, help="checkout of DobricLilujun/FineSightBench")
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    where = args.published / "finesightbench" / "evaluation"
    metrics, framework = load(where / "json_metrics.py", "published_json_metrics"), load(where / "framework.py", "published_framework")
    with gzip.open(FIXTURE / "records.jsonl.gz", "rt", encoding="utf-8") as fh:
        answers = {r["image_id"]: r["answer"] for r in map(json.loads, fh)}
    with gzip.open(FIXTURE / "peer-scored.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = [json.loads(x) for x in fh]
    rng = random.Random(args.seed)
    bad: list[str] = []
    counts = {"json_metrics": 0, "predicate_json": 0, "predicate_plain": 0}
    for _ in range(args.n):
        line = rng.choice(lines)
        truth, task = answers[line["image_id"]], line["task_type"]
        text = mutate(line["prediction"], rng) if rng.random() < 0.9 else rng.choice(lines)["prediction"]
        truth_json = json.dumps(truth)
        counts["predicate_json"] += 1
        if framework.is_correct_prediction(text, truth_json, task) != fm.is_correct_prediction(text, truth_json, task):
            bad.append(f"predicate on {truth_json}: {text!r}")
        plain = rng.choice(PLAIN) if rng.random() < 0.3 else ", ".join(map(str, truth.values()))
        plain_task = rng.choice(("comparison", task))
        counts["predicate_plain"] += 1
        if framework.is_correct_prediction(text, plain, plain_task) != fm.is_correct_prediction(text, plain, plain_task):
            bad.append(f"predicate on {plain!r} ({plain_task}): {text!r}")
        if task in fm.BUILTIN_SCHEMAS:
            counts["json_metrics"] += 1
            want = published_view(metrics.evaluate_json_prediction(text, truth, metrics.BUILTIN_SCHEMAS[task]).to_dict())
            got = our_view(fm.evaluate_json_prediction(text, truth, fm.BUILTIN_SCHEMAS[task]), fm.BUILTIN_SCHEMAS[task])
            if want != got:
                bad.append(f"json_metrics on {truth}: {text!r}: published {want}, ours {got}")
    print(", ".join(f"{k} {v:,}" for k, v in counts.items()) + f" compared; {len(bad)} disagree")
    for b in bad[:10]:
        print("  " + b[:300])
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
