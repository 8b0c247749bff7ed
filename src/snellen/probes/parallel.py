"""Parallel generation: a fixed sharding of `suite.work()` over processes, drawing and PNG encoding in workers.

The work list is cut into fixed chunks by position; workers return encoded rows chunk by chunk and the
caller receives them in work order, so the output is byte-identical for any number of workers.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from snellen.probes.writer import Row, sample_row, write_png_file
from snellen.schema import SnellenError, Split

if TYPE_CHECKING:
    from snellen.probes.suite import Suite, WorkItem

DEFAULT_CHUNK = 64


def make_row(suite: Suite, item: WorkItem, split: Split) -> Row:
    """Draw and encode one work item; generation errors name the task and cell."""
    try:
        sample = suite.make(item, split)
    except SnellenError as exc:
        name = suite.entries[item.task_index].name
        raise SnellenError(f"task '{name}' cell {dict(item.cell)} sample {item.index}: {exc}") from None
    return sample_row(sample)


def _rows(suite: Suite, items: list[WorkItem], split: Split, png_root: Path | None) -> list[Row]:
    rows = [make_row(suite, item, split) for item in items]
    if png_root is not None:
        for row in rows:
            write_png_file(png_root, row)
    return rows


# Worker state, set once per process by the pool initializer.
_STATE: dict = {}


def _init_worker(suite: Suite, split: Split, png_root: Path | None) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool; workers print no tracebacks
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STATE.update(suite=suite, items=suite.work(), split=split, png_root=png_root)


def _run_chunk(start: int, stop: int) -> list[Row]:
    return _rows(_STATE["suite"], _STATE["items"][start:stop], _STATE["split"], _STATE["png_root"])


def _context():
    # fork starts workers in milliseconds and shares the parent's caches; spawn elsewhere
    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")


def generate_row_batches(
    suite: Suite,
    split: Split = "exam",
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK,
    png_root: Path | None = None,
) -> Iterator[list[Row]]:
    """Yield encoded rows of the whole suite in work order, in batches of at most `chunk_size`.

    With png_root, each worker also writes its PNG files under png_root (see writer.png_relpath).
    """
    if workers < 1:
        raise SnellenError(f"workers must be >= 1, got {workers}")
    if chunk_size < 1:
        raise SnellenError(f"chunk_size must be >= 1, got {chunk_size}")
    items = suite.work()
    bounds = [(i, min(i + chunk_size, len(items))) for i in range(0, len(items), chunk_size)]
    if workers == 1 or len(bounds) <= 1:
        for start, stop in bounds:
            yield _rows(suite, items[start:stop], split, png_root)
        return
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker, initargs=(suite, split, png_root)) as pool:
        pending: deque[Future] = deque()
        todo = iter(bounds)
        try:
            for start, stop in todo:  # keep a bounded window in flight, collect strictly in order
                pending.append(pool.submit(_run_chunk, start, stop))
                if len(pending) >= 4 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # only chunks already running are finished
            raise


def generate_rows(suite: Suite, split: Split = "exam", workers: int = 1, chunk_size: int = DEFAULT_CHUNK) -> Iterator[Row]:
    """Encoded rows one by one, in work order."""
    for batch in generate_row_batches(suite, split, workers, chunk_size):
        yield from batch
