"""The report's fine-grained panel: per dataset, accuracy per model and protocol with Wilson 95% intervals,
and accuracy as the number of candidates grows (2, 5, 20, all), one line per model and distractor kind.

Every model in the runs is a row: VLMs and image-only baselines (which are models in the store like any
other), so they are compared on the same images, splits and intervals. Built from the score table's
`finegrained` rows (analysis/finegrained.py); rendered by templates/finegrained.html.j2.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from snellen.analysis import finegrained as fga
from snellen.report import figures

DASH = {"random": "-", "hard": "--"}


def _pct(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{100 * v:.1f}%"


def candidates_figure(curve: pd.DataFrame, dataset: str, colours: dict[str, str]) -> str:
    """Accuracy vs number of candidates (log x), Wilson bars, chance (1/k) dotted."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    ks = sorted(curve["candidates"].unique())
    for (model, kind), c in curve.groupby(["model", "distractors"], sort=True):
        c = c.sort_values("candidates")
        x, y = c["candidates"].to_numpy(float), c["accuracy"].to_numpy(float)
        ok = np.isfinite(y)
        if not ok.any():
            continue
        yerr = np.vstack([y - c["ci_low"].to_numpy(float), c["ci_high"].to_numpy(float) - y])[:, ok]
        ax.errorbar(x[ok], y[ok], yerr=yerr, color=colours[model], ls=DASH.get(kind, "-"), marker="o", ms=4,
                    capsize=2, lw=1.4, label=f"{model} · {kind} distractors")
    ax.plot(ks, [1.0 / k for k in ks], ls=":", color="#9aa0a6", lw=1.2, label="chance (1/k)")
    ax.set_xscale("log")
    ax.set_xticks(ks)
    ax.set_xticklabels([str(k) for k in ks])
    ax.minorticks_off()
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("candidates offered (k; the largest is every class)")
    ax.set_ylabel("accuracy")
    ax.set_title(f"{dataset}: accuracy vs number of candidates", fontsize=9)
    ax.legend(fontsize=7, loc="best")
    return figures.to_svg(fig)


def panel(df: pd.DataFrame) -> dict[str, Any] | None:
    """The panel's data for every dataset in the score table, or None when it holds no fine-grained rows."""
    acc = fga.accuracy(df)
    if acc.empty:
        return None
    models = sorted(acc["model"].unique())
    colours = figures.colour_of(models)
    datasets = []
    for dataset, g in acc.groupby("dataset", sort=True):
        rows = []
        for r in g.sort_values(["protocol", "candidates", "model"]).itertuples():
            rows.append({
                "model": r.model, "colour": colours[r.model], "split": r.split, "protocol": r.protocol,
                "candidates": "none listed" if r.protocol == "open" else int(r.candidates), "units": int(r.units), "answered": int(r.answered),
                "correct": int(r.correct), "accuracy": _pct(r.accuracy),
                "interval": "—" if r.answered == 0 else f"{_pct(r.ci_low)}–{_pct(r.ci_high)}",
                "chance": f"{100 * r.chance:.3g}%", "coverage": _pct(r.coverage), "unread": _pct(r.unread_rate),
                "unit": "image (all rotations)" if r.protocol.endswith("-circular") else "question",
            })
        curve = fga.by_candidates(g)
        fig = candidates_figure(curve, dataset, colours) if curve["candidates"].nunique() > 1 else None
        datasets.append({"dataset": dataset, "anchor": f"finegrained-{len(datasets)}", "rows": rows, "figure": fig,
                         "models": sorted(g["model"].unique())})
    return {"datasets": datasets, "records": acc.to_dict(orient="records")}
