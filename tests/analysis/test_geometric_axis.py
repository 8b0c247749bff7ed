"""Acuity on the geometric axis (the size the outline was drawn at): from the samples to the leaderboard."""

from __future__ import annotations

import json
import math
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from snellen.analysis import acuity, compare
from snellen.analysis.simulate import Observer, simulate_scores
from snellen.probes.suite import Suite, SuiteSpec
from snellen.scoring.frame import score_records


def _response(sample, correct: bool):
    answer = sample.answer if correct else {k: "nothing" for k in sample.answer}
    return SimpleNamespace(sample_id=sample.id, repeat=0, status="ok", text=json.dumps(answer), sent_size=None,
                           encoder_size=None, error_kind=None)


def test_score_table_carries_each_samples_geometric_size():
    spec = SuiteSpec(name="g", version="1", tasks=[{"name": "object", "family": "object", "params": {"scales": [3, 4], "per_cell": 6}}])
    samples = list(Suite(spec).samples())
    df = score_records("m", [(s, _response(s, True)) for s in samples])
    assert df["geometric_scale"].tolist() == [s.targets[0].geometric for s in samples]
    assert (df["geometric_scale"] != df["scale"]).any()  # some silhouettes are drawn larger than their ink says
    cur = acuity.curves(df, by=("model", "task"))
    for _, c in cur.iterrows():
        assert c["geometric"] == pytest.approx(np.median(df.loc[df["scale"] == c["scale"], "geometric_scale"]))


def _simulated(ratio: float):
    df = simulate_scores([Observer("m", threshold=8.0)], np.random.default_rng(3), tasks=("letter",), per_cell=40)
    return df.assign(geometric_scale=df["scale"] * ratio)


def test_thresholds_on_the_geometric_axis_follow_the_drawn_size():
    """Outlines drawn 1.25x their nominal size put every figure 1.25x further along the geometric axis."""
    df = _simulated(1.25)
    th = acuity.thresholds(df, np.random.default_rng(0), by=("model", "task"), n_boot=0, axes=("nominal", "geometric"))
    r = th.iloc[0]
    assert math.isfinite(r["nominal_threshold"])
    assert r["geometric_threshold"] == pytest.approx(1.25 * r["nominal_threshold"], rel=1e-3)
    assert r["geometric_rt50"] == pytest.approx(1.25 * r["nominal_rt50"], rel=1e-9)
    assert "effective_threshold" not in th.columns  # only the axes asked for are fitted
    with pytest.raises(ValueError, match="unknown axis 'ink'"):
        acuity.thresholds(df, np.random.default_rng(0), axes=("ink",))


def test_geometric_axis_is_unknown_where_the_data_do_not_record_it():
    df = _simulated(1.0)
    df.loc[df.index[:3], "geometric_scale"] = np.nan  # some targets without a recorded size: the cell is unknown
    th = acuity.thresholds(df, np.random.default_rng(0), by=("model", "task"), n_boot=0, axes=("geometric",))
    assert th.iloc[0]["geometric_threshold_text"] == "unknown"
    old = df.drop(columns="geometric_scale")  # score tables from before the column existed
    assert acuity.curves(old)["geometric"].isna().all()


def test_leaderboard_axis_option(monkeypatch, capsys):
    import snellen.report.build as build
    from snellen.cli import main
    from snellen.report import RunInput

    df = _simulated(1.25)
    monkeypatch.setattr(build, "load_run_input", lambda r, *a, **k: RunInput(name=str(r), scores=df, manifest={}, sample=None))

    def leaderboard(*args):
        monkeypatch.setattr(sys, "argv", ["snellen", "leaderboard", "run", "--bootstrap", "0", *args])
        with pytest.raises(SystemExit) as exc:
            main()
        out, err = capsys.readouterr()
        return exc.value.code or 0, out, err

    code, nominal, _ = leaderboard()
    assert code == 0 and "| Median threshold |" in nominal
    code, geometric, _ = leaderboard("--axis", "geometric")
    assert code == 0 and "| Median geometric threshold |" in geometric
    th = acuity.thresholds(df, np.random.default_rng(0), n_boot=0, axes=("nominal", "geometric"))
    want = compare.leaderboard(df, th, axis="geometric")["median_threshold_text"].iloc[0]
    assert want.endswith(" px") and f"| {want} |" in geometric and want not in nominal
    code, _, err = leaderboard("--axis", "ink")
    assert code != 0 and err.strip().count("\n") == 0 and "--axis" in err and "'ink'" in err
