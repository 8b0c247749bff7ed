"""`snellen exam`: generate the default suite, evaluate a model, print accuracy by task and scale, write the report.

Defaults: model `ocr:rapidocr` (local, free) on the `acuity` suite with --per-cell 10. rapidocr answers
the five text tasks (letter, digit, word, text_order, letter_count: 81 cells, 810 images at 10 per cell);
at its 50-150 ms per image on 2 CPU cores that is 1-3 minutes (measured on a shared, loaded 2-core
machine: 0.23 s per image, 1620 images at --per-cell 20 in 7.8 min, so about 4 min at 10). Each cell's
Wilson 95% interval is then about +-0.3 wide; the threshold fit pools all scales. Use a larger
--per-cell for publishable numbers. Re-running the same exam resumes from its run directory.
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path

import typer

from snellen.cli.app import app
from snellen.cli.eval import exit_for, generation_settings, parse_options, run_eval

DEFAULT_MODEL = "ocr:rapidocr"
DEFAULT_SUITE = "acuity"
FALLBACK_SUITE = "quick"  # used (and said so) while the acuity suite file is not packaged
DEFAULT_PER_CELL = 10


def resolve_suite(name: str) -> str:
    """The default suite if it is packaged, else the fallback; any other name is returned unchanged."""
    if name != DEFAULT_SUITE:
        return name
    if resources.files("snellen.probes.suites").joinpath(f"{DEFAULT_SUITE}.yaml").is_file():
        return name
    typer.echo(f"note: suite {DEFAULT_SUITE!r} is not packaged in this version; using {FALLBACK_SUITE!r}", err=True)
    return FALLBACK_SUITE


def accuracy_table(df, title: str):
    """Rich table: one row per task, one column per scale: % correct over its Wilson 95% interval."""
    import numpy as np
    from rich import box
    from rich.table import Table

    from snellen.analysis.frame import scored
    from snellen.analysis.intervals import wilson

    s = scored(df)
    scales = sorted(df["scale"].unique())
    table = Table(title=title, caption="% correct over its Wilson 95% CI; n: scored trials per scale", box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column("task", no_wrap=True)
    table.add_column("chance", justify="right", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    for sc in scales:
        table.add_column(f"{sc:g}px", justify="right", overflow="fold")
    table.add_column("not scored", justify="right")
    for task, g in df.groupby("task", sort=True):
        gs = s[s["task"] == task]
        cells, ns = [], []
        for sc in scales:
            c = gs[gs["scale"] == sc]
            n, k = len(c), int(c["strict"].astype(bool).sum())
            ns.append(n)
            if n == 0:
                cells.append("-")
                continue
            lo, hi = wilson(k, n)
            cells.append(f"{100 * k / n:.0f}%\n{100 * float(lo):.0f}-{100 * float(hi):.0f}")
        n_text = f"{min(ns)}" if min(ns) == max(ns) else f"{min(ns)}-{max(ns)}"
        why = ", ".join(f"{o} {int((g['outcome'] == o).sum())}" for o in ("error", "unsupported") if (g["outcome"] == o).any())
        table.add_row(str(task), f"{100 * float(np.nanmean(g['chance'])):.2g}%", n_text, *cells, why or "0")
    return table


def adaptive_table(df, out: Path, title: str):
    """Rich table: per task, trials, why the search stopped, and the threshold re-fitted from all its trials."""
    import numpy as np
    from rich import box
    from rich.table import Table

    from snellen.analysis.acuity import thresholds
    from snellen.store import open_run

    with open_run(out) as run:
        state = (run.manifest.get("adaptive") or {}).get("tasks", {})
    th = thresholds(df, np.random.default_rng(0)) if len(df) else None
    table = Table(title=title, caption="threshold: the analysis fit over every trial (same as the grid's), 95% interval",
                  box=box.SIMPLE_HEAD, padding=(0, 1))
    for col in ("task", "trials", "correct", "stopped", "threshold"):
        table.add_column(col, justify="left" if col in ("task", "stopped", "threshold") else "right")
    for task, st in sorted(state.items()):
        g = df[df["task"] == task] if len(df) else df
        row = th[th["task"] == task] if th is not None and len(th) else None
        text = row.iloc[0]["nominal_threshold_text"] if row is not None and len(row) else "n/a"
        correct = int(g["strict"].astype(bool).sum()) if len(g) else 0
        table.add_row(task, str(st.get("trials", 0)), str(correct), str(st.get("stopped")), text)
    return table


@app.command("exam")
def exam_command(
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Backend spec."),
    suite: str = typer.Option(DEFAULT_SUITE, "--suite", help="Built-in suite name or suite file."),
    per_cell: int = typer.Option(DEFAULT_PER_CELL, "--per-cell", min=1, help="Samples per (task, scale) cell."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Run directory (default runs/exam-<model>-<suite>)."),
    option: list[str] = typer.Option(None, "--option", help="Backend option key=value (repeatable)."),
    report: bool = typer.Option(True, "--report/--no-report", help="Write OUT/report.html."),
    adaptive: bool = typer.Option(False, "--adaptive", help="Search each task's threshold adaptively (psi-marginal) instead of the grid."),
    ci_width: float = typer.Option(0.4, "--ci-width", min=0.01, help="Adaptive: stop a task when its 95% interval spans <= this many log px."),
    max_trials: int = typer.Option(60, "--max-trials", min=2, help="Adaptive: query budget per task."),
    max_tokens: int | None = typer.Option(None, "--max-tokens", min=1, help="Most tokens the model may generate per answer (default 1024); recorded in the run manifest."),
) -> None:
    """The eye exam: evaluate MODEL on the default suite and report accuracy by task and scale."""
    from rich.console import Console

    from snellen.probes.suite import load_suite
    from snellen.run import select_suite
    from snellen.store import open_run

    from snellen.models.base import load_backend
    from snellen.schema import SnellenError

    suite = resolve_suite(suite)
    options = parse_options(option)
    settings = generation_settings("json", 0.0, max_tokens, None, None, None)
    backend = load_backend(model, options)
    loaded = load_suite(suite, per_cell=per_cell)
    if backend.families is not None:
        # Tasks the model cannot answer at all are left out of the exam rather than rendered only to be
        # recorded unsupported (`snellen eval` keeps them, as coverage).
        keep = [e.name for e in loaded.entries if e.family in backend.families]
        if not keep:
            raise SnellenError(f"{model} answers none of the tasks of suite {loaded.name} (it answers {', '.join(sorted(backend.families))})")
        dropped = [e.name for e in loaded.entries if e.name not in keep]
        if dropped:
            typer.echo(f"note: {model} answers only {', '.join(sorted(backend.families))}; leaving out {', '.join(dropped)}", err=True)
            loaded = load_suite(suite, per_cell=per_cell, only=keep)
    if out is None:
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{model}-{loaded.name}{'-adaptive' if adaptive else ''}").strip("-")
        out = Path("runs") / f"exam-{slug}"
    from snellen.cli.eval import adaptive_planner

    selection = adaptive_planner(loaded, ci_width, max_trials, None, None) if adaptive else select_suite(loaded)
    console = Console()
    if not console.is_terminal:  # piped or redirected: do not squeeze the table into 80 columns
        console = Console(width=160)
    try:
        summary = run_eval(console, model=backend, selection=selection, out=out, options=options, settings=settings,
                           argv=["snellen", *sys.argv[1:]])
    finally:
        backend.close()

    from snellen.scoring import score_run

    with open_run(out) as run:
        df = score_run(run)
    if adaptive:
        console.print(adaptive_table(df, out, f"{model} on {loaded.name} (adaptive)"))
    else:
        console.print(accuracy_table(df, f"{model} on {loaded.name}"))
    if report:
        from snellen.report import write_report

        path = write_report([out], out / "report.html")
        console.print(f"report: {path}")
    exit_for(summary)
