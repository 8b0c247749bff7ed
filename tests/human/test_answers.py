"""A person's answer -> the text snellen's one scorer reads; controls chosen from the answer fields."""

from __future__ import annotations

import json

import pytest

from snellen.human.answers import MalformedAnswer, check, controls, shown_prompt, to_text
from snellen.probes.suite import load_suite
from snellen.scoring.outcome import score_response


@pytest.fixture(scope="module")
def one_per_task():
    suite = load_suite("acuity", per_cell=1)
    items = suite.work()
    firsts = {}
    for it in items:  # the first item of each task at its largest scale
        firsts.setdefault(it.task_index, []).append(it)
    out = {}
    for ti, its in firsts.items():
        top = max(int(dict(i.cell)["scale"]) for i in its)
        out[suite.entries[ti].name] = suite.make(next(i for i in its if int(dict(i.cell)["scale"]) == top))
    return out


def test_every_acuity_family_has_a_control_and_its_truth_scores_correct(one_per_task):
    kinds = {}
    for task, sample in one_per_task.items():
        cs = controls(sample)
        kinds[task] = [c["control"] for c in cs]
        text = to_text(check(sample, sample.answer))
        assert json.loads(text) == sample.answer, task
        assert score_response(sample, text).outcome == "correct", (task, text)
    assert kinds["letter"] == ["key"] and kinds["digit"] == ["key"]
    for task in ("shape", "object", "colour", "presence", "relation", "quadrant"):
        assert kinds[task] == ["buttons"], task
    assert kinds["counting"] == ["counts", "number"] and kinds["letter_count"] == ["number", "number"]
    assert kinds["ordering"] == ["order"] and kinds["comparison"] == ["order"]
    assert kinds["text_order"] == ["words"] and kinds["word"] == ["text"]


def test_wrong_answers_are_scored_wrong_not_unparseable(one_per_task):
    s = one_per_task["letter"]
    other = next(o for o in s.fields[0].options if o != s.answer["letter"])
    assert score_response(s, to_text(check(s, {"letter": other.lower()}))).outcome == "wrong"
    c = one_per_task["counting"]
    wrong = {"counts": {k: str(v + 1) for k, v in c.answer["counts"].items()}, "total": "0"}
    assert score_response(c, to_text(check(c, wrong))).outcome == "wrong"
    o = one_per_task["ordering"]
    assert score_response(o, to_text(check(o, {"objects": list(reversed(o.answer["objects"]))}))).outcome == "wrong"
    w = one_per_task["text_order"]
    typed = " ".join(reversed(w.answer["words"])).lower()  # typed in lower case, spaces between words
    assert check(w, {"words": typed})["words"] == [x.upper() for x in reversed(w.answer["words"])]


@pytest.mark.parametrize("task,answer,message", [
    ("letter", {"letter": "AB"}, "is not one of"),
    ("letter", {"letter": ""}, "choose one of"),
    ("letter", {}, "choose one of"),
    ("letter", {"letter": "K", "digit": "1"}, "is not a field"),
    ("letter", "K", "must be an object"),
    ("shape", {"shape": "blob"}, "is not one of"),
    ("counting", {"counts": {}, "total": "3"}, "type a whole number"),
    ("counting", {"counts": "three", "total": "3"}, "give a number for each"),
    ("letter_count", {"total": "abc", "with_letter": "1"}, "'abc' is not a whole number"),
    ("letter_count", {"total": "-1", "with_letter": "1"}, "'-1' is not a whole number"),
    ("letter_count", {"total": True, "with_letter": "1"}, "type a whole number"),
    ("letter_count", {"total": "99999", "with_letter": "1"}, "out of range"),
    ("ordering", {"objects": []}, "pick at least one"),
    ("ordering", {"objects": ["red unicorn"]}, "is not one of"),
    ("text_order", {"words": "CAT D0G"}, "is not a word of letters"),
    ("text_order", {"words": "  "}, "type at least one word"),
    ("word", {"word": "TWO WORDS"}, "type one word"),
    ("word", {"word": ""}, "type the word"),
])
def test_malformed_answers_are_refused_with_a_message(one_per_task, task, answer, message):
    with pytest.raises(MalformedAnswer, match=message):
        check(one_per_task[task], answer)


def test_prompt_shown_in_words_without_the_answer_format_sentence(one_per_task):
    assert shown_prompt(one_per_task["letter"]) == "What letter is displayed in the image?"
    assert "Answer" not in shown_prompt(one_per_task["presence"])
    counting = shown_prompt(one_per_task["counting"])
    assert "present:" in counting and "format" not in counting
    for s in one_per_task.values():
        assert "JSON" not in shown_prompt(s)
