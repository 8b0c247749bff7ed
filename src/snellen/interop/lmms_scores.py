"""lmms-eval's benchmark scores: its `{date}_results.json` and its `{date}_samples_{task}.jsonl`.

Results file (written by its EvaluationTracker): `results` maps each task (and each aggregating group) to
`{"alias": ..., "<metric>,<filter>": value, "<metric>_stderr,<filter>": ..., ...}`; groups may also sit under
`groups`; `n-samples` holds each task's `effective` count; the model is `model_name` (lmms-eval >= 0.4) or
the `pretrained=` / `model_version=` / `model=` entry of `config.model_args`. Stderr entries, the alias,
non-numbers ("N/A") and dict-valued metrics are not scores.

Samples file (`--log_samples`): one JSON line per document with `doc_id`, `target`, `filtered_resps`
(+ `resps`, `doc_hash`, `input`, `token_counts`) and each metric's per-document value under the bare metric
name; the task is in the file name only (`..._samples_<task>.jsonl`, the writer's convention). A metric's
score is the mean of its per-document numbers; a doc_id logged twice (several filters) is refused, since
the line does not say which filter it is.

Units: an aggregate > 100 is points (MME's sums), > 1 percent (lmms-eval's GPT-judged tasks report
0-100), otherwise a fraction (the mean of per-document 0/1 or 0-1 scores, lmms-eval's usual aggregate).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from snellen.interop.benchmark_scores import ScoreFile, TaskScores, unit_of_values
from snellen.interop.common import json_lines
from snellen.schema import SnellenError

SAMPLE_FIELDS = {"doc_id", "doc", "target", "arguments", "resps", "filtered_resps", "token_counts", "doc_hash",
                 "prompt_hash", "target_hash", "input", "input_media", "filter", "metrics"}
MODEL_KEYS = ("pretrained", "model_version", "model", "model_name", "model_id", "path", "engine")


def is_results(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("results"), dict)
            and any(k in data for k in ("configs", "config", "n-shot", "versions", "lmms_eval_version")))


def is_samples_line(row: Any) -> bool:
    return isinstance(row, dict) and "doc_id" in row and "filtered_resps" in row


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v) if math.isfinite(v) else None


def _model_name(data: dict) -> str | None:
    if data.get("model_name"):
        return str(data["model_name"])
    args = (data.get("config") or {}).get("model_args")
    if isinstance(args, dict):
        pairs = {str(k): str(v) for k, v in args.items()}
    else:
        pairs = dict(p.split("=", 1) for p in str(args or "").split(",") if "=" in p)
    for key in MODEL_KEYS:
        if pairs.get(key):
            return pairs[key].strip()
    return None


def read_results(path: Path, data: dict) -> ScoreFile:
    sections = dict(data.get("groups") or {})
    sections.update(data["results"])
    n_samples = data.get("n-samples") or {}
    out = ScoreFile(path=path, format="lmms-eval results", model=_model_name(data))
    for task, entry in sections.items():
        if not isinstance(entry, dict):
            raise SnellenError(f"{path}: results[{task!r}] is not a mapping of metrics")
        metrics = {}
        for key, value in entry.items():
            name = key.split(",")[0]
            if key == "alias" or name.endswith("_stderr") or "_stderr_" in name:
                continue
            v = _number(value)
            if v is not None:
                metrics[key] = v
        n = (n_samples.get(task) or {}).get("effective") if isinstance(n_samples.get(task), dict) else None
        out.tasks[task] = TaskScores(task=task, metrics=metrics,
                                     units={k: unit_of_values([v], fraction_by_writer=True) for k, v in metrics.items()},
                                     n=int(n) if isinstance(n, int) else None)
    if not out.tasks:
        raise SnellenError(f"{path}: lmms-eval results file with no task under `results`")
    return out


SAMPLES_NAME = re.compile(r"_samples_(?P<task>.+)\.jsonl$")


def read_samples(path: Path, text: str) -> ScoreFile:
    m = SAMPLES_NAME.search(path.name)
    if not m:
        raise SnellenError(f"{path}: lmms-eval samples lines, but the file name does not end in _samples_<task>.jsonl "
                           "(the only place lmms-eval writes the task); keep the name lmms-eval gave it")
    task = m.group("task")
    per_metric: dict[str, list[float]] = {}
    seen: set = set()
    not_numbers: set[str] = set()
    for n, row in json_lines(text.splitlines(), path):
        if not is_samples_line(row):
            raise SnellenError(f"{path}:{n}: not an lmms-eval sample (no doc_id and filtered_resps)")
        if row["doc_id"] in seen:
            raise SnellenError(f"{path}:{n}: doc_id {row['doc_id']} logged twice (several filters or repeats); "
                               "the line does not say which, so use the results file")
        seen.add(row["doc_id"])
        for key, value in row.items():
            if key in SAMPLE_FIELDS:
                continue
            v = _number(value)
            if v is None:
                not_numbers.add(key)
                continue
            per_metric.setdefault(key, []).append(v)
    if not seen:
        raise SnellenError(f"{path}: no samples")
    incomplete = [k for k, vs in per_metric.items() if len(vs) != len(seen)]
    if incomplete:
        raise SnellenError(f"{path}: metric {incomplete[0]!r} is missing or not a number on some documents")
    if not per_metric:
        what = f" ({', '.join(sorted(not_numbers))}: not numbers, a custom aggregation; use the results file)" if not_numbers else ""
        raise SnellenError(f"{path}: no numeric per-document metric{what}")
    metrics = {k: sum(vs) / len(vs) for k, vs in per_metric.items()}
    units = {k: unit_of_values(vs, fraction_by_writer=True) for k, vs in per_metric.items()}
    # the lmms-eval model folder (output_path/<model_name_sanitized>/) is where the writer puts the file
    return ScoreFile(path=path, format="lmms-eval samples", model=None,
                     tasks={task: TaskScores(task=task, metrics=metrics, units=units, n=len(seen))},
                     task_from_name=True)
