"""`clip:PATH` / `siglip:PATH`: zero-shot classification with a local CLIP or SigLIP checkpoint.

Each candidate class name is put into every prompt template (default: "a photo of a {}.", the
VLMClassifier baseline; option `templates` = a '|'-separated list), the text embeddings are averaged
per class and normalised, and the class whose embedding is nearest the image's wins. The answer is in the
sample's own schema (models/choices.py), so the same scorer scores it beside the VLMs on the same images.
Templates, the checkpoint's weights hash and its preprocessing are the identity (the store's cache key).
Never reads the prompt; never downloads (local_files_only). The open-ended fine-grained protocol (no
candidates) is refused by `snellen finegrained` with one line: a contrastive model cannot generate a name,
and answering with its best class out of the dataset's full list would be the closed protocol under
another name.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from snellen.models.base import ErrorInfo, FreeBackend, Request, Response, register_backend
from snellen.models.choices import ANSWER_RULE, choices_of
from snellen.schema import Sample, SnellenError

DEFAULT_TEMPLATES = ("a photo of a {}.",)


class _ZeroShot(FreeBackend):
    reads_prompt = False
    role = "zero-shot"
    kind = "clip"
    open_ended_refusal = ("a contrastive model only ranks the class names it is given and cannot name a class "
                          "unprompted; use --protocol closed (every class listed) or mc<k>")

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(target, options)
        from snellen.models.encoders import HFVision

        if not target:
            raise SnellenError(f"{self.kind}: give the checkpoint folder, e.g. {self.kind}:/models/clip-vit-b-32")
        self.encoder = HFVision(self.kind, target)
        raw = str(self.options.get("templates", "|".join(DEFAULT_TEMPLATES)))
        self.templates = tuple(t for t in raw.split("|") if t.strip())
        if not self.templates or any("{}" not in t for t in self.templates):
            raise SnellenError(f"{self.kind}: every template needs a '{{}}' for the class name, got {raw!r}")
        import transformers as tf

        try:
            self.tokenizer = tf.AutoTokenizer.from_pretrained(self.encoder.path, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise SnellenError(f"{self.spec}: no tokenizer in the checkpoint ({str(exc).splitlines()[0]})") from None
        self._text_cache: dict[tuple[str, ...], np.ndarray] = {}

    def identity(self) -> dict[str, Any]:
        return {"backend": self.kind, "encoder": self.encoder.identity(), "answers": ANSWER_RULE, "templates": list(self.templates),
                "rule": "argmax cosine(image, mean normalised template embedding)",
                **({"text_input": "padded to max length, no attention mask"} if self.kind == "siglip" else {})}

    def transmission(self) -> dict[str, Any]:
        return {"format": "pixels", "resize": self.encoder.preprocessing()}

    def supports(self, sample: Sample) -> bool:
        return choices_of(sample) is not None

    def text_embeddings(self, names: tuple[str, ...]) -> np.ndarray:
        if names not in self._text_cache:
            import torch

            model = self.encoder._clip
            texts = [t.format(n) for n in names for t in self.templates]
            # SigLIP was trained on text padded to its full length (its pooled token is the last one); the
            # length is the tokenizer's, capped by the text model's positions (a tokenizer may not set one)
            positions = getattr(model.config.text_config, "max_position_embeddings", None) or self.tokenizer.model_max_length
            length = min(int(self.tokenizer.model_max_length), int(positions))
            pad = "max_length" if self.kind == "siglip" else True
            tok = self.tokenizer(texts, padding=pad, truncation=True, max_length=length, return_tensors="pt")
            with torch.inference_mode():
                # SigLIP reads its padding too (its processor passes input_ids only); CLIP masks it out
                keys = ("input_ids",) if self.kind == "siglip" else ("input_ids", "attention_mask")
                out = model.get_text_features(**{k: v for k, v in tok.items() if k in keys})
            emb = (out if not hasattr(out, "pooler_output") else out.pooler_output).float().numpy()
            emb /= np.linalg.norm(emb, axis=1, keepdims=True)
            emb = emb.reshape(len(names), len(self.templates), -1).mean(axis=1)
            self._text_cache[names] = emb / np.linalg.norm(emb, axis=1, keepdims=True)
        return self._text_cache[names]

    def answer(self, requests: list[Request]) -> list[Response]:
        images = [r.sample.pixels() for r in requests]
        size = [(int(im.shape[1]), int(im.shape[0])) for im in images]
        feats = self.encoder.embed(images)
        feats /= np.linalg.norm(feats, axis=1, keepdims=True)
        out = []
        for r, f, sz in zip(requests, feats, size):
            ch = choices_of(r.sample)
            if ch is None:
                out.append(Response(text=None, error=ErrorInfo("backend_error", f"{self.kind}: no candidate classes for this sample"), sent_size=sz))
                continue
            scores = self.text_embeddings(ch.names) @ f
            best = int(np.argmax(scores))
            out.append(Response(text=ch.answer_text(best), sent_size=sz, encoder_size=(self.encoder.size, self.encoder.size),
                                raw={"scores": {n: round(float(s), 5) for n, s in zip(ch.names, scores)}}))
        return out


@register_backend("clip")
class ClipZeroShot(_ZeroShot):
    """Spec `clip:PATH` (a transformers CLIPModel folder with its tokenizer)."""

    kind = "clip"


@register_backend("siglip")
class SiglipZeroShot(_ZeroShot):
    """Spec `siglip:PATH` (a transformers SiglipModel folder with its tokenizer)."""

    kind = "siglip"
