"""Tiny random models of the VLM families people run, built offline from config (no hub, no torchvision).

Each folder looks like a `save_pretrained` checkpoint: config.json, model.safetensors, a locally trained
tokenizer with the family's special tokens, the family's real image processor at its real sizes (that is
what the effective-px tests measure), and a chat template. Vision and text towers are a few thousand
parameters wide; only the image geometry is real.

    python tests/models/tiny_vlms.py qwen2_vl /tmp/tiny-qwen2-vl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Text the tokenizers are fitted on: prompts and answers in the shapes snellen sends and expects.
CORPUS = [
    "What letter is shown in the image? Answer with JSON like {\"letter\": \"K\"}.",
    "Which digit is shown? How many red circles are there? Is the star left of the square?",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9",
    "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z yes no top-left bottom-right",
    "circle square triangle star hexagon pentagon cross heart red green blue orange purple",
    "USER: ASSISTANT: SYSTEM: The answer is {\"shape\": \"star\"} {\"digit\": \"7\"}",
]

# One user turn: the image placeholder first, then the text (each family's own image placeholder).
def _template(image: str, user: str = "USER: ", assistant: str = "ASSISTANT:") -> str:
    return (
        "{% for message in messages %}"
        "{% if message['role'] == 'system' %}SYSTEM: {% elif message['role'] == 'user' %}" + user
        + "{% else %}" + assistant + " {% endif %}"
        "{% for item in message['content'] %}"
        "{% if item['type'] == 'image' %}" + image + "{% elif item['type'] == 'text' %}{{ item['text'] }}{% endif %}"
        "{% endfor %}{{ '\\n' }}{% endfor %}"
        "{% if add_generation_prompt %}" + assistant + "{% endif %}"
    )


def tokenizer(specials: list[str], extra: dict[str, str] | None = None, vocab_size: int = 400):
    """A byte-level BPE tokenizer trained on a few sentences, with the family's special tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    base = ["<pad>", "<s>", "</s>", "<unk>"]
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=base + specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(CORPUS * 4, trainer=trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
                                   pad_token="<pad>", extra_special_tokens=extra or {}, padding_side="left")


def _text(T, tok, hidden: int = 32, layers: int = 1, **kw):
    return dict(vocab_size=len(tok), hidden_size=hidden, intermediate_size=hidden * 2, num_hidden_layers=layers,
                num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=8192,
                pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, **kw)


def _save(model, processor, tok, out: Path, processor_kwargs: dict | None = None) -> Path:
    model.generation_config.pad_token_id = tok.pad_token_id
    model.generation_config.eos_token_id = tok.eos_token_id
    model.save_pretrained(out)
    if getattr(processor, "video_processor", "absent") is None:
        # What save_pretrained writes, without the video processor it cannot save.
        processor.image_processor.save_pretrained(out)
        tok.save_pretrained(out)
        (out / "chat_template.jinja").write_text(processor.chat_template)
        config = {"processor_class": type(processor).__name__, **(processor_kwargs or {})}
        (out / "processor_config.json").write_text(json.dumps(config))
        pre = json.loads((out / "preprocessor_config.json").read_text())
        (out / "preprocessor_config.json").write_text(json.dumps({**pre, "processor_class": type(processor).__name__}))
    else:
        processor.save_pretrained(out)
    return out


def _image_only(cls):
    """The processor class without a video processor (whose construction needs torchvision)."""
    class ImageOnly(cls):
        def check_argument_for_proper_class(self, name, arg):
            if name == "video_processor" and arg is None:
                return None
            return super().check_argument_for_proper_class(name, arg)

    ImageOnly.__name__ = ImageOnly.__qualname__ = cls.__name__
    return ImageOnly


def build_qwen2_vl(out: Path, version: str = "2") -> Path:
    import transformers as T

    tok = tokenizer(["<|vision_start|>", "<|vision_end|>", "<|image_pad|>", "<|video_pad|>"],
                    {"image_token": "<|image_pad|>", "video_token": "<|video_pad|>", "vision_start_token": "<|vision_start|>",
                     "vision_end_token": "<|vision_end|>"})
    ids = {k: tok.convert_tokens_to_ids(v) for k, v in (("image_token_id", "<|image_pad|>"), ("video_token_id", "<|video_pad|>"),
                                                         ("vision_start_token_id", "<|vision_start|>"))}
    if version == "2":
        vision = dict(depth=1, embed_dim=32, hidden_size=32, num_heads=2, mlp_ratio=2, patch_size=14, spatial_merge_size=2,
                      temporal_patch_size=2, in_channels=3)
        config = T.Qwen2VLConfig(vision_config=vision, text_config=_text(T, tok, rope_scaling={"type": "mrope", "mrope_section": [2, 3, 3]}), **ids)
        model = T.Qwen2VLForConditionalGeneration(config)
        proc_cls = T.Qwen2VLProcessor
    else:
        vision = dict(depth=1, hidden_size=32, intermediate_size=64, num_heads=2, out_hidden_size=32, patch_size=14,
                      spatial_merge_size=2, temporal_patch_size=2, window_size=56, fullatt_block_indexes=[0], in_channels=3)
        config = T.Qwen2_5_VLConfig(vision_config=vision, text_config=_text(T, tok, rope_scaling={"type": "mrope", "mrope_section": [2, 3, 3]}), **ids)
        model = T.Qwen2_5_VLForConditionalGeneration(config)
        proc_cls = T.Qwen2_5_VLProcessor
    # Qwen2-VL's published defaults: min_pixels 56*56, max_pixels 28*28*1280.
    ip = T.Qwen2VLImageProcessorPil(min_pixels=3136, max_pixels=1003520, patch_size=14, merge_size=2, temporal_patch_size=2)
    processor = _image_only(proc_cls)(image_processor=ip, tokenizer=tok, video_processor=None,
                                      chat_template=_template("<|vision_start|><|image_pad|><|vision_end|>"))
    return _save(model.eval(), processor, tok, out)


def build_idefics3(out: Path, smol: bool = False) -> Path:
    import transformers as T

    tok = tokenizer(["<fake_token_around_image>", "<image>", "<global-img>", "<end_of_utterance>"]
                    + [f"<row_{r}_col_{c}>" for r in range(1, 7) for c in range(1, 7)],
                    {"image_token": "<image>"})
    image_id = tok.convert_tokens_to_ids("<image>")
    # Real tile size (364 px) and patch 14 -> 26x26 patches per tile; scale factor 2 -> 169 tokens per tile.
    vision = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2, image_size=364, patch_size=14)
    if smol:
        config = T.SmolVLMConfig(vision_config=vision, text_config=_text(T, tok), image_token_id=image_id, scale_factor=2)
        model, cls, ip = T.SmolVLMForConditionalGeneration(config), _image_only(T.SmolVLMProcessor), T.SmolVLMImageProcessorPil()
        kwargs = {"video_processor": None}
    else:
        config = T.Idefics3Config(vision_config=vision, text_config=_text(T, tok), image_token_id=image_id, scale_factor=2)
        model, cls, ip = T.Idefics3ForConditionalGeneration(config), T.Idefics3Processor, T.Idefics3ImageProcessorPil()
        kwargs = {}
    ip.size, ip.max_image_size = {"longest_edge": 4 * 364}, {"longest_edge": 364}
    processor = cls(image_processor=ip, tokenizer=tok, image_seq_len=169, chat_template=_template("<image>"), **kwargs)
    return _save(model.eval(), processor, tok, out, {"image_seq_len": 169})


def build_llava_onevision(out: Path) -> Path:
    import transformers as T

    tok = tokenizer(["<image>", "<video>"], {"image_token": "<image>", "video_token": "<video>"})
    # Real 384 px tiles and anyres_max_9 pinpoints; a coarse patch (48 px -> 8x8 tokens per tile) keeps it small.
    vision = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2, image_size=384, patch_size=48)
    ip = T.LlavaOnevisionImageProcessorPil()
    config = T.LlavaOnevisionConfig(vision_config={"model_type": "siglip_vision_model", **vision}, text_config={"model_type": "qwen2", **_text(T, tok)},
                                    image_token_index=tok.convert_tokens_to_ids("<image>"), video_token_index=tok.convert_tokens_to_ids("<video>"),
                                    image_grid_pinpoints=ip.image_grid_pinpoints, vision_feature_select_strategy="full",
                                    vision_feature_layer=-1, vision_aspect_ratio="anyres_max_9")
    model = T.LlavaOnevisionForConditionalGeneration(config)
    processor = _image_only(T.LlavaOnevisionProcessor)(image_processor=ip, tokenizer=tok, video_processor=None,
                                                       num_image_tokens=64, vision_feature_select_strategy="full",
                                                       vision_aspect_ratio="anyres_max_9", chat_template=_template("<image>\n"))
    return _save(model.eval(), processor, tok, out, {"num_image_tokens": 64, "vision_feature_select_strategy": "full",
                                                      "vision_aspect_ratio": "anyres_max_9"})


def build_gemma3(out: Path) -> Path:
    import transformers as T

    tok = tokenizer(["<start_of_image>", "<image_soft_token>", "<end_of_image>"],
                    {"boi_token": "<start_of_image>", "image_token": "<image_soft_token>", "eoi_token": "<end_of_image>"})
    # Real 896 px input; a coarse patch (112 px -> 8x8 patches, pooled to 4x4 = 16 tokens) keeps it small.
    vision = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2, image_size=896, patch_size=112)
    config = T.Gemma3Config(vision_config=vision, text_config=_text(T, tok, head_dim=16, sliding_window=64),
                            mm_tokens_per_image=16, boi_token_index=tok.convert_tokens_to_ids("<start_of_image>"),
                            eoi_token_index=tok.convert_tokens_to_ids("<end_of_image>"),
                            image_token_index=tok.convert_tokens_to_ids("<image_soft_token>"))
    model = T.Gemma3ForConditionalGeneration(config)
    ip = T.Gemma3ImageProcessorPil(size={"height": 896, "width": 896}, do_pan_and_scan=True)
    processor = T.Gemma3Processor(image_processor=ip, tokenizer=tok, image_seq_length=16, chat_template=_template("<start_of_image>"))
    return _save(model.eval(), processor, tok, out)


def build_paligemma(out: Path) -> Path:
    import transformers as T

    tok = tokenizer(["<image>"], {"image_token": "<image>"})
    vision = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2, image_size=224, patch_size=28,
                  projection_dim=32)
    config = T.PaliGemmaConfig(vision_config=vision, text_config={"model_type": "gemma", **_text(T, tok, head_dim=16)},
                               image_token_index=tok.convert_tokens_to_ids("<image>"), projection_dim=32)
    model = T.PaliGemmaForConditionalGeneration(config)
    ip = T.SiglipImageProcessorPil(size={"height": 224, "width": 224})
    ip.image_seq_length = 64
    processor = T.PaliGemmaProcessor(image_processor=ip, tokenizer=tok, chat_template=_template(""))
    return _save(model.eval(), processor, tok, out)


BUILDERS = {
    "qwen2_vl": build_qwen2_vl,
    "qwen2_5_vl": lambda out: build_qwen2_vl(out, version="2.5"),
    "idefics3": build_idefics3,
    "smolvlm": lambda out: build_idefics3(out, smol=True),
    "llava_onevision": build_llava_onevision,
    "gemma3": build_gemma3,
    "paligemma": build_paligemma,
}


def build_clip(out: Path) -> Path:
    """A random CLIP (text and vision towers) with a locally trained tokenizer and CLIP's own normalisation:
    what `clip:PATH` and `probe:clip:PATH` load from a folder."""
    import torch
    import transformers

    tok = tokenizer([])
    cfg = transformers.CLIPConfig(
        text_config=dict(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                         num_attention_heads=2, max_position_embeddings=64, bos_token_id=tok.bos_token_id,
                         eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id),
        vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                           image_size=32, patch_size=8),
        projection_dim=16)
    torch.manual_seed(0)
    out.mkdir(parents=True, exist_ok=True)
    transformers.CLIPModel(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    (out / "preprocessor_config.json").write_text(json.dumps(
        {"size": {"shortest_edge": 32}, "crop_size": {"height": 32, "width": 32},
         "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711]}))
    return out


def build(family: str, out: str | Path) -> Path:
    import torch

    torch.manual_seed(0)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return BUILDERS[family](out)


if __name__ == "__main__":
    print(build(sys.argv[1], sys.argv[2]))
