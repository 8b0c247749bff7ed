"""Frozen features of a set of images, batched, and cached under a content key.

The key is sha256 over the encoder's identity (weights hash, preprocessing, which activation), the split's
name and the images' own content (a digest of every image's shape and bytes, in order), so the same
images through the same encoder are computed once, and any change to weights, preprocessing, split or a
single pixel computes afresh. Per-image digests come back with the features: the linear probe uses them
to prove that no test image is among the training images.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from snellen.schema import SnellenError


def default_cache_dir() -> Path:
    return Path(os.environ.get("SNELLEN_CACHE", Path.home() / ".cache" / "snellen")) / "features"


def image_digests(images: Sequence[np.ndarray]) -> np.ndarray:
    """One 16-byte digest per image (shape + pixels), as an N x 16 uint8 array."""
    out = np.empty((len(images), 16), np.uint8)
    for i, img in enumerate(images):
        a = np.ascontiguousarray(img)
        h = hashlib.blake2b(f"{a.shape}{a.dtype}".encode(), digest_size=16)
        h.update(a.tobytes())
        out[i] = np.frombuffer(h.digest(), np.uint8)
    return out


def feature_key(identity: dict, split: str, digests: np.ndarray) -> str:
    h = hashlib.sha256(json.dumps({"identity": identity, "split": split}, sort_keys=True).encode())
    h.update(np.ascontiguousarray(digests).tobytes())
    return h.hexdigest()[:32]


@dataclass
class Features:
    X: np.ndarray  # N x D float32
    digests: np.ndarray  # N x 16 uint8
    key: str
    cached: bool  # read from the cache rather than computed


def extract(encoder, images: Sequence[np.ndarray], split: str, cache_dir: Path | str | None = None,
            batch_size: int = 64, progress: Callable[[int], None] | None = None) -> Features:
    """Features of `images` (HxWx3 uint8) through `encoder`, from the cache when present.

    cache_dir None: the default cache (SNELLEN_CACHE or ~/.cache/snellen); "" disables caching."""
    digests = image_digests(images)
    key = feature_key(encoder.identity(), split, digests)
    root = None if cache_dir == "" else Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = root / f"{key}.npy" if root is not None else None
    if path is not None and path.is_file():
        try:
            X = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise SnellenError(f"{path}: corrupt feature cache entry ({exc}); delete it to recompute") from None
        if X.shape[0] != len(images):
            raise SnellenError(f"{path}: holds {X.shape[0]} features for {len(images)} images; delete it to recompute")
        if progress:
            progress(len(images))
        return Features(X, digests, key, cached=True)
    parts = []
    for i in range(0, len(images), batch_size):
        batch = list(images[i: i + batch_size])
        parts.append(encoder.embed(batch).astype(np.float32, copy=False))
        if progress:
            progress(len(batch))
    X = np.concatenate(parts) if parts else np.zeros((0, 0), np.float32)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, X)
        os.replace(tmp, path)  # atomic: a killed run never leaves half a cache entry
        path.with_suffix(".json").write_text(json.dumps({"identity": encoder.identity(), "split": split, "n": len(images)}, indent=1))
    return Features(X, digests, key, cached=False)
