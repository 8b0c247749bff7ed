"""`snellen import lmms-eval|vlmevalkit|inspect PATH --out RUN`: another harness's result files as a snellen run."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from snellen.cli.app import app


@app.command("import")
def import_command(
    harness: str = typer.Argument(..., help="lmms-eval, vlmevalkit or inspect."),
    path: Path = typer.Argument(..., help="Their result file or output folder (lmms-eval samples JSONL, "
                                          "VLMEvalKit prediction xlsx/tsv, inspect .eval/.json log)."),
    out: Path = typer.Option(..., "--out", "-o", help="Run directory to write (then `snellen report RUN`)."),
    suite: str | None = typer.Option(None, "--suite", help="Suite name or file, if not the built-in one the records name."),
) -> None:
    """Import a harness run of an exported snellen task; samples are matched by id, suite hash and pixels."""
    from snellen.interop import harness_module
    from snellen.interop.common import write_run

    result = harness_module(harness).read_results(path)
    s = write_run(result, out, suite=suite, argv=["snellen", *sys.argv[1:]])
    tasks = ", ".join(f"{k} {v}" for k, v in sorted(s.tasks.items()))
    typer.echo(f"imported {s.records} answers of {s.model} ({s.answered} answered, {s.errors} harness errors) "
               f"for suite {s.suite['name']} (hash {s.suite['hash']}) -> {s.run}")
    typer.echo(f"tasks: {tasks}")
