"""API backends (openai, openai-compatible, anthropic, gemini) through their official SDKs, against a local
server that decodes what it is sent (tests/models/api_server.py). No network beyond 127.0.0.1."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from snellen.models.api import ERROR_KINDS, anthropic_size, openai_patch_size, openai_tile_size, prepare_image
from snellen.models.base import GenerationSettings, Request, load_backend
from snellen.probes.encode import encode_png
from snellen.schema import SnellenError

# The letters-and-digits fixture suite (the built-in `quick` covers every family and is larger).
GLYPHS = str(Path(__file__).resolve().parents[1] / "glyphs.yaml")

pytest.importorskip("openai")
pytest.importorskip("anthropic")
pytest.importorskip("google.genai")
pytest.importorskip("aiohttp")


def _load_server_module():
    path = Path(__file__).with_name("api_server.py")
    spec = importlib.util.spec_from_file_location("snellen_test_api_server", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


srv = _load_server_module()
pytestmark = pytest.mark.filterwarnings("ignore:Inheritance class AiohttpClientSession:DeprecationWarning")
KEY = "sk-snellen-fake-" + hashlib.sha256(b"not a real key").hexdigest()[:24]
KEY_ENV = "SNELLEN_TEST_API_KEY"
# Generous timeout (this machine is shared and loaded); tests that inject hangs set a shorter one.
FAST = {"backoff": 0.005, "backoff_max": 0.02, "timeout": 3.0, "max_retries": 6, "api_key_env": KEY_ENV}
PREFIXES = ["openai", "openai-compatible", "anthropic", "gemini"]


@pytest.fixture(autouse=True)
def fake_key(monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)


@pytest.fixture(scope="module")
def probe():
    from snellen.probes.suite import load_suite

    return next(load_suite(GLYPHS, per_cell=1).samples())


@pytest.fixture(scope="module")
def noise(probe):
    """A non-square noise image: any lossy step (JPEG, resize, colour change) would change its hash."""
    pixels = np.random.default_rng(7).integers(0, 256, (200, 300, 3), dtype=np.uint8)
    return dataclasses.replace(probe, image=pixels, png=encode_png(pixels), canvas=(300, 200))


def backend_for(prefix: str, server, **options):
    opts = {**FAST, **options}
    if prefix == "openai-compatible":
        return load_backend(f"openai-compatible:{server.openai_base_url}@Qwen/Qwen2.5-VL-7B-Instruct", opts)
    base = {"openai": server.openai_base_url, "anthropic": server.anthropic_base_url,
            "gemini": server.gemini_base_url}[prefix]
    model = {"openai": "gpt-4o", "anthropic": "claude-sonnet-4-20250514", "gemini": "gemini-2.5-flash"}[prefix]
    return load_backend(f"{prefix}:{model}", {**opts, "base_url": base})


def request(sample, **settings) -> Request:
    return Request(sample=sample, prompt=sample.prompts["json"], settings=GenerationSettings(**settings))


def answer_all(backend, requests, concurrency: int = 8):
    """Drive answer_async under a semaphore, as the runner does."""
    async def main():
        sem = asyncio.Semaphore(concurrency)

        async def one(r):
            async with sem:
                return await backend.answer_async(r)

        try:
            return await asyncio.gather(*(one(r) for r in requests))
        finally:
            await backend.aclose()

    return asyncio.run(main())


def pixel_sha(pixels: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(pixels).tobytes()).hexdigest()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_png_round_trips_losslessly_at_native_size(prefix, probe, noise):
    with srv.ApiServer(api_key=KEY) as server:
        backend = backend_for(prefix, server)
        reqs = [request(probe, system_prompt="Be brief.", max_tokens=77), request(noise, max_tokens=77)]
        responses = answer_all(backend, reqs)
    assert len(server.log) == 2 and all(seen.auth_ok for seen in server.log)
    for sample, resp in zip([probe, noise], responses):
        assert resp.ok and resp.attempts == 1, resp.error
        seen = json.loads(resp.text)
        (img,) = seen["images"]
        w, h = sample.pixels().shape[1], sample.pixels().shape[0]
        assert img["sha256"] == pixel_sha(sample.pixels())  # decoded pixels identical
        assert img["png_sha256"] == hashlib.sha256(sample.png_bytes()).hexdigest()  # the very bytes, not re-encoded
        assert (img["w"], img["h"]) == (w, h) and img["mime"] == "image/png"
        assert resp.sent_size == (w, h)
        assert seen["prompt"] == sample.prompts["json"]
        if prefix.startswith("openai"):
            assert img["detail"] == "high"
        by_image = {s.images[0]["sha256"]: s for s in server.log}
        assert (resp.input_tokens, resp.output_tokens) == by_image[img["sha256"]].usage
    assert json.loads(responses[0].text)["system"] == "Be brief."
    settings = json.loads(responses[0].text)["settings"]
    assert 77 in settings.values()  # max tokens went out
    if prefix == "anthropic":  # the Messages API takes no temperature: said, not silently dropped
        assert "temperature" not in settings and responses[0].raw["ignored_settings"] == ["temperature"]
    else:
        assert 0.0 in settings.values()
    # the encoder size is stated only where documented; a 448 px probe is not resized by any provider
    expected = {"openai": (448, 448), "anthropic": (448, 448)}.get(prefix)
    assert responses[0].encoder_size == expected
    assert backend.transmission()["format"] == "png" and backend.transmission()["resize"] is None


@pytest.mark.parametrize("prefix", PREFIXES)
def test_transient_failures_are_retried_and_counted(prefix, probe):
    plan = ["429", "500", "timeout", "drop", "malformed", "503"]
    with srv.ApiServer(api_key=KEY, faults=srv.Faults(plan=plan, retry_after=0.01, hang_s=3.0)) as server:
        backend = backend_for(prefix, server, timeout=0.7)
        (resp,) = answer_all(backend, [request(probe)])
    assert resp.ok, resp.error
    assert resp.attempts == len(plan) + 1 == server.attempts
    assert resp.raw["attempt_errors"] == ["rate_limit", "server_error", "timeout", "connection",
                                          "malformed_response", "server_error"]
    assert json.loads(resp.text)["images"][0]["sha256"] == pixel_sha(probe.pixels())


@pytest.mark.parametrize("prefix", PREFIXES)
def test_retry_after_is_honoured(prefix, probe):
    with srv.ApiServer(api_key=KEY, faults=srv.Faults(plan=["429"], retry_after=0.35)) as server:
        backend = backend_for(prefix, server, backoff=0.001, backoff_max=0.001)
        (resp,) = answer_all(backend, [request(probe)])
    assert resp.ok and resp.attempts == 2
    gap = server.log[1].t - server.log[0].t
    assert gap >= 0.34, gap  # the backoff alone would have waited ~1 ms


def test_gemini_retry_info_without_header_is_honoured(probe, monkeypatch):
    with srv.ApiServer(api_key=KEY, faults=srv.Faults(plan=["429"], retry_after=0.3)) as server:
        monkeypatch.setattr(server, "retry_after_header", False)
        backend = backend_for("gemini", server, backoff=0.001, backoff_max=0.001)
        (resp,) = answer_all(backend, [request(probe)])
    assert resp.ok and resp.attempts == 2
    assert server.log[1].t - server.log[0].t >= 0.29


def test_a_retry_after_beyond_the_limit_ends_as_an_error(probe):
    with srv.ApiServer(api_key=KEY, faults=srv.Faults(plan=["429"], retry_after=3600)) as server:
        (resp,) = answer_all(backend_for("openai", server, max_retry_after=5), [request(probe)])
    assert resp.text is None and resp.error.kind == "rate_limit" and resp.attempts == 1
    assert "3600" in resp.error.message


@pytest.mark.parametrize("prefix", PREFIXES)
def test_errors_after_the_cap_are_errors_never_text(prefix, probe):
    with srv.ApiServer(api_key=KEY, faults=srv.Faults(plan=["500"] * 10)) as server:
        (resp,) = answer_all(backend_for(prefix, server, max_retries=2), [request(probe)])
    assert resp.text is None and not resp.ok
    assert resp.error.kind == "server_error" and resp.attempts == 3 == server.attempts
    assert "500" in resp.error.message


@pytest.mark.parametrize("prefix", PREFIXES)
def test_client_errors_are_not_retried_and_keys_are_redacted(prefix, probe):
    with srv.ApiServer(api_key=KEY, faults=srv.Faults(plan=["401", "400"])) as server:
        backend = backend_for(prefix, server)
        auth, bad = answer_all(backend, [request(probe), request(probe)], concurrency=1)
    assert server.attempts == 2
    assert auth.error.kind == "auth" and auth.attempts == 1 and auth.text is None
    assert bad.error.kind == "bad_request" and bad.attempts == 1
    assert KEY not in auth.error.message and "redacted" in auth.error.message  # the server echoed it


@pytest.mark.parametrize("prefix", PREFIXES)
def test_empty_content_is_an_answer_and_a_body_without_choices_is_malformed(prefix, probe):
    with srv.ApiServer(api_key=KEY, faults=srv.Faults(plan=["empty", "nochoices"])) as server:
        backend = backend_for(prefix, server, max_retries=0)
        empty, missing = answer_all(backend, [request(probe), request(probe)], concurrency=1)
    assert empty.ok and empty.text == "" and empty.attempts == 1
    assert missing.text is None and missing.error.kind == "malformed_response" and missing.attempts == 1


@pytest.mark.parametrize("prefix", ["openai", "anthropic", "gemini"])
def test_thirty_percent_faults_every_request_completes_or_errors(prefix, probe, noise):
    kinds = ("429", "500", "timeout", "drop", "malformed", "nochoices")
    faults = srv.Faults(rate=0.3, kinds=kinds, retry_after=0.005, hang_s=2.0, seed=11)
    samples = [probe, noise] * 15
    with srv.ApiServer(api_key=KEY, faults=faults) as server:
        backend = backend_for(prefix, server, timeout=0.6, max_retries=5)
        responses = answer_all(backend, [request(s) for s in samples], concurrency=10)
    assert len(responses) == len(samples)
    assert sum(r.attempts for r in responses) == server.attempts  # every attempt counted once, honestly
    assert server.attempts > len(samples)  # faults did happen
    for sample, resp in zip(samples, responses):
        if resp.ok:
            assert json.loads(resp.text)["images"][0]["sha256"] == pixel_sha(sample.pixels())
            assert resp.attempts == len(resp.raw.get("attempt_errors", [])) + 1
        else:
            assert resp.text is None and resp.error.kind in ERROR_KINDS and resp.attempts == 6
    assert sum(r.ok for r in responses) >= len(samples) - 2  # 0.3^6 per request: essentially all succeed


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_key_appears_nowhere_we_record(prefix, probe):
    with srv.ApiServer(api_key=KEY, faults=srv.Faults(plan=["401", "429", "ok"], retry_after=0.01)) as server:
        backend = backend_for(prefix, server)
        responses = answer_all(backend, [request(probe), request(probe)], concurrency=1)
    assert server.log[-1].auth_ok  # the key was really sent
    assert [r.ok for r in responses] == [False, True]
    recorded = json.dumps([[r.to_dict() for r in responses], backend.identity(), backend.transmission(),
                           backend.manifest(), backend.spec], default=str)
    assert KEY not in recorded
    kept = {k: v for k, v in vars(backend).items() if k != "_clients"}  # the SDK client must hold it
    assert KEY not in json.dumps(kept, default=str)


def test_a_missing_key_sends_nothing_and_says_which_variable(probe, monkeypatch):
    monkeypatch.delenv(KEY_ENV)
    with srv.ApiServer(api_key=KEY) as server:
        backend = backend_for("anthropic", server)
        with pytest.raises(SnellenError, match=KEY_ENV):
            backend.preflight()
        (resp,) = answer_all(backend, [request(probe)])
    assert server.attempts == 0
    assert resp.error.kind == "auth" and resp.attempts == 0 and KEY_ENV in resp.error.message


def test_local_compatible_servers_get_a_placeholder_key(probe):
    with srv.ApiServer(api_key="EMPTY") as server:
        backend = load_backend(f"openai-compatible:{server.openai_base_url}@llava", {"timeout": 2})
        (resp,) = answer_all(backend, [request(probe)])
    assert resp.ok and server.log[0].auth_ok and server.log[0].model == "llava"
    assert backend.identity() == {"backend": "openai-compatible", "model": "llava", "base_url": server.openai_base_url}
    assert backend.pricing() is None


@pytest.mark.parametrize("spec", [
    "openai-compatible:http://127.0.0.1:8000/v1",  # no model
    "openai-compatible:127.0.0.1:8000@qwen",  # no scheme
    "openai-compatible:http://user:secret@host:notaport/v1@qwen",  # bad port (and credentials: never echoed)
    "openai:",
])
def test_bad_specs_fail_with_one_clear_line(spec):
    with pytest.raises(SnellenError, match="spec|URL|credentials") as err:
        load_backend(spec, {})
    assert "secret" not in str(err.value)


@pytest.mark.parametrize("option, value", [("detail", "ultra"), ("timeout", "soon"), ("max_side", 0),
                                           ("resize_filter", "jpeg"), ("price_in", 1.0)])
def test_bad_options_fail_naming_the_option(option, value):
    with pytest.raises(SnellenError, match=option):
        load_backend("openai:gpt-4o", {option: value})


def test_detail_is_an_option_recorded_in_the_transmission(probe):
    with srv.ApiServer(api_key=KEY) as server:
        backend = backend_for("openai", server, detail="low")
        (resp,) = answer_all(backend, [request(probe)])
    assert json.loads(resp.text)["images"][0]["detail"] == "low"
    assert backend.transmission()["detail"] == "low"
    assert backend.transmission() != backend_for("openai", server).transmission()  # so the cache key differs
    assert resp.encoder_size is None  # low detail's resize is undocumented


def test_max_side_resizes_with_the_stated_filter(probe):
    with srv.ApiServer(api_key=KEY) as server:
        backend = backend_for("openai-compatible", server, max_side=224, resize_filter="bicubic")
        (resp,) = answer_all(backend, [request(probe)])
    expected = np.asarray(Image.fromarray(probe.pixels()).resize((224, 224), Image.Resampling.BICUBIC))
    img = json.loads(resp.text)["images"][0]
    assert (img["w"], img["h"]) == (224, 224) == resp.sent_size
    assert img["sha256"] == pixel_sha(expected)
    assert backend.transmission()["resize"] == {"max_side": 224, "filter": "bicubic"}
    assert prepare_image(probe, max_side=448).png == probe.png_bytes()  # no-op when already small enough


def test_rpm_limit_spaces_request_starts(probe):
    with srv.ApiServer(api_key=KEY) as server:
        backend = backend_for("openai", server, rpm=600)  # one start per 0.1 s
        t0 = time.monotonic()
        answer_all(backend, [request(probe)] * 5, concurrency=5)
        elapsed = time.monotonic() - t0
    starts = sorted(seen.t for seen in server.log)
    assert elapsed >= 0.39  # 5 starts, 0.1 s apart, the first at once
    assert starts[-1] - starts[0] >= 0.3  # arrivals: connection set-up may delay the first one a little


def test_documented_resize_rules():
    # OpenAI's documented high-detail examples
    assert openai_tile_size(1024, 1024) == (768, 768)
    assert openai_tile_size(2048, 4096) == (768, 1536)
    assert openai_tile_size(448, 448) == (448, 448)
    assert openai_patch_size(1800, 2400) == (1056, 1408)
    assert openai_patch_size(1024, 1024) == (1024, 1024)  # 1024 patches: within the 1536 budget
    # Anthropic: long edge <= 1568 and about <= 1.15 megapixels
    assert anthropic_size(448, 448) == (448, 448)
    w, h = anthropic_size(3000, 1000)
    assert w == 1568 and h in (522, 523)
    w, h = anthropic_size(1500, 1500)
    assert w == h and 1085 <= w <= 1100 and w * h <= 1_200_000


def test_pricing_and_estimates(probe):
    assert load_backend("openai:gpt-4o").pricing() == (2.50, 10.00)
    assert load_backend("openai:some-future-model").pricing() is None
    assert load_backend("gemini:my-tuned", {"price_in": "1", "price_out": 2}).pricing() == (1.0, 2.0)
    req = Request(sample=probe, prompt="x" * 400, settings=GenerationSettings(max_tokens=20))
    tokens_in, tokens_out = load_backend("openai:gpt-4o").estimate_tokens(req)
    assert tokens_in == 100 + 10 + 85 + 170 and tokens_out == 20  # one 512 px tile at high detail
    assert load_backend("anthropic:claude-x").estimate_tokens(req)[0] == 110 + round(448 * 448 / 750)


def test_parsers_keep_refusals_and_blocks_as_answers_and_drop_thoughts():
    from types import SimpleNamespace as NS

    from snellen.models.api import ApiFailure
    from snellen.models.backends.anthropic import parse_message
    from snellen.models.backends.gemini import parse_generate_response
    from snellen.models.backends.openai_compat import parse_completion

    refusal = NS(choices=[NS(message=NS(content=None, refusal="I can't help with that."), finish_reason="stop")])
    assert parse_completion(refusal).text == "I can't help with that."
    with pytest.raises(ApiFailure, match="no content"):
        parse_completion(NS(choices=[NS(message=NS(content=None, refusal=None), finish_reason=None)]))
    blocked = NS(candidates=None, prompt_feedback=NS(block_reason=NS(value="SAFETY")), usage_metadata=None)
    reply = parse_generate_response(blocked)
    assert reply.text == "" and reply.finish_reason == "blocked:SAFETY"
    thinking = NS(candidates=[NS(finish_reason=NS(value="STOP"), content=NS(parts=[
        NS(text="let me look closely", thought=True), NS(text='{"letter": "K"}', thought=None)]))],
        usage_metadata=NS(prompt_token_count=300, candidates_token_count=8, thoughts_token_count=40))
    reply = parse_generate_response(thinking)
    assert reply.text == '{"letter": "K"}' and reply.output_tokens == 48  # thinking is billed as output
    message = NS(content=[NS(type="thinking", thinking="hmm"), NS(type="text", text="K")], stop_reason="end_turn",
                 usage=NS(input_tokens=10, output_tokens=3))
    assert parse_message(message).text == "K"
    with pytest.raises(ApiFailure):
        parse_message(NS(content=[], stop_reason=None))


def test_the_test_server_stops_itself(probe):
    server = srv.ApiServer(api_key=KEY, max_requests=2, lifetime_s=5).start()
    try:
        backend = backend_for("openai", server, max_retries=0)
        responses = answer_all(backend, [request(probe)] * 3, concurrency=1)
        assert [r.ok for r in responses] == [True, True, False]  # the budget's end is an error, not text
        assert responses[2].error.kind == "server_error"
        server._thread.join(5)
        assert not server._thread.is_alive()  # it shut down on its own
    finally:
        server.stop()


def test_gemini_media_resolution_is_sent_and_recorded(probe):
    with srv.ApiServer(api_key=KEY) as server:
        backend = backend_for("gemini", server, media_resolution="high")
        (resp,) = answer_all(backend, [request(probe, seed=5)])
    assert json.loads(resp.text)["settings"]["mediaResolution"] == "MEDIA_RESOLUTION_HIGH"
    assert json.loads(resp.text)["settings"]["seed"] == 5
    assert backend.transmission()["media_resolution"] == "high"


def test_a_bug_is_raised_not_recorded_as_an_api_error_and_is_scrubbed(probe, monkeypatch):
    backend = load_backend("openai:gpt-4o", {**FAST, "base_url": "http://127.0.0.1:9/v1"})

    async def broken(client, request, image):
        raise KeyError(f"oops {KEY}")

    monkeypatch.setattr(backend, "_call", broken)
    with pytest.raises(RuntimeError, match="KeyError") as info:
        answer_all(backend, [request(probe)])
    assert KEY not in str(info.value)
