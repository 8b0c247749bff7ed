"""The ideal observer: perfect where the pixels carry the answer, wrong only on exact ties, blind to the truth."""

from __future__ import annotations

import copy
import json
import random

import numpy as np
import pytest

from snellen.models.base import GenerationSettings, Request, load_backend
from snellen.models.backends.ideal import FAMILIES, _template, observe
from snellen.probes.suite import load_suite
from snellen.probes.task import RenderProfile, get_family
from snellen.scoring import score_response

SETTINGS = GenerationSettings()


def samples_at(suite_name: str, scales: set[int], per_cell: int, only=None, max_count: int | None = None):
    suite = load_suite(suite_name, per_cell=per_cell, only=only)
    for item in suite.work():
        cell = dict(item.cell)
        if cell["scale"] in scales and (max_count is None or cell.get("count", 1) <= max_count):
            yield suite.make(item)


@pytest.fixture(scope="module")
def backend():
    return load_backend("ideal")


def ask(backend, sample, repeat: int = 0):
    (resp,) = backend.answer([Request(sample, sample.prompts["json"], SETTINGS, repeat)])
    assert resp.ok, resp.error
    return resp


def test_identity_and_sizes(backend):
    assert backend.identity()["backend"] == "ideal" and isinstance(backend.identity()["version"], int)
    sample = next(samples_at("acuity", {24}, 1, only=["letter"]))
    resp = ask(backend, sample)
    assert resp.sent_size == resp.encoder_size == (sample.canvas[0], sample.canvas[1]) and resp.resize_ratio == 1.0
    assert resp.raw["perceived"][0]["identity"] == sample.answer["letter"]


def test_question_of_reproduces_every_true_answer():
    """answer_from_targets on the drawn targets, with the question as read from the sample, is the truth."""
    for name in ("acuity", "finesight"):
        for sample in samples_at(name, {8, 24}, 1, max_count=8):
            family = get_family(sample.family)
            assert family.answer_from_targets(sample.targets, family.question_of(sample)) == sample.answer, sample.task


@pytest.mark.parametrize("suite_name", ["acuity", "finesight"])
def test_perfect_at_large_scales(backend, suite_name):
    seen = set()
    for sample in samples_at(suite_name, {24, 48}, 1 if suite_name == "acuity" else 2, max_count=8):
        if not backend.supports(sample):
            continue
        resp = ask(backend, sample)
        score = score_response(sample, resp.text)
        assert score.outcome == "correct", (sample.task, sample.cell, resp.text, sample.answer, resp.raw["notes"])
        seen.add(sample.family)
    expected = FAMILIES if suite_name == "acuity" else {"letter", "object", "presence", "colour", "shape", "ordering",
                                                         "comparison", "counting", "blur_counting"}
    assert seen == set(expected)


def test_wrong_only_on_ties_at_4px(backend):
    """Every wrong answer at 4 px was a tie, and a tie is real: the tied templates are the same pixels."""
    wrong = ties = 0
    runs = [("acuity", ["letter", "digit", "shape"]), ("finesight", ["letter_recognition", "spatial_chain"])]
    for suite_name, only in runs:
        for sample in samples_at(suite_name, {4}, 8, only=only, max_count=4):
            resp = ask(backend, sample)
            if score_response(sample, resp.text).outcome != "correct":
                wrong += 1
                assert resp.raw["ties"] > 0, (sample.task, resp.text, sample.answer)
            for p in resp.raw["perceived"]:
                if "tied" in p:
                    ties += 1
                    profile = RenderProfile(name=sample.profile, antialias=sample.antialias)
                    masks = [_template(p["kind"], ident, size, profile, False).alpha for ident, _, size in p["tied"]]
                    assert all(m.shape == masks[0].shape and np.array_equal(m, masks[0]) for m in masks), p["tied"]
    assert ties > 0 and wrong <= ties  # finesight's nearest-neighbour letters at 4 px do collide


def _scrambled(sample):
    """The sample with its answer blanked and every target's identity, colour, position and box scrambled."""
    s = copy.copy(sample)
    rng = random.Random(sample.id)
    s.answer = {}
    s.extra = {k: v for k, v in sample.extra.items() if k not in ("drawn", "sizes", "colour", "text_colour", "contrast_wcag")}
    s.targets = []
    for t in sample.targets:
        t = copy.deepcopy(t)
        t.identity, t.colour, t.rgb = rng.choice(["Q", "zzz", "circle"]), "nocolour", (1, 2, 3)
        t.box = t.support = tuple(rng.randrange(400) for _ in range(4))
        t.nominal, t.attributes = 1, {}
        s.targets.append(t)
    rng.shuffle(s.targets)
    return s


def test_never_reads_the_answer(backend):
    families = set()
    for sample in samples_at("acuity", {6, 24}, 1, max_count=4):
        if sample.family == "comparison" and sample.scale == 6:
            continue
        resp = ask(backend, sample, repeat=1)
        blind = ask(backend, _scrambled(sample), repeat=1)
        assert (blind.text, blind.raw) == (resp.text, resp.raw), sample.task
        assert json.loads(resp.text).keys() == sample.answer.keys()
        families.add(sample.family)
    assert families == set(FAMILIES)


def test_deterministic_per_sample_and_repeat():
    for sample in samples_at("finesight", {4}, 3, only=["spatial_chain"], max_count=4):
        assert observe(sample, 0) == observe(sample, 0)
