"""Failure taxonomy by scale, from the extracted vs the true answer of each answered trial.

Field types are read from the answer's values: a string is a label, an int a number, a list an
ordered sequence, a dict a count mapping. Values are compared after strip() and lower-case, as the
scorer (FineSightBench) does.

- numeracy: signed error k = predicted - true for every integer field and every true key of a count
  mapping (a key the model left out is tallied as `missing`, not as 0);
- sequences: an optimal-string-alignment of predicted vs true list (unit costs; an adjacent
  transposition costs 1 and is a `swap`), counted as swaps, omissions (true item absent),
  insertions (extra predicted item) and substitutions;
- confusions: true vs predicted value of label fields, plus the colour and the identity of aligned
  "<colour> <identity>" sequence substitutions;
- items named that are not in the image: predicted list items or count keys (with count > 0) that the
  truth does not contain;
- format failures and refusals: rates of `unparseable` / `refusal` among answered trials per scale.
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pandas as pd

from snellen.analysis.frame import check_frame, scored

KEYS = ["profile", "model", "task", "scale"]


def _norm(v) -> str:
    return str(v).strip().lower()


def align(truth: list, pred: list) -> list[tuple[str, str | None, str | None]]:
    """Optimal string alignment; returns (op, true item, predicted item) with op in
    match / substitution / omission / insertion / swap (a swap reports the true pair as 'a|b')."""
    t, p = [_norm(v) for v in truth], [_norm(v) for v in pred]
    n, m = len(t), len(p)
    d = np.zeros((n + 1, m + 1), dtype=int)
    d[:, 0], d[0, :] = np.arange(n + 1), np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + (t[i - 1] != p[j - 1]))
            if i > 1 and j > 1 and t[i - 1] == p[j - 2] and t[i - 2] == p[j - 1] and t[i - 1] != t[i - 2]:
                best = min(best, d[i - 2, j - 2] + 1)
            d[i, j] = best
    ops: list[tuple[str, str | None, str | None]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if (i > 1 and j > 1 and t[i - 1] == p[j - 2] and t[i - 2] == p[j - 1] and t[i - 1] != t[i - 2]
                and d[i, j] == d[i - 2, j - 2] + 1):
            ops.append(("swap", f"{t[i - 2]}|{t[i - 1]}", f"{p[j - 2]}|{p[j - 1]}"))
            i, j = i - 2, j - 2
        elif i > 0 and j > 0 and d[i, j] == d[i - 1, j - 1] + (t[i - 1] != p[j - 1]):
            ops.append(("match" if t[i - 1] == p[j - 1] else "substitution", t[i - 1], p[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and d[i, j] == d[i - 1, j] + 1:
            ops.append(("omission", t[i - 1], None))
            i -= 1
        else:
            ops.append(("insertion", None, p[j - 1]))
            j -= 1
    return ops[::-1]


def _loads(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    return json.loads(v) if isinstance(v, str) else v


def _answered(df: pd.DataFrame) -> pd.DataFrame:
    check_frame(df)
    d = scored(df)
    return d[d["outcome"].isin(("correct", "wrong"))]


def _pairs(df: pd.DataFrame):
    """Yield (row key tuple, answer dict, extracted dict) for answered trials with both answers."""
    d = _answered(df)
    cols = [d[c].to_numpy() for c in KEYS]
    for idx, (ans, ext) in enumerate(zip(d["answer"].to_numpy(), d["extracted"].to_numpy())):
        a, e = _loads(ans), _loads(ext)
        if isinstance(a, dict) and isinstance(e, dict):
            yield tuple(c[idx] for c in cols), a, e


def numeracy(df: pd.DataFrame) -> pd.DataFrame:
    """Signed off-by-k distribution: one row per (profile, model, task, scale, field, delta) with n."""
    tally: Counter = Counter()
    for key, a, e in _pairs(df):
        for name, truth in a.items():
            if isinstance(truth, bool):
                continue
            if isinstance(truth, int):
                pred = e.get(name)
                delta = "missing" if not _is_int(pred) else int(pred) - truth
                tally[key + (name, delta)] += 1
            elif isinstance(truth, dict):
                pred_map = {_norm(k): v for k, v in (e.get(name) or {}).items()} if isinstance(e.get(name), dict) else {}
                for item, count in truth.items():
                    pred = pred_map.get(_norm(item))
                    delta = "missing" if not _is_int(pred) else int(pred) - int(count)
                    tally[key + (name, delta)] += 1
    rows = [dict(zip(KEYS + ["field", "delta"], k), n=n) for k, n in tally.items()]
    return pd.DataFrame(rows, columns=KEYS + ["field", "delta", "n"])


def _is_int(v) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, np.integer)):
        return True
    return isinstance(v, str) and v.strip().lstrip("-").isdigit()


def sequence_errors(df: pd.DataFrame) -> pd.DataFrame:
    """Per (profile, model, task, scale): lists compared and the number of each alignment error."""
    ops_names = ("swap", "omission", "insertion", "substitution")
    acc: dict[tuple, Counter] = {}
    for key, a, e in _pairs(df):
        for name, truth in a.items():
            if not isinstance(truth, list):
                continue
            pred = e.get(name)
            c = acc.setdefault(key, Counter())
            c["lists"] += 1
            if not isinstance(pred, list):
                c["omission"] += len(truth)
                continue
            for op, *_ in align(truth, pred):
                if op != "match":
                    c[op] += 1
    rows = [dict(zip(KEYS, k), lists=c["lists"], **{o: c[o] for o in ops_names}) for k, c in acc.items()]
    out = pd.DataFrame(rows, columns=KEYS + ["lists", *ops_names])
    for o in ops_names:
        out[f"{o}_per_list"] = out[o] / out["lists"]
    return out.sort_values(KEYS).reset_index(drop=True)


def confusions(df: pd.DataFrame) -> pd.DataFrame:
    """Counts of (profile, model, field, truth, predicted) for labels and split sequence items."""
    tally: Counter = Counter()
    shown: dict[str, str] = {}  # normalised label -> how the answers spell it ("K", not "k")
    for key, a, e in _pairs(df):
        profile, model = key[0], key[1]
        for name, truth in a.items():
            pred = e.get(name)
            if isinstance(truth, str) and pred is not None and not isinstance(pred, (list, dict)):
                shown.setdefault(_norm(truth), str(truth).strip())
                tally[(profile, model, name, _norm(truth), _norm(pred))] += 1
            elif isinstance(truth, list) and isinstance(pred, list):
                for op, t_item, p_item in align(truth, pred):
                    if op not in ("match", "substitution"):
                        continue
                    t_parts, p_parts = t_item.split(" ", 1), p_item.split(" ", 1)
                    if len(t_parts) == 2 and len(p_parts) == 2:
                        tally[(profile, model, "colour", t_parts[0], p_parts[0])] += 1
                        tally[(profile, model, "identity", t_parts[1], p_parts[1])] += 1
    rows = [dict(zip(["profile", "model", "field", "truth", "predicted"], k[:3] + (shown.get(k[3], k[3]), shown.get(k[4], k[4]))), n=n)
            for k, n in tally.items()]
    return pd.DataFrame(rows, columns=["profile", "model", "field", "truth", "predicted", "n"])


def confusion_matrix(conf: pd.DataFrame, profile: str, model: str, field: str) -> pd.DataFrame:
    """Square truth x predicted count table for one field (predicted values outside the truth set kept)."""
    c = conf[(conf["profile"] == profile) & (conf["model"] == model) & (conf["field"] == field)]
    mat = c.pivot_table(index="truth", columns="predicted", values="n", aggfunc="sum", fill_value=0)
    labels = sorted(set(mat.index))
    extra = sorted(set(mat.columns) - set(labels))
    return mat.reindex(index=labels, columns=labels + extra, fill_value=0)


def phantom_items(df: pd.DataFrame) -> pd.DataFrame:
    """Items the model named that the image does not contain: one row per (key, field, item) with n."""
    tally: Counter = Counter()
    for key, a, e in _pairs(df):
        for name, truth in a.items():
            pred = e.get(name)
            if isinstance(truth, list) and isinstance(pred, list):
                present = {_norm(v) for v in truth}
                for item in pred:
                    if _norm(item) not in present:
                        tally[key + (name, _norm(item))] += 1
            elif isinstance(truth, dict) and isinstance(pred, dict):
                present = {_norm(k) for k in truth}
                for item, v in pred.items():
                    if _norm(item) not in present and not (_is_int(v) and int(v) == 0):
                        tally[key + (name, _norm(item))] += 1
    rows = [dict(zip(KEYS + ["field", "item"], k), n=n) for k, n in tally.items()]
    return pd.DataFrame(rows, columns=KEYS + ["field", "item", "n"])


def outcome_rates(df: pd.DataFrame, by=("profile", "model", "scale")) -> pd.DataFrame:
    """Share of answered trials per outcome (correct / wrong / unparseable / refusal) by scale."""
    check_frame(df)
    d = scored(df)
    t = pd.crosstab([d[c] for c in by], d["outcome"], normalize="index")
    return t.reindex(columns=["correct", "wrong", "unparseable", "refusal"], fill_value=0.0).reset_index()
