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


def _rows_equal(a: dict, b: dict) -> bool:
    a, b = dict(a), dict(b)
    ia, ib = a.pop("image", None), b.pop("image", None)
    same_image = (ia is None and ib is None) or (ia.mode == ib.mode == "RGB" and np.array_equal(np.asarray(ia), np.asarray(ib)))
    return same_image and a == b


@pytest.mark.parametrize("spec", [DataSpec(kind="mixed", curriculum="uniform"),
                                  DataSpec(kind="captions", caption_quality="shuffled", tasks=["ordering", "letter"])])
def test_background_workers_stream_exactly_the_rows_rendered_in_process(quick, spec):
    """Workers render through a reused shared-memory ring: 60 rows pass 7 refills of a depth-8 ring, so a slot
    overwritten before its image was copied out would show up as a wrong image here."""
    inline = list(islice(ProbeStream(spec, suite=quick).rows(), 60))
    background = list(islice(ProbeStream(spec, suite=quick).rows(workers=2, depth=8), 60))
    assert len(background) == 60
    assert all(_rows_equal(a, b) for a, b in zip(inline, background))
    assert len({r["sample_id"] for r in background}) == 60


def test_background_rows_resume_where_asked(quick):
    spec = DataSpec(tasks=["letter"], curriculum="uniform")
    inline = list(islice(ProbeStream(spec, suite=quick).rows(), 30))
    resumed = list(islice(ProbeStream(spec, suite=quick).rows(start=10, workers=1), 20))
    assert all(_rows_equal(a, b) for a, b in zip(inline[10:], resumed))


def _die(items, first_slot):
    import os

    os._exit(3)  # a worker killed mid-render (e.g. by the OOM killer)


def test_a_dead_worker_stops_the_stream_with_one_line(quick, monkeypatch):
    import snellen.train.data as data

    monkeypatch.setattr(data, "_render_chunk", _die)
    rows = ProbeStream(DataSpec(tasks=["letter"]), suite=quick).rows(workers=1)
    with pytest.raises(SnellenError, match="training-data worker process died"):
        list(islice(rows, 40))


def test_a_worker_error_reaches_the_trainer_as_itself(quick, monkeypatch):
    """An exam-seeded sample rendered in a worker is refused there, and the refusal arrives unchanged."""
    import os

    import snellen.train.data as data

    parent, real = os.getpid(), data.split_of_seed
    monkeypatch.setattr(data, "split_of_seed", lambda seed: real(seed) if os.getpid() == parent else "exam")
    rows = ProbeStream(DataSpec(tasks=["letter"]), suite=quick).rows(workers=1)
    with pytest.raises(SnellenError, match="training on exam-split probes is refused"):
        list(islice(rows, 10))


def test_closing_the_stream_stops_its_workers(quick):
    import multiprocessing as mp
    import time

    rows = ProbeStream(DataSpec(tasks=["letter"]), suite=quick).rows(workers=2)
    list(islice(rows, 12))
    assert len(mp.active_children()) >= 2
    rows.close()
    deadline = time.time() + 20
    while mp.active_children() and time.time() < deadline:
        time.sleep(0.2)
    assert not mp.active_children()


def test_workers_of_a_killed_trainer_do_not_outlive_it(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "stream.py"
    script.write_text(
        "import multiprocessing as mp, time\n"
        "from itertools import islice\n"
        "from snellen.train.config import DataSpec\n"
        "from snellen.train.data import ProbeStream\n"
        "rows = ProbeStream(DataSpec(tasks=['letter'])).rows(workers=2)\n"
        "list(islice(rows, 12))\n"
        "print(' '.join(str(c.pid) for c in mp.active_children()), flush=True)\n"
        "time.sleep(120)\n")
    p = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(x) for x in p.stdout.readline().split()]
        assert len(workers) == 2
        p.send_signal(signal.SIGKILL)
        p.wait(10)

        def alive(pid):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            return True

        deadline = time.time() + 15
        while any(alive(w) for w in workers) and time.time() < deadline:
            time.sleep(0.2)
        assert not any(alive(w) for w in workers)
    finally:
        p.kill()
