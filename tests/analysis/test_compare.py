import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from snellen.analysis import compare


def _pair_table(cells_table):
    a = cells_table([(8, 30, 40)], model="a")
    b = cells_table([(8, 20, 40)], model="b")
    # b is right on a different subset: flip some so discordant counts are known
    b["strict"] = np.r_[np.zeros(10, bool), np.ones(20, bool), np.zeros(10, bool)]
    b["outcome"] = np.where(b["strict"], "correct", "wrong")
    return pd.concat([a, b], ignore_index=True)


def test_mcnemar_exact_on_discordant_pairs(cells_table):
    df = _pair_table(cells_table)
    r = compare.paired(df, np.random.default_rng(0), n_boot=500).iloc[0]
    assert (r["only_a"], r["only_b"], r["pairs"]) == (10, 0, 40)
    assert r["mcnemar_p"] == pytest.approx(binomtest(10, 10, 0.5).pvalue)
    assert r["diff"] == pytest.approx(0.25)
    assert r["diff_low"] <= 0.25 <= r["diff_high"] and r["diff_low"] > 0


def test_errors_drop_the_pair(cells_table):
    df = _pair_table(cells_table)
    df.loc[(df["model"] == "b") & (df.index % 40 < 5), ["outcome", "strict"]] = ["error", False]
    r = compare.paired(df, np.random.default_rng(0), n_boot=10).iloc[0]
    assert r["pairs"] == 35


def test_profiles_are_never_pooled(cells_table):
    df = pd.concat([cells_table([(8, 5, 10)], model="a", profile="snellen"),
                    cells_table([(8, 9, 10)], model="a", profile="finesight")], ignore_index=True)
    board = compare.leaderboard(df)
    assert sorted(board["profile"]) == ["finesight", "snellen"]
    assert sorted(board["accuracy"]) == [0.5, 0.9]
    md = compare.leaderboard_text(board, "md")
    assert md.count("### Profile") == 2
    recs = json.loads(compare.leaderboard_text(board, "json"))
    assert {r["profile"] for r in recs} == {"snellen", "finesight"}
    assert compare.leaderboard_text(board, "csv").splitlines()[0].startswith("profile,model")
    with pytest.raises(ValueError):
        compare.leaderboard_text(board, "xml")


def test_markdown_escapes_pipes_in_model_names(cells_table):
    board = compare.leaderboard(cells_table([(8, 5, 10)], model="evil|model"))
    assert "evil\\|model" in compare.leaderboard_text(board, "md")


def test_leaderboard_ranks_on_trials_every_model_answered(cells_table):
    """A model that only answered easy cells must not outrank one measured on everything."""
    easy = cells_table([(48, 10, 10)], model="narrow")
    both = pd.concat([cells_table([(4, 1, 10), (48, 8, 10)], model="broad"), easy], ignore_index=True)
    board = compare.leaderboard(both)
    r = board.set_index("model")
    assert r.loc["narrow", "accuracy"] == 1.0 and r.loc["broad", "accuracy"] == 0.45
    assert (r["shared_trials"] == 10).all()
    assert r.loc["broad", "shared_accuracy"] == 0.8 and r.loc["narrow", "shared_accuracy"] == 1.0
    md = compare.leaderboard_text(board, "md")
    assert "Ranked on the 10 trials every model answered" in md
    disjoint = pd.concat([cells_table([(4, 1, 10)], model="x"), cells_table([(48, 9, 10)], model="y")], ignore_index=True)
    disjoint.loc[disjoint["model"] == "y", "sample_id"] += "-other"
    assert "NOT comparable" in compare.leaderboard_text(compare.leaderboard(disjoint), "md")


def test_median_threshold_below_the_grid_is_said_not_blank(cells_table):
    from snellen.analysis import acuity

    df = cells_table([(4, 10, 10), (8, 10, 10), (16, 10, 10)], model="sharp")
    th = acuity.thresholds(df, np.random.default_rng(0), by=("profile", "model", "task"), n_boot=20)
    board = compare.leaderboard(df, th)
    assert board.loc[0, "median_threshold_text"] == "below the grid"
    assert "below the grid" in compare.leaderboard_text(board, "md")
