"""Is the knowledge in the encoder and lost downstream? The VLM beside image-only baselines on the same items.

Roles come from the backend that answered (models/base.Backend.role; an aid wraps its inner model's role):
`vlm` models are compared with the baselines: zero-shot (`clip:`, `siglip:`), linear probes (`probe:ENCODER`)
and the own-tower probe (`probe:vlm:PATH`: a probe on the vision tower inside the VLM checkpoint at PATH,
"own" when PATH is the VLM's own checkpoint). Reference models (random, oracle, ideal...) take no part.

Classification (`accuracy_gaps`): per (dataset, split, protocol) and VLM, every model of the group is scored
on the units ALL of them answered (the same questions: sample ids hash the dataset's content, the protocol,
the distractor source, the seed, the image and the rotation, so runs posed with other seeds or subsets share
only what they truly share; each model's own answered count is kept beside the shared count, so a smaller
common ground is always visible). Accuracy has a Wilson interval; the gap (baseline - VLM, in points) has
Newcombe's paired interval (analysis/intervals.paired_difference), and a reading in words.

Probe families (`threshold_gaps`): per task that a VLM and a baseline both answered at two or more sizes,
the two thresholds from the house's Bayesian fit (acuity.thresholds) on the trials both answered, and the
gap in px (VLM - baseline: how much larger a detail the VLM needs) with a 95% interval from draws of the two
marginal posteriors (independent: ignoring the pairing can only widen it, as in analysis/aids.py). A threshold
beyond the sizes tested bounds the gap on one side ("> 12.0 px"), never a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from snellen.analysis import acuity
from snellen.analysis import finegrained as fga
from snellen.analysis.frame import scored
from snellen.analysis.intervals import paired_difference, wilson
from snellen.analysis.psychometric import posterior_thresholds

BASELINES = ("own-tower", "probe", "zero-shot")  # the order of the readings: the encoder's own knowledge first
KIND_LABEL = {"vlm": "VLM", "own-tower": "own-tower probe", "probe": "linear probe", "zero-shot": "zero-shot",
              "reference": "reference"}
LEVEL = 0.95
DRAWS = 4000


@dataclass(frozen=True)
class ModelRole:
    role: str  # vlm | zero-shot | probe | own-tower | reference
    checkpoint: str | None = None  # vlm: its local checkpoint folder (hf:PATH); own-tower: the VLM whose tower


def _same_path(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    try:
        return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()
    except (OSError, RuntimeError):
        return a == b


def role_of(spec: str) -> ModelRole:
    """A model's role from its spec (the backend class's `role`; aids take their inner model's)."""
    from snellen.analysis.aids import bare_model
    from snellen.models.base import backends, parse_spec

    inner = bare_model(spec) or spec
    prefix, target = parse_spec(inner)
    cls = backends().get(prefix)
    role = getattr(cls, "role", "vlm") if cls is not None else "vlm"
    if role == "probe" and target.startswith("vlm:"):
        return ModelRole("own-tower", target[len("vlm:"):])
    if role == "vlm":
        return ModelRole("vlm", target if prefix == "hf" else None)  # a local checkpoint: its tower can be probed
    return ModelRole(role)


def kind_beside(vlm: str, model: str, roles: dict[str, ModelRole]) -> str:
    """The model's kind as compared with this VLM: a probe on another checkpoint's tower is a linear probe."""
    r = roles[model]
    if r.role == "own-tower" and not _same_path(r.checkpoint, roles[vlm].checkpoint):
        return "probe"
    return r.role


def _who(kind: str, baseline: str) -> str:
    """How a reading names the baseline: its own tower, a linear probe on ENCODER, zero-shot MODEL."""
    from snellen.models.base import parse_spec

    _, target = parse_spec(baseline)
    if kind == "own-tower":
        return "its own vision tower (linear probe)"
    if kind == "probe":
        return f"a linear probe on {target or baseline}"
    return f"zero-shot {baseline}"


def _pts(v: float) -> str:
    return f"{100 * v:+.1f}"


def verdict(kind: str, baseline: str, lo: float, hi: float) -> str:
    """What the gap's interval says, in words (no numbers)."""
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "no shared items: no gap"
    who = _who(kind, baseline)
    if lo > 0:
        return f"{who} names it, the VLM does not" if kind == "zero-shot" else f"{who} knows it, the VLM does not name it"
    if hi < 0:
        return f"the VLM names it better than {who} tells it"
    return f"no measured gap between the VLM and {who}"


def reading(kind: str, baseline: str, diff: float, lo: float, hi: float) -> str:
    """One line saying what the gap (baseline - VLM) means, with the gap and its interval."""
    head = verdict(kind, baseline, lo, hi)
    if not np.isfinite(diff):
        return head
    tail = " (the interval includes 0)" if lo <= 0 <= hi else ""
    return f"{head}: {_pts(diff)} pts [{_pts(lo)}, {_pts(hi)}]{tail}"


def accuracy_gaps(df: pd.DataFrame, roles: dict[str, ModelRole], level: float = LEVEL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accuracy, gaps) on the fine-grained rows of a score table.

    accuracy: per (dataset, split, protocol, candidates, vlm, model): kind, own (units the model answered),
    shared (units every model of the group answered), correct, accuracy, ci_low, ci_high (on the shared units).
    gaps: per (dataset, split, protocol, candidates, vlm, baseline): kind, shared, vlm_accuracy,
    baseline_accuracy, diff (baseline - vlm), diff_low, diff_high, only_baseline, only_vlm, reading."""
    acc_cols = ["dataset", "split", "protocol", "candidates", "vlm", "model", "kind", "own", "shared", "correct",
                "accuracy", "ci_low", "ci_high", "chance"]
    gap_cols = ["dataset", "split", "protocol", "candidates", "vlm", "baseline", "kind", "shared", "vlm_own",
                "baseline_own", "vlm_accuracy", "baseline_accuracy", "diff", "diff_low", "diff_high", "only_baseline",
                "only_vlm", "reading"]
    fg = fga.rows(df)
    if fg.empty:
        return pd.DataFrame(columns=acc_cols), pd.DataFrame(columns=gap_cols)
    u = fga.units(fg)
    u = u[u["answered"]]
    acc_rows, gap_rows = [], []
    for (dataset, split, protocol, k), g in u.groupby(["dataset", "split", "protocol", "candidates"], sort=True):
        present = sorted(g["model"].unique())
        vlms = [m for m in present if roles.get(m, ModelRole("vlm")).role == "vlm"]
        bases = [m for m in present if roles.get(m, ModelRole("vlm")).role in BASELINES]
        if not vlms or not bases:
            continue
        correct = {m: dict(zip(gm["unit"], gm["correct"])) for m, gm in g.groupby("model", sort=False)}
        circular = protocol.endswith("-circular")
        chance = 0.0 if protocol == "open" else (1.0 / k) ** k if circular else 1.0 / k
        for v in vlms:
            group = [v, *sorted(bases, key=lambda b: (BASELINES.index(kind_beside(v, b, roles)), b))]
            common = set(correct[v])
            for b in group[1:]:
                common &= set(correct[b])
            keys = sorted(common)
            x = {m: np.array([correct[m][key] for key in keys], bool) for m in group}
            for m in group:
                kk, n = int(x[m].sum()), len(keys)
                lo, hi = wilson(kk, n, level)
                acc_rows.append(dict(dataset=dataset, split=split, protocol=protocol, candidates=int(k), vlm=v, model=m,
                                     kind="vlm" if m == v else kind_beside(v, m, roles), own=len(correct[m]), shared=n,
                                     correct=kk, accuracy=kk / n if n else np.nan, ci_low=float(lo), ci_high=float(hi),
                                     chance=chance))
            for b in group[1:]:
                xv, xb = x[v], x[b]
                both, only_b, only_v = int((xv & xb).sum()), int((xb & ~xv).sum()), int((xv & ~xb).sum())
                neither = len(keys) - both - only_b - only_v
                lo, hi = paired_difference(both, only_b, only_v, neither, level)
                diff = (only_b - only_v) / len(keys) if keys else np.nan
                kind = kind_beside(v, b, roles)
                gap_rows.append(dict(dataset=dataset, split=split, protocol=protocol, candidates=int(k), vlm=v, baseline=b,
                                     kind=kind, shared=len(keys), vlm_own=len(correct[v]), baseline_own=len(correct[b]),
                                     vlm_accuracy=xv.mean() if keys else np.nan, baseline_accuracy=xb.mean() if keys else np.nan,
                                     diff=diff, diff_low=float(lo), diff_high=float(hi), only_baseline=only_b, only_vlm=only_v,
                                     reading=reading(kind, b, diff, float(lo), float(hi))))
    return pd.DataFrame(acc_rows, columns=acc_cols), pd.DataFrame(gap_rows, columns=gap_cols)


def headline(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per (dataset, vlm): the protocol whose comparison stands on the most shared units (ties: the one
    nearest 5 candidates, the studies' default), one gap row per baseline kind there (the kind's largest gap)."""
    if gaps.empty:
        return gaps
    out = []
    for (_, _), g in gaps.groupby(["dataset", "vlm"], sort=True):
        g = g[g["shared"] > 0]
        if g.empty:
            continue
        per = g.groupby("protocol").agg(shared=("shared", "max"), k=("candidates", "first"))
        per["near5"] = (np.log(per["k"].clip(lower=1)) - np.log(5)).abs()
        protocol = per.sort_values(["shared", "near5"], ascending=[False, True]).index[0]
        at = g[g["protocol"] == protocol]
        for kind in BASELINES:
            rows = at[at["kind"] == kind]
            if len(rows):
                out.append(rows.sort_values("diff", ascending=False).iloc[0])
    return pd.DataFrame(out).reset_index(drop=True)


def gap_text(gaps: pd.DataFrame) -> str:
    """The gaps as Markdown, one table per (dataset, VLM); "" when there are none."""
    parts = []
    for (dataset, vlm), g in gaps.groupby(["dataset", "vlm"], sort=True):
        parts.append(f"\n### Fine-grained `{dataset}`: `{vlm}` beside image-only baselines (items all of them answered; "
                     "gap = baseline − VLM, Newcombe paired 95%)\n\n")
        lines = ["| Protocol | Baseline | Kind | Shared / own (VLM, baseline) | VLM % | Baseline % | Gap pts [95% CI] | Reading |",
                 "|---|---|---|---|---|---|---|---|"]
        for r in g.sort_values(["candidates", "protocol", "kind"]).itertuples():
            if r.shared == 0:
                acc_v = acc_b = span = "—"
            else:
                acc_v, acc_b = f"{100 * r.vlm_accuracy:.1f}", f"{100 * r.baseline_accuracy:.1f}"
                span = f"{_pts(r.diff)} [{_pts(r.diff_low)}, {_pts(r.diff_high)}]"
            lines.append(f"| {r.protocol} | {r.baseline} | {KIND_LABEL[r.kind]} | {r.shared} / ({r.vlm_own}, {r.baseline_own}) | "
                         f"{acc_v} | {acc_b} | {span} | {verdict(r.kind, r.baseline, r.diff_low, r.diff_high)} |")
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


# -- probe families: thresholds in px ------------------------------------------------------------------------

def _gap_text(row: dict, lo_g: float, hi_g: float) -> tuple[str, str]:
    """The px gap VLM - baseline when a threshold is censored: (a one-sided bound or n/a, why). The bound
    uses the other threshold's 95% credible bound, so it holds wherever that threshold lies in its interval."""
    cv, cb = row["vlm_censor"], row["baseline_censor"]
    below = ("<", "<=")
    if cv == ">" and cb == ">":
        return "n/a", "both thresholds lie beyond the largest size tested"
    if cv in below and cb in below:
        return "n/a", "both thresholds lie below the smallest size tested"
    if cv == ">" and cb in below:
        return f"> {hi_g - lo_g:.1f} px", "the baseline tells every size tested apart, the VLM none"
    if cv in below and cb == ">":
        return f"< {lo_g - hi_g:.1f} px", "the VLM tells every size tested apart, the baseline none"
    if cv == ">":  # the baseline's threshold is inside the grid
        bound = hi_g - row["baseline_ci_high"]
        if np.isfinite(bound) and bound > 0:
            return f"> {bound:.1f} px", "the VLM's threshold lies beyond the largest size tested"
        return "n/a", "the VLM's threshold lies beyond the largest size tested and the baseline's interval reaches it"
    if cb in below:  # the VLM's threshold is inside the grid
        bound = row["vlm_ci_low"] - lo_g
        if np.isfinite(bound) and bound > 0:
            return f"> {bound:.1f} px", "the baseline's threshold lies below the smallest size tested"
        return "n/a", "the baseline's threshold lies below the smallest size tested and the VLM's interval reaches it"
    if cb == ">":  # the VLM's threshold is inside the grid, the baseline's beyond it
        bound = row["vlm_ci_high"] - hi_g
        if np.isfinite(bound) and bound < 0:
            return f"< {bound:.1f} px", "the baseline's threshold lies beyond the largest size tested"
        return "n/a", "the baseline's threshold lies beyond the largest size tested and the VLM's interval reaches it"
    if cv in below:
        bound = lo_g - row["baseline_ci_low"]
        if np.isfinite(bound) and bound < 0:
            return f"< {bound:.1f} px", "the VLM's threshold lies below the smallest size tested"
        return "n/a", "the VLM's threshold lies below the smallest size tested and the baseline's interval reaches it"
    return "n/a", "a threshold could not be fitted"


def threshold_gaps(df: pd.DataFrame, roles: dict[str, ModelRole], rng: np.random.Generator, n_boot: int = 1000,
                   level: float = LEVEL) -> pd.DataFrame:
    """Per (profile, task, vlm, baseline) on the trials both answered: both thresholds (px, Bayesian credible
    intervals) and the gap VLM - baseline in px with its interval (n_boot == 0: point estimates only)."""
    cols = ["profile", "task", "vlm", "baseline", "kind", "pairs", "vlm_text", "baseline_text", "vlm_threshold",
            "baseline_threshold", "vlm_ci_low", "vlm_ci_high", "baseline_ci_low", "baseline_ci_high", "vlm_censor",
            "baseline_censor", "gap", "gap_low", "gap_high", "gap_text", "gap_why", "grid_low", "grid_high"]
    d = scored(df[df["profile"] != fga.PROFILE])
    rows = []
    for (profile, task), g in d.groupby(["profile", "task"], sort=True):
        present = sorted(g["model"].unique())
        vlms = [m for m in present if roles.get(m, ModelRole("vlm")).role == "vlm"]
        bases = [m for m in present if roles.get(m, ModelRole("vlm")).role in BASELINES]
        for v in vlms:
            for b in sorted(bases, key=lambda m: (BASELINES.index(kind_beside(v, m, roles)), m)):
                wide = g[g["model"].isin([v, b])].pivot_table(index=["sample_id", "repeat"], columns="model",
                                                              values="strict", aggfunc="first").dropna()
                if wide.empty or v not in wide or b not in wide:
                    continue
                keys = set(wide.index)
                both = g[g["model"].isin([v, b])]
                both = both[[k in keys for k in zip(both["sample_id"], both["repeat"])]]
                if both["scale"].nunique() < 2:
                    continue
                th = acuity.thresholds(both, rng, by=("profile", "model", "task"), n_boot=max(n_boot, 1),
                                       level=level, axes=("nominal",)).set_index("model")
                cur = acuity.curves(both, ("profile", "model", "task"))
                lo_g, hi_g = float(cur["nominal"].min()), float(cur["nominal"].max())
                row = dict(profile=profile, task=task, vlm=v, baseline=b, kind=kind_beside(v, b, roles), pairs=len(keys),
                           grid_low=lo_g, grid_high=hi_g)
                for who, m in (("vlm", v), ("baseline", b)):
                    t = th.loc[m]
                    row[f"{who}_text"] = t["nominal_threshold_text"]
                    row[f"{who}_threshold"] = t["nominal_threshold"]
                    row[f"{who}_ci_low"], row[f"{who}_ci_high"] = t["nominal_ci_low"], t["nominal_ci_high"]
                    row[f"{who}_censor"] = t["nominal_threshold_censor"]
                row.update(gap=np.nan, gap_low=np.nan, gap_high=np.nan, gap_why="")
                if row["vlm_censor"] == "" and row["baseline_censor"] == "":
                    row["gap"] = float(row["vlm_threshold"] - row["baseline_threshold"])
                    text = f"{row['gap']:+.1f} px"
                    if n_boot > 0:
                        c = [cur[cur["model"] == m].sort_values("nominal") for m in (v, b)]
                        est = posterior_thresholds(np.log(np.stack([x["nominal"].to_numpy(float) for x in c])),
                                                   np.stack([x["k"].to_numpy(float) for x in c]),
                                                   np.stack([x["n"].to_numpy(float) for x in c]),
                                                   np.stack([x["chance"].to_numpy(float) for x in c]), level=level)
                        draws = np.exp(est.draw_log_thresholds(rng, DRAWS))
                        a = (1 - level) / 2
                        lo, hi = np.quantile(draws[0] - draws[1], [a, 1 - a])
                        row.update(gap_low=float(lo), gap_high=float(hi))
                        text += f" [{lo:+.1f}, {hi:+.1f}]"
                    row["gap_text"] = text
                else:
                    row["gap_text"], row["gap_why"] = _gap_text(row, lo_g, hi_g)
                rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def threshold_reading(row) -> str:
    """One line on a threshold gap: the VLM needs a larger detail than the encoder's baseline, or not."""
    who = _who(row["kind"], row["baseline"])
    if np.isfinite(row["gap"]) and np.isfinite(row["gap_low"]):
        if row["gap_low"] > 0:
            return f"{who} tells the detail apart at smaller sizes than the VLM names it: the VLM needs {row['gap_text']} more"
        if row["gap_high"] < 0:
            return f"the VLM tells the detail apart at smaller sizes than {who}: {row['gap_text']}"
        return f"no measured threshold gap between the VLM and {who}: {row['gap_text']} (the interval includes 0)"
    if str(row["gap_text"]).startswith(">"):
        return f"{who} tells the detail apart at smaller sizes than the VLM names it: gap {row['gap_text']} ({row['gap_why']})"
    if str(row["gap_text"]).startswith("<"):
        return f"the VLM tells the detail apart at smaller sizes than {who}: gap {row['gap_text']} ({row['gap_why']})"
    return f"no gap measurable: VLM {row['vlm_text']}, {who} {row['baseline_text']} ({row['gap_why']})"
