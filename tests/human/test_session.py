"""Trial order, practice, breaks, viewing conditions and the TrialSource seam, without a browser."""

from __future__ import annotations

import json

import pytest

from snellen.human.session import MalformedAnswer, Refused, Session, open_session, viewing_conditions
from snellen.human.trials import GridSource, Trial, practice_trials
from snellen.models.backends.human import HumanObserver
from snellen.probes.suite import load_suite
from snellen.schema import SnellenError
from snellen.store import create_run, open_run

VIEW = {"dpr": 1, "window_w": 1200, "window_h": 900, "outer_w": 1200, "outer_h": 990, "screen_w": 1920,
        "screen_h": 1080, "visual_scale": 1, "displayed_w": 448, "displayed_h": 448}


@pytest.fixture(scope="module")
def suite():
    return load_suite("acuity", per_cell=2, only=["letter", "digit"])


def answer(session: Session, state: dict, value=None, viewing=None) -> dict:
    assert session.image(state["token"]) == session.trial.sample.png_bytes()  # the page loads the probe
    sample = session.trial.sample
    name = sample.fields[0].name
    return session.answer({"token": state["token"], "answer": {name: value or sample.answer[name]}, "rt_ms": 700,
                           "viewing": viewing or VIEW})


def test_grid_order_is_blockwise_shuffled_complete_and_reproducible(suite):
    a = GridSource(suite, scales=[4, 8, 24, 48], seed=0)
    b = GridSource(suite, scales=[4, 8, 24, 48], seed=0)
    c = GridSource(suite, scales=[4, 8, 24, 48], seed=1)
    assert a.ids() == b.ids() and a.ids() != c.ids() and sorted(a.ids()) == sorted(c.ids())
    assert [name for name, _ in a.blocks] == ["letter", "digit"]
    letter = [suite.make(it.item) for it in a.blocks[0][1]]
    assert [s.id for s in letter] == [it.id for it in a.blocks[0][1]]  # ids computed without drawing agree
    scales = [s.scale for s in letter]
    assert sorted(scales) == sorted([4, 8, 24, 48] * 2) and scales != sorted(scales)  # interleaved, not ascending
    assert a.progress(set()) == (0, 16)
    with pytest.raises(SnellenError, match=r"has no scale\(s\) \[5\]"):
        GridSource(suite, scales=[5])
    assert len(GridSource(suite, limit=3).ids()) == 3


def test_practice_is_large_and_never_an_exam_image(suite):
    trials = practice_trials(suite, "letter", 3)
    exam_ids = set(GridSource(suite).ids())
    assert [t.practice for t in trials] == [True] * 3
    assert all(t.sample.split == "train" and t.sample.scale == 48 and t.sample.id not in exam_ids for t in trials)


def test_practice_then_scored_trials_with_a_break_and_nothing_stored_for_practice(tmp_path, suite):
    s = open_session(tmp_path / "run", "ann", suite, scales=[24, 48], practice=2, break_every=3)
    seen = []
    states = []
    while True:
        st = s.state()
        states.append(st["state"] if st["state"] != "trial" else ("practice" if st["practice"] else st["block"]))
        if st["state"] == "done":
            break
        if st["state"] == "break":
            s.resume()
            continue
        seen.append((st["sample_id"], st["practice"]))
        reply = answer(s, st)
        assert reply["practice"] == st["practice"]
        if st["practice"]:
            assert reply["correct"] is True and reply["truth"]
    assert states == (["practice"] * 2 + ["letter"] * 3 + ["break"] + ["letter"] + ["practice"] * 2 + ["digit"] * 2
                      + ["break"] + ["digit"] * 2 + ["done"])
    s.close()
    with open_run(tmp_path / "run") as run:
        stored = {smp.id for smp, _ in run.records(images=False)}
    assert stored == {sid for sid, practice in seen if not practice} and len(stored) == 8


def test_zoomed_viewing_is_flagged_in_the_response_and_the_manifest(tmp_path, suite):
    assert viewing_conditions(VIEW)["zoomed"] is False
    assert viewing_conditions({**VIEW, "outer_w": 1500})["zoomed"] is True  # browser zoom 125%
    assert viewing_conditions({**VIEW, "visual_scale": 1.5})["zoomed"] is True  # pinch zoom
    assert viewing_conditions({"dpr": "2", "window_w": -5, "junk": 1}) == {"zoomed": False}
    s = open_session(tmp_path / "run", "ann", suite, scales=[48], practice=0)
    answer(s, s.state())
    answer(s, s.state(), viewing={**VIEW, "outer_w": 1500})
    s.close()
    with open_run(tmp_path / "run") as run:
        zoomed = [r.raw["viewing"]["zoomed"] for _, r in run.records(images=False)]
        human = run.manifest["human"]
    assert sorted(zoomed) == [False, True]
    assert human["zoomed"] is True and sorted(v["trials"] for v in human["viewing"]) == [1, 1]
    # a second session adds its conditions to the first's, counted once each
    s = open_session(tmp_path / "run", "ann", suite, scales=[48], practice=0)
    answer(s, s.state())
    s.close()
    with open_run(tmp_path / "run") as run:
        assert sorted(v["trials"] for v in run.manifest["human"]["viewing"]) == [1, 2]


def test_answer_without_a_real_response_time_or_at_the_wrong_size_is_refused(tmp_path, suite):
    s = open_session(tmp_path / "run", "ann", suite, scales=[48], practice=0)
    st = s.state()
    name = s.trial.sample.fields[0].name
    unseen = {"token": st["token"], "answer": {name: "A"}, "rt_ms": 700, "viewing": VIEW}
    with pytest.raises(Refused, match="never loaded"):  # its image was never fetched: it was not seen
        s.answer(unseen)
    assert s.image("not-a-token") is None and s.image(st["token"]) is not None
    for bad, message in [({"rt_ms": 0}, "response time"), ({"rt_ms": "fast"}, "response time"),
                         ({"viewing": {**VIEW, "displayed_w": 447}}, "not shown 1:1")]:
        payload = {"token": st["token"], "answer": {name: "A"}, "rt_ms": 700, "viewing": VIEW, **bad}
        with pytest.raises(MalformedAnswer, match=message):
            s.answer(payload)
    assert s.answer({"token": st["token"], "answer": {name: "A"}, "rt_ms": 700, "viewing": VIEW})["ok"]
    s.close()


class Staircase:
    """A toy adaptive procedure (1-up/1-down over scales) written only against the TrialSource protocol:
    the proof that an adaptive search plugs in without touching the session, app or store."""

    mode = "staircase"

    def __init__(self, suite, trials: int):
        self.suite, self.trials = suite, trials
        self.cells = sorted({it.cell for it in suite.work() if it.task_index == 0}, key=lambda c: dict(c)["scale"])
        self.level, self.n, self.history = len(self.cells) - 1, 0, []

    def next_trial(self, done):
        if self.n >= self.trials:
            return None
        from snellen.probes.suite import WorkItem

        sample = self.suite.make(WorkItem(0, self.cells[self.level], self.n))
        return Trial(sample=sample, block="letter", practice=False, position=self.n + 1, block_size=self.trials)

    def observe(self, trial, text, correct):
        self.history.append((trial.sample.scale, correct))
        self.n += 1
        self.level = max(0, self.level - 1) if correct else min(len(self.cells) - 1, self.level + 1)

    def progress(self, done):
        return self.n, self.trials

    def describe(self):
        return {"mode": self.mode, "history": self.history}


def test_an_adaptive_trial_source_plugs_in_without_changing_the_session(tmp_path):
    suite = load_suite("acuity", per_cell=10, only=["letter"])
    source = Staircase(suite, trials=5)
    s = Session(create_run(tmp_path / "run"), HumanObserver("ann"), source, practice=0, break_every=0)
    wrong_below = 16
    while (st := s.state())["state"] == "trial":
        sample = s.trial.sample
        truth = sample.answer["letter"]
        answer(s, st, value=truth if sample.scale >= wrong_below else ("B" if truth == "A" else "A"))
    s.close()
    assert [sc for sc, _ in source.history] == [48, 32, 24, 16, 12]
    with open_run(tmp_path / "run") as run:
        assert run.manifest["human"]["procedure"]["mode"] == "staircase"
        assert [json.loads(r.text)["letter"] != smp.answer["letter"] for smp, r in run.records(images=False)].count(True) == 1


def _person(s: Session, stop_after: int | None = None, sees_from: int = 12) -> list[int]:
    """Answer like an observer who reads letters from `sees_from` px up and says 'A' below; returns scales shown."""
    shown = []
    while (st := s.state())["state"] != "done":
        if st["state"] == "break":
            s.resume()
            continue
        if stop_after is not None and len(shown) == stop_after:
            break
        sample = s.trial.sample
        truth = sample.answer["letter"]
        answer(s, st, value=truth if sample.scale >= sees_from or st["practice"] else ("A" if truth != "A" else "B"))
        if not st["practice"]:
            shown.append(sample.scale)
    return shown


def test_adaptive_search_for_a_person_resumes_the_identical_search(tmp_path):
    from snellen.cli.eval import adaptive_planner

    suite = load_suite("acuity", only=["letter"])
    planner_for = lambda one: adaptive_planner(one, 0.4, 12, None, None)  # noqa: E731
    straight = open_session(tmp_path / "straight", "ann", suite, practice=1, planner_for=planner_for)
    full = _person(straight)
    straight.close()
    assert 2 <= len(full) <= 12 and len(set(full)) > 2  # it moved through the scales

    first = open_session(tmp_path / "resumed", "ann", suite, practice=1, planner_for=planner_for)
    part1 = _person(first, stop_after=4)
    first.close()
    second = open_session(tmp_path / "resumed", "ann", suite, practice=1, planner_for=planner_for)
    part2 = _person(second)
    second.close()
    assert part1 + part2 == full  # coming back continues the same search, no trial shown twice
    with open_run(tmp_path / "resumed") as run:
        assert len(run) == len(full)
        procedure = run.manifest["human"]["procedure"]
        assert run.manifest["adaptive"]["tasks"]["letter"]["trials"] == len(full)  # where the report reads it
    task = procedure["tasks"]["letter"]
    assert procedure["mode"] == "adaptive"
    assert task["trials"] == len(full) and 6 <= task["posterior_threshold"] <= 16
