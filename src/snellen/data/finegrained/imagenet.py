"""ImageNet-1k validation, keyed by WNID in either layout:

- devkit: `ILSVRC2012_devkit_t12/data/meta.mat` (synsets: ILSVRC2012_ID, WNID, words, num_children) and
  `.../ILSVRC2012_validation_ground_truth.txt` (one ILSVRC2012_ID per image in file-number order), images
  `ILSVRC2012_val_NNNNNNNN.JPEG` flat in `val/` or the root. Ground truth goes ID -> WNID through meta.mat:
  the ILSVRC2012_ID order is not the standard (sorted-WNID) order.
- Kaggle: `LOC_synset_mapping.txt` (`<wnid> <words>`) and `LOC_val_solution.csv` (`ImageId,PredictionString`,
  class = first token), images in `ILSVRC/Data/CLS-LOC/val/`.
Names are the first WordNet synonym; where two classes share it (`crane`, `maillot`) all synonyms are used,
and then the WNID, so every name is unique. The other synonyms are accepted open-ended answers."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from snellen.data.finegrained.base import (DatasetLayoutError, FineGrainedDataset, Item, id_and_rest, image_item, int_field,
                                           known_class, load_mat, mat_key, read_lines)

DEVKIT = "ILSVRC2012_devkit_t12/data"
KAGGLE_VAL = "ILSVRC/Data/CLS-LOC/val"


def detect(root: Path) -> bool:
    devkit = (root / DEVKIT / "meta.mat").is_file() and (root / DEVKIT / "ILSVRC2012_validation_ground_truth.txt").is_file()
    return devkit or ((root / "LOC_synset_mapping.txt").is_file() and (root / "LOC_val_solution.csv").is_file())


def unique_names(words: dict[str, list[str]]) -> dict[str, str]:
    first = {w: syn[0] for w, syn in words.items()}
    lower = [n.lower() for n in first.values()]
    out = {}
    for w, syn in words.items():
        name = first[w] if lower.count(first[w].lower()) == 1 else ", ".join(syn)
        out[w] = name
    full = [n.lower() for n in out.values()]
    return {w: (n if full.count(n.lower()) == 1 else f"{n} ({w})") for w, n in out.items()}


def _val_folder(root: Path) -> Path:
    for cand in (root / "val", root / "ILSVRC2012_img_val", root):
        if (cand / "ILSVRC2012_val_00000001.JPEG").is_file() or any(cand.glob("ILSVRC2012_val_*.JPEG")):
            return cand
    return root / "val"


def load(root: Path) -> FineGrainedDataset:
    root = Path(root)
    words: dict[str, list[str]] = {}
    items: list[Item] = []
    if (root / DEVKIT / "meta.mat").is_file():
        meta = root / DEVKIT / "meta.mat"
        by_id: dict[int, str] = {}
        for s in np.atleast_1d(mat_key(load_mat(meta), "synsets", meta)):
            if int(getattr(s, "num_children", 0)) != 0:
                continue
            wnid = str(s.WNID)
            by_id[int(s.ILSVRC2012_ID)] = wnid
            words[wnid] = [w.strip() for w in str(s.words).split(",") if w.strip()]
        gt = root / DEVKIT / "ILSVRC2012_validation_ground_truth.txt"
        folder = _val_folder(root)
        for n, line in read_lines(gt):
            where = f"{gt}:{n}"
            cid = int_field(line.strip(), where, "ILSVRC2012_ID")
            if cid not in by_id:
                raise DatasetLayoutError(f"{where}: ILSVRC2012_ID {cid} is not a leaf class of {meta}")
            name = f"ILSVRC2012_val_{n:08d}"
            items.append(image_item(folder, f"{name}.JPEG", name, by_id[cid], where))
    else:
        mapping = root / "LOC_synset_mapping.txt"
        for n, line in read_lines(mapping):
            wnid, rest = id_and_rest(line, f"{mapping}:{n}", "<wnid> <words>")
            words[wnid] = [w.strip() for w in rest.split(",") if w.strip()]
            if not wnid.startswith("n") or not words[wnid]:
                raise DatasetLayoutError(f"{mapping}:{n}: expected '<wnid> <words>', got {line!r}")
        sol = root / "LOC_val_solution.csv"
        try:
            with open(sol, newline="", encoding="utf-8") as fh:
                rows = list(csv.reader(fh))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise DatasetLayoutError(f"{sol}: cannot be read ({exc})") from None
        if not rows or rows[0][:2] != ["ImageId", "PredictionString"]:
            raise DatasetLayoutError(f"{sol}: expected the header 'ImageId,PredictionString'")
        for n, row in enumerate(rows[1:], 2):
            where = f"{sol}:{n}"
            if len(row) < 2 or not row[1].split():
                raise DatasetLayoutError(f"{where}: expected '<ImageId>,<wnid> <box> ...'")
            wnid = known_class(row[1].split()[0], words, where, mapping, "WNID")
            items.append(image_item(root / KAGGLE_VAL, f"{row[0]}.JPEG", row[0], wnid, where))
        items.sort(key=lambda it: it.key)
    wnids = sorted(words)
    names = unique_names({w: words[w] for w in wnids})
    synonyms = {w: tuple(words[w]) for w in wnids}
    return FineGrainedDataset(name="imagenet-val", layout="imagenet-val", root=str(root), domain="object",
                              classes={w: names[w] for w in wnids}, splits={"val": items}, synonyms=synonyms,
                              train_split=None, test_split="val")
