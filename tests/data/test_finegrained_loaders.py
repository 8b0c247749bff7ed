"""Each fine-grained loader on a tiny tree in its real layout: names, counts, splits, id keys; malformed
trees fail with one line naming the file; the real Fashion-MNIST files."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from snellen.data.finegrained import DatasetLayoutError, detect_layout, open_finegrained
from snellen.data.finegrained.idx import DEFAULT_ROOT
from snellen.schema import SnellenError

sys.path.insert(0, str(Path(__file__).parent))
import fg_fixtures as fx  # noqa: E402


def split_sizes(ds):
    return {s: len(v) for s, v in ds.splits.items()}


def one_line(exc) -> str:
    msg = str(exc.value)
    assert "\n" not in msg
    return msg


def test_flowers(tmp_path):
    ds = open_finegrained(fx.flowers(tmp_path / "flowers"))
    assert ds.layout == "flowers102" and len(ds.classes) == 102
    assert split_sizes(ds) == {"train": 2, "val": 1, "test": 3}
    assert [(it.key, it.class_id) for it in ds.items("test")] == [("image_00004", "60"), ("image_00005", "102"), ("image_00006", "2")]
    assert ds.classes["1"] == "pink primrose" and ds.classes["102"] == "blackberry lily"
    assert "pink and yellow dahlia" in ds.all_names("60")


def test_pets_names_from_ids_and_content_decoding(tmp_path):
    ds = open_finegrained(fx.pets(tmp_path / "pets"))
    assert ds.layout == "oxford-pets" and split_sizes(ds) == {"trainval": 2, "test": 2}
    assert ds.classes == {"1": "Abyssinian", "3": "American Pit Bull Terrier", "21": "Maine Coon"}
    assert ds.train_split == "trainval"
    img, cid = next(ds.images("test"))  # Abyssinian_5 is PNG data with alpha, named .jpg
    assert img.shape == (10, 12, 3) and cid == "1"


def test_food_keys_by_folder_id_not_order(tmp_path):
    ds = open_finegrained(fx.food(tmp_path / "food-101"))
    assert ds.classes == {"apple_pie": "Apple pie", "cheesecake": "Cheesecake", "cheese_plate": "Cheese plate"}
    assert [(it.key, it.class_id) for it in ds.items("test")] == [("cheesecake/3", "cheesecake"), ("cheese_plate/9", "cheese_plate")]
    assert split_sizes(ds) == {"train": 2, "test": 2}


def test_aircraft_names_with_spaces_and_slashes(tmp_path):
    ds = open_finegrained(fx.aircraft(tmp_path / "fgvc-aircraft-2013b"))
    assert list(ds.classes) == ["707-320", "F/A-18", "Boeing 747-400"]
    assert split_sizes(ds) == {"train": 2, "val": 1, "test": 2}
    assert [it.class_id for it in ds.items("test")] == ["F/A-18", "Boeing 747-400"]
    img, _ = next(ds.images("test"))  # greyscale file -> RGB
    assert img.shape[2] == 3


def test_cars_devkit(tmp_path):
    ds = open_finegrained(fx.cars(tmp_path / "stanford_cars"))
    assert ds.classes["2"] == "Ram C/V Cargo Van Minivan 2012" and len(ds.classes) == 3
    assert [(it.key, it.class_id) for it in ds.items("train")] == [("cars_train/00001", "1"), ("cars_train/00002", "2")]
    assert ds.labels("test") == ["3"]
    img, _ = next(ds.images("test"))  # CMYK JPEG -> RGB
    assert img.shape == (10, 12, 3)


def test_cub_joined_on_image_id(tmp_path):
    ds = open_finegrained(fx.cub(tmp_path / "CUB_200_2011"))
    assert ds.classes == {"1": "Black footed Albatross", "2": "Laysan Albatross"}
    assert [(it.key, it.class_id) for it in ds.items("train")] == [("1", "1"), ("3", "2")]
    assert ds.labels("test") == ["2"]


# A tree with one file broken (None: deleted) fails with one line naming the culprit.
MALFORMED = {
    "flowers-setid-names-missing-image": (fx.flowers, "jpg/image_00005.jpg", None, ["image_00005.jpg"]),
    "pets-mislabelled-line": (fx.pets, "annotations/test.txt", "Maine_Coon_204 21 1 6\nAbyssinian_5 21 1 1\n",
                              ["test.txt:2", "mislabelled"]),
    "food-unknown-class": (fx.food, "meta/train.txt", "apple_pie/101\npizza/1\n", ["train.txt:2", "pizza"]),
    "food-repeated-class": (fx.food, "meta/classes.txt", "apple_pie\ncheesecake\napple_pie\n",
                            ["classes.txt:3", "'apple_pie' repeats line 1"]),
    "aircraft-malformed-line": (fx.aircraft, "data/images_variant_test.txt", "0000003\n", ["images_variant_test.txt:1"]),
    "aircraft-unknown-variant": (fx.aircraft, "data/images_variant_val.txt", "0000002 Boeing 747-500\n",
                                 ["images_variant_val.txt:1", "variant 'Boeing 747-500' is not in", "variants.txt"]),
    "aircraft-repeated-variant": (fx.aircraft, "data/variants.txt", "707-320\nF/A-18\nBoeing 747-400\nF/A-18\n",
                                  ["variants.txt:4", "'F/A-18' repeats line 2"]),
    "cars-missing-image": (fx.cars, "cars_test/00001.jpg", None, ["cars_test/00001.jpg"]),
    "cub-image-without-label": (fx.cub, "image_class_labels.txt", "1 1\n2 2\n", ["images.txt:3"]),
    "imagenet-bad-ground-truth": (fx.imagenet_devkit, "ILSVRC2012_devkit_t12/data/ILSVRC2012_validation_ground_truth.txt",
                                  "2\nseven\n3\n", ["ground_truth.txt:2"]),
    "imagenet-kaggle-wnid-without-words": (fx.imagenet_kaggle, "LOC_synset_mapping.txt", "n01440764 tench\nn02012849\n",
                                           ["LOC_synset_mapping.txt:2", "<wnid> <words>"]),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_tree_fails_with_one_line_naming_the_file(tmp_path, case):
    build, rel, text, expected = MALFORMED[case]
    root = build(tmp_path / case)
    if text is None:
        (root / rel).unlink()
    else:
        (root / rel).write_text(text)
    with pytest.raises(DatasetLayoutError) as exc:
        open_finegrained(root)
    msg = one_line(exc)
    assert all(e in msg for e in expected), msg


def test_imagenet_devkit_maps_ilsvrc_ids_to_wnids(tmp_path):
    ds = open_finegrained(fx.imagenet_devkit(tmp_path / "imagenet"))
    assert list(ds.classes) == ["n01440764", "n02012849", "n03126707"]  # sorted WNIDs, leaves only
    assert ds.labels("val") == ["n01440764", "n03126707", "n02012849"]  # ground truth 2, 1, 3 via meta.mat
    assert ds.classes["n01440764"] == "tench"
    assert ds.classes["n02012849"] != ds.classes["n03126707"]  # the two cranes stay distinct
    assert "Tinca tinca" in ds.all_names("n01440764")
    img, _ = next(ds.images("val"))
    assert img.shape == (10, 12, 3)


def test_imagenet_kaggle(tmp_path):
    ds = open_finegrained(fx.imagenet_kaggle(tmp_path / "kaggle"))
    assert [(it.key, it.class_id) for it in ds.items("val")] == [("ILSVRC2012_val_00000001", "n01440764"),
                                                              ("ILSVRC2012_val_00000002", "n02012849")]


def test_folder_with_and_without_splits(tmp_path):
    ds = open_finegrained(fx.folder(tmp_path / "pets-folders"))
    assert ds.layout == "folder" and split_sizes(ds) == {"test": 3, "train": 3}
    assert ds.classes == {"golden_retriever": "golden retriever", "pug": "pug"}
    assert ds.train_split == "train" and ds.test_split == "test"
    flat = open_finegrained(fx.folder(tmp_path / "flat", splits=False))
    assert split_sizes(flat) == {"all": 3} and flat.labels("all") == ["golden_retriever", "golden_retriever", "pug"]


def test_folder_corrupt_image_names_file(tmp_path):
    root = fx.folder(tmp_path / "f", splits=False)
    (root / "pug" / "0.png").write_bytes(b"\x89PNG broken")
    ds = open_finegrained(root)
    with pytest.raises(SnellenError) as exc:
        list(ds.images("all"))
    assert "pug/0.png" in one_line(exc)


@pytest.mark.parametrize("form", ["disk", "parquet"])
def test_hf_keys_by_classlabel_name(tmp_path, form):
    ds = open_finegrained(fx.hf_dataset(tmp_path / "hf", form))
    assert ds.layout == "hf" and split_sizes(ds) == {"train": 2, "test": 1}
    assert list(ds.classes) == ["1", "10", "2"]  # ClassLabel names as ids, not positions
    assert ds.labels("train") == ["1", "10"] and ds.labels("test") == ["2"]
    img, _ = next(ds.images("test"))
    assert img.shape == (8, 8, 3) and img[0, 0, 0] == 80


def test_idx_fixture_and_truncated_file(tmp_path):
    root = fx.idx(tmp_path / "mnist")
    ds = open_finegrained(root)
    assert split_sizes(ds) == {"train": 12, "test": 10} and ds.labels("test")[:4] == ["0", "1", "2", "3"]
    assert ds.name == "fashion-mnist" and ds.classes["9"] == "Ankle boot"  # 10 labels of 28x28 images
    import gzip

    raw = gzip.decompress((root / "t10k-images-idx3-ubyte.gz").read_bytes())
    (root / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(raw[:-5]))
    with pytest.raises(DatasetLayoutError) as exc:
        open_finegrained(root)
    assert "t10k-images-idx3-ubyte.gz" in one_line(exc)


def test_explicit_layout_must_match_files(tmp_path):
    root = fx.cub(tmp_path / "cub")
    assert detect_layout(root) == "cub200"
    with pytest.raises(DatasetLayoutError) as exc:
        open_finegrained(f"flowers102:{root}")
    assert "not a flowers102 layout" in one_line(exc) and "cub200" in str(exc.value)
    with pytest.raises(SnellenError):
        open_finegrained(tmp_path / "nothing-here")


def test_layout_detected_from_files_not_folder_name(tmp_path):
    ds = open_finegrained(fx.pets(tmp_path / "flowers-102"))  # misleading folder name
    assert ds.layout == "oxford-pets"


@pytest.mark.skipif(not (DEFAULT_ROOT / "t10k-labels-idx1-ubyte.gz").is_file(), reason="apt-get install dataset-fashion-mnist")
def test_real_fashion_mnist():
    ds = open_finegrained("fashion-mnist")
    assert split_sizes(ds) == {"train": 60000, "test": 10000}
    assert ds.classes["0"] == "T-shirt/top" and ds.classes["9"] == "Ankle boot"
    assert ds.labels("train")[:8] == list("90030272") and ds.labels("test")[:8] == list("92116146")
    counts = np.bincount([int(c) for c in ds.labels("test")])
    assert counts.tolist() == [1000] * 10
    img, cid = next(ds.images("test"))
    assert img.shape == (28, 28, 3) and img.dtype == np.uint8 and cid == "9" and img.max() > 100


def test_hf_plain_parquet_integer_labels_sorted_numerically(tmp_path):
    fx.hf_plain_parquet(tmp_path / "plain" / "test-00000-of-00001.parquet", [10, 2, 2])
    ds = open_finegrained(f"hf:{tmp_path / 'plain'}")
    assert list(ds.classes) == ["2", "10"] and ds.labels("test") == ["10", "2", "2"]
    img, _ = next(ds.images("test"))
    assert img.shape == (4, 4, 3)


def test_hf_unlabelled_split_is_one_line(tmp_path):
    fx.hf_plain_parquet(tmp_path / "unl" / "test-00000-of-00001.parquet", [1, -1])
    with pytest.raises(DatasetLayoutError) as exc:
        open_finegrained(tmp_path / "unl")
    assert "test-00000-of-00001.parquet row 1" in one_line(exc) and "-1" in str(exc.value)


def test_class_names_file_gives_readable_names(tmp_path):
    root = fx.hf_dataset(tmp_path / "hf", "parquet")  # ClassLabel names are official ids '1', '10', '2'
    (tmp_path / "names.txt").write_text("1 pink primrose\n10 globe thistle\n2 hard-leaved pocket orchid\n")
    ds = open_finegrained(root, class_names=tmp_path / "names.txt")
    assert ds.classes == {"1": "pink primrose", "10": "globe thistle", "2": "hard-leaved pocket orchid"}
    assert "10" in ds.all_names("10")  # the old name stays an accepted answer
    (tmp_path / "bad.json").write_text('{"7": "rose"}')
    with pytest.raises(SnellenError) as exc:
        open_finegrained(root, class_names=tmp_path / "bad.json")
    assert "bad.json" in one_line(exc) and "'7'" in str(exc.value)
    (tmp_path / "bad.txt").write_text("1 rose\n10\n")
    with pytest.raises(DatasetLayoutError) as exc:
        open_finegrained(root, class_names=tmp_path / "bad.txt")
    assert "bad.txt:2" in one_line(exc)
