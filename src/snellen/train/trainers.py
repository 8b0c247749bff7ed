"""One training stage through TRL: SFTTrainer or GRPOTrainer on a transformers VLM, with exact freezing.

The stage loads its start checkpoint with AutoModelForImageTextToText, applies the freezing plan (one
optimizer group per trainable group, with its LR), optionally wraps LoRA adapters around the trainable
groups' linear layers, streams its data from the generator, and trains with TRL. Every `save_every`
steps TRL writes a resumable checkpoint (weights, optimizer, scheduler, RNG, the curriculum's state);
at the end the stage writes `final/`, a plain save_pretrained folder (LoRA merged) with the processor,
the stage spec, suite hash and environment, which the `hf` backend loads as any model.

After training, frozen groups are checked bit for bit against their fingerprints from before: a frozen
group that moved is an error, not a log line.
"""

from __future__ import annotations

import json
import math
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from snellen.schema import SnellenError
from snellen.train.config import StageSpec
from snellen.train.data import ProbeStream, trl_dataset
from snellen.train.freezing import apply_freezing, assert_table, fingerprint, parameter_table

STAGE_FILE = "snellen_stage.json"
DIFFICULTY_FILE = "snellen_difficulty.json"
Progress = Callable[[dict[str, Any]], None]


def environment() -> dict[str, Any]:
    import importlib.metadata as md

    import torch

    versions = {}
    for pkg in ("snellen", "torch", "transformers", "trl", "peft", "accelerate", "datasets"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = None
    return {"python": platform.python_version(), "platform": platform.platform(), "packages": versions,
            "device": accelerator_kind() or "cpu", "processes": int(os.environ.get("WORLD_SIZE", "1")),
            "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}


def last_checkpoint(folder: Path) -> Path | None:
    """The highest-numbered complete checkpoint-N folder (one with trainer_state.json)."""
    if not folder.is_dir():
        return None
    done = [p for p in folder.glob("checkpoint-*") if (p / "trainer_state.json").is_file() and p.name.split("-")[-1].isdigit()]
    return max(done, key=lambda p: int(p.name.split("-")[-1])) if done else None


def load_model(path: str | Path):
    from snellen.hf_runtime import import_torch_transformers

    torch, tf = import_torch_transformers("snellen train", "pip install 'snellen[train]'")
    try:
        model = tf.AutoModelForImageTextToText.from_pretrained(path, dtype=torch.float32)
        processor = tf.AutoProcessor.from_pretrained(path)
    except Exception as exc:  # noqa: BLE001  (any loading failure names the checkpoint)
        raise SnellenError(f"cannot load checkpoint {path}: {type(exc).__name__}: {str(exc).splitlines()[0]}") from exc
    return model, processor


def _lora(model, stage: StageSpec):
    from peft import LoraConfig, get_peft_model

    from snellen.train.freezing import group_of

    targets = [name for name, mod in model.named_modules()
               if name.rsplit(".", 1)[-1] in stage.lora.modules and group_of(name + ".weight") in stage.trainable
               and hasattr(mod, "weight")]
    if not targets:
        raise SnellenError(f"stages.{stage.name}.lora.modules: none of {stage.lora.modules} found in the trainable groups")
    config = LoraConfig(r=stage.lora.r, lora_alpha=stage.lora.alpha, lora_dropout=stage.lora.dropout,
                        target_modules=targets)
    return get_peft_model(model, config)


def _callbacks(stage: StageSpec, stream: ProbeStream, metrics_path: Path, progress: Progress | None,
               probe_rows: list[dict], processor, t_start: float):
    from transformers import TrainerCallback

    from snellen.train.diagnostics import COLLAPSE_BELOW, image_dependence

    class Record(TrainerCallback):
        def __init__(self):
            self.dependence: float | None = None

        def _write(self, rec: dict[str, Any]) -> None:
            with open(metrics_path, "a") as fh:
                fh.write(json.dumps(rec, default=float) + "\n")

        def on_step_end(self, args, state, control, model=None, **kw):
            if not state.is_world_process_zero:  # one process measures and writes; the others train
                return
            if stage.probe_every and probe_rows and (state.global_step % stage.probe_every == 0 or state.global_step == 1):
                self.dependence = image_dependence(model, processor, probe_rows)
                rec = {"stage": stage.name, "step": state.global_step, "image_dependence": self.dependence,
                       "image_independent": bool(self.dependence < COLLAPSE_BELOW)}
                self._write(rec)

        def on_log(self, args, state, control, logs=None, **kw):
            if not state.is_world_process_zero:
                return
            logs = dict(logs or {})
            rec = {"stage": stage.name, "step": state.global_step, "max_steps": state.max_steps,
                   "elapsed_s": round(time.time() - t_start, 3), **logs}
            if "frac_reward_zero_std" in logs:
                rec["zero_signal_share"] = logs["frac_reward_zero_std"]
            if stage.data.curriculum == "targeted":
                rec["difficulty_level"] = dict(stream.difficulty.level)
                rec["pass_rate"] = stream.difficulty.pass_rates()
            rec["image_dependence"] = self.dependence
            self._write(rec)
            if progress is not None:
                progress(rec)

        def on_save(self, args, state, control, **kw):
            if not state.is_world_process_zero:
                return
            ckpt = Path(args.output_dir) / f"checkpoint-{state.global_step}"
            if ckpt.is_dir():
                (ckpt / DIFFICULTY_FILE).write_text(json.dumps(stream.difficulty.state()))

    return [Record()]


def accelerator_kind() -> str | None:
    """The accelerator torch sees (cuda covers ROCm too), or None for CPU only."""
    import torch

    if torch.cuda.is_available():
        return "cuda"
    xpu = getattr(torch, "xpu", None)
    if xpu is not None and xpu.is_available():
        return "xpu"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return None


def precision() -> dict[str, bool]:
    """TrainingArguments flags: bf16 mixed precision where the accelerator supports it (fp32 master weights,
    as loaded); fp32 on CPU and on GPUs without bf16 (e.g. T4, V100); CPU only when there is no accelerator."""
    import torch

    kind = accelerator_kind()
    if kind == "cuda":
        bf16 = torch.cuda.is_bf16_supported()
    elif kind == "xpu":
        bf16 = bool(getattr(torch.xpu, "is_bf16_supported", lambda: False)())
    else:
        bf16 = False  # mps: bf16 autocast support varies by macOS version; CPU: slower than fp32 here
    return {"use_cpu": kind is None, "bf16": bf16}


def _trl_args(stage: StageSpec, output_dir: Path, seed: int) -> Any:
    common = dict(
        output_dir=str(output_dir), max_steps=stage.steps, per_device_train_batch_size=stage.batch_size,
        gradient_accumulation_steps=stage.grad_accum, warmup_steps=stage.warmup_steps, lr_scheduler_type="constant_with_warmup",
        max_grad_norm=stage.max_grad_norm, logging_steps=1, save_steps=stage.save_every, save_total_limit=2,
        save_only_model=False, report_to=[], seed=seed, data_seed=seed, **precision(),
        dataloader_num_workers=0, disable_tqdm=True, learning_rate=max(stage.trainable.values()),
    )
    if stage.trainer == "sft":
        from trl import SFTConfig

        # remove_unused_columns=False: the rows' sample ids reach the collator (the Ledger), which ignores them.
        return SFTConfig(max_length=None, completion_only_loss=True, remove_unused_columns=False, **common)
    from trl import GRPOConfig

    return GRPOConfig(num_generations=stage.num_generations, max_completion_length=stage.max_completion_length,
                      temperature=stage.temperature, beta=stage.beta, shuffle_dataset=False,
                      reward_weights=None, **common)


def default_data_workers() -> int:
    """Background renderers: the cores this training process has beyond its own (cores / processes on this
    machine - 1), at most 4, when that is at least 2; otherwise none (rendering stays in the training loop).
    Measured on 2 cores (benchmarks/bench_train_data.py): in-process rendering fed the step 26.4x faster than it
    consumes, background workers 16.7x (their hand-off costs more than one contended core gives back)."""
    local = max(1, int(os.environ.get("LOCAL_WORLD_SIZE", "1")))
    spare = (os.cpu_count() or 1) // local - 1
    return min(4, spare) if spare >= 2 else 0


def train_stage(stage: StageSpec, start_model: str | Path, stage_dir: Path, *, seed: int = 0,
                progress: Progress | None = None, data_workers: int | None = None) -> Path:
    """Train one stage from `start_model`; resume from stage_dir/checkpoints if present; return final/.
    `data_workers` background processes render the training rows (None: one if the machine has a spare core)."""
    import torch

    stage_dir.mkdir(parents=True, exist_ok=True)
    final = stage_dir / "final"
    if (final / STAGE_FILE).is_file():
        return final
    model, processor = load_model(start_model)
    if getattr(processor, "tokenizer", None) is not None and processor.tokenizer.pad_token is None:
        processor.tokenizer.pad_token = processor.tokenizer.eos_token
    if stage.lora:
        model = _lora(model, stage)
    param_groups = apply_freezing(model, stage.trainable, lora=stage.lora is not None)
    table = parameter_table(model, stage.trainable)
    assert_table(table, stage.trainable)
    before = fingerprint(model)
    stream = ProbeStream(stage.data, total=stage.steps * stage.batch_size * stage.grad_accum)
    probe_stream = ProbeStream(stage.data.model_copy(update={"seed": stage.data.seed + 1000, "curriculum": "uniform"}))
    probe_rows = [] if stage.data.kind in ("text_reasoning", "captions") else [r for r, _ in zip(probe_stream.rows(), range(8))]
    ckpt_dir = stage_dir / "checkpoints"
    resume = last_checkpoint(ckpt_dir)
    if resume is not None and (resume / DIFFICULTY_FILE).is_file():
        stream.difficulty.load_state(json.loads((resume / DIFFICULTY_FILE).read_text()))
    args = _trl_args(stage, ckpt_dir, seed)
    optimizer = torch.optim.AdamW(param_groups, weight_decay=stage.weight_decay)
    dataset = trl_dataset(stream, workers=default_data_workers() if data_workers is None else data_workers)
    callbacks = _callbacks(stage, stream, stage_dir / "metrics.jsonl", progress, probe_rows, processor, time.time())
    if stage.trainer == "sft":
        from trl import SFTTrainer

        trainer = SFTTrainer(model=model, args=args, train_dataset=dataset, processing_class=processor,
                             optimizers=(optimizer, None), callbacks=callbacks)
    else:
        from snellen.train.rewards import reward_functions
        from trl import GRPOTrainer

        funcs, weights = reward_functions(stage.reward, observe=stream.difficulty.observe)
        args.reward_weights = weights
        trainer = GRPOTrainer(model=model, args=args, train_dataset=dataset, processing_class=processor,
                              reward_funcs=funcs, optimizers=(optimizer, None), callbacks=callbacks)
    from transformers import PrinterCallback

    trainer.remove_callback(PrinterCallback)  # progress goes through our callback, not raw dict prints
    main = trainer.is_world_process_zero()  # under `accelerate launch`, only this process writes files
    trainer.data_collator = Ledger(trainer.data_collator, stage_dir / f"samples-{trainer.args.process_index}.txt")
    if main:
        (stage_dir / "parameters.json").write_text(json.dumps(table, indent=1))
    trainer.train(resume_from_checkpoint=str(resume) if resume else None)
    model = trainer.model
    after = fingerprint(model)
    moved = [g for g in before if g not in stage.trainable and before[g] != after[g]]
    if moved:
        raise SnellenError(f"stage {stage.name}: frozen group(s) {', '.join(moved)} changed during training")
    still = [g for g in stage.trainable if before[g] == after[g]]
    if stage.lora:
        model = model.merge_and_unload()
    if not main:
        trainer.accelerator.wait_for_everyone()  # until the main process has written final/
        return final
    tmp = stage_dir / "final.partial"
    model.save_pretrained(tmp)
    processor.save_pretrained(tmp)
    record = {
        "stage": stage.model_dump(mode="json"), "start_model": str(start_model), "suite": stage.data.suite,
        "suite_hash": stream.suite_hash, "steps": stage.steps, "parameters": table,
        "fingerprints_before": before, "fingerprints_after": fingerprint(model) if not stage.lora else after,
        "unchanged_trainable_groups": still, "environment": environment(),
    }
    (tmp / STAGE_FILE).write_text(json.dumps(record, indent=1, default=str))
    if (stage_dir / "metrics.jsonl").is_file():
        (tmp / "metrics.jsonl").write_bytes((stage_dir / "metrics.jsonl").read_bytes())
    tmp.rename(final)
    trainer.accelerator.wait_for_everyone()
    return final


class Ledger:
    """Wraps the collator: appends the sample id of every row this process's training loop receives to a file
    (one per process: with several, each gets its own slice of every global batch). The loader reads one
    batch ahead, so the last batch listed may not have been trained on; a resume lists skipped batches again."""

    def __init__(self, collate, path: Path):
        self.collate, self.path = collate, path

    def __call__(self, features):
        ids = [f.get("sample_id") for f in features if isinstance(f, dict) and f.get("sample_id")]
        if ids:
            with open(self.path, "a") as fh:
                fh.write("".join(f"{i}\n" for i in ids))
        return self.collate(features)


def format_table(rows: list[dict]) -> str:
    lines = [f"{'group':<10} {'parameters':>12} {'trainable':>12}  lr"]
    for r in rows:
        lr = "frozen" if r["lr"] is None else f"{r['lr']:g}"
        lines.append(f"{r['group']:<10} {r['parameters']:>12,} {r['trainable']:>12,}  {lr}")
    return "\n".join(lines)


def eta(rec: dict[str, Any]) -> float | None:
    step, total, elapsed = rec.get("step") or 0, rec.get("max_steps") or 0, rec.get("elapsed_s") or 0
    if step <= 0 or not total:
        return None
    return elapsed / step * max(0, total - step) if not math.isnan(elapsed) else None
