"""Report figures: matplotlib drawn to inline SVG strings (no files, no network, no JavaScript).

Labels may come from model output (confusion matrices, phantom items), so every text is drawn with
mathtext off (a '$' must not be parsed) and as SVG <text>, which matplotlib's SVG writer escapes.
"""

from __future__ import annotations

import io
import itertools
import re

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from snellen.analysis.psychometric import predict  # noqa: E402

HUMAN_PREFIX = "human:"  # runs of `snellen human` (people); their thresholds are drawn as reference lines
PALETTE = ["#2f6fdf", "#e4572e", "#17a398", "#f0a202", "#8a4fff", "#d7263d", "#3d405b", "#7cb518", "#ff7eb6", "#6c757d"]
_counter = itertools.count()

plt.rcParams.update({
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#9aa0a6",
    "axes.labelcolor": "#3c4043",
    "xtick.color": "#5f6368",
    "ytick.color": "#5f6368",
    "axes.grid": True,
    "grid.color": "#eceff1",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
})


def reset_ids() -> None:
    """Restart SVG id salts so one report's output depends only on its inputs (determinism)."""
    global _counter
    _counter = itertools.count()


def colour_of(models: list[str]) -> dict[str, str]:
    return {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(models)}


def _plain(fig) -> None:
    """Turn mathtext off for every text in the figure: model output must render literally."""
    for t in fig.findobj(matplotlib.text.Text):
        t.set_parse_math(False)


def to_svg(fig) -> str:
    _plain(fig)
    with plt.rc_context({"svg.hashsalt": f"snellen-{next(_counter)}"}):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and DOCTYPE: it is inlined into HTML
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 class="figure-svg"', svg, count=1)


def acuity_curve(curves: pd.DataFrame, fits: pd.DataFrame, task: str, axis: str, colours: dict[str, str]) -> str:
    """Accuracy vs scale per model for one task: Wilson bars, fitted curve, threshold marker + CI band."""
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    chance = None
    for model, c in curves.groupby("model", sort=True):
        col = colours[model]
        c = c.sort_values(axis)
        x = c[axis].to_numpy(float)
        if not np.isfinite(x).all():
            continue
        y = c["accuracy"].to_numpy()
        yerr = np.vstack([y - c["ci_low"].to_numpy(), c["ci_high"].to_numpy() - y])
        ax.errorbar(x, y, yerr=yerr, fmt="o", ms=4, color=col, capsize=2, lw=1, label=model)
        chance = float(np.average(c["chance"], weights=c["n"]))
        f = fits[fits["model"] == model]
        if len(f) and f"{axis}_fit_threshold_raw" in f and np.isfinite(f[f"{axis}_fit_threshold_raw"].iloc[0]):
            r = f.iloc[0]
            xs = np.geomspace(x.min(), x.max(), 200)
            ys = predict(np.log(xs), chance, np.log(r[f"{axis}_fit_threshold_raw"]), r[f"{axis}_width"], r[f"{axis}_lapse"])
            ax.plot(xs, ys, color=col, lw=1.6, alpha=0.9)
            t = r[f"{axis}_threshold"]
            if np.isfinite(t):
                yt = chance + (1 - chance - r[f"{axis}_lapse"]) / 2
                lo = r[f"{axis}_ci_low"] if np.isfinite(r[f"{axis}_ci_low"]) else x.min()
                hi = r[f"{axis}_ci_high"] if np.isfinite(r[f"{axis}_ci_high"]) else x.max()
                ax.axvspan(lo, hi, color=col, alpha=0.10, lw=0)
                ax.plot([t], [yt], marker="D", ms=7, color=col, mec="white", mew=1.2, zorder=5)
                if str(model).startswith(HUMAN_PREFIX):  # a person's threshold: the reference for every model
                    ax.axvline(t, color=col, ls="--", lw=1.2, zorder=4, gid="human-threshold",
                               label=f"{model} threshold {t:.3g} px")
    if chance is not None:
        ax.axhline(chance, color="#9aa0a6", ls=":", lw=1)
        ax.text(1.0, chance, " chance", transform=ax.get_yaxis_transform(), va="bottom", ha="right", fontsize=7, color="#80868b")
    ax.set_xscale("log")
    ticks = sorted(curves[axis].dropna().unique())
    if ticks and len(ticks) <= 12:
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{t:g}" for t in ticks])
        ax.minorticks_off()
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"{'nominal' if axis == 'nominal' else 'effective'} target size (px)")
    ax.set_ylabel("strict accuracy")
    ax.set_title(task, loc="left", fontsize=11, fontweight="bold", color="#202124")
    ax.legend(fontsize=7, loc="upper left")
    return to_svg(fig)


def kind_panel(curves: pd.DataFrame, colours: dict[str, str]) -> str:
    """Perception vs reasoning: pooled accuracy by scale, one line per model, solid vs dashed."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
    for ax, kind in zip(axes, ("perception", "reasoning")):
        c = curves[curves["kind"] == kind]
        ax.set_title(kind, loc="left", fontweight="bold")
        if c.empty:  # an empty log axis would show unrendered tick labels: say why it is empty instead
            ax.text(0.5, 0.5, f"no {kind} tasks in these runs", transform=ax.transAxes, ha="center", va="center",
                    color="#80868b", fontsize=9)
            ax.set_xticks([])
            continue
        for model, g in c.groupby("model", sort=True):
            g = g.sort_values("nominal")
            ax.fill_between(g["nominal"], g["ci_low"], g["ci_high"], color=colours[model], alpha=0.12, lw=0)
            ax.plot(g["nominal"], g["accuracy"], "-o", ms=3, color=colours[model], label=model, lw=1.5)
        ax.set_xscale("log")
        ticks = sorted(c["nominal"].unique())
        if ticks:
            ax.set_xticks(ticks)
            ax.set_xticklabels([f"{t:g}" for t in ticks])
            ax.minorticks_off()
        ax.set_xlabel("nominal target size (px)")
        ax.set_ylim(-0.02, 1.02)
    axes[0].set_ylabel("strict accuracy (pooled tasks)")
    if axes[1].get_legend_handles_labels()[0]:
        axes[1].legend(fontsize=7, loc="upper left")
    elif axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(fontsize=7, loc="upper left")
    return to_svg(fig)


def outcome_bars(rates: pd.DataFrame, model: str) -> str:
    """Stacked shares of correct / wrong / unparseable / refusal by scale for one model."""
    fig, ax = plt.subplots(figsize=(4.6, 2.6))
    r = rates[rates["model"] == model].sort_values("scale")
    x = np.arange(len(r))
    bottom = np.zeros(len(r))
    for name, col in (("correct", "#17a398"), ("wrong", "#e4572e"), ("unparseable", "#f0a202"), ("refusal", "#8a4fff")):
        ax.bar(x, r[name], bottom=bottom, color=col, label=name, width=0.8)
        bottom += r[name].to_numpy()
    ax.set_xticks(x)
    ax.set_xticklabels([f"{s:g}" for s in r["scale"]])
    ax.set_xlabel("nominal target size (px)")
    ax.set_ylabel("share of answers")
    ax.set_title(model, loc="left", fontweight="bold")
    ax.grid(False)
    ax.legend(fontsize=6, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.28))
    return to_svg(fig)


def numeracy_hist(num: pd.DataFrame, model: str) -> str:
    """Signed off-by-k distribution of counts (all count fields and scales pooled)."""
    d = num[(num["model"] == model) & (num["delta"] != "missing")]
    fig, ax = plt.subplots(figsize=(4.2, 2.6))
    if len(d):
        s = d.assign(delta=d["delta"].astype(int)).groupby("delta")["n"].sum()
        cols = ["#17a398" if k == 0 else "#e4572e" for k in s.index]
        ax.bar(s.index, s.to_numpy() / s.sum(), color=cols, width=0.8)
    ax.set_xlabel("predicted − true count")
    ax.set_ylabel("share")
    ax.set_title(model, loc="left", fontweight="bold")
    return to_svg(fig)


def sequence_bars(seq: pd.DataFrame, model: str) -> str:
    """Alignment errors per list by scale (swaps, omissions, insertions, substitutions)."""
    d = seq[seq["model"] == model].groupby("scale")[["lists", "swap", "omission", "insertion", "substitution"]].sum()
    fig, ax = plt.subplots(figsize=(4.6, 2.6))
    x = np.arange(len(d))
    width = 0.2
    for i, (name, col) in enumerate((("swap", "#2f6fdf"), ("omission", "#e4572e"), ("insertion", "#f0a202"), ("substitution", "#8a4fff"))):
        ax.bar(x + (i - 1.5) * width, d[name] / d["lists"].where(d["lists"] > 0), width, color=col, label=name)
    ax.set_xticks(x)
    ax.set_xticklabels([f"{s:g}" for s in d.index])
    ax.set_xlabel("nominal target size (px)")
    ax.set_ylabel("errors per list")
    ax.set_title(model, loc="left", fontweight="bold")
    ax.legend(fontsize=6, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.28))
    return to_svg(fig)


def confusion_heatmap(mat: pd.DataFrame, title: str) -> str:
    """Row-normalised confusion matrix (truth rows, predicted columns); labels drawn literally."""
    rows = mat.to_numpy(float)
    norm = rows / np.maximum(rows.sum(axis=1, keepdims=True), 1)
    size = max(3.0, 0.28 * max(mat.shape) + 1.5)
    fig, ax = plt.subplots(figsize=(size * mat.shape[1] / max(mat.shape), size * mat.shape[0] / max(mat.shape) + 0.6))
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(mat.shape[1]))
    ax.set_xticklabels([str(c) for c in mat.columns], rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(mat.shape[0]))
    ax.set_yticklabels([str(c) for c in mat.index], fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.grid(False)
    ax.set_title(title, loc="left", fontweight="bold")
    return to_svg(fig)


def trial_sequence(trials: list[tuple[int, int, bool]], task: str, threshold: float | None = None) -> str:
    """An adaptive search: scale over trial number, correct (filled) and wrong (open) marked."""
    fig, ax = plt.subplots(figsize=(5.6, 2.6))
    t = np.array([x[0] for x in trials])
    s = np.array([x[1] for x in trials], float)
    ok = np.array([x[2] for x in trials], bool)
    ax.plot(t, s, color="#bdc1c6", lw=1, zorder=1)
    ax.scatter(t[ok], s[ok], s=22, color="#1a73e8", label="correct", zorder=2)
    ax.scatter(t[~ok], s[~ok], s=22, facecolors="white", edgecolors="#d93025", label="wrong", zorder=2)
    if threshold is not None and np.isfinite(threshold):
        ax.axhline(threshold, color="#188038", ls="--", lw=1, label=f"threshold {threshold:.1f} px")
    ax.set_yscale("log")
    ticks = [v for v in (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128) if s.min() / 1.2 <= v <= s.max() * 1.2]
    ax.set_yticks(ticks)
    ax.set_yticklabels([f"{v:g}" for v in ticks])
    ax.yaxis.set_minor_locator(plt.NullLocator())
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.set_xlabel("trial")
    ax.set_ylabel("target size (px)")
    ax.set_title(task, loc="left", fontsize=11, fontweight="bold", color="#202124")
    ax.legend(fontsize=7, loc="upper right")
    return to_svg(fig)
