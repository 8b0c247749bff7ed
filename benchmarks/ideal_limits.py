"""The information limit of a suite: the ideal observer's accuracy per task x scale, scored by the normal scorer.

    .venv/bin/python benchmarks/ideal_limits.py [--suite acuity] [--per-cell 10] [--scales 4,8,...] [--only letter,...]

Prints a Markdown table (strict accuracy %, per task x scale; cells below 100% show how many of the wrong
answers came from ties, i.e. templates the pixels cannot tell apart), the number of samples with a tie, and
any error or wrong answer that was NOT a tie (those are generator or observer bugs, listed in full).
"""

from __future__ import annotations

import argparse
import collections
import time

from snellen.models.base import GenerationSettings, Request, load_backend
from snellen.probes.suite import load_suite
from snellen.scoring import score_response


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite", default="acuity")
    ap.add_argument("--per-cell", type=int, default=10)
    ap.add_argument("--scales", default="")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    suite = load_suite(args.suite, per_cell=args.per_cell, only=args.only.split(",") if args.only else None)
    scales = {int(s) for s in args.scales.split(",")} if args.scales else None
    backend = load_backend("ideal")
    settings = GenerationSettings()
    cells: dict[tuple[str, int], list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])  # right, n, wrong ties, ties
    bugs: list[str] = []
    t0, n = time.perf_counter(), 0
    for item in suite.work():
        if scales is not None and dict(item.cell)["scale"] not in scales:
            continue
        sample = suite.make(item)
        if not backend.supports(sample):
            continue
        (resp,) = backend.answer([Request(sample, sample.prompts["json"], settings)])
        n += 1
        c = cells[(sample.task, sample.scale)]
        c[1] += 1
        if not resp.ok:
            bugs.append(f"{sample.task} {sample.cell} {sample.id}: error {resp.error.message}")
            continue
        tied = resp.raw.get("ties", 0) > 0
        c[3] += tied
        if score_response(sample, resp.text).strict:
            c[0] += 1
        elif tied:
            c[2] += 1
        else:
            bugs.append(f"{sample.task} {sample.cell} {sample.id}: answered {resp.text}, truth {sample.answer}")
    took = time.perf_counter() - t0
    tasks = list(dict.fromkeys(t for t, _ in cells))
    cols = sorted({s for _, s in cells})
    print(f"ideal observer on suite {args.suite!r}, per_cell {args.per_cell}: {n} samples in {took:.0f} s "
          f"({1000 * took / max(n, 1):.0f} ms/sample)\n")
    print("| task | " + " | ".join(f"{s} px" for s in cols) + " |")
    print("|---|" + "---|" * len(cols))
    for t in tasks:
        row = []
        for s in cols:
            right, total, wrong_ties, _ = cells.get((t, s), [0, 0, 0, 0])
            if not total:
                row.append("")
                continue
            cell = f"{100 * right / total:.0f}"
            if right < total:
                cell += f" ({wrong_ties}/{total - right} ties)"
            row.append(cell)
        print(f"| {t} | " + " | ".join(row) + " |")
    print(f"\nsamples with a tie: {sum(c[3] for c in cells.values())} of {n}")
    print(f"wrong answers or errors that were not ties: {len(bugs)}")
    for b in bugs:
        print("  " + b)


if __name__ == "__main__":
    main()
