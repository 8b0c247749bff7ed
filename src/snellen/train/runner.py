"""A training run: the stage chain, its manifest, and resuming after a kill.

Layout of OUT:
    run.json                    config, environment, the chain (start model -> stage finals), status
    base/                       the built model, when the config builds one
    stages/NN-<name>/           checkpoints/checkpoint-N (resumable), metrics.jsonl, parameters.json, final/
    final -> stages/NN-<last>/final   the trained model (a save_pretrained folder: `hf:OUT/final`)

Each stage starts from the previous stage's final/. A stage whose final/ exists is done and skipped on
resume; an interrupted stage resumes from its last checkpoint.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from snellen.schema import SnellenError
from snellen.train.config import TrainConfig
from snellen.train.trainers import Progress, environment, train_stage

RUN_FILE = "run.json"


def stage_dir(out: Path, index: int, name: str) -> Path:
    return out / "stages" / f"{index + 1:02d}-{name}"


def plan(config: TrainConfig, out: Path) -> list[dict[str, Any]]:
    """The chain as it will run: stage, trainer, data, trainable groups, start model, final folder."""
    rows, start = [], config.model.path or str(out / "base")
    for i, s in enumerate(config.stages):
        final = stage_dir(out, i, s.name) / "final"
        rows.append({"stage": s.name, "trainer": s.trainer, "data": s.data.kind, "tasks": s.data.tasks,
                     "curriculum": s.data.curriculum, "steps": s.steps, "batch_size": s.batch_size,
                     "trainable": dict(s.trainable), "lora": s.lora is not None, "start": start, "final": str(final)})
        start = str(final)
    return rows


def _write_manifest(out: Path, config: TrainConfig, chain: list[dict], status: str) -> None:
    record = {"config": config.model_dump(mode="json"), "environment": environment(), "chain": chain,
              "status": status, "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    tmp = out / (RUN_FILE + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, default=str))
    os.replace(tmp, out / RUN_FILE)


def prepare_out(config: TrainConfig, out: Path, resume: bool) -> None:
    if resume:
        if not (out / RUN_FILE).is_file():
            raise SnellenError(f"--resume: {out} holds no training run ({RUN_FILE} missing)")
        saved = json.loads((out / RUN_FILE).read_text())["config"]
        if saved != config.model_dump(mode="json"):
            raise SnellenError(f"--resume: the config differs from the one {out} was started with; use a new --out")
    elif out.exists() and any(out.iterdir()):
        raise SnellenError(f"{out} already holds files; pass --resume to continue that run or choose another --out")
    out.mkdir(parents=True, exist_ok=True)


def base_model(config: TrainConfig, out: Path) -> Path:
    if config.model.path:
        return Path(config.model.path).expanduser()
    base = out / "base"
    if not (base / "config.json").is_file():
        from snellen.train.model_builder import build_model

        tmp = out / "base.partial"
        build_model(config.model.build, tmp)
        os.replace(tmp, base)
    return base


def run(config: TrainConfig, out: str | Path, *, resume: bool = False, progress: Progress | None = None,
        data_workers: int | None = None) -> Path:
    """Train every stage in order; return OUT/final. `data_workers`: see train_stage."""
    out = Path(out)
    procs = processes()
    main = procs is None or procs.is_main_process

    def together() -> None:
        if procs is not None:
            procs.wait_for_everyone()

    if main:
        prepare_out(config, out, resume)
    together()
    chain = plan(config, out)
    if main:
        _write_manifest(out, config, chain, "running")
        base_model(config, out)
    together()
    start = base_model(config, out)  # built by the main process by now: this only finds it
    try:
        for i, stage in enumerate(config.stages):
            final = train_stage(stage, start, stage_dir(out, i, stage.name), seed=config.seed + i, progress=progress,
                                data_workers=data_workers)
            chain[i]["status"] = "done"
            if main:
                _write_manifest(out, config, chain, "running")
            start = final
    except BaseException:
        if main:
            _write_manifest(out, config, chain, "interrupted")
        raise
    link = out / "final"
    if main:
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(start.relative_to(out))
        _write_manifest(out, config, chain, "done")
    together()
    return link


def processes():
    """accelerate's process state when started on several processes (`accelerate launch`), else None.

    Every process trains (data-parallel: each takes its own slice of every global batch of the stream);
    only the main one writes the manifest, metrics and checkpoints' extras, and final/."""
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return None
    from accelerate import PartialState

    from snellen.train.trainers import accelerator_kind

    # cpu=True on a machine without an accelerator: gloo across CPU processes (accelerate's default expects CUDA).
    return PartialState(cpu=accelerator_kind() is None)
