"""CUB-200-2011: `images.txt` (`<image_id> <relative path>`), `image_class_labels.txt` (`<image_id>
<class_id>`), `train_test_split.txt` (`<image_id> <1 train | 0 test>`), `classes.txt` (`<class_id>
<NNN.Class_Name>`), images under `images/`. Joined on image_id, never on line number; paths come from
images.txt (directory and file capitalisation differ). Names: `001.Black_footed_Albatross` ->
`Black footed Albatross`."""

from __future__ import annotations

import re
from pathlib import Path

from snellen.data.finegrained.base import DatasetLayoutError, FineGrainedDataset, Item, id_and_rest, image_item, int_field, read_lines

FILES = ("images.txt", "image_class_labels.txt", "train_test_split.txt", "classes.txt")


def detect(root: Path) -> bool:
    return all((root / f).is_file() for f in FILES)


def _table(path: Path) -> dict[str, tuple[str, str]]:
    """First column -> (rest of the line, where)."""
    out = {}
    for n, line in read_lines(path):
        where = f"{path}:{n}"
        key, rest = id_and_rest(line, where, "<id> <value>")
        if key in out:
            raise DatasetLayoutError(f"{where}: id {key} repeats {out[key][1]}")
        out[key] = (rest, where)
    return out


def load(root: Path) -> FineGrainedDataset:
    root = Path(root)
    images, labels, split_of, raw = (_table(root / f) for f in FILES)
    classes = {}
    for cid, (name, where) in raw.items():
        int_field(cid, where, "class id")
        classes[cid] = re.sub(r"^\d+\.", "", name).replace("_", " ")
    splits: dict[str, list[Item]] = {"train": [], "test": []}
    for image_id, (rel, where) in images.items():
        if image_id not in labels:
            raise DatasetLayoutError(f"{where}: image id {image_id} has no line in {root / 'image_class_labels.txt'}")
        if image_id not in split_of:
            raise DatasetLayoutError(f"{where}: image id {image_id} has no line in {root / 'train_test_split.txt'}")
        flag, fwhere = split_of[image_id]
        if flag not in ("0", "1"):
            raise DatasetLayoutError(f"{fwhere}: is_training_image must be 0 or 1, got {flag!r}")
        splits["train" if flag == "1" else "test"].append(image_item(root / "images", rel, image_id, labels[image_id][0], where))
    return FineGrainedDataset(name="cub200", layout="cub200", root=str(root), domain="bird species", classes=classes,
                              splits=splits, train_split="train", test_split="test",
                              synonyms={c: (n.lower(),) for c, n in classes.items()})
