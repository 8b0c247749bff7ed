"""Training configs: presets load; bad configs fail with one line naming the field."""

from __future__ import annotations

import pytest

from snellen.schema import SnellenError
from snellen.train.config import PRESETS, load_config, parse_config

BUILD = {"build": {"vision": {"type": "clip", "image_size": 32, "patch_size": 16}}}
STAGE = {"name": "s", "trainer": "sft", "trainable": {"llm": 1e-3}, "steps": 2}


def cfg(**over):
    data = {"name": "t", "model": BUILD, "stages": [dict(STAGE)]}
    data.update(over)
    return data


@pytest.mark.parametrize("name", PRESETS)
def test_presets_parse(name):
    c = load_config(name)
    assert c.name == name and c.stages


def test_perception_first_is_the_published_recipe():
    c = load_config("perception-first")
    assert [s.data.kind for s in c.stages] == ["perception", "text_reasoning", "reasoning"]
    assert all(s.trainer == "grpo" and s.num_generations == 5 for s in c.stages)
    assert all(s.reward.accuracy == 0.9 and s.reward.format == 0.1 for s in c.stages)
    assert "vision" not in c.stages[1].trainable and "vision" in c.stages[0].trainable


def test_llava_presets_differ_only_in_the_align_llm():
    frozen, unfrozen = load_config("llava-align"), load_config("llava-align-unfrozen")
    assert set(frozen.stages[0].trainable) == {"projector"}
    assert set(unfrozen.stages[0].trainable) == {"projector", "llm"}


@pytest.mark.parametrize("data, field, words", [
    (cfg(model={"build": {"vision": {"type": "resnet9000"}}}), "model.build.vision.type", "clip"),
    (cfg(stages=[]), "stages", "empty stage list"),
    (cfg(stages=[{**STAGE, "trainable": {}}]), "stages.0.trainable", "freezes every group"),
    (cfg(stages=[{**STAGE, "trainable": {"vision": 0.0}}]), "stages.0.trainable", "> 0"),
    (cfg(model={"path": "/nonexistent/ckpt"}), "model", "no model checkpoint at /nonexistent/ckpt"),
    (cfg(stages=[{**STAGE, "data": {"split": "exam"}}]), "stages.0.data.split", "exam seeds are reserved"),
    (cfg(stages=[{**STAGE, "trainer": "grpo", "data": {"kind": "captions"}}]), "stages.0", "use trainer sft"),
    (cfg(stages=[{**STAGE, "trainer": "grpo", "batch_size": 4, "num_generations": 3}]), "stages.0", "multiple of"),
    (cfg(stages=[{**STAGE, "data": {"curriculum": "targeted"}}]), "stages.0", "needs trainer grpo"),
    (cfg(stages=[{**STAGE, "stepz": 3}]), "stages.0.stepz", "Extra inputs"),
    (cfg(stages=[{**STAGE, "trainable": {"eyes": 1e-3}}]), "stages.0.trainable.eyes", "vision"),
    ({k: v for k, v in cfg().items() if k != "model"}, "model", "--model PATH"),
])
def test_bad_config_is_one_line_naming_the_field(data, field, words):
    with pytest.raises(SnellenError) as err:
        parse_config(data, "my.yaml")
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(f"my.yaml: {field}: "), msg
    assert words in msg


def test_unknown_preset_and_missing_file(tmp_path):
    with pytest.raises(SnellenError, match="unknown training config 'perception-frist'"):
        load_config("perception-frist")
    with pytest.raises(SnellenError, match="does not exist"):
        load_config(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(SnellenError, match="malformed YAML"):
        load_config(bad)


def test_model_override_replaces_the_config_model(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    c = load_config("merged", model_path=str(tmp_path))
    assert c.model.path == str(tmp_path) and c.model.build is None


def test_advice_flags_a_frozen_random_llm(tmp_path):
    from snellen.train.config import advice

    assert any("randomly initialised LLM" in a for a in advice(load_config("llava-align")))
    assert advice(load_config("llava-align-unfrozen")) == []
    (tmp_path / "config.json").write_text("{}")
    assert advice(load_config("llava-align", model_path=str(tmp_path))) == []  # a user's pretrained model
