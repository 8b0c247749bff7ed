"""`snellen eval`: evaluate one model on a suite or dataset into a run directory (resumable).

Exit status: 0 when every request of the run is answered (or unsupported); 1 when some requests ended in
errors (they are stored as errors, never scored; re-run the same command to retry them); 2 for bad input;
3 when --max-cost stopped sending (everything done is kept; re-run with a higher budget to continue);
130 on Ctrl-C (everything answered is kept; the summary says what was saved; re-run to resume).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from snellen.cli.app import app
from snellen.schema import SnellenError

EXIT_ERRORS = 1
EXIT_BUDGET = 3
EXIT_INTERRUPTED = 130

# Options of `snellen eval` that the commands built on it (`snellen finegrained`) share: one definition each.
OUT = typer.Option(..., "--out", "-o", help="Run directory (created; re-running the same command resumes).")
PROMPT = typer.Option("json", "--prompt", help="Prompt variant: json or free.")
TEMPERATURE = typer.Option(0.0, "--temperature")
MAX_TOKENS = typer.Option(None, "--max-tokens", min=1)
SYSTEM_PROMPT = typer.Option(None, "--system-prompt")
CONCURRENCY = typer.Option(None, "--concurrency", min=1, help="Requests in flight (async backends).")
BATCH_SIZE = typer.Option(None, "--batch-size", min=1, help="Requests per batch (sync backends).")
OPTION = typer.Option(None, "--option", help="Backend option key=value (repeatable).")
DRY_RUN = typer.Option(False, "--dry-run", help="Show what would be sent, tokens and cost; send nothing.")
MAX_COST = typer.Option(None, "--max-cost", min=0.0, help="Stop before spending more than this (USD).")


def parse_options(pairs: list[str] | None) -> dict[str, Any]:
    """`key=value` pairs -> dict; values that read as JSON scalars (numbers, true/false) become them."""
    out: dict[str, Any] = {}
    for pair in pairs or []:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip():
            raise SnellenError(f"--option expects key=value, got {pair!r}")
        try:
            parsed = json.loads(value)
            out[key.strip()] = parsed if isinstance(parsed, (int, float, bool)) else value
        except json.JSONDecodeError:
            out[key.strip()] = value
    return out


def backend_options(option: list[str] | None, concurrency: int | None, batch_size: int | None) -> dict[str, Any]:
    """--option pairs plus --concurrency / --batch-size where given."""
    options = parse_options(option)
    if concurrency is not None:
        options["concurrency"] = concurrency
    if batch_size is not None:
        options["batch_size"] = batch_size
    return options


def parse_list(text: str | None, name: str, cast=str) -> list | None:
    if text is None:
        return None
    try:
        items = [cast(x.strip()) for x in text.split(",") if x.strip()]
    except ValueError:
        raise SnellenError(f"{name} expects a comma-separated list, got {text!r}") from None
    if not items:
        raise SnellenError(f"{name} is empty")
    return items


def generation_settings(prompt: str, temperature: float, max_tokens: int | None, top_p: float | None,
                        seed: int | None, system_prompt: str | None):
    from pydantic import ValidationError

    from snellen.models.base import GenerationSettings

    values = {"prompt_variant": prompt, "temperature": temperature, "top_p": top_p, "seed": seed,
              "system_prompt": system_prompt}
    if max_tokens is not None:
        values["max_tokens"] = max_tokens
    try:
        return GenerationSettings(**values)
    except ValidationError as err:
        first = err.errors()[0]
        raise SnellenError(f"invalid setting {'.'.join(map(str, first['loc']))}: {first['msg']}") from None


def adaptive_planner(suite, ci_width: float | None, max_trials: int, min_px: int | None, max_px: int | None):
    """The adaptive search over a loaded suite; the scale range defaults to the suite's grid."""
    from pydantic import ValidationError

    from snellen.analysis.adaptive import AdaptiveSpec
    from snellen.plan.adaptive import AdaptivePlanner

    scales = sorted({int(c["scale"]) for t in suite.tasks for c in t.cells()})
    values = {"ci_width": ci_width, "max_trials": max_trials, "min_px": min_px or scales[0], "max_px": max_px or scales[-1],
              "min_trials": min(10, max_trials)}
    try:
        spec = AdaptiveSpec(**values)
    except ValidationError as err:
        first = err.errors()[0]
        raise SnellenError(f"adaptive search: {'.'.join(map(str, first['loc'])) or 'settings'}: {first['msg']}") from None
    return AdaptivePlanner(suite, spec)


def print_summary(summary, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    t = Table(title=f"{'dry run: ' if summary.dry_run else ''}{summary.run}", show_header=False, box=None)
    t.add_row("samples", str(summary.samples))
    t.add_row("requests (sample x repeat)", str(summary.planned))
    t.add_row("already in the store (resumed)", str(summary.skipped))
    if summary.cached:
        t.add_row("  of which identical questions of other samples", str(summary.cached))
    if summary.dry_run:
        t.add_row("requests to send", str(summary.sent))
        t.add_row("estimated tokens in / out", f"{summary.input_tokens:,} / {summary.output_tokens:,}")
        t.add_row("estimated cost", "unknown (no pricing)" if summary.estimated_cost_usd is None else f"${summary.estimated_cost_usd:.4f}")
    else:
        t.add_row("sent", str(summary.sent))
        t.add_row("answered", str(summary.answered))
        errs = ", ".join(f"{k} {v}" for k, v in sorted(summary.errors.items())) or "0"
        t.add_row("errors (not scored; retried on re-run)", errs)
        if summary.cancelled:
            t.add_row("cancelled in flight (not stored; sent again on re-run)", str(summary.cancelled))
        t.add_row("tokens in / out", f"{summary.input_tokens:,} / {summary.output_tokens:,}")
        if summary.cost_usd is not None:
            t.add_row("cost", f"${summary.cost_usd:.4f}")
        t.add_row("wall time", f"{summary.wall_s:.1f} s")
    t.add_row("unsupported (not asked, not scored)", str(summary.unsupported))
    if summary.stopped_by_budget:
        t.add_row("[bold red]stopped by --max-cost[/]", f"{summary.not_sent} requests not sent; re-run with a higher budget to continue")
    if summary.store_counts:
        t.add_row("run store now", ", ".join(f"{k} {v}" for k, v in sorted(summary.store_counts.items())))
    console.print(t)
    if summary.interrupted:
        saved = summary.store_counts.get("ok", 0)
        console.print(f"[bold]interrupted[/]: {saved} answers are saved in {summary.run}; "
                      "re-run the same command to resume", soft_wrap=True)


def run_eval(console=None, **kwargs):
    """evaluate(**kwargs), printing the summary; on Ctrl-C prints what was saved and exits 130."""
    from snellen.run import Interrupted, evaluate

    try:
        summary = evaluate(**kwargs)
    except Interrupted as stop:
        print_summary(stop.summary, console)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    print_summary(summary, console)
    return summary


def exit_status(summary) -> int:
    if summary.stopped_by_budget:
        return EXIT_BUDGET
    if not summary.dry_run and summary.store_counts.get("error", 0):
        return EXIT_ERRORS
    return 0


def exit_for(summary) -> None:
    """End the command with the run's exit status (returns when it is 0)."""
    code = exit_status(summary)
    if code:
        raise typer.Exit(code)


@app.command("eval")
def eval_command(
    model: str = typer.Option(..., "--model", "-m", help="Backend spec, e.g. ocr:rapidocr, openai:gpt-4o, random, oracle."),
    suite: str | None = typer.Option(None, "--suite", help="Built-in suite name or a suite YAML/TOML file."),
    data: Path | None = typer.Option(None, "--data", help="A sample folder (snellen generate) or FineSightBench dataset."),
    out: Path = OUT,
    tasks: str | None = typer.Option(None, "--tasks", help="Comma-separated task names to keep."),
    scales: str | None = typer.Option(None, "--scales", help="Comma-separated scales (px) to keep."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many samples."),
    per_cell: int | None = typer.Option(None, "--per-cell", min=1, help="Samples per (task, cell)."),
    prompt: str = PROMPT,
    repeats: int = typer.Option(1, "--repeats", min=1, help="Answers per sample (for temperature > 0)."),
    temperature: float = TEMPERATURE,
    max_tokens: int | None = MAX_TOKENS,
    top_p: float | None = typer.Option(None, "--top-p"),
    seed: int | None = typer.Option(None, "--seed", help="Generation seed passed to the backend."),
    system_prompt: str | None = SYSTEM_PROMPT,
    concurrency: int | None = CONCURRENCY,
    batch_size: int | None = BATCH_SIZE,
    option: list[str] = OPTION,
    executor: str = typer.Option("local", "--executor", help="local or ray."),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Ray workers."),
    dry_run: bool = DRY_RUN,
    max_cost: float | None = MAX_COST,
    adaptive: bool = typer.Option(False, "--adaptive", help="Search each task's threshold adaptively (psi-marginal) instead of the grid."),
    ci_width: float = typer.Option(0.4, "--ci-width", min=0.01, help="Adaptive: stop a task when its 95% interval spans <= this many log px."),
    max_trials: int = typer.Option(60, "--max-trials", min=2, help="Adaptive: query budget per task."),
    min_px: int | None = typer.Option(None, "--min-px", min=1, help="Adaptive: smallest scale to draw (default: the suite's)."),
    max_px: int | None = typer.Option(None, "--max-px", min=2, help="Adaptive: largest scale to draw (default: the suite's)."),
    scoring: str | None = typer.Option(None, "--scoring", help="Default scoring of this run's report and leaderboard: "
                                       "snellen or finesight (FineSightBench's published metric). Default: unchanged, else snellen."),
) -> None:
    """Evaluate a model; responses go to OUT/store.sqlite, keyed by content, so re-running resumes."""
    from snellen.run import select_dataset, select_suite

    if (suite is None) == (data is None):
        raise SnellenError("give exactly one of --suite or --data")
    from snellen.cli.report import check_scoring

    check_scoring(scoring)
    options = backend_options(option, concurrency, batch_size)
    settings = generation_settings(prompt, temperature, max_tokens, top_p, seed, system_prompt)
    task_list = parse_list(tasks, "--tasks")
    scale_list = parse_list(scales, "--scales", int)
    if adaptive and (data is not None or scale_list or limit or per_cell):
        raise SnellenError("--adaptive draws its own scales from a suite: it takes --suite, not --data/--scales/--limit/--per-cell")
    if suite is not None and adaptive:
        from snellen.probes.suite import load_suite

        selection = adaptive_planner(load_suite(suite, only=task_list), ci_width, max_trials, min_px, max_px)
    elif suite is not None:
        from snellen.probes.suite import load_suite

        selection = select_suite(load_suite(suite, per_cell=per_cell, only=task_list), scales=scale_list, limit=limit)
    else:
        selection = select_dataset(data, tasks=task_list, scales=scale_list, limit=limit, per_cell=per_cell)
    summary = run_eval(
        model=model, selection=selection, out=out, settings=settings, options=options, repeats=repeats,
        batch_size=batch_size, executor=executor, workers=workers, dry_run=dry_run, max_cost=max_cost,
        argv=["snellen", *sys.argv[1:]], scoring=scoring,
    )
    exit_for(summary)
