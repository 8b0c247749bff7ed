"""The issue's reliability contract end to end: runner + OpenAI-compatible backend + a server injecting
faults + scoring. Transient failures are retried; what still fails after the retry cap is stored as an
error, excluded from scores, and retried by re-running; on the samples answered, scores equal a fault-free run's."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "models"))
import api_server as srv  # noqa: E402

from snellen.scoring import score_run  # noqa: E402
from snellen.store import open_run  # noqa: E402
from snellen.run import evaluate  # noqa: E402


def pixel_answer(seen: srv.Seen) -> str:
    """A deterministic 'model': its answer depends only on the pixels and the question (some right, most wrong)."""
    h = int(hashlib.sha256(seen.images[0]["sha256"].encode()).hexdigest(), 16)
    if '"letter"' in (seen.prompt or ""):
        return json.dumps({"letter": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[h % 26]})
    return f"The digit is {h % 10}."


def n_errors(summary) -> int:
    return sum(summary.errors.values())


def run(tmp: Path, name: str, faults: srv.Faults, samples, max_retries: int):
    with srv.ApiServer(faults=faults, answer=pixel_answer) as server:
        spec = f"openai-compatible:http://127.0.0.1:{server.port}/v1@pixel-model"
        opts = {"backoff": "0.01", "backoff_max": "0.05", "timeout": "0.8", "max_retries": str(max_retries)}
        # The base URL (with its random port) is part of the model identity, so a re-run needs the same server.
        first = evaluate(spec, list(samples), tmp / name, options=opts, progress=False)
        second = evaluate(spec, list(samples), tmp / name, options=dict(opts, max_retries="8"), progress=False) \
            if n_errors(first) else None
    return first, second


def test_faults_are_retried_errors_are_not_scored_and_answers_score_as_without_faults(tmp_path, quick_samples):
    samples = quick_samples
    clean, _ = run(tmp_path, "clean", srv.Faults(), samples, max_retries=0)
    assert n_errors(clean) == 0
    ref = score_run(open_run(tmp_path / "clean")).set_index("sample_id")
    assert set(ref["outcome"]) <= {"correct", "wrong", "unparseable"} and (ref["outcome"] == "wrong").any()

    faults = srv.Faults(rate=0.5, kinds=("429", "500", "timeout", "malformed"), retry_after=0.01, hang_s=1.5, seed=3)
    first, second = run(tmp_path, "faulty", faults, samples, max_retries=1)
    assert n_errors(first) > 0, "with one retry at a 50% fault rate some requests must fail"
    assert second is not None and n_errors(second) == 0
    final = score_run(open_run(tmp_path / "faulty")).set_index("sample_id")
    assert (final["outcome"] != "error").all(), "re-running retried every stored error"
    assert final.loc[ref.index, "outcome"].tolist() == ref["outcome"].tolist()

    # A faulty run that is NOT re-run: its errors stay errors, out of the scores.
    with srv.ApiServer(faults=faults, answer=pixel_answer) as server:
        spec = f"openai-compatible:http://127.0.0.1:{server.port}/v1@pixel-model"
        summary = evaluate(spec, list(samples), tmp_path / "once", options={"backoff": "0.01", "timeout": "0.8",
                           "max_retries": "1"}, progress=False)
    df = score_run(open_run(tmp_path / "once")).set_index("sample_id")
    errors = df[df["outcome"] == "error"]
    answered = df[df["outcome"] != "error"]
    assert len(errors) == n_errors(summary) > 0
    assert errors["text"].isna().all() and not errors["strict"].any()
    assert answered["outcome"].tolist() == ref.loc[answered.index, "outcome"].tolist()
