"""The HTML report: one self-contained file (inline CSS, SVG, PNG as base64, a little inline JS).

Everything that came from a model or a dataset reaches the page through Jinja2 autoescaping (text),
through `tojson` (embedded JSON, which escapes '<', '>' and '&' so '</script>' cannot close the block)
or through matplotlib's SVG writer (which escapes text). Nothing is inserted as raw HTML except the
SVG figures this package drew.

Figures are per profile: `finesight` and `snellen` runs are never pooled in one figure or table.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd

from snellen.analysis import acuity, compare, taxonomy
from snellen.analysis.aids import aid_shifts
from snellen.analysis.frame import check_frame, coverage
from snellen.atomic import atomic_write
from snellen.report import data_quality, figures, finegrained, scoring_modes
from snellen.report.gallery import clip, gallery
from snellen.report.manifest_view import manifest_rows
from snellen.schema import Sample, SnellenError

MAX_CONFUSION_LABELS = 40
LABEL_CHARS = 80  # labels and phantom items come from model output: cut in the page, full length stated


class ReportError(SnellenError):
    pass


@dataclass
class RunInput:
    """What the report needs from one run: its score table, manifest and a way to fetch samples."""

    name: str
    scores: pd.DataFrame
    manifest: dict[str, Any]
    sample: Callable[[str], Sample]
    scoring: str = "snellen"  # how `scores` was scored (scoring.SCORINGS)
    modes: pd.DataFrame | None = None  # both modes per answered finesight-profile trial (mode_diff.compare_records)


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("snellen.report", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )


def _fmt_pct(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{100 * v:.1f}%"


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [] if df is None or df.empty else df.to_dict(orient="records")


def _headline(th: pd.DataFrame, model: str) -> dict[str, Any] | None:
    """The perception task to headline: a letter task if any, else the smallest threshold."""
    if th.empty or "model" not in th:  # no model answered anything: there is no threshold to headline
        return None
    t = th[(th["model"] == model) & (th["kind"] == "perception")] if "kind" in th else th[th["model"] == model]
    if t.empty:
        return None
    letters = t[t["task"].str.contains("letter|glyph", case=False, regex=True)]
    pick = letters if len(letters) else t
    order = pick["nominal_threshold_censor"].map({"<": 0, "": 1, ">": 2, "n/a": 3}).fillna(3)
    pick = pick.assign(_o=order, _t=pick["nominal_threshold"].fillna(np.inf)).sort_values(["_o", "_t"])
    r = pick.iloc[0]
    value, _, ci = str(r["nominal_threshold_text"]).partition(" [")
    return {"task": r["task"], "value": value, "ci": f"[{ci}" if ci else "", "effective": r.get("effective_threshold_text", "unknown")}


def _profile_section(df: pd.DataFrame, rng: np.random.Generator, n_boot: int, lookup, variant_of) -> dict[str, Any]:
    models = sorted(df["model"].unique())
    colours = figures.colour_of(models)
    by_task = ("profile", "model", "kind", "task")
    cur = acuity.curves(df, by_task)
    th = acuity.thresholds(df, rng, by=by_task, n_boot=n_boot)
    tasks = []
    for task, c in cur.groupby("task", sort=True):
        fits = th[th["task"] == task]
        figs = {"nominal": figures.acuity_curve(c, fits, task, "nominal", colours), "effective": None}
        if c["effective"].notna().any():
            figs["effective"] = figures.acuity_curve(c, fits, task, "effective", colours)
        tasks.append({"task": task, "kind": c["kind"].iloc[0], "figs": figs})
    kinds = set(df["kind"].unique())
    kind_fig = figures.kind_panel(acuity.curves(df, ("profile", "model", "kind")), colours) if kinds else None
    dissoc = acuity.dissociation(df, rng, n_boot=n_boot) if len(kinds) > 1 else pd.DataFrame()
    reasoning = df[df["kind"] == "reasoning"]
    per_count = acuity.thresholds(reasoning, rng, by=("profile", "model", "task", "count"), n_boot=n_boot) if len(reasoning) else pd.DataFrame()

    rates = taxonomy.outcome_rates(df)
    num = taxonomy.numeracy(df)
    seq = taxonomy.sequence_errors(df)
    conf = taxonomy.confusions(df)
    phantoms = taxonomy.phantom_items(df)
    tax = []
    for m in models:
        entry = {"model": m, "colour": colours[m], "outcomes": figures.outcome_bars(rates, m), "numeracy": None, "sequence": None, "confusions": []}
        if len(num[num["model"] == m]):
            entry["numeracy"] = figures.numeracy_hist(num, m)
        if len(seq[seq["model"] == m]):
            entry["sequence"] = figures.sequence_bars(seq, m)
        for field in sorted(conf.loc[conf["model"] == m, "field"].unique()):
            mat = taxonomy.confusion_matrix(conf, df["profile"].iloc[0], m, field)
            mat = mat.rename(index=lambda v: clip(v, LABEL_CHARS), columns=lambda v: clip(v, LABEL_CHARS))
            if 1 < mat.shape[0] <= MAX_CONFUSION_LABELS and mat.shape[1] <= 2 * MAX_CONFUSION_LABELS:
                entry["confusions"].append({"svg": figures.confusion_heatmap(mat, f"{m} · {field}"), "wide": mat.shape[0] > 12})
        p = phantoms[phantoms["model"] == m].groupby("item")["n"].sum().sort_values(ascending=False).head(12)
        entry["phantoms"] = [{"item": clip(k, LABEL_CHARS), "n": int(v)} for k, v in p.items()]
        tax.append(entry)

    aids = aid_shifts(df, rng, n_boot=min(n_boot, 400)) if len(models) > 1 else pd.DataFrame()
    board = compare.leaderboard(df, th)
    pairs = compare.paired(df, rng, n_boot=min(n_boot, 2000)) if len(models) > 1 else pd.DataFrame()
    summary = []
    cov = coverage(df, by=("model",)).set_index("model")
    no_answers = dict(zip(board["model"], board["no_answers"]))
    for m in models:
        summary.append({
            "model": m, "colour": colours[m], "headline": _headline(th, m),
            "accuracy": no_answers.get(m) or _fmt_pct(cov.loc[m, "accuracy"]),
            "coverage": _fmt_pct(cov.loc[m, "coverage"]),
            "unparseable": _fmt_pct(cov.loc[m, "unparseable_rate"]), "refusal": _fmt_pct(cov.loc[m, "refusal_rate"]),
            "trials": int(cov.loc[m, "trials"]),
        })
    return {
        "profile": df["profile"].iloc[0], "models": models, "summary": summary, "tasks": tasks,
        "thresholds": _records(th.sort_values(["kind", "task", "model"])), "kind_fig": kind_fig,
        "dissociation": _records(dissoc), "per_count": _records(per_count), "taxonomy": tax,
        "leaderboard": _records(board), "ranking_note": compare.ranking_note(board), "pairs": _records(pairs),
        "aids": _records(aids),
        "gallery": gallery(df, th, lookup, variant_of),
        "data_quality": data_quality.panel(df, anchor="data-quality"),
        "has_effective": bool(df["effective_scale"].notna().any()),
        "repeats": int(df["repeat"].max()) + 1 if len(df) else 1,
    }


def build_report(runs: list[RunInput], rng: np.random.Generator, n_boot: int = 1000, title: str = "snellen eye exam") -> str:
    """Render the report HTML from in-memory runs (score tables + manifests + sample access)."""
    if not runs:
        raise ReportError("no runs to report on")
    figures.reset_ids()
    frames = []
    owner: dict[str, RunInput] = {}
    for run in runs:
        check_frame(run.scores)
        frames.append(run.scores.assign(_run=run.name))
        for model in run.scores["model"].unique():
            owner.setdefault(model, run)
    df = pd.concat(frames, ignore_index=True)
    scorings = sorted({r.scoring for r in runs})
    if len(scorings) > 1:
        raise ReportError(f"runs were scored differently ({', '.join(scorings)}): report one scoring at a time")
    modes = pd.concat([r.modes for r in runs if r.modes is not None and len(r.modes)] or [pd.DataFrame()], ignore_index=True)
    dup = df.duplicated(["model", "sample_id", "repeat", "profile"])
    if dup.any():
        r = df[dup].iloc[0]
        raise ReportError(f"model {r['model']!r} answered sample {r['sample_id']} (repeat {r['repeat']}) in two runs; report them separately")

    def lookup(model: str, sample_id: str) -> Sample | None:
        try:
            return owner[model].sample(sample_id)
        except (KeyError, LookupError, SnellenError):
            return None

    def variant_of(model: str) -> str:
        settings = owner[model].manifest.get("settings") or owner[model].manifest.get("generation") or {}
        return settings.get("prompt_variant", "json") if isinstance(settings, dict) else "json"

    # classification datasets: their own panel, not acuity curves; with the VLM-vs-baseline gaps by role
    fg_panel = finegrained.panel(df, model_roles(runs), rng, n_boot=n_boot)
    probes = df[df["profile"] != "finegrained"]
    sections = [_profile_section(g.drop(columns="_run"), rng, n_boot, lookup, variant_of) for _, g in probes.groupby("profile", sort=True)]
    quality = [sec for sec in sections if sec["data_quality"]]
    for i, sec in enumerate(quality):  # the nav links to the first panel
        sec["data_quality"]["anchor"] = "data-quality" if i == 0 else f"data-quality-{sec['profile']}"
    first = True
    for sec in sections:
        own = modes[modes["profile"] == sec["profile"]] if len(modes) else None
        sec["scoring_modes"] = scoring_modes.panel(own, scorings[0])
        if sec["scoring_modes"]:  # the nav links to the first panel
            sec["scoring_modes"]["anchor"] = "scoring" if first else f"scoring-{sec['profile']}"
            first = False
    manifests = [{"name": r.name, "rows": manifest_rows(r.manifest)} for r in runs]
    adaptive = [a for r in runs if (a := _adaptive_panel(r, sections)) is not None]
    data = {
        "snellen_version": _version(), "runs": [r.name for r in runs],
        "scoring": scorings[0],
        "sections": [{k: s[k] for k in ("profile", "models", "leaderboard", "thresholds", "pairs", "scoring_modes", "data_quality")} for s in sections],
        "manifests": [r.manifest for r in runs], "gallery": [_gallery_data(g) for s in sections for g in s["gallery"]],
        "finegrained": fg_panel["records"] if fg_panel else [],
        "finegrained_gaps": fg_panel["gap_records"] if fg_panel else [],
        "finegrained_thresholds": fg_panel["threshold_records"] if fg_panel else [],
    }
    data = _finite(json.loads(json.dumps(data, default=_json_default)))
    # Only our own script may run (CSP hash): defence in depth behind escaping.
    script = (Path(__file__).parent / "templates" / "report.js").read_text(encoding="utf-8")
    script_hash = "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    html = _env().get_template("report.html.j2").render(
        script=script, script_hash=script_hash,
        title=title, sections=sections, manifests=manifests, data=data, n_boot=n_boot, scoring=scorings[0], adaptive=adaptive,
        fg=fg_panel,
        version=data["snellen_version"],
    )
    return html


def model_roles(runs: list[RunInput]) -> dict[str, Any]:
    """Each model's role (VLM, zero-shot, probe, own-tower probe, reference) from the spec its run recorded."""
    from snellen.analysis.finegrained_gap import ModelRole, role_of

    roles = {}
    for run in runs:
        for model in run.scores["model"].unique():
            spec = str((run.manifest.get("model") or {}).get("spec") or model)
            try:
                roles[model] = role_of(spec)
            except (SnellenError, ValueError, OSError):
                roles[model] = ModelRole("reference")  # unknown kind: never compared as a VLM or a baseline
    return roles


def _adaptive_panel(run: RunInput, sections: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Per task of an adaptive run: the trial sequence (from the stored samples) and why its search stopped."""
    state = run.manifest.get("adaptive")
    if not state:
        return None
    df = run.scores[run.scores["outcome"].isin(("correct", "wrong", "unparseable", "refusal"))]
    thresholds = {(r["model"], r["task"]): r.get("nominal_threshold") for s in sections for r in s["thresholds"]}
    tasks = []
    for task, g in df.groupby("task", sort=True):
        points = []
        for sid, strict, scale in zip(g["sample_id"], g["strict"], g["scale"]):
            try:
                trial = run.sample(sid).extra.get("adaptive", {}).get("trial")
            except (KeyError, LookupError, SnellenError):
                trial = None
            if trial is not None:
                points.append((int(trial), int(scale), bool(strict)))
        if not points:
            continue
        model = g["model"].iloc[0]
        st = state.get("tasks", {}).get(task, {})
        thr = thresholds.get((model, task))
        tasks.append({"task": task, "trials": len(points), "stopped": st.get("stopped", "?"),
                      "svg": figures.trial_sequence(sorted(points), task, thr if isinstance(thr, float) else None)})
    return {"run": run.name, "model": run.scores["model"].iloc[0] if len(run.scores) else "?",
            "method": state.get("method"), "rule": state.get("stopping_rule"), "tasks": tasks}


def _gallery_data(g: dict) -> dict:
    """A gallery item for the embedded JSON: texts as shown (cut, with their full length), no images."""
    out = {k: v for k, v in g.items() if k not in ("image", "inset")}
    for k in ("prompt", "output", "expected", "extracted"):
        if isinstance(g.get(k), dict):
            out[k] = g[k]["text"]
            out[f"{k}_chars"] = g[k]["chars"]
    return out


def _version() -> str:
    try:
        return importlib.metadata.version("snellen")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _finite(v):
    """NaN/inf are not JSON: they become null (the tables say why a number is missing)."""
    if isinstance(v, float) and not np.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_finite(x) for x in v]
    return v


def _json_default(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if not np.isfinite(v) else float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, tuple):
        return list(v)
    return str(v)


def run_scoring(manifest: dict[str, Any], scoring: str | None) -> str:
    """The scoring asked for, else the one the run was evaluated with (`eval --scoring`), else snellen."""
    return scoring or manifest.get("scoring") or "snellen"


def load_run_input(run: Any, scoring: str | None = None, compare_modes: bool = True) -> RunInput:
    """A run directory path or an opened run (snellen.store.Run) -> RunInput, scored here.

    On finesight-profile samples (FineSightBench data, the finesight suite) both scoring modes are also
    compared, trial by trial, unless `compare_modes` is false."""
    if isinstance(run, RunInput):
        return run
    try:
        from snellen.scoring import score_run
        from snellen.store import open_run
    except ImportError as exc:  # the store and scorer are separate modules; say which one is missing
        raise ReportError(f"cannot read runs: {exc}") from exc
    name = str(run)
    if isinstance(run, (str, Path)):
        run = open_run(Path(run))
    else:
        name = str(getattr(run, "path", getattr(run, "run_dir", name)))
    manifest = dict(run.manifest)
    scoring = run_scoring(manifest, scoring)
    scores = score_run(run, scoring)
    modes = None
    if compare_modes and (scores["profile"] == "finesight").any():
        from snellen.scoring.mode_diff import compare_records

        modes = compare_records(run.model, ((smp, r) for smp, r in run.records(images=False) if smp.profile == "finesight"))
    return RunInput(name=name, scores=scores, manifest=manifest, sample=run.sample, scoring=scoring, modes=modes)


def write_report(runs: Iterable[Any], out_path: str | Path, n_boot: int = 1000, seed: int = 0,
                 scoring: str | None = None) -> Path:
    """Score and analyse `runs` (paths or opened runs) and write the self-contained HTML report."""
    out_path = Path(out_path)
    if not out_path.parent.is_dir():  # fail before the (slow) analysis, not after
        raise ReportError(f"{out_path}: folder {out_path.parent} does not exist")
    inputs = [load_run_input(r, scoring) for r in runs]
    html = build_report(inputs, np.random.default_rng(seed), n_boot=n_boot)
    # whole or not at all: a kill or a full disk leaves the previous report, never a truncated one;
    # text a model sent that is not valid Unicode (lone surrogates) shows as its escape
    atomic_write(out_path, html, errors="backslashreplace")
    return out_path
