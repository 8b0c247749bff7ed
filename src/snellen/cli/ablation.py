"""`snellen ablation TABLE`: attribute fine-grained vs general benchmark changes to encoder, LLM and recipe."""

from __future__ import annotations

from pathlib import Path

import typer

from snellen.cli.app import app
from snellen.schema import SnellenError


def _references(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        factor, sep, level = item.partition("=")
        if not sep or factor.strip() not in ("encoder", "llm", "recipe") or not level.strip():
            raise SnellenError(f"--reference {item!r}: expected encoder=LEVEL, llm=LEVEL or recipe=LEVEL")
        out[factor.strip()] = level.strip()
    return out


@app.command()
def ablation(
    table: Path = typer.Argument(..., help="CSV or JSON table (model, encoder, llm, [recipe], benchmark, kind, score), or a YAML "
                                           "spec of models with attributes and result files (lmms-eval, VLMEvalKit, snellen runs)."),
    plot: Path = typer.Option(None, "--plot", help="Where to write the figure (default: TABLE's name + '.ablation.png')."),
    json_out: Path = typer.Option(None, "--json", help="Also write the effects as JSON here."),
    reference: list[str] = typer.Option([], "--reference", help="Reference level, e.g. encoder=clip-l (repeatable; default: first in sorted order)."),
    bootstrap: int = typer.Option(2000, "--bootstrap", help="Bootstrap draws."),
    resample: str = typer.Option("models", "--resample", help="models (default) or residuals."),
    seed: int = typer.Option(0, "--seed"),
    rows_out: Path = typer.Option(None, "--rows", help="Write the table read from a spec's result files (with each score's source, metric, value, unit) as CSV."),
) -> None:
    """Estimate the effect of changing the encoder vs the LLM (vs the recipe) on fine-grained and general
    benchmarks with bootstrap intervals, say whether the encoder effect on fine-grained is disproportionate,
    print it and plot it."""
    import json

    from rich.console import Console
    from rich.table import Table

    from snellen.analysis.ablation import attribute, plot as draw, read_table
    from snellen.analysis.ablation_spec import assemble, is_spec

    console = Console(width=140)
    refs = _references(reference)
    if table.is_file() and (table.suffix.lower() in (".yaml", ".yml") or is_spec(table)):
        built = assemble(table)
        df, unit, spec_notes = built.table, built.unit, built.notes
        src = df.groupby(["model", "source", "format"], sort=False).size().reset_index()
        s = Table(title=f"{table.name}: scores read from {src['source'].nunique()} result files ({unit})")
        for col in ("model", "file", "format", "model named in the file", "benchmarks"):
            s.add_column(col)
        for (model, source, fmt), g in df.groupby(["model", "source", "format"], sort=False):
            named = g["file_model"].iloc[0] or "-"  # a file assigned to the wrong model shows here
            s.add_row(model, Path(source).name, fmt, named, ", ".join(f"{b} {v:.1f}" for b, v in zip(g["benchmark"], g["score"])))
        console.print(s)
        if rows_out:
            from snellen.atomic import atomic_write

            atomic_write(rows_out, df.to_csv(index=False))
    else:
        df, unit, spec_notes = read_table(table), "as written", []
        if rows_out:
            raise SnellenError("--rows writes the table read from a spec's result files; TABLE is already a table")
    att = attribute(df, refs, n_boot=bootstrap, seed=seed, resample=resample)
    t = Table(title=f"{table.name}: {att.n_models} models, {att.n_rows} scores; {att.level:.0%} bootstrap intervals "
                    f"({att.resample}, {att.n_boot} draws)" + ("" if unit == "as written" else f"; effects in {unit}"))
    for col in ("change", "fine-grained", "general", "fine-grained − general", "verdict"):
        t.add_column(col)
    fmt = lambda v, ci: f"{v:+.2f} [{ci[0]:+.2f}, {ci[1]:+.2f}]"  # noqa: E731
    for e in att.effects:
        t.add_row(f"{e.factor}: {e.reference} → {e.level}", fmt(e.estimate["fine-grained"], e.interval["fine-grained"]),
                  fmt(e.estimate["general"], e.interval["general"]), fmt(e.difference, e.difference_interval), e.verdict())
    console.print(t)
    for note in spec_notes + att.notes + ([f"{att.redrawn} model resamples redrawn (a level absent)"] if att.redrawn else []):
        console.print(f"note: {note}")
    enc = [e for e in att.effects if e.factor == "encoder"]
    if enc:
        yes = [e for e in enc if e.disproportionate]
        console.print("encoder effect on fine-grained: " + (
            "DISPROPORTIONATE (" + ", ".join(f"{e.reference} → {e.level}: {e.difference:+.2f} more on fine-grained" for e in yes) + ")"
            if yes else "not disproportionate (every interval of fine-grained − general includes or lies below 0)"))
    out = draw(att, plot or table.with_name(table.name + ".ablation.png"))
    console.print(f"plot: {out}")
    if rows_out:
        console.print(f"rows: {rows_out}")
    if json_out:
        json_out.write_text(json.dumps({**att.to_dict(), "unit": unit}, indent=2))
        console.print(f"json: {json_out}")
