"""A tiny, randomly initialised LLaVA-style model folder for the hf-backend tests, built offline by the product's
builder (`snellen.train.model_builder`): there is one LLaVA builder, and these are two fixed specs of it.

The folder looks like any `save_pretrained` checkpoint (config.json, model.safetensors, tokenizer, processor
with a chat template), so the `hf:` backend loads it by path exactly as it would a real model. Its answers are
noise: it exists to test plumbing (batching, padding, resizing, hashing, token counts) and to measure the
harness's overhead around `generate`. The processor resizes the shortest edge and centre-crops (LLaVA-1.5's
CLIP processor), so a 448 px probe reaches the encoder at 224 px (ratio 0.5), as with many real checkpoints.

    python tests/models/tiny_llava.py /tmp/tiny-llava            # 224 px encoder, 64-wide towers
    python tests/models/tiny_llava.py /tmp/small-llava --size small
"""

from __future__ import annotations

import argparse
from pathlib import Path

SIZES = {
    # name: tower widths, depths and the tokenizer's vocabulary
    "tiny": dict(hidden=64, layers=2, vocab=400),
    "small": dict(hidden=256, layers=4, vocab=2000),
}


def tiny_llava_spec(size: str = "tiny", image_size: int = 224, patch_size: int = 32, seed: int = 0):
    from snellen.train.model_builder import BuildSpec, TextSpec, VisionSpec

    d = SIZES[size]
    return BuildSpec(
        vision=VisionSpec(type="clip", image_size=image_size, patch_size=patch_size, hidden_size=d["hidden"],
                          layers=d["layers"], resize="shortest_edge"),
        text=TextSpec(type="llama", hidden_size=d["hidden"], layers=d["layers"], vocab_size=d["vocab"]),
        seed=seed)


def build_tiny_llava(out: str | Path, size: str = "tiny", image_size: int = 224, patch_size: int = 32,
                     seed: int = 0) -> Path:
    """Write a random LLaVA (CLIP vision + Llama text) with tokenizer and processor to `out`; return it."""
    from snellen.train.model_builder import build_model

    return build_model(tiny_llava_spec(size, image_size, patch_size, seed), out)


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
