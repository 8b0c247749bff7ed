"""The adaptive exam: the psi-marginal search finds a known threshold, resumes identically after an
interruption, honours its stopping rules, and its trials are re-fitted by the grid's analysis."""

from __future__ import annotations

import json
import signal
import time

import numpy as np
import pytest

from snellen.analysis.acuity import thresholds
from snellen.analysis.adaptive import AdaptiveSpec, PsiSearch
from snellen.plan.adaptive import AdaptivePlanner
from snellen.probes.suite import load_suite
from snellen.run import evaluate, select_suite
from snellen.scoring.frame import score_run
from snellen.store import Run, open_run

from conftest import GLYPHS
from test_cli import run_cli, snellen, stored_rows


def trials(path) -> dict[str, list[tuple[int, int, str, str]]]:
    """task -> [(trial, scale, sample id, answer text)] in trial order."""
    out: dict[str, list] = {}
    with open_run(path) as run:
        for s, r in run.records(images=False):
            if r.status == "ok":
                out.setdefault(s.task, []).append((s.extra["adaptive"]["trial"], s.scale, s.id, r.text))
    return {k: sorted(v) for k, v in out.items()}


def planner(max_trials=30, ci_width=None, tasks=("letter",)):
    return AdaptivePlanner(load_suite(GLYPHS, only=list(tasks)),
                           AdaptiveSpec(min_px=3, max_px=40, max_trials=max_trials, ci_width=ci_width, min_trials=8))


def test_search_converges_to_known_thresholds_and_the_grid_fit_agrees(tmp_path):
    """Four observers (5.5-24 px): the 95% intervals hold the truth (at most one miss: 1.4% by chance at 95%),
    estimates are close on average, and the grid analysis re-fitting the same trials agrees."""
    hits, errors, fit_errors = 0, [], []
    for i, true_px in enumerate((5.5, 8.0, 13.0, 24.0)):
        out = tmp_path / f"run{i}"
        evaluate(f"sim:{true_px}", planner(max_trials=60), out, progress=False)
        df = score_run(Run(out, create=False))
        assert len(df) == 60 and df["scale"].nunique() > 3  # it moved the scale
        state = Run(out, create=False).manifest["adaptive"]["tasks"]["letter"]
        lo, hi = state["posterior_ci"]
        hits += lo <= true_px <= hi
        errors.append(abs(np.log(state["posterior_threshold"] / true_px)))
        th = thresholds(df, np.random.default_rng(0)).iloc[0]  # the analysis fit over all trials, as for the grid
        fit_errors.append(abs(np.log(th["nominal_fit_threshold_raw"] / true_px)))
    assert hits >= 3
    assert np.mean(errors) < 0.15 and max(errors) < 0.35
    assert np.mean(fit_errors) < 0.2


def test_stopping_rules_budget_and_ci_width(tmp_path):
    evaluate("sim:10", planner(max_trials=12), tmp_path / "a", progress=False)
    st = Run(tmp_path / "a", create=False).manifest["adaptive"]
    assert st["tasks"]["letter"] == {**st["tasks"]["letter"], "trials": 12, "stopped": "budget"}
    assert "12 trials" in st["stopping_rule"]
    evaluate("sim:10", planner(max_trials=200, ci_width=0.6), tmp_path / "b", progress=False)
    t = Run(tmp_path / "b", create=False).manifest["adaptive"]["tasks"]["letter"]
    assert t["stopped"] == "ci width" and t["trials"] < 200
    lo, hi = t["posterior_ci"]
    assert np.log(hi / lo) <= 0.6


def test_threshold_outside_the_range_stops_early(tmp_path):
    evaluate("sim:300", planner(max_trials=80), tmp_path / "blind", progress=False)
    t = Run(tmp_path / "blind", create=False).manifest["adaptive"]["tasks"]["letter"]
    assert t["stopped"] == "above range" and t["trials"] < 80


def test_resumed_search_after_errors_is_identical_to_an_uninterrupted_one(tmp_path):
    ref, cut = tmp_path / "ref", tmp_path / "cut"
    evaluate("sim:9", planner(max_trials=25, tasks=("letter", "digit")), ref, progress=False)
    # a first pass whose server fails after 4 batches: errors stop each task's search, never scored ...
    evaluate("t-sim-flaky:9", planner(max_trials=25, tasks=("letter", "digit")), cut, progress=False,
             options={"fail_after": 4})
    first = Run(cut, create=False).manifest["adaptive"]["tasks"]
    assert all(t["stopped"].startswith("error") for t in first.values())
    assert 0 < sum(len(v) for v in trials(cut).values()) < 50
    # ... then a re-run continues the same searches to the same trials
    evaluate("t-sim-flaky:9", planner(max_trials=25, tasks=("letter", "digit")), cut, progress=False)
    assert trials(cut) == trials(ref)


def test_resume_after_sigkill_continues_the_same_search(tmp_path):
    out, ref = tmp_path / "run", tmp_path / "ref"
    args = ["eval", "--model", "t-sim-slow", "--suite", GLYPHS, "--tasks", "letter,digit", "--adaptive",
            "--max-trials", "16", "--out", out]
    p = snellen(*args)
    deadline = time.time() + 120
    while stored_rows(out / "store.sqlite") < 9 and p.poll() is None and time.time() < deadline:
        time.sleep(0.005)
    assert p.poll() is None, "the run finished before it could be killed"
    p.send_signal(signal.SIGKILL)
    p.communicate()
    assert 9 <= stored_rows(out / "store.sqlite") < 32
    code, _, err = run_cli(*args, timeout=180)
    assert code == 0, err
    code, _, err = run_cli(*[a if a != out else ref for a in args], timeout=180)
    assert code == 0, err
    assert trials(out) == trials(ref) and sum(len(v) for v in trials(out).values()) == 32


def test_psi_search_is_a_pure_function_of_its_trials():
    spec = AdaptiveSpec(max_trials=40)
    rng = np.random.default_rng(3)
    s = PsiSearch(spec, 0.1)
    for _ in range(15):
        x = s.next_scale()
        s.update(x, bool(rng.random() < 0.6), 0.1)
    again = PsiSearch.replay(spec, 0.1, s.trials)
    assert again.next_scale() == s.next_scale() and again.interval() == s.interval()


def test_adaptive_cli_refuses_what_it_cannot_do(tmp_path):
    code, _, err = run_cli("eval", "--model", "sim:9", "--data", tmp_path, "--adaptive", "--out", tmp_path / "x")
    assert code != 0 and "--adaptive draws its own scales" in err and "Traceback" not in err
    code, _, err = run_cli("eval", "--model", "sim:9", "--suite", GLYPHS, "--adaptive", "--repeats", "2", "--out", tmp_path / "y")
    assert code != 0 and "asks each stimulus once" in err and "Traceback" not in err
    code, _, err = run_cli("eval", "--model", "sim:9", "--suite", GLYPHS, "--adaptive", "--min-px", "50", "--out", tmp_path / "z")
    assert code != 0 and "max_px" in err and "Traceback" not in err


def test_adaptive_and_grid_estimates_of_one_observer_agree_within_their_intervals(tmp_path):
    grid, adaptive = tmp_path / "grid", tmp_path / "adaptive"
    suite = load_suite(GLYPHS, per_cell=20, only=["letter"])  # 4 scales x 20 trials
    evaluate("sim:8", select_suite(suite), grid, progress=False)
    evaluate("sim:8", planner(max_trials=60), adaptive, progress=False)
    rows = []
    for out in (grid, adaptive):
        th = thresholds(score_run(Run(out, create=False)), np.random.default_rng(0)).iloc[0]
        rows.append((th["nominal_fit_threshold_raw"], th["nominal_ci_low"], th["nominal_ci_high"]))
    (g, glo, ghi), (a, alo, ahi) = rows
    assert np.isfinite([glo, ghi, alo, ahi]).all()
    assert glo <= a <= ghi or alo <= g <= ahi  # each estimate inside the other's interval (at least one way)
    assert max(glo, alo) <= min(ghi, ahi)  # the intervals overlap
