"""Round trip through the real harnesses: export -> lmms-eval / inspect_ai run a model -> import -> the
same outcomes, sample by sample, as `snellen eval` of the same model on the same prompts.

The model is the fake VLM behind the OpenAI-compatible test server on 127.0.0.1 (tests/interop/fake_vlm.py):
each harness calls it through its own OpenAI client. The harnesses run from their own virtual environment
(built by scripts/harness_env.sh; lmms-eval brings its own torchvision/transformers pins).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from snellen.scoring import score_run
from snellen.store import open_run

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "models"))
from harness_runs import EXPORT_ARGS, harness_python, run_inspect, run_lmms, snellen  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(harness_python() is None,
                       reason="harness venv missing: run scripts/harness_env.sh (or set SNELLEN_HARNESS_PYTHON)"),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One export per harness, the fake VLM server, and snellen's own eval of it (the reference)."""
    from api_server import ApiServer
    from fake_vlm import FakeVLM

    from snellen.models.base import GenerationSettings
    from snellen.probes.suite import load_suite
    from snellen.run import evaluate, select_suite

    tmp = tmp_path_factory.mktemp("roundtrip")
    loaded = load_suite("acuity", per_cell=1, only=["letter", "relation", "counting"])
    selection = select_suite(loaded, scales=[8, 24])
    samples = list(selection.samples)
    fake = FakeVLM.from_samples(samples)
    with ApiServer(answer=fake) as server:
        for to in ("lmms-eval", "inspect"):
            r = snellen("export-task", *EXPORT_ARGS, "--to", to, "--out", str(tmp / to))
            assert r.returncode == 0, r.stderr
        summary = evaluate(f"openai-compatible:{server.openai_base_url}@fake-vlm", samples, tmp / "snellen",
                           settings=GenerationSettings(), progress=False)
        assert summary.answered == len(samples)
        yield {"tmp": tmp, "server": server, "fake": fake, "n": len(samples)}


def _compare(imported: Path, reference: Path, n: int) -> dict:
    with open_run(imported) as a, open_run(reference) as b:
        ours, theirs = score_run(b).set_index("sample_id"), score_run(a).set_index("sample_id")
    assert len(theirs) == len(ours) == n
    joined = theirs.join(ours.add_suffix("_snellen"), how="inner")
    assert len(joined) == n
    same_outcome = int((joined.outcome == joined.outcome_snellen).sum())
    same_text = int((joined.text == joined.text_snellen).sum())
    assert same_outcome == n and same_text == n, joined[["outcome", "outcome_snellen"]]
    return {"n": n, "same_outcome": same_outcome, "outcomes": theirs.outcome.value_counts().to_dict()}


def test_lmms_eval_discovers_runs_and_scores_through_snellen(world):
    tmp, server = world["tmp"], world["server"]
    r = run_lmms(tmp / "lmms-eval", tmp / "lmms-out", server.openai_base_url)
    assert r.returncode == 0, r.stderr[-3000:]
    assert world["fake"].unknown == 0  # every image reached the model pixel-identical (PNG, no resize)
    (results,) = (tmp / "lmms-out").rglob("*_results.json")
    res = json.loads(results.read_text())
    assert res["n-samples"]["snellen_acuity"]["effective"] == world["n"]  # discovered, every sample
    run = tmp / "lmms-run"
    r = snellen("import", "lmms-eval", str(tmp / "lmms-out"), "--out", str(run))
    assert r.returncode == 0, r.stderr
    stats = _compare(run, tmp / "snellen", world["n"])
    with open_run(run) as opened:
        strict = score_run(opened).outcome.eq("correct").mean()
    # lmms-eval's own metric is snellen's strict accuracy
    assert res["results"]["snellen_acuity"]["snellen_accuracy,none"] == pytest.approx(strict)
    print("lmms-eval round trip", stats)


def test_inspect_runs_and_its_eval_log_imports_with_the_same_outcomes(world):
    tmp, server = world["tmp"], world["server"]
    r = run_inspect(tmp / "inspect", tmp / "logs", server.openai_base_url)
    assert r.returncode == 0, r.stderr[-3000:]
    (log,) = (tmp / "logs").glob("*.eval")
    run = tmp / "inspect-run"
    # .eval logs are zstd zips: read with inspect_ai's own reader, from the harness environment
    r = snellen("import", "inspect", str(log), "--out", str(run), python=harness_python())
    assert r.returncode == 0, r.stderr
    stats = _compare(run, tmp / "snellen", world["n"])
    print("inspect round trip", stats)
