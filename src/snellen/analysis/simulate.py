"""Simulated observers: score tables with a KNOWN psychometric function, for tests and benchmarks.

Each simulated model answers each trial correctly with probability
chance + (1 - chance - lapse) * logistic((ln scale - ln threshold) / width); wrong answers are drawn
to look like real ones (a wrong label, a count off by k, a list with a swap, omission, insertion or
substitution) so the taxonomy has something to find. The output follows the score DataFrame contract.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass

import numpy as np
import pandas as pd

from snellen.analysis.psychometric import predict

COLOURS = ("red", "green", "blue", "orange", "purple", "black")
SHAPES = ("circle", "triangle", "square", "star", "diamond", "pentagon", "hexagon", "cross")


@dataclass(frozen=True)
class Observer:
    name: str
    threshold: float  # px, nominal
    width: float = 0.25  # log-px
    lapse: float = 0.03
    resize_ratio: float | None = 1.0  # effective px = nominal x ratio; None = unknown
    unparseable: float = 0.02
    refusal: float = 0.01
    error: float = 0.01


TASKS = {
    # task: (family, kind, field, chance)
    "letter": ("glyph", "perception", "letter", 1 / 26),
    "shape": ("shape", "perception", "shape", 1 / 8),
    "count": ("count", "reasoning", "counts", None),
    "chain": ("chain", "reasoning", "objects", None),
}


def _truth(task: str, count: int, rng: np.random.Generator):
    if task == "letter":
        return {"letter": str(rng.choice(list(string.ascii_uppercase)))}, 1 / 26
    if task == "shape":
        return {"shape": str(rng.choice(SHAPES))}, 1 / 8
    if task == "count":
        keys = list(rng.choice(SHAPES, size=2, replace=False))
        split = int(rng.integers(0, count + 1))
        counts = {keys[0]: split, keys[1]: count - split}
        return {"counts": counts, "total": count}, 1.0 / (21**2 * 41)
    items = [f"{c} {s}" for c, s in zip(rng.choice(COLOURS, count), rng.choice(SHAPES, count, replace=False))]
    return {"objects": items}, float(np.prod(1.0 / (48 - np.arange(count))))


def _wrong(task: str, answer: dict, rng: np.random.Generator) -> dict:
    if task == "letter":
        return {"letter": str(rng.choice([c for c in string.ascii_uppercase if c != answer["letter"]]))}
    if task == "shape":
        return {"shape": str(rng.choice([s for s in SHAPES if s != answer["shape"]]))}
    if task == "count":
        counts = dict(answer["counts"])
        key = list(counts)[int(rng.integers(0, len(counts)))]
        off = int(rng.choice([-2, -1, 1, 1, 2]))
        counts[key] = max(0, counts[key] + off)
        if counts == answer["counts"]:
            counts[key] += 1
        if rng.random() < 0.1:
            counts["hexagon" if "hexagon" not in counts else "star"] = 1  # an item not in the image
        return {"counts": counts, "total": int(sum(counts.values()))}
    items = list(answer["objects"])
    op = rng.integers(0, 4)
    if op == 0 and len(items) >= 2:
        i = int(rng.integers(0, len(items) - 1))
        items[i], items[i + 1] = items[i + 1], items[i]
    elif op == 1 and len(items) >= 2:
        items.pop(int(rng.integers(0, len(items))))
    elif op == 2:
        items.insert(int(rng.integers(0, len(items) + 1)), "purple heart")
    else:
        i = int(rng.integers(0, len(items)))
        items[i] = "green " + items[i].split(" ", 1)[1] if not items[i].startswith("green") else "red " + items[i].split(" ", 1)[1]
    return {"objects": items}


def simulate_scores(
    observers: list[Observer], rng: np.random.Generator, tasks=("letter", "shape", "count", "chain"),
    scales=(4, 6, 8, 10, 12, 16, 24, 32, 48), per_cell: int = 20, counts=(2, 4, 8), profile: str = "snellen",
    task_thresholds: dict[str, float] | None = None,
) -> pd.DataFrame:
    """A score table for `observers` answering the same simulated samples (paired across models).

    `task_thresholds` multiplies each observer's threshold per task (e.g. reasoning is harder).
    """
    samples = []
    for task in tasks:
        family, kind, _field, _ = TASKS[task]
        task_counts = counts if kind == "reasoning" else (1,)
        for c in task_counts:
            for s in scales:
                for i in range(per_cell):
                    answer, chance = _truth(task, c, rng)
                    samples.append(dict(
                        sample_id=f"{task}-{c}-{s}-{i}", suite="simulated", suite_hash="sim0", profile=profile,
                        task=task, family=family, kind=kind, scale=int(s),
                        measured_scale=float(s) * float(rng.uniform(0.95, 1.05)), count=int(c), chance=chance,
                        answer=answer,
                    ))
    rows = []
    for obs in observers:
        for smp in samples:
            mult = (task_thresholds or {}).get(smp["task"], 1.0)
            p = float(predict(np.log(smp["scale"]), smp["chance"], np.log(obs.threshold * mult), obs.width, obs.lapse))
            u = rng.random()
            extracted, text, error_kind = None, None, None
            if u < obs.error:
                outcome = "error"
                error_kind = "timeout"
            elif u < obs.error + obs.refusal:
                outcome, text = "refusal", "I can't see anything in this image."
            elif u < obs.error + obs.refusal + obs.unparseable:
                outcome, text = "unparseable", "The image shows something small"
            elif rng.random() < p:
                outcome, extracted = "correct", smp["answer"]
            else:
                outcome, extracted = "wrong", _wrong(smp["task"], smp["answer"], rng)
            if extracted is not None:
                text = json.dumps(extracted)
            eff = np.nan if obs.resize_ratio is None else smp["measured_scale"] * obs.resize_ratio
            rows.append(dict(
                model=obs.name, sample_id=smp["sample_id"], repeat=0, suite=smp["suite"], suite_hash=smp["suite_hash"],
                profile=smp["profile"], task=smp["task"], family=smp["family"], kind=smp["kind"], scale=smp["scale"],
                measured_scale=smp["measured_scale"], effective_scale=eff, count=smp["count"], chance=smp["chance"],
                outcome=outcome, strict=outcome == "correct", partial=1.0 if outcome == "correct" else 0.0,
                field_scores=json.dumps({}), extracted=json.dumps(extracted) if extracted is not None else None,
                answer=json.dumps(smp["answer"]), text=text, error_kind=error_kind,
            ))
    return pd.DataFrame(rows)


GRID = (4.0, 6.0, 8.0, 10.0, 12.0, 16.0, 24.0, 32.0, 48.0)


@dataclass(frozen=True)
class Regime:
    """A simulated exam for checking threshold intervals: the true curve and how it is sampled.

    Each run draws its true threshold log-uniformly in `threshold` (a fixed threshold when both ends are
    equal): a steep curve's threshold can only be placed between two grid sizes, so its coverage is only
    meaningful averaged over where in that gap the truth lies."""

    name: str
    chance: float
    threshold: tuple[float, float]  # px
    width: float  # log-px (logistic scale)
    lapse: float
    per_cell: int
    scales: tuple[float, ...] = GRID


REGIMES = (
    # smooth curves, many trials (the original check)
    Regime("letters 1/26, 9 px, w .25, 50/cell", 1 / 26, (9.0, 9.0), 0.25, 0.03, 50),
    Regime("shapes 1/8, 14 px, w .30, 50/cell", 1 / 8, (14.0, 14.0), 0.30, 0.05, 50),
    Regime("yes/no 1/2, 7 px, w .20, 100/cell", 1 / 2, (7.0, 7.0), 0.20, 0.02, 100),
    Regime("lists ~0, 20 px, w .35, 30/cell", 1e-4, (20.0, 20.0), 0.35, 0.10, 30),
    # steep curves: a step between two grid sizes (the 6-8 px case), and near-steps anywhere
    Regime("step in 6-8 px, 1/26, 30/cell", 1 / 26, (6.0, 8.0), 0.01, 0.0, 30),
    Regime("true step in 6-8 px, 1/26, 30/cell", 1 / 26, (6.0, 8.0), 0.002, 0.0, 30),
    Regime("steep w .03, 5-40 px, 1/26, 20/cell", 1 / 26, (5.0, 40.0), 0.03, 0.02, 20),
    Regime("steep w .08, 5-40 px, 1/8, 20/cell", 1 / 8, (5.0, 40.0), 0.08, 0.03, 20),
    # few trials per cell
    Regime("few: letters 9 px, w .25, 5/cell", 1 / 26, (9.0, 9.0), 0.25, 0.03, 5),
    Regime("few: yes/no 5-40 px, w .25, 10/cell", 1 / 2, (5.0, 40.0), 0.25, 0.02, 10),
    # lapses (ceiling well below 100%)
    Regime("lapse .15: shapes 5-40 px, w .25, 20/cell", 1 / 8, (5.0, 40.0), 0.25, 0.15, 20),
    Regime("lapse .10 + steep + 10/cell, letters", 1 / 26, (5.0, 40.0), 0.03, 0.10, 10),
)


def simulate_counts(regime: Regime, runs: int, rng: np.random.Generator):
    """`runs` simulated exams of one regime: (log-scales (m,), successes (runs, m), trials (runs, m),
    true thresholds in px (runs,))."""
    x = np.log(np.asarray(regime.scales, dtype=float))
    lo, hi = np.log(regime.threshold)
    loc = rng.uniform(lo, hi, size=runs) if hi > lo else np.full(runs, lo)
    p = predict(x[None, :], regime.chance, loc[:, None], regime.width, regime.lapse)
    n = np.full((runs, x.size), float(regime.per_cell))
    k = rng.binomial(regime.per_cell, p).astype(float)
    return x, k, n, np.exp(loc)
