"""Planners: what the runner asks next. The fixed grid is one planner, the adaptive search another.

The runner (run.evaluate) pulls samples from `planner.proposals()`, asks the model (or finds the answer in the
store), records it, and hands every outcome back through `planner.feedback(...)`, so a planner whose next
sample depends on the answers so far works through the same resume, cache, budget and progress rules as the
grid. A proposal of `None` means "nothing until an outcome comes back": the runner then sends what it holds
and waits for a result before asking again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

from snellen.schema import Sample


@runtime_checkable
class Planner(Protocol):
    source: dict[str, Any]  # what is evaluated, for the manifest
    total: int | None  # requests it may propose (for progress), None if unknown
    adaptive: bool  # whether proposals depend on feedback (then --max-cost stops proposing instead of counting)

    def proposals(self) -> Iterator[Sample | None]: ...

    def feedback(self, sample: Sample, repeat: int, status: str, text: str | None) -> None: ...

    def state(self) -> dict[str, Any]:
        """What the planner did, for the manifest (empty for the grid)."""
        ...


class GridPlanner:
    """Every selected sample, in order; outcomes change nothing."""

    adaptive = False

    def __init__(self, samples: Iterable[Sample], total: int | None, source: dict[str, Any]):
        self._samples, self.total, self.source = samples, total, source

    def proposals(self) -> Iterator[Sample | None]:
        yield from self._samples

    def feedback(self, sample: Sample, repeat: int, status: str, text: str | None) -> None:
        pass

    def state(self) -> dict[str, Any]:
        return {}
