"""Which probe a person sees next: blocks per task, the fixed grid within a block, practice before it.

The app asks a `TrialSource` for the next trial and tells it each scored answer. `GridSource` is the
fixed grid: every (cell, index) of the suite's task, shuffled once per block with a seed (scales
interleaved, so fatigue and learning do not line up with size), each shown once. `AdaptiveSource` runs
snellen's adaptive search (plan/adaptive.py, the planner `snellen eval --adaptive` uses) one task after
the other: each next scale depends on the answers so far. Nothing else in the app changes between them.

Resuming is the store's: a trial whose (sample id, repeat) is answered in the run is never shown again,
and the order is a pure function of the suite and the seed, so a returning person continues where they
stopped. Practice trials are drawn from the train seed range (never an exam image) at the task's largest
scales, are not stored and not scored.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from snellen.probes.suite import Suite, WorkItem
from snellen.schema import Sample, SnellenError, sample_id

Done = Container[tuple[str, int]]


@dataclass
class Trial:
    sample: Sample
    block: str  # the suite task this trial belongs to
    practice: bool
    position: int  # 1-based position in its block (practice trials count separately)
    block_size: int
    repeat: int = 0


class TrialSource(Protocol):
    """Chooses scored trials. The fixed grid ignores outcomes; an adaptive search uses them."""

    mode: str

    def next_trial(self, done: Done) -> Trial | None:
        """The next scored trial not in `done` ((sample id, repeat) pairs already stored), or None when finished."""

    def observe(self, trial: Trial, text: str, correct: bool) -> None:
        """A scored trial's stored answer text and whether it was right, in the order answered."""

    def progress(self, done: Done) -> tuple[int, int]:
        """(answered, planned) scored trials."""

    def describe(self) -> dict[str, Any]:
        """What the manifest records about the procedure."""


def _block_rng(seed: int, task: str) -> np.random.Generator:
    h = hashlib.sha256(f"snellen-human|{seed}|{task}".encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "big"))


@dataclass
class _Item:
    item: WorkItem
    id: str


class GridSource:
    """Every work item of the selected tasks once, block by block, in a seeded shuffled order."""

    mode = "grid"

    def __init__(self, suite: Suite, scales: list[int] | None = None, seed: int = 0, limit: int | None = None):
        self.suite = suite
        self.seed = int(seed)
        items = suite.work()
        if scales:
            have = sorted({int(dict(it.cell).get("scale", -1)) for it in items})
            missing = sorted({int(s) for s in scales} - set(have))
            if missing:
                raise SnellenError(f"suite {suite.name} has no scale(s) {missing}; its scales are {have}")
            items = [it for it in items if int(dict(it.cell).get("scale", -1)) in set(scales)]
        self.blocks: list[tuple[str, list[_Item]]] = []
        for ti, entry in enumerate(suite.entries):
            mine = [it for it in items if it.task_index == ti]
            if not mine:
                continue
            order = _block_rng(self.seed, entry.name).permutation(len(mine))
            self.blocks.append((entry.name, [_Item(mine[i], self._id(mine[i])) for i in order]))
        if limit is not None:  # keep the first `limit` trials of the whole sequence (a short session)
            kept, left = [], int(limit)
            for name, block in self.blocks:
                if left <= 0:
                    break
                kept.append((name, block[:left]))
                left -= len(block[:left])
            self.blocks = kept
        if not self.blocks:
            raise SnellenError(f"suite {suite.name}: no trials match the selection")

    def _id(self, item: WorkItem) -> str:
        s = self.suite
        return sample_id(s.version, s.task_hashes[item.task_index], s.entries[item.task_index].name, dict(item.cell),
                         s.seed_for(item), item.index)

    def ids(self) -> list[str]:
        return [it.id for _, block in self.blocks for it in block]

    def next_trial(self, done: Done) -> Trial | None:
        for name, block in self.blocks:
            for pos, it in enumerate(block, 1):
                if (it.id, 0) not in done:
                    sample = self.suite.make(it.item)
                    if sample.id != it.id:  # the id is computed without drawing: they must agree
                        raise SnellenError(f"sample id mismatch for {name} item {it.item}: {sample.id} != {it.id}")
                    return Trial(sample=sample, block=name, practice=False, position=pos, block_size=len(block))
        return None

    def block_started(self, block: str, done: Done) -> bool:
        """Whether any trial of this block is already answered (a returning person skips its practice)."""
        return any((it.id, 0) in done for name, b in self.blocks if name == block for it in b)

    def observe(self, trial: Trial, text: str, correct: bool) -> None:
        pass  # the fixed grid does not adapt

    def progress(self, done: Done) -> tuple[int, int]:
        ids = self.ids()
        return sum((i, 0) in done for i in ids), len(ids)

    def describe(self) -> dict[str, Any]:
        return {"mode": self.mode, "seed": self.seed, "blocks": [{"task": n, "trials": len(b)} for n, b in self.blocks]}


def practice_trials(suite: Suite, block: str, n: int) -> list[Trial]:
    """`n` practice trials for a block: train-range samples at the task's largest scale(s), never exam images."""
    names = [e.name for e in suite.entries]
    ti = names.index(block)
    cells = [tuple(sorted(c.items())) for c in suite.tasks[ti].cells()]
    top = max(int(dict(c).get("scale", 0)) for c in cells)
    large = [c for c in cells if int(dict(c).get("scale", 0)) == top]
    out = []
    for k in range(n):
        sample = suite.make(WorkItem(ti, large[k % len(large)], k // len(large)), split="train")
        out.append(Trial(sample=sample, block=block, practice=True, position=k + 1, block_size=n))
    return out


class AdaptiveSource:
    """The adaptive search, one task (block) at a time: a planner per task proposes the next sample from the
    outcomes so far. Resuming replays the stored answers into the planners (`stored_text`), so a returning
    person continues the identical search, as `snellen eval --adaptive` does for models."""

    mode = "adaptive"

    def __init__(self, suite: Suite, planner_for: Callable[[Suite], Any]):
        self.suite = suite
        self.blocks = []
        for entry in suite.entries:
            one = Suite(suite.spec, suite.source, only=[entry.name])
            planner = planner_for(one)
            self.blocks.append((entry.name, planner, planner.proposals()))
        self.current = 0
        self.pending: Any = None
        self.answered: Counter = Counter()
        self.stored_text: Callable[[str], str | None] = lambda sample_id: None

    def next_trial(self, done: Done) -> Trial | None:
        while self.current < len(self.blocks):
            name, planner, proposals = self.blocks[self.current]
            if self.pending is None:
                try:
                    sample = next(proposals)
                except StopIteration:
                    self.current += 1
                    continue
                if sample is None:
                    raise SnellenError(f"adaptive search of {name}: waiting for an outcome it was never given")
                if (sample.id, 0) in done:  # answered in an earlier session: replay it into the search
                    text = self.stored_text(sample.id)
                    if text is None:
                        raise SnellenError(f"adaptive search of {name}: stored answer for {sample.id} not found")
                    planner.feedback(sample, 0, "ok", text)
                    self.answered[name] += 1
                    continue
                self.pending = sample
            return Trial(sample=self.pending, block=name, practice=False, position=self.answered[name] + 1,
                         block_size=planner.total)
        return None

    def block_started(self, block: str, done: Done) -> bool:
        return self.answered[block] > 0

    def observe(self, trial: Trial, text: str, correct: bool) -> None:
        name, planner, _ = self.blocks[self.current]
        planner.feedback(trial.sample, 0, "ok", text)
        self.pending = None
        self.answered[name] += 1

    def progress(self, done: Done) -> tuple[int, int]:
        answered = sum(self.answered.values())
        planned = sum(self.answered[name] if i < self.current else max(planner.total, self.answered[name])
                      for i, (name, planner, _) in enumerate(self.blocks))
        return answered, planned

    def describe(self) -> dict[str, Any]:
        states = [(name, planner.state()) for name, planner, _ in self.blocks]
        first = states[0][1] if states else {}
        return {"mode": self.mode, "method": first.get("method"), "stopping_rule": first.get("stopping_rule"),
                "spec": first.get("spec"), "tasks": {name: st.get("tasks", {}).get(name, {}) for name, st in states}}
