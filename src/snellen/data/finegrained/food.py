"""Food-101: `meta/classes.txt` (snake_case class ids), `meta/labels.txt` (readable names in the same order),
`meta/{train,test}.txt` (`<class>/<id>` per line) or `meta/{train,test}.json`, images at
`images/<class>/<id>.jpg`. Classes are keyed by the snake_case id, so the two published class orders
(classes.txt vs sorted, which swap cheesecake/cheese_plate) cannot mislabel anything."""

from __future__ import annotations

import json
from pathlib import Path

from snellen.data.finegrained.base import DatasetLayoutError, FineGrainedDataset, image_item, known_class, read_ids, read_lines

SPLITS = ("train", "test")


def detect(root: Path) -> bool:
    meta = root / "meta"
    return (meta / "classes.txt").is_file() and ((meta / "test.txt").is_file() or (meta / "test.json").is_file())


def _names(labels: Path, ids: list[str]) -> list[str]:
    """Readable names, in classes.txt's order, from labels.txt (else the ids, capitalised)."""
    if not labels.is_file():
        return [c.replace("_", " ").capitalize() for c in ids]
    names = [line.strip() for _, line in read_lines(labels)]
    if len(names) < len(ids):
        raise DatasetLayoutError(f"{labels}: {len(names)} names for {len(ids)} classes in classes.txt")
    return names[: len(ids)]  # a known copy appends a stray line


def _entries(meta: Path, split: str) -> list[tuple[str, str]]:
    """(`<class>/<id>`, where) for the split, from the .txt list or else the .json dict."""
    txt, js = meta / f"{split}.txt", meta / f"{split}.json"
    if txt.is_file():
        return [(line.strip(), f"{txt}:{n}") for n, line in read_lines(txt)]
    if not js.is_file():
        raise DatasetLayoutError(f"{txt}: missing (neither {split}.txt nor {split}.json)")
    try:
        data = json.loads(js.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DatasetLayoutError(f"{js}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise DatasetLayoutError(f"{js}: expected {{class: [\"class/id\", ...]}}")
    return [(e, f"{js} [{c!r}]") for c, lst in data.items() for e in lst]


def load(root: Path) -> FineGrainedDataset:
    root = Path(root)
    meta = root / "meta"
    ids = read_ids(meta / "classes.txt")
    classes = dict(zip(ids, _names(meta / "labels.txt", ids)))
    splits = {}
    for split in SPLITS:
        items = []
        for entry, where in _entries(meta, split):
            cid, slash, stem = entry.partition("/")
            if not slash or not stem:
                raise DatasetLayoutError(f"{where}: expected '<class>/<id>', got {entry!r}")
            known_class(cid, classes, where, meta / "classes.txt")
            items.append(image_item(root / "images", f"{entry}.jpg", entry, cid, where))
        splits[split] = items
    synonyms = {c: (c.replace("_", " "),) for c in ids}
    return FineGrainedDataset(name="food101", layout="food101", root=str(root), domain="dish", classes=classes,
                              splits=splits, synonyms=synonyms, train_split="train", test_split="test")
