"""Training data from the probe generator: TRL-ready conversational rows, streamed, never written to disk.

Rows come only from the generator's `train` split (seeds disjoint from the exam's); a sample with an exam
seed stops the stream with an error. Each row carries the prompt (one user turn, the image first), the
answer as the completion, the image, and the columns the rewards need (answer, fields, task, extra), which
TRL hands to reward functions as keyword arguments.

Which cell (task x scale) comes next is the curriculum's choice: uniform, large_to_small (start at the
largest scale and admit smaller ones as the stage progresses) or targeted (per task, step to a smaller scale
while the measured pass rate is above the band and back to a larger one below it), so GRPO groups keep
carrying signal.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Iterator
from itertools import islice
from typing import Any

import numpy as np

from snellen.probes.suite import Suite, WorkItem, load_suite
from snellen.schema import Sample, SnellenError, split_of_seed
from snellen.train.config import DataSpec

CAPTION_PROMPT = "Describe the image."
TEXT_PREFIX = "You cannot see the image; it is described as follows. {caption}\nQuestion: {question}"
_COLOURS = ("red", "green", "blue", "yellow", "cyan", "magenta", "orange", "purple", "brown", "black", "gray", "white")


def ensure_train(sample: Sample) -> Sample:
    """Refuse any sample that is not from the train split (by its seed, not by its label)."""
    if sample.split != "train" or split_of_seed(sample.seed) != "train":
        raise SnellenError(f"sample {sample.id} has exam seed {sample.seed}: training on exam-split probes is refused")
    return sample


def answer_text(sample: Sample) -> str:
    """The reference completion: the structured answer as the compact JSON the prompt asks for."""
    return json.dumps(sample.answer)


# -- scene descriptions (captions) ---------------------------------------------------------------------

def _where(target, canvas: tuple[int, int]) -> str:
    cx, cy = target.center
    w, h = canvas
    col = "left" if cx < w / 3 else "right" if cx > 2 * w / 3 else "centre"
    row = "top" if cy < h / 3 else "bottom" if cy > 2 * h / 3 else "middle"
    return f"{row} {col} (x={cx:.0f}, y={cy:.0f})"


def _name(t) -> str:
    return t.kind if t.kind == t.identity else f"{t.kind} {t.identity}"


def caption(sample: Sample, quality: str = "exact", rng: np.random.Generator | None = None, noise: float = 0.3,
            other: Sample | None = None) -> str:
    """A scene description at a chosen quality.

    exact: every target with identity, colour, size and position (enough to answer every probe);
    terse: identities only; noisy: each attribute replaced by a wrong one with probability `noise`;
    shuffled: the exact description of another sample (`other`)."""
    if quality == "shuffled":
        if other is None:
            raise SnellenError("a shuffled caption needs another sample to describe")
        return caption(other, "exact")
    targets = sorted(sample.targets, key=lambda t: (t.box[1], t.box[0]))
    if quality == "terse":
        return ", ".join(_name(t) for t in targets) + "."
    rng = rng or np.random.default_rng(sample.seed)
    w, h = sample.canvas
    parts = []
    for t in targets:
        colour, identity, size, where = t.colour, t.identity, t.nominal, _where(t, sample.canvas)
        if quality == "noisy":
            others = [x.identity for x in sample.targets if x.identity != t.identity]
            options = [o for o in (sample.options or []) + others if o != t.identity]
            if options and rng.random() < noise:
                identity = str(rng.choice(options))
            if rng.random() < noise:
                colour = str(rng.choice([c for c in _COLOURS if c != t.colour]))
            if rng.random() < noise:
                size = int(max(2, size * rng.choice([0.5, 2.0])))
            if rng.random() < noise:
                where = _where(type(t)(t.kind, t.identity, t.colour, t.rgb, t.nominal,
                                        (w - t.box[2], h - t.box[3], w - t.box[0], h - t.box[1]), t.support), sample.canvas)
        name = t.kind if t.kind == identity else f"{t.kind} {identity}"
        parts.append(f"a {colour} {name}, {size} px, at the {where}")
    n = len(targets)
    return f"A {w}x{h} {sample.background} image with {n} object{'s' if n != 1 else ''}: " + "; ".join(parts) + "."


# -- curriculum ----------------------------------------------------------------------------------------

class Difficulty:
    """Per task: which scale to draw next, moved by measured pass rates (targeted) or by progress."""

    def __init__(self, scales_by_task: dict[str, list[int]], spec: DataSpec, total: int):
        # Largest first: index 0 is the easiest scale.
        self.scales = {t: sorted(s, reverse=True) for t, s in scales_by_task.items()}
        self.spec = spec
        self.total = max(1, total)
        self.level = {t: 0 for t in self.scales}
        self.recent: dict[str, deque] = {t: deque(maxlen=spec.window) for t in self.scales}
        self.moves = 0

    def allowed(self, task: str, drawn: int) -> list[int]:
        scales = self.scales[task]
        if self.spec.curriculum == "uniform":
            return scales
        if self.spec.curriculum == "large_to_small":
            # Equal shares of the stage: the largest alone, then one more scale per share.
            k = min(len(scales), 1 + int(len(scales) * drawn / self.total))
            return scales[:k]
        return [scales[self.level[task]]]

    def observe(self, task: str, scale: int, passed: float) -> None:
        """A rollout's accuracy (0..1) on `task` at `scale`; moves the task's level when the window is full."""
        if self.spec.curriculum != "targeted" or task not in self.level:
            return
        if scale != self.scales[task][self.level[task]]:
            return  # a rollout drawn before the last move
        window = self.recent[task]
        window.append(float(passed))
        if len(window) < window.maxlen:
            return
        rate = sum(window) / len(window)
        low, high = self.spec.band
        if rate > high and self.level[task] < len(self.scales[task]) - 1:
            self.level[task] += 1
        elif rate < low and self.level[task] > 0:
            self.level[task] -= 1
        else:
            return
        window.clear()
        self.moves += 1

    def pass_rates(self) -> dict[str, float | None]:
        return {t: (sum(w) / len(w) if w else None) for t, w in self.recent.items()}

    def state(self) -> dict[str, Any]:
        return {"level": dict(self.level), "recent": {t: list(w) for t, w in self.recent.items()}, "moves": self.moves}

    def load_state(self, state: dict[str, Any]) -> None:
        self.level.update({t: int(v) for t, v in state.get("level", {}).items() if t in self.level})
        for t, values in state.get("recent", {}).items():
            if t in self.recent:
                self.recent[t].clear()
                self.recent[t].extend(values)
        self.moves = int(state.get("moves", 0))


# -- the stream ----------------------------------------------------------------------------------------

class ProbeStream:
    """An endless, deterministic stream of TRL rows for one stage's data spec.

    Planning (which cell and index comes next: the curriculum) runs in the calling process, where the
    difficulty state lives; rendering (drawing the probe, building the row) can run in background worker
    processes (`rows(workers=N)`), which return rows in plan order, so the stream is identical for any N."""

    def __init__(self, spec: DataSpec, total: int = 1000, suite: Suite | None = None):
        if spec.split != "train":
            raise SnellenError("data.split: training data comes from the train split only")
        self.spec = spec
        self.suite = suite or load_suite(spec.suite)
        kinds = {"perception": {"perception"}, "reasoning": {"reasoning"}}.get(spec.kind, {"perception", "reasoning"})
        names = [e.name for e in self.suite.entries]
        if spec.tasks:
            unknown = sorted(set(spec.tasks) - set(names))
            if unknown:
                raise SnellenError(f"data.tasks: unknown task(s) {', '.join(unknown)}; suite {self.suite.name} has {', '.join(names)}")
        self.cells: dict[str, list[tuple[int, tuple]]] = defaultdict(list)
        for ti, (entry, task) in enumerate(zip(self.suite.entries, self.suite.tasks)):
            if (spec.tasks and entry.name not in spec.tasks) or (not spec.tasks and task.kind not in kinds):
                continue
            for cell in task.cells():
                if spec.scales and cell["scale"] not in spec.scales:
                    continue
                self.cells[entry.name].append((ti, tuple(sorted(cell.items()))))
        self.cells = {t: c for t, c in self.cells.items() if c}
        if not self.cells:
            raise SnellenError(f"data: no {spec.kind} cells in suite {self.suite.name} for tasks={spec.tasks} scales={spec.scales}")
        self.difficulty = Difficulty(
            {t: sorted({dict(c)["scale"] for _, c in cells}) for t, cells in self.cells.items()}, spec, total)
        self.drawn = 0
        self.suite_hash = self.suite.manifest_hash
        _reuse_image_memory()

    def plan(self, start: int = 0) -> Iterator[WorkItem]:
        """The work items in curriculum order; `start` skips ahead deterministically (resume)."""
        rng = np.random.default_rng([self.spec.seed, 7])
        counters: dict[tuple, int] = defaultdict(int)
        tasks = sorted(self.cells)
        scales = {t: [dict(cell)["scale"] for _, cell in cells] for t, cells in self.cells.items()}
        self.drawn = 0
        while True:
            task = tasks[int(rng.integers(len(tasks)))]
            allowed = set(self.difficulty.allowed(task, self.drawn))
            options = [c for c, scale in zip(self.cells[task], scales[task]) if scale in allowed]
            ti, cell = options[int(rng.integers(len(options)))]
            index = counters[(ti, cell)]
            counters[(ti, cell)] += 1
            self.drawn += 1
            if self.drawn <= start:
                continue
            yield WorkItem(ti, cell, index)

    def sample(self, item: WorkItem) -> Sample:
        return ensure_train(self.suite.make(item, "train"))

    def samples(self, start: int = 0) -> Iterator[Sample]:
        """Train-split samples in curriculum order, rendered here, one at a time."""
        for item in self.plan(start):
            yield self.sample(item)

    def rows(self, start: int = 0, workers: int = 0, depth: int = 0) -> Iterator[dict[str, Any]]:
        """TRL rows in curriculum order. workers=0 renders here; workers=N renders in N background processes,
        at most `depth` rows ahead of the consumer (default 8 per worker; the targeted curriculum therefore
        reacts to a reward up to `depth` rows later)."""
        if workers <= 0:
            previous: Sample | None = None
            for sample in self.samples(start):
                yield self.row(sample, previous)
                previous = sample
            return
        yield from _prefetched_rows(self, self.plan(start), workers, depth or 8 * workers)

    def needs_previous(self) -> bool:
        """A shuffled caption describes the previous sample."""
        return self.spec.kind == "captions" and self.spec.caption_quality == "shuffled"

    def row(self, sample: Sample, previous: Sample | None = None) -> dict[str, Any]:
        row = self.text_columns(sample, previous)
        if self.spec.kind != "text_reasoning":
            row["image"] = _image(sample.pixels())
        return row

    def text_columns(self, sample: Sample, previous: Sample | None = None) -> dict[str, Any]:
        """Every column of the row but the image."""
        kind = self.spec.kind
        meta = {
            "task": sample.task, "scale": int(sample.scale), "sample_id": sample.id, "seed": int(sample.seed),
            "answer": json.dumps(sample.answer), "fields": json.dumps([f.to_dict() for f in sample.fields]),
            "extra": json.dumps(sample.extra, default=str),
        }
        if kind == "captions":
            rng = np.random.default_rng([sample.seed % 2**32, 11])
            text = caption(sample, self.spec.caption_quality, rng, self.spec.noise, other=previous or sample)
            prompt, completion = CAPTION_PROMPT, text
        elif kind == "text_reasoning":
            prompt = TEXT_PREFIX.format(caption=caption(sample, "exact"), question=sample.prompts["json"])
            completion = answer_text(sample)
        else:
            prompt, completion = sample.prompts["json"], answer_text(sample)
        return {"prompt": [{"role": "user", "content": prompt}],
                "completion": [{"role": "assistant", "content": completion}], **meta}


def _reuse_image_memory(blocks: int = 64) -> None:
    """Let Pillow keep freed image blocks for reuse (its default keeps none): every row's image is a fresh
    448 px allocation, and faulting its pages in cost more than drawing the probe (measured, busy CPU)."""
    from PIL import Image

    if Image.core.get_blocks_max() < blocks:
        Image.core.set_blocks_max(blocks)


def _image(pixels: np.ndarray):
    from PIL import Image

    image = Image.fromarray(pixels)  # one copy; the generator draws RGB uint8, so no conversion follows
    return image if image.mode == "RGB" else image.convert("RGB")


# -- background rendering ------------------------------------------------------------------------------
# Workers render (probe drawing is most of a row's cost) and write the pixels into a shared-memory ring
# inherited through fork; only the text columns travel through the pipe. Pickling a 448 px PIL image each
# way cost more than rendering it (measured: 1.8 ms + 2.6 ms vs ~1.5 ms).

_WORKER: dict[str, Any] = {}
CHUNK = 4  # rows per task sent to a worker: amortises the inter-process round trip


def _init_worker(spec: DataSpec, suite: Suite, ring, slot_bytes: int, parent: int) -> None:
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the trainer's to handle; it then stops the pool
    _WORKER.update(stream=ProbeStream(spec, suite=suite), ring=ring, slot_bytes=slot_bytes)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A trainer killed with SIGKILL cannot stop its workers; they notice being orphaned and leave."""
    import os
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _render_chunk(items: list[tuple[WorkItem, WorkItem | None]], first_slot: int) -> list[dict[str, Any]]:
    stream: ProbeStream = _WORKER["stream"]
    ring, slot_bytes = _WORKER["ring"], _WORKER["slot_bytes"]
    out = []
    for i, (item, previous) in enumerate(items):
        sample = stream.sample(item)
        other = stream.suite.make(previous, "train") if previous is not None and stream.needs_previous() else None
        row = stream.text_columns(sample, other)
        if stream.spec.kind != "text_reasoning":
            pixels = np.ascontiguousarray(sample.pixels())
            if ring is not None and pixels.nbytes <= slot_bytes:
                offset = (first_slot + i) * slot_bytes
                ring[offset:offset + pixels.nbytes] = pixels.tobytes() if not pixels.flags.c_contiguous else pixels.data
                row["image"] = ("ring", offset, pixels.shape, pixels.dtype.str)
            else:
                row["image"] = pixels  # larger than a slot (or no ring): pickled through the pipe
        out.append(row)
    return out


def _prefetched_rows(stream: ProbeStream, plan: Iterator[WorkItem], workers: int, depth: int) -> Iterator[dict[str, Any]]:
    """Rows rendered by `workers` processes, yielded in plan order, at most ~`depth` rows planned ahead."""
    import mmap
    import multiprocessing as mp
    import os
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    in_flight = max(workers, depth // CHUNK)
    # The first chunk is rendered here: it sizes the ring's slots and warms the glyph caches the workers inherit.
    first_items = list(islice(plan, CHUNK))
    first = [stream.sample(item) for item in first_items]
    before: Sample | None = None
    for sample in first:
        yield stream.row(sample, before)
        before = sample
    previous: WorkItem | None = first_items[-1] if first_items else None
    fork = "fork" in mp.get_all_start_methods()
    slot_bytes = 0 if stream.spec.kind == "text_reasoning" else max(s.pixels().nbytes for s in first)
    # An anonymous shared mapping: inherited by forked workers, never a file, freed with the last process.
    ring = mmap.mmap(-1, slot_bytes * CHUNK * in_flight) if fork and slot_bytes else None
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork" if fork else "spawn"),
                               initializer=_init_worker, initargs=(stream.spec, stream.suite, ring, slot_bytes, os.getpid()))
    pending: deque = deque()
    submitted = 0

    def submit() -> None:
        nonlocal previous, submitted
        chunk = []
        for item in islice(plan, CHUNK):
            chunk.append((item, previous))
            previous = item
        # Slots are reused after `in_flight` chunks: by then this chunk's pixels have been copied out.
        pending.append(pool.submit(_render_chunk, chunk, (submitted % in_flight) * CHUNK))
        submitted += 1

    try:
        for _ in range(in_flight):
            submit()
        while True:
            try:
                rows = pending.popleft().result()
            except BrokenProcessPool:
                raise SnellenError("a training-data worker process died (out of memory or killed); "
                                   "rerun with --data-workers 0 to render in the training process") from None
            for row in rows:
                image = row.get("image")
                if isinstance(image, tuple):
                    _, offset, shape, dtype = image
                    count = int(np.prod(shape))
                    image = np.frombuffer(ring, dtype=dtype, count=count, offset=offset).reshape(shape)
                if image is not None:
                    row["image"] = _image(image)  # a copy: the slot may be overwritten from here on
            submit()
            yield from rows
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def trl_dataset(stream: ProbeStream, start: int = 0, workers: int = 0):
    """A `datasets.IterableDataset` over the stream (generated on the fly; nothing cached on disk)."""
    from datasets import IterableDataset

    def gen():
        yield from stream.rows(start, workers=workers)

    return IterableDataset.from_generator(gen)
