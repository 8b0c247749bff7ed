"""Every family of the built-in acuity suite, scored from its own AnswerFields: the truth written as JSON, as
fenced JSON and as prose is correct; the truth perturbed is wrong (the scorer knows no task names)."""

from __future__ import annotations

import json
import random

import pytest

from snellen.probes.suite import load_suite
from snellen.scoring import score_response


@pytest.fixture(scope="module")
def samples():
    suite = load_suite("acuity", per_cell=1)
    by_task: dict[int, list] = {}
    for item in suite.work():
        by_task.setdefault(item.task_index, []).append(item)
    rng = random.Random(0)
    picked = [x for items in by_task.values() for x in rng.sample(items, min(4, len(items)))]
    return list(suite.samples(items=picked))


def _prose(s) -> str:
    out = []
    for f in s.fields:
        v = s.answer[f.name]
        if f.kind == "sequence":
            out.append("Sure! From left to right:\n" + "\n".join(f"{i}. **{x}**" for i, x in enumerate(v, 1)) + "\n")
        elif f.kind == "counts":
            out.append(", ".join(f"{c} {k}" for k, c in v.items()) + ";")
        elif f.kind == "integer":
            out.append(f"{f.name.replace('_', ' ')}: {v}.")
        elif f.kind == "text":
            out.append(f"The word is {v}.")
        else:
            out.append(f"The answer is {v}.")
    return " ".join(out)


def _perturbed(s) -> dict:
    a = json.loads(json.dumps(s.answer))
    f = s.fields[0]
    v = a[f.name]
    if f.kind == "sequence":
        a[f.name] = v[::-1] if len(v) > 1 else ["purple heart"]
    elif f.kind == "counts":
        v[next(iter(v))] += 1
    elif f.kind == "integer":
        a[f.name] = v + 1
    else:
        a[f.name] = next(o for o in f.options if o != v)
    return a


def test_every_family_is_present(samples):
    assert len({s.family for s in samples}) >= 15


def test_truth_in_every_format_is_correct_and_perturbed_is_wrong(samples):
    failures = []
    for s in samples:
        got = (
            score_response(s, json.dumps(s.answer)).outcome,
            score_response(s, "Here is my answer:\n```json\n" + json.dumps(s.answer, indent=2) + "\n```").outcome,
            score_response(s, _prose(s)).outcome,
            score_response(s, json.dumps(_perturbed(s))).outcome,
        )
        if got != ("correct", "correct", "correct", "wrong"):
            failures.append(f"{s.family} {s.answer}: {got}")
    assert not failures, "\n".join(failures)
