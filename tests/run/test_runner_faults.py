"""The runner when something fails mid-run: what was answered is stored, and the counts add up."""

from __future__ import annotations

import copy

import pytest

import snellen_test_backends as tb
from snellen.run import evaluate
from snellen.schema import CorruptImageError
from snellen.store import open_run


def corrupt(sample):
    bad = copy.copy(sample)
    bad.image = None
    raw = bytearray(sample.png_bytes())
    raw[40] ^= 0xFF
    bad.png = bytes(raw)
    return bad


def test_a_bad_sample_stops_sending_but_every_answer_in_flight_is_stored(tmp_path, quick_samples):
    # 8 requests in flight at 0.3 s each when sample 10 turns out corrupt: before, the runner raised at
    # once and cancelled them (paid for, never stored); now it waits for them, stores them, then raises.
    tb.STARTED.clear()
    samples = [copy.copy(s) for s in quick_samples[:10]] + [corrupt(quick_samples[10])] + list(quick_samples[11:])
    out = tmp_path / "run"
    with pytest.raises(CorruptImageError, match=quick_samples[10].id):
        evaluate("t-slow-async", samples, out, options={"sleep": 0.3, "concurrency": 8}, progress=False)
    with open_run(out) as run:
        stored = {s.id for s, r in run.records(images=False) if r.status == "ok"}
        inv = run.manifest["invocations"][-1]["summary"]
    started = set(tb.STARTED)
    assert started and stored == started  # nothing that was sent is lost
    assert quick_samples[10].id not in stored and len(stored) == 10
    assert inv["sent"] == inv["answered"] + sum(inv["errors"].values()) + inv["cancelled"] == 10
