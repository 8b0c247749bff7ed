"""`snellen report RUN... --out report.html` and `snellen leaderboard RUN... --format md|csv|json`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import typer

from snellen.cli.app import app

SCORING_NAMES = {"snellen": "snellen's reading of the final answer", "finesight": "FineSightBench's published metric"}
SCORING_HELP = ("snellen (reads the final answer however it is phrased) or finesight (FineSightBench's published "
                "metric, exactly); default: the run's `eval --scoring`, else snellen.")


def check_scoring(scoring: str | None) -> str | None:
    from snellen.schema import SnellenError
    from snellen.scoring.outcome import SCORINGS

    if scoring is not None and scoring not in SCORINGS:
        raise SnellenError(f"--scoring must be {' or '.join(SCORINGS)}, not {scoring!r}")
    return scoring


@app.command()
def report(
    runs: list[Path] = typer.Argument(..., help="Run directories written by `snellen eval --out RUN`."),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="HTML file to write."),
    n_boot: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap replicates per paired-difference CI (threshold intervals are Bayesian; 0 leaves them out)."),
    seed: int = typer.Option(0, help="Seed of the bootstrap (the report is deterministic given it)."),
    scoring: str | None = typer.Option(None, "--scoring", help=SCORING_HELP),
) -> None:
    """Write one self-contained HTML report (opens offline) for one or more runs."""
    from snellen.report import write_report

    path = write_report(runs, out, n_boot=n_boot, seed=seed, scoring=check_scoring(scoring))
    typer.echo(str(path))


@app.command()
def leaderboard(
    runs: list[Path] = typer.Argument(..., help="Run directories written by `snellen eval --out RUN`."),
    fmt: str = typer.Option("md", "--format", "-f", help="md, csv or json."),
    n_boot: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap replicates per paired-difference CI (threshold intervals are Bayesian; 0 leaves them out)."),
    seed: int = typer.Option(0, help="Seed of the bootstrap."),
    scoring: str | None = typer.Option(None, "--scoring", help=SCORING_HELP),
    axis: str = typer.Option("nominal", "--axis", help="Size axis of the thresholds: nominal (ink px), effective "
                             "(px the encoder saw) or geometric (px the outline was drawn at)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file (atomically) instead of stdout."),
) -> None:
    """Print the leaderboard of the models in RUNs (one table per render profile, never pooled)."""
    from snellen.analysis import acuity, compare
    from snellen.report.build import load_run_input
    from snellen.schema import SnellenError

    if fmt not in ("md", "csv", "json"):
        raise SnellenError(f"--format must be md, csv or json, not {fmt!r}")
    if axis not in acuity.AXES:
        raise SnellenError(f"--axis must be one of {', '.join(acuity.AXES)}, not {axis!r}")
    inputs = [load_run_input(r, check_scoring(scoring), compare_modes=False) for r in runs]
    scorings = sorted({i.scoring for i in inputs})
    if len(scorings) > 1:
        raise SnellenError(f"runs were evaluated with different --scoring ({', '.join(scorings)}): pass --scoring")
    frames = [i.scores for i in inputs]
    df = pd.concat(frames, ignore_index=True)
    fg = df[df["profile"] == "finegrained"]  # classification runs: accuracy per protocol, not acuity thresholds
    if len(fg):
        from snellen.analysis import finegrained

        df = df[df["profile"] != "finegrained"]
        if len(df) and fmt != "md":
            raise SnellenError("fine-grained and probe runs in one --format csv/json leaderboard: list them separately (md shows both)")
        fg_text = finegrained.board_text(finegrained.accuracy(fg).assign(scoring=scorings[0]), fmt)
        if fmt == "md":  # the VLM beside its baselines on the shared items, where the runs hold both
            from snellen.analysis.finegrained_gap import accuracy_gaps, gap_text
            from snellen.report.build import model_roles

            fg_text += gap_text(accuracy_gaps(fg, model_roles(inputs))[1])
        if not len(df):
            head = f"Scoring: `{scorings[0]}` ({SCORING_NAMES[scorings[0]]}).\n\n" if fmt == "md" else ""
            _emit(head + fg_text, out)
            return
    th = acuity.thresholds(df, np.random.default_rng(seed), by=("profile", "model", "task"), n_boot=n_boot,
                           axes=tuple(dict.fromkeys(acuity.DEFAULT_AXES + (axis,))))
    board = compare.leaderboard(df, th, axis=axis).assign(scoring=scorings[0])
    head = f"Scoring: `{scorings[0]}` ({SCORING_NAMES[scorings[0]]}).\n\n" if fmt == "md" else ""
    from snellen.analysis.data_quality import defect_table

    _emit(head + compare.leaderboard_text(board, fmt, quality=defect_table(df)) + ("\n" + fg_text if len(fg) else ""), out)


def _emit(text: str, out: Path | None) -> None:
    """The leaderboard on stdout, or written atomically to `out` (its path printed)."""
    if out is None:
        typer.echo(text, nl=False)
        return
    from snellen.atomic import atomic_write

    atomic_write(out, text)
    typer.echo(str(out))
