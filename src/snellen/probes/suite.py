"""Suites: declarative, versioned, validated specs of which tasks to draw on which grid.

A suite file (YAML or TOML) names a render profile and a list of tasks with their family parameters.
Its manifest hash covers every parameter, and sample ids include the task's spec hash, so changing any
parameter changes the ids of the samples it affects.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from snellen.probes.task import RenderProfile, Task, get_family
from snellen.schema import EXAM_SEED_RANGE, TRAIN_SEED_RANGE, Sample, SnellenError, Split, sample_id


class TaskEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    family: str
    params: dict[str, Any] = Field(default_factory=dict)


class SuiteSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    version: str
    description: str = ""
    seed: int = 0
    profile: RenderProfile = RenderProfile()
    tasks: list[TaskEntry]


def _format_validation(err: ValidationError, source: str) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    return f"{source}: invalid suite field '{loc}': {first['msg']}"


@dataclass(frozen=True)
class WorkItem:
    task_index: int
    cell: tuple[tuple[str, Any], ...]
    index: int


class Suite:
    """A validated suite with its instantiated task generators."""

    def __init__(self, spec: SuiteSpec, source: str = "<suite>", per_cell: int | None = None, only: list[str] | None = None):
        self.spec = spec
        self.source = source
        names = [t.name for t in spec.tasks]
        if len(set(names)) != len(names):
            raise SnellenError(f"{source}: task names must be unique, got {names}")
        if only:
            unknown = sorted(set(only) - set(names))
            if unknown:
                raise SnellenError(f"{source}: unknown task(s) {', '.join(unknown)}; this suite has {', '.join(names)}")
        self.entries = [t for t in spec.tasks if not only or t.name in only]
        self.tasks: list[Task] = []
        for entry in self.entries:
            family = get_family(entry.family)
            params = dict(entry.params)
            if per_cell is not None:
                params["per_cell"] = per_cell
            try:
                p = family.Params(**params)
            except ValidationError as err:
                first = err.errors()[0]
                loc = ".".join(str(x) for x in first["loc"])
                raise SnellenError(f"{source}: task '{entry.name}' parameter '{loc}': {first['msg']}") from None
            self.tasks.append(family(p, spec.profile))
        # Params are frozen, so each task's hash is computed once, not per sample.
        self.task_hashes = [t.spec_hash() for t in self.tasks]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def version(self) -> str:
        return self.spec.version

    @cached_property
    def manifest_hash(self) -> str:
        # Like the task hashes, the suite's identity leaves out per_cell: a run of 10 per cell and one of 50
        # evaluate the same population of samples (the first 10 of each cell are shared).
        spec = self.spec.model_dump(mode="json")
        for t in spec["tasks"]:
            t["params"].pop("per_cell", None)
        payload = {
            "spec": spec,
            "resolved": [{"name": e.name, "hash": h} for e, h in zip(self.entries, self.task_hashes)],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]

    def work(self) -> list[WorkItem]:
        """Every (task, cell, index) of the suite in a fixed order: the unit of sharding."""
        items = []
        for ti, task in enumerate(self.tasks):
            for cell in task.cells():
                frozen = tuple(sorted(cell.items()))
                items.extend(WorkItem(ti, frozen, i) for i in range(task.params.per_cell))
        return items

    def __len__(self) -> int:
        return sum(len(t.cells()) * t.params.per_cell for t in self.tasks)

    def seed_for(self, item: WorkItem, split: Split = "exam") -> int:
        lo, hi = EXAM_SEED_RANGE if split == "exam" else TRAIN_SEED_RANGE
        key = json.dumps([self.spec.seed, self.entries[item.task_index].name, list(item.cell), item.index, split])
        h = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
        return lo + h % (hi - lo)

    def make(self, item: WorkItem, split: Split = "exam") -> Sample:
        task = self.tasks[item.task_index]
        entry = self.entries[item.task_index]
        cell = dict(item.cell)
        seed = self.seed_for(item, split)
        probe = task.draw(np.random.default_rng(seed), cell)
        return Sample(
            id=sample_id(self.version, self.task_hashes[item.task_index], entry.name, cell, seed, item.index),
            suite=self.name, suite_version=self.version, suite_hash=self.manifest_hash,
            task=entry.name, family=task.family, kind=task.kind, split=split, seed=seed, index=item.index,
            cell=cell, prompts={"json": probe.prompt_json, "free": probe.prompt_free}, answer=probe.answer,
            fields=probe.fields, chance=probe.chance, scale=probe.scale, measured_scale=probe.measured_scale,
            ink_h=probe.ink_h, ink_w=probe.ink_w, count=len(probe.targets), targets=probe.targets,
            canvas=(probe.image.shape[1], probe.image.shape[0]), background=probe.background,
            contrast=float(cell.get("contrast", 1.0)), font=probe.font, profile=self.spec.profile.name,
            antialias=self.spec.profile.antialias, extra=probe.extra, image=probe.image,
        )

    def samples(self, split: Split = "exam", items: list[WorkItem] | None = None) -> Iterator[Sample]:
        """Stream samples in memory (pixels only, no encoding, no disk)."""
        for item in items if items is not None else self.work():
            yield self.make(item, split)

    def training_stream(self, start: int = 0) -> Iterator[Sample]:
        """An endless stream of training samples; seeds come from the train range only."""
        cells = [(ti, tuple(sorted(c.items()))) for ti, t in enumerate(self.tasks) for c in t.cells()]
        index = start
        while True:
            for ti, cell in cells:
                sample = self.make(WorkItem(ti, cell, index), "train")
                if not (TRAIN_SEED_RANGE[0] <= sample.seed < TRAIN_SEED_RANGE[1]):
                    raise SnellenError(f"training stream produced exam seed {sample.seed}")
                yield sample
            index += 1


BUILTIN_SUITES = ("acuity", "finesight", "quick")


def load_spec(name_or_path: str | Path) -> tuple[SuiteSpec, str]:
    """Load a suite by built-in name or from a YAML/TOML file."""
    text_source = str(name_or_path)
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml", ".toml") or path.exists():
        if not path.exists():
            raise SnellenError(f"suite file {path} does not exist")
        raw_text = path.read_text()
    elif text_source in BUILTIN_SUITES:
        raw_text = resources.files("snellen.probes.suites").joinpath(f"{text_source}.yaml").read_text()
        path = Path(f"{text_source}.yaml")
    else:
        raise SnellenError(f"unknown suite {text_source!r}: use one of {', '.join(BUILTIN_SUITES)} or a .yaml/.toml file")
    try:
        data = tomllib.loads(raw_text) if path.suffix == ".toml" else yaml.safe_load(raw_text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise SnellenError(f"{text_source}: malformed suite file ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise SnellenError(f"{text_source}: a suite file must be a mapping with name, version and tasks")
    try:
        return SuiteSpec(**data), text_source
    except ValidationError as err:
        raise SnellenError(_format_validation(err, text_source)) from None


def load_suite(name_or_path: str | Path, per_cell: int | None = None, only: list[str] | None = None) -> Suite:
    spec, source = load_spec(name_or_path)
    return Suite(spec, source, per_cell=per_cell, only=only)
