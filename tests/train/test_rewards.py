"""The accuracy reward is the evaluation scorer, on the same outputs, through the dataset columns."""

from __future__ import annotations

import json

import pytest

from snellen.probes.suite import load_suite
from snellen.scoring import score_response
from snellen.train.config import RewardSpec
from snellen.train.data import ProbeStream
from snellen.train.config import DataSpec
from snellen.train.rewards import accuracy_scores, format_scores, reward_functions


@pytest.fixture(scope="module")
def rows():
    stream = ProbeStream(DataSpec(kind="mixed", tasks=["letter", "counting", "ordering"], curriculum="uniform"),
                         suite=load_suite("quick"))
    out, seen = {}, set()
    for row, sample in zip(stream.rows(), stream_samples(stream)):
        if row["task"] not in seen:
            seen.add(row["task"])
            out[row["task"]] = (row, sample)
        if len(out) == 3:
            return out


def stream_samples(stream):
    # the same sequence as rows(): a second stream with the same spec
    twin = ProbeStream(stream.spec, suite=stream.suite)
    return twin.samples()


def tricky(sample):
    a = sample.answer
    good = json.dumps(a)
    wrong = json.dumps({k: ("Q" if isinstance(v, str) else v) for k, v in a.items()}) if "letter" in a else json.dumps(
        {**a, "total": (a.get("total") or 0) + 1} if "total" in a else {"objects": list(reversed(a.get("objects", [])))})
    return [
        good,
        f"Let me think. An example answer would be {wrong}. Looking closer, the final answer is {good}",
        f"The answer is {good}. Actually no: {wrong}",
        "I'm sorry, I can't help identify that.",
        '{"letter": "K",,,',
        "",
        None,
        f"```json\n{good}\n```",
        wrong,
    ]


@pytest.mark.parametrize("credit", ["strict", "partial"])
def test_accuracy_reward_equals_the_scorer(rows, credit):
    for task, (row, sample) in rows.items():
        outputs = tricky(sample)
        got = accuracy_scores(outputs, [row["task"]] * len(outputs), [row["answer"]] * len(outputs),
                              [row["fields"]] * len(outputs), [row["extra"]] * len(outputs), credit=credit)
        for text, g in zip(outputs, got):
            sc = score_response(sample, text)
            want = float(sc.strict) if credit == "strict" else sc.partial
            assert g == want, (task, text, g, want)
            if sc.outcome in ("refusal", "unparseable"):
                assert g == 0.0
        assert got[0] == 1.0 and got[3] == 0.0


def test_conversational_completions_and_finesight_scoring(rows):
    row, sample = rows["letter"]
    conv = [[{"role": "assistant", "content": row["completion"][0]["content"]}]]
    assert accuracy_scores(conv, [row["task"]], [row["answer"]], [row["fields"]], [row["extra"]]) == [1.0]
    fs = accuracy_scores(["I think it is " + row["answer"]], [row["task"]], [row["answer"]], [row["fields"]],
                         [row["extra"]], scoring="finesight")
    assert fs == [float(score_response(sample, "I think it is " + row["answer"], scoring="finesight").strict)]


def test_format_reward(rows):
    row, _ = rows["letter"]
    outs = [row["answer"], "the letter is K", "I cannot answer that.", '{"letter": ']
    assert format_scores(outs, [row["fields"]] * 4) == [1.0, 0.0, 0.0, 0.0]


def test_reward_functions_weights_and_observer(rows):
    row, _ = rows["letter"]
    seen = []
    funcs, weights = reward_functions(RewardSpec(), observe=lambda t, s, v: seen.append((t, s, v)))
    assert [f.__name__ for f in funcs] == ["accuracy", "format"] and weights == [0.9, 0.1]
    kw = dict(task=[row["task"]] * 2, answer=[row["answer"]] * 2, fields=[row["fields"]] * 2, extra=[row["extra"]] * 2,
              scale=[row["scale"]] * 2, prompts=None)
    assert funcs[0](completions=[row["answer"], "no idea"], **kw) == [1.0, 0.0]
    assert seen == [("letter", row["scale"], 1.0), ("letter", row["scale"], 0.0)]
    funcs, weights = reward_functions(RewardSpec(accuracy=1.0, format=0.0, credit="partial"))
    assert [f.__name__ for f in funcs] == ["accuracy"] and weights == [1.0]
