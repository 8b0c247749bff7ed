"""Effective px on the VLM families people run: each tiny family model goes through the `hf` backend, and the
size a drawn target has in the processor's own pixel_values must equal measured px x the recorded scale."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

sys.path.insert(0, str(Path(__file__).parent))
from tiny_vlms import build  # noqa: E402

from snellen.models.base import GenerationSettings, Request, load_backend, resize_ratio  # noqa: E402
from snellen.schema import AnswerField, Sample, Target  # noqa: E402

SIDE = 8  # px: the drawn block
# family -> (the view a block inside one tile is measured in, the view a block on a tile border falls back to)
FAMILIES = {
    "qwen2_vl": ("image", None),
    "qwen2_5_vl": ("image", None),
    "idefics3": ("tiles 4x4 of 364x364", "global"),
    "smolvlm": ("tiles 4x4 of 364x364", "global"),
    "llava_onevision": ("tiles 2x2 of 384x384", "base"),
    "gemma3": ("image", None),
    "paligemma": ("image", None),
}
# Where a block crosses a tile border of the tiled families (tile side in sent px: 364 / 3.25 = 112, 384 / 1.714 = 224).
BORDER = {"idefics3": 108, "smolvlm": 108, "llava_onevision": 220}


@pytest.fixture(scope="module", autouse=True)
def _offline():
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    yield
    mp.undo()


def block_sample(x: int, y: int, n: int = SIDE, canvas: int = 448) -> Sample:
    img = np.full((canvas, canvas, 3), 255, np.uint8)
    img[y:y + n, x:x + n] = 0
    t = Target(kind="block", identity="block", colour="black", rgb=(0, 0, 0), nominal=n, box=(x, y, x + n, y + n),
               support=(x, y, x + n, y + n), geometric=float(n))
    return Sample(id=f"block-{x}-{y}", suite="t", suite_version="1", suite_hash="h", task="presence", family="presence",
                  kind="perception", split="exam", seed=0, index=0, cell={"scale": n}, prompts={"json": "Is there a block?"},
                  answer={"present": "yes"}, fields=[AnswerField("present", "label", ("yes", "no"))], chance=0.5, scale=n,
                  measured_scale=float(n), ink_h=n, ink_w=n, count=1, targets=[t], canvas=(canvas, canvas), image=img)


def view_images(processor, inputs) -> dict[str, np.ndarray]:
    """Each view the processor made, as an HxW darkness-free grey image in [0, 1], rebuilt from pixel_values."""
    ip = processor.image_processor
    mean = np.asarray(ip.image_mean, dtype=np.float32)[:, None, None]
    std = np.asarray(ip.image_std, dtype=np.float32)[:, None, None]
    pv = inputs["pixel_values"].float().numpy()

    def grey(chw):
        return (chw * std + mean).mean(axis=0)

    if "image_grid_thw" in inputs:  # flattened patches -> image (inverse of the processor's patch layout)
        t, gh, gw = inputs["image_grid_thw"][0].tolist()
        m, p, tp = ip.merge_size, ip.patch_size, ip.temporal_patch_size
        x = pv.reshape(t, gh // m, gw // m, m, m, 3, tp, p, p).transpose(0, 6, 5, 1, 3, 7, 2, 4, 8)
        return {"image": grey(x.reshape(t * tp, 3, gh * p, gw * p)[0])}
    if pv.ndim == 4:
        return {"image": grey(pv[0])}
    views = [grey(v) for v in pv[0]]
    tile = views[0].shape[0]
    if "pixel_attention_mask" in inputs:  # Idefics3 / SmolVLM: tiles row by row, the global view last
        rows = int(np.sqrt(len(views) - 1))
        grid = np.block([[views[r * rows + c] for c in range(rows)] for r in range(rows)])
        return {f"tiles {rows}x{rows} of {tile}x{tile}": grid, "global": views[-1]}
    rows = int(np.sqrt(len(views) - 1))  # LLaVA-OneVision: the base view first, then the tiles
    grid = np.block([[views[1 + r * rows + c] for c in range(rows)] for r in range(rows)])
    return {"base": views[0], f"tiles {rows}x{rows} of {tile}x{tile}": grid}


def ink_side(img: np.ndarray) -> int:
    ys, xs = np.nonzero(img < 0.5)
    return int(max(ys.max() - ys.min() + 1, xs.max() - xs.min() + 1))


@pytest.fixture(scope="module", params=sorted(FAMILIES))
def family(request, tmp_path_factory):
    path = build(request.param, tmp_path_factory.mktemp(request.param) / "model")
    return request.param, load_backend(f"hf:{path}", {"device": "cpu", "batch_size": 2})


def test_recorded_effective_size_is_the_size_in_the_processors_pixels(family):
    name, backend = family
    inside, fallback = FAMILIES[name]
    samples = [block_sample(200, 200)] + ([block_sample(BORDER[name], 300)] if name in BORDER else [])
    responses = backend.answer([Request(sample=s, prompt=s.prompts["json"], settings=GenerationSettings(max_tokens=2)) for s in samples])
    for s, r, want in zip(samples, responses, (inside, fallback)):
        assert r.error is None and r.text is not None, r.error
        assert r.raw["effective_view"] == want, r.raw["views"]
        effective = s.measured_scale * resize_ratio(r.sent_size, r.encoder_size)
        # independent measurement: the block's side in the processor's own pixel_values, in that view
        text = backend.processor.apply_chat_template(backend._messages(Request(sample=s, prompt="x", settings=GenerationSettings())),
                                                     add_generation_prompt=True, tokenize=False)
        from snellen.models.backends.hf import _pil_image

        inputs = backend.processor(images=[_pil_image(s)], text=[text], return_tensors="pt")
        measured = ink_side(view_images(backend.processor, inputs)[want])
        assert abs(measured - effective) <= 1.0, (name, want, measured, effective)
        views = {v["view"]: v for v in r.raw["views"]}
        assert views[want]["holds_targets"] and all(not v["holds_targets"] for v in r.raw["views"] if v["scale"] > views[want]["scale"])
    assert backend.manifest()["image_processor_class"]
