"""Comparisons between models on the same samples, and the leaderboard (Markdown, CSV, JSON).

Paired test: trials are matched on (profile, sample_id, repeat) and only trials that BOTH models
answered enter (error / unsupported on either side drop the pair). The exact McNemar test is a
two-sided binomial test of the discordant pairs (b = only A right, c = only B right) against p = 1/2;
the accuracy difference gets a paired bootstrap percentile CI (pairs resampled with replacement).

The `finesight` and `snellen` profiles measure different things and are never pooled: every table
here has `profile` as a key, and models are compared only within a profile.
"""

from __future__ import annotations

import io
import itertools
import json

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from snellen.analysis import data_quality
from snellen.analysis.frame import check_frame, coverage, scored
from snellen.analysis.intervals import wilson


def paired(df: pd.DataFrame, rng: np.random.Generator, n_boot: int = 2000, by=("profile",)) -> pd.DataFrame:
    """Every pair of models within each group of `by`: discordant counts, McNemar p, difference + CI."""
    check_frame(df)
    d = scored(df)
    key = ["profile", "sample_id", "repeat"] + [c for c in by if c != "profile"]
    rows = []
    for gkey, g in d.groupby(list(by), sort=True, observed=True):
        gkey = gkey if isinstance(gkey, tuple) else (gkey,)
        wide = g.pivot_table(index=key, columns="model", values="strict", aggfunc="first")
        for a, b in itertools.combinations(sorted(wide.columns), 2):
            both = wide[[a, b]].dropna()
            xa, xb = both[a].to_numpy(bool), both[b].to_numpy(bool)
            n = len(both)
            only_a, only_b = int((xa & ~xb).sum()), int((~xa & xb).sum())
            p = binomtest(only_a, only_a + only_b, 0.5).pvalue if only_a + only_b else 1.0
            diff = xa.astype(float) - xb.astype(float)
            if n:
                idx = rng.integers(0, n, size=(n_boot, n)) if n_boot else None
                boots = diff[idx].mean(axis=1) if n_boot else np.array([np.nan])
                lo, hi = np.quantile(boots, [0.025, 0.975])
            else:
                lo = hi = np.nan
            rows.append(dict(
                zip(by, gkey), model_a=a, model_b=b, pairs=n, acc_a=xa.mean() if n else np.nan,
                acc_b=xb.mean() if n else np.nan, only_a=only_a, only_b=only_b,
                diff=diff.mean() if n else np.nan, diff_low=lo, diff_high=hi, mcnemar_p=p,
            ))
    return pd.DataFrame(rows)


def _shared(df: pd.DataFrame) -> pd.DataFrame:
    """Per (profile, model): accuracy on the trials that EVERY model of the profile that answered anything
    answered.

    Models run on different task sets (an OCR engine answers 5 families, an ideal observer whatever it was
    given) cannot be ranked by their own accuracy; on the shared trials they can. A model with no answer
    at all (every request an error) has no shared trials and is left out of the intersection, and the
    ranking note says so (`ranking_note`), rather than emptying everyone's common ground."""
    d = scored(df)
    rows = []
    for profile, g in df.groupby("profile", sort=True, observed=True):
        models = sorted(g["model"].unique())
        keyed = d[d["profile"] == profile].set_index(["sample_id", "repeat"])
        common = None
        for m in models:
            idx = keyed.index[keyed["model"].to_numpy() == m]
            if len(idx) == 0:
                continue  # answered nothing: listed as "no answers", not part of the common ground
            common = idx if common is None else common.intersection(idx)
        shared = keyed[keyed.index.isin(common)] if common is not None else keyed.iloc[:0]
        tasks = ", ".join(sorted(shared["task"].unique()))
        for m in models:
            sm = shared[shared["model"] == m]
            rows.append(dict(profile=profile, model=m, shared_trials=len(sm), shared_correct=int(sm["strict"].sum()),
                             shared_tasks=tasks))
    out = pd.DataFrame(rows, columns=["profile", "model", "shared_trials", "shared_correct", "shared_tasks"])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["shared_accuracy"] = out["shared_correct"] / out["shared_trials"].where(out["shared_trials"] > 0)
    lo, hi = wilson(out["shared_correct"].to_numpy(), out["shared_trials"].to_numpy())
    out["shared_low"], out["shared_high"] = lo, hi
    return out


def no_answers_text(errors: int, kinds: str, unsupported: int = 0) -> str:
    """How a model that answered nothing is shown instead of an accuracy: 'no answers (16 errors: timeout 16)'."""
    parts = []
    if errors:
        parts.append(f"{errors:,} errors" + (f": {kinds}" if kinds else ""))
    if unsupported:
        parts.append(f"{unsupported:,} unsupported")
    return "no answers" + (f" ({'; '.join(parts)})" if parts else "")


def _error_kinds(df: pd.DataFrame) -> pd.Series:
    """Per (profile, model): 'kind n, kind n' of its error rows (most frequent first)."""
    if "error_kind" not in df.columns:
        return pd.Series(dtype=object)
    err = df[df["outcome"] == "error"]

    def text(kinds: pd.Series) -> str:
        counts = kinds.fillna("error").value_counts()
        return ", ".join(f"{k} {int(n)}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    return err.groupby(["profile", "model"])["error_kind"].agg(text)


def leaderboard(df: pd.DataFrame, acuity: pd.DataFrame | None = None, axis: str = "nominal") -> pd.DataFrame:
    """One row per (profile, model): strict accuracy on the trials every model of the profile answered
    (the ranking) and on all its own answered trials, Wilson CIs, the tasks it answered, coverage, format and
    refusal rates, mean AUC and median threshold over tasks (from an acuity table by profile/model/task, on
    its `axis`: nominal, effective or geometric px)."""
    cov = coverage(df, by=("profile", "model"))
    lo, hi = wilson(cov["correct"].to_numpy(), cov["answered"].to_numpy())
    out = cov[["profile", "model", "trials", "answered", "coverage", "accuracy", "unparseable_rate", "refusal_rate"]].copy()
    out["acc_low"], out["acc_high"] = lo, hi
    out["errors"] = cov["error"].astype(int)
    out["unsupported"] = cov["unsupported"].astype(int)
    kinds = _error_kinds(df)
    out["error_kinds"] = [kinds.get((p, m), "") for p, m in zip(out["profile"], out["model"])]
    # A model with no answered trial has no accuracy: it is shown as what happened, never as NaN.
    out["no_answers"] = [no_answers_text(e, k, u) if a == 0 else ""
                         for a, e, k, u in zip(out["answered"], out["errors"], out["error_kinds"], out["unsupported"])]
    tasks = scored(df).groupby(["profile", "model"])["task"].agg(lambda t: ", ".join(sorted(t.unique())))
    out = out.merge(tasks.rename("tasks").reset_index(), on=["profile", "model"], how="left")
    out["tasks"] = out["tasks"].fillna("")
    out = out.merge(_shared(df), on=["profile", "model"], how="left")
    if acuity is not None and len(acuity):
        # Censored thresholds enter the median as -inf / +inf (they are below / above every number);
        # a median that lands on a censored value is itself censored, hence NaN here.
        signed = acuity[f"{axis}_threshold"].where(acuity[f"{axis}_threshold_censor"] == "", np.nan)
        signed = signed.mask(acuity[f"{axis}_threshold_censor"] == "<", -np.inf)
        signed = signed.mask(acuity[f"{axis}_threshold_censor"] == ">", np.inf)
        agg = acuity.assign(_signed=signed).groupby(["profile", "model"]).agg(
            mean_auc=(f"{axis}_auc", "mean"),
            tasks_with_threshold=(f"{axis}_threshold", lambda s: int(s.notna().sum())),
            median_threshold_px=("_signed", lambda s: float(np.median(s.dropna())) if s.notna().any() else np.nan),
        ).reset_index()
        med = agg["median_threshold_px"]
        agg["median_threshold_text"] = np.where(
            med == -np.inf, "below the grid", np.where(med == np.inf, "above the grid",
                                                        med.map(lambda v: "—" if pd.isna(v) else f"{v:.1f} px")))
        agg.loc[~np.isfinite(med), "median_threshold_px"] = np.nan
        agg["threshold_axis"] = axis
        out = out.merge(agg, on=["profile", "model"], how="left")
        out["median_threshold_text"] = out["median_threshold_text"].fillna("—")  # a model without thresholds
    elif acuity is not None:  # no model answered anything: the columns exist, and say so
        out = out.assign(mean_auc=np.nan, tasks_with_threshold=0, median_threshold_px=np.nan, median_threshold_text="—",
                         threshold_axis=axis)
    quality = data_quality.defect_table(df)
    out = out.merge(data_quality.defective_trials(df), on=["profile", "model"], how="left")
    out["defective_share"] = out["defective_share"].fillna(0.0)
    summary = {p: "; ".join(f"{r.task}: {r.defect} {r.samples}/{r.task_samples}" for r in g.itertuples(index=False))
               for p, g in quality.groupby("profile")}
    out["data_defects"] = [summary.get(p, "") for p in out["profile"]]
    rank = out["shared_accuracy"].fillna(-1.0)
    out = out.assign(_rank=rank).sort_values(["profile", "_rank", "accuracy"], ascending=[True, False, False])
    return out.drop(columns="_rank").reset_index(drop=True)


def _pct(v: float) -> str:
    return "—" if pd.isna(v) else f"{100 * v:.1f}"


def ranking_note(g: pd.DataFrame) -> str:
    """What one profile's ranking stands on, honestly: the shared trials of the models that answered, and
    which models are not ranked because they answered nothing."""
    shared_n = int(g["shared_trials"].fillna(0).max()) if len(g) else 0
    silent = g[g["answered"] == 0]
    answering = g[g["answered"] > 0]
    if len(answering) == 0:
        note = "No model answered any trial: nothing to rank."
    elif shared_n and len(silent):
        note = (f"Ranked on the {shared_n:,} trials every model with answers answered "
                f"(tasks: {g['shared_tasks'].iloc[0]}).")
    elif shared_n:
        note = f"Ranked on the {shared_n:,} trials every model answered (tasks: {g['shared_tasks'].iloc[0]})."
    else:
        note = ("No trial was answered by every model: own accuracies cover different tasks and are NOT "
                "comparable; they are listed, not ranked on common ground.")
    for r in silent.itertuples(index=False):
        note += f" Not ranked: {r.model}, {r.no_answers}."
    return note


def leaderboard_text(board: pd.DataFrame, fmt: str, quality: pd.DataFrame | None = None) -> str:
    """Render a leaderboard as md, csv or json (one Markdown table per profile: never pooled). CSV and JSON carry
    each row's `defective_share` and `data_defects`; Markdown lists the data defects (`quality`, from
    data_quality.defect_table) under each profile's table, with what they do to the figures."""
    if fmt == "csv":
        buf = io.StringIO()
        board.to_csv(buf, index=False)
        return buf.getvalue()
    if fmt == "json":
        records = json.loads(board.to_json(orient="records", double_precision=6))
        return json.dumps(records, indent=2) + "\n"
    if fmt != "md":
        raise ValueError(f"unknown leaderboard format {fmt!r} (md, csv, json)")
    parts = []
    for profile, g in board.groupby("profile", sort=True):
        parts.append(f"### Profile `{profile}`\n")
        parts.append(ranking_note(g) + "\n")
        head = "| # | Model | Shared-trial acc. % [95% CI] | Own acc. % [95% CI] | Tasks answered | Coverage % | Unparseable % | Refusal % |"
        sep = "|---|---|---|---|---|---|---|---|"
        extra = "median_threshold_px" in g.columns
        if extra:
            named = g["threshold_axis"].dropna() if "threshold_axis" in g.columns else ()
            axis = named.iloc[0] if len(named) else "nominal"
            head += " Mean AUC | Median threshold |" if axis == "nominal" else f" Mean AUC ({axis}) | Median {axis} threshold |"
            sep += "---|---|"
        lines = [head, sep]
        for i, r in enumerate(g.itertuples(index=False), 1):
            name = str(r.model).replace("|", "\\|")
            shared = f"{_pct(r.shared_accuracy)} [{_pct(r.shared_low)}, {_pct(r.shared_high)}]" if r.shared_trials else "—"
            task_list = str(r.tasks).replace("|", "\\|")
            own = r.no_answers if r.no_answers else f"{_pct(r.accuracy)} [{_pct(r.acc_low)}, {_pct(r.acc_high)}]"
            rank = "—" if r.no_answers else str(i)
            line = (f"| {rank} | {name} | {shared} | {own} | "
                    f"{task_list} | {_pct(r.coverage)} | {_pct(r.unparseable_rate)} | {_pct(r.refusal_rate)} |")
            if extra:
                line += f" {_pct(r.mean_auc)} | {r.median_threshold_text} |"
            lines.append(line)
        parts.append("\n".join(lines) + "\n")
        q = quality[quality["profile"] == profile] if quality is not None and len(quality) else None
        if q is not None and len(q):
            shares = ", ".join(f"{str(r.model).replace('|', chr(92) + '|')} {_pct(r.defective_share)}%"
                               for r in g.itertuples(index=False))
            parts.append("**Data quality of the benchmark** (defects of its own labels, the same for every model; "
                         f"share of each model's answered trials on affected samples: {shares}):\n")
            parts.append("\n".join(f"- {line}" for line in data_quality.lines(q)) + "\n")
    return "\n".join(parts)
