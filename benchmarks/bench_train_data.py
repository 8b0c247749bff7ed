"""Is the generator the bottleneck of training? Rows/s from the training stream vs rows/s one SFT step consumes.

    OMP_NUM_THREADS=1 python benchmarks/bench_train_data.py [--tasks colour,shape] [--batch 8] [--steps 5]

Prints both rates measured in this run and their ratio (the issue's target: stream >= 20x the step's need).
The step is a forward+backward of the default tiny builder model (CLIP 224/32 + Llama 64x2), processor included.
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
    ap.add_argument("--steps", type=int, default=5)
    args = ap.parse_args()
    import torch

    from snellen.train.config import DataSpec
    from snellen.train.data import ProbeStream
    from snellen.train.model_builder import BuildSpec, build_model
    from snellen.train.trainers import load_model

    stream = ProbeStream(DataSpec(tasks=args.tasks.split(","), curriculum="uniform"))
    rows = stream.rows()
    next(rows)
    n = args.batch * args.steps
    t = time.perf_counter()
    batch = list(islice(rows, n))
    gen_rate = n / (time.perf_counter() - t)

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

    step(batch[: args.batch])  # warm-up
    t = time.perf_counter()
    for i in range(args.steps):
        step(batch[i * args.batch:(i + 1) * args.batch])
    step_rate = n / (time.perf_counter() - t)
    print(f"stream: {gen_rate:.1f} rows/s; one SFT step consumes {step_rate:.1f} rows/s "
          f"(batch {args.batch}, torch threads {torch.get_num_threads()}); ratio {gen_rate / step_rate:.2f}x")


if __name__ == "__main__":
    main()
