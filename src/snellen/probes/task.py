"""Task families: the interface every probe generator implements, and their registry.

A task family is one file in probes/tasks/ that subclasses `Task` and registers itself with
`@register_task("name")`. The suite runner only talks to this interface, so adding a family never
touches the runner, the store or the scorer: the scorer works from the `AnswerField`s a task declares.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from snellen.schema import AnswerField, Kind, SnellenError, Target, chance_of

DEFAULT_SCALES = (4, 6, 8, 10, 12, 16, 24, 32, 48)
FINESIGHT_SCALES = (4, 8, 12, 16, 24, 32, 48)


class RenderProfile(BaseModel):
    """How targets are drawn. `snellen` fits exact ink sizes; `finesight` follows FineSightBench's recipe."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field("snellen", pattern="^(snellen|finesight)$")
    canvas: int = Field(448, ge=32, le=4096)
    antialias: bool = True
    background: tuple[int, int, int] = (255, 255, 255)
    margin: int = Field(10, ge=0)
    gap: int = Field(4, ge=0)
    font: str = "DejaVuSans-Bold"


class TaskParams(BaseModel):
    """Parameters shared by every family; families extend this with their own fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    scales: tuple[int, ...] = DEFAULT_SCALES
    per_cell: int = Field(50, ge=1)
    contrasts: tuple[float, ...] = (1.0,)

    @field_validator("scales")
    @classmethod
    def _positive_scales(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        bad = [s for s in v if s <= 0]
        if bad or not v:
            raise ValueError(f"scales must be positive pixel sizes, got {list(v)}")
        return v

    @field_validator("contrasts")
    @classmethod
    def _contrast_range(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if not v or any(not (0.0 < c <= 1.0) for c in v):
            raise ValueError(f"contrasts must lie in (0, 1], got {list(v)}")
        return v


class CountedParams(TaskParams):
    """Reasoning families: cells are scale x target count."""

    counts: tuple[int, ...] = (2, 4, 8, 10)

    @field_validator("counts")
    @classmethod
    def _positive_counts(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if not v or any(c < 1 for c in v):
            raise ValueError(f"counts must be >= 1, got {list(v)}")
        return v


@dataclass
class Probe:
    """What a family draws for one (cell, rng): pixels, geometry, answer and prompts."""

    image: np.ndarray
    targets: list[Target]
    answer: dict[str, Any]
    fields: list[AnswerField]
    prompt_json: str
    prompt_free: str
    scale: int
    measured_scale: float
    ink_h: int
    ink_w: int
    background: str = "white"
    font: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def chance(self) -> float:
        return chance_of(self.fields)


class Task(ABC):
    """One probe family. Subclasses set `family`, `kind`, `Params`, and implement `cells` and `draw`."""

    family: ClassVar[str]
    kind: ClassVar[Kind]
    Params: ClassVar[type[TaskParams]] = TaskParams

    def __init__(self, params: TaskParams, profile: RenderProfile):
        self.params = params
        self.profile = profile

    def cells(self) -> list[dict[str, Any]]:
        """The grid this task is measured on; each cell gets `per_cell` samples."""
        return [{"scale": s, "contrast": c} for c in self.params.contrasts for s in self.params.scales]

    @abstractmethod
    def draw(self, rng: np.random.Generator, cell: dict[str, Any]) -> Probe:
        """Draw one probe for a cell. Must depend only on rng and cell (determinism)."""

    @classmethod
    def answer_from_targets(cls, targets: list[Target], question: dict[str, Any]) -> dict[str, Any]:
        """The answer as a function of the targets (identity, colour, box) and the question asked.

        The one place a family's answer is computed: `draw` uses it for the true answer and the ideal
        observer (models/backends/ideal.py) for the answer to what it perceived. `question` holds only what
        the prompt states (direction, asked labels, letter...), as `question_of` reads it from a sample.
        """
        raise NotImplementedError(f"{cls.__name__} does not define answer_from_targets")

    @classmethod
    def question_of(cls, sample) -> dict[str, Any]:
        """The `question` argument of answer_from_targets, read from a Sample (prompt-stated facts only)."""
        return {}

    def spec_hash(self) -> str:
        """Hash of everything that decides a sample's pixels and answer. `per_cell` only decides how many
        samples are drawn (sample i is the same whatever the count), so runs of different sizes share ids."""
        params = self.params.model_dump(mode="json", exclude={"per_cell"})
        payload = json.dumps({"family": self.family, "params": params, "profile": self.profile.model_dump(mode="json")}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


class CountedTask(Task):
    """Reasoning families: cells are scale x target count (x contrast)."""

    kind = "reasoning"

    def cells(self) -> list[dict[str, Any]]:
        p = self.params
        return [{"scale": s, "count": n, "contrast": c} for c in p.contrasts for n in p.counts for s in p.scales]


_REGISTRY: dict[str, type[Task]] = {}


def register_task(name: str):
    def deco(cls: type[Task]) -> type[Task]:
        if name in _REGISTRY and _REGISTRY[name] is not cls:
            raise RuntimeError(f"task family {name!r} registered twice")
        cls.family = name
        _REGISTRY[name] = cls
        return cls

    return deco


def task_families() -> dict[str, type[Task]]:
    import snellen.probes.tasks  # noqa: F401  (registers every family module)

    return dict(_REGISTRY)


def get_family(name: str) -> type[Task]:
    families = task_families()
    if name not in families:
        raise SnellenError(f"unknown task family {name!r}; known: {', '.join(sorted(families))}")
    return families[name]
