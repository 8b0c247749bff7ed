"""snellen's eval throughput on a local transformers model vs a raw batched `generate` loop.

Both sides start from the same PNG bytes and do the same work: decode the PNGs, apply the chat template,
run the processor, call batched greedy `model.generate`, decode the new tokens. snellen is measured twice:
the `hf` backend alone (`answer` over batches) and the whole runner (`snellen.run.evaluate`: content keys,
SQLite store writes, manifest). Models are random LLaVAs built offline (tests/models/tiny_llava.py); answers
are noise and generation never stops early, so every request generates exactly --max-tokens tokens.
Each round runs the three sides back to back (order rotated); the reported ratio is the median over rounds
of raw time / snellen time, so drifting load on a shared machine cancels within a round. All sides use the
same loaded model and must return identical answers. On a busy CPU, --threads 1 steadies the timings.

    python benchmarks/bench_hf.py                       # tiny model, CPU
    python benchmarks/bench_hf.py --sizes tiny small --device cuda --n 512 --batch-size 32
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "models"))

from tiny_llava import build_tiny_llava  # noqa: E402

from snellen.models.base import GenerationSettings, Request, load_backend  # noqa: E402
from snellen.probes.suite import load_suite  # noqa: E402
from snellen.run import evaluate  # noqa: E402

# The letters-and-digits fixture suite (the built-in `quick` covers every family and is larger).
GLYPHS = str(Path(__file__).resolve().parents[1] / "tests" / "glyphs.yaml")


def png_samples(n: int):
    """n probe samples holding only PNG bytes (pixels dropped), so every consumer must decode them."""
    per_cell = -(-n // 8)  # the quick suite has 8 cells (letter, digit x 4 scales)
    out = []
    for s in load_suite(GLYPHS, per_cell=per_cell).samples():
        s.png_bytes()
        out.append(replace(s, image=None))
        if len(out) == n:
            break
    return out


def fresh(samples):
    return [replace(s, image=None) for s in samples]


def raw_loop(model, processor, samples, batch_size, max_tokens, device):
    """What a user would write by hand: decode, template, process, generate, decode."""
    import io

    import torch
    from PIL import Image

    texts = []
    for start in range(0, len(samples), batch_size):
        chunk = samples[start:start + batch_size]
        images = [Image.open(io.BytesIO(s.png)).convert("RGB") for s in chunk]
        prompts = [processor.apply_chat_template(
            [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": s.prompts["json"]}]}],
            add_generation_prompt=True, tokenize=False) for s in chunk]
        inputs = processor(images=images, text=prompts, return_tensors="pt", padding=True).to(device)
        inputs["pixel_values"] = inputs["pixel_values"].to(model.dtype)
        with torch.inference_mode():
            out = model.generate(**inputs, max_new_tokens=max_tokens, do_sample=False)
        new = out[:, inputs["input_ids"].shape[1]:]
        texts += [t.strip() for t in processor.batch_decode(new, skip_special_tokens=True)]
    return texts


def backend_loop(backend, samples, settings, batch_size):
    texts = []
    reqs = [Request(sample=s, prompt=s.prompts["json"], settings=settings) for s in samples]
    for start in range(0, len(reqs), batch_size):
        texts += [r.text for r in backend.answer(reqs[start:start + batch_size])]
    return texts


def bench(size: str, n: int, batch_size: int, max_tokens: int, rounds: int, device: str, workdir: Path) -> dict:
    model_dir = build_tiny_llava(workdir / f"llava-{size}", size=size)
    backend = load_backend(f"hf:{model_dir}", {"batch_size": batch_size, "device": device})
    model, processor = backend.model, backend.processor  # the raw loop uses the very same objects
    params = sum(p.numel() for p in model.parameters())
    settings = GenerationSettings(max_tokens=max_tokens)
    samples = png_samples(n)
    dev = backend.device

    def sync():
        if dev.type == "cuda":
            import torch

            torch.cuda.synchronize()

    raw_loop(model, processor, fresh(samples[:batch_size]), batch_size, max_tokens, dev)  # warm-up
    sides = {
        "raw": lambda: raw_loop(model, processor, fresh(samples), batch_size, max_tokens, dev),
        "backend": lambda: backend_loop(backend, fresh(samples), settings, batch_size),
        "runner": lambda: run_once(backend, fresh(samples), settings, batch_size, workdir, n),
    }
    times: dict[str, list[float]] = {k: [] for k in sides}
    answers = {}
    order = list(sides)
    for r in range(rounds):  # rotate the order so drifting machine load does not favour one side
        for name in order[r % 3:] + order[:r % 3]:
            sync()
            t = time.perf_counter()
            answers[name] = sides[name]()
            sync()
            times[name].append(time.perf_counter() - t)
    # per-round ratios (the three sides of a round ran back to back), then their median
    ratio = {k: statistics.median(raw / t for raw, t in zip(times["raw"], times[k])) for k in ("backend", "runner")}
    med = {k: statistics.median(v) for k, v in times.items()}
    return {"size": size, "params": params, "n": n, "device": str(dev), "dtype": backend.dtype_name,
            **{f"{k}_sps": n / v for k, v in med.items()},
            "backend_ratio": ratio["backend"], "runner_ratio": ratio["runner"],
            "same_answers": answers["raw"] == answers["backend"] == answers["runner"]}


def run_once(backend, samples, settings, batch_size, workdir, n):
    """The whole runner into a fresh run directory; returns the stored answers in sample order."""
    from snellen.store import open_run

    with tempfile.TemporaryDirectory(dir=workdir) as run_dir:
        summary = evaluate(backend, samples, run_dir, settings=settings, batch_size=batch_size, progress=False)
        if summary.answered != n:
            raise RuntimeError(f"runner answered {summary.answered} of {n}")
        by_id = {s.id: r.text for s, r in open_run(run_dir).records()}
    return [by_id[s.id] for s in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["tiny"], choices=["tiny", "small"])
    parser.add_argument("--n", type=int, default=200, help="samples per round")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    args = parser.parse_args()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory(prefix="snellen-bench-hf-") as tmp:
        for size in args.sizes:
            r = bench(size, args.n, args.batch_size, args.max_tokens, args.rounds, args.device, Path(tmp))
            print(f"{r['size']} LLaVA ({r['params']:,} params, {r['device']}, {r['dtype']}), {r['n']} samples, "
                  f"batch {args.batch_size}, {args.max_tokens} new tokens, median of {args.rounds}:")
            print(f"  raw generate loop   {r['raw_sps']:8.1f} samples/s")
            print(f"  snellen hf backend  {r['backend_sps']:8.1f} samples/s  ({r['backend_ratio']:.3f}x raw)")
            print(f"  snellen runner      {r['runner_sps']:8.1f} samples/s  ({r['runner_ratio']:.3f}x raw, incl. store)")
            print(f"  identical answers (raw, backend, runner): {r['same_answers']}")


if __name__ == "__main__":
    main()
