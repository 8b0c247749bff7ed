"""IDX files (MNIST family): `{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]`, as Debian's
dataset-fashion-mnist installs them (gzipped) or as torchvision unpacks them.

Big-endian header: magic 0x0000<dtype><ndim>, then one uint32 per dimension; uint8 data follows. Classes are
the IDX label values; their names come from the README (there is no names file), so the layout is recognised
as Fashion-MNIST only when the label values and image shape fit it; otherwise names are the label values.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from snellen.data.finegrained.base import DatasetLayoutError, FineGrainedDataset, Item

DEFAULT_ROOT = Path("/usr/share/datasets/fashion-mnist")
FASHION = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
SPLITS = {"train": "train", "test": "t10k"}


def _file(root: Path, prefix: str, kind: str) -> Path | None:
    for name in (f"{prefix}-{kind}-ubyte.gz", f"{prefix}-{kind}-ubyte", f"{prefix}-{kind}.gz", f"{prefix}-{kind}"):
        if (root / name).is_file():
            return root / name
    return None


def detect(root: Path) -> bool:
    return root.is_dir() and _file(root, "t10k", "labels-idx1") is not None and _file(root, "t10k", "images-idx3") is not None


def read_idx(path: Path, ndim: int) -> np.ndarray:
    try:
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise DatasetLayoutError(f"{path}: cannot be read ({exc})") from None
    if len(raw) < 4 + 4 * ndim or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08 or raw[3] != ndim:
        raise DatasetLayoutError(f"{path}: not an IDX uint8 file with {ndim} dimension(s) (bad magic)")
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    start = 4 + 4 * ndim
    need = int(np.prod(dims))
    if len(raw) - start != need:
        raise DatasetLayoutError(f"{path}: header says {dims} ({need} bytes) but holds {len(raw) - start} bytes")
    return np.frombuffer(raw, dtype=np.uint8, offset=start).reshape(dims)


def load(root: Path) -> FineGrainedDataset:
    root = Path(root)
    splits: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for split, prefix in SPLITS.items():
        lf, imf = _file(root, prefix, "labels-idx1"), _file(root, prefix, "images-idx3")
        if lf is None and imf is None and split == "train":
            continue
        if lf is None or imf is None:
            missing = f"{prefix}-labels-idx1-ubyte[.gz]" if lf is None else f"{prefix}-images-idx3-ubyte[.gz]"
            raise DatasetLayoutError(f"{root / missing}: missing (the IDX layout needs it)")
        labels, images = read_idx(lf, 1), read_idx(imf, 3)
        if len(labels) != len(images):
            raise DatasetLayoutError(f"{lf}: {len(labels)} labels for {len(images)} images in {imf.name}")
        splits[split] = (labels, images)
    values = sorted({int(v) for lab, _ in splits.values() for v in np.unique(lab)})
    fashion = values == list(range(10)) and all(im.shape[1:] == (28, 28) for _, im in splits.values())
    classes = {str(v): (FASHION[v] if fashion else str(v)) for v in values}
    synonyms = {}
    if fashion:  # a slash names two garments; each alone is a right open-ended answer
        synonyms = {"0": ("T-shirt", "top", "tee", "t shirt"), "9": ("boot",)}
    items = {}
    for split, (labels, images) in splits.items():
        name = _file(root, SPLITS[split], "images-idx3")
        items[split] = [Item(f"{split}-{i:05d}", str(int(labels[i])), (lambda a=images, i=i: a[i]), f"{name} image {i}")
                        for i in range(len(labels))]
    return FineGrainedDataset(
        name="fashion-mnist" if fashion else "idx", layout="idx", root=str(root),
        domain="clothing item" if fashion else "category", classes=classes, splits=items, synonyms=synonyms,
        train_split="train" if "train" in items else None, test_split="test")
