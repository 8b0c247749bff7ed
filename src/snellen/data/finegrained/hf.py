"""A Hugging Face dataset on disk with an image column and a label column: `save_to_disk` output
(`dataset_dict.json` or `state.json` + `dataset_info.json` + Arrow files) or Parquet files
(`<split>-NNNNN-of-NNNNN.parquet`, names of ClassLabels in the schema metadata under `huggingface`).

The image column is the one whose feature is `Image`; the label column the `ClassLabel` one (the one named
`label` when there are several). Classes are keyed by the ClassLabel name strings (e.g. `n01440764`, `'1'`),
not by their position in the names list; a plain integer label is keyed by its value."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from snellen.data.finegrained.base import DatasetLayoutError, FineGrainedDataset, Item

_SHARD = re.compile(r"^(?P<split>[A-Za-z0-9_.]+?)(?:-\d{5}-of-\d{5})?\.parquet$")


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DatasetLayoutError(f"{path}: not valid JSON ({exc})") from None


def _parquets(root: Path) -> list[Path]:
    if root.is_file() and root.suffix == ".parquet":
        return [root]
    return sorted(p for p in [*root.glob("*.parquet"), *root.glob("data/*.parquet")] if p.is_file())


def detect(root: Path) -> bool:
    if root.is_dir() and ((root / "dataset_dict.json").is_file() or ((root / "state.json").is_file() and (root / "dataset_info.json").is_file())):
        return True
    return bool(_parquets(root))


def _columns(features: dict, where: str) -> tuple[str, str, list[str] | None]:
    images = [k for k, f in features.items() if isinstance(f, dict) and f.get("_type") == "Image"]
    labels = [k for k, f in features.items() if isinstance(f, dict) and f.get("_type") == "ClassLabel"]
    if not images:
        raise DatasetLayoutError(f"{where}: no Image column (features: {', '.join(features)})")
    if not labels and "label" in features:
        labels = ["label"]
    if len(labels) > 1:
        labels = ["label"] if "label" in labels else labels
    if len(labels) != 1:
        raise DatasetLayoutError(f"{where}: cannot tell the label column ({', '.join(labels) or 'no ClassLabel column'})")
    names = features[labels[0]].get("names") if isinstance(features[labels[0]], dict) else None
    return images[0], labels[0], names


def _table_items(table, features: dict, where: str, base: Path, split: str, classes: dict[str, str]) -> tuple[list[Item], bool]:
    """The split's items (classes gains every class seen or named) and whether the label is a ClassLabel."""
    image_col, label_col, names = _columns(features, where)
    for n in names or ():  # every ClassLabel name is a class, seen in this split or not
        classes.setdefault(str(n), str(n).replace("_", " "))
    labels = table.column(label_col).to_pylist()
    images = table.column(image_col)
    items = []
    for i, lab in enumerate(labels):
        rw = f"{where} row {i}"
        if lab is None or isinstance(lab, bool) or not isinstance(lab, int) or lab < 0:
            raise DatasetLayoutError(f"{rw}: label {lab!r} is not a class (unlabelled split?)")
        if names is not None:
            if lab >= len(names):
                raise DatasetLayoutError(f"{rw}: label {lab} outside the {len(names)} ClassLabel names")
            cid = str(names[lab])
        else:
            cid = str(lab)
        classes.setdefault(cid, cid.replace("_", " "))
        cell = images[i].as_py()
        data = cell.get("bytes") if isinstance(cell, dict) else cell
        ref = cell.get("path") if isinstance(cell, dict) else None
        if data:
            read = lambda data=data: data  # noqa: E731
        elif ref and (Path(ref).is_file() or (base / ref).is_file()):
            file = Path(ref) if Path(ref).is_file() else base / ref
            read = lambda file=file: file.read_bytes()  # noqa: E731
        else:
            raise DatasetLayoutError(f"{rw}: image missing (no bytes{', path ' + str(ref) + ' not found' if ref else ''})")
        items.append(Item(f"{split}/{i}", cid, read, rw))
    return items, names is not None


def load(root: Path) -> FineGrainedDataset:
    root = Path(root)
    classes: dict[str, str] = {}
    splits: dict[str, list[Item]] = {}
    ordered = False  # a ClassLabel gives the class order; plain integer labels are sorted
    if root.is_dir() and ((root / "dataset_dict.json").is_file() or (root / "state.json").is_file()):
        import datasets

        names = _json(root / "dataset_dict.json").get("splits", []) if (root / "dataset_dict.json").is_file() else [None]
        for split in names:
            folder = root / split if split else root
            info = _json(folder / "dataset_info.json")
            try:
                ds = datasets.load_from_disk(str(folder))
            except Exception as exc:  # noqa: BLE001 (datasets raises many kinds; name the folder)
                raise DatasetLayoutError(f"{folder}: cannot read the saved dataset ({type(exc).__name__}: {exc})") from None
            table = ds.with_format("arrow")[0: len(ds)]
            name = split or "train"
            splits[name], named = _table_items(table, info.get("features") or {}, str(folder), folder, name, classes)
            ordered |= named
    else:
        import pyarrow.parquet as pq

        files = _parquets(root)
        if not files:
            raise DatasetLayoutError(f"{root}: no Parquet files and no save_to_disk files")
        for f in files:
            try:
                table = pq.read_table(f)
            except Exception as exc:  # noqa: BLE001
                raise DatasetLayoutError(f"{f}: cannot read Parquet ({exc})") from None
            meta = (table.schema.metadata or {}).get(b"huggingface")
            features = (json.loads(meta).get("info", {}).get("features") if meta else None) or {}
            if not features:  # plain Parquet: an image struct column and an integer `label`
                features = {c: ({"_type": "Image"} if c == "image" else {}) for c in table.column_names}
            m = _SHARD.match(f.name)
            split = m.group("split") if m else f.stem
            items, named = _table_items(table, features, str(f), f.parent, split, classes)
            splits.setdefault(split, []).extend(items)
            ordered |= named
    if not splits:
        raise DatasetLayoutError(f"{root}: the dataset has no splits")
    if not ordered and all(c.isdigit() for c in classes):  # plain ints: numeric order
        classes = {c: classes[c] for c in sorted(classes, key=int)}
    test = next((s for s in ("test", "validation", "val") if s in splits), list(splits)[-1])
    train = "train" if "train" in splits and test != "train" else None
    val = next((s for s in ("validation", "val") if s in splits and s != test), None)
    return FineGrainedDataset(name=root.name, layout="hf", root=str(root), domain="category", classes=classes,
                              splits=splits, train_split=train, val_split=val, test_split=test)
