"""Re-scoring from the cache: fill a run store with N synthetic responses, then time open_run + score_run.

    .venv/bin/python benchmarks/bench_rescore.py [--n 100000]

Samples are real rendered probes (letter/digit, quick suite) cloned under fresh ids, so rows carry
realistic metadata and PNG blobs; responses are a mix of correct, wrong and error rows. Prints the
write rate, the time to iterate every record (with and without images) and, where snellen.scoring is
installed, the time of a full re-score (open_run + score_run).
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
from pathlib import Path

from snellen.probes.suite import load_suite
from snellen.store import Row, create_run, open_run, pixel_hash, response_key

# The letters-and-digits fixture suite (the built-in `quick` covers every family and is larger).
GLYPHS = str(Path(__file__).resolve().parents[1] / "tests" / "glyphs.yaml")


def fill(path: Path, n: int, batch: int = 2000) -> float:
    base = list(load_suite(GLYPHS, per_cell=5).samples())
    hashes = [pixel_hash(s.pixels()) for s in base]
    for s in base:
        s.png_bytes()
    run = create_run(path)
    run.bind_config({"backend": "bench", "identity": {"backend": "bench", "model": "synthetic"}})
    t0 = time.perf_counter()
    rows = []
    for i in range(n):
        j = i % len(base)
        s = copy.copy(base[j])
        s.id, s.index = f"{i:020x}", i
        key = response_key(backend="bench", identity={"model": "synthetic"}, generation={}, transmission={},
                           pixels=hashes[j] + str(i), prompt=s.prompts["json"], system_prompt=None, repeat=0)
        if i % 50 == 49:
            rows.append(Row(key=key, sample=s, pixels=hashes[j], repeat=0, status="error", error_kind="rate_limit",
                            error_message="429", attempts=3))
        else:
            field = s.fields[0]
            guess = s.answer[field.name] if i % 3 else field.options[(i // 3) % len(field.options)]
            rows.append(Row(key=key, sample=s, pixels=hashes[j], repeat=0, status="ok",
                            text=json.dumps({field.name: guess}), latency_s=0.4, input_tokens=900, output_tokens=8,
                            sent_size=(448, 448), encoder_size=(448, 448), attempts=1))
        if len(rows) >= batch:
            run.write(rows)
            rows = []
    run.write(rows)
    run.close()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "run"
        write_s = fill(path, args.n)
        size = sum(f.stat().st_size for f in path.iterdir())
        print(f"filled {args.n:,} responses in {write_s:.1f} s ({args.n / write_s:,.0f} rows/s); store {size / 1e6:.0f} MB")
        for images in (False, True):
            t0 = time.perf_counter()
            with open_run(path) as run:
                n = sum(1 for _ in run.records(images=images))
            dt = time.perf_counter() - t0
            print(f"open_run + records(images={images}): {n:,} records in {dt:.2f} s ({n / dt:,.0f}/s)")
        try:
            from snellen.scoring import score_run
        except ImportError:
            print("snellen.scoring not installed: re-score timing skipped")
            return
        t0 = time.perf_counter()
        with open_run(path) as run:
            df = score_run(run)
        dt = time.perf_counter() - t0
        print(f"open_run + score_run: {len(df):,} rows in {dt:.2f} s ({len(df) / dt:,.0f}/s); outcomes {df['outcome'].value_counts().to_dict()}")


if __name__ == "__main__":
    main()
