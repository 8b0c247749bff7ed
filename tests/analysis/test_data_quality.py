"""Defects of a benchmark's labels per task, from the score table's `defects` column (issue 12.2)."""

import numpy as np
import pandas as pd
import pytest

from snellen.analysis import compare, data_quality


def _frame(cells_table):
    """Two models on one task of 10 samples: samples 0-3 carry order_tie (2 of them also answer_constant), and
    model a is right on exactly the 4 affected samples, model b on none of them but on 3 of the 6 others."""
    a = cells_table([(8, 4, 10)], model="a", task="chain")
    b = cells_table([(8, 0, 10)], model="b", task="chain")
    b.loc[4:6, ["outcome", "strict"]] = ["correct", True]
    df = pd.concat([a, b], ignore_index=True)
    i = df["sample_id"].str.split("-").str[-1].astype(int)
    df["defects"] = np.where(i < 2, "answer_constant,order_tie", np.where(i < 4, "order_tie", ""))
    return df


def test_share_of_samples_per_task_and_defect(cells_table):
    t = data_quality.defect_table(_frame(cells_table)).set_index("defect")
    assert t.loc["order_tie", ["samples", "task_samples"]].tolist() == [4, 10]  # samples, not trials of 2 models
    assert t.loc["order_tie", "share"] == pytest.approx(0.4)
    assert t.loc["answer_constant", "samples"] == 2
    assert "tie on the ordering axis" in t.loc["order_tie", "title"] and "capped below 100%" in t.loc["order_tie", "effect"]
    assert data_quality.affected_samples(_frame(cells_table)) == 4


def test_accuracy_on_affected_samples_beside_the_rest(cells_table):
    s = data_quality.accuracy_split(_frame(cells_table)).set_index(["defect", "model"])
    assert s.loc[("order_tie", "a"), ["affected_trials", "affected_accuracy", "other_trials", "other_accuracy"]].tolist() == [4, 1.0, 6, 0.0]
    assert s.loc[("order_tie", "b"), "affected_accuracy"] == 0.0 and s.loc[("order_tie", "b"), "other_accuracy"] == 0.5


def test_errors_are_not_trials_on_affected_samples(cells_table):
    df = _frame(cells_table)
    df.loc[(df["model"] == "a") & df["sample_id"].str.endswith("-0"), ["outcome", "strict"]] = ["error", False]
    shares = data_quality.defective_trials(df).set_index("model")["defective_share"]
    assert shares["a"] == pytest.approx(3 / 9) and shares["b"] == pytest.approx(0.4)


def test_tables_without_defects_show_none(cells_table):
    df = cells_table([(8, 4, 10)])
    assert data_quality.defect_table(df).empty and data_quality.accuracy_split(df).empty
    assert data_quality.defect_table(df.assign(defects="")).empty
    board = compare.leaderboard(df)
    assert board["defective_share"].tolist() == [0.0] and board["data_defects"].tolist() == [""]
    assert "Data quality" not in compare.leaderboard_text(board, "md", quality=data_quality.defect_table(df))


def test_leaderboard_states_the_defects(cells_table):
    df = _frame(cells_table)
    board = compare.leaderboard(df)
    assert board.set_index("model")["defective_share"].to_dict() == {"a": 0.4, "b": 0.4}
    assert set(board["data_defects"]) == {"chain: answer_constant 2/10; chain: order_tie 4/10"}
    md = compare.leaderboard_text(board, "md", quality=data_quality.defect_table(df))
    assert "**Data quality of the benchmark**" in md and "a 40.0%" in md
    assert "- chain: two differently labelled targets tie on the ordering axis, 4 of 10 samples (40%). Effect:" in md
    assert '"defective_share": 0.4' in compare.leaderboard_text(board, "json")
