"""`snellen report RUN... --out report.html` and `snellen leaderboard RUN... --format md|csv|json`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import typer

from snellen.cli.app import app


@app.command()
def report(
    runs: list[Path] = typer.Argument(..., help="Run directories written by `snellen eval --out RUN`."),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="HTML file to write."),
    n_boot: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap replicates per threshold CI."),
    seed: int = typer.Option(0, help="Seed of the bootstrap (the report is deterministic given it)."),
) -> None:
    """Write one self-contained HTML report (opens offline) for one or more runs."""
    from snellen.report import write_report

    path = write_report(runs, out, n_boot=n_boot, seed=seed)
    typer.echo(str(path))


@app.command()
def leaderboard(
    runs: list[Path] = typer.Argument(..., help="Run directories written by `snellen eval --out RUN`."),
    fmt: str = typer.Option("md", "--format", "-f", help="md, csv or json."),
    n_boot: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap replicates per threshold CI."),
    seed: int = typer.Option(0, help="Seed of the bootstrap."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file (atomically) instead of stdout."),
) -> None:
    """Print the leaderboard of the models in RUNs (one table per render profile, never pooled)."""
    from snellen.analysis import acuity, compare
    from snellen.report.build import load_run_input
    from snellen.schema import SnellenError

    if fmt not in ("md", "csv", "json"):
        raise SnellenError(f"--format must be md, csv or json, not {fmt!r}")
    frames = [load_run_input(r).scores for r in runs]
    df = pd.concat(frames, ignore_index=True)
    th = acuity.thresholds(df, np.random.default_rng(seed), by=("profile", "model", "task"), n_boot=n_boot)
    text = compare.leaderboard_text(compare.leaderboard(df, th), fmt)
    if out is None:
        typer.echo(text, nl=False)
    else:
        from snellen.atomic import atomic_write

        atomic_write(out, text)
        typer.echo(str(out))
