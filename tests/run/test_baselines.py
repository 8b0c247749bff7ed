"""The random and oracle backends: uniform over each declared answer space, seeded, and end to end."""

from __future__ import annotations

import json
from collections import Counter
from itertools import permutations

import numpy as np
import pytest
from scipy.stats import chisquare

from snellen.analysis.intervals import wilson
from snellen.models.base import GenerationSettings, Request, load_backend
from snellen.probes.suite import Suite, SuiteSpec, TaskEntry
from snellen.probes.task import task_families
from snellen.run import evaluate, select_suite
from snellen.schema import AnswerField, Sample, chance_of
from snellen.store import open_run


def synthetic(i: int, fields: list[AnswerField], answer: dict) -> Sample:
    return Sample(
        id=f"{i:020x}", suite="syn", suite_version="0", suite_hash="0", task="t", family="t", kind="reasoning",
        split="exam", seed=i, index=i, cell={"scale": 8}, prompts={"json": "?", "free": "?"}, answer=answer,
        fields=fields, chance=chance_of(fields), scale=8, measured_scale=8.0, ink_h=8, ink_w=8, count=1, targets=[],
        canvas=(8, 8), image=np.zeros((8, 8, 3), np.uint8),
    )


def guesses(fields, n, seed=0, repeat=0):
    backend = load_backend("random", {"seed": seed})
    reqs = [Request(sample=synthetic(i, fields, {}), prompt="?", settings=GenerationSettings(), repeat=repeat) for i in range(n)]
    return [json.loads(r.text) for r in backend.answer(reqs)]


FIELDS = {
    "label": AnswerField("letter", "label", options=tuple("ABCDE")),
    "integer": AnswerField("total", "integer", low=2, high=7),
    "permutation": AnswerField("objects", "sequence", options=("red star", "blue dot", "green hexagon", "pink heart"), length=4),
    "partial sequence": AnswerField("objects", "sequence", options=tuple("PQRST"), length=2),
    "counts": AnswerField("counts", "counts", low=0, high=2, keys=("red", "blue")),
    "word bank": AnswerField("word", "text", options=("CAT", "SUN", "HOUSE")),
}


def expected_space(f: AnswerField) -> list:
    """Every possible answer of a field, enumerated independently of the backend."""
    if f.kind in ("label", "text"):
        return list(f.options)
    if f.kind == "integer":
        return list(range(f.low, f.high + 1))
    if f.kind == "sequence":
        return [list(p) for p in permutations(f.options, f.length)]
    if f.kind == "counts":
        return [{"red": a, "blue": b} for a in range(f.low, f.high + 1) for b in range(f.low, f.high + 1)]
    raise AssertionError(f.kind)


@pytest.mark.parametrize("name", list(FIELDS))
def test_random_is_uniform_over_the_declared_space(name):
    f = FIELDS[name]
    space = expected_space(f)
    assert len(space) == f.space_size()
    n = 150 * len(space)
    got = [g[f.name] for g in guesses([f], n)]
    freq = Counter(json.dumps(x, sort_keys=True) for x in got)
    assert set(freq) == {json.dumps(x, sort_keys=True) for x in space}  # every answer possible, nothing outside
    assert chisquare([freq[json.dumps(x, sort_keys=True)] for x in space]).pvalue > 1e-4
    # hit rate against a fixed true answer equals the field's chance (within a 99.9% interval)
    truth = space[len(space) // 2]
    k = sum(x == truth for x in got)
    lo, hi = wilson(k, n, level=0.999)
    assert lo <= 1.0 / f.space_size() <= hi


def test_random_multi_field_chance_is_the_product():
    fields = [FIELDS["integer"], FIELDS["counts"]]
    truth = {"total": 4, "counts": {"red": 1, "blue": 0}}
    n = 6000
    k = sum(g == truth for g in guesses(fields, n))
    lo, hi = wilson(k, n, level=0.999)
    assert lo <= chance_of(fields) <= hi


def test_random_is_seeded_by_seed_sample_and_repeat():
    f = [FIELDS["permutation"]]
    assert guesses(f, 50) == guesses(f, 50)
    assert guesses(f, 50) != guesses(f, 50, seed=1)
    assert guesses(f, 50) != guesses(f, 50, repeat=1)
    open_text = AnswerField("word", "text")
    assert not load_backend("random").supports(synthetic(0, [open_text], {}))


def strict_correct(sample: Sample, text: str) -> bool:
    """Independent strict check: every declared field equals the true answer."""
    got = json.loads(text)
    return all(got.get(f.name) == sample.answer[f.name] for f in sample.fields)


def family_suite(family: str, per_cell: int = 20) -> Suite:
    spec = SuiteSpec(name=f"t-{family}", version="1", tasks=[TaskEntry(name=family, family=family, params={"scales": [24], "per_cell": per_cell})])
    return Suite(spec)


@pytest.mark.parametrize("family", sorted(task_families()))
def test_random_accuracy_matches_chance_on_registered_families(tmp_path, family):
    sel = select_suite(family_suite(family), limit=20)  # few: some families render slowly; power comes from the synthetic tests
    out = tmp_path / "run"
    summary = evaluate("random", sel, out, progress=False)
    assert summary.errors == {}
    with open_run(out) as run:
        recs = [(s, r) for s, r in run.records(images=False)]
    assert len(recs) == 20
    if summary.unsupported:  # only open-vocabulary fields may be refused
        assert all(any(f.kind == "text" and not f.options for f in s.fields) for s, r in recs if r.status == "unsupported")
    answered = [(s, r) for s, r in recs if r.status == "ok"]
    k = sum(strict_correct(s, r.text) for s, r in answered)
    n = len(answered)
    mean_chance = float(np.mean([s.chance for s, _ in answered]))
    lo, hi = wilson(k, n, level=0.999)
    assert lo <= mean_chance <= hi, f"{family}: {k}/{n} correct, chance {mean_chance:.4f}"


def test_oracle_is_always_right_end_to_end(tmp_path):
    suite = Suite(SuiteSpec(name="mix", version="1", tasks=[
        TaskEntry(name=f, family=f, params={"scales": [24], "per_cell": 1}) for f in sorted(task_families())]))
    out = tmp_path / "run"
    evaluate("oracle", select_suite(suite), out, progress=False)
    with open_run(out) as run:
        recs = list(run.records(images=False))
    assert len(recs) == len(suite) and all(r.status == "ok" and strict_correct(s, r.text) for s, r in recs)
    scoring = pytest.importorskip("snellen.scoring")
    if not hasattr(scoring, "score_run"):
        pytest.skip("snellen.scoring.score_run is not written yet")
    with open_run(out) as run:
        df = scoring.score_run(run)
    assert len(df) == len(recs) and (df["outcome"] == "correct").all()
