"""The Ray executor on a local two-worker CPU cluster gives what the local executor gives (one ray.init)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

sys.path.insert(0, str(Path(__file__).parent))

from snellen.models.base import GenerationSettings, Request  # noqa: E402
from snellen.probes.suite import load_suite  # noqa: E402
from snellen.ray_executor import RayExecutor  # noqa: E402
from snellen.run import LocalExecutor  # noqa: E402
from snellen.schema import SnellenError  # noqa: E402

# The letters-and-digits fixture suite (the built-in `quick` covers every family and is larger).
GLYPHS = str(Path(__file__).resolve().parents[1] / "glyphs.yaml")

SETTINGS = GenerationSettings(max_tokens=6)


@pytest.fixture(scope="module")
def executor():
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("RAY_USAGE_STATS_ENABLED", "0")
    ex = RayExecutor(num_workers=2, num_cpus=2)
    yield ex
    if ray.is_initialized():
        ray.shutdown()
    mp.undo()


@pytest.fixture(scope="module")
def batches():
    samples = list(load_suite(GLYPHS, per_cell=2).samples())  # 16 samples, letters and digits
    requests = [Request(sample=s, prompt=s.prompts["json"], settings=SETTINGS, repeat=r)
                for s in samples for r in range(2)]
    return [requests[i:i + 5] for i in range(0, len(requests), 5)]


def as_dict(results):
    out = {}
    for index, responses in results:
        assert index not in out, f"batch {index} yielded twice"
        out[index] = [(r.text, r.error, r.sent_size, r.encoder_size, r.input_tokens, r.output_tokens) for r in responses]
    return out


def test_same_results_as_local_executor(executor, batches):
    ray_out = as_dict(executor.map_batches("random", {"seed": 7}, batches))
    local_out = as_dict(LocalExecutor().map_batches("random", {"seed": 7}, batches))
    assert sorted(ray_out) == list(range(len(batches)))
    assert ray_out == local_out
    assert all(len(ray_out[i]) == len(b) for i, b in enumerate(batches))
    assert len({text for batch in ray_out.values() for text, *_ in batch}) > 3  # answers differ by sample


def test_hf_model_through_ray_matches_local(executor, batches, tmp_path_factory):
    pytest.importorskip("transformers")
    from tiny_llava import build_tiny_llava

    model = build_tiny_llava(tmp_path_factory.mktemp("ray-llava") / "model")
    spec, options = f"hf:{model}", {"batch_size": 5, "device": "cpu"}
    few = batches[:4]
    ray_out = as_dict(executor.map_batches(spec, options, few))
    local_out = as_dict(LocalExecutor().map_batches(spec, options, few))
    assert ray_out == local_out
    first = ray_out[0][0]
    assert first[0] is not None and first[3] == (224, 224)


def test_batches_are_pulled_lazily(executor, batches):
    pulled = []

    def source():
        for b in batches:
            pulled.append(1)
            yield b

    stream = executor.map_batches("random", {}, source())
    next(stream)
    assert len(pulled) <= 2 * executor.inflight_per_worker  # two workers, bounded in flight
    rest = list(stream)
    assert len(rest) == len(batches) - 1


def test_bad_spec_and_pool_errors(executor, batches):
    with pytest.raises(SnellenError, match="unknown model backend 'nope'"):
        list(executor.map_batches("nope:x", {}, batches))
    with pytest.raises(SnellenError, match="exceeds the cluster"):
        list(RayExecutor(num_workers=5).map_batches("random", {}, batches))
    with pytest.raises(SnellenError, match="disagree"):
        RayExecutor(num_workers=2, workers=3)
