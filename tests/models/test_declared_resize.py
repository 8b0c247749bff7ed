"""`--option resize=...` on OpenAI-compatible servers: effective px for served models (vLLM Qwen2-VL, ...)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from snellen.models.base import GenerationSettings, Request, load_backend, resize_ratio
from snellen.models.views import declared_encoder_size, declared_resize
from snellen.schema import SnellenError

GLYPHS = str(Path(__file__).resolve().parents[1] / "glyphs.yaml")
KEY_ENV = "SNELLEN_TEST_API_KEY"


@pytest.mark.parametrize("size", [(448, 448), (300, 200), (1000, 37), (2000, 2000), (50, 60)])
@pytest.mark.parametrize("bounds", [(3136, 1003520), (200704, 401408)])
def test_qwen2_vl_rule_matches_the_real_image_processor(size, bounds):
    transformers = pytest.importorskip("transformers")
    ip = transformers.Qwen2VLImageProcessorPil(min_pixels=bounds[0], max_pixels=bounds[1])
    out = ip(images=[Image.new("RGB", size)], return_tensors="np")
    _, gh, gw = out["image_grid_thw"][0].tolist()
    assert declared_encoder_size(declared_resize(f"qwen2-vl:{bounds[0]},{bounds[1]}"), size) == (gw * 14, gh * 14)


@pytest.mark.parametrize("value", ["qwen2-vl:5", "qwen2-vl:9,3", "qwen2-vl:a,b", "fixed:896", "fixed:0x3", "llava"])
def test_a_malformed_declaration_is_one_line_naming_the_option(value):
    with pytest.raises(SnellenError, match="option resize") as exc:
        load_backend(f"openai-compatible:http://127.0.0.1:9/v1@m", {"resize": value, "api_key_env": KEY_ENV})
    assert "\n" not in str(exc.value)


def test_served_model_gets_effective_px_from_the_declared_resize(monkeypatch):
    pytest.importorskip("openai")
    pytest.importorskip("aiohttp")
    from snellen.probes.suite import load_suite

    path = Path(__file__).with_name("api_server.py")
    spec = importlib.util.spec_from_file_location("snellen_test_api_server_resize", path)
    srv = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = srv
    spec.loader.exec_module(srv)
    monkeypatch.setenv(KEY_ENV, "sk-local")
    sample = next(load_suite(GLYPHS, per_cell=1).samples())
    with srv.ApiServer(api_key="sk-local") as server:
        results = {}
        for value in (None, "qwen2-vl:3136,200704", "fixed:896x896"):
            opts = {"api_key_env": KEY_ENV, "timeout": 3.0, **({"resize": value} if value else {})}
            backend = load_backend(f"openai-compatible:{server.openai_base_url}@Qwen/Qwen2-VL-7B-Instruct", opts)

            async def one(b=backend):
                try:
                    return await b.answer_async(Request(sample=sample, prompt="?", settings=GenerationSettings(max_tokens=4)))
                finally:
                    await b.aclose()

            results[value] = (asyncio.run(one()), backend.manifest())
    w, h = sample.canvas
    none, _ = results[None]
    assert none.error is None and none.encoder_size is None  # undeclared: unknown, not guessed
    qwen, manifest = results["qwen2-vl:3136,200704"]
    assert qwen.sent_size == (w, h) and manifest["declared_resize"] == {"rule": "qwen2-vl", "params": [3136, 200704]}
    # 448 x 448 = 200,704 px fits the budget exactly: sent as is
    assert qwen.encoder_size == (448, 448) if (w, h) == (448, 448) else qwen.encoder_size is not None
    fixed, _ = results["fixed:896x896"]
    assert fixed.encoder_size == (896, 896) and resize_ratio(fixed.sent_size, fixed.encoder_size) == pytest.approx(896 / max(w, h))
    assert np.isfinite(resize_ratio(qwen.sent_size, qwen.encoder_size))
