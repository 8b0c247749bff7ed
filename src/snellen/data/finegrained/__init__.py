"""Fine-grained classification datasets from local disk, one loader per layout family.

`open_finegrained(spec) -> FineGrainedDataset`. `spec` is a path (the layout is detected from its files,
never from folder names), `<layout>:PATH` (that layout's loader, which checks its files), or a dataset
installed here (`fashion-mnist`: Debian's dataset-fashion-mnist). The dataset exposes `.classes` (id ->
name), `.splits`, `.images(split)` ((HxWx3 uint8, class id) pairs), and `.samples(split, protocol=...)`
(Samples the runner, store, scoring and report read like any other). docs/interfaces.md has the contract.
"""

from __future__ import annotations

from pathlib import Path

from snellen.data.finegrained import aircraft, cars, cub, flowers, folder, food, hf, idx, imagenet, pets
from snellen.data.finegrained.base import DatasetLayoutError, FineGrainedDataset, Item, id_and_rest
from snellen.schema import SnellenError

# Detection order: specific layouts (their own list files) before the generic ones (any folder of images).
LOADERS = {
    "flowers102": flowers, "oxford-pets": pets, "food101": food, "fgvc-aircraft": aircraft, "stanford-cars": cars,
    "cub200": cub, "imagenet-val": imagenet, "idx": idx, "hf": hf, "folder": folder,
}
ALIASES = {"flowers": "flowers102", "pets": "oxford-pets", "food": "food101", "aircraft": "fgvc-aircraft",
           "cars": "stanford-cars", "cub": "cub200", "imagenet": "imagenet-val", "fashion-mnist": "idx",
           "mnist": "idx", "huggingface": "hf"}
INSTALLED = {"fashion-mnist": ("idx", idx.DEFAULT_ROOT)}


def detect_layout(path: Path) -> str | None:
    for name, mod in LOADERS.items():
        if mod.detect(path):
            return name
    return None


def read_names(path: str | Path) -> dict[str, str]:
    """Class id -> readable name from a JSON object or a text file of `<id> <name>` lines (name may hold spaces)."""
    import json

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SnellenError(f"{path}: cannot be read ({exc})") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DatasetLayoutError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise DatasetLayoutError(f"{path}: expected a JSON object {{class id: name}}")
        return {str(k): v for k, v in data.items()}
    out = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        cid, name = id_and_rest(line, f"{path}:{n}", "<class id> <name>")
        out[cid] = name
    return out


def open_finegrained(spec: str | Path, class_names: str | Path | None = None) -> FineGrainedDataset:
    """Open a fine-grained dataset: a path, `<layout>:PATH`, or `fashion-mnist` (installed). `class_names`: a
    file of readable names by class id (JSON object or `<id> <name>` lines) replacing the layout's own."""
    ds = _open(spec)
    return ds if class_names is None else ds.renamed(read_names(class_names), str(class_names))


def _open(spec: str | Path) -> FineGrainedDataset:
    text = str(spec)
    if text in INSTALLED:
        layout, path = INSTALLED[text]
        if not LOADERS[layout].detect(path):
            raise SnellenError(f"{text}: not installed at {path} (apt-get install dataset-{text})")
        return LOADERS[layout].load(path)
    layout, sep, rest = text.partition(":")
    if sep and (layout in LOADERS or layout in ALIASES) and len(layout) > 1:
        layout = ALIASES.get(layout, layout)
        path = Path(rest).expanduser()
        if not path.exists():
            raise SnellenError(f"{path}: does not exist")
        if not LOADERS[layout].detect(path):
            raise DatasetLayoutError(f"{path}: not a {layout} layout (its files are missing); "
                                     f"detected: {detect_layout(path) or 'nothing known'}")
        return LOADERS[layout].load(path)
    path = Path(text).expanduser()
    if not path.exists():
        raise SnellenError(f"{path}: does not exist (give a dataset folder, <layout>:PATH or one of {', '.join(INSTALLED)})")
    layout = detect_layout(path)
    if layout is None:
        raise DatasetLayoutError(f"{path}: no known dataset layout (layouts: {', '.join(LOADERS)})")
    return LOADERS[layout].load(path)


__all__ = ["ALIASES", "DatasetLayoutError", "FineGrainedDataset", "INSTALLED", "Item", "LOADERS", "detect_layout",
           "open_finegrained", "read_names"]
