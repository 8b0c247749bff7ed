"""Hard distractors: each class's nearest other classes under an image-only model's view of the classes.

`Neighbours` holds a class-by-class similarity (higher = more alike), built from any of:
  - class embeddings (C x D: text embeddings of the class names, or class-mean image embeddings) -> cosine;
  - a confusion matrix (C x C counts, row = true class, column = predicted) -> symmetric confusion rate;
  - `pixel_means(dataset, split)`: class-mean images of the raw pixels (a crude image-only model that needs no
    weights; the default for `mc<k>-hard` when no matrix is given, and recorded as such).
Rows are keyed by class id (never by position in a name list). Ties break by class id, so mining is
deterministic. `save`/`load` use .npz files with `class_ids`, `matrix`, `kind`, `source`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from snellen.schema import SnellenError


@dataclass
class Neighbours:
    class_ids: list[str]
    similarity: np.ndarray  # C x C, diagonal ignored
    source: str  # what it was computed from (recorded in every sample it shapes)

    def __post_init__(self) -> None:
        n = len(self.class_ids)
        if self.similarity.shape != (n, n):
            raise SnellenError(f"neighbours ({self.source}): similarity is {self.similarity.shape}, expected {n}x{n}")
        if len(set(self.class_ids)) != n:
            raise SnellenError(f"neighbours ({self.source}): class ids repeat")
        if not np.isfinite(self.similarity).all():
            raise SnellenError(f"neighbours ({self.source}): similarity holds NaN or inf")
        self._row = {c: i for i, c in enumerate(self.class_ids)}

    @classmethod
    def from_embeddings(cls, class_ids, embeddings, source: str = "embeddings") -> Neighbours:
        e = np.asarray(embeddings, dtype=np.float64)
        if e.ndim != 2 or e.shape[0] != len(class_ids):
            raise SnellenError(f"neighbours ({source}): embeddings are {e.shape}, expected ({len(class_ids)}, D)")
        norms = np.linalg.norm(e, axis=1, keepdims=True)
        if (norms == 0).any():
            raise SnellenError(f"neighbours ({source}): class {class_ids[int(np.argmin(norms))]} has a zero embedding")
        u = e / norms
        return cls(list(map(str, class_ids)), u @ u.T, source)

    @classmethod
    def from_confusion(cls, class_ids, confusion, source: str = "confusion") -> Neighbours:
        c = np.asarray(confusion, dtype=np.float64)
        if (c < 0).any():
            raise SnellenError(f"neighbours ({source}): confusion counts must be >= 0")
        rows = c.sum(axis=1, keepdims=True)
        rate = np.divide(c, rows, out=np.zeros_like(c), where=rows > 0)
        return cls(list(map(str, class_ids)), rate + rate.T, source)

    def nearest(self, class_id: str, n: int) -> list[str]:
        """The n classes most similar to `class_id` (most similar first; ties by class id)."""
        if class_id not in self._row:
            raise SnellenError(f"neighbours ({self.source}): no row for class {class_id!r}")
        if n > len(self.class_ids) - 1:
            raise SnellenError(f"neighbours ({self.source}): {n} neighbours asked of {len(self.class_ids)} classes")
        sims = self.similarity[self._row[class_id]]
        order = sorted((c for c in self.class_ids if c != class_id), key=lambda c: (-sims[self._row[c]], c))
        return order[:n]

    def save(self, path: str | Path, kind: str = "similarity") -> None:
        np.savez(path, class_ids=np.array(self.class_ids), matrix=self.similarity, kind=kind, source=self.source)

    @classmethod
    def load(cls, path: str | Path) -> Neighbours:
        """An .npz with `class_ids` and `matrix`; `kind` = embeddings | confusion | similarity (default)."""
        try:
            z = np.load(path, allow_pickle=False)
            ids, mat = [str(c) for c in z["class_ids"]], z["matrix"]
            kind = str(z["kind"]) if "kind" in z else "similarity"
            source = str(z["source"]) if "source" in z else Path(path).name
        except (OSError, ValueError, KeyError) as exc:
            raise SnellenError(f"{path}: not a neighbours file (.npz with class_ids and matrix): {exc}") from None
        if kind == "embeddings":
            return cls.from_embeddings(ids, mat, source)
        if kind == "confusion":
            return cls.from_confusion(ids, mat, source)
        return cls(ids, np.asarray(mat, dtype=np.float64), source)


def pixel_means(dataset, split: str | None = None, per_class: int = 50, size: int = 16) -> Neighbours:
    """Class-mean images (greyscale, resized to size x size) of up to `per_class` images per class."""
    from PIL import Image

    split = split or dataset.train_split or dataset.test_split
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for it in dataset.items(split):
        if counts.get(it.class_id, 0) >= per_class:
            continue
        img = Image.fromarray(it.pixels()).convert("L").resize((size, size), Image.BILINEAR)
        v = np.asarray(img, dtype=np.float64).ravel() / 255.0
        sums[it.class_id] = sums.get(it.class_id, 0) + v
        counts[it.class_id] = counts.get(it.class_id, 0) + 1
    ids = [c for c in dataset.classes if c in sums]
    if len(ids) < len(dataset.classes):
        missing = [c for c in dataset.classes if c not in sums][:5]
        raise SnellenError(f"{dataset.name}: split {split!r} has no images of class(es) {missing}: cannot mine pixel neighbours")
    means = np.stack([sums[c] / counts[c] for c in ids])
    means -= means.mean(axis=0, keepdims=True)  # centre, so cosine compares what differs between classes
    return Neighbours.from_embeddings(ids, means, f"pixel-means:{split}:{per_class}x{size}px")
