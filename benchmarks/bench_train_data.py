"""Is the generator the bottleneck of training? Rows/s from the training stream vs rows/s one SFT step consumes.

    OMP_NUM_THREADS=1 python benchmarks/bench_train_data.py [--tasks colour,shape] [--batch 8] [--steps 8] [--workers 2]

Measured in one run, in --rounds alternating rounds (so a change in machine load hits both sides alike):
1. the step: rows/s a forward+backward+AdamW step of the default tiny builder model (CLIP 224/32 + Llama 64x2)
   consumes, processor included, rows pre-built;
2. the stream: rows/s out of the TRL dataset the trainer iterates (`trl_dataset`), rendered by `--workers`
   background processes and, separately, in this process (workers 0); glyph caches warm (their one-time
   warm-up is printed separately); rows dropped as a trainer drops them; this process's CPU time per row;
3. CPU time per row of the step and of in-process rendering: their ratio does not depend on how busy the
   machine is, unlike the wall-clock rates;
and finally the step fed live from the worker stream (is the step slower with the generator behind it?).
Prints the ratio stream/step per round and the median (the issue's target: >= 20x).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from itertools import islice


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", default="colour,shape")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rows", type=int, default=800, help="rows timed from the stream per round")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    import torch

    from snellen.train.config import DataSpec
    from snellen.train.data import ProbeStream, trl_dataset
    from snellen.train.model_builder import BuildSpec, build_model
    from snellen.train.trainers import load_model

    stream = ProbeStream(DataSpec(tasks=args.tasks.split(","), curriculum="uniform"))
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

    def timed(rows, n):
        t, cpu = time.perf_counter(), time.process_time()
        for _ in islice(rows, n):
            pass
        return n / (time.perf_counter() - t), (time.process_time() - cpu) / n

    n_step = args.batch * args.steps
    batch = list(islice(stream.rows(), n_step))
    step(batch[: args.batch])  # warm-up
    workers = iter(trl_dataset(stream, workers=args.workers))
    inline = iter(trl_dataset(stream, workers=0))
    timed(workers, 200)  # workers started, pipeline full
    timed(inline, 50)
    rounds = []
    for r in range(args.rounds):
        t, cpu = time.perf_counter(), time.process_time()
        for i in range(args.steps):
            step(batch[i * args.batch:(i + 1) * args.batch])
        step_rate, step_cpu = n_step / (time.perf_counter() - t), (time.process_time() - cpu) / n_step
        w_rate, w_cpu = timed(workers, args.rows)
        i_rate, i_cpu = timed(inline, args.rows)
        rounds.append((step_rate, w_rate, i_rate, step_cpu / i_cpu))
        print(f"round {r + 1}: step consumes {step_rate:.1f} rows/s ({1000 * step_cpu:.1f} ms CPU/row); stream "
              f"{w_rate:.0f} rows/s with {args.workers} worker process(es) ({1000 * w_cpu:.2f} ms CPU/row in the "
              f"training process), {i_rate:.0f} rows/s rendered in process ({1000 * i_cpu:.2f} ms CPU/row); ratios "
              f"{w_rate / step_rate:.1f}x (workers), {i_rate / step_rate:.1f}x (in process), CPU {step_cpu / i_cpu:.1f}x")
    t = time.perf_counter()
    for _ in range(args.steps):
        step(list(islice(workers, args.batch)))
    live_rate = n_step / (time.perf_counter() - t)
    last_step = rounds[-1][0]

    print(f"glyph/mask cache warm-up (once per process, first 400 rows): {warm:.1f} s")
    print(f"step fed live from the worker stream: {live_rate:.1f} rows/s vs {last_step:.1f} pre-built in the last "
          f"round ({live_rate / last_step:.2f}x); batch {args.batch}, torch threads {torch.get_num_threads()}")
    med = lambda k: statistics.median(x[k] / x[0] for x in rounds) if k else None  # noqa: E731
    print(f"median ratio stream/step over {args.rounds} rounds: {med(1):.1f}x with {args.workers} workers, "
          f"{med(2):.1f}x in process; CPU-time ratio step/rendering {statistics.median(x[3] for x in rounds):.1f}x "
          "(target >= 20x)")


if __name__ == "__main__":
    main()
