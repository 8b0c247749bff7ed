"""The `finesight` scoring mode reproduces FineSightBench's published metric exactly.

Ground truth: every one of the 10,515 outputs in tests/scoring/fixtures/finesight/, scored by the
published code (per-field score and matched, overall, strict, hallucination, parse_ok, and the framework
predicate), over samples built by snellen's own FineSightBench loader. Plus the verified examples of the
rules (docs/finesight-scoring.md) and the categorised reasons the two modes differ.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from snellen.data.finesight import _record, to_sample
from snellen.schema import SnellenError
from snellen.scoring import score_response
from snellen.scoring import finesight_metric as fm
from snellen.scoring.finesight import rule_of
from snellen.scoring.mode_diff import REASONS, reason

sys.path.insert(0, str(Path(__file__).parent))
from helpers import LETTER, counts, sample, seq  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "finesight"


def _lines(name: str) -> list[dict]:
    with gzip.open(FIXTURE / name, "rt", encoding="utf-8") as fh:
        return [json.loads(x) for x in fh if x.strip()]


@lru_cache(maxsize=1)
def peer_lines() -> list[dict]:
    return _lines("peer-scored.jsonl.gz")


@lru_cache(maxsize=1)
def samples() -> dict:
    """image_id -> Sample, through the loader's record and sample builders. A blank canvas stands in for
    the images (not in the fixture; scoring never reads pixels), decoded once."""
    blank = np.full((448, 448, 3), 255, np.uint8)
    out = {}
    with mock.patch("snellen.data.finesight.decode_image", lambda png, name: blank):
        for i, rec in enumerate(_lines("records.jsonl.gz")):
            r = _record(rec, f"records.jsonl.gz:{i + 1}", rec["image_id"], lambda: b"", None, None)
            out[r.image_id] = to_sample(r, "fixture")
    return out


def test_fixture_covers_every_published_task():
    tasks = Counter(r["task_type"] for r in peer_lines())
    assert set(fm.BUILTIN_SCHEMAS) <= set(tasks)
    assert {"text_recognition", "text_reading_chain", "text_counting_chain"} <= set(tasks)
    assert len(peer_lines()) == 10_515


def test_finesight_mode_agrees_with_the_published_code_on_every_line():
    smp = samples()
    wrong: list[str] = []
    n_json = n_fields = n_text = 0
    for r in peer_lines():
        s = score_response(smp[r["image_id"]], r["prediction"], scoring="finesight")
        peer = r["peer_json_metrics"]
        where = f"{r['image_id']} {r['variant']}"
        if peer is None:
            n_text += 1
            assert s.detail["rule"] == "framework", where
            if s.strict != r["peer_framework_correct"]:
                wrong.append(f"{where}: predicate {s.strict} vs {r['peer_framework_correct']}")
            continue
        n_json += 1
        assert s.detail["rule"] == "json_metrics", where
        got = {
            "fields": {k: {"score": v, "matched": s.detail["matched"][k]} for k, v in s.field_scores.items()},
            "overall": s.partial, "strict": s.strict, "hallucination": s.detail["hallucination"],
            "parse_ok": s.detail["parse_ok"],
        }
        n_fields += len(peer["fields"])
        if got != peer:
            wrong.append(f"{where}: {got} vs {peer}")
        if s.detail["framework_correct"] != r["peer_framework_correct"]:
            wrong.append(f"{where}: predicate {s.detail['framework_correct']} vs {r['peer_framework_correct']}")
        assert s.outcome == ("correct" if peer["strict"] else "unparseable" if peer["hallucination"] else "wrong")
    assert (n_json, n_fields, n_text) == (9_129, 12_629, 1_386)
    assert not wrong, f"{len(wrong)} lines disagree, e.g. " + "; ".join(wrong[:5])


def test_default_scoring_is_snellen_and_stays_lenient():
    smp = samples()["perception_letter_4px_00000"]
    truth = smp.answer["letter"]
    for text in (f'{{"LETTER": "{truth}"}}', f"The letter is {truth}.", f'{{"letter": "{truth}."}}'):
        default, snellen, fs = (score_response(smp, text), score_response(smp, text, scoring="snellen"),
                                score_response(smp, text, scoring="finesight"))
        assert default == snellen
        assert default.strict and not fs.strict, text


def test_unknown_scoring_is_a_clear_error():
    with pytest.raises(SnellenError, match="unknown scoring 'fsb'.*snellen, finesight"):
        score_response(sample(LETTER, {"letter": "A"}), '{"letter": "A"}', scoring="fsb")


# The verified examples of the published rules (docs/finesight-scoring.md §8), scored through
# evaluate_json_prediction and the framework predicate; F = three backticks.
L, P = {"letter": "A"}, {"present": "yes"}
C = {"counts": {"circle": 1, "pentagon": 1}, "total": 2}
O = {"objects": ["red circle", "blue square", "green star"]}
F = "```"
S = {"L": fm.BUILTIN_SCHEMAS["letter_recognition"], "P": fm.BUILTIN_SCHEMAS["block_recognition"],
     "C": fm.BUILTIN_SCHEMAS["counting_chain"], "O": fm.BUILTIN_SCHEMAS["chain_reasoning"]}
EXAMPLES = [  # gt, output, [(score, matched)], overall, strict, hallucination, parse_ok, framework, fallback
    ("L", F + 'json\n{"letter": " a "}\n' + F, [(1, True)], 1, True, False, True, True, None),
    ("L", '{"LETTER": "A"}', [(0, False)], 0, False, False, True, False, None),
    ("L", "The letter is A.", [(0, False)], 0, False, True, False, False, None),
    ("L", '[Answer] {"letter": "A"}', [(0, False)], 0, False, True, False, True, None),
    ("L", "{'letter': 'A',}", [(1, True)], 1, True, False, True, False, None),
    ("L", F + "\nlooking\n" + F + "\n" + F + 'json\n{"letter": "A"}\n' + F, [(0, False)], 0, False, True, False, True, None),
    ("L", '{"letter": "A"} {"letter": "B"}', [(1, True)], 1, True, False, True, False, None),
    ("L", "null", [(0, False)], 0, False, True, False, False, None),
    ("P", '{"present": true}', [(0, False)], 0, False, False, True, False, None),
    ("P", '{"present": "yes", "note": "it\'s clear",}', [(0, False)], 0, False, True, False, False, None),
    ("C", '{"counts": {"Circle ": 1, "pentagon": 1, "star": 0}, "total": 2.0}', [(1, False), (1, True)], 1, False, False, True, False, None),
    ("C", '{"counts": {"circle": "1", "pentagon": "1"}, "total": "2"}', [(0, False), (0, False)], 0, False, False, True, True, None),
    ("C", '{"counts": {"circle": true, "pentagon": 1}, "total": 2}', [(1, True), (1, True)], 1, True, False, True, False, None),
    ("O", '{"objects": ["Red Circle", "green star", "blue square"]}', [(1 / 3, False)], 1 / 3, False, False, True, False, None),
    ("O", '{"objects": "red circle, blue square, green star, red circle"}', [(0.75, False)], 0.75, False, False, True, False, None),
    ("O", '["red circle", "blue square", "green star"]', [(0, False)], 0, False, False, True, False, None),
    ("O", 'Order: "red circle", "blue square", "green star"', [(1, True)], 1, True, False, False, False,
     ["red circle", "blue square", "green star"]),
    ("O", '{"objects": ["red circle", "blue square", "green', [(0, False)], 0, False, False, False, False,
     ["objects", "red circle", "blue square"]),
    ("O", "- red circle, blue square, green star", [(1 / 3, False)], 1 / 3, False, False, False, False, ["red circle"]),
]


@pytest.mark.parametrize("case", EXAMPLES, ids=[f"ex{i + 1}" for i in range(len(EXAMPLES))])
def test_verified_examples(case):
    gt_key, output, fields, overall, strict, halluc, parse_ok, framework, fallback = case
    gt = {"L": L, "P": P, "C": C, "O": O}[gt_key]
    ev = fm.evaluate_json_prediction(output, gt, S[gt_key])
    assert [r.score for r in ev.fields.values()] == pytest.approx([f[0] for f in fields])
    assert [r.matched for r in ev.fields.values()] == [f[1] for f in fields]
    assert (ev.overall, ev.strict, ev.hallucination, ev.parse_ok) == (pytest.approx(overall), strict, halluc, parse_ok)
    assert fm.is_correct_prediction(output, json.dumps(gt)) is framework
    got_fallback = [r.fallback for r in ev.fields.values() if r.fallback is not None]
    assert got_fallback == ([fallback] if fallback else [])


def test_comparison_chain_fallback_reads_the_separators():
    ev = fm.evaluate_json_prediction('Answer: "A", "B", "C"', {"objects": ["A", "B", "C"]},
                                     fm.BUILTIN_SCHEMAS["comparison_chain"])
    assert ev.fields["objects"].fallback == [",", ","]
    assert (ev.overall, ev.strict, ev.hallucination, ev.parse_ok) == (0, False, False, False)


def test_extraction_errors():
    assert fm.extract_json("   ") == (None, "empty_output")
    assert fm.extract_json("The letter is A.") == (None, "no_json_block_found")
    assert fm.extract_json("null") == (None, "unknown_parse_error")
    value, err = fm.extract_json('[Answer] {"letter": "A"}')
    assert value is None and err.startswith("json_decode_error: ")


def test_plain_text_predicate_rules():
    ok = fm.is_correct_prediction
    assert ok("It is a B", "A")  # one-token GT: membership, so the article "a" passes GT "A"
    assert not ok("It is B", "A")
    assert not ok("I count -3 or 3", "3") and ok("about 4 things, not 5", "4")  # the first integer decides
    assert ok("Red Circle, blue square", "red circle,blue square")
    assert ok("Yes there is.", "yes") and not ok("yesterday", "yes")
    assert not ok("Yes, there is.", "yes")  # the comma survives normalisation: the token is "yes,"
    assert ok("the green big star here", "big star")
    assert ok("<|im_end|>2; 1st, 3rd", "2; 1st 3rd", task="comparison")
    assert not ok("2; 1st", "2; 1st 3rd", task="comparison")


def test_snellen_tasks_without_a_published_schema_use_the_schema_their_fields_imply():
    letter = sample(LETTER, {"letter": "A"})
    rule, schema = rule_of(letter)
    assert rule == "derived" and schema == (fm.FieldSpec("letter"),)
    s = score_response(letter, '{"letter": "a"}', scoring="finesight")
    assert s.strict and s.detail["rule"] == "derived"
    cnt = sample(counts(["red", "blue"]), {"counts": {"red": 2, "blue": 1}, "total": 3}, family="counting")
    s = score_response(cnt, '{"counts": {"red": 2, "blue": 1, "green": 0}, "total": 3}', scoring="finesight")
    assert s.field_scores == {"counts": 1.0, "total": 1.0} and not s.strict
    order = sample(seq(2), {"objects": ["red star", "blue circle"]}, family="ordering", task="spatial_chain")
    assert rule_of(order) == ("json_metrics", fm.BUILTIN_SCHEMAS["chain_reasoning"])


def test_finesight_suite_fields_match_the_published_schemas():
    from snellen.probes.suite import load_suite

    suite = load_suite("finesight", per_cell=1)
    seen = set()
    for item in suite.work():
        if item.task_index in seen:
            continue
        seen.add(item.task_index)
        smp = suite.make(item)
        rule, schema = rule_of(smp)
        assert rule == "json_metrics", smp.task
        derived = tuple(fm.FieldSpec(f.name, {"sequence": "ordered_list", "counts": "mapping"}.get(f.kind, "scalar")) for f in smp.fields)
        assert schema == derived, smp.task
        assert score_response(smp, json.dumps(smp.answer), scoring="finesight").strict, smp.task
    assert len(seen) == 9


def test_every_difference_between_the_modes_has_a_named_reason():
    """Over one output per (task, variant): every class of output in the fixture, at a twentieth of the cost."""
    smp = samples()
    found: Counter = Counter()
    by_variant: dict[tuple[str, str], set[str]] = {}
    first = {}
    for r in peer_lines():
        first.setdefault((r["task_type"], r["variant"]), r)
    for r in first.values():
        s = smp[r["image_id"]]
        a, b = score_response(s, r["prediction"]), score_response(s, r["prediction"], scoring="finesight")
        why = reason(s, r["prediction"], a, b)
        if why is None:
            assert a.strict == b.strict and a.partial == pytest.approx(b.partial)
            continue
        found[why] += 1
        by_variant.setdefault((r["variant"], b.detail["rule"]), set()).add(why)
    assert found["other"] == 0, by_variant
    assert set(found) <= set(REASONS)
    # each class of the published metric's strictness shows up under its own name
    expect = {
        ("two_objects_wrong_then_right", "json_metrics"): "first_object",
        ("key_case", "json_metrics"): "key_spelling",
        ("flat_counts", "json_metrics"): "key_spelling",
        ("total_str", "json_metrics"): "number_text",
        ("total_word", "json_metrics"): "number_text",
        ("counts_extra_key", "json_metrics"): "extra_keys",
        ("seq_bare_list", "json_metrics"): "not_object",
        ("prose_only", "json_metrics"): "no_json",
        ("period", "json_metrics"): "value_spelling",
        ("bool_true", "json_metrics"): "boolean",
        ("extra_top_key", "framework"): "extra_top_keys",
        ("single_quotes", "framework"): "quotes_repair",
        ("seq_as_string", "framework"): "list_as_text",
    }
    for key, why in expect.items():
        assert by_variant.get(key) == {why}, (key, by_variant.get(key))


def test_aggregate_totals_fields_and_groups():
    letter, order = fm.BUILTIN_SCHEMAS["letter_recognition"], fm.BUILTIN_SCHEMAS["chain_reasoning"]
    rows = [
        (fm.evaluate_json_prediction('{"letter": "a"}', L, letter), {"task_type": "letter_recognition"}),
        (fm.evaluate_json_prediction("no idea", L, letter), {"task_type": "letter_recognition"}),
        (fm.evaluate_json_prediction('{"objects": ["red circle", "blue square", "green star", "x", "y"]}', O, order), {}),
        (fm.evaluate_json_prediction("no idea", O, order), {}),
    ]
    agg = fm.aggregate(rows)
    assert (agg["n"], agg["hallucinations"]) == (4, 2)
    assert agg["strict_accuracy"] == pytest.approx(1 / 4)
    assert agg["mean_overall_score"] == pytest.approx((1 + 0 + 3 / 5 + 0) / 4)
    # positions micro-averaged: 3 right of max(3 + 3 expected, 5 + 0 predicted) = 0.5, not the mean score 0.3
    objects = agg["per_field"]["objects"]
    assert (objects["positional_correct"], objects["positional_expected_total"], objects["positional_predicted_total"]) == (3, 6, 5)
    assert objects["positional_accuracy"] == pytest.approx(0.5) and objects["mean_score"] == pytest.approx(0.3)
    assert "positional_accuracy" not in agg["per_field"]["letter"]
    assert agg["per_field"]["letter"] == {"n": 2, "correct": 1, "accuracy": 0.5, "mean_score": 0.5}
    assert list(agg["groups"]) == ["task_type=letter_recognition", "task_type=unknown"]
    assert agg["groups"]["task_type=letter_recognition"]["hallucination_rate"] == 0.5
    assert agg["groups"]["task_type=unknown"]["n"] == 2
    assert fm.aggregate([])["strict_accuracy"] == 0.0


def test_published_edge_cases():
    """Corners the peer-scored set does not reach, as the published module behaves."""
    counts_only = (fm.FieldSpec("counts", "mapping"),)
    # a GT without the mapping counts as empty: any object scores 1, only an empty one matches
    ev = fm.evaluate_json_prediction('{"counts": {}}', {}, counts_only)
    assert (ev.fields["counts"].score, ev.fields["counts"].matched) == (1.0, True)
    ev = fm.evaluate_json_prediction('{"counts": {"a": 1}}', "{}", counts_only)
    assert (ev.fields["counts"].score, ev.fields["counts"].matched) == (1.0, False)
    # tagged items that are blank fall through to the comma split
    assert fm.fallback_list("<a>   ,x y") == ["x y"]
    assert fm.fallback_list("<color> Purple triangle, <color> Blue pentagon") == ["purple triangle", "blue pentagon"]
    assert fm.fallback_list("1. red star\n2. blue dot; 3. x") == ["red star", "blue dot"]
    assert fm.fallback_list("nothing here") is None
    # an integer too long for Python's int() is a decode error, not a crash
    value, err = fm.extract_json('{"total": 1' + "0" * 5000 + "}")
    assert value is None and err.startswith("json_decode_error")
    ok = fm.is_correct_prediction
    assert ok("The answer: 2; 1st, 3rd", "2; 1st 3rd", task="comparison")  # found anywhere in the text
    assert ok("anything at all", "")  # an empty plain label is a substring of everything
    assert ok("<|a|b|> yes", "yes") and not ok("<|im_end|>", "im_end")
