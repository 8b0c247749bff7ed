"""The evaluation loop: samples -> requests -> (skip what the store already holds) -> executor -> store.

Each (sample, repeat) becomes one request under its content key (store.response_key). Keys already
answered or recorded unsupported are skipped, so re-running a command resumes it; errors are retried.
Samples the backend does not support are stored `unsupported` without a call. Executors turn batches of
requests into responses (`map_batches`, docs/interfaces.md); the runner writes each completed batch in
one transaction before it asks for the next, so a kill loses at most the batches in flight.

A backend exception inside a batch becomes an `ErrorInfo("backend_error", ...)` for that batch's
requests: stored as errors, never scored, retried on the next run.

`--max-cost USD`: before each batch is handed to the executor the runner adds its estimated cost
(backend.estimate_tokens x backend.pricing) to what was spent (actual tokens where the response reports
them) and what is in flight; if that would exceed the budget, it stops sending, keeps everything done,
and the summary says how many requests were not sent (the CLI then exits with status 3).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import platform
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from snellen.models.base import Backend, ErrorInfo, GenerationSettings, Request, Response, load_backend
from snellen.plan import GridPlanner, Planner
from snellen.schema import Sample, SnellenError
from snellen.store import Redactor, Row, Run, canonical, config_hash, create_run, pixel_hash, response_key

# ---------------------------------------------------------------------------------------------------------
# executors


class Executor(Protocol):
    def map_batches(self, spec: str, options: dict[str, Any], batches: Iterable[list[Request]]) -> Iterator[tuple[int, list[Response]]]:
        """Answer batches (iterated in the calling thread, lazily); yield (batch index, responses) as they complete.

        An empty batch is a WAIT marker, not a batch: the planner has nothing to propose until an outcome comes
        back, so the executor sends nothing more until a batch in flight completes (and does not count it)."""


def numbered(batches: Iterable[list[Request]]) -> Iterator[tuple[int, list[Request]]]:
    """(index, batch) for real batches, (-1, []) for WAIT markers: indices count real batches only."""
    index = 0
    for batch in batches:
        if not batch:
            yield -1, batch
            continue
        yield index, batch
        index += 1


def backend_error(exc: BaseException, n: int) -> list[Response]:
    msg = f"{type(exc).__name__}: {exc}".strip()
    return [Response(text=None, error=ErrorInfo("backend_error", msg[:2000])) for _ in range(n)]


def _checked(responses: Any, n: int) -> list[Response]:
    """A backend's answer to n requests must be n Responses; anything else is an error for the batch."""
    if not isinstance(responses, list) or len(responses) != n or not all(isinstance(r, Response) for r in responses):
        got = f"{len(responses)} items" if isinstance(responses, list) else type(responses).__name__
        return backend_error(RuntimeError(f"backend returned {got} for {n} requests"), n)
    return responses


class LocalExecutor:
    """Runs batches in this process: sync backends one batch at a time, async backends concurrently
    on an event loop in a helper thread with at most `max_concurrency` requests in flight."""

    def __init__(self, backend: Backend | None = None):
        self.backend = backend

    def map_batches(self, spec: str, options: dict[str, Any], batches: Iterable[list[Request]]) -> Iterator[tuple[int, list[Response]]]:
        backend = self.backend or load_backend(spec, options)
        if backend.is_async:
            yield from self._map_async(backend, batches)
            return
        for i, batch in numbered(batches):
            if i < 0:
                continue  # a sync backend answered everything sent: the planner has its outcomes already
            try:
                out = _checked(backend.answer(batch), len(batch))
            except Exception as exc:  # one failing batch must not lose the rest of the run
                out = backend_error(exc, len(batch))
            yield i, out

    def _map_async(self, backend: Backend, batches: Iterable[list[Request]]) -> Iterator[tuple[int, list[Response]]]:
        limit = max(1, int(backend.max_concurrency))
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="snellen-async", daemon=True)
        thread.start()
        sem_future = asyncio.run_coroutine_threadsafe(_make_semaphore(limit), loop)
        sem = sem_future.result()

        async def one(req: Request) -> Response:
            async with sem:
                try:
                    resp = await backend.answer_async(req)
                except Exception as exc:
                    return backend_error(exc, 1)[0]
                return resp if isinstance(resp, Response) else backend_error(RuntimeError(f"backend returned {type(resp).__name__}"), 1)[0]

        async def run_batch(batch: list[Request]) -> list[Response]:
            return list(await asyncio.gather(*(one(r) for r in batch)))

        inflight: dict[concurrent.futures.Future, int] = {}
        it = numbered(batches)
        exhausted = False
        try:
            while True:
                while not exhausted and len(inflight) < limit:
                    try:
                        i, batch = next(it)
                    except StopIteration:
                        exhausted = True
                        break
                    if i < 0:
                        if not inflight:
                            raise SnellenError("planner is waiting for an outcome, but nothing is in flight")
                        break
                    inflight[asyncio.run_coroutine_threadsafe(run_batch(batch), loop)] = i
                if not inflight:
                    break
                done, _ = concurrent.futures.wait(inflight, return_when=concurrent.futures.FIRST_COMPLETED)
                for fut in done:
                    i = inflight.pop(fut)
                    try:
                        out = fut.result()
                    except Exception as exc:
                        out = backend_error(exc, 1)
                    yield i, out
        finally:
            _shutdown_loop(loop, thread, backend)


def _shutdown_loop(loop: asyncio.AbstractEventLoop, thread: threading.Thread, backend: Backend) -> None:
    """Stop the helper loop cleanly: cancel every task still running on it (requests in flight, the SDK's
    own connection tasks) and wait for them, close the backend's clients there, then stop and close the
    loop. Stopping a loop with tasks pending is what prints 'Task was destroyed but it is pending!'."""

    async def cancel_all() -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        aclose = getattr(backend, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(aclose(), 2.0)
        await asyncio.sleep(0)  # let transports finish closing

    if loop.is_running():
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(cancel_all(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)
    if not thread.is_alive() and not loop.is_closed():
        loop.close()


async def _make_semaphore(n: int) -> asyncio.Semaphore:
    return asyncio.Semaphore(n)  # created on the loop that uses it


def make_executor(name: str, backend: Backend, workers: int | None = None) -> Executor:
    if name == "local":
        return LocalExecutor(backend)
    if name == "ray":
        try:
            from snellen.ray_executor import RayExecutor
        except ImportError as exc:
            raise SnellenError(f"--executor ray is unavailable ({exc}); install snellen[ray]") from None
        return RayExecutor(workers=workers)
    raise SnellenError(f"unknown executor {name!r}: use local or ray")


# ---------------------------------------------------------------------------------------------------------
# sample sources


@dataclass
class Selection:
    """Which samples to evaluate and where they come from (for the manifest)."""

    samples: Iterable[Sample]
    total: int | None
    source: dict[str, Any]


def select_suite(suite, scales: list[int] | None = None, limit: int | None = None) -> Selection:
    """A Suite (already restricted to --tasks / --per-cell when loaded) filtered by scale and limit."""
    items = suite.work()
    if scales:
        want = {int(s) for s in scales}
        have = sorted({int(dict(it.cell).get("scale", -1)) for it in items})
        missing = sorted(want - set(have))
        if missing:
            raise SnellenError(f"suite {suite.name} has no scale(s) {missing}; its scales are {have}")
        items = [it for it in items if int(dict(it.cell).get("scale", -1)) in want]
    if limit is not None:
        items = items[:limit]
    source = {"kind": "suite", "name": suite.name, "version": suite.version, "hash": suite.manifest_hash,
              "source": str(suite.source), "tasks": [e.name for e in suite.entries]}
    return Selection(samples=suite.samples(items=items), total=len(items), source=source)


def select_dataset(path: str | Path, tasks: list[str] | None = None, scales: list[int] | None = None,
                   limit: int | None = None, per_cell: int | None = None) -> Selection:
    """A sample folder / FineSightBench dataset opened by snellen.data.open_dataset, filtered."""
    path = Path(path)
    if not path.exists():
        raise SnellenError(f"dataset {path} does not exist")
    try:
        from snellen.data import open_dataset
    except ImportError as exc:
        raise SnellenError(f"cannot open datasets: {exc}") from None
    src = open_dataset(path)
    if tasks:
        known = {s.task for s in _filtered(src, None, None, None, None)}
        unknown = sorted(set(tasks) - known)
        if unknown:
            raise SnellenError(f"dataset {path} has no task(s) {', '.join(unknown)}; it has {', '.join(sorted(known))}")
    filt = lambda: _filtered(src, tasks, scales, limit, per_cell)  # noqa: E731
    total = len(src) if not (tasks or scales or limit or per_cell) else sum(1 for _ in filt())
    if total == 0:
        raise SnellenError(f"dataset {path}: no samples match the selection (tasks {tasks}, scales {scales})")
    source = {"kind": "dataset", "name": getattr(src, "name", path.name), "path": str(path),
              "manifest": getattr(src, "manifest", {}) or {}}
    return Selection(samples=filt(), total=total, source=source)


def _filtered(samples: Iterable[Sample], tasks, scales, limit, per_cell) -> Iterator[Sample]:
    seen: Counter = Counter()
    n = 0
    want_scales = {int(s) for s in scales} if scales else None
    for s in samples:
        if tasks and s.task not in tasks:
            continue
        if want_scales is not None and int(s.scale) not in want_scales:
            continue
        if per_cell is not None:
            cell = (s.task, canonical(s.cell))
            if seen[cell] >= per_cell:
                continue
            seen[cell] += 1
        if limit is not None and n >= limit:
            return
        n += 1
        yield s


# ---------------------------------------------------------------------------------------------------------
# the loop


@dataclass
class EvalSummary:
    run: str
    samples: int = 0
    planned: int = 0  # (sample, repeat) pairs considered
    skipped: int = 0  # already answered/unsupported in the store (including `cached`)
    cached: int = 0  # answered from another sample's identical question
    sent: int = 0
    answered: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    unsupported: int = 0
    not_sent: int = 0  # stopped by --max-cost
    cancelled: int = 0  # sent, but stopped (Ctrl-C, a failure) before an answer was stored: sent = answered + errors + cancelled
    interrupted: bool = False
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None
    estimated_cost_usd: float | None = None
    wall_s: float = 0.0
    stopped_by_budget: bool = False
    dry_run: bool = False
    store_counts: dict[str, int] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during an evaluation, after everything answered was stored: carries the run's summary."""

    def __init__(self, summary: EvalSummary):
        super().__init__(f"interrupted: {summary.answered} answers stored in {summary.run}")
        self.summary = summary


@dataclass
class _Pending:
    key: str
    sample: Sample
    pixels: str
    repeat: int
    est: tuple[int, int] = (0, 0)  # estimated (input, output) tokens


def _cost(pricing: tuple[float, float] | None, tokens_in: float, tokens_out: float) -> float | None:
    if pricing is None:
        return None
    return tokens_in * pricing[0] / 1e6 + tokens_out * pricing[1] / 1e6


def _versions(backend: Backend) -> dict[str, Any]:
    import importlib.metadata

    import numpy
    import PIL

    try:
        snellen_version = importlib.metadata.version("snellen")
    except importlib.metadata.PackageNotFoundError:
        snellen_version = "not installed"
    return {"snellen": snellen_version, "python": sys.version.split()[0], "platform": platform.platform(),
            "pillow": PIL.__version__, "numpy": numpy.__version__}


def evaluate(
    model: str | Backend,
    selection: Selection | Iterable[Sample],
    out: str | Path,
    *,
    settings: GenerationSettings | None = None,
    options: dict[str, Any] | None = None,
    repeats: int = 1,
    batch_size: int | None = None,
    executor: str | Executor = "local",
    workers: int | None = None,
    dry_run: bool = False,
    max_cost: float | None = None,
    progress: bool = True,
    console=None,
    argv: list[str] | None = None,
    scoring: str | None = None,
) -> EvalSummary:
    """Evaluate `model` on the selected samples into run directory `out` (resuming what it holds).

    `scoring` (snellen or finesight) is recorded in the manifest as the run's default for report and
    leaderboard; None keeps what the run already records. Scoring never changes what is stored."""
    started = time.time()
    settings = settings or GenerationSettings()
    if repeats < 1:
        raise SnellenError(f"--repeats must be >= 1, got {repeats}")
    if isinstance(selection, Planner):
        planner = selection
    else:
        if not isinstance(selection, Selection):
            total = len(selection) if hasattr(selection, "__len__") else None
            selection = Selection(samples=selection, total=total, source={"kind": "samples"})
        planner = GridPlanner(selection.samples, selection.total, selection.source)
    if planner.adaptive and repeats != 1:
        raise SnellenError("an adaptive search asks each stimulus once: use --repeats 1")
    options = dict(options or {})
    backend = model if isinstance(model, Backend) else load_backend(model, options)
    try:
        return _open_and_evaluate(backend, planner, out, started, settings=settings, options=options,
                                  repeats=repeats, batch_size=batch_size, executor=executor, workers=workers,
                                  dry_run=dry_run, max_cost=max_cost, progress=progress, console=console, argv=argv,
                                  scoring=scoring)
    finally:
        if not isinstance(model, Backend):
            backend.close()


def _open_and_evaluate(backend: Backend, planner: Planner, out, started: float, *, settings, options, repeats,
                       batch_size, executor, workers, dry_run, max_cost, progress, console, argv,
                       scoring=None) -> EvalSummary:
    # the values of credentials the backend knows (its key, tokens in its URL) are scrubbed from everything
    redact = Redactor(options, secrets=backend.secrets())
    spec = backend.spec
    identity = redact(backend.identity())
    transmission = redact(backend.transmission())
    generation = settings.model_dump(mode="json")
    config = {"backend": backend.prefix, "identity": identity, "generation": generation, "transmission": transmission}
    pricing = backend.pricing()
    if max_cost is not None and pricing is None:
        raise SnellenError(f"--max-cost needs known pricing, and {spec} reports none (drop --max-cost for local models)")
    summary = EvalSummary(run=str(out), dry_run=dry_run)

    out = Path(out)
    run: Run | None
    if dry_run:
        run = Run(out, create=False, redactor=redact) if (out / "store.sqlite").exists() else None
        if run is not None and run.config is not None and canonical(run.config) != canonical(redact(config)):
            try:
                run.bind_config(config)  # raises, naming the difference; nothing is written on this path
            finally:
                run.close()
    else:
        preflight = getattr(backend, "preflight", None)
        if preflight is not None:
            preflight()  # e.g. a missing API key, an unreachable server: one line now, not a store full of errors
        run = create_run(out, redact)
        try:
            run.bind_config(config)
        except BaseException:
            run.close()
            raise
    return _evaluate_into(run, backend, planner, out, summary, started, settings=settings, options=options,
                          redact=redact, identity=identity, transmission=transmission, generation=generation,
                          config=config, pricing=pricing, repeats=repeats, batch_size=batch_size,
                          executor=executor, workers=workers, dry_run=dry_run, max_cost=max_cost,
                          progress=progress, console=console, argv=argv, scoring=scoring)


def _evaluate_into(run: Run | None, backend: Backend, planner: Planner, out: Path, summary: EvalSummary,
                   started: float, *, settings, options, redact, identity, transmission, generation, config, pricing,
                   repeats, batch_size, executor, workers, dry_run, max_cost, progress, console, argv,
                   scoring=None) -> EvalSummary:
    spec = backend.spec
    variant = settings.prompt_variant
    try:
        done = run.done() if run is not None else {}
        stored_pixels = run.sample_hashes() if run is not None else {}
        if not dry_run:
            _record_manifest(run, backend, spec, identity, transmission, generation, options, redact, planner,
                             repeats, executor, batch_size, argv, started, summary=None, scoring=scoring)
    except BaseException:
        if run is not None:
            run.close()
        raise

    if batch_size is None:
        batch_size = 1 if (backend.is_async and executor == "local") else max(1, int(backend.max_concurrency))
    unsupported_rows: list[Row] = []
    copied: list[Row] = []
    pending: dict[int, list[_Pending]] = {}
    state: dict[str, Any] = {"spent": 0.0, "inflight": 0.0, "source_error": None}
    inflight_cost: dict[int, float] = {}

    def estimate(req: Request) -> tuple[int, int]:
        return backend.estimate_tokens(req)  # a failing estimate must not pass as zero cost

    def plan() -> Iterator[tuple[Request, _Pending] | None]:
        for sample in planner.proposals():
            if sample is None:
                flush_unsupported()
                yield None  # the planner waits for an outcome
                continue
            summary.samples += 1
            pix = pixel_hash(sample.pixels())  # raises CorruptImageError (a SnellenError) naming the sample
            if stored_pixels.get(sample.id, pix) != pix:
                raise SnellenError(f"sample {sample.id} has different pixels than the copy stored in {out} "
                                   "(renderer or data changed); use a new --out directory")
            if variant not in sample.prompts:
                raise SnellenError(f"sample {sample.id} ({sample.task}) has no {variant!r} prompt")
            prompt = sample.prompts[variant]
            supported = backend.supports(sample)
            for rep in range(repeats):
                summary.planned += 1
                key = response_key(backend=backend.prefix, identity=identity, generation=generation,
                                   transmission=transmission, pixels=pix, prompt=prompt,
                                   system_prompt=settings.system_prompt, repeat=rep)
                if done.get((sample.id, rep)) == key:
                    summary.skipped += 1
                    bar.advance()
                    if planner.adaptive:  # replay the stored outcome: a resumed search continues identically
                        stored = run.cached(key)
                        planner.feedback(sample, rep, stored.status, stored.text)
                    continue
                hit = run.cached(key) if run is not None else None
                if hit is not None:  # the same question asked for another sample: reuse its answer
                    summary.skipped += 1
                    summary.cached += 1
                    copied.append(_copy_row(hit, sample, pix, rep))
                    bar.advance()
                    planner.feedback(sample, rep, hit.status, hit.text)
                    continue
                if not supported:
                    summary.unsupported += 1
                    unsupported_rows.append(Row(key=key, sample=sample, pixels=pix, repeat=rep, status="unsupported"))
                    bar.advance()
                    planner.feedback(sample, rep, "unsupported", None)
                    continue
                req = Request(sample=sample, prompt=prompt, settings=settings, repeat=rep)
                est = estimate(req) if (pricing is not None or dry_run) else (0, 0)
                yield req, _Pending(key, sample, pix, rep, est)
            flush_unsupported(limit=64)

    def flush_unsupported(limit: int = 0) -> None:
        """Write rows that need no model call (unsupported, cache copies) once more than `limit` wait."""
        for rows in (unsupported_rows, copied):
            if len(rows) > limit:
                if run is not None and not dry_run:
                    run.write(rows)
                rows.clear()

    def batches() -> Iterator[list[Request]]:
        index = 0
        batch: list[tuple[Request, _Pending]] = []

        def emit() -> list[Request] | None:
            """The batch's requests, counted as sent; None (counted as not sent) if it would pass max_cost."""
            nonlocal index
            est_in = sum(p.est[0] for _, p in batch)
            est_out = sum(p.est[1] for _, p in batch)
            est = _cost(pricing, est_in, est_out) or 0.0
            if max_cost is not None and state["spent"] + state["inflight"] + est > max_cost:
                summary.stopped_by_budget = True
                summary.not_sent += len(batch)
                return None
            pending[index] = [p for _, p in batch]
            inflight_cost[index] = est
            state["inflight"] += est
            index += 1
            summary.sent += len(batch)
            return [r for r, _ in batch]

        items = plan()
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except Exception as exc:
                # A bad sample (corrupt image, changed pixels) stops sending; the batches already in flight
                # are still answered and stored before the error is raised (paid answers are never dropped).
                state["source_error"] = exc
                return
            if item is None:  # the planner waits: send what is held, or tell the executor to wait
                if batch and not summary.stopped_by_budget:
                    reqs = emit()
                    batch = []
                    yield reqs if reqs is not None else []
                else:
                    yield []
                continue
            if summary.stopped_by_budget:
                if planner.adaptive:
                    break  # an adaptive plan has no fixed remainder to count
                summary.not_sent += 1
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                reqs = emit()
                if reqs is not None:
                    yield reqs
                batch = []
        if batch and not summary.stopped_by_budget:
            reqs = emit()
            if reqs is not None:
                yield reqs
        elif batch:
            summary.not_sent += len(batch)

    bar = _Progress(progress and not dry_run, planner.total * repeats if planner.total is not None else None, spec, console)
    errors: Counter = Counter()
    failed = False
    try:
        with bar:
            if dry_run:
                est_in = est_out = 0
                if planner.adaptive:
                    raise SnellenError("--dry-run cannot plan an adaptive search: its scales depend on the answers "
                                       "(the budget is at most --max-trials per task)")
                for _, p in plan():
                    summary.sent += 1
                    est_in, est_out = est_in + p.est[0], est_out + p.est[1]
                summary.input_tokens, summary.output_tokens = est_in, est_out
                summary.estimated_cost_usd = _cost(pricing, est_in, est_out)
            else:
                ex = make_executor(executor, backend, workers) if isinstance(executor, str) else executor
                results = ex.map_batches(spec, options, batches())
                try:
                    for index, responses in results:
                        items = pending[index]
                        if len(responses) != len(items):
                            responses = backend_error(RuntimeError(f"executor returned {len(responses)} responses for {len(items)} requests"), len(items))
                        run.write([_row(p, resp) for p, resp in zip(items, responses)])
                        del pending[index]  # stored: from here on these requests are accounted for
                        for p, resp in zip(items, responses):  # outcomes go back to the planner once stored
                            planner.feedback(p.sample, p.repeat, "ok" if resp.ok else "error", resp.text)
                        for resp in responses:
                            if resp.ok:
                                summary.answered += 1
                            else:
                                errors[resp.error.kind] += 1
                            summary.input_tokens += resp.input_tokens or 0
                            summary.output_tokens += resp.output_tokens or 0
                        state["inflight"] -= inflight_cost.pop(index, 0.0)
                        if pricing is not None:
                            t_in = sum(r.input_tokens if r.input_tokens is not None else p.est[0] for p, r in zip(items, responses))
                            t_out = sum(r.output_tokens if r.output_tokens is not None else p.est[1] for p, r in zip(items, responses))
                            state["spent"] += _cost(pricing, t_in, t_out)
                        bar.advance(len(items))
                finally:
                    close = getattr(results, "close", None)
                    if close is not None:
                        close()  # stops the executor: requests still in flight are cancelled, its loop shut down
                flush_unsupported()
                if state["source_error"] is not None:
                    raise state["source_error"]
    except KeyboardInterrupt:
        summary.interrupted = True
    except BaseException:
        failed = True
        raise
    finally:
        summary.cancelled = sum(len(v) for v in pending.values())
        summary.errors = dict(errors)
        summary.wall_s = time.time() - started
        if pricing is not None and not dry_run:
            summary.cost_usd = state["spent"]
        if run is not None:
            try:
                if not dry_run:
                    with contextlib.suppress(Exception):
                        flush_unsupported()  # rows that needed no call, planned before the stop
                summary.store_counts = run.counts()
                if not dry_run:
                    _record_manifest(run, backend, spec, identity, transmission, generation, options, redact,
                                     planner, repeats, executor, batch_size, argv, started, summary=summary,
                                     scoring=scoring)
            except Exception:
                if not failed:  # a second failure while already failing must not hide the first cause
                    raise
            finally:
                run.close()
    if summary.interrupted:
        raise Interrupted(summary)
    return summary


def _row(p: _Pending, resp: Response) -> Row:
    return Row(
        key=p.key, sample=p.sample, pixels=p.pixels, repeat=p.repeat, status="ok" if resp.ok else "error",
        text=resp.text if resp.ok else None, error_kind=None if resp.ok else (resp.error.kind or "error"),
        error_message=None if resp.ok else resp.error.message, latency_s=resp.latency_s,
        input_tokens=resp.input_tokens, output_tokens=resp.output_tokens, sent_size=resp.sent_size,
        encoder_size=resp.encoder_size, attempts=resp.attempts, raw=resp.raw,
    )


def _copy_row(hit, sample: Sample, pixels: str, repeat: int) -> Row:
    return Row(
        key=hit.key, sample=sample, pixels=pixels, repeat=repeat, status=hit.status, text=hit.text,
        error_kind=hit.error_kind, error_message=hit.error_message, latency_s=hit.latency_s,
        input_tokens=hit.input_tokens, output_tokens=hit.output_tokens, sent_size=hit.sent_size,
        encoder_size=hit.encoder_size, attempts=0, raw={**hit.raw, "cached_from": hit.sample_id},
    )


def _backend_versions(bmanifest: dict[str, Any]) -> dict[str, Any]:
    """Versions the backend reports: its `versions` dict, else its top-level version-like strings."""
    import re

    if isinstance(bmanifest.get("versions"), dict):
        return bmanifest["versions"]
    return {k: v for k, v in bmanifest.items() if isinstance(v, str) and re.fullmatch(r"v?\d+(\.\d+)+\S*", v)}


def _one_or_mixed(suites: list[dict[str, Any]]) -> dict[str, Any] | None:
    distinct = list({canonical(x): x for x in suites}.values())
    if not distinct:
        return None
    if len(distinct) == 1:
        return distinct[0]
    return {"name": "mixed", "suites": distinct}


def _record_manifest(run: Run, backend: Backend, spec, identity, transmission, generation, options, redact, planner,
                     repeats, executor, batch_size, argv, started, summary: EvalSummary | None,
                     scoring: str | None = None) -> None:
    old = run.manifest
    try:
        bmanifest = redact(backend.manifest() or {})
    except Exception as exc:  # a manifest hook must not lose results; record why it is missing
        bmanifest = {"error": f"{type(exc).__name__}: {exc}"}
    sources = list(old.get("sources", []))
    if planner.source not in sources:
        sources.append(planner.source)
    invocations = list(old.get("invocations", []))
    inv = {"argv": redact.argv(list(argv if argv is not None else sys.argv)), "started": started,
           "executor": executor if isinstance(executor, str) else type(executor).__name__, "batch_size": batch_size}
    if summary is not None:
        inv["finished"] = time.time()
        inv["summary"] = {k: v for k, v in summary.to_dict().items() if k not in ("run",)}
        if invocations and invocations[-1].get("started") == started:
            invocations[-1] = inv
        else:
            invocations.append(inv)
    else:
        invocations.append(inv)
    suites = [s for s in sources if s.get("kind") == "suite"]
    datasets = [s for s in sources if s.get("kind") == "dataset"]
    manifest = {
        "format": "snellen-run", "version": 1,
        "created": old.get("created", started),
        "versions": {**_versions(backend), "backend": _backend_versions(bmanifest)},
        # A run may hold several suites/datasets (added by later invocations): every one is recorded, and
        # `suite` names the one suite only when there is exactly one.
        "suite": _one_or_mixed([{k: s[k] for k in ("name", "version", "hash")} for s in suites]),
        "suites": [{k: s[k] for k in ("name", "version", "hash")} for s in suites],
        "dataset": datasets[0] if len(datasets) == 1 else None,
        "datasets": datasets,
        "sources": sources,
        "model": {"spec": spec, "backend": backend.prefix, "identity": identity,
                  "revision": identity.get("revision", bmanifest.get("revision")), "manifest": bmanifest},
        "processor": bmanifest.get("processor"),
        "settings": generation,
        "transmission": transmission,
        "options": redact(options),
        "repeats": max(int(old.get("repeats", 0)), int(repeats)),
        "config_hash": config_hash({"backend": backend.prefix, "identity": identity, "generation": generation,
                                    "transmission": transmission}),
        "invocations": invocations[-50:],
        "scoring": scoring or old.get("scoring") or "snellen",
    }
    state = planner.state()
    if state:
        manifest["adaptive"] = state
    elif old.get("adaptive"):
        manifest["adaptive"] = old["adaptive"]
    run.write_manifest(manifest)


class _Progress:
    """A rich progress bar with ETA on stderr (or nothing)."""

    def __init__(self, enabled: bool, total: int | None, label: str, console=None):
        self.enabled = enabled
        self.total, self.label, self.console = total, label, console
        self.progress = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self.progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn(), console=self.console or Console(stderr=True), transient=False,
            )
            self.progress.__enter__()
            self.task = self.progress.add_task(self.label, total=self.total)
        return self

    def advance(self, n: int = 1) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, n)

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.__exit__(*exc)
