"""The fine-grained dataset record every loader returns: classes keyed by stable ids, splits as defined.

A loader reads its layout's own files and returns a `FineGrainedDataset`: `classes` maps each class's stable
id (WNID, the dataset's class id, a folder name) to a human-readable name; `splits` maps each split the
dataset defines (train/val/test, trainval) to its `Item`s. Nothing here depends on name-list positions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from snellen.schema import SnellenError, decode_image


class DatasetLayoutError(SnellenError):
    """A malformed dataset tree: one line naming the file."""


@dataclass(frozen=True)
class Item:
    """One labelled image: a stable key (file stem / image id), its class id, and how to read it."""

    key: str
    class_id: str
    read: Callable[[], bytes | np.ndarray]  # encoded image bytes (any format) or an HxW[x3] uint8 array
    where: str  # what an error names (the file, or file + row)

    def pixels(self) -> np.ndarray:
        """HxWx3 uint8, decoded by content (never by extension), CMYK/greyscale/alpha converted to RGB."""
        try:
            data = self.read()
        except OSError as exc:
            raise DatasetLayoutError(f"{self.where}: cannot be read ({exc})") from None
        if isinstance(data, np.ndarray):
            arr = np.asarray(data, dtype=np.uint8)
            return np.repeat(arr[..., None], 3, axis=2) if arr.ndim == 2 else arr[..., :3]
        return decode_image(data, self.where)


@dataclass
class FineGrainedDataset:
    name: str  # the layout's dataset name, e.g. "flowers102" (recorded, never branched on)
    layout: str  # which loader read it
    root: str
    domain: str  # what a class is, for prompts: "flower", "breed of cat or dog", "category"
    classes: dict[str, str]  # class id -> human-readable name, in the dataset's own class order
    splits: dict[str, list[Item]]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class id -> other accepted names
    train_split: str | None = None  # where a linear probe trains (None: the dataset has no training split)
    val_split: str | None = None
    test_split: str = "test"  # where models are tested
    notes: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for split, items in self.splits.items():
            for it in items:
                if it.class_id not in self.classes:
                    raise DatasetLayoutError(f"{it.where}: class id {it.class_id!r} is not among the {len(self.classes)} classes")
        names = list(self.classes.values())
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            self.notes.setdefault("duplicate_names", dup)

    # -- access ---------------------------------------------------------------------------------------

    def items(self, split: str | None = None) -> list[Item]:
        split = split or self.test_split
        if split not in self.splits:
            raise SnellenError(f"{self.name} has no split {split!r}; its splits are {', '.join(self.splits)}")
        return self.splits[split]

    def images(self, split: str | None = None, limit: int | None = None) -> Iterator[tuple[np.ndarray, str]]:
        """(HxWx3 uint8 image, class id) for every item of `split`, in the split's order."""
        for i, it in enumerate(self.items(split)):
            if limit is not None and i >= limit:
                return
            yield it.pixels(), it.class_id

    def labels(self, split: str | None = None) -> list[str]:
        return [it.class_id for it in self.items(split)]

    def names_of(self, class_ids) -> list[str]:
        return [self.classes[c] for c in class_ids]

    def all_names(self, class_id: str) -> tuple[str, ...]:
        """The class's name and its synonyms (open-ended answers may use any)."""
        return (self.classes[class_id], *self.synonyms.get(class_id, ()))

    def fingerprint(self) -> str:
        """Content key of the class space and split membership (not the pixels): part of sample ids."""
        h = hashlib.sha256(json.dumps([self.name, list(self.classes.items())], ensure_ascii=False).encode())
        for split in sorted(self.splits):
            h.update(split.encode())
            for it in self.splits[split]:
                h.update(f"{it.key}\0{it.class_id}\n".encode())
        return h.hexdigest()[:16]

    def renamed(self, names: dict[str, str], source: str = "names file") -> FineGrainedDataset:
        """The dataset with readable names for (some of) its class ids, e.g. for an HF dataset whose ClassLabel
        names are official ids ('1', '10', ...). Ids it does not have are an error; old names stay synonyms."""
        unknown = sorted(set(names) - set(self.classes))
        if unknown:
            raise SnellenError(f"{source}: class id(s) {unknown[:5]} are not among {self.name}'s {len(self.classes)} classes")
        classes = {c: str(names.get(c, n)).strip() or n for c, n in self.classes.items()}
        if len(set(classes.values())) != len(classes):
            dup = sorted({n for n in classes.values() if list(classes.values()).count(n) > 1})[:3]
            raise SnellenError(f"{source}: names repeat ({', '.join(dup)})")
        synonyms = {c: tuple(dict.fromkeys([*self.synonyms.get(c, ()), *([self.classes[c]] if classes[c] != self.classes[c] else [])]))
                    for c in self.classes}
        return FineGrainedDataset(self.name, self.layout, self.root, self.domain, classes, self.splits,
                                  {c: v for c, v in synonyms.items() if v}, self.train_split, self.val_split,
                                  self.test_split, {**self.notes, "names": source})

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "layout": self.layout, "root": self.root, "classes": len(self.classes),
                "splits": {s: len(v) for s, v in self.splits.items()}, "train_split": self.train_split,
                "val_split": self.val_split, "test_split": self.test_split, "fingerprint": self.fingerprint()}

    def samples(self, split: str | None = None, protocol: str = "mc5", **kw) -> Iterator:
        """Samples of `split` posed under `protocol` (see data/finegrained/protocols.py `pose`)."""
        from snellen.data.finegrained.protocols import pose

        return pose(self, split=split, protocol=protocol, **kw)


# -- helpers shared by the loaders -------------------------------------------------------------------


def need(path: Path) -> Path:
    if not path.is_file():
        raise DatasetLayoutError(f"{path}: missing (the layout needs this file)")
    return path


def read_lines(path: Path) -> list[tuple[int, str]]:
    """Non-empty lines with their 1-based numbers."""
    try:
        text = need(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetLayoutError(f"{path}: not UTF-8 text ({exc.reason})") from None
    return [(n, line.rstrip("\r")) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


def read_ids(path: Path) -> list[str]:
    """A class list: one id per line (it may hold spaces and slashes), each id once."""
    first: dict[str, int] = {}
    for n, line in read_lines(path):
        cid = line.strip()
        if cid in first:
            raise DatasetLayoutError(f"{path}:{n}: {cid!r} repeats line {first[cid]}")
        first[cid] = n
    return list(first)


def id_and_rest(line: str, where: str, expected: str) -> tuple[str, str]:
    """A `<id> <rest>` line split on its first space only: the rest may hold spaces."""
    key, sep, rest = line.strip().partition(" ")
    if not sep or not rest.strip():
        raise DatasetLayoutError(f"{where}: expected {expected!r}, got {line!r}")
    return key, rest.strip()


def known_class(class_id: str, classes: Collection[str], where: str, listed_in: Path, what: str = "class") -> str:
    """`class_id`, after checking the dataset's class list (`listed_in`) has it."""
    if class_id not in classes:
        raise DatasetLayoutError(f"{where}: {what} {class_id!r} is not in {listed_in}")
    return class_id


def file_reader(path: Path) -> Callable[[], bytes]:
    return lambda: path.read_bytes()


def image_file(root: Path, rel: str, where: str) -> Path:
    p = root / rel
    if not p.is_file():
        raise DatasetLayoutError(f"{p}: image missing (listed in {where})")
    return p


def image_item(folder: Path, rel: str, key: str, class_id: str, where: str) -> Item:
    """The Item of an image file a list names (`where`: the list's line); the file must exist."""
    img = image_file(folder, rel, where)
    return Item(key, class_id, file_reader(img), str(img))


def load_mat(path: Path) -> dict[str, Any]:
    import scipy.io

    try:
        return scipy.io.loadmat(str(need(path)), squeeze_me=True, struct_as_record=False)
    except Exception as exc:  # noqa: BLE001 (scipy raises several kinds for a bad file; name it)
        raise DatasetLayoutError(f"{path}: not a readable MATLAB file ({type(exc).__name__}: {exc})") from None


def mat_key(mat: dict[str, Any], key: str, path: Path) -> Any:
    if key not in mat:
        raise DatasetLayoutError(f"{path}: has no variable {key!r}")
    return mat[key]


def int_field(text: str, where: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise DatasetLayoutError(f"{where}: {what} {text!r} is not an integer") from None
