"""Synthetic runs for report tests: simulated observers, real PNG samples, and hostile model output."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from snellen.analysis.simulate import Observer, simulate_scores
from snellen.report import RunInput
from snellen.schema import AnswerField, Sample, Target

PAYLOADS = (
    "</script><script>window.__pwned = 1</script>",
    "<img src=x onerror=\"window.__pwned = 2\">",
    "<svg onload=\"window.__pwned = 3\"></svg>",
    "\"><script>alert('xss')</script>",
)


def make_sample(row: pd.Series) -> Sample:
    size = int(row["scale"])
    img = np.full((96, 96, 3), 255, dtype=np.uint8)
    side = min(size, 50)
    img[40 : 40 + side, 30 : 30 + side] = 0
    box = (30, 40, 30 + side, 40 + side)
    answer = json.loads(row["answer"])
    return Sample(
        id=row["sample_id"], suite="simulated", suite_version="0", suite_hash="sim0", task=row["task"],
        family=row["family"], kind=row["kind"], split="exam", seed=0, index=0, cell={"scale": size},
        prompts={"json": f"What is shown? Answer in JSON: {json.dumps(answer)[:40]}", "free": "What is shown?"},
        answer=answer, fields=[AnswerField(name=next(iter(answer)), kind="label", options=("A", "B"))],
        chance=float(row["chance"]), scale=size, measured_scale=float(row["measured_scale"]), ink_h=size, ink_w=size,
        count=int(row["count"]), canvas=(96, 96), image=img,
        targets=[Target(kind="block", identity="square", colour="black", rgb=(0, 0, 0), nominal=size, box=box, support=box)],
    )


def hostile_runs(n_models: int = 2, per_cell: int = 12, seed: int = 0, tasks=("letter", "shape", "count", "chain")) -> list[RunInput]:
    """One run per model; some wrong answers carry XSS payloads in text, labels and list items."""
    rng = np.random.default_rng(seed)
    observers = [Observer(f"model-{i}", threshold=7.0 * (1.6**i), resize_ratio=0.5 if i % 2 else 1.0) for i in range(n_models)]
    df = simulate_scores(observers, rng, tasks=tasks, per_cell=per_cell, task_thresholds={"count": 1.5, "chain": 2.5})
    wrong = np.flatnonzero((df["outcome"] == "wrong").to_numpy())
    for j, i in enumerate(wrong):
        payload = PAYLOADS[j % len(PAYLOADS)]
        df.at[i, "text"] = f"Sure! {payload} {df.at[i, 'extracted']}"
        if j >= 4 * len(PAYLOADS):
            continue
        ext = json.loads(df.at[i, "extracted"])
        key = next(iter(ext))
        if isinstance(ext[key], str):
            ext[key] = payload
        elif isinstance(ext[key], list):
            ext[key] = ext[key] + [payload]
        elif isinstance(ext[key], dict):
            ext[key] = {**ext[key], payload: 1}
        df.at[i, "extracted"] = json.dumps(ext)
        df.at[i, "text"] = f"Sure! {payload} {json.dumps(ext)}"
    samples = {sid: g.iloc[0] for sid, g in df.groupby("sample_id")}
    runs = []
    for obs in observers:
        manifest = {
            "suite": {"name": "simulated", "version": "0", "hash": "sim0"},
            "model": {"spec": f"sim:{obs.name}", "identity": {"backend": "sim", "model": obs.name, "note": PAYLOADS[0]}},
            "processor": {"resize": "none" if obs.resize_ratio == 1.0 else "448->224"},
            "versions": {"snellen": "0.1.0", "python": "3.11"},
        }
        runs.append(RunInput(
            name=f"runs/{obs.name}", scores=df[df["model"] == obs.name].reset_index(drop=True), manifest=manifest,
            sample=lambda sid: make_sample(samples[sid]),
        ))
    return runs


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def report_html(tmp_path_factory):
    """One report built from three hostile simulated runs, shared by the report tests."""
    from snellen.report import build_report

    html = build_report(hostile_runs(3), np.random.default_rng(0), n_boot=200)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture
def payloads():
    return PAYLOADS


@pytest.fixture(scope="session")
def make_runs():
    return hostile_runs
