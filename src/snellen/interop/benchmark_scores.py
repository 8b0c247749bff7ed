"""Benchmark-level scores from result files: lmms-eval, VLMEvalKit and snellen runs, one record shape.

`read_scores(path)` detects the format from the file's contents (never its name) and returns a
`ScoreFile`: the model the file names (where it names one), and per task (the harness's own task or
dataset name) every numeric metric it holds with that metric's unit. `TaskScores.select(metric)` picks
one metric by the rules below and `to_percent` puts it on the 0-100 scale the ablation table uses.

Units: `fraction` (0-1, x100), `percent` (as is), `points` (a sum such as MME's 0-2800: needs the
benchmark's full scale), `px` (an acuity threshold; lower is better). A unit a file does not settle
(e.g. a VLMEvalKit table of values all <= 1 from a writer that writes percent) is `unknown`: the table
spec must say it, never a guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from snellen.schema import SnellenError

UNITS = ("fraction", "percent", "points", "px")


@dataclass
class TaskScores:
    task: str
    metrics: dict[str, float]  # metric key as the file writes it -> value as written
    units: dict[str, str]  # metric key -> fraction | percent | points | px | unknown
    default: str | None = None  # the metric the writer treats as the headline, where it has one
    n: int | None = None  # samples behind the scores, where the file says
    missing: dict[str, str] = field(default_factory=dict)  # metric -> why the file has no number for it

    def select(self, metric: str | None, where: str) -> str:
        """The metric key: `metric` exactly, or a bare name matching one `name,<filter>` key (lmms-eval), or
        the file's headline, or the only metric; else a one-line error listing the choices."""
        keys = list(self.metrics)
        if metric is not None:
            if metric in self.metrics:
                return metric
            if metric in self.missing:
                raise SnellenError(f"{where}: task {self.task!r}: {metric} {self.missing[metric]}")
            filtered = [k for k in keys if k.split(",")[0] == metric]
            if len(filtered) == 1:
                return filtered[0]
            what = f"several filters ({', '.join(filtered)})" if filtered else "no such metric"
            raise SnellenError(f"{where}: task {self.task!r} has {what}; metrics: {', '.join(keys) or 'none'}")
        if self.default is not None and self.default in self.metrics:
            return self.default
        if self.default is not None and self.default in self.missing:
            raise SnellenError(f"{where}: task {self.task!r}: {self.default} {self.missing[self.default]}")
        if len(keys) == 1:
            return keys[0]
        raise SnellenError(f"{where}: task {self.task!r} has {len(keys)} metrics ({', '.join(keys) or 'none'}); "
                           "name one with `metric:` in the benchmark")


@dataclass
class ScoreFile:
    path: Path
    format: str  # "lmms-eval results", "lmms-eval samples", "vlmevalkit", "snellen run"
    model: str | None  # the model the file names (None where the format names none)
    tasks: dict[str, TaskScores] = field(default_factory=dict)
    # a VLMEvalKit score table names its dataset only in its file name; True when the task came from there
    task_from_name: bool = False


def to_percent(value: float, unit: str, where: str, full_scale: float | None = None) -> float:
    """A metric value on the 0-100 scale; `px` stays px (a threshold has no full scale)."""
    if unit == "fraction":
        if not -1e-9 <= value <= 1 + 1e-9:
            raise SnellenError(f"{where}: value {value:g} is not a fraction in [0, 1]; set `unit:` for this benchmark")
        return value * 100.0
    if unit == "percent":
        if not -1e-9 <= value <= 100 + 1e-9:
            raise SnellenError(f"{where}: value {value:g} is not a percentage in [0, 100]; set `unit: points` and `full_scale:`")
        return value
    if unit == "points":
        if not full_scale:
            raise SnellenError(f"{where}: value {value:g} is in points, not percent; give the benchmark a `full_scale:` "
                               "(the most points it can have) to put it on 0-100")
        return value / full_scale * 100.0
    if unit == "px":
        return value
    raise SnellenError(f"{where}: the file does not say whether {value:g} is a fraction or a percentage; "
                       "set `unit: fraction` or `unit: percent` for this benchmark")


def unit_of_values(values: list[float], fraction_by_writer: bool | None) -> str:
    """Unit from a metric's values: > 100 points, > 1 percent; all <= 1 a fraction only where the writer
    writes fractions (`fraction_by_writer` True), percent where it writes percent and every value is 0,
    else unknown (a percentage under 1 and a fraction look the same)."""
    top = max((abs(v) for v in values), default=0.0)
    if top > 100:
        return "points"
    if top > 1:
        return "percent"
    if fraction_by_writer is True:
        return "fraction"
    if top == 0:
        return "percent"
    return "unknown"


def read_scores(path: str | Path) -> ScoreFile:
    """Any supported result file or run folder, its format detected from what it holds."""
    from snellen.interop import lmms_scores, snellen_scores, vlmevalkit_scores

    path = Path(path)
    if not path.exists():
        raise SnellenError(f"{path}: no such file or folder")
    if path.is_dir():
        if snellen_scores.is_run(path):
            return snellen_scores.read(path)
        raise SnellenError(f"{path}: a folder that is not a snellen run; name the result file itself")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SnellenError(f"{path}: not a text file (an .xlsx score table? save it as CSV; VLMEvalKit writes CSV unless "
                           "EVAL_FORMAT says otherwise)") from None
    if not text.strip():
        raise SnellenError(f"{path}: empty file")
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if data is not None:
            if lmms_scores.is_results(data):
                return lmms_scores.read_results(path, data)
            if lmms_scores.is_samples_line(data):  # a samples file of one document is one JSON object
                return lmms_scores.read_samples(path, text)
            if vlmevalkit_scores.is_score_json(data):
                return vlmevalkit_scores.read_json(path, data)
            raise SnellenError(f"{path}: JSON that is neither an lmms-eval results file (no `results` per task) "
                               "nor a VLMEvalKit score file (records or a name -> number map)")
        if stripped[:1] == "{":
            first = stripped.splitlines()[0]
            try:
                row = json.loads(first)
            except json.JSONDecodeError:
                raise SnellenError(f"{path}: not valid JSON or JSON lines (line 1)") from None
            if lmms_scores.is_samples_line(row):
                return lmms_scores.read_samples(path, text)
            raise SnellenError(f"{path}: JSON lines that are not lmms-eval samples (line 1 has no doc_id and filtered_resps)")
        raise SnellenError(f"{path}: not valid JSON")
    return vlmevalkit_scores.read_csv(path)
