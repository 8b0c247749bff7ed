"""Defects of a loaded benchmark's own labels: what is wrong with a sample as published, and what that does to
a figure measured on it.

A loader that finds one records it on the sample, `extra["defects"] = {code: one-line detail}`; the score table
carries the codes (column `defects`), analysis/data_quality.py counts them per task, and the report, the
leaderboard and `snellen verify` show them. The checks below work on any sample geometry; a loader decides which
apply to its records (e.g. which coordinate a published order follows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Defect:
    code: str
    title: str  # what is wrong, in a few words
    effect: str  # what it does to a figure measured on these samples


CATALOGUE: dict[str, Defect] = {d.code: d for d in (
    Defect("answer_constant", "the answer is the same in every sample of the task",
           "a model that always gives that answer scores 100% without looking: accuracy measures no seeing, and its "
           "curve and threshold say nothing about acuity"),
    Defect("prompt_states_answer", "the prompt states part of the answer",
           "that field is read from the text, not the image: its accuracy stays high at sizes where nothing can be "
           "seen, which inflates strict accuracy and flattens the curve"),
    Defect("order_tie", "two differently labelled targets tie on the ordering axis",
           "the published order between them is the order they were drawn in, which the image does not show: a "
           "correct reading can be scored wrong, so accuracy on these samples is capped below 100% at every size"),
    Defect("size_label_not_drawn", "no target is drawn at the labelled size",
           "the sample is filed under a size it does not show (its targets are all larger, or smaller, than the "
           "label), so the accuracy plotted at that size is not accuracy at that size"),
    Defect("targets_below_label", "some targets are drawn smaller than the labelled size",
           "the sample is harder than its size says: accuracy plotted at a large size includes targets down to "
           "the smallest drawn one, which pulls the curve down at large sizes"),
)}


def codes(extra: dict[str, Any] | None) -> tuple[str, ...]:
    """The defect codes recorded on a sample (its `extra`), sorted."""
    found = (extra or {}).get("defects") or {}
    return tuple(sorted(found))


def order_ties(keys: Iterable[float], labels: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of differently labelled targets with the same ordering key (a tie the order cannot resolve)."""
    seen: dict[float, set[str]] = {}
    for k, label in zip(keys, labels):
        seen.setdefault(k, set()).add(label)
    return [tuple(sorted(v))[:2] for v in seen.values() if len(v) > 1]


def size_label_defects(label: int, drawn: Iterable[int], pool_note: str = "") -> dict[str, str]:
    """`size_label_not_drawn` / `targets_below_label` for a sample labelled `label` px whose targets were drawn at
    the sizes `drawn`; `pool_note` says why, where the loader knows the generator's rule."""
    sizes = sorted({int(s) for s in drawn})
    if not sizes:
        return {}
    out = {}
    shown = ", ".join(f"{s}" for s in sizes)
    if label not in sizes:
        out["size_label_not_drawn"] = f"labelled {label} px, drawn at {shown} px{pool_note}"
    if sizes[0] < label:
        out["targets_below_label"] = f"labelled {label} px, smallest target {sizes[0]} px{pool_note}"
    return out
