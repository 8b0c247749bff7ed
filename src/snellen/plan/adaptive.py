"""The adaptive exam as a planner: one psi-marginal search per task, all tasks' searches in flight at once.

Trial i of a task is a fresh sample from the exam split at the integer scale the search chose: the suite draws
it for the task's cell (other cell parameters such as count cycle over the task's grid) with index i, so its
seed, id and pixels are a pure function of (suite, task, cell, i). Each search keeps one trial in flight and
proposes the next only after the previous outcome is recorded: the sequence of scales is then a pure function
of the outcomes, and a run resumed after a kill replays the stored trials through the store's cache and
continues the identical search. Outcomes: correct (strict) counts as a success; wrong, unparseable and refusal
as failures (the model answered); an error stops that task's search for this invocation (never scored; a
re-run retries it); an unsupported task is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from snellen.analysis.adaptive import AdaptiveSpec, PsiSearch
from snellen.probes.suite import Suite, WorkItem
from snellen.schema import Sample, SnellenError
from snellen.scoring.outcome import score_response


@dataclass
class _TaskSearch:
    index: int  # task index in the suite
    name: str
    combos: list[dict[str, Any]]  # the task's cells without scale, cycled over trials
    search: PsiSearch | None = None
    pending: Sample | None = None
    stopped: str | None = None
    errors: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)


class AdaptivePlanner:
    adaptive = True

    def __init__(self, suite: Suite, spec: AdaptiveSpec):
        self.suite, self.spec = suite, spec
        self.searches: list[_TaskSearch] = []
        for ti, task in enumerate(suite.tasks):
            combos = []
            for cell in task.cells():
                rest = {k: v for k, v in cell.items() if k != "scale"}
                if rest not in combos:
                    combos.append(rest)
            self.searches.append(_TaskSearch(ti, suite.entries[ti].name, combos))
        self.total = spec.max_trials * len(self.searches)
        self.source = {"kind": "suite", "name": suite.name, "version": suite.version, "hash": suite.manifest_hash,
                       "source": str(suite.source), "tasks": [e.name for e in suite.entries],
                       "plan": "adaptive", "adaptive": spec.model_dump(mode="json")}

    def sample(self, ts: _TaskSearch, trial: int, scale: int) -> Sample:
        cell = dict(ts.combos[trial % len(ts.combos)], scale=int(scale))
        s = self.suite.make(WorkItem(ts.index, tuple(sorted(cell.items())), trial), "exam")
        s.extra = {**s.extra, "adaptive": {"trial": trial, "method": self.spec.method}}
        return s

    def _next(self, ts: _TaskSearch) -> Sample | None:
        if ts.stopped or ts.pending is not None:
            return None
        if ts.search is None:
            # The floor is the task's chance: that of its first sample (chance depends on the answer space,
            # not on scale); each trial then updates with its own sample's chance.
            first = self.sample(ts, 0, self.spec.max_px)
            ts.search = PsiSearch(self.spec, first.chance)
        reason = ts.search.stop_reason()
        if reason is not None:
            ts.stopped = reason
            return None
        trial = len(ts.search.trials)
        ts.pending = self.sample(ts, trial, ts.search.next_scale())
        return ts.pending

    def proposals(self) -> Iterator[Sample | None]:
        while True:
            proposed = False
            for ts in self.searches:
                s = self._next(ts)
                if s is not None:
                    proposed = True
                    yield s
            if not proposed:
                if any(ts.pending is not None for ts in self.searches):
                    yield None  # wait for an outcome
                else:
                    return

    def feedback(self, sample: Sample, repeat: int, status: str, text: str | None) -> None:
        ts = next((t for t in self.searches if t.pending is not None and t.pending.id == sample.id), None)
        if ts is None:
            raise SnellenError(f"adaptive search: outcome for {sample.id}, which no search is waiting for")
        ts.pending = None
        if status == "unsupported":
            ts.stopped = "unsupported"
            return
        if status != "ok":
            ts.errors += 1
            ts.stopped = "error (re-run to resume)"
            return
        correct = score_response(sample, text).strict
        ts.search.update(sample.scale, correct, sample.chance)
        ts.history.append({"trial": len(ts.search.trials) - 1, "scale": sample.scale, "correct": correct})

    def state(self) -> dict[str, Any]:
        tasks = {}
        for ts in self.searches:
            entry: dict[str, Any] = {"trials": 0 if ts.search is None else len(ts.search.trials),
                                     "stopped": ts.stopped or ("running" if ts.pending is not None else "not started")}
            if ts.search is not None and ts.search.trials:
                lo, hi = ts.search.interval()
                entry.update(posterior_threshold=round(ts.search.estimate(), 3), posterior_ci=[round(lo, 3), round(hi, 3)])
            tasks[ts.name] = entry
        return {"method": self.spec.method, "stopping_rule": self.spec.stopping_rule,
                "spec": self.spec.model_dump(mode="json"), "tasks": tasks}
