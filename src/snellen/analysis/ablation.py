"""Ablation attribution: how much does changing the vision encoder, the LLM or the recipe move
fine-grained benchmarks, compared with general ones?

Input: one row per (model, benchmark) with the model's attributes (columns `encoder`, `llm`, optional
`recipe`), the benchmark's `kind` (`fine-grained` or `general`) and its `score` (any fixed scale, e.g.
accuracy in %). Reading lmms-eval / VLMEvalKit result files into this table is a separate reader's job.

Model. For each kind separately, an additive least-squares fit
    score = benchmark offset + encoder effect + LLM effect (+ recipe effect) + noise
with each factor coded against a reference level (the first in sorted order unless given). An effect
is "changing the encoder from the reference to this level moves this kind of benchmark by N points",
averaged over that kind's benchmarks and adjusted for the other factors. The study's claim ("a better
LLM lifts every benchmark equally, a better encoder lifts fine-grained disproportionately") is then the
difference of one factor level's effect between kinds: fine-grained minus general (a
difference-in-differences). It is "disproportionate" when the 95% interval of that difference lies
above zero.

Intervals: bootstrap over models (a model's scores on all benchmarks travel together, since they share
its errors), percentile intervals; a resample in which some level is absent, so its effect is not
identified, is redrawn and the count of redraws is reported. `--resample residuals` resamples residuals
within kind instead (for tables with one model per attribute combination and few models).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from snellen.schema import SnellenError

KINDS = ("fine-grained", "general")
FACTORS = ("encoder", "llm", "recipe")
REQUIRED = ("model", "encoder", "llm", "benchmark", "kind", "score")
KIND_ALIASES = {"fine-grained": "fine-grained", "finegrained": "fine-grained", "fine_grained": "fine-grained",
                "fg": "fine-grained", "general": "general"}


def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV or JSON (list of records) ablation table, validated; errors name the file and the culprit."""
    path = Path(path)
    if not path.is_file():
        raise SnellenError(f"{path}: no such file")
    try:
        if path.suffix.lower() == ".json":
            rows = json.loads(path.read_text())
            if isinstance(rows, dict) and "rows" in rows:
                rows = rows["rows"]
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise SnellenError(f"{path}: expected a JSON list of records (or {{\"rows\": [...]}})")
            df = pd.DataFrame(rows)
        else:
            df = pd.read_csv(path, dtype=str, keep_default_na=False)  # show bad cells as written
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise SnellenError(f"{path}: not a readable {'JSON' if path.suffix.lower() == '.json' else 'CSV'} table ({str(exc).splitlines()[0]})") from None
    return validate(df, str(path))


def validate(df: pd.DataFrame, where: str = "table") -> pd.DataFrame:
    df = df.rename(columns={c: str(c).strip().lower() for c in df.columns})
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise SnellenError(f"{where}: missing column(s) {', '.join(missing)}; need {', '.join(REQUIRED)} (+ optional recipe)")
    if df.empty:
        raise SnellenError(f"{where}: no rows")
    df = df.copy()
    for c in ("model", "encoder", "llm", "benchmark") + (("recipe",) if "recipe" in df.columns else ()):
        if df[c].isna().any() or (df[c].astype(str).str.strip() == "").any():
            row = int(df.index[df[c].isna() | (df[c].astype(str).str.strip() == "")][0])
            raise SnellenError(f"{where}: row {row + 1} has no {c}")
        df[c] = df[c].astype(str).str.strip()
    kinds = df["kind"].astype(str).str.strip().str.lower().map(KIND_ALIASES)
    if kinds.isna().any():
        row = int(df.index[kinds.isna()][0])
        raise SnellenError(f"{where}: row {row + 1} kind {df['kind'].iloc[row]!r} is not fine-grained or general")
    df["kind"] = kinds
    score = pd.to_numeric(df["score"], errors="coerce")
    if score.isna().any() or not np.isfinite(score).all():
        row = int(df.index[score.isna() | ~np.isfinite(score.fillna(0))][0])
        raise SnellenError(f"{where}: row {row + 1} score {df['score'].iloc[row]!r} is not a number")
    df["score"] = score.astype(float)
    dup = df.duplicated(["model", "benchmark"], keep=False)
    if dup.any():
        r = df[dup].iloc[0]
        raise SnellenError(f"{where}: model {r['model']!r} has more than one score on benchmark {r['benchmark']!r}")
    for c in FACTORS:
        if c in df.columns and (df.groupby("model")[c].nunique() > 1).any():
            m = (df.groupby("model")[c].nunique() > 1).idxmax()
            raise SnellenError(f"{where}: model {m!r} is listed with more than one {c}")
    bk = df.groupby("benchmark")["kind"].nunique()
    if (bk > 1).any():
        raise SnellenError(f"{where}: benchmark {bk.idxmax()!r} is listed as both fine-grained and general")
    for k in KINDS:
        if not (df["kind"] == k).any():
            raise SnellenError(f"{where}: no {k} benchmark; the attribution compares fine-grained with general")
    return df


@dataclass
class Effect:
    factor: str
    level: str
    reference: str
    estimate: dict[str, float]  # kind -> points
    interval: dict[str, tuple[float, float]]
    difference: float  # fine-grained minus general
    difference_interval: tuple[float, float]

    @property
    def disproportionate(self) -> bool:
        return self.difference_interval[0] > 0

    def verdict(self) -> str:
        lo, hi = self.difference_interval
        if lo > 0:
            return "disproportionate on fine-grained"
        if hi < 0:
            return "disproportionate on general"
        return "no evidence of a difference"


@dataclass
class Attribution:
    effects: list[Effect]
    factors: list[str]
    n_models: int
    n_rows: int
    n_boot: int
    redrawn: int
    resample: str
    level: float
    notes: list[str] = field(default_factory=list)

    def effect(self, factor: str, level: str | None = None) -> Effect:
        for e in self.effects:
            if e.factor == factor and (level is None or e.level == level):
                return e
        raise KeyError((factor, level))

    def to_dict(self) -> dict:
        return {
            "n_models": self.n_models, "n_rows": self.n_rows, "bootstrap": self.n_boot, "redrawn": self.redrawn,
            "resample": self.resample, "level": self.level, "notes": self.notes,
            "effects": [{"factor": e.factor, "level": e.level, "reference": e.reference,
                         **{f"{k}": e.estimate[k] for k in KINDS},
                         **{f"{k}_ci": list(e.interval[k]) for k in KINDS},
                         "difference": e.difference, "difference_ci": list(e.difference_interval),
                         "verdict": e.verdict()} for e in self.effects],
        }


class _Design:
    """Dummy-coded design per kind: benchmark offsets + factor levels against their references."""

    def __init__(self, df: pd.DataFrame, factors: list[str], references: dict[str, str]):
        self.factors, self.references = factors, references
        self.levels = {f: [lv for lv in sorted(df[f].unique()) if lv != references[f]] for f in factors}
        self.columns = [(f, lv) for f in factors for lv in self.levels[f]]

    def matrix(self, part: pd.DataFrame) -> np.ndarray:
        bench = pd.get_dummies(part["benchmark"]).to_numpy(float)
        cols = [(part[f].to_numpy() == lv).astype(float) for f, lv in self.columns]
        return np.column_stack([bench, *cols]) if cols else bench


def _solve(X: np.ndarray, y: np.ndarray, n_factor_cols: int) -> np.ndarray | None:
    """Factor coefficients (the last n columns), or None where not identified (rank deficient)."""
    beta, _, rank, _ = np.linalg.lstsq(X, y, rcond=None)
    if rank < X.shape[1]:
        return None
    return beta[X.shape[1] - n_factor_cols:]


def attribute(df: pd.DataFrame, references: dict[str, str] | None = None, n_boot: int = 2000,
              seed: int = 0, level: float = 0.95, resample: str = "models") -> Attribution:
    """Effects of each factor level on each kind of benchmark, with bootstrap intervals."""
    df = validate(df)
    if resample not in ("models", "residuals"):
        raise SnellenError(f"resample must be 'models' or 'residuals', got {resample!r}")
    if n_boot < 100:
        raise SnellenError(f"bootstrap needs at least 100 draws for a {level:.0%} interval, got {n_boot}")
    factors = [f for f in FACTORS if f in df.columns and df[f].nunique() > 1]
    notes = [f"{f}: one level only ({df[f].iloc[0]}), not estimated" for f in FACTORS if f in df.columns and df[f].nunique() == 1]
    if not factors:
        raise SnellenError("table: every model has the same encoder, llm and recipe; nothing to attribute")
    refs = {}
    for f in factors:
        ref = (references or {}).get(f)
        if ref is not None and ref not in set(df[f]):
            raise SnellenError(f"reference {f}={ref!r} is not in the table; {f} levels: {', '.join(sorted(df[f].unique()))}")
        refs[f] = ref if ref is not None else sorted(df[f].unique())[0]
    design = _Design(df, factors, refs)
    nf = len(design.columns)
    models = np.array(sorted(df["model"].unique()))
    X, y, rows_of, point, fitted = {}, {}, {}, {}, {}
    for k in KINDS:
        part = df[df["kind"] == k].reset_index(drop=True)
        X[k], y[k] = design.matrix(part), part["score"].to_numpy(float)
        midx = np.searchsorted(models, part["model"].to_numpy())
        rows_of[k] = [np.flatnonzero(midx == m) for m in range(len(models))]
        point[k] = _solve(X[k], y[k], nf)
        if point[k] is None:
            raise SnellenError(f"table: the {k} scores cannot separate {', '.join(factors)} "
                               "(some factors change together in every model: add models that vary one at a time)")
        fitted[k] = X[k] @ np.linalg.lstsq(X[k], y[k], rcond=None)[0]
    rng = np.random.default_rng(seed)
    draws = {k: [] for k in KINDS}
    redrawn = 0
    while len(draws[KINDS[0]]) < n_boot:
        if redrawn > 20 * n_boot:
            raise SnellenError(f"bootstrap: {redrawn} model resamples left some level unidentified; "
                               "too few models per level: use --resample residuals")
        betas = {}
        if resample == "models":
            pick = rng.integers(len(models), size=len(models))
            for k in KINDS:
                idx = np.concatenate([rows_of[k][m] for m in pick])
                betas[k] = _solve(X[k][idx], y[k][idx], nf) if len(idx) else None
        else:
            for k in KINDS:
                # residuals shrink by the parameters fitted: rescale to the noise's size
                resid = (y[k] - fitted[k]) * np.sqrt(len(y[k]) / max(1, len(y[k]) - X[k].shape[1]))
                betas[k] = _solve(X[k], fitted[k] + rng.choice(resid, size=len(resid), replace=True), nf)
        if any(b is None for b in betas.values()):
            redrawn += 1
            continue
        for k in KINDS:
            draws[k].append(betas[k])
    draws = {k: np.asarray(v) for k, v in draws.items()}
    q = ((1 - level) / 2 * 100, (1 + level) / 2 * 100)
    effects = []
    for j, (f, lv) in enumerate(design.columns):
        est = {k: float(point[k][j]) for k in KINDS}
        ci = {k: tuple(float(x) for x in np.percentile(draws[k][:, j], q)) for k in KINDS}
        diff = draws["fine-grained"][:, j] - draws["general"][:, j]
        effects.append(Effect(f, lv, refs[f], est, ci, est["fine-grained"] - est["general"],
                              tuple(float(x) for x in np.percentile(diff, q))))
    return Attribution(effects, factors, len(models), len(df), n_boot, redrawn, resample, level, notes)


def plot(att: Attribution, out: str | Path) -> Path:
    """Forest plot: each factor level's effect on fine-grained and general benchmarks with intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    n = len(att.effects)
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.75 * n))
    colours = {"fine-grained": "#c0392b", "general": "#2c6fbb"}
    for i, e in enumerate(att.effects):
        y = n - 1 - i
        for dy, k in ((0.15, "fine-grained"), (-0.15, "general")):
            lo, hi = e.interval[k]
            ax.errorbar(e.estimate[k], y + dy, xerr=[[e.estimate[k] - lo], [hi - e.estimate[k]]], fmt="o",
                        color=colours[k], capsize=3, label=k if i == 0 else None)
    ax.axvline(0, color="#888", lw=0.8)
    ax.set_yticks(range(n))
    ax.set_yticklabels([f"{e.factor}: {e.reference} → {e.level}" + ("  *" if e.disproportionate else "") for e in reversed(att.effects)])
    ax.set_xlabel(f"effect on score (points), {att.level:.0%} bootstrap interval ({att.resample}, {att.n_boot} draws)")
    ax.set_title("Ablation attribution (* = disproportionate on fine-grained)")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out
