"""The gap panel in the report from in-memory runs: roles come from each run's recorded model spec; a report of
probe-family runs only (a VLM and a probe on a task) gets the thresholds panel alone; a VLM with only reference
models (random, oracle, simulated observers) gets no gap panel; model output in specs is escaped."""

from __future__ import annotations

import re

import numpy as np

from snellen.analysis.simulate import Observer, simulate_scores
from snellen.report import RunInput, build_report


def _runs(specs_thresholds, tasks=("shape",)):
    rng = np.random.default_rng(2)
    obs = [Observer(f"m{i}", threshold=t, width=0.15, lapse=0.0, unparseable=0, refusal=0, error=0)
           for i, (_, t) in enumerate(specs_thresholds)]
    df = simulate_scores(obs, rng, tasks=tasks, per_cell=16, scales=(4, 6, 8, 12, 16, 24, 32))
    runs = []
    for i, (spec, _) in enumerate(specs_thresholds):
        scores = df[df["model"] == f"m{i}"].assign(model=spec).reset_index(drop=True)
        runs.append(RunInput(name=f"runs/{i}", scores=scores, manifest={"model": {"spec": spec}},
                             sample=lambda sid: (_ for _ in ()).throw(LookupError(sid))))
    return runs


def test_probe_family_runs_alone_get_the_thresholds_panel(tmp_path):
    html = build_report(_runs([("hf:/m/<b>vlm</b>", 20.0), ("probe:effnet-lite0@64", 7.0)]), np.random.default_rng(0), n_boot=200)
    assert 'id="finegrained-thresholds"' in html and 'class="panel fg-dataset"' not in html
    assert '<a href="#finegrained">' in html  # the nav links to it
    assert "<b>vlm</b>" not in html and "&lt;b&gt;vlm&lt;/b&gt;" in html  # a spec is text, never markup
    body = html[html.index('<table class="fg-threshold-table">'):]
    tr = body[body.index("<tbody>"): body.index("</tbody>")]
    cells = [re.sub(r"<[^>]+>", " ", c).replace("●", "").strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
    assert cells[0] == "shape" and cells[4] == "linear probe"
    vlm_t, probe_t = (float(c.split(" px")[0]) for c in (cells[2], cells[5]))
    assert 15 < vlm_t < 26 and 5 < probe_t < 9.5
    assert re.fullmatch(r"\+\d+\.\d px \[\+\d+\.\d, \+\d+\.\d\]", cells[7]), cells


def test_reference_models_get_no_gap_panel():
    html = build_report(_runs([("hf:/m/vlm", 20.0), ("random", 7.0), ("sim:x", 5.0)]), np.random.default_rng(0), n_boot=0)
    assert 'id="finegrained"' not in html and "fg-threshold-table" not in html
