"""The evaluation loop: resume, retries, errors, unsupported samples, async, budgets, dry runs."""

from __future__ import annotations

import json

import pytest
from conftest import copy_samples

from snellen.models.base import GenerationSettings
from snellen.run import evaluate
from snellen.schema import CorruptImageError, SnellenError
from snellen.store import canonical, open_run


def in_store_order(samples):
    """The documented record order: task, scale, cell, index, id (never completion order)."""
    return sorted(samples, key=lambda s: (s.task, float(s.scale), canonical(s.cell), s.index, s.id))


def results(path):
    with open_run(path) as run:
        return [(s.id, r.repeat, r.status, r.text, r.error_kind) for s, r in run.records(images=False)]


def test_rerun_resumes_without_requerying(tmp_path, quick_samples, calls):
    out = tmp_path / "run"
    s1 = evaluate("t-echo", copy_samples(quick_samples), out, progress=False)
    assert (s1.sent, s1.answered, s1.skipped) == (16, 16, 0)
    assert sorted(calls) == sorted(s.id for s in quick_samples)
    first = results(out)
    calls.clear()
    s2 = evaluate("t-echo", copy_samples(quick_samples), out, progress=False)
    assert (s2.sent, s2.skipped) == (0, 16) and calls == []
    assert results(out) == first
    for sample, (sid, rep, status, text, _) in zip(in_store_order(quick_samples), first, strict=True):
        assert sid == sample.id and status == "ok" and json.loads(text) == sample.answer


def test_records_cover_every_sample_and_repeat_in_a_stable_order(tmp_path, quick_samples):
    out = tmp_path / "run"
    evaluate("t-echo", copy_samples(quick_samples), out, repeats=3, settings=GenerationSettings(temperature=0.7), progress=False)
    got = [(sid, rep) for sid, rep, *_ in results(out)]
    assert got == [(s.id, r) for s in in_store_order(quick_samples) for r in range(3)]
    with open_run(out) as run:
        assert run.manifest["repeats"] == 3 and run.manifest["settings"]["temperature"] == 0.7
        assert len({r.key for _, r in run.records(images=False)}) == 48


def test_errors_are_stored_as_errors_and_retried(tmp_path, quick_samples, calls):
    out, flag = tmp_path / "run", tmp_path / "failing"
    flag.touch()
    opts = {"fail_mod": 3, "fail_file": str(flag)}
    bad = {s.id for s in quick_samples if int(s.id, 16) % 3 == 0}
    assert 0 < len(bad) < 16
    s1 = evaluate("t-echo", copy_samples(quick_samples), out, options=opts, progress=False)
    assert s1.errors == {"rate_limit": len(bad)} and s1.answered == 16 - len(bad)
    rows = {sid: (status, text, kind) for sid, _, status, text, kind in results(out)}
    assert all(rows[i] == ("error", None, "rate_limit") for i in bad)
    with open_run(out) as run:
        err = next(r for _, r in run.records() if r.status == "error")
        assert err.error_message == "429 too many requests" and err.attempts == 3
    flag.unlink()
    calls.clear()
    s2 = evaluate("t-echo", copy_samples(quick_samples), out, options=opts, progress=False)
    assert sorted(calls) == sorted(bad)  # only the errors were asked again
    assert s2.answered == len(bad) and s2.errors == {}
    assert {status for _, _, status, _, _ in results(out)} == {"ok"} and len(results(out)) == 16


def test_a_raising_backend_loses_only_its_batch(tmp_path, quick_samples):
    out = tmp_path / "run"
    s = evaluate("t-echo", copy_samples(quick_samples), out, options={"raise_mod": 4}, batch_size=1, progress=False)
    bad = {x.id for x in quick_samples if int(x.id, 16) % 4 == 0}
    assert 0 < len(bad) < 16
    assert s.errors == {"backend_error": len(bad)} and s.answered == 16 - len(bad)
    with open_run(out) as run:
        for sample, r in run.records():
            if sample.id in bad:
                assert r.status == "error" and r.text is None and "simulated backend crash" in r.error_message
            else:
                assert r.status == "ok"


def test_unsupported_samples_are_recorded_without_a_call(tmp_path, quick_samples, calls):
    out = tmp_path / "run"
    s = evaluate("t-digits", copy_samples(quick_samples), out, progress=False)
    letters = [x.id for x in quick_samples if x.family == "letter"]
    assert s.unsupported == len(letters) == 8 and s.answered == 8
    assert set(calls).isdisjoint(letters)
    statuses = {sid: status for sid, _, status, _, _ in results(out)}
    assert all(statuses[i] == "unsupported" for i in letters)
    calls.clear()
    s2 = evaluate("t-digits", copy_samples(quick_samples), out, progress=False)
    assert s2.skipped == 16 and calls == []


def test_async_backend_bounded_concurrency_and_errors(tmp_path, quick_samples, calls):
    from snellen_test_backends import AsyncBackend

    AsyncBackend.peak = 0
    out = tmp_path / "run"
    s = evaluate("t-async", copy_samples(quick_samples), out, options={"concurrency": 3, "raise_mod": 5}, progress=False)
    bad = {x.id for x in quick_samples if int(x.id, 16) % 5 == 0}
    assert 1 < AsyncBackend.peak <= 3
    assert s.errors == {"backend_error": len(bad)} and s.answered == 16 - len(bad)
    assert sorted(calls) == sorted(x.id for x in quick_samples)
    assert [sid for sid, *_ in results(out)] == [x.id for x in in_store_order(quick_samples)]
    with open_run(out) as run:
        msgs = {r.error_message for _, r in run.records() if r.status == "error"}
    assert msgs <= {"ConnectionError: simulated connection reset"}


def test_changing_settings_into_the_same_run_is_refused(tmp_path, quick_samples):
    out = tmp_path / "run"
    evaluate("t-echo", copy_samples(quick_samples[:2]), out, progress=False)
    before = results(out)
    for kwargs in ({"options": {"detail": "low"}}, {"settings": GenerationSettings(max_tokens=7)}, {"options": {"variant": "b"}}):
        with pytest.raises(SnellenError, match="different configuration"):
            evaluate("t-echo", copy_samples(quick_samples), out, progress=False, **kwargs)
    with pytest.raises(SnellenError, match="different configuration"):
        evaluate("oracle", copy_samples(quick_samples), out, progress=False)
    assert results(out) == before


def test_options_outside_identity_do_not_change_keys(tmp_path, quick_samples, calls):
    out = tmp_path / "run"
    evaluate("t-echo", copy_samples(quick_samples), out, progress=False)
    calls.clear()
    s = evaluate("t-echo", copy_samples(quick_samples), out, options={"batch_size": 3, "sleep": 0}, progress=False)
    assert s.skipped == 16 and calls == []


def test_max_cost_stops_before_the_budget_and_resumes(tmp_path, quick_samples, calls):
    out = tmp_path / "run"
    s = evaluate("t-priced", copy_samples(quick_samples), out, max_cost=0.35, batch_size=1, progress=False)
    assert s.stopped_by_budget and s.sent == 3 and s.not_sent == 13
    assert s.cost_usd == pytest.approx(0.3) and s.cost_usd <= 0.35
    assert len(results(out)) == 3
    s2 = evaluate("t-priced", copy_samples(quick_samples), out, max_cost=10.0, batch_size=4, progress=False)
    assert not s2.stopped_by_budget and s2.skipped == 3 and s2.sent == 13
    assert len(results(out)) == 16
    with pytest.raises(SnellenError, match="pricing"):
        evaluate("t-echo", copy_samples(quick_samples), tmp_path / "other", max_cost=1.0, progress=False)


def test_dry_run_sends_nothing_and_writes_nothing(tmp_path, quick_samples, calls):
    out = tmp_path / "run"
    s = evaluate("t-priced", copy_samples(quick_samples), out, dry_run=True, progress=False)
    assert calls == [] and not out.exists()
    assert s.sent == 16 and s.input_tokens == 16 * 100_000 and s.estimated_cost_usd == pytest.approx(1.6)
    evaluate("t-priced", copy_samples(quick_samples[:5]), out, progress=False)
    s2 = evaluate("t-priced", copy_samples(quick_samples), out, dry_run=True, progress=False)
    assert s2.skipped == 5 and s2.sent == 11 and s2.estimated_cost_usd == pytest.approx(1.1)


def test_corrupt_image_stops_with_one_error_and_keeps_the_store(tmp_path, quick_samples):
    import copy

    out = tmp_path / "run"
    samples = copy_samples(quick_samples)
    broken = copy.copy(samples[9])
    broken.image, broken.png = None, b"\x89PNG\r\n\x1a\n" + b"garbage" * 20
    samples[9] = broken
    with pytest.raises(CorruptImageError, match=broken.id):
        evaluate("t-echo", samples, out, batch_size=4, progress=False)
    done = results(out)
    assert {sid for sid, *_ in done} == {s.id for s in quick_samples[:8]}  # the two full batches before it
    s = evaluate("t-echo", copy_samples(quick_samples), out, progress=False)
    assert s.skipped == 8 and len(results(out)) == 16


def test_export_jsonl_has_one_line_per_record(tmp_path, quick_samples):
    out = tmp_path / "run"
    evaluate("t-echo", copy_samples(quick_samples), out, repeats=2, progress=False)
    with open_run(out) as run:
        n = run.export_jsonl(tmp_path / "x.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "x.jsonl").read_text().splitlines()]
    assert n == len(lines) == 32
    assert lines[0]["sample"]["id"] == in_store_order(quick_samples)[0].id and lines[1]["repeat"] == 1
    assert json.loads(lines[0]["text"]) == lines[0]["sample"]["answer"]
    assert lines[0]["sent_size"] == [448, 448] and lines[0]["encoder_size"] == [224, 224]
    assert "png" not in lines[0]["sample"] and len(lines[0]["pixel_hash"]) == 32


def test_identical_questions_under_other_ids_are_answered_once_and_each_keeps_its_row(tmp_path, quick_samples, calls):
    import copy

    twins = []
    for i, s in enumerate(quick_samples[:3]):
        t = copy.copy(s)
        t.id = f"{i:020x}"  # another id, same pixels and prompt
        twins.append(t)
    out = tmp_path / "run"
    s1 = evaluate("t-echo", copy_samples(quick_samples[:3]), out, progress=False)
    calls.clear()
    s2 = evaluate("t-echo", twins, out, progress=False)
    assert calls == [] and s2.cached == 3 and s2.sent == 0 and s1.sent == 3
    with open_run(out) as run:
        recs = {s.id: r for s, r in run.records()}
    assert len(recs) == 6
    for a, b in zip(quick_samples[:3], twins):
        assert recs[a.id].key == recs[b.id].key and recs[a.id].text == recs[b.id].text
        assert recs[b.id].attempts == 0 and recs[b.id].raw["cached_from"] == a.id
