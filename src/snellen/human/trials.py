"""Which probe a person sees next: blocks per task, the fixed grid within a block, practice before it.

The app asks a `TrialSource` for the next trial and tells it each scored outcome. `GridSource` is the
fixed grid: every (cell, index) of the suite's task, shuffled once per block with a seed (scales
interleaved, so fatigue and learning do not line up with size), each shown once. An adaptive search
(a staircase choosing the next scale from the outcomes so far) plugs in as another TrialSource: it
implements `next_trial` and uses `observe`; nothing else in the app changes. It is not written yet.

Resuming is the store's: a trial whose (sample id, repeat) is answered in the run is never shown again,
and the order is a pure function of the suite and the seed, so a returning person continues where they
stopped. Practice trials are drawn from the train seed range (never an exam image) at the task's largest
scales, are not stored and not scored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container
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

    def observe(self, trial: Trial, correct: bool) -> None:
        """A scored trial's outcome, in the order answered."""

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

    def observe(self, trial: Trial, correct: bool) -> None:
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
