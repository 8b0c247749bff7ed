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
