"""`snellen human`: examine a person in the browser on the same probes, into a run of model `human:NAME`.

The page shows one probe at a time at 1 image pixel = 1 device pixel; answers are written to RUN's store as
they are given (re-running the same command continues where the person stopped). Ctrl-C stops the server;
nothing answered is lost. Exit status 0 after a clean stop, 2 for bad input (one line on stderr).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from snellen.cli.app import app
from snellen.cli.eval import parse_list
from snellen.schema import SnellenError

DEFAULT_PER_CELL = 5  # a letter block is then 45 trials: a few minutes for a person


@app.command("human")
def human_command(
    suite: str = typer.Option("acuity", "--suite", help="Built-in suite name or a suite YAML/TOML file."),
    out: Path = typer.Option(..., "--out", "-o", help="Run directory (created; re-running continues where it stopped)."),
    name: str = typer.Option("anonymous", "--name", help="Who is examined: the run's model is human:NAME."),
    tasks: str | None = typer.Option(None, "--tasks", help="Comma-separated task names (one block each, in suite order)."),
    scales: str | None = typer.Option(None, "--scales", help="Comma-separated scales (px) to keep."),
    per_cell: int | None = typer.Option(None, "--per-cell", min=1, help=f"Trials per (task, cell) of the fixed grid (default {DEFAULT_PER_CELL})."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many scored trials in all."),
    seed: int = typer.Option(0, "--seed", help="Seed of the trial order within each block."),
    practice: int = typer.Option(3, "--practice", min=0, help="Practice trials (largest size, not scored) before each block."),
    break_every: int = typer.Option(40, "--break-every", min=0, help="A break screen after this many trials (0: none)."),
    adaptive: bool = typer.Option(False, "--adaptive", help="Search each task's threshold adaptively (psi-marginal, as eval --adaptive) instead of the grid."),
    max_trials: int = typer.Option(40, "--max-trials", min=2, help="Adaptive: trials per task at most."),
    ci_width: float = typer.Option(0.4, "--ci-width", min=0.01, help="Adaptive: stop a task when its 95% interval spans <= this many log px."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default: only this machine)."),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port (0: any free port)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the page in the default browser."),
) -> None:
    """Examine a person: serve the exam page on HOST:PORT and store their answers in OUT as model human:NAME."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise SnellenError(f"snellen human needs the 'human' extra ({exc.name} is missing): pip install 'snellen[human]'") from None
    from snellen.human.server import bind, serve, url_of
    from snellen.human.session import open_session
    from snellen.probes.suite import load_suite

    planner_for = None
    if adaptive:
        if scales or limit or per_cell:
            raise SnellenError("--adaptive draws its own scales: it takes --suite and --tasks, not --scales/--limit/--per-cell")
        from snellen.cli.eval import adaptive_planner

        planner_for = lambda one: adaptive_planner(one, ci_width, max_trials, None, None)  # noqa: E731
    loaded = load_suite(suite, per_cell=per_cell or DEFAULT_PER_CELL, only=parse_list(tasks, "--tasks"))
    if planner_for is not None:
        planner_for(loaded)  # settings checked now (one line on a bad value), before anything is served
    sock = bind(host, port)  # before the run is touched: a taken port leaves nothing behind
    try:
        session = open_session(out, name, loaded, scales=parse_list(scales, "--scales", int), limit=limit, seed=seed,
                               practice=practice, break_every=break_every, argv=["snellen", *sys.argv[1:]],
                               planner_for=planner_for)
    except BaseException:
        sock.close()
        raise
    session.release()
    url = url_of(sock)
    before, planned = session.source.progress(session.done)
    exposed = "" if host in ("127.0.0.1", "localhost", "::1") else f"  [bold red]listening on {host}: other machines can reach it[/]\n"
    from rich.console import Console

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    if adaptive:  # the search replays stored answers lazily: count what the run holds
        before = len(session.done)
    trials = f"at most {planned} trials (adaptive)" if adaptive else f"{planned} trials"
    console.print(f"exam of [bold]{session.observer.spec}[/] on suite {loaded.name}: {trials}, {before} already answered "
                  f"(run {out})\n{exposed}Ctrl-C stops; every answer is saved as it is given.")
    typer.echo(url)  # stdout: the URL alone, so scripts can read it

    def ready(_session) -> None:
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    serve(session, sock, on_ready=ready)
    after, planned = session.source.progress(session.done)
    console.print(f"stopped: {session.answered} answered in this session ({session.practice_answered} practice, not stored); "
                  f"{after} of {planned} in {out}. Report: snellen report {out} --out report.html")
