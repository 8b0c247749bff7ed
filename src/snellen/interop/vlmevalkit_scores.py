"""VLMEvalKit's benchmark scores: the score tables its dataset classes write beside the predictions.

`run.py` writes outputs/<model>/<eval_id>/<model>_<dataset>.xlsx and each dataset's `evaluate` writes its
scores next to it as `<model>_<dataset>[_<judge>]_acc.csv` or `..._score.csv` (CSV with every field quoted;
JSON records when EVAL_FORMAT=json; a few write a `_score.json` map), linked into outputs/<model>/. The
layouts, as written:

- multiple choice (`report_acc`): columns `split`, `Overall`, then one per category; one row per split;
  values are fractions (the mean of 0/1 hits);
- VQA (`d2df` of a dict): one row, columns `Overall` then one per split or category; values in percent;
- yes/no: `split`,`Overall`(F1),`acc`,`precision`,`recall` rows per category (POPE, percent), or one row of
  sums (MME: perception 0-2000, reasoning 0-800: points);
- judged tables (MM-Vet, MathVista): a label column (`Category`, `Task&Skill`) with an `Overall` row and
  `tot`/`acc` columns (percent).

Metric keys: a one-row table gives each column by name; a table of labelled rows gives `<row>/<column>`
(and plain `<column>` for its `Overall` row). The headline is column `Overall` of the only row or of the
row labelled `Overall`, else `acc` there. Units come from the values (> 100 points, > 1 percent: over the
whole row of a one-row table, which one dict wrote, else over the metric's column); values
all <= 1 are fractions only in a table with a `split` column (report_acc's), else unknown (a VQA table
writes percent: 0.8 there is 0.8%, which a reader cannot tell from 80%).

The content says nothing of the dataset or the model: the dataset is the file's name (the only place
VLMEvalKit writes it), matched against the table spec's task names.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from snellen.interop.benchmark_scores import ScoreFile, TaskScores, unit_of_values
from snellen.schema import SnellenError

HEADLINE_ROW = "Overall"


def is_score_json(data: Any) -> bool:
    if isinstance(data, list):
        return bool(data) and all(isinstance(r, dict) for r in data)
    return isinstance(data, dict) and bool(data) and all(
        isinstance(v, (int, float, dict)) and not isinstance(v, bool) for v in data.values())


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _from_rows(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> ScoreFile:
    """Flatten a score table (list of row dicts in column order) into one TaskScores named by the file."""
    if not rows or not columns:
        raise SnellenError(f"{path}: empty score table")
    if "prediction" in columns:
        raise SnellenError(f"{path}: VLMEvalKit predictions, not scores; run its evaluation and name the "
                           "<model>_<dataset>_acc.csv (or _score.csv) it writes")
    first = columns[0]
    label_col = first if any(_num(r.get(first)) is None and r.get(first) not in (None, "") for r in rows) else None
    numeric = [c for c in columns if c != label_col and any(_num(r.get(c)) is not None for r in rows)]
    if not numeric:
        raise SnellenError(f"{path}: a table with no numeric column; not a VLMEvalKit score table")
    metrics: dict[str, float] = {}
    values: dict[str, list[float]] = {}  # per column, every row: the unit is a column's
    default = None
    if label_col is None:
        if len(rows) != 1:
            raise SnellenError(f"{path}: {len(rows)} rows and no label column; a VLMEvalKit score table without "
                               "labels has one row")
        for c in numeric:
            v = _num(rows[0].get(c))
            if v is not None:
                metrics[c] = v
                values[c] = [v]
        default = "Overall" if "Overall" in metrics else ("acc" if "acc" in metrics else None)
    else:
        labels = [str(r.get(label_col)) for r in rows]
        dup = sorted({x for x in labels if labels.count(x) > 1})
        if dup:
            raise SnellenError(f"{path}: row label {dup[0]!r} appears twice in column {label_col!r}")
        for r, lab in zip(rows, labels):
            for c in numeric:
                v = _num(r.get(c))
                if v is None:
                    continue
                metrics[f"{lab}/{c}"] = v
                values.setdefault(c, []).append(v)
                if len(rows) == 1 or lab == HEADLINE_ROW:
                    metrics.setdefault(c, v)
        head = labels[0] if len(rows) == 1 else (HEADLINE_ROW if HEADLINE_ROW in labels else None)
        if head is not None:
            default = next((f"{head}/{c}" for c in ("Overall", "acc") if f"{head}/{c}" in metrics), None)
    by_writer = True if label_col == "split" else None
    units = {}
    if label_col is None:  # one row from one dict (d2df): one scale for the row (MME's categories are points too)
        row_unit = unit_of_values(list(metrics.values()), by_writer)
        units = {key: row_unit for key in metrics}
    for key in metrics if label_col is not None else ():
        col = key.split("/", 1)[1] if "/" in key and key not in values else key
        units[key] = unit_of_values(values.get(col, [metrics[key]]), by_writer)
    stem = path.name.rsplit(".", 1)[0]
    return ScoreFile(path=path, format="vlmevalkit", model=None,
                     tasks={stem: TaskScores(task=stem, metrics=metrics, units=units, default=default)},
                     task_from_name=True)


def read_csv(path: Path) -> ScoreFile:
    import pandas as pd

    try:
        frame = pd.read_csv(path, keep_default_na=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SnellenError(f"{path}: not a readable CSV score table ({str(exc).splitlines()[0]})") from None
    if frame.columns.duplicated().any():
        raise SnellenError(f"{path}: column {frame.columns[frame.columns.duplicated()][0]!r} appears twice")
    cols = [str(c) for c in frame.columns]
    if any(c.startswith("Unnamed:") for c in cols):
        raise SnellenError(f"{path}: a CSV with unnamed columns; not a VLMEvalKit score table")
    rows = [{c: (None if v == "" else v) for c, v in zip(cols, rec)} for rec in frame.itertuples(index=False)]
    return _from_rows(path, rows, cols)


def read_json(path: Path, data: Any) -> ScoreFile:
    if isinstance(data, list):  # EVAL_FORMAT=json: the same table as records
        cols: list[str] = []
        for r in data:
            cols += [c for c in r if c not in cols]
        return _from_rows(path, data, cols)
    flat: dict[str, Any] = {}
    for k, v in data.items():  # a `_score.json` map, one level of nesting at most
        if isinstance(v, dict):
            for k2, v2 in v.items():
                if isinstance(v2, (dict, list)):
                    raise SnellenError(f"{path}: {k}/{k2} is nested deeper than a VLMEvalKit score map")
                flat[f"{k}/{k2}"] = v2
        else:
            flat[k] = v
    return _from_rows(path, [flat], list(flat))
