"""FineSightBench from local disk, as snellen Samples scored exactly like our own probes.

Three published forms are read (detected by layout, never by folder name):

* release folders `full_perception/` and `full_reasoning/` (labels.jsonl, labels.json, metadata.csv,
  images/), either split folder alone or their parent. labels.jsonl is required: it holds the
  JSON-answer prompt and the answer dict that the Hugging Face release was built from; labels.json, when
  present, adds the plain-text prompt (`prompts["free"]`) and the dataset name/version. metadata.csv
  repeats labels.json and is not read.
* a Hugging Face `DatasetDict` (splits `perception`, `reasoning`) written with `save_to_disk`;
* the same as Parquet files (`question` = JSON prompt, `answer` and `metadata` = JSON strings).

Quirks of the published data and how they are handled:

* the spatial chain's task_type is `chain_reasoning` (its ids say spatial_chain): task name
  `spatial_chain`, the original kept in `extra["task_type"]`;
* block_recognition's truth is always "yes": kept (it is the published truth); any task whose answer is
  the same in every loaded sample (at least CONSTANT_MIN of them) gets the `answer_constant` defect;
* blur_chain records claim a white background but draw on a blurred texture: background is recorded as
  `blurred texture` and no ink is measured against "white";
* perception records keep the size only in `targets[0].size`; reasoning records in `metadata.pixel_size`
  (text reasoning records have neither, so their targets' size is used);
* text_counting_chain's JSON prompt states the number of words, i.e. its own `total` answer: the sample
  keeps the published prompt and records the `prompt_states_answer` defect;
* spatial_chain and text_reading_chain order targets by the top-left corner of their published box; where two
  differently labelled targets share it, the published order is the drawing order (`order_tie` defect);
* comparison_chain draws its n sizes at random from the extended pool (COMPARISON_POOL) at or above the
  labelled size, or from the whole pool when fewer than n lie there, and never forces the labelled size in:
  samples with no target at their label get `size_label_not_drawn`, samples with targets below it
  `targets_below_label` (data/defects.py says what each does to a figure).

measured_scale: the published metadata has no measured size. Where the background is truly white, the
ink box of each target is measured from the pixels inside its published size x size box: a pixel is ink
when its projection onto the line from the background colour to the target colour reaches 0.5 (the
coverage >= 0.5 rule of probes/render.py). Letters are measured by ink height, every other target by the
larger side. A sample's measured scale is the smallest measured size among its targets drawn at the
sample's scale (the hardest one to see). Blur and text-in-the-wild samples (non-white backgrounds) have
measured_scale NaN with the reason in `extra["measured_scale_note"]`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from snellen.data import defects as dq
from snellen.schema import AnswerField, Sample, SnellenError, Target, chance_of, decode_image

SUITE = "finesightbench"

LETTERS = tuple(string.ascii_uppercase)
ANIMALS = ("cat", "dog", "fish", "bird", "rabbit", "turtle")
SHAPES = ("circle", "triangle", "square", "star", "diamond", "pentagon", "hexagon", "cross")
COLOURS = ("red", "green", "blue", "yellow", "cyan", "magenta", "orange", "purple", "pink", "brown", "black", "gray")
RECOGNITION_COLOURS = tuple(c for c in COLOURS if c != "black")
# The text-in-the-wild word bank and query letters (finesightbench/textwild/text_renderer.py).
WORD_BANK = (
    "HOME", "CITY", "ROAD", "STOP", "PARK", "CAFE", "OPEN", "EXIT", "TIME", "LIFE", "PLAY", "MOVE", "FAST",
    "SLOW", "HIGH", "COOL", "BOLD", "CALM", "WILD", "KIND", "LOUD", "SOFT", "EAST", "WEST", "MOON", "STAR",
    "FIRE", "RAIN", "SNOW", "LEAF", "TREE", "BIRD", "FISH", "LION", "BEAR", "WOLF", "FARM", "SHOP", "BANK",
    "HALL", "NOTE", "WORD", "BOOK", "PAGE", "MARK", "CODE", "DATA", "INFO",
)
IDENTITIES = {"letter": LETTERS, "shape": SHAPES, "dot": ("dot",), "animal": ANIMALS}
# comparison_chain's size pool: the pixel sizes and their midpoints (published generator, release notebook).
COMPARISON_POOL = (4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48)
CONSTANT_MIN = 5  # fewer samples than this sharing one answer is no evidence of a constant-answer task
# Largest object counts of the published grids: the uniform guesser's range for counts and totals.
MAX_COUNT = {"counting_chain": 20, "blur_chain": 10, "text_counting_chain": 8}

# task_type -> (snellen family, kind, task name)
TASKS: dict[str, tuple[str, str, str]] = {
    "letter_recognition": ("letter", "perception", "letter_recognition"),
    "animal_recognition": ("object", "perception", "animal_recognition"),
    "block_recognition": ("presence", "perception", "block_recognition"),
    "color_block_recognition": ("colour", "perception", "color_block_recognition"),
    "shape_recognition": ("shape", "perception", "shape_recognition"),
    "text_recognition": ("word", "perception", "text_recognition"),
    "chain_reasoning": ("ordering", "reasoning", "spatial_chain"),
    "spatial_chain": ("ordering", "reasoning", "spatial_chain"),
    "comparison_chain": ("comparison", "reasoning", "comparison_chain"),
    "counting_chain": ("counting", "reasoning", "counting_chain"),
    "blur_chain": ("blur_counting", "reasoning", "blur_chain"),
    "text_reading_chain": ("text_order", "reasoning", "text_reading_chain"),
    "text_counting_chain": ("letter_count", "reasoning", "text_counting_chain"),
}
# Published target types -> snellen target kinds.
TARGET_KINDS = {"animal": "object", "color_block": "block", "text": "word"}
HF_COLUMNS = {"image", "image_id", "task_type", "question", "answer", "metadata"}
RELEASE_SPLITS = ("full_perception", "full_reasoning")


# --- the source -----------------------------------------------------------------------------------


@dataclass
class Record:
    """One published sample before its pixels are read: the labels.jsonl fields, normalised."""

    image_id: str
    task_type: str
    question: str
    answer: dict[str, Any]
    metadata: dict[str, Any]
    difficulty: str | None
    free_prompt: str | None
    version: str | None
    origin: str  # file the record came from, for error messages
    image_name: str  # the image's file (or row) name, for error messages
    read_image: Callable[[], bytes]
    id: str = ""


class FineSightSource:
    """A loaded FineSightBench: `name`, `manifest`, iteration of Samples, `len`, `get(sample_id)`."""

    def __init__(self, name: str, manifest: dict[str, Any], records: list[Record]):
        self.name = name
        self.records = records
        self._by_id: dict[str, int] = {}
        for i, r in enumerate(records):
            r.id = sample_key(r)
            if r.id in self._by_id:
                raise SnellenError(f"{r.origin}: duplicate sample {r.image_id!r}")
            self._by_id[r.id] = i
        self.suite_hash = hashlib.sha256("\n".join(sorted(self._by_id)).encode()).hexdigest()[:16]
        self.manifest = {**manifest, "suite_hash": self.suite_hash, "num_samples": len(records)}
        self.constant = constant_answers(records)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Sample]:
        for r in self.records:
            yield to_sample(r, self.suite_hash, self.constant)

    def get(self, sample_id: str) -> Sample:
        if sample_id not in self._by_id:
            raise SnellenError(f"{self.name}: no sample with id {sample_id!r}")
        return to_sample(self.records[self._by_id[sample_id]], self.suite_hash, self.constant)


def constant_answers(records: list[Record]) -> dict[str, tuple[str, int]]:
    """Tasks whose answer is identical in every loaded sample (at least CONSTANT_MIN): task -> (answer, samples)."""
    seen: dict[str, set[str]] = {}
    n: dict[str, int] = {}
    for r in records:
        task = TASKS[r.task_type][2]
        seen.setdefault(task, set()).add(json.dumps(r.answer, sort_keys=True))
        n[task] = n.get(task, 0) + 1
    return {t: (next(iter(a)), n[t]) for t, a in seen.items() if len(a) == 1 and n[t] >= CONSTANT_MIN}


def sample_key(r: Record) -> str:
    """Stable id from the published content, identical across the release and Hugging Face forms.

    The HF form has no version, so the content (prompt, answer, metadata with positions and colours)
    stands in for it: a different release that reuses an image_id gets a different id.
    """
    kind = TASKS[r.task_type][1]
    key = json.dumps([SUITE, kind, r.image_id, r.question, r.answer, r.metadata], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:20]


# --- detection and loading ------------------------------------------------------------------------


def detect(path: str | Path) -> bool:
    """True if `path` is a FineSightBench release folder, a save_to_disk dataset or its Parquet files."""
    try:
        return _form(Path(path)) is not None
    except (OSError, ValueError):
        return False


def load(path: str | Path) -> FineSightSource:
    path = Path(path)
    if not path.exists():
        raise SnellenError(f"{path}: no such file or folder")
    form = _form(path)
    if form is None:
        raise SnellenError(
            f"{path}: not a FineSightBench dataset (expected labels.jsonl + images/, a save_to_disk "
            "dataset with image_id/task_type/question/answer/metadata, or such Parquet files)"
        )
    kind, where = form
    records = {"release": _release_records, "save_to_disk": _disk_records, "parquet": _parquet_records}[kind](where)
    if not records:
        raise SnellenError(f"{path}: the FineSightBench dataset holds no samples")
    versions = sorted({f"{TASKS[r.task_type][1]} {r.version}" for r in records if r.version})
    tasks: dict[str, int] = {}
    for r in records:
        tasks[TASKS[r.task_type][2]] = tasks.get(TASKS[r.task_type][2], 0) + 1
    manifest = {
        "format": "finesightbench", "form": kind, "path": str(path.resolve()), "profile": "finesight",
        "versions": versions, "tasks": tasks,
    }
    return FineSightSource(f"{SUITE}:{path.name}", manifest, records)


def _form(path: Path) -> tuple[str, Any] | None:
    if path.is_file():
        if path.suffix == ".parquet" and _parquet_ok(path):
            return "parquet", [path]
        return None
    if not path.is_dir():
        return None
    splits = _release_splits(path)
    if splits:
        return "release", splits
    if _disk_ok(path):
        return "save_to_disk", path
    # the Hub lays files out as data/<split>-*.parquet; look no deeper than two levels
    parquets = sorted(p for p in [*path.glob("*.parquet"), *path.glob("*/*.parquet")] if p.is_file())
    if parquets and all(_parquet_ok(p) for p in parquets):
        return "parquet", parquets
    return None


# --- release folders ------------------------------------------------------------------------------


def _is_release_split(folder: Path) -> bool:
    if not ((folder / "labels.jsonl").is_file() and (folder / "images").is_dir()):
        return False
    with open(folder / "labels.jsonl", encoding="utf-8") as fh:
        first = next((line for line in fh if line.strip()), "")
    try:
        rec = json.loads(first)
    except json.JSONDecodeError:
        return True  # looks like a release; load() reports the malformed line
    return isinstance(rec, dict) and "image_id" in rec and "task_type" in rec


def _release_splits(path: Path) -> list[Path]:
    if _is_release_split(path):
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and _is_release_split(p))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SnellenError(f"{path}: malformed JSON ({exc})") from None


def _release_records(splits: list[Path]) -> list[Record]:
    records = []
    for folder in splits:
        info, free = {}, {}
        labels = folder / "labels.json"
        if labels.is_file():
            data = _read_json(labels)
            if not isinstance(data, dict) or not isinstance(data.get("samples"), list):
                raise SnellenError(f"{labels}: expected {{\"dataset_info\": ..., \"samples\": [...]}}")
            info = data.get("dataset_info") or {}
            free = {s.get("image_id"): s.get("question") for s in data["samples"] if isinstance(s, dict)}
        jsonl = folder / "labels.jsonl"
        with open(jsonl, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{jsonl}:{lineno}"
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SnellenError(f"{where}: malformed JSON line ({exc.msg})") from None
                rel = _field(rec, "image_path", where)
                image = folder / rel
                if not image.is_file():
                    raise SnellenError(f"{image}: image missing (named by {where})")
                records.append(_record(rec, where, str(image), lambda image=image: image.read_bytes(),
                                       free.get(rec.get("image_id")), info.get("version")))
    return records


# --- Hugging Face forms ---------------------------------------------------------------------------


def _disk_ok(path: Path) -> bool:
    if (path / "dataset_dict.json").is_file():
        splits = _read_json(path / "dataset_dict.json").get("splits", [])
        return bool(splits) and all(_disk_ok(path / s) for s in splits)
    info = path / "dataset_info.json"
    if not ((path / "state.json").is_file() and info.is_file()):
        return False
    return HF_COLUMNS <= set((_read_json(info).get("features") or {}))


def _parquet_ok(path: Path) -> bool:
    import pyarrow.parquet as pq

    try:
        names = set(pq.read_schema(path).names)
    except Exception:  # noqa: BLE001 (not a readable Parquet file: simply not ours)
        return False
    return HF_COLUMNS <= names


def _disk_records(path: Path) -> list[Record]:
    import datasets

    try:
        loaded = datasets.load_from_disk(str(path))
    except Exception as exc:  # noqa: BLE001 (datasets raises many kinds; name the folder)
        raise SnellenError(f"{path}: cannot read the saved dataset ({type(exc).__name__}: {exc})") from None
    splits = loaded.items() if isinstance(loaded, datasets.DatasetDict) else [(path.name, loaded)]
    records = []
    for split, ds in splits:
        table = ds.with_format("arrow")[0 : len(ds)]
        records.extend(_table_records(table, f"{path}/{split}", path))
    return records


def _parquet_records(files: list[Path]) -> list[Record]:
    import pyarrow.parquet as pq

    records = []
    for f in files:
        try:
            table = pq.read_table(f)
        except Exception as exc:  # noqa: BLE001
            raise SnellenError(f"{f}: cannot read Parquet ({exc})") from None
        records.extend(_table_records(table, str(f), f.parent))
    return records


def _table_records(table, origin: str, base: Path) -> list[Record]:
    missing = HF_COLUMNS - set(table.column_names)
    if missing:
        raise SnellenError(f"{origin}: missing column(s) {', '.join(sorted(missing))}")
    cols = {c: table.column(c).to_pylist() for c in HF_COLUMNS | {"difficulty"} if c in table.column_names and c != "image"}
    images = table.column("image")
    records = []
    for i in range(table.num_rows):
        where = f"{origin} row {i}"
        rec = {c: v[i] for c, v in cols.items()}
        for key in ("answer", "metadata"):
            if isinstance(rec[key], str):
                try:
                    rec[key] = json.loads(rec[key])
                except json.JSONDecodeError as exc:
                    raise SnellenError(f"{where}: column {key!r} is not valid JSON ({exc.msg})") from None
        name = f"{where} ({rec.get('image_id')})"
        records.append(_record(rec, where, name, _row_image(images, i, base, name), None, None))
    return records


def _row_image(images, i: int, base: Path, name: str) -> Callable[[], bytes]:
    cell = images[i].as_py()
    data = cell.get("bytes") if isinstance(cell, dict) else cell
    if data:
        return lambda: data
    ref = cell.get("path") if isinstance(cell, dict) else None
    if ref and (base / ref).is_file():
        file = base / ref
        return lambda: file.read_bytes()
    raise SnellenError(f"{name}: image missing (no bytes{', path ' + str(base / ref) + ' not found' if ref else ''})")


# --- one record -----------------------------------------------------------------------------------


def _field(rec: dict, key: str, where: str) -> Any:
    if not isinstance(rec, dict) or key not in rec:
        raise SnellenError(f"{where}: record has no {key!r} field")
    return rec[key]


def _record(rec: dict, where: str, image_name: str, read: Callable[[], bytes], free: str | None, version: str | None) -> Record:
    task_type = _field(rec, "task_type", where)
    if task_type not in TASKS:
        raise SnellenError(f"{where}: unknown FineSightBench task_type {task_type!r}")
    answer, metadata = _field(rec, "answer", where), _field(rec, "metadata", where)
    if not isinstance(answer, dict):
        raise SnellenError(f"{where}: answer must be the JSON answer dict (labels.jsonl), got {answer!r}")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("targets"), list) or not metadata["targets"]:
        raise SnellenError(f"{where}: metadata.targets is missing or empty")
    for t in metadata["targets"]:
        for key in ("type", "value", "size", "position"):
            _field(t, key, f"{where} metadata.targets")
    return Record(
        image_id=str(_field(rec, "image_id", where)), task_type=task_type, question=str(_field(rec, "question", where)),
        answer=answer, metadata=metadata, difficulty=rec.get("difficulty"), free_prompt=free, version=version,
        origin=where, image_name=image_name, read_image=read,
    )


def _listed(prompt: str, marker: str) -> tuple[str, ...] | None:
    """The comma-separated vocabulary after `marker` in a prompt ('... one of: a, b, c.'), if spelt out."""
    m = re.search(re.escape(marker) + r"\s*([^.{}]+)\.", prompt)
    if not m:
        return None
    items = tuple(s.strip() for s in m.group(1).split(",") if s.strip())
    return None if any(s in ("...", "…") for s in items) else items


def _direction(r: Record) -> str | None:
    extra = r.metadata.get("extra") or {}
    if isinstance(extra.get("direction"), str):  # textwild says "from top to bottom"
        return extra["direction"].removeprefix("from ").strip()
    m = re.search(r"from (left to right|top to bottom|right to left|bottom to top|largest to smallest|smallest to largest)", r.question)
    return m.group(1) if m else None


def answer_fields(r: Record, family: str, count: int) -> list[AnswerField]:
    """The answer space of a record, from the vocabulary its prompt names (or the published one)."""
    q, targets = r.question, r.metadata["targets"]
    if family == "letter":
        return [AnswerField("letter", "label", options=_listed(q, "from:") or LETTERS)]
    if family == "object":
        return [AnswerField("animal", "label", options=_listed(q, "one of:") or ANIMALS)]
    if family == "presence":
        return [AnswerField("present", "label", options=("yes", "no"))]
    if family == "colour":
        return [AnswerField("color", "label", options=_listed(q, "one of:") or RECOGNITION_COLOURS)]
    if family == "shape":
        return [AnswerField("shape", "label", options=_listed(q, "one of:") or SHAPES)]
    if family == "word":
        return [AnswerField("word", "text", options=WORD_BANK)]
    if family in ("ordering", "comparison"):
        identities: list[str] = []
        for k in sorted({t["type"] for t in targets}):
            known = IDENTITIES.get(k) or sorted({str(t["value"]) for t in targets if t["type"] == k})
            identities.extend(i for i in known if i not in identities)
        options = tuple(f"{c} {i}" for c in COLOURS for i in identities)
        return [AnswerField("objects", "sequence", options=options, length=count)]
    if family in ("counting", "blur_counting"):
        high = MAX_COUNT[r.task_type]
        keys = tuple((r.answer.get("counts") or {}).keys())  # the prompt names the identities present
        return [AnswerField("counts", "counts", keys=keys, low=1, high=high), AnswerField("total", "integer", low=1, high=high)]
    if family == "text_order":
        return [AnswerField("words", "sequence", options=WORD_BANK, length=count)]
    if family == "letter_count":
        high = MAX_COUNT["text_counting_chain"]
        return [AnswerField("total", "integer", low=1, high=high), AnswerField("with_letter", "integer", low=0, high=high)]
    raise SnellenError(f"{r.origin}: no answer fields for family {family!r}")


def measure_target(pixels: np.ndarray, t: dict[str, Any], bg: tuple[int, int, int]) -> tuple[int, int, int, int] | None:
    """Ink box (absolute x0, y0, x1, y1) of a target inside its published size x size box, or None.

    A pixel is ink when its projection onto the background->target colour line reaches 0.5.
    """
    x, y, size = int(t["position"][0]), int(t["position"][1]), int(t["size"])
    h, w = pixels.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + size), min(h, y + size)
    rgb = t.get("color_rgb")
    if x1 <= x0 or y1 <= y0 or rgb is None:
        return None
    bgv = np.asarray(bg, dtype=np.float32)
    axis = np.asarray(rgb, dtype=np.float32) - bgv
    norm = float(axis @ axis)
    if norm < 1.0:
        return None  # target colour equals the background: nothing to measure
    crop = pixels[y0:y1, x0:x1].astype(np.float32)
    coverage = ((crop - bgv) @ axis) / norm
    ink = coverage >= 0.5
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    if len(rows) == 0:
        return None
    return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1


def to_sample(r: Record, suite_hash: str, constant: dict[str, tuple[str, int]] | None = None) -> Sample:
    family, kind, task = TASKS[r.task_type]
    md, targets_in = r.metadata, r.metadata["targets"]
    count = len(targets_in)
    if kind == "perception" or md.get("pixel_size") is None:
        scale = int(targets_in[0]["size"])
    else:
        scale = int(md["pixel_size"])
    png = r.read_image()
    pixels = decode_image(png, r.image_name)
    canvas = md.get("canvas_size")
    if canvas and (pixels.shape[1], pixels.shape[0]) != tuple(canvas):
        raise SnellenError(f"{r.image_name}: image is {pixels.shape[1]}x{pixels.shape[0]}, metadata says {canvas[0]}x{canvas[1]}")

    extra: dict[str, Any] = {"source": SUITE, "image_id": r.image_id, "task_type": r.task_type, "difficulty": r.difficulty}
    if r.version:
        extra["dataset_version"] = r.version
    white = r.task_type != "blur_chain" and md.get("background_source") is None and md.get("background_color", "white") == "white"
    if r.task_type == "blur_chain":
        background = "blurred texture"
        extra["background_claimed"] = md.get("background_color")
        blur = md.get("extra") or {}
        extra.update({"blur_radius": blur.get("blur_radius"), "blur_mode": blur.get("mode")})
    elif md.get("background_source"):
        background = str(md["background_source"]).replace("_", " ")
    else:
        background = str(md.get("background_color", "white"))
    bg_rgb = tuple(md.get("background_color_rgb") or (255, 255, 255))

    targets, measured = [], []
    for t in targets_in:
        x, y, size = int(t["position"][0]), int(t["position"][1]), int(t["size"])
        support = tuple(int(v) for v in t["bbox"]) if t.get("bbox") else (x, y, x + size, y + size)
        box = measure_target(pixels, t, bg_rgb) if white else None
        ttype = str(t["type"])
        identity = "block" if ttype in ("block", "color_block") else str(t["value"])
        attrs = {"finesight_type": ttype, "position": [x, y], "measured": box is not None}
        targets.append(Target(
            kind=TARGET_KINDS.get(ttype, ttype), identity=identity, colour=str(t.get("color", "")),
            rgb=tuple(int(v) for v in (t.get("color_rgb") or (0, 0, 0))), nominal=size,
            box=box if box is not None else support, support=support, attributes=attrs,
        ))
        if box is not None and size == scale:
            bh, bw = box[3] - box[1], box[2] - box[0]
            measured.append(((bh if ttype in ("letter", "text") else max(bh, bw)), bh, bw))
    if measured:
        measured_scale, ink_h, ink_w = min(measured)
        measured_scale = float(measured_scale)
        extra["measured_scale_note"] = "ink box measured from the pixels of the published size x size box (coverage >= 0.5)"
    else:
        measured_scale, ink_h, ink_w = math.nan, 0, 0
        drawn = sorted({int(t["size"]) for t in targets_in})
        if not white:
            extra["measured_scale_note"] = "not measured: the background is not plain white"
        elif scale not in drawn:
            extra["measured_scale_note"] = (f"not measured: no target is drawn at the labelled size {scale} px "
                                            f"(drawn at {', '.join(map(str, drawn))} px)")
        else:
            extra["measured_scale_note"] = "not measured: no ink found in the published target box"

    direction = _direction(r)
    if direction and family in ("ordering", "comparison", "text_order"):
        extra["direction"] = direction
        if family != "comparison":
            extra["axis"] = "x" if "left" in direction else "y"
    if family == "letter_count":
        letter = (md.get("sub_answers") or {}).get("letter")
        m = re.search(r"contain (?:the )?letter '([A-Z])'", r.question)
        extra["letter"] = m.group(1) if m else letter
    found = _defects(r, task, family, scale, direction, constant or {})
    if found:
        extra["defects"] = found

    fields = answer_fields(r, family, count)
    antialias = any(t["type"] in ("animal", "text") for t in targets_in)
    prompts = {"json": r.question}
    if r.free_prompt:
        prompts["free"] = r.free_prompt
    cell: dict[str, Any] = {"scale": scale, "contrast": 1.0}
    if kind == "reasoning":
        cell["count"] = count
    m = re.search(r"_(\d+)$", r.image_id)
    return Sample(
        id=r.id or sample_key(r), suite=SUITE, suite_version=r.version or "unknown", suite_hash=suite_hash,
        task=task, family=family, kind=kind, split="exam", seed=0, index=int(m.group(1)) if m else 0, cell=cell,
        prompts=prompts, answer=r.answer, fields=fields, chance=chance_of(fields), scale=scale,
        measured_scale=measured_scale, ink_h=int(ink_h), ink_w=int(ink_w), count=count, targets=targets,
        canvas=(pixels.shape[1], pixels.shape[0]), background=background, contrast=1.0,
        font="DejaVuSans-Bold" if any(t["type"] == "letter" for t in targets_in) else None,
        profile="finesight", antialias=antialias, extra=extra, image=None, png=png,
    )


def _defects(r: Record, task: str, family: str, scale: int, direction: str | None,
             constant: dict[str, tuple[str, int]]) -> dict[str, str]:
    """The defects of one published record (data/defects.py): code -> what, for this sample."""
    out: dict[str, str] = {}
    targets = r.metadata["targets"]
    if task in constant:
        answer, n = constant[task]
        out["answer_constant"] = f"the answer is {answer} in all {n} {task} samples loaded"
    for key, value in r.answer.items():
        if isinstance(value, int) and not isinstance(value, bool):
            m = re.search(rf"\bcontains {value}\b[^.,;]*", r.question)
            if m:
                out["prompt_states_answer"] = f"the prompt says '{m.group(0).strip()}'; the answer's {key} is {value}"
    if family in ("ordering", "text_order") and direction:
        axis = 0 if "left" in direction else 1  # the published order sorts by the box's top-left corner
        labels = [str(t["value"]) if family == "text_order" else f"{t.get('color')} {t['value']}" for t in targets]
        ties = dq.order_ties([t["position"][axis] for t in targets], labels)
        if ties:
            a, b = ties[0]
            out["order_tie"] = (f"{a!r} and {b!r} share {'x' if axis == 0 else 'y'} = "
                                f"{next(t['position'][axis] for t, lab in zip(targets, labels) if lab == a)} "
                                f"({direction}); the published order follows drawing order")
    if family == "comparison":
        sizes = [int(t["size"]) for t in targets]
        above = sum(1 for p in COMPARISON_POOL if p >= scale)
        why = (f": fewer than {len(sizes)} pool sizes lie at or above {scale} px, so the sizes came from the whole "
               f"{COMPARISON_POOL[0]}-{COMPARISON_POOL[-1]} px pool" if above < len(sizes) else
               f": the {len(sizes)} sizes are a random pick from the pool at or above {scale} px, which does not "
               "keep the labelled size")
        out.update(dq.size_label_defects(scale, sizes, why))
    return out
