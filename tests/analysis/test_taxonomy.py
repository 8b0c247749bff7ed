import json

import pandas as pd

from snellen.analysis import taxonomy as tx


def test_alignment_names_each_error_kind():
    assert [op for op, *_ in tx.align(["a", "b", "c"], ["b", "a", "c"])] == ["swap", "match"]
    assert [op for op, *_ in tx.align(["a", "b", "c"], ["a", "c"])] == ["match", "omission", "match"]
    assert [op for op, *_ in tx.align(["a", "b"], ["a", "x", "b"])] == ["match", "insertion", "match"]
    assert [op for op, *_ in tx.align(["a", "b"], ["a", "Z"])] == ["match", "substitution"]
    assert [op for op, *_ in tx.align([" Red Star "], ["red star"])] == ["match"]


def _rows(cells_table, answer, extracted):
    df = cells_table([(8, 0, 1)], task="t", answer=answer, extracted_wrong=extracted)
    return df


def test_numeracy_signed_off_by_k_and_missing(cells_table):
    df = _rows(cells_table, {"counts": {"cat": 3, "dog": 2}, "total": 5}, {"counts": {"cat": 4}, "total": 3})
    n = tx.numeracy(df).set_index(["field", "delta"])["n"]
    assert n[("total", -2)] == 1 and n[("counts", 1)] == 1 and n[("counts", "missing")] == 1


def test_sequence_errors_and_phantom_items(cells_table):
    truth = {"objects": ["red star", "blue circle", "green cross"]}
    pred = {"objects": ["blue circle", "red star", "purple heart"]}
    df = _rows(cells_table, truth, pred)
    s = tx.sequence_errors(df).iloc[0]
    assert (s["swap"], s["omission"], s["insertion"], s["substitution"]) == (1, 0, 0, 1)
    items = set(tx.phantom_items(df)["item"])
    assert items == {"purple heart"}


def test_confusions_for_labels_and_split_sequence_items(cells_table):
    a = cells_table([(8, 1, 3)], answer={"shape": "star"}, extracted_wrong={"shape": "Circle"})
    b = _rows(cells_table, {"objects": ["red star"]}, {"objects": ["blue star"]})
    conf = tx.confusions(pd.concat([a, b]))
    m = tx.confusion_matrix(conf, "snellen", "m", "shape")
    assert m.loc["star", "circle"] == 2 and m.loc["star", "star"] == 1
    col = tx.confusion_matrix(conf, "snellen", "m", "colour")
    assert col.loc["red", "blue"] == 1


def test_outcome_rates_by_scale(cells_table):
    df = cells_table([(4, 1, 4), (8, 4, 4)])
    df.loc[1, "outcome"] = "unparseable"
    df.loc[1, "extracted"] = None
    r = tx.outcome_rates(df).set_index("scale")
    assert r.loc[4, "correct"] == 0.25 and r.loc[4, "unparseable"] == 0.25 and r.loc[8, "correct"] == 1.0
    assert json.loads(df.loc[0, "answer"]) == {"letter": "A"}


def test_confusion_labels_keep_the_answers_spelling(cells_table):
    """Letters are shown as the answers spell them (K, not k); a lower-case prediction counts as that label."""
    a = cells_table([(8, 1, 3)], answer={"letter": "K"}, extracted_wrong={"letter": "x"})
    b = cells_table([(8, 1, 1)], answer={"letter": "X"}, extracted_wrong={"letter": "k"})
    b["sample_id"] += "-b"
    m = tx.confusion_matrix(tx.confusions(pd.concat([a, b])), "snellen", "m", "letter")
    assert list(m.index) == ["K", "X"] and m.loc["K", "X"] == 2 and m.loc["K", "K"] == 1 and m.loc["X", "X"] == 1
