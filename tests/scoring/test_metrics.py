"""FineSightBench per-field metrics, checked against hand computations."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers import LETTER, LETTER_COUNT, counts, sample, seq  # noqa: E402

from snellen.scoring import score_response  # noqa: E402
from snellen.scoring.metrics import counts_score, edit_distance, sequence_score  # noqa: E402

TRUTH = ["red star", "blue circle", "green square", "black cross"]


@pytest.mark.parametrize("pred,hand", [
    # positions correct / max(len(truth), len(pred)), computed by hand
    (["red star", "blue circle", "green square", "black cross"], 4 / 4),
    (["blue circle", "red star", "green square", "black cross"], 2 / 4),  # swap of the first two
    (["red star", "blue circle", "green square"], 3 / 4),  # omission at the end
    (["blue circle", "green square", "black cross"], 0 / 4),  # omission at the start shifts every position
    (["red star", "blue circle", "green square", "black cross", "red cross"], 4 / 5),  # insertion
    (["RED STAR", " Blue Circle ", "green square", "black cross"], 1.0),  # strip + lower
    ([], 0.0),
])
def test_sequence_score_matches_hand_computation(pred, hand):
    assert sequence_score(TRUTH, pred) == pytest.approx(hand)


def test_sequence_partial_through_score_response():
    smp = sample(seq(4), {"objects": TRUTH}, family="ordering", kind="reasoning", count=4)
    s = score_response(smp, '{"objects": ["blue circle", "red star", "green square", "black cross"]}')
    assert (s.outcome, s.strict, s.partial) == ("wrong", False, 0.5)
    assert s.field_scores == {"objects": 0.5}
    assert s.detail["edit_distance"] == {"objects": 2}


def test_edit_distance():
    assert edit_distance(["a", "b", "c"], ["a", "c"]) == 1
    assert edit_distance(["a", "b"], ["b", "a"]) == 2  # Levenshtein: a swap is two edits
    assert edit_distance([], ["x", "y"]) == 2


def test_counts_score_true_keys_only_case_insensitive():
    truth = {"red": 2, "Blue": 1, "green": 3}
    assert counts_score(truth, {"RED": 2, "blue": 1, "green": 3}) == 1.0
    assert counts_score(truth, {"red": 2, "blue": 2}) == pytest.approx(1 / 3)
    assert counts_score(truth, {"red": 2, "blue": 1, "green": 3, "pink": 4}) == 1.0  # FineSightBench: extras ignored


def test_counts_strict_partial_and_errors():
    smp = sample(counts(["red", "blue"]), {"counts": {"red": 2, "blue": 1}, "total": 3}, family="counting",
                 kind="reasoning", count=3)
    s = score_response(smp, '{"counts": {"Red": 2, "BLUE": 3, "pink": 1}, "total": 6}')
    assert s.outcome == "wrong" and not s.strict
    assert s.field_scores == {"counts": 0.5, "total": 0.0}
    assert s.partial == pytest.approx(0.25)
    assert s.detail["abs_error"] == {"total": 3}
    assert s.detail["count_abs_error"] == {"counts": 2}
    assert s.detail["outside_options"] == {"counts": ["pink"]}  # an item not in the image, kept for the taxonomy
    assert s.extracted["counts"] == {"red": 2, "blue": 3, "pink": 1}
    ok = score_response(smp, "2 red, 1 blue; total: 3")
    assert (ok.outcome, ok.strict, ok.partial) == ("correct", True, 1.0)


def test_missing_field_scores_zero():
    smp = sample(LETTER_COUNT, {"total": 4, "with_letter": 2}, family="letter_count", kind="reasoning")
    s = score_response(smp, '{"total": 4}')
    assert s.field_scores == {"total": 1.0, "with_letter": 0.0} and s.partial == 0.5 and s.outcome == "wrong"
    assert s.detail["abs_error"] == {"total": 0, "with_letter": None}


def test_label_outside_the_options_is_wrong_and_kept():
    s = score_response(sample(LETTER, {"letter": "J"}), '{"letter": "7"}')
    assert (s.outcome, s.extracted, s.detail["outside_options"]) == ("wrong", {"letter": "7"}, {"letter": ["7"]})


def test_case_and_whitespace_variants_are_correct():
    for text in ('{"letter": " k "}', "k", "  K\n", "**K**"):
        assert score_response(sample(LETTER, {"letter": "K"}), text).outcome == "correct", text


def test_unparseable_and_refusal_score_zero():
    for text, outcome in (("The image is blank.", "refusal"), ("hmm", "unparseable")):
        s = score_response(sample(LETTER, {"letter": "K"}), text)
        assert (s.outcome, s.strict, s.partial, s.extracted) == (outcome, False, 0.0, None)
        assert s.field_scores == {"letter": 0.0}
