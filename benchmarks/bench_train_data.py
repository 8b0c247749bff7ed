"""Is the generator the bottleneck of training? Rows/s from the training stream vs rows/s one SFT step consumes.

    OMP_NUM_THREADS=1 python benchmarks/bench_train_data.py [--tasks colour,shape] [--batch 8] [--steps 8] [--workers 2]

Measured in one run:
1. the step: rows/s a forward+backward+AdamW step of the default tiny builder model (CLIP 224/32 + Llama 64x2)
   consumes, processor included, rows pre-built;
2. the stream: rows/s out of the TRL dataset the trainer iterates (`trl_dataset`, rendered by `--workers`
   background processes; 0 = in this process), after the glyph caches are warm (their one-time warm-up is
   printed separately), rows dropped as a trainer drops them; plus this process's CPU time per row (what the
   training loop itself pays for its data);
3. the step again, fed live from that stream (is the step slower with the generator behind it?).
Prints the ratio stream/step (the issue's target: >= 20x).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from itertools import islice


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", default="colour,shape")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rows", type=int, default=1500, help="rows timed from the stream")
    args = ap.parse_args()
    import torch

    from snellen.train.config import DataSpec
    from snellen.train.data import ProbeStream, trl_dataset
    from snellen.train.model_builder import BuildSpec, build_model
    from snellen.train.trainers import load_model

    spec = DataSpec(tasks=args.tasks.split(","), curriculum="uniform")
    stream = ProbeStream(spec)
    t = time.perf_counter()
    for _ in islice(stream.rows(), 400):  # every (task, scale) mask drawn once: the caches a long run keeps warm
        pass
    warm = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        model, proc = load_model(build_model(BuildSpec(), f"{tmp}/m"))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def step(chunk):
        msgs = [[{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": r["prompt"][0]["content"]}]},
                 {"role": "assistant", "content": [{"type": "text", "text": r["completion"][0]["content"]}]}] for r in chunk]
        texts = [proc.apply_chat_template(m, tokenize=False) for m in msgs]
        enc = proc(images=[r["image"] for r in chunk], text=texts, return_tensors="pt", padding=True)
        loss = model(**enc, labels=enc["input_ids"]).loss
        loss.backward()
        opt.step()
        opt.zero_grad()

    n_step = args.batch * args.steps
    batch = list(islice(stream.rows(), n_step))
    step(batch[: args.batch])  # warm-up
    t = time.perf_counter()
    for i in range(args.steps):
        step(batch[i * args.batch:(i + 1) * args.batch])
    step_rate = n_step / (time.perf_counter() - t)
    del batch

    rows = iter(trl_dataset(stream, workers=args.workers))
    for _ in islice(rows, 200):  # workers started, pipeline full
        pass
    t, cpu = time.perf_counter(), time.process_time()
    for _ in islice(rows, args.rows):
        pass
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    gen_rate = args.rows / wall

    t = time.perf_counter()
    for _ in range(args.steps):
        step(list(islice(rows, args.batch)))
    live_rate = n_step / (time.perf_counter() - t)

    print(f"glyph/mask cache warm-up (once per process, first 400 rows): {warm:.1f} s")
    print(f"stream ({args.workers} worker process(es), through the TRL dataset): {gen_rate:.0f} rows/s; "
          f"training-process CPU {1000 * cpu / args.rows:.2f} ms/row")
    print(f"one SFT step (batch {args.batch}, torch threads {torch.get_num_threads()}) consumes {step_rate:.1f} rows/s "
          f"with rows pre-built, {live_rate:.1f} rows/s fed live from the stream "
          f"(live/pre-built {live_rate / step_rate:.2f}x)")
    print(f"ratio stream/step: {gen_rate / step_rate:.1f}x (target >= 20x)")


if __name__ == "__main__":
    main()
