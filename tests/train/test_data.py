"""Training data: train split only, answers the scorer accepts, curricula, captions, text-only reasoning."""

from __future__ import annotations

import json
from itertools import islice

import numpy as np
import pytest

from snellen.probes.suite import load_suite
from snellen.schema import TRAIN_SEED_RANGE, SnellenError
from snellen.scoring import score_response
from snellen.train.config import DataSpec
from snellen.train.data import Difficulty, ProbeStream, answer_text, caption, ensure_train
from snellen.train.rewards import scored_sample


@pytest.fixture(scope="module")
def quick():
    return load_suite("quick")


def test_rows_come_from_the_train_split_only(quick):
    stream = ProbeStream(DataSpec(kind="mixed"), total=50, suite=quick)
    for s in islice(stream.samples(), 40):
        assert s.split == "train" and TRAIN_SEED_RANGE[0] <= s.seed < TRAIN_SEED_RANGE[1]


def test_an_exam_sample_is_refused(quick):
    exam = next(quick.samples("exam"))
    with pytest.raises(SnellenError, match="exam seed .* training on exam-split probes is refused"):
        ensure_train(exam)
    exam.split = "train"  # a mislabelled exam sample is caught by its seed
    with pytest.raises(SnellenError, match="refused"):
        ensure_train(exam)


def test_reference_completion_scores_correct_on_every_task(quick):
    """The SFT target is exactly what the evaluation scorer accepts, through the dataset columns."""
    stream = ProbeStream(DataSpec(kind="mixed", curriculum="uniform"), total=100, suite=quick)
    seen = set()
    for row in islice(stream.rows(), 120):
        seen.add(row["task"])
        s = scored_sample(row["task"], row["answer"], row["fields"], row["extra"])
        assert score_response(s, row["completion"][0]["content"]).outcome == "correct", row["task"]
        assert row["prompt"][0]["role"] == "user" and "image" in row
    assert len(seen) >= 12


def test_tasks_and_kinds_select_cells(quick):
    s = ProbeStream(DataSpec(kind="perception"), suite=quick)
    assert {t for t in s.cells} == {e.name for e, t in zip(quick.entries, quick.tasks) if t.kind == "perception"}
    with pytest.raises(SnellenError, match="data.tasks: unknown task"):
        ProbeStream(DataSpec(tasks=["leter"]), suite=quick)


def test_large_to_small_starts_large_and_admits_smaller(quick):
    stream = ProbeStream(DataSpec(tasks=["letter"], curriculum="large_to_small"), total=400, suite=quick)
    scales = [s.scale for s in islice(stream.samples(), 400)]
    assert set(scales[:90]) == {32}
    assert min(scales[300:]) == 4 and max(scales) == 32
    assert np.mean(scales[:100]) > np.mean(scales[300:])


def test_targeted_difficulty_moves_with_the_pass_rate():
    d = Difficulty({"letter": [4, 8, 16, 32]}, DataSpec(curriculum="targeted", band=(0.2, 0.8), window=4), 100)
    assert d.allowed("letter", 0) == [32]
    for _ in range(4):
        d.observe("letter", 32, 1.0)  # too easy: go smaller
    assert d.allowed("letter", 0) == [16]
    for _ in range(4):
        d.observe("letter", 16, 0.5)  # inside the band: stay
    assert d.allowed("letter", 0) == [16]
    for _ in range(4):
        d.observe("letter", 16, 0.0)  # too hard: back to larger
    assert d.allowed("letter", 0) == [32]
    d.observe("letter", 8, 1.0)  # a stale rollout from another scale is ignored
    state = d.state()
    d2 = Difficulty({"letter": [4, 8, 16, 32]}, DataSpec(curriculum="targeted", window=4), 100)
    d2.load_state(state)
    assert d2.level == d.level and d2.moves == d.moves == 2


def test_targeted_stream_reacts_to_observed_rewards(quick):
    stream = ProbeStream(DataSpec(tasks=["letter"], curriculum="targeted", window=2), total=100, suite=quick)
    it = stream.samples()
    first = next(it)
    assert first.scale == 32
    stream.difficulty.observe("letter", 32, 1.0)
    stream.difficulty.observe("letter", 32, 1.0)
    assert next(it).scale == 16


def test_captions_at_each_quality(quick):
    stream = ProbeStream(DataSpec(kind="reasoning", tasks=["ordering"]), suite=quick)
    a, b = islice(stream.samples(), 2)
    exact = caption(a, "exact")
    for t in a.targets:
        assert f"{t.colour} {t.kind} {t.identity}" in exact and f"{t.nominal} px" in exact
    assert caption(a, "terse") == ", ".join(f"{t.kind} {t.identity}" for t in sorted(a.targets, key=lambda t: (t.box[1], t.box[0]))) + "."
    assert caption(a, "shuffled", other=b) == caption(b, "exact")
    assert caption(a, "noisy", np.random.default_rng(0), noise=0.0) == exact
    noisy = [caption(a, "noisy", np.random.default_rng(i), noise=1.0) for i in range(5)]
    assert all(n != exact for n in noisy)
    assert all(t.colour not in n.split(";")[0] or len(a.targets) > 1 for n in noisy for t in a.targets[:1])


def test_caption_and_text_reasoning_rows(quick):
    cap = ProbeStream(DataSpec(kind="captions", tasks=["letter"]), suite=quick)
    row = next(cap.rows())
    assert row["prompt"][0]["content"] == "Describe the image." and "image" in row
    assert "letter" in row["completion"][0]["content"]
    text = ProbeStream(DataSpec(kind="text_reasoning", tasks=["counting"]), suite=quick)
    row = next(text.rows())
    assert "image" not in row
    content = row["prompt"][0]["content"]
    assert content.startswith("You cannot see the image") and "Count" in content
    answer = json.loads(row["completion"][0]["content"])
    assert answer == json.loads(row["answer"])
