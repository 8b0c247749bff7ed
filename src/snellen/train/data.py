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
    """An endless, deterministic stream of TRL rows for one stage's data spec."""

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

    def samples(self, start: int = 0) -> Iterator[Sample]:
        """Train-split samples in curriculum order; `start` skips ahead deterministically (resume)."""
        rng = np.random.default_rng([self.spec.seed, 7])
        counters: dict[tuple, int] = defaultdict(int)
        tasks = sorted(self.cells)
        self.drawn = 0
        while True:
            task = tasks[int(rng.integers(len(tasks)))]
            allowed = set(self.difficulty.allowed(task, self.drawn))
            options = [c for c in self.cells[task] if dict(c[1])["scale"] in allowed]
            ti, cell = options[int(rng.integers(len(options)))]
            index = counters[(ti, cell)]
            counters[(ti, cell)] += 1
            self.drawn += 1
            if self.drawn <= start:
                continue
            yield ensure_train(self.suite.make(WorkItem(ti, cell, index), "train"))

    def rows(self, start: int = 0) -> Iterator[dict[str, Any]]:
        previous: Sample | None = None
        for sample in self.samples(start):
            yield self.row(sample, previous)
            previous = sample

    def row(self, sample: Sample, previous: Sample | None = None) -> dict[str, Any]:
        from PIL import Image

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
        row = {"prompt": [{"role": "user", "content": prompt}],
               "completion": [{"role": "assistant", "content": completion}], **meta}
        if kind != "text_reasoning":
            row["image"] = Image.fromarray(sample.pixels()).convert("RGB")
        return row


def trl_dataset(stream: ProbeStream, start: int = 0):
    """A `datasets.IterableDataset` over the stream (generated on the fly; nothing cached on disk)."""
    from datasets import IterableDataset

    def gen():
        yield from stream.rows(start)

    return IterableDataset.from_generator(gen)
