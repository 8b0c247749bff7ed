"""The report's fine-grained panel: per dataset, accuracy per model and protocol with Wilson 95% intervals,
and accuracy as the number of candidates grows (2, 5, 20, all), one line per model and distractor kind.

Every model in the runs is a row: VLMs and image-only baselines (which are models in the store like any
other), so they are compared on the same images, splits and intervals. Built from the score table's
`finegrained` rows (analysis/finegrained.py); rendered by templates/finegrained.html.j2.

Gap analysis (analysis/finegrained_gap.py), where the report holds a VLM and baselines: per dataset and VLM,
accuracy of each model on the items all of them answered (how many, beside each model's own count), the gap
baseline - VLM with a paired interval, and a one-line reading; and per probe task (e.g. species) the VLM's
and each baseline's threshold in px side by side with the gap in px.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from snellen.analysis import finegrained as fga
from snellen.analysis import finegrained_gap as gap
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
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the axes: never over a line
    return figures.to_svg(fig)


def _interval(lo, hi, scale: float = 100.0, signed: bool = False) -> str:
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return "—"
    f = "{:+.1f}" if signed else "{:.1f}"
    return f"[{f.format(scale * lo)}, {f.format(scale * hi)}]"


def gap_figures(acc: pd.DataFrame, gaps: pd.DataFrame, colours: dict[str, str]) -> tuple[str, str]:
    """Two figures for one (dataset, VLM): accuracy on the shared items per protocol and model (Wilson bars,
    chance marked), and the gap baseline - VLM in points per protocol (Newcombe paired bars, 0 marked)."""
    import matplotlib.pyplot as plt

    protocols = list(dict.fromkeys(acc.sort_values(["candidates", "protocol"])["protocol"]))
    order = {m: i for i, m in enumerate(dict.fromkeys(acc["model"]))}
    rows = [(p, r) for p in protocols for r in acc[acc["protocol"] == p].sort_values("model", key=lambda s: s.map(order)).itertuples()]
    fig, ax = plt.subplots(figsize=(6.4, 1.1 + 0.3 * len(rows)))
    y = np.arange(len(rows))[::-1]
    for yi, (p, r) in zip(y, rows):
        if np.isfinite(r.accuracy):
            ax.errorbar([r.accuracy], [yi], xerr=[[r.accuracy - r.ci_low], [r.ci_high - r.accuracy]], fmt="o", ms=5,
                        color=colours[r.model], capsize=2, lw=1.4)
    for p in protocols:  # chance: one grey tick across the protocol's rows
        ys = [yi for yi, (q, _) in zip(y, rows) if q == p]
        ch = float(acc.loc[acc["protocol"] == p, "chance"].iloc[0])
        ax.plot([ch, ch], [min(ys) - 0.4, max(ys) + 0.4], ls=":", color="#9aa0a6", lw=1.2)
    ax.set_yticks(y)
    ax.set_yticklabels([f"{p} · {fga_kind(r.kind)}" for p, r in rows], fontsize=8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("accuracy on the shared items (Wilson 95%; dotted: chance)")
    ax.set_title(f"{acc['dataset'].iloc[0]}: VLM beside image-only baselines", fontsize=9)
    acc_svg = figures.to_svg(fig)

    g = gaps.assign(_k=gaps["protocol"].map({p: i for i, p in enumerate(protocols)}))
    g = g.sort_values(["_k", "baseline"], key=lambda s: s.map(order) if s.name == "baseline" else s)
    fig, ax = plt.subplots(figsize=(6.4, 1.1 + 0.3 * len(g)))
    y = np.arange(len(g))[::-1]
    for yi, r in zip(y, g.itertuples()):
        if np.isfinite(r.diff):
            d = 100 * r.diff
            ax.errorbar([d], [yi], xerr=[[d - 100 * r.diff_low], [100 * r.diff_high - d]], fmt="s", ms=5,
                        color=colours[r.baseline], capsize=2, lw=1.4)
    ax.axvline(0, color="#5f6368", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels([f"{r.protocol} · {fga_kind(r.kind)}" for r in g.itertuples()], fontsize=8)
    ax.set_xlim(-102, 102)
    ax.set_xlabel("baseline − VLM (points; paired 95%)")
    ax.set_title("gap baseline − VLM: right of 0, the baseline knows what the VLM does not name", fontsize=9)
    return acc_svg, figures.to_svg(fig)


def fga_kind(kind: str) -> str:
    return gap.KIND_LABEL.get(kind, kind)


def threshold_figure(t: pd.DataFrame, colours: dict[str, str]) -> str:
    """Thresholds (px, log axis) of the VLM and each baseline per task, credible intervals as bars; a
    threshold beyond the sizes tested is an arrow at the grid's edge."""
    import matplotlib.pyplot as plt

    drawn: dict[tuple[str, str], tuple] = {}  # a VLM compared with two baselines is drawn once per task
    for r in t.itertuples():
        drawn.setdefault((r.task, r.vlm), (r.task, r.vlm, "vlm", r.vlm_threshold, r.vlm_ci_low, r.vlm_ci_high, r.vlm_censor,
                                           r.grid_low, r.grid_high))
        drawn.setdefault((r.task, r.baseline), (r.task, r.baseline, r.kind, r.baseline_threshold, r.baseline_ci_low,
                                                r.baseline_ci_high, r.baseline_censor, r.grid_low, r.grid_high))
    rows = list(drawn.values())
    fig, ax = plt.subplots(figsize=(6.4, 1.1 + 0.34 * len(rows)))
    y = np.arange(len(rows))[::-1]
    lo_all, hi_all = min(r[7] for r in rows), max(r[8] for r in rows)
    for yi, (task, model, kind, th, lo, hi, censor, lo_g, hi_g) in zip(y, rows):
        c = colours[model]
        if censor == "" and np.isfinite(th):
            lo_e = th - lo if np.isfinite(lo) else 0.0
            hi_e = hi - th if np.isfinite(hi) else 0.0
            ax.errorbar([th], [yi], xerr=[[lo_e], [hi_e]], fmt="o", ms=5, color=c, capsize=2, lw=1.4)
        elif censor == ">":
            ax.annotate("", xy=(hi_g * 1.35, yi), xytext=(hi_g, yi), arrowprops=dict(arrowstyle="->", color=c, lw=1.6))
            ax.plot([hi_g], [yi], marker="|", ms=9, color=c)
        elif censor in ("<", "<="):
            ax.annotate("", xy=(lo_g / 1.35, yi), xytext=(lo_g, yi), arrowprops=dict(arrowstyle="->", color=c, lw=1.6))
            ax.plot([lo_g], [yi], marker="|", ms=9, color=c)
    ax.axvspan(lo_all, hi_all, color="#f1f3f4", zorder=0)
    ax.set_xscale("log")
    ax.set_xlim(lo_all / 1.6, hi_all * 1.6)
    ticks = sorted({float(v) for v in t["grid_low"]} | {float(v) for v in t["grid_high"]}
                   | {2.0 ** e for e in range(int(np.floor(np.log2(lo_all))), int(np.ceil(np.log2(hi_all))) + 1)})
    ticks = [v for v in ticks if lo_all / 1.6 <= v <= hi_all * 1.6]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{v:g}" for v in ticks])  # plain numbers: mathtext is off in report figures
    ax.minorticks_off()
    ax.set_yticks(y)
    ax.set_yticklabels([f"{task} · {fga_kind(kind)} · {model}" for task, model, kind, *_ in rows], fontsize=8)
    ax.set_xlabel("threshold: detail size in px (95% credible; shaded: sizes tested; arrow: beyond them)")
    ax.set_title("fine-grained thresholds: VLM vs image-only baselines", fontsize=9)
    return figures.to_svg(fig)


def gap_section(acc: pd.DataFrame, gaps: pd.DataFrame, colours: dict[str, str]) -> list[dict[str, Any]]:
    """Per VLM of one dataset: its comparison with the baselines (table rows, figures, readings)."""
    out = []
    for vlm, a in acc.groupby("vlm", sort=True):
        gv = gaps[gaps["vlm"] == vlm]
        gap_of = {(r.protocol, r.baseline): r for r in gv.itertuples()}
        rows = []
        for r in a.sort_values(["candidates", "protocol"]).itertuples():
            gr = gap_of.get((r.protocol, r.model))
            rows.append({
                "protocol": r.protocol, "model": r.model, "colour": colours[r.model], "kind": fga_kind(r.kind),
                "own": int(r.own), "shared": int(r.shared), "accuracy": _pct(r.accuracy),
                "interval": _interval(r.ci_low, r.ci_high), "chance": f"{100 * r.chance:.3g}%",
                "gap": "—" if gr is None else f"{100 * gr.diff:+.1f}" if np.isfinite(gr.diff) else "—",
                "gap_interval": "—" if gr is None else _interval(gr.diff_low, gr.diff_high, signed=True),
                "discordant": "" if gr is None else f"{gr.only_baseline} / {gr.only_vlm}",
            })
        head = gap.headline(gv)
        readings = [{"kind": fga_kind(h["kind"]), "protocol": h["protocol"], "shared": int(h["shared"]), "text": h["reading"]} for _, h in head.iterrows()]
        shared = a.groupby("protocol")["shared"].first()
        own = a.groupby("protocol")["own"].max()
        unmatched = [f"{p}: {int(shared[p])} shared of up to {int(own[p])}" for p in shared.index if shared[p] < own[p]]
        acc_svg, gap_svg = gap_figures(a, gv, colours) if (a["shared"] > 0).any() else (None, None)
        out.append({"vlm": vlm, "rows": rows, "readings": readings, "acc_figure": acc_svg, "gap_figure": gap_svg,
                    "unmatched": unmatched, "no_shared": sorted(shared.index[shared == 0])})
    return out


def threshold_section(t: pd.DataFrame, colours: dict[str, str]) -> dict[str, Any] | None:
    if t.empty:
        return None
    rows = [{"task": r["task"], "vlm": r["vlm"], "baseline": r["baseline"], "kind": fga_kind(r["kind"]),
             "vlm_colour": colours[r["vlm"]], "baseline_colour": colours[r["baseline"]], "pairs": int(r["pairs"]),
             "vlm_text": r["vlm_text"], "baseline_text": r["baseline_text"], "gap_text": r["gap_text"], "gap_why": r["gap_why"],
             "reading": gap.threshold_reading(r)} for _, r in t.iterrows()]
    return {"rows": rows, "figure": threshold_figure(t, colours)}


def panel(df: pd.DataFrame, roles: dict[str, gap.ModelRole] | None = None, rng: np.random.Generator | None = None,
          n_boot: int = 1000) -> dict[str, Any] | None:
    """The panel's data for every dataset in the score table, and the VLM-vs-baseline gaps where `roles` name
    both kinds; None when there is nothing to show (no fine-grained rows, no threshold gap)."""
    acc = fga.accuracy(df)
    roles = roles or {}
    rng = rng if rng is not None else np.random.default_rng(0)
    thr = gap.threshold_gaps(df, roles, rng, n_boot=n_boot) if roles else pd.DataFrame()
    if acc.empty and thr.empty:
        return None
    models = sorted(df["model"].unique())
    colours = figures.colour_of(models)
    gap_acc, gaps = gap.accuracy_gaps(df, roles) if roles else (pd.DataFrame(columns=["dataset"]), pd.DataFrame(columns=["dataset"]))
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
        ga = gap_acc[gap_acc["dataset"] == dataset]
        datasets.append({"dataset": dataset, "anchor": f"finegrained-{len(datasets)}", "rows": rows, "figure": fig,
                         "models": sorted(g["model"].unique()),
                         "gaps": gap_section(ga, gaps[gaps["dataset"] == dataset], colours) if len(ga) else []})
    return {"datasets": datasets, "records": acc.to_dict(orient="records"),
            "gap_records": gaps.to_dict(orient="records"), "threshold_records": thr.to_dict(orient="records"),
            "thresholds": threshold_section(thr, colours)}
