"""Tiny fine-grained dataset trees in each real layout, built in the test's tmp folder."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image


def image_bytes(value: int = 128, mode: str = "RGB", fmt: str = "JPEG", size=(12, 10)) -> bytes:
    """A plain image of one grey value, encoded as `fmt`."""
    img = Image.new(mode, size, value if mode in ("L",) else ((value,) * (4 if mode in ("CMYK", "RGBA") else 3)))
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def jpeg(path: Path, value: int = 128, mode: str = "RGB", fmt: str = "JPEG", size=(12, 10)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(image_bytes(value, mode, fmt, size))
    return path


def tree(root: Path, files: dict[str, str | bytes], images: Iterable[str] = (), **image) -> Path:
    """Write `files` (relative path -> text or bytes) and an image at each relative path of `images` under root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    for rel in images:
        jpeg(root / rel, **image)
    root.mkdir(parents=True, exist_ok=True)
    return root


def mat(path: Path, **variables) -> None:
    import scipy.io

    path.parent.mkdir(parents=True, exist_ok=True)
    scipy.io.savemat(path, variables)


def flowers(root: Path) -> Path:
    labels = np.array([1, 1, 2, 60, 102, 2])  # label of image ids 1..6
    for i in range(1, 7):
        jpeg(root / "jpg" / f"image_{i:05d}.jpg", 20 * i)
    mat(root / "imagelabels.mat", labels=labels[None, :])
    mat(root / "setid.mat", trnid=np.array([[1, 3]]), valid=np.array([[2]]), tstid=np.array([[4, 5, 6]]))
    return root


def pets(root: Path) -> Path:
    tree(root, {"annotations/trainval.txt": "Abyssinian_1 1 1 1\namerican_pit_bull_terrier_2 3 2 2\n",
                "annotations/test.txt": "Abyssinian_5 1 1 1\nMaine_Coon_204 21 1 6\n",
                "images/stray.mat": b"not an image"},
         [f"images/{stem}.jpg" for stem in ("Abyssinian_1", "american_pit_bull_terrier_2", "Maine_Coon_204")])
    jpeg(root / "images" / "Abyssinian_5.jpg", fmt="PNG", mode="RGBA")  # PNG data named .jpg, with alpha
    return root


def food(root: Path) -> Path:
    return tree(root, {"meta/classes.txt": "apple_pie\ncheesecake\ncheese_plate\n",
                       "meta/labels.txt": "Apple pie\nCheesecake\nCheese plate\n",
                       "meta/train.txt": "apple_pie/101\ncheese_plate/7\n",
                       "meta/test.json": json.dumps({"cheesecake": ["cheesecake/3"], "cheese_plate": ["cheese_plate/9"]})},
                [f"images/{e}.jpg" for e in ("apple_pie/101", "cheese_plate/7", "cheesecake/3", "cheese_plate/9")])


def aircraft(root: Path) -> Path:
    tree(root / "data", {"variants.txt": "707-320\nF/A-18\nBoeing 747-400\n",
                         "images_variant_train.txt": "0034309 707-320\n0000001 F/A-18\n",
                         "images_variant_val.txt": "0000002 Boeing 747-400\n",
                         "images_variant_test.txt": "0000003 F/A-18\n0000004 Boeing 747-400\n"},
         [f"images/{i}.jpg" for i in ("0034309", "0000001", "0000002", "0000003", "0000004")],
         mode="L", value=90)  # greyscale files
    return root


def cars(root: Path) -> Path:
    names = np.array(["AM General Hummer SUV 2000", "Ram C/V Cargo Van Minivan 2012", "smart fortwo Convertible 2012"], dtype=object)
    dt = [("bbox_x1", "O"), ("bbox_y1", "O"), ("bbox_x2", "O"), ("bbox_y2", "O"), ("class", "O"), ("fname", "O")]

    def annos(rows):
        a = np.zeros((1, len(rows)), dtype=dt)
        for i, (cls, fname) in enumerate(rows):
            a[0, i] = (1, 1, 5, 5, cls, fname)
        return a

    mat(root / "devkit" / "cars_meta.mat", class_names=names[None, :])
    mat(root / "devkit" / "cars_train_annos.mat", annotations=annos([(1, "00001.jpg"), (2, "00002.jpg")]))
    mat(root / "cars_test_annos_withlabels.mat", annotations=annos([(3, "00001.jpg")]))
    jpeg(root / "cars_train" / "00001.jpg")
    jpeg(root / "cars_train" / "00002.jpg", mode="L")
    jpeg(root / "cars_test" / "00001.jpg", mode="CMYK")  # CMYK JPEG
    return root


def cub(root: Path) -> Path:
    images = {"1": "001.Black_footed_Albatross/Black_Footed_Albatross_0046_18.jpg",
              "2": "002.Laysan_Albatross/Laysan_Albatross_0001_545.jpg",
              "3": "002.Laysan_Albatross/Laysan_Albatross_0002_1.jpg"}
    return tree(root, {"classes.txt": "1 001.Black_footed_Albatross\n2 002.Laysan_Albatross\n",
                       "images.txt": "".join(f"{i} {rel}\n" for i, rel in images.items()),
                       "image_class_labels.txt": "3 2\n1 1\n2 2\n",  # joined on id, not line order
                       "train_test_split.txt": "1 1\n2 0\n3 1\n"},
                [f"images/{rel}" for rel in images.values()])


def imagenet_devkit(root: Path) -> Path:
    dt = [("ILSVRC2012_ID", "O"), ("WNID", "O"), ("words", "O"), ("gloss", "O"), ("num_children", "O")]
    syn = np.zeros((1, 4), dtype=dt)
    # ILSVRC2012_ID order is not sorted-WNID order; two leaves share the name "crane"; one non-leaf
    syn[0, 0] = (1, "n03126707", "crane", "a machine", 0)
    syn[0, 1] = (2, "n01440764", "tench, Tinca tinca", "a fish", 0)
    syn[0, 2] = (3, "n02012849", "crane", "a bird", 0)
    syn[0, 3] = (1001, "n00001740", "entity", "everything", 3)
    mat(root / "ILSVRC2012_devkit_t12" / "data" / "meta.mat", synsets=syn)
    tree(root, {"ILSVRC2012_devkit_t12/data/ILSVRC2012_validation_ground_truth.txt": "2\n1\n3\n"},
         [f"val/ILSVRC2012_val_{i:08d}.JPEG" for i in (1, 3)])
    jpeg(root / "val" / "ILSVRC2012_val_00000002.JPEG", mode="CMYK")
    return root


def imagenet_kaggle(root: Path) -> Path:
    return tree(root, {"LOC_synset_mapping.txt": "n01440764 tench, Tinca tinca\nn02012849 crane\nn03126707 crane\n",
                       "LOC_val_solution.csv": "ImageId,PredictionString\n"
                                               "ILSVRC2012_val_00000002,n02012849 1 2 3 4 n02012849 5 6 7 8\n"
                                               "ILSVRC2012_val_00000001,n01440764 1 2 3 4\n"},
                [f"ILSVRC/Data/CLS-LOC/val/ILSVRC2012_val_{i:08d}.JPEG" for i in (1, 2)])


def folder(root: Path, splits: bool = True) -> Path:
    return tree(root, {}, [f"{split}{cls}/{i}.png" for split in (("train/", "test/") if splits else ("",))
                           for cls, n in (("golden_retriever", 2), ("pug", 1)) for i in range(n)], fmt="PNG")


def idx(root: Path) -> Path:
    import gzip

    rng = np.random.default_rng(0)
    files: dict[str, str | bytes] = {}
    for prefix, n in (("train", 12), ("t10k", 10)):
        labels = np.arange(n, dtype=np.uint8) % 10
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        lab = b"\x00\x00\x08\x01" + n.to_bytes(4, "big") + labels.tobytes()
        img = b"\x00\x00\x08\x03" + n.to_bytes(4, "big") + (28).to_bytes(4, "big") * 2 + images.tobytes()
        files[f"{prefix}-labels-idx1-ubyte.gz"] = gzip.compress(lab)
        files[f"{prefix}-images-idx3-ubyte.gz"] = gzip.compress(img)
    return tree(root, files)


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


def hf_plain_parquet(path: Path, labels: list[int]) -> Path:
    """One parquet split with an image struct column and plain integer labels (no ClassLabel feature)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    images = pa.array([{"bytes": image_bytes(10 * i, "L", "PNG", (4, 4)), "path": None} for i in range(len(labels))],
                      type=pa.struct([("bytes", pa.binary()), ("path", pa.string())]))
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"image": images, "label": pa.array(labels, pa.int64())}), path)
    return path
