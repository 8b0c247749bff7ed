"""GRPO step time through `snellen train` (streamed data, callbacks, freezing) vs a bare TRL GRPOTrainer on the
same tiny model, rewards and a pre-built in-memory dataset. Prints both and the ratio (issue target >= 0.95x).

    OMP_NUM_THREADS=1 python benchmarks/bench_grpo_overhead.py [--steps 6]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from itertools import islice
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=6)
    args = ap.parse_args()
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer

    from snellen.train.config import StageSpec
    from snellen.train.data import ProbeStream
    from snellen.train.model_builder import BuildSpec, VisionSpec, build_model
    from snellen.train.rewards import reward_functions
    from snellen.train.trainers import load_model, train_stage

    stage = StageSpec(name="g", trainer="grpo", trainable={"projector": 1e-3, "llm": 1e-3}, steps=args.steps,
                      batch_size=4, num_generations=2, max_completion_length=8, probe_every=0,
                      save_every=10_000, data={"tasks": ["letter"], "curriculum": "uniform"})
    with tempfile.TemporaryDirectory() as tmp:
        base = build_model(BuildSpec(vision=VisionSpec(image_size=64, patch_size=16)), Path(tmp) / "m")
        t = time.perf_counter()
        train_stage(stage, base, Path(tmp) / "ours")
        ours = time.perf_counter() - t
        import json

        recs = [json.loads(x) for x in (Path(tmp) / "ours" / "metrics.jsonl").read_text().splitlines()]
        ours_loop = next(r["train_runtime"] for r in recs if "train_runtime" in r)

        t = time.perf_counter()
        model, proc = load_model(base)
        for n, p in model.named_parameters():
            p.requires_grad_(not n.startswith("model.vision_tower"))
        rows = list(islice(ProbeStream(stage.data).rows(), args.steps * 2 + 4))
        funcs, weights = reward_functions(stage.reward)
        cfg = GRPOConfig(lr_scheduler_type="constant", output_dir=str(Path(tmp) / "bare"), max_steps=args.steps, per_device_train_batch_size=4,
                         num_generations=2, max_completion_length=8, learning_rate=1e-3, use_cpu=True,
                         report_to=[], save_strategy="no", logging_steps=1, reward_weights=weights, disable_tqdm=True)
        out = GRPOTrainer(model=model, args=cfg, train_dataset=Dataset.from_list(rows), processing_class=proc,
                          reward_funcs=funcs).train()
        bare = time.perf_counter() - t
        bare_loop = out.metrics["train_runtime"]
    print(f"{args.steps} GRPO steps, training loop only (TRL train_runtime): snellen stage {ours_loop:.2f} s "
          f"(streamed rows, callbacks), bare TRL {bare_loop:.2f} s (rows pre-built); speed ratio "
          f"bare/ours {bare_loop / ours_loop:.2f}x")
    print(f"{args.steps} GRPO steps, stage end to end (load, stream, train, checks, save): {ours:.1f} s; "
          f"bare TRL GRPOTrainer (load, pre-built rows, train): {bare:.1f} s; speed ratio bare/ours {bare / ours:.2f}x")


if __name__ == "__main__":
    main()
