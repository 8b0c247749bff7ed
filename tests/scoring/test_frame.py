"""score_records / score_run produce the score table analysis/frame.py reads."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers import Stored, counts, sample, seq  # noqa: E402

from snellen.analysis.frame import REQUIRED, check_frame, coverage, scored  # noqa: E402
from snellen.probes.suite import Suite, SuiteSpec, TaskEntry  # noqa: E402
from snellen.schema import SnellenError  # noqa: E402
from snellen.scoring import score_records, score_run  # noqa: E402
from snellen.scoring.frame import COLUMNS  # noqa: E402


@pytest.fixture(scope="module")
def suite_samples():
    spec = SuiteSpec(name="tiny", version="1", tasks=[
        TaskEntry(name="letter", family="letter", params={"scales": [8, 16], "per_cell": 2}),
        TaskEntry(name="digit", family="digit", params={"scales": [8], "per_cell": 2}),
    ])
    return list(Suite(spec).samples())


def _records(samples):
    recs = []
    for i, smp in enumerate(samples):
        (field,) = smp.fields
        truth = smp.answer[field.name]
        wrong = next(o for o in field.options if o != truth)
        kind = i % 6
        if kind == 0:
            r = Stored(smp.id, text=json.dumps({field.name: truth}), sent_size=(448, 448), encoder_size=(224, 224))
        elif kind == 1:
            r = Stored(smp.id, text=f"The {field.name} is {wrong}.")
        elif kind == 2:
            r = Stored(smp.id, text="I can't make out anything in this image.")
        elif kind == 3:
            r = Stored(smp.id, text="")
        elif kind == 4:
            r = Stored(smp.id, status="error", error_kind="timeout", error_message="read timed out")
        else:
            r = Stored(smp.id, status="unsupported")
        recs.append((smp, r))
    return recs


def test_score_records_on_suite_samples(suite_samples):
    recs = _records(suite_samples)
    df = score_records("m", recs)
    assert tuple(df.columns) == COLUMNS
    assert set(REQUIRED) <= set(df.columns)
    check_frame(df)
    want = ["correct", "wrong", "refusal", "unparseable", "error", "unsupported"]
    assert list(df["outcome"]) == [want[i % 6] for i in range(len(recs))]
    assert (df["strict"] == (df["outcome"] == "correct")).all()
    # errors and unsupported are passed through, never scored, and stay out of the answered rows
    answered = scored(df)
    assert not answered["outcome"].isin(["error", "unsupported"]).any()
    assert len(answered) == sum(i % 6 < 4 for i in range(len(recs)))
    err = df[df["outcome"] == "error"].iloc[0]
    assert err["error_kind"] == "timeout" and math.isnan(err["partial"]) and pd.isna(err["extracted"])
    cov = coverage(df, by=("model",))
    assert cov["answered"].iloc[0] == len(answered)


def test_effective_scale_and_sample_columns(suite_samples):
    df = score_records("m", _records(suite_samples))
    first = df.iloc[0]
    smp = suite_samples[0]
    assert first["effective_scale"] == pytest.approx(smp.measured_scale * 0.5)  # 224 / 448
    assert df["effective_scale"].iloc[1:].isna().all()  # sizes unknown -> NaN, never a guess
    assert first["scale"] == smp.scale and first["measured_scale"] == smp.measured_scale
    assert first["chance"] == pytest.approx(1 / 26) and first["count"] == 1 and first["profile"] == "snellen"
    assert json.loads(first["answer"]) == smp.answer
    assert json.loads(first["extracted"]) == smp.answer
    assert json.loads(first["field_scores"]) == {"letter": 1.0}


def test_effective_scale_takes_the_smaller_ratio():
    smp = sample(seq(2), {"objects": ["red star", "blue circle"]}, family="ordering", kind="reasoning", measured=10.0, count=2)
    r = Stored("s0", text='["red star", "blue circle"]', sent_size=(800, 400), encoder_size=(400, 300))
    df = score_records("m", [(smp, r)])
    assert df["effective_scale"].iloc[0] == pytest.approx(10.0 * min(400 / 800, 300 / 400))
    assert df["outcome"].iloc[0] == "correct"


def test_hand_built_reasoning_samples_and_repeats():
    smp = sample(counts(["red", "blue"]), {"counts": {"red": 2, "blue": 1}, "total": 3}, family="counting",
                 kind="reasoning", count=3, scale=8, measured=8.0)
    recs = [(smp, Stored("s0", repeat=k, text=t)) for k, t in enumerate(
        ["2 red, 1 blue; total: 3", '{"counts": {"red": 2, "blue": 2}, "total": 4}'])]
    df = check_frame(score_records("m2", recs))
    assert list(df["repeat"]) == [0, 1] and list(df["outcome"]) == ["correct", "wrong"]
    assert list(df["partial"]) == [1.0, 0.25]  # counts 1/2 right, total wrong: (0.5 + 0) / 2
    assert json.loads(df["extracted"].iloc[1]) == {"counts": {"red": 2, "blue": 2}, "total": 4}


def test_unknown_status_is_an_error_naming_the_sample():
    smp = sample(counts(["red"]), {"counts": {"red": 1}, "total": 1})
    with pytest.raises(SnellenError, match="s0.*'weird'"):
        score_records("m", [(smp, Stored("s0", status="weird"))])


def test_empty_records_give_an_empty_table_with_the_columns():
    df = score_records("m", [])
    assert tuple(df.columns) == COLUMNS and len(df) == 0


def test_score_run_reads_model_and_records(suite_samples):
    class Run:
        model = "hf:tiny"
        manifest = {}

        def records(self, images=True):
            return iter(_records(suite_samples[:3]))

    df = score_run(Run())
    assert set(df["model"]) == {"hf:tiny"} and len(df) == 3
