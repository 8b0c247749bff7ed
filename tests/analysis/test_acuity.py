import numpy as np
import pandas as pd
import pytest

from snellen.analysis import acuity
from snellen.analysis.frame import ScoreFrameError, coverage
from snellen.analysis.simulate import Observer, simulate_scores


def test_rt50_rt80_auc_by_linear_interpolation(cells_table):
    df = cells_table([(4, 20, 100), (8, 40, 100), (12, 60, 100), (16, 90, 100)])
    t = acuity.thresholds(df, np.random.default_rng(0), n_boot=0).iloc[0]
    assert t["nominal_rt50"] == pytest.approx(10.0)
    assert t["nominal_rt80"] == pytest.approx(12 + 4 * 0.2 / 0.3)
    auc = np.trapezoid([0.2, 0.4, 0.6, 0.9], [4, 8, 12, 16]) / 12
    assert t["nominal_auc"] == pytest.approx(auc)


def test_rt_censoring_is_never_a_number(cells_table):
    df = cells_table([(4, 60, 100), (8, 70, 100), (12, 75, 100)])
    t = acuity.thresholds(df, np.random.default_rng(0), n_boot=0).iloc[0]
    assert np.isnan(t["nominal_rt50"]) and t["nominal_rt50_text"] == "<= 4.0 px"
    assert np.isnan(t["nominal_rt80"]) and t["nominal_rt80_text"] == "> 12.0 px"


def test_saturation_scale_and_not_reached(cells_table):
    df = cells_table([(4, 10, 100), (8, 50, 100), (12, 88, 100), (16, 92, 100), (24, 90, 100)])
    t = acuity.thresholds(df, np.random.default_rng(0), n_boot=0).iloc[0]
    assert t["nominal_saturation"] == 12.0
    flat = cells_table([(s, 10, 100) for s in (4, 8, 16)], chance=0.1)
    t = acuity.thresholds(flat, np.random.default_rng(0), n_boot=0).iloc[0]
    assert t["nominal_saturation_text"] == "not reached"


def test_thresholds_outside_the_grid_are_censored(cells_table):
    rng = np.random.default_rng(3)
    df = simulate_scores([Observer("sharp", 1.5), Observer("blind", 400.0)], rng, tasks=("letter",), per_cell=40)
    t = acuity.thresholds(df, rng, n_boot=100).set_index("model")
    assert np.isnan(t.loc["sharp", "nominal_threshold"]) and t.loc["sharp", "nominal_threshold_text"] == "< 4.0 px"
    assert np.isnan(t.loc["blind", "nominal_threshold"]) and t.loc["blind", "nominal_threshold_text"] == "> 48.0 px"


def test_effective_axis_follows_resize_and_says_unknown(cells_table):
    rng = np.random.default_rng(4)
    obs = [Observer("half", 12.0, resize_ratio=0.5, lapse=0.0), Observer("nope", 12.0, resize_ratio=None)]
    df = simulate_scores(obs, rng, tasks=("letter",), per_cell=60)
    t = acuity.thresholds(df, rng, n_boot=200).set_index("model")
    assert t.loc["half", "effective_threshold"] == pytest.approx(t.loc["half", "nominal_threshold"] * 0.5, rel=0.08)
    assert t.loc["half", "nominal_threshold_censor"] == ""
    assert lo_le(t.loc["half", "nominal_ci_low"], 12.0, t.loc["half", "nominal_ci_high"])
    assert t.loc["nope", "effective_threshold_text"] == "unknown" and np.isnan(t.loc["nope", "effective_threshold"])


def lo_le(lo, v, hi):
    return lo <= v <= hi


def test_errors_and_unsupported_leave_the_denominator(cells_table):
    df = cells_table([(4, 5, 10), (8, 8, 10)])
    extra = df.iloc[:3].copy()
    extra["sample_id"] += "-e"
    extra["outcome"], extra["strict"] = ["error", "unsupported", "refusal"], False
    d = pd.concat([df, extra])
    c = coverage(d, by=("model",)).iloc[0]
    assert c["answered"] == 21 and c["trials"] == 23
    assert c["accuracy"] == pytest.approx(13 / 21)
    cur = acuity.curves(d)
    assert cur.loc[cur["scale"] == 4, "n"].item() == 11


def test_bad_tables_get_one_line_errors(cells_table):
    df = cells_table([(4, 5, 10)])
    with pytest.raises(ScoreFrameError, match="lacks column"):
        acuity.curves(df.drop(columns=["chance"]))
    bad = df.copy()
    bad.loc[0, "outcome"] = "maybe"
    with pytest.raises(ScoreFrameError, match="unknown outcome"):
        acuity.curves(bad)


def test_dissociation_and_per_count_fits(cells_table):
    rng = np.random.default_rng(5)
    df = simulate_scores([Observer("m", 8.0)], rng, per_cell=15, task_thresholds={"count": 2.0, "chain": 2.0})
    d = acuity.dissociation(df, rng, n_boot=100).iloc[0]
    assert d["perception_plateau"] > d["reasoning_plateau"] - 0.05
    per = acuity.thresholds(df[df["kind"] == "reasoning"], rng, by=("profile", "model", "task", "count"), n_boot=50)
    assert set(per["count"]) == {2, 4, 8} and len(per) == 6


def test_single_scale_group_is_not_fitted_and_says_so(cells_table):
    t = acuity.thresholds(cells_table([(8, 5, 10)]), np.random.default_rng(0), n_boot=10).iloc[0]
    assert t["nominal_threshold_text"] == "n/a (one scale)" and np.isnan(t["nominal_threshold"])
    assert t["nominal_threshold_censor"] == "n/a"


def test_a_curve_never_significantly_above_chance_has_no_threshold(cells_table):
    """A chance-level observer whose largest cells happen to come out high (13/20 on yes/no: p = 0.13)."""
    cells = [(s, 5, 10) for s in (4, 6, 8, 10, 12, 16, 24)] + [(32, 5, 10), (48, 8, 10)]
    df = cells_table(cells, chance=0.5)
    th = acuity.thresholds(df, np.random.default_rng(0), n_boot=50).iloc[0]
    assert th["nominal_threshold_censor"] == ">"
    assert np.isnan(th["nominal_threshold"])
    assert th["nominal_threshold_text"] == "> 48.0 px"


def test_a_step_between_two_sizes_gets_the_whole_gap_as_its_interval(cells_table):
    """The issue's curve: 0% at 6 px, 100% at 8 px. A bootstrap of a step has zero width (it printed
    6.9 [6.9, 6.9]); the data only place the threshold somewhere between 6 and 8 px, so the 95% interval
    must lie inside that gap and span most of it (>= 85% of its log width)."""
    cells = [(4, 0, 30), (6, 0, 30)] + [(s, 30, 30) for s in (8, 10, 12, 16, 24, 32, 48)]
    t = acuity.thresholds(cells_table(cells, chance=1 / 26), np.random.default_rng(0)).iloc[0]
    lo, hi, mid = t["nominal_ci_low"], t["nominal_ci_high"], t["nominal_threshold"]
    assert 6.0 <= lo < mid < hi <= 8.0
    assert np.log(hi / lo) >= 0.85 * np.log(8 / 6)
    value, _, interval = t["nominal_threshold_text"].partition(" [")
    assert interval and interval.split(", ")[0] != interval.split(", ")[1].rstrip("]")
