"""Oxford Flowers-102: `jpg/image_NNNNN.jpg`, `imagelabels.mat` (labels 1..102 by 1-based image id) and
`setid.mat` (trnid / valid / tstid). Class ids are the official 1-based labels; names (no names file ships)
are the 102 published names, index = label - 1."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from snellen.data.finegrained.base import DatasetLayoutError, FineGrainedDataset, image_item, load_mat, mat_key

NAMES = (
    "pink primrose", "hard-leaved pocket orchid", "canterbury bells", "sweet pea", "english marigold", "tiger lily",
    "moon orchid", "bird of paradise", "monkshood", "globe thistle", "snapdragon", "colt's foot", "king protea",
    "spear thistle", "yellow iris", "globe-flower", "purple coneflower", "peruvian lily", "balloon flower",
    "giant white arum lily", "fire lily", "pincushion flower", "fritillary", "red ginger", "grape hyacinth",
    "corn poppy", "prince of wales feathers", "stemless gentian", "artichoke", "sweet william", "carnation",
    "garden phlox", "love in the mist", "mexican aster", "alpine sea holly", "ruby-lipped cattleya",
    "cape flower", "great masterwort", "siam tulip", "lenten rose", "barbeton daisy", "daffodil", "sword lily",
    "poinsettia", "bolero deep blue", "wallflower", "marigold", "buttercup", "oxeye daisy", "common dandelion",
    "petunia", "wild pansy", "primula", "sunflower", "pelargonium", "bishop of llandaff", "gaura", "geranium",
    "orange dahlia", "pink-yellow dahlia?", "cautleya spicata", "japanese anemone", "black-eyed susan",
    "silverbush", "californian poppy", "osteospermum", "spring crocus", "bearded iris", "windflower",
    "tree poppy", "gazania", "azalea", "water lily", "rose", "thorn apple", "morning glory", "passion flower",
    "lotus", "toad lily", "anthurium", "frangipani", "clematis", "hibiscus", "columbine", "desert-rose",
    "tree mallow", "magnolia", "cyclamen", "watercress", "canna lily", "hippeastrum", "bee balm", "ball moss",
    "foxglove", "bougainvillea", "camellia", "mallow", "mexican petunia", "bromelia", "blanket flower",
    "trumpet creeper", "blackberry lily",
)
# CLIP's cleaned spellings of three names, accepted as open-ended answers
SYNONYMS = {"16": ("globe flower",), "60": ("pink and yellow dahlia", "pink-yellow dahlia"), "93": ("air plant",)}
SPLITS = {"train": "trnid", "val": "valid", "test": "tstid"}


def detect(root: Path) -> bool:
    return (root / "imagelabels.mat").is_file() and (root / "setid.mat").is_file()


def load(root: Path) -> FineGrainedDataset:
    root = Path(root)
    labels_path, setid_path = root / "imagelabels.mat", root / "setid.mat"
    labels = np.atleast_1d(mat_key(load_mat(labels_path), "labels", labels_path)).astype(int)
    if labels.size and (labels.min() < 1 or labels.max() > len(NAMES)):
        raise DatasetLayoutError(f"{labels_path}: labels span {labels.min()}..{labels.max()}, expected 1..{len(NAMES)}")
    setid = load_mat(setid_path)
    splits = {}
    for split, key in SPLITS.items():
        ids = np.atleast_1d(mat_key(setid, key, setid_path)).astype(int)
        items = []
        for image_id in ids:
            if not 1 <= image_id <= len(labels):
                raise DatasetLayoutError(f"{setid_path}: {key} names image id {image_id}, but {labels_path.name} labels {len(labels)} images")
            items.append(image_item(root, f"jpg/image_{image_id:05d}.jpg", f"image_{image_id:05d}",
                                    str(int(labels[image_id - 1])), f"{setid_path.name} {key}"))
        splits[split] = items
    classes = {str(i + 1): n for i, n in enumerate(NAMES)}
    return FineGrainedDataset(name="flowers102", layout="flowers102", root=str(root), domain="flower",
                              classes=classes, splits=splits, synonyms=SYNONYMS, train_split="train",
                              val_split="val", test_split="test")
