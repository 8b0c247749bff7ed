"""`snellen export RUN --out responses.jsonl`: one JSON line per (sample, repeat) of a run."""

from __future__ import annotations

from pathlib import Path

import typer

from snellen.cli.app import app


@app.command("export")
def export_command(
    run: Path = typer.Argument(..., help="Run directory written by `snellen eval`."),
    out: Path = typer.Option(..., "--out", "-o", help="JSONL file to write."),
) -> None:
    """Export a run's samples (without images) and stored responses as JSON lines."""
    from snellen.store import open_run

    with open_run(run) as r:
        n = r.export_jsonl(out)
    typer.echo(f"{n} records -> {out}")
