"""Stanford Cars (196 classes), MATLAB annotations in either official layout:

- devkit: `devkit/cars_meta.mat` (`class_names`), `devkit/cars_train_annos.mat` and
  `cars_test_annos_withlabels.mat` (struct arrays with `fname` and 1-based `class`), images in
  `cars_train/` and `cars_test/`;
- car_ims: `cars_annos.mat` (`annotations` with `relative_im_path`, `class`, `test`; `class_names`),
  images under `car_ims/`.
Class ids are the 1-based `class` values; names are `class_names` exactly (one holds a slash)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from snellen.data.finegrained.base import DatasetLayoutError, FineGrainedDataset, Item, image_item, load_mat, mat_key


def detect(root: Path) -> bool:
    devkit = (root / "devkit" / "cars_meta.mat").is_file() and (root / "cars_test_annos_withlabels.mat").is_file()
    return devkit or (root / "cars_annos.mat").is_file()


def _names(path: Path) -> dict[str, str]:
    names = np.atleast_1d(mat_key(load_mat(path), "class_names", path))
    return {str(i + 1): str(n) for i, n in enumerate(names)}


def _annos(path: Path) -> list:
    return list(np.atleast_1d(mat_key(load_mat(path), "annotations", path)))


def _get(rec, key: str, where: str):
    if not hasattr(rec, key):
        raise DatasetLayoutError(f"{where}: annotation has no field {key!r}")
    return getattr(rec, key)


def load(root: Path) -> FineGrainedDataset:
    root = Path(root)
    splits: dict[str, list[Item]] = {"train": [], "test": []}
    if (root / "cars_annos.mat").is_file():
        path = root / "cars_annos.mat"
        classes = _names(path)
        for i, rec in enumerate(_annos(path)):
            where = f"{path} annotation {i + 1}"
            rel, cid = str(_get(rec, "relative_im_path", where)), str(int(_get(rec, "class", where)))
            split = "test" if int(_get(rec, "test", where)) == 1 else "train"
            splits[split].append(image_item(root, rel, Path(rel).stem, cid, where))
    else:
        classes = _names(root / "devkit" / "cars_meta.mat")
        for split, annos, folder in (("train", root / "devkit" / "cars_train_annos.mat", "cars_train"),
                                     ("test", root / "cars_test_annos_withlabels.mat", "cars_test")):
            for i, rec in enumerate(_annos(annos)):
                where = f"{annos} annotation {i + 1}"
                fname, cid = str(_get(rec, "fname", where)), str(int(_get(rec, "class", where)))
                splits[split].append(image_item(root / folder, fname, f"{folder}/{Path(fname).stem}", cid, where))
    return FineGrainedDataset(name="stanford-cars", layout="stanford-cars", root=str(root), domain="car model",
                              classes=classes, splits=splits, train_split="train", test_split="test")
