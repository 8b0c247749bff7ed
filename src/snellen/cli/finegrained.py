"""`snellen finegrained`: pose a fine-grained classification dataset under one or more protocols and evaluate
a model on it, through the same runner and store as `snellen eval` (a thin command over run.evaluate).

    snellen finegrained --model SPEC --dataset fashion-mnist --protocol mc5-hard --out RUN
    snellen finegrained --model SPEC --dataset flowers102:/data/flowers-102 --protocol curve --per-class 5 --out RUN

`--protocol` takes open, closed, mc<k>[-random|-hard][-circular], a comma-separated list, or `curve`
(mc2, mc5, mc20 and closed: accuracy as the number of candidates grows; sizes the dataset cannot offer are
left out and said so). Exit status as `snellen eval`: 0 all answered, 1 some errors (re-run to retry),
2 bad input, 3 --max-cost reached. After the run, accuracy per protocol with its Wilson 95% interval is printed.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import typer

from snellen.cli.app import app
from snellen.cli.eval import (BATCH_SIZE, CONCURRENCY, DRY_RUN, MAX_COST, MAX_TOKENS, OPTION, OUT, PROMPT, SYSTEM_PROMPT,
                              TEMPERATURE, backend_options, exit_for, generation_settings, run_eval)
from snellen.schema import SnellenError

CURVE = ("mc2", "mc5", "mc20", "closed")


def protocols_of(text: str, n_classes: int) -> tuple[list[str], list[str]]:
    """(protocols to pose, notes on those left out). `curve` expands to mc2, mc5, mc20, closed (those the
    dataset's class count allows)."""
    from snellen.scoring.finegrained import Protocol

    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise SnellenError("--protocol is empty")
    out, notes = [], []
    for n in names:
        if n.lower() == "curve":
            keep = [p for p in CURVE if p == "closed" or int(p[2:]) < n_classes]
            skipped = [p for p in CURVE if p not in keep]
            if skipped:
                notes.append(f"{', '.join(skipped)} left out: the dataset has {n_classes} classes")
            out.extend(Protocol.parse(p).name for p in keep)
            continue
        p = Protocol.parse(n)
        if p.mode == "mc" and p.k > n_classes:
            raise SnellenError(f"--protocol {n}: the dataset has only {n_classes} classes")
        out.append(p.name)
    return list(dict.fromkeys(out)), notes


def refuse_open_ended(model: str, protocols: list[str]) -> None:
    """One line, before anything is created, when the model cannot answer the open protocol at all."""
    from snellen.models.base import backends, parse_spec

    cls = backends().get(parse_spec(model)[0])
    reason = getattr(cls, "open_ended_refusal", None)
    if "open" in protocols and reason:
        raise SnellenError(f"--protocol open: {model} cannot answer it: {reason}")


def print_accuracy(run_dir: Path, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    from snellen.analysis import finegrained as fga
    from snellen.scoring import score_run
    from snellen.store import open_run

    run = open_run(run_dir)
    try:
        acc = fga.accuracy(score_run(run))
    finally:
        run.close()
    for dataset, g in acc.groupby("dataset", sort=True):
        t = Table(title=f"{dataset}: accuracy over answered questions (Wilson 95%)")
        for col in ("protocol", "k", "answered", "accuracy", "95% interval", "not read", "chance"):
            t.add_column(col, justify="left" if col == "protocol" else "right")
        for r in g.itertuples():
            t.add_row(r.protocol, "—" if r.protocol == "open" else str(r.candidates), f"{r.answered}/{r.units}",
                      "—" if r.answered == 0 else f"{100 * r.accuracy:.1f}%",
                      "—" if r.answered == 0 else f"{100 * r.ci_low:.1f}–{100 * r.ci_high:.1f}%",
                      "—" if r.answered == 0 else f"{100 * r.unread_rate:.1f}%", f"{100 * r.chance:.3g}%")
        (console or Console()).print(t)


@app.command("finegrained")
def finegrained_command(
    model: str = typer.Option(..., "--model", "-m", help="Backend spec, e.g. hf:PATH, openai:gpt-4o, random."),
    dataset: str = typer.Option(..., "--dataset", "-d", help="fashion-mnist, a dataset folder (layout detected from its "
                                "files), or <layout>:PATH (flowers102, oxford-pets, food101, fgvc-aircraft, stanford-cars, "
                                "cub200, imagenet-val, idx, hf, folder)."),
    protocol: str = typer.Option("mc5", "--protocol", "-p", help="open, closed, mc<k>[-random|-hard][-circular], a "
                                 "comma-separated list, or curve (mc2,mc5,mc20,closed)."),
    out: Path = OUT,
    split: str | None = typer.Option(None, "--split", help="Split to test on (default: the dataset's test split)."),
    per_class: int | None = typer.Option(None, "--per-class", min=1, help="At most this many images per class (seeded pick)."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many images."),
    seed: int = typer.Option(0, "--seed", help="Seeds the image pick, the distractors and the option order."),
    neighbours: Path | None = typer.Option(None, "--neighbours", help="Hard-distractor source: .npz with class_ids and "
                                           "matrix (kind embeddings | confusion | similarity). Default: class-mean pixels of the training split."),
    class_names: Path | None = typer.Option(None, "--class-names", help="Readable names by class id (JSON object or "
                                            "'<id> <name>' lines), e.g. for a Hugging Face dataset whose labels are ids."),
    prompt: str = PROMPT,
    temperature: float = TEMPERATURE,
    max_tokens: int | None = MAX_TOKENS,
    system_prompt: str | None = SYSTEM_PROMPT,
    concurrency: int | None = CONCURRENCY,
    batch_size: int | None = BATCH_SIZE,
    option: list[str] = OPTION,
    dry_run: bool = DRY_RUN,
    max_cost: float | None = MAX_COST,
) -> None:
    """Evaluate a model on a fine-grained classification dataset; responses go to OUT like `snellen eval`."""
    from snellen.data.finegrained import open_finegrained
    from snellen.data.finegrained.neighbours import Neighbours
    from snellen.data.finegrained.protocols import select
    from snellen.run import Selection

    options = backend_options(option, concurrency, batch_size)
    settings = generation_settings(prompt, temperature, max_tokens, None, None, system_prompt)
    refuse_open_ended(model, [t.strip().lower() for t in protocol.split(",")])
    ds = open_finegrained(dataset, class_names)
    split = split or ds.test_split
    ds.items(split)  # unknown split: one line naming the known ones
    names, notes = protocols_of(protocol, len(ds.classes))
    for note in notes:
        typer.echo(f"note: {note}", err=True)
    nb = Neighbours.load(neighbours) if neighbours is not None else None
    if nb is not None and set(nb.class_ids) != set(ds.classes):
        missing = sorted(set(ds.classes) - set(nb.class_ids))[:5]
        raise SnellenError(f"{neighbours}: its class ids do not match {ds.name}'s (missing e.g. {missing})")
    if nb is None and any("-hard" in p for p in names):  # mined once for every hard protocol of the run
        from snellen.data.finegrained.neighbours import pixel_means

        nb = pixel_means(ds)
    n_images = len(select(ds, split, per_class, limit, seed))
    if n_images == 0:
        raise SnellenError(f"{ds.name} split {split!r}: no images selected")
    total = sum(n_images * (int(p.split("-")[0][2:]) if p.endswith("-circular") else 1) for p in names)
    streams = [ds.samples(split, protocol=p, seed=seed, per_class=per_class, limit=limit, neighbours=nb) for p in names]
    source = {"kind": "dataset", "name": ds.name, "path": ds.root,
              "manifest": {"format": "finegrained", **ds.summary(), "split": split, "protocols": names,
                           "per_class": per_class, "limit": limit, "seed": seed,
                           "neighbours": str(neighbours) if neighbours else None,
                           "class_names": str(class_names) if class_names else None}}
    selection = Selection(samples=itertools.chain.from_iterable(streams), total=total, source=source)
    summary = run_eval(model=model, selection=selection, out=out, settings=settings, options=options,
                       batch_size=batch_size, dry_run=dry_run, max_cost=max_cost, argv=["snellen", *sys.argv[1:]])
    if not dry_run:
        print_accuracy(out)
    exit_for(summary)
