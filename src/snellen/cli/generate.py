"""`snellen generate`: draw a suite and write it as a dataset folder (Parquet shards, optional PNG folder)."""

from __future__ import annotations

from pathlib import Path

import typer

from snellen.cli.app import app
from snellen.schema import SnellenError


def _positive(value: int | None, option: str) -> None:
    if value is not None and value < 1:
        raise SnellenError(f"{option} must be >= 1, got {value}")


def parse_tasks(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise SnellenError(f"--tasks must name at least one task, got {text!r}")
    return names


@app.command()
def generate(
    suite: str = typer.Option(..., "--suite", "-s", help="Built-in suite name (quick, acuity, finesight) or a .yaml/.toml suite file."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write (manifest.json, data/shard-*.parquet)."),
    per_cell: int | None = typer.Option(None, "--per-cell", "-n", help="Samples per (task, cell); default: the suite's own."),
    workers: int = typer.Option(1, "--workers", "-w", help="Worker processes (output is identical for any number)."),
    png: bool = typer.Option(False, "--png", help="Also write images/<task>/<id>.png and samples.jsonl."),
    tasks: str | None = typer.Option(None, "--tasks", "-t", help="Comma-separated task names to keep (default: all)."),
    shard_size: int = typer.Option(1000, "--shard-size", help="Rows per Parquet shard."),
    split: str = typer.Option("exam", "--split", help="exam or train (seeds from disjoint ranges)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace a dataset already in --out."),
) -> None:
    """Generate a suite's probe images with exact pixel scales and write them as a dataset."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from snellen.probes.suite import load_spec, load_suite
    from snellen.probes.writer import write_dataset

    _positive(per_cell, "--per-cell")
    _positive(workers, "--workers")
    _positive(shard_size, "--shard-size")
    if split not in ("exam", "train"):
        raise SnellenError(f"--split must be exam or train, got {split!r}")
    only = parse_tasks(tasks)
    if only:
        spec, source = load_spec(suite)
        known = [t.name for t in spec.tasks]
        unknown = [t for t in only if t not in known]
        if unknown:
            raise SnellenError(f"--tasks: unknown task(s) {', '.join(unknown)}; suite {spec.name!r} has {', '.join(known)}")
    loaded = load_suite(suite, per_cell=per_cell, only=only)
    total = len(loaded)
    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]generate[/] {task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as bar:
        job = bar.add_task(loaded.name, total=total)
        result = write_dataset(
            loaded, out, shard_size=shard_size, png_folder=png, workers=workers, split=split, overwrite=overwrite,
            progress=lambda n: bar.advance(job, n),
        )
    typer.echo(
        f"wrote {result.samples:,} samples in {result.shards} shard(s) to {result.path} "
        f"in {result.seconds:.2f} s ({result.rate:,.0f} samples/s, {workers} worker(s))"
    )
