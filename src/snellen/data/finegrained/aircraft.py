"""FGVC-Aircraft 2013b (`data/` folder): `variants.txt` (one variant per line; the class ids),
`images_variant_<split>.txt` (`<7-digit id> <variant>`, the variant may hold spaces and slashes: split on
the first space only), images at `images/<id>.jpg`. The benchmark level is `variant` (100 classes)."""

from __future__ import annotations

from pathlib import Path

from snellen.data.finegrained.base import FineGrainedDataset, id_and_rest, image_item, known_class, read_ids, read_lines

SPLITS = ("train", "val", "trainval", "test")  # test is required, the others are read where present


def _data(root: Path) -> Path:
    return root / "data" if (root / "data" / "variants.txt").is_file() else root


def detect(root: Path) -> bool:
    d = _data(root)
    return (d / "variants.txt").is_file() and (d / "images_variant_test.txt").is_file()


def load(root: Path) -> FineGrainedDataset:
    root = _data(Path(root))
    variants = root / "variants.txt"
    classes = {v: v for v in read_ids(variants)}
    splits = {}
    for split in SPLITS:
        path = root / f"images_variant_{split}.txt"
        if split != "test" and not path.is_file():
            continue
        items = []
        for n, line in read_lines(path):
            where = f"{path}:{n}"
            image_id, variant = id_and_rest(line, where, "<image id> <variant>")
            known_class(variant, classes, where, variants, "variant")
            items.append(image_item(root / "images", f"{image_id}.jpg", image_id, variant, where))
        splits[split] = items
    return FineGrainedDataset(name="fgvc-aircraft", layout="fgvc-aircraft", root=str(root), domain="aircraft variant",
                              classes=classes, splits=splits, train_split="train" if "train" in splits else None,
                              val_split="val" if "val" in splits else None, test_split="test",
                              notes={"banner": "images carry a ~20 px info banner at the bottom; not cropped"})
