"""Build a tiny, randomly initialised LLaVA-style model folder offline (no hub, no torchvision).

The folder looks like any `save_pretrained` checkpoint (config.json, model.safetensors, tokenizer,
processor with a chat template), so the `hf:` backend loads it by path exactly as it would a real model.
Its answers are noise: it exists to test plumbing (batching, padding, resizing, hashing, token counts)
and to measure the harness's overhead around `generate`.

    python tests/models/tiny_llava.py /tmp/tiny-llava            # ~0.4M params, 224 px encoder
    python tests/models/tiny_llava.py /tmp/small-llava --size small
"""

from __future__ import annotations

import argparse
from pathlib import Path

# A chat template in the LLaVA-1.5 style: image placeholder first, then the text; optional system turn.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}SYSTEM: "
    "{% elif message['role'] == 'user' %}USER: "
    "{% else %}ASSISTANT: {% endif %}"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for item in message['content'] %}"
    "{% if item['type'] == 'image' %}<image>{{ '\\n' }}"
    "{% elif item['type'] == 'text' %}{{ item['text'] }}{% endif %}"
    "{% endfor %}{% endif %}{{ '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}ASSISTANT:{% endif %}"
)

CORPUS = [
    "What letter is shown in the image? Answer with JSON like {\"letter\": \"K\"}.",
    "Which digit is shown? How many red circles are there? Is the star left of the square?",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9",
    "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z yes no top-left bottom-right",
    "circle square triangle star hexagon pentagon cross heart red green blue orange purple",
    "USER: ASSISTANT: SYSTEM: The answer is {\"shape\": \"star\"} {\"digit\": \"7\"}",
]

SIZES = {
    # name: (vision hidden, vision layers, text hidden, text layers, vocab)
    "tiny": dict(v_hidden=64, v_layers=2, t_hidden=64, t_layers=2, vocab=400),
    "small": dict(v_hidden=256, v_layers=4, t_hidden=256, t_layers=4, vocab=2000),
}


def build_tokenizer(vocab_size: int = 400):
    """A byte-level BPE tokenizer trained on a few sentences, with LLaVA's special tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<pad>", "<s>", "</s>", "<unk>", "<image>"]
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tok.train_from_iterator(CORPUS * 4, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>",
        extra_special_tokens={"image_token": "<image>"}, padding_side="left",
    )


def build_tiny_llava(out: str | Path, size: str = "tiny", image_size: int = 224, patch_size: int = 32,
                     seed: int = 0) -> Path:
    """Write a random LLaVA (CLIP vision + Llama text) with tokenizer and processor to `out`; return it.

    The CLIP image processor resizes the shortest edge to `image_size` and centre-crops to it, so a
    448 px probe reaches the encoder at 224 px (ratio 0.5), as with many real LLaVA checkpoints.
    """
    import torch
    from transformers import (
        CLIPImageProcessorPil,
        CLIPVisionConfig,
        LlamaConfig,
        LlavaConfig,
        LlavaForConditionalGeneration,
        LlavaProcessor,
    )

    dims = SIZES[size]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tokenizer(dims["vocab"])
    vocab = len(tokenizer)
    image_token_id = tokenizer.convert_tokens_to_ids("<image>")

    vision = CLIPVisionConfig(
        hidden_size=dims["v_hidden"], intermediate_size=dims["v_hidden"] * 2, num_hidden_layers=dims["v_layers"],
        num_attention_heads=4, image_size=image_size, patch_size=patch_size, projection_dim=dims["v_hidden"],
    )
    text = LlamaConfig(
        vocab_size=vocab, hidden_size=dims["t_hidden"], intermediate_size=dims["t_hidden"] * 2,
        num_hidden_layers=dims["t_layers"], num_attention_heads=4, num_key_value_heads=2,
        max_position_embeddings=512, pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id, tie_word_embeddings=False,
    )
    config = LlavaConfig(
        vision_config=vision, text_config=text, image_token_id=image_token_id,
        vision_feature_select_strategy="default", vision_feature_layer=-2,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = LlavaForConditionalGeneration(config).eval()
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.bos_token_id = tokenizer.bos_token_id
    model.save_pretrained(out)

    image_processor = CLIPImageProcessorPil(
        size={"shortest_edge": image_size}, crop_size={"height": image_size, "width": image_size},
        do_center_crop=True, do_resize=True,
    )
    processor = LlavaProcessor(
        image_processor=image_processor, tokenizer=tokenizer, patch_size=patch_size,
        vision_feature_select_strategy="default", num_additional_image_tokens=1, chat_template=CHAT_TEMPLATE,
    )
    processor.save_pretrained(out)
    return out


def parameter_count(path: str | Path) -> int:
    from transformers import AutoModelForImageTextToText

    model = AutoModelForImageTextToText.from_pretrained(path)
    return sum(p.numel() for p in model.parameters())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    path = build_tiny_llava(args.out, size=args.size, seed=args.seed)
    print(f"{path}: {parameter_count(path):,} parameters")


if __name__ == "__main__":
    main()
