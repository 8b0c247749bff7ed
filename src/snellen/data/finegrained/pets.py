"""Oxford-IIIT Pets: `annotations/{trainval,test}.txt` (`<image_id> <CLASS-ID> <SPECIES> <BREED-ID>`, no
header) and `images/<image_id>.jpg`. Loading is driven by the list files, never by globbing `images/` (which
holds stray files). Class ids are CLASS-IDs (1..37); a class's name comes from its images' id prefix
(`american_pit_bull_terrier` -> `American Pit Bull Terrier`), and every image of a class must agree."""

from __future__ import annotations

from pathlib import Path

from snellen.data.finegrained.base import DatasetLayoutError, FineGrainedDataset, image_item, int_field, read_lines

SPLITS = ("trainval", "test")


def detect(root: Path) -> bool:
    return all((root / "annotations" / f"{s}.txt").is_file() for s in SPLITS) and (root / "images").is_dir()


def load(root: Path) -> FineGrainedDataset:
    root = Path(root)
    prefixes: dict[str, tuple[str, str]] = {}  # class id -> (raw breed prefix, where first seen)
    species: dict[str, str] = {}
    splits = {}
    for split in SPLITS:
        path = root / "annotations" / f"{split}.txt"
        items = []
        for n, line in read_lines(path):
            if line.startswith("#"):
                continue
            where = f"{path}:{n}"
            parts = line.split()
            if len(parts) != 4:
                raise DatasetLayoutError(f"{where}: expected '<image_id> <class id> <species> <breed id>', got {line!r}")
            image_id, cid = parts[0], str(int_field(parts[1], where, "class id"))
            raw = image_id.rsplit("_", 1)[0]
            seen = prefixes.setdefault(cid, (raw, where))
            if seen[0].lower() != raw.lower():
                raise DatasetLayoutError(f"{where}: image {image_id} has class id {cid}, which {seen[1]} gives to breed {seen[0]!r} (mislabelled line)")
            species[cid] = {"1": "cat", "2": "dog"}.get(parts[2], parts[2])
            items.append(image_item(root / "images", f"{image_id}.jpg", image_id, cid, where))
        splits[split] = items
    ids = sorted(prefixes, key=int)
    classes = {c: " ".join(w.title() for w in prefixes[c][0].split("_")) for c in ids}
    synonyms = {c: (prefixes[c][0].replace("_", " "),) for c in ids}
    return FineGrainedDataset(name="oxford-pets", layout="oxford-pets", root=str(root), domain="breed of cat or dog",
                              classes=classes, splits=splits, synonyms=synonyms, train_split="trainval",
                              test_split="test", notes={"species": species})
