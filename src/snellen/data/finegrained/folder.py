"""A generic class-per-folder tree: `ROOT/<class>/<image>` (one split, `all`) or
`ROOT/<split>/<class>/<image>` (each top folder a split). Which of the two is read from the files: a tree
whose top folders hold only folders of images has splits. Class ids are the folder names; names are the
folder names with underscores as spaces. Images are listed by suffix and decoded by content."""

from __future__ import annotations

from pathlib import Path

from snellen.data.finegrained.base import DatasetLayoutError, FineGrainedDataset, Item, file_reader

SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".ppm", ".pgm"}


def _images(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def _dirs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _is_class_dir(d: Path) -> bool:
    return bool(_images(d))


def _has_splits(root: Path) -> bool:
    tops = _dirs(root)
    return bool(tops) and all(not _images(t) and _dirs(t) and all(_is_class_dir(c) for c in _dirs(t)) for t in tops)


def detect(root: Path) -> bool:
    if not root.is_dir():
        return False
    tops = _dirs(root)
    return bool(tops) and (_has_splits(root) or all(_is_class_dir(t) for t in tops))


def load(root: Path) -> FineGrainedDataset:
    root = Path(root)
    if not root.is_dir():
        raise DatasetLayoutError(f"{root}: not a folder")
    split_dirs = {t.name: t for t in _dirs(root)} if _has_splits(root) else {"all": root}
    classes: dict[str, str] = {}
    splits = {}
    for split, folder in split_dirs.items():
        items = []
        for cdir in _dirs(folder):
            imgs = _images(cdir)
            if not imgs:
                raise DatasetLayoutError(f"{cdir}: class folder holds no images")
            classes.setdefault(cdir.name, cdir.name.replace("_", " "))
            items.extend(Item(f"{cdir.name}/{p.name}", cdir.name, file_reader(p), str(p)) for p in imgs)
        if not items:
            raise DatasetLayoutError(f"{folder}: holds no class folders with images")
        splits[split] = items
    classes = dict(sorted(classes.items()))
    names = list(splits)
    test = next((s for s in ("test", "val", "validation", "all") if s in splits), names[-1])
    train = next((s for s in ("train", "trainval") if s in splits), None)
    val = next((s for s in ("val", "validation") if s in splits and s != test), None)
    return FineGrainedDataset(name=root.name or "folder", layout="folder", root=str(root), domain="category",
                              classes=classes, splits=splits, train_split=train, val_split=val, test_split=test)
