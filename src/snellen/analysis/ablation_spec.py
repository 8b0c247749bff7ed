"""The ablation table spec: models with their attributes and result files -> the ablation table.

    benchmarks:                      # every benchmark the attribution uses, with its kind
      flowers:
        kind: fine-grained
        tasks:                       # the names it has in result files (a string, or a mapping)
          - flowers102               #   lmms-eval task / snellen task: exact; VLMEvalKit: the dataset in the file name
          - {task: Flowers102, format: vlmevalkit, metric: Overall, unit: percent}
      mme:
        kind: general
        tasks: [{task: mme, metric: mme_perception_score, unit: points, full_scale: 2000}]
    models:
      - model: clip-l+vicuna         # the name in the table (files may name it otherwise)
        encoder: clip-l
        llm: vicuna-7b
        recipe: frozen               # optional, for every model or none
        results:                     # paths relative to this file: result files or snellen run folders
          - lmms/clip-l+vicuna/20250101_120000_results.json
          - {path: vlmeval/clip-l+vicuna_Flowers102_acc.csv, benchmark: flowers}   # or name the benchmark
          - vlmeval/clip-l+vicuna/*_acc.csv   # a glob: its files of no benchmark are noted, not refused

Each result file's format is detected from its contents (interop/benchmark_scores.py). Scores go on the
0-100 scale (fractions x100, points / full_scale x100). A snellen threshold (`metric: threshold`, px, lower
is better) enters as minus the threshold, and a table is either all thresholds or all 0-100 scores: the
attribution adds effects across benchmarks of a kind, which needs one scale. Nothing is dropped silently:
a file none of whose tasks is a benchmark, a benchmark scored twice for a model, a metric or unit a file
does not settle, or one lmms-eval metric read as a fraction for one model and a percentage for another
is a one-line error naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from snellen.interop.benchmark_scores import ScoreFile, read_scores, to_percent
from snellen.schema import SnellenError

FORMATS = {"lmms-eval": ("lmms-eval results", "lmms-eval samples"), "vlmevalkit": ("vlmevalkit",),
           "snellen": ("snellen run",)}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskMatch(_Strict):
    task: str = Field(min_length=1)
    format: Literal["lmms-eval", "vlmevalkit", "snellen"] | None = None
    metric: str | None = None
    unit: Literal["fraction", "percent", "points", "px"] | None = None
    full_scale: float | None = Field(default=None, gt=0)


def _strings_as(key: str, v: Any) -> Any:
    """A list's bare strings as {key: string} (the short form of an entry), before validation."""
    return [{key: x} if isinstance(x, str) else x for x in v] if isinstance(v, list) else v


class Benchmark(_Strict):
    kind: str
    tasks: list[TaskMatch] = Field(min_length=1)

    @field_validator("tasks", mode="before")
    @classmethod
    def _strings(cls, v):
        return _strings_as("task", v)


class Result(_Strict):
    path: str = Field(min_length=1)
    benchmark: str | None = None


class ModelEntry(_Strict):
    model: str = Field(min_length=1)
    encoder: str = Field(min_length=1)
    llm: str = Field(min_length=1)
    recipe: str | None = None
    results: list[Result] = Field(min_length=1)

    @field_validator("results", mode="before")
    @classmethod
    def _strings(cls, v):
        return _strings_as("path", v)


class Spec(_Strict):
    benchmarks: dict[str, Benchmark] = Field(min_length=1)
    models: list[ModelEntry] = Field(min_length=1)


def is_spec(path: Path) -> bool:
    """A YAML (or JSON) mapping with `models`: a spec; anything else is left to the table reader."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return False
    return isinstance(data, dict) and "models" in data


def load_spec(path: Path) -> Spec:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SnellenError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "the spec"
        raise SnellenError(f"{path}: {where}: {err['msg']}") from None


@dataclass
class Assembled:
    table: pd.DataFrame  # the ablation table + provenance (source, format, task, metric, value, unit)
    unit: str  # "points on 0-100" or "-px"
    notes: list[str] = field(default_factory=list)


def _task_benchmark(spec: Spec, sf: ScoreFile, task: str) -> tuple[str, TaskMatch] | None:
    """Which benchmark a file's task is: exact name, or for a name-only task (VLMEvalKit file names) the
    longest declared task that appears as a whole `_`-separated part of it."""
    found: list[tuple[int, str, TaskMatch]] = []
    for name, bench in spec.benchmarks.items():
        for m in bench.tasks:
            if m.format is not None and sf.format not in FORMATS[m.format]:
                continue
            if (task == m.task) or (sf.task_from_name and f"_{m.task}_" in f"_{task}_"):
                found.append((len(m.task), name, m))
    if not found:
        return None
    found.sort(key=lambda x: -x[0])
    best = [f for f in found if f[0] == found[0][0]]
    if len({b[1] for b in best}) > 1:
        raise SnellenError(f"{sf.path}: task {task!r} matches benchmarks {', '.join(sorted({b[1] for b in best}))}; "
                           "name the benchmark on the result (`{path: ..., benchmark: ...}`)")
    return best[0][1], best[0][2]


def _expand(spec_path: Path, entry: ModelEntry) -> list[tuple[Result, Path, bool]]:
    """Each result's path (relative to the spec's folder), a glob pattern giving its matches in order."""
    out = []
    for res in entry.results:
        path = Path(res.path) if Path(res.path).is_absolute() else spec_path.parent / res.path
        if not any(ch in res.path for ch in "*?["):
            out.append((res, path, False))
            continue
        if res.benchmark is not None:
            raise SnellenError(f"{spec_path}: model {entry.model!r}: result {res.path} is a pattern; `benchmark:` "
                               "names the benchmark of one file")
        anchor = Path(path.anchor) if path.is_absolute() else spec_path.parent
        matches = sorted(anchor.glob(str(path.relative_to(anchor))))
        if not matches:
            raise SnellenError(f"{spec_path}: model {entry.model!r}: pattern {res.path} matches no file")
        out += [(res, m, True) for m in matches]
    return out


def assemble(spec_path: str | Path) -> Assembled:
    spec_path = Path(spec_path)
    spec = load_spec(spec_path)
    kinds = {}
    from snellen.analysis.ablation import KIND_ALIASES

    for name, bench in spec.benchmarks.items():
        kind = KIND_ALIASES.get(bench.kind.strip().lower())
        if kind is None:
            raise SnellenError(f"{spec_path}: benchmark {name!r} kind {bench.kind!r} is not fine-grained or general")
        kinds[name] = kind
    with_recipe = [m.recipe is not None for m in spec.models]
    if any(with_recipe) and not all(with_recipe):
        lacking = spec.models[with_recipe.index(False)].model
        raise SnellenError(f"{spec_path}: model {lacking!r} has no recipe while others do; give every model one or none")
    names = [m.model for m in spec.models]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise SnellenError(f"{spec_path}: model {dup[0]!r} is listed twice")
    rows, notes = [], []
    unused_in: dict[tuple[str, ...], list[str]] = {}  # tasks in files that no benchmark names -> those files
    for entry in spec.models:
        for res, path, globbed in _expand(spec_path, entry):
            sf = read_scores(path)
            if res.benchmark is not None and res.benchmark not in spec.benchmarks:
                raise SnellenError(f"{spec_path}: model {entry.model!r}: result {res.path} names benchmark "
                                   f"{res.benchmark!r}, which is not under `benchmarks`")
            used, unused = 0, []
            for task, ts in sf.tasks.items():
                if res.benchmark is not None:
                    if len(sf.tasks) != 1:
                        raise SnellenError(f"{path}: holds {len(sf.tasks)} tasks; `benchmark:` on a result needs a file "
                                           "with one task (declare the tasks under the benchmark instead)")
                    bench = spec.benchmarks[res.benchmark]
                    fmt_ok = [m for m in bench.tasks if m.format is None or sf.format in FORMATS[m.format]]
                    hit = (res.benchmark, fmt_ok[0] if len(fmt_ok) == 1 else TaskMatch(task=task))
                else:
                    hit = _task_benchmark(spec, sf, task)
                if hit is None:
                    unused.append(task)
                    continue
                bname, match = hit
                where = f"{path} ({entry.model}, benchmark {bname})"
                key = ts.select(match.metric, where)
                unit = match.unit or ts.units.get(key, "unknown")
                score = to_percent(ts.metrics[key], unit, where, match.full_scale)
                rows.append({"model": entry.model, "encoder": entry.encoder, "llm": entry.llm,
                             **({"recipe": entry.recipe} if entry.recipe is not None else {}),
                             "benchmark": bname, "kind": kinds[bname], "score": -score if unit == "px" else score,
                             "source": str(path), "format": sf.format, "file_model": sf.model or "", "task": task,
                             "metric": key, "value": ts.metrics[key], "unit": unit, "unit_given": match.unit is not None})
                used += 1
            if not used and globbed:  # a pattern may take in files of benchmarks the spec leaves out
                unused_in.setdefault(tuple(sf.tasks), []).append(path.name)
                continue
            if not used:
                raise SnellenError(f"{path}: none of its tasks ({', '.join(list(sf.tasks)[:6])}"
                                   f"{', ...' if len(sf.tasks) > 6 else ''}) is a benchmark of {spec_path.name}")
            if unused:
                unused_in.setdefault(tuple(unused), []).append(path.name)
    for tasks, files in unused_in.items():
        where = files[0] if len(files) == 1 else f"{len(files)} files ({files[0]}, ...)"
        notes.append(f"{where}: task(s) {', '.join(tasks[:4])}{', ...' if len(tasks) > 4 else ''} not in the spec, not used")
    df = pd.DataFrame(rows)
    dup = df[df.duplicated(["model", "benchmark"], keep=False)]
    if len(dup):
        a, b = dup.iloc[0], dup.iloc[1]
        raise SnellenError(f"model {a['model']!r} has benchmark {a['benchmark']!r} twice: from {a['source']} and {b['source']}")
    _check_units(df)
    px = df["unit"] == "px"
    if px.any() and not px.all():
        a, b = df[px].iloc[0], df[~px].iloc[0]
        raise SnellenError(f"{spec_path}: benchmark {a['benchmark']!r} is a threshold in px but {b['benchmark']!r} is "
                           "on 0-100; the attribution adds effects on one scale, so use thresholds for all or none")
    for name in spec.benchmarks:
        have = set(df.loc[df["benchmark"] == name, "model"])
        if not have:
            notes.append(f"benchmark {name}: no model has a score")
        elif len(have) < len(spec.models):
            notes.append(f"benchmark {name}: no score for {', '.join(m for m in names if m not in have)}")
    return Assembled(df, "-px (minus the threshold: higher is better)" if px.all() else "points on 0-100", notes)


def _check_units(df: pd.DataFrame) -> None:
    """lmms-eval's files do not say a metric's scale: <= 1 is read as a fraction, > 1 as percent. One
    benchmark's metric read both ways across models is a task that reports 0-100 with a model under 1%
    (or a mislabelled file): refused. (VLMEvalKit's and snellen's units follow from their writers.)"""
    inferred = df[~df["unit_given"] & df["format"].str.startswith("lmms-eval") & (df["value"] != 0)]
    inferred = inferred.assign(metric_name=inferred["metric"].str.split(",").str[0])
    for (bench, metric), g in inferred.groupby(["benchmark", "metric_name"]):
        if g["unit"].nunique() > 1:
            a = g.iloc[0]
            b = g[g["unit"] != a["unit"]].iloc[0]
            raise SnellenError(f"benchmark {bench!r}: {a['source']} reads {metric} {a['value']:g} as {a['unit']} but "
                               f"{b['source']} reads {b['value']:g} as {b['unit']}; set `unit:` for this benchmark")
