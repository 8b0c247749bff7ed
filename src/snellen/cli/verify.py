"""`snellen verify DIR`: re-measure every image of a dataset from its pixels and list the defects its loader
recorded in the published labels (data quality, per task); exit 1 on any defect."""

from __future__ import annotations

from pathlib import Path

import typer

from snellen.cli.app import app


@app.command()
def verify(
    path: Path = typer.Argument(..., help="Dataset folder (snellen generate --out, a PNG folder or FineSightBench)."),
    max_lines: int = typer.Option(200, "--max-lines", help="Defect lines to print (all are counted)."),
) -> None:
    """Check a dataset against its own pixels: sizes, overlaps, answers, canvas, ids. Exit 1 on any defect."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from snellen.data import open_dataset
    from snellen.probes.verify import verify_dataset

    total = len(open_dataset(path, checksums=False))
    with Progress(TextColumn("[bold]verify[/]"), BarColumn(), MofNCompleteColumn(), console=Console(stderr=True), transient=True) as bar:
        job = bar.add_task("verify", total=total)
        report = verify_dataset(path, progress=lambda n: bar.advance(job, n))
    for d in report.defects[:max_lines]:
        typer.echo(d.line())
    if len(report.defects) > max_lines:
        typer.echo(f"... and {len(report.defects) - max_lines} more defect(s)")
    for line in report.quality_lines():
        typer.echo(line)
    for line in report.geometric_lines():
        typer.echo(line)
    typer.echo(f"{path}: {report.summary()}")
    if not report.ok:
        raise typer.Exit(1)
