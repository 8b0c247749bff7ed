"""What acuity aids buy the real OCR observers: threshold shift (paired, 95% CI) and cost, per task.

Runs `ocr:rapidocr` and `ocr:tesseract` bare and through `upscale:2`, `upscale:4` and `tiles:2x2` on the
letter, digit and word tasks of the acuity suite (the same samples for every variant), then prints the
analysis's aid comparison (snellen.analysis.aids.aid_shifts): threshold ratio aided / bare [95% CI] and the
seconds-per-trial ratio (OCR reports no tokens). Run directories are kept under --out (re-running resumes).

    .venv/bin/python benchmarks/bench_aids.py [--per-cell 6] [--out /tmp/snellen-aids] [--engines rapidocr,tesseract]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from snellen.analysis.aids import aid_shifts
from snellen.probes.suite import load_suite
from snellen.run import evaluate, select_suite
from snellen.scoring.frame import score_run
from snellen.store import Run

AIDS = ("", "upscale:2/", "upscale:4/", "tiles:2x2/")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-cell", type=int, default=6)
    ap.add_argument("--out", default="/tmp/snellen-aids")
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--tasks", default="letter,digit,word")
    args = ap.parse_args()
    suite = load_suite("acuity", per_cell=args.per_cell, only=args.tasks.split(","))
    frames = []
    for engine in args.engines.split(","):
        for aid in AIDS:
            spec = f"{aid}ocr:{engine}"
            out = Path(args.out) / spec.replace("/", "_").replace(":", "-")
            t0 = time.time()
            s = evaluate(spec, select_suite(suite), out, progress=False)
            print(f"{spec}: {s.answered} answered, {s.unsupported} unsupported, {time.time() - t0:.0f} s", flush=True)
            frames.append(score_run(Run(out, create=False)))
    shifts = aid_shifts(pd.concat(frames, ignore_index=True), np.random.default_rng(0), n_boot=400)
    cols = ["task", "bare", "aided", "pairs", "bare_accuracy", "aided_accuracy", "shift_text", "time_ratio"]
    with pd.option_context("display.width", 250, "display.max_colwidth", 60):
        print(shifts[cols].to_string(index=False, float_format=lambda v: f"{v:.2f}"))


if __name__ == "__main__":
    main()
