"""Tiny fine-grained dataset trees in each real layout, built in the test's tmp folder."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from PIL import Image


def jpeg(path: Path, value: int = 128, mode: str = "RGB", fmt: str = "JPEG", size=(12, 10)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new(mode, size, value if mode in ("L",) else ((value,) * (4 if mode in ("CMYK", "RGBA") else 3)))
    buf = io.BytesIO()
    img.save(buf, fmt)
    path.write_bytes(buf.getvalue())
    return path


def flowers(root: Path) -> Path:
    import scipy.io

    labels = np.array([1, 1, 2, 60, 102, 2])  # label of image ids 1..6
    for i in range(1, 7):
        jpeg(root / "jpg" / f"image_{i:05d}.jpg", 20 * i)
    scipy.io.savemat(root / "imagelabels.mat", {"labels": labels[None, :]})
    scipy.io.savemat(root / "setid.mat", {"trnid": np.array([[1, 3]]), "valid": np.array([[2]]), "tstid": np.array([[4, 5, 6]])})
    return root


def pets(root: Path) -> Path:
    (root / "annotations").mkdir(parents=True)
    (root / "annotations" / "trainval.txt").write_text("Abyssinian_1 1 1 1\namerican_pit_bull_terrier_2 3 2 2\n")
    (root / "annotations" / "test.txt").write_text("Abyssinian_5 1 1 1\nMaine_Coon_204 21 1 6\n")
    for stem in ("Abyssinian_1", "american_pit_bull_terrier_2", "Maine_Coon_204"):
        jpeg(root / "images" / f"{stem}.jpg")
    jpeg(root / "images" / "Abyssinian_5.jpg", fmt="PNG", mode="RGBA")  # PNG data named .jpg, with alpha
    (root / "images" / "stray.mat").write_bytes(b"not an image")
    return root


def food(root: Path) -> Path:
    meta = root / "meta"
    meta.mkdir(parents=True)
    (meta / "classes.txt").write_text("apple_pie\ncheesecake\ncheese_plate\n")
    (meta / "labels.txt").write_text("Apple pie\nCheesecake\nCheese plate\n")
    (meta / "train.txt").write_text("apple_pie/101\ncheese_plate/7\n")
    (meta / "test.json").write_text(json.dumps({"cheesecake": ["cheesecake/3"], "cheese_plate": ["cheese_plate/9"]}))
    for e in ("apple_pie/101", "cheese_plate/7", "cheesecake/3", "cheese_plate/9"):
        jpeg(root / "images" / f"{e}.jpg")
    return root


def aircraft(root: Path) -> Path:
    d = root / "data"
    d.mkdir(parents=True)
    (d / "variants.txt").write_text("707-320\nF/A-18\nBoeing 747-400\n")
    (d / "images_variant_train.txt").write_text("0034309 707-320\n0000001 F/A-18\n")
    (d / "images_variant_val.txt").write_text("0000002 Boeing 747-400\n")
    (d / "images_variant_test.txt").write_text("0000003 F/A-18\n0000004 Boeing 747-400\n")
    for i in ("0034309", "0000001", "0000002", "0000003", "0000004"):
        jpeg(d / "images" / f"{i}.jpg", mode="L", value=90)  # greyscale file
    return root


def cars(root: Path) -> Path:
    import scipy.io

    names = np.array(["AM General Hummer SUV 2000", "Ram C/V Cargo Van Minivan 2012", "smart fortwo Convertible 2012"], dtype=object)
    dt = [("bbox_x1", "O"), ("bbox_y1", "O"), ("bbox_x2", "O"), ("bbox_y2", "O"), ("class", "O"), ("fname", "O")]

    def annos(rows):
        a = np.zeros((1, len(rows)), dtype=dt)
        for i, (cls, fname) in enumerate(rows):
            a[0, i] = (1, 1, 5, 5, cls, fname)
        return a

    (root / "devkit").mkdir(parents=True)
    scipy.io.savemat(root / "devkit" / "cars_meta.mat", {"class_names": names[None, :]})
    scipy.io.savemat(root / "devkit" / "cars_train_annos.mat", {"annotations": annos([(1, "00001.jpg"), (2, "00002.jpg")])})
    scipy.io.savemat(root / "cars_test_annos_withlabels.mat", {"annotations": annos([(3, "00001.jpg")])})
    jpeg(root / "cars_train" / "00001.jpg")
    jpeg(root / "cars_train" / "00002.jpg", mode="L")
    jpeg(root / "cars_test" / "00001.jpg", mode="CMYK")  # CMYK JPEG
    return root


def cub(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "classes.txt").write_text("1 001.Black_footed_Albatross\n2 002.Laysan_Albatross\n")
    (root / "images.txt").write_text("1 001.Black_footed_Albatross/Black_Footed_Albatross_0046_18.jpg\n"
                                     "2 002.Laysan_Albatross/Laysan_Albatross_0001_545.jpg\n"
                                     "3 002.Laysan_Albatross/Laysan_Albatross_0002_1.jpg\n")
    (root / "image_class_labels.txt").write_text("3 2\n1 1\n2 2\n")  # joined on id, not line order
    (root / "train_test_split.txt").write_text("1 1\n2 0\n3 1\n")
    for line in (root / "images.txt").read_text().split("\n"):
        if line:
            jpeg(root / "images" / line.split(" ", 1)[1])
    return root


def imagenet_devkit(root: Path) -> Path:
    import scipy.io

    dt = [("ILSVRC2012_ID", "O"), ("WNID", "O"), ("words", "O"), ("gloss", "O"), ("num_children", "O")]
    syn = np.zeros((1, 4), dtype=dt)
    # ILSVRC2012_ID order is not sorted-WNID order; two leaves share the name "crane"; one non-leaf
    syn[0, 0] = (1, "n03126707", "crane", "a machine", 0)
    syn[0, 1] = (2, "n01440764", "tench, Tinca tinca", "a fish", 0)
    syn[0, 2] = (3, "n02012849", "crane", "a bird", 0)
    syn[0, 3] = (1001, "n00001740", "entity", "everything", 3)
    d = root / "ILSVRC2012_devkit_t12" / "data"
    d.mkdir(parents=True)
    scipy.io.savemat(d / "meta.mat", {"synsets": syn})
    (d / "ILSVRC2012_validation_ground_truth.txt").write_text("2\n1\n3\n")
    for i in (1, 2, 3):
        jpeg(root / "val" / f"ILSVRC2012_val_{i:08d}.JPEG", mode="CMYK" if i == 2 else "RGB")
    return root


def imagenet_kaggle(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "LOC_synset_mapping.txt").write_text("n01440764 tench, Tinca tinca\nn02012849 crane\nn03126707 crane\n")
    (root / "LOC_val_solution.csv").write_text("ImageId,PredictionString\nILSVRC2012_val_00000002,n02012849 1 2 3 4 n02012849 5 6 7 8\n"
                                               "ILSVRC2012_val_00000001,n01440764 1 2 3 4\n")
    for i in (1, 2):
        jpeg(root / "ILSVRC" / "Data" / "CLS-LOC" / "val" / f"ILSVRC2012_val_{i:08d}.JPEG")
    return root


def folder(root: Path, splits: bool = True) -> Path:
    for split in (("train", "test") if splits else ("",)):
        for cls, n in (("golden_retriever", 2), ("pug", 1)):
            for i in range(n):
                jpeg(root / split / cls / f"{i}.png", fmt="PNG")
    return root


def idx(root: Path) -> Path:
    import gzip

    root.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 12), ("t10k", 10)):
        labels = np.arange(n, dtype=np.uint8) % 10
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        lab = b"\x00\x00\x08\x01" + n.to_bytes(4, "big") + labels.tobytes()
        img = b"\x00\x00\x08\x03" + n.to_bytes(4, "big") + (28).to_bytes(4, "big") * 2 + images.tobytes()
        (root / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(lab))
        (root / f"{prefix}-images-idx3-ubyte.gz").write_bytes(gzip.compress(img))
    return root


def hf_dataset(root: Path, form: str = "disk") -> Path:
    import datasets

    feats = datasets.Features({"image": datasets.Image(), "label": datasets.ClassLabel(names=["1", "10", "2"])})
    imgs = [Image.new("RGB", (8, 8), (i * 40, 0, 0)) for i in range(3)]
    dd = datasets.DatasetDict({
        "train": datasets.Dataset.from_dict({"image": imgs[:2], "label": [0, 1]}, features=feats),
        "test": datasets.Dataset.from_dict({"image": imgs[2:], "label": [2]}, features=feats),
    })
    if form == "disk":
        dd.save_to_disk(str(root))
    else:
        (root / "data").mkdir(parents=True)
        for split, ds in dd.items():
            ds.to_parquet(str(root / "data" / f"{split}-00000-of-00001.parquet"))
    return root
