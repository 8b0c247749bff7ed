"""FGVC-Aircraft 2013b (`data/` folder): `variants.txt` (one variant per line; the class ids),
`images_variant_<split>.txt` (`<7-digit id> <variant>`, the variant may hold spaces and slashes: split on
the first space only), images at `images/<id>.jpg`. The benchmark level is `variant` (100 classes)."""

from __future__ import annotations

from pathlib import Path

from snellen.data.finegrained.base import DatasetLayoutError, FineGrainedDataset, Item, file_reader, image_file, read_lines

SPLITS = ("train", "val", "trainval", "test")


def _data(root: Path) -> Path:
    return root / "data" if (root / "data" / "variants.txt").is_file() else root


def detect(root: Path) -> bool:
    d = _data(root)
    return (d / "variants.txt").is_file() and (d / "images_variant_test.txt").is_file()


def load(root: Path) -> FineGrainedDataset:
    d = _data(Path(root))
    variants = [line.strip() for _, line in read_lines(d / "variants.txt")]
    classes = {v: v for v in variants}
    splits = {}
    for split in SPLITS:
        path = d / f"images_variant_{split}.txt"
        if not path.is_file():
            continue
        items = []
        for n, line in read_lines(path):
            where = f"{path}:{n}"
            image_id, sep, variant = line.strip().partition(" ")
            if not sep or not variant:
                raise DatasetLayoutError(f"{where}: expected '<image id> <variant>', got {line!r}")
            if variant not in classes:
                raise DatasetLayoutError(f"{where}: variant {variant!r} is not in {d / 'variants.txt'}")
            img = image_file(d / "images", f"{image_id}.jpg", where)
            items.append(Item(image_id, variant, file_reader(img), str(img)))
        splits[split] = items
    if "test" not in splits:
        raise DatasetLayoutError(f"{d / 'images_variant_test.txt'}: missing")
    return FineGrainedDataset(name="fgvc-aircraft", layout="fgvc-aircraft", root=str(d), domain="aircraft variant",
                              classes=classes, splits=splits, train_split="train" if "train" in splits else None,
                              val_split="val" if "val" in splits else None, test_split="test",
                              notes={"banner": "images carry a ~20 px info banner at the bottom; not cropped"})
