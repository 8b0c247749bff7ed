"""The ideal observer on a loaded FineSightBench release: what it answers, per task x size.

    .venv/bin/python benchmarks/ideal_finesight.py [/work/shared/finesightbench-sample/release] [--only letter,...]

Per (task, size) cell prints: samples, unsupported (the observer declines them: no number), answered,
scored outcomes (correct / wrong / refusal: "nothing perceived" is a refusal-style answer, scored, not
correct), and infrastructure errors (which must be 0). Accuracy is correct / scored; an error never
leaves the denominator silently because this script counts it beside it.
"""

from __future__ import annotations

import argparse
import collections
import time

from snellen.data import open_dataset
from snellen.models.base import GenerationSettings, Request, load_backend
from snellen.scoring import score_response


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default="/work/shared/finesightbench-sample/release")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    backend = load_backend("ideal")
    settings = GenerationSettings()
    cells: dict[tuple[str, int], collections.Counter] = collections.defaultdict(collections.Counter)
    t0 = time.perf_counter()
    for sample in open_dataset(args.path):
        if only and sample.family not in only:
            continue
        c = cells[(sample.task, int(sample.scale))]
        c["samples"] += 1
        if not backend.supports(sample):
            c["unsupported"] += 1
            continue
        (resp,) = backend.answer([Request(sample, sample.prompts["json"], settings)])
        if not resp.ok:
            c["error"] += 1
            continue
        c[score_response(sample, resp.text).outcome] += 1
    print(f"ideal observer on {args.path}: {sum(c['samples'] for c in cells.values())} samples in "
          f"{time.perf_counter() - t0:.0f} s\n")
    print("| task | size | samples | unsupported | correct | wrong | refusal/other | errors | accuracy |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (task, size), c in sorted(cells.items()):
        scored = c["samples"] - c["unsupported"] - c["error"]
        other = scored - c["correct"] - c["wrong"]
        acc = f"{100 * c['correct'] / scored:.0f}%" if scored else "n/a"
        print(f"| {task} | {size} | {c['samples']} | {c['unsupported']} | {c['correct']} | {c['wrong']} | {other} | {c['error']} | {acc} |")


if __name__ == "__main__":
    main()
