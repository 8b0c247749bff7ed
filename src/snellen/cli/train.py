"""`snellen train CONFIG --out DIR`: staged training with verifiable rewards from the probe generator."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

from snellen.cli.app import app


def _dry_run(config, out: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    from snellen.train.data import ProbeStream
    from snellen.train.freezing import apply_freezing, parameter_table
    from snellen.train.runner import plan
    from snellen.train.trainers import format_table

    console = Console()
    table = Table(title=f"stage plan: {config.name}")
    for col in ("#", "stage", "trainer", "data", "curriculum", "steps", "batch", "trainable (lr)", "start"):
        table.add_column(col)
    for i, row in enumerate(plan(config, out), 1):
        lrs = ", ".join(f"{g} {lr:g}" for g, lr in row["trainable"].items()) + (" +LoRA" if row["lora"] else "")
        table.add_row(str(i), row["stage"], row["trainer"], row["data"], row["curriculum"], str(row["steps"]),
                      str(row["batch_size"]), lrs, row["start"])
    console.print(table)
    model = _model_for_dry_run(config)
    for stage in config.stages:
        apply_freezing(model, stage.trainable)
        console.print(f"[bold]{stage.name}[/bold] parameters")
        console.print(format_table(parameter_table(model, stage.trainable)), markup=False, highlight=False)
    first = config.stages[0]
    row = next(ProbeStream(first.data, total=first.steps * first.batch_size).rows())
    shown = {k: v for k, v in row.items() if k != "image"}
    if "image" in row:
        shown["image"] = f"<{row['image'].width}x{row['image'].height} RGB>"
    console.print(f"[bold]data sample ({first.name})[/bold]")
    console.print(json.dumps(shown, indent=1), markup=False, highlight=False)


def _model_for_dry_run(config):
    """The start model's parameters without its weights (meta device): enough for the table."""
    import torch
    import transformers as tf

    if config.model.path:
        cfg = tf.AutoConfig.from_pretrained(config.model.path)
        with torch.device("meta"):
            return tf.AutoModelForImageTextToText.from_config(cfg)
    import tempfile

    from snellen.train.model_builder import build_model

    with tempfile.TemporaryDirectory() as tmp:
        path = build_model(config.model.build, Path(tmp) / "m")
        cfg = tf.AutoConfig.from_pretrained(path)
    with torch.device("meta"):
        return tf.AutoModelForImageTextToText.from_config(cfg)


@app.command()
def train(
    config: str = typer.Argument(..., help="A training config (YAML) or a preset: perception-first, merged, caption-sft, llava-align, llava-align-unfrozen."),
    out: Path = typer.Option(..., "--out", help="Run folder: checkpoints, metrics, run.json; the trained model lands in OUT/final."),
    model: str = typer.Option(None, "--model", help="Start from this model folder instead of the config's model."),
    resume: bool = typer.Option(False, "--resume", help="Continue the run in OUT from its last checkpoint."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the stage plan, trainable parameters and a data sample; train nothing."),
    threads: int = typer.Option(None, "--threads", min=1, help="CPU threads for torch (1 is fastest on a busy shared CPU)."),
    data_workers: int = typer.Option(None, "--data-workers", min=0, help="Background processes rendering training rows (default: the spare cores per training process, at most 4, where there are at least 2; otherwise 0: rendered in the training process)."),
) -> None:
    """Train a VLM on the probe generator's train split (SFT and GRPO through TRL), stage by stage."""
    from snellen.train.config import load_config

    if threads:
        import torch

        torch.set_num_threads(threads)

    cfg = load_config(config, model_path=model)
    from snellen.hf_runtime import quiet_transformers
    from snellen.train.config import advice

    quiet_transformers()

    for line in advice(cfg):
        typer.echo(f"warning: {line}", err=True)
    if dry_run:
        _dry_run(cfg, out)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from snellen.train.runner import run

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[stats]}"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, transient=False) as bar:
        tasks: dict[str, int] = {}

        def progress(rec: dict) -> None:
            name = rec["stage"]
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=rec.get("max_steps") or None, stats="")
            stats = []
            for key, label in (("reward", "reward"), ("rewards/accuracy/mean", "acc"), ("loss", "loss"),
                               ("zero_signal_share", "zero-signal"), ("image_dependence", "img-dep")):
                if rec.get(key) is not None:
                    stats.append(f"{label} {rec[key]:.3g}")
            if stats:
                bar.update(tasks[name], stats=" ".join(stats))
            bar.update(tasks[name], completed=rec.get("step", 0))

        final = run(cfg, out, resume=resume, progress=progress, data_workers=data_workers)
    if int(os.environ.get("RANK", "0")) == 0:  # one line, not one per process under `accelerate launch`
        typer.echo(f"trained model: {final}  (examine it: snellen exam --model hf:{final})")
