"""`snellen export-task --suite S --to lmms-eval|vlmevalkit|inspect --out DIR`: a suite as another harness's task."""

from __future__ import annotations

from pathlib import Path

import typer

from snellen.cli.app import app


@app.command("export-task")
def export_task(
    suite: str = typer.Option(..., "--suite", "-s", help="Built-in suite name or a suite YAML/TOML file."),
    to: str = typer.Option(..., "--to", help="Harness: lmms-eval, vlmevalkit or inspect."),
    out: Path = typer.Option(..., "--out", "-o", help="New (or empty) folder to write the task into."),
    tasks: str | None = typer.Option(None, "--tasks", help="Comma-separated task names to keep."),
    scales: str | None = typer.Option(None, "--scales", help="Comma-separated scales (px) to keep."),
    per_cell: int | None = typer.Option(None, "--per-cell", min=1, help="Samples per (task, cell)."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many samples."),
    prompt: str = typer.Option("json", "--prompt", help="Prompt variant: json or free."),
) -> None:
    """Export a suite as a task of lmms-eval, VLMEvalKit or inspect_ai; their runs then score through snellen."""
    from snellen.cli.eval import parse_list
    from snellen.interop import harness_module
    from snellen.interop.common import export_rows, prepare_out
    from snellen.probes.suite import load_suite
    from snellen.run import select_suite

    module = harness_module(to)
    loaded = load_suite(suite, per_cell=per_cell, only=parse_list(tasks, "--tasks"))
    selection = select_suite(loaded, scales=parse_list(scales, "--scales", int), limit=limit)
    rows = export_rows(loaded, selection.samples, prompt)
    folder = prepare_out(out)
    record = module.export(loaded, rows, folder, prompt)
    typer.echo(f"exported {record['samples']} samples of suite {loaded.name} (hash {loaded.manifest_hash}) "
               f"as {to} task {record['task']} -> {folder}")
    typer.echo(f"run it: {record['run']}")
