"""Named groups resolve on every supported VLM layout; freezing is exact through real TRL steps."""

from __future__ import annotations

import json

import pytest

from snellen.schema import SnellenError
from snellen.train.freezing import apply_freezing, assert_table, fingerprint, parameter_groups, parameter_table

torch = pytest.importorskip("torch")
tf = pytest.importorskip("transformers")

V = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2, image_size=32, patch_size=16)
T = dict(vocab_size=300, hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
         num_key_value_heads=1, bos_token_id=1, eos_token_id=2, pad_token_id=0)
ROPE = {"rope_type": "default", "mrope_section": [2, 3, 3], "rope_theta": 10000.0}


def configs():
    siglip = dict(model_type="siglip_vision_model", **V)
    return {
        "llava": lambda: tf.LlavaConfig(vision_config=dict(model_type="clip_vision_model", **V), text_config=dict(model_type="llama", **T)),
        "idefics3": lambda: tf.Idefics3Config(vision_config=V, text_config=dict(model_type="llama", **T)),
        "smolvlm": lambda: tf.SmolVLMConfig(vision_config=V, text_config=dict(model_type="llama", **T)),
        "paligemma": lambda: tf.PaliGemmaConfig(vision_config=siglip, text_config=dict(model_type="gemma", head_dim=16, **T)),
        "gemma3": lambda: tf.Gemma3Config(vision_config=siglip, text_config=dict(model_type="gemma3_text", head_dim=16, **T), mm_tokens_per_image=4),
        "qwen2_vl": lambda: tf.Qwen2VLConfig(vision_config=dict(depth=1, embed_dim=32, hidden_size=32, num_heads=2),
                                             text_config=dict(**T, rope_parameters=ROPE)),
        "qwen2_5_vl": lambda: tf.Qwen2_5_VLConfig(vision_config=dict(depth=1, hidden_size=32, intermediate_size=64, num_heads=2,
                                                                      out_hidden_size=32, fullatt_block_indexes=[0]),
                                                  text_config=dict(**T, rope_parameters=ROPE)),
    }


@pytest.mark.parametrize("arch", list(configs()))
def test_groups_resolve_on_each_layout(arch):
    with torch.device("meta"):
        model = tf.AutoModelForImageTextToText.from_config(configs()[arch]())
    groups = parameter_groups(model)
    names = {g: [n for n, _ in ps] for g, ps in groups.items()}
    assert sum(len(v) for v in names.values()) == len(list(model.named_parameters()))
    assert all(names[g] for g in ("vision", "projector", "llm"))
    tied = model.get_output_embeddings().weight is model.get_input_embeddings().weight
    assert tied or any(n.startswith("lm_head") for n in names["llm"])
    projector = {"qwen2_vl": "merger", "qwen2_5_vl": "merger", "idefics3": "connector", "smolvlm": "connector"}.get(arch, "multi_modal_projector")
    assert all(projector in n for n in names["projector"])
    assert not any("merger" in n for n in names["vision"])
    apply_freezing(model, {"projector": 1e-3})
    rows = parameter_table(model, {"projector": 1e-3})
    assert_table(rows, {"projector": 1e-3})
    assert [r["trainable"] > 0 for r in rows] == [False, True, False]


def test_unknown_layout_is_an_error():
    class Odd(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = torch.nn.Linear(2, 2)

    with pytest.raises(SnellenError, match="cannot place parameter 'encoder.weight'"):
        parameter_groups(Odd())


def test_table_assertion_catches_a_leak(tiny_model):
    model = tf.AutoModelForImageTextToText.from_pretrained(tiny_model)
    apply_freezing(model, {"llm": 1e-3})
    next(model.model.vision_tower.parameters()).requires_grad_(True)  # a leak
    with pytest.raises(SnellenError, match="vision should be frozen"):
        assert_table(parameter_table(model, {"llm": 1e-3}), {"llm": 1e-3})


@pytest.mark.parametrize("trainable", [{"projector": 1e-2}, {"vision": 1e-2, "llm": 1e-2}])
def test_frozen_groups_bit_identical_after_sft_steps(tiny_model, tmp_path, trainable):
    from snellen.train.config import StageSpec
    from snellen.train.trainers import STAGE_FILE, load_model, train_stage

    before = fingerprint(load_model(tiny_model)[0])
    stage = StageSpec(name="s", trainer="sft", trainable=trainable, steps=2, batch_size=2, probe_every=0,
                      data={"tasks": ["letter"]})
    final = train_stage(stage, tiny_model, tmp_path / "s")
    after = fingerprint(load_model(final)[0])
    for g in ("vision", "projector", "llm"):
        assert (before[g] != after[g]) == (g in trainable), g
    record = json.loads((final / STAGE_FILE).read_text())
    assert {r["group"]: r["lr"] for r in record["parameters"]} == {g: trainable.get(g) for g in ("vision", "projector", "llm")}
    assert record["unchanged_trainable_groups"] == []


def test_lora_adapts_only_trainable_groups_and_merges(tiny_model, tmp_path):
    from snellen.train.config import StageSpec
    from snellen.train.trainers import STAGE_FILE, load_model, train_stage

    before = fingerprint(load_model(tiny_model)[0])
    stage = StageSpec(name="lora", trainer="sft", trainable={"llm": 5e-2}, steps=2, batch_size=2, probe_every=0,
                      data={"tasks": ["letter"]}, lora={"r": 4, "alpha": 8, "modules": ["q_proj", "v_proj"]})
    final = train_stage(stage, tiny_model, tmp_path / "s")
    model = load_model(final)[0]
    assert not any("lora_" in n for n, _ in model.named_parameters())  # merged: a plain model again
    after = fingerprint(model)
    assert after["vision"] == before["vision"] and after["projector"] == before["projector"]
    assert after["llm"] != before["llm"]
    record = json.loads((final / STAGE_FILE).read_text())
    llm = next(r for r in record["parameters"] if r["group"] == "llm")
    assert 0 < llm["trainable"] < llm["parameters"] // 4  # adapters only
