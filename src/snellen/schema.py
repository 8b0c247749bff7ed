"""The sample record: one probe image with its question, structured answer and exact geometry.

Everything downstream (models, store, scoring, analysis) reads only this record, so probes we draw and
external datasets loaded from disk (FineSightBench) are evaluated and scored the same way.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

SCHEMA_VERSION = 1

Kind = Literal["perception", "reasoning"]
Split = Literal["exam", "train"]
FieldKind = Literal["label", "integer", "sequence", "counts", "text"]

# Exam and training samples draw per-sample seeds from disjoint ranges, so a training stream can
# prove it never saw an exam image.
EXAM_SEED_RANGE = (0, 2**31)
TRAIN_SEED_RANGE = (2**31, 2**62)


def split_of_seed(seed: int) -> Split:
    if EXAM_SEED_RANGE[0] <= seed < EXAM_SEED_RANGE[1]:
        return "exam"
    if TRAIN_SEED_RANGE[0] <= seed < TRAIN_SEED_RANGE[1]:
        return "train"
    raise ValueError(f"seed {seed} is outside both the exam and the train seed ranges")


@dataclass(frozen=True)
class AnswerField:
    """One field of a task's structured answer, and the finite space it is drawn from.

    kind:
      label     one value from `options` (letters, shapes, colours, yes/no)
      integer   a whole number in [low, high]
      sequence  an ordered list of `length` distinct items from `options` ("<colour> <identity>")
      counts    a mapping {key: count}; keys are told in the prompt, counts in [low, high]
      text      open vocabulary (word reading); `options` may hold the word bank
    """

    name: str
    kind: FieldKind
    options: tuple[str, ...] | None = None
    low: int | None = None
    high: int | None = None
    length: int | None = None
    keys: tuple[str, ...] | None = None

    def space_size(self) -> float:
        """Number of equally likely answers a uniform guesser chooses from (inf for open text)."""
        if self.kind == "label":
            return float(len(self.options or ()))
        if self.kind == "integer":
            return float(self.high - self.low + 1)
        if self.kind == "sequence":
            n, size = len(self.options or ()), 1.0
            for i in range(self.length or 0):
                size *= n - i
            return size
        if self.kind == "counts":
            return float(self.high - self.low + 1) ** len(self.keys or ())
        if self.kind == "text":
            return float(len(self.options)) if self.options else float("inf")
        raise ValueError(f"unknown field kind {self.kind!r}")

    def to_dict(self) -> dict[str, Any]:
        # Field by field, not dataclasses.asdict (a recursive deep copy): this runs for every stored sample.
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        for key in ("options", "low", "high", "length", "keys"):
            v = getattr(self, key)
            if v is not None:
                out[key] = list(v) if isinstance(v, tuple) else v
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AnswerField:
        d = dict(d)
        for key in ("options", "keys"):
            if d.get(key) is not None:
                d[key] = tuple(d[key])
        return cls(**d)


def chance_of(fields: list[AnswerField]) -> float:
    """Strict-accuracy chance of a uniform guesser whose fields are drawn independently."""
    p = 1.0
    for f in fields:
        p /= f.space_size()
    return p


@dataclass
class Target:
    """One drawn target. Boxes are pixel boxes (x0, y0, x1, y1), x1/y1 exclusive.

    `box` is the ink box (pixels with at least 50% coverage), measured after rendering;
    `support` is every pixel the target touched at all (for overlap checks);
    `geometric` is the size the outline was drawn at (px, before rasterisation) along the axis its scale
    is measured on: its extent after the fit (see render.fit_outline). None where unknown (loaded data,
    datasets written before it was recorded).
    """

    kind: str
    identity: str
    colour: str
    rgb: tuple[int, int, int]
    nominal: int
    box: tuple[int, int, int, int]
    support: tuple[int, int, int, int]
    attributes: dict[str, Any] = field(default_factory=dict)
    geometric: float | None = None

    @property
    def ink_h(self) -> int:
        return self.box[3] - self.box[1]

    @property
    def ink_w(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def center(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2.0, (self.box[1] + self.box[3]) / 2.0)

    @property
    def label(self) -> str:
        """How answers name this target: '<colour> <identity>'."""
        return f"{self.colour} {self.identity}"

    def to_dict(self) -> dict[str, Any]:
        out = {
            "kind": self.kind, "identity": self.identity, "colour": self.colour, "rgb": list(self.rgb),
            "nominal": self.nominal, "box": list(self.box), "support": list(self.support),
            "attributes": copy.deepcopy(self.attributes),
        }
        if self.geometric is not None:
            out["geometric"] = self.geometric
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Target:
        return cls(
            kind=d["kind"], identity=d["identity"], colour=d["colour"], rgb=tuple(d["rgb"]),
            nominal=int(d["nominal"]), box=tuple(d["box"]), support=tuple(d.get("support", d["box"])),
            attributes=dict(d.get("attributes") or {}),
            geometric=None if d.get("geometric") is None else float(d["geometric"]),
        )


@dataclass
class Sample:
    """One probe. `image` is an HxWx3 uint8 array in memory; `png` its lossless encoding on disk."""

    id: str
    suite: str
    suite_version: str
    suite_hash: str
    task: str
    family: str
    kind: Kind
    split: Split
    seed: int
    index: int
    cell: dict[str, Any]
    prompts: dict[str, str]
    answer: dict[str, Any]
    fields: list[AnswerField]
    chance: float
    scale: int
    measured_scale: float
    ink_h: int
    ink_w: int
    count: int
    targets: list[Target]
    canvas: tuple[int, int]
    background: str = "white"
    contrast: float = 1.0
    font: str | None = None
    profile: str = "snellen"
    antialias: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    image: np.ndarray | None = None
    png: bytes | None = None

    @property
    def options(self) -> list[str] | None:
        """Closed-set options of the main (first) field, where it has them."""
        f = self.fields[0] if self.fields else None
        return list(f.options) if f is not None and f.options is not None and f.kind == "label" else None

    @property
    def geometric_scale(self) -> float:
        """The geometric size (Target.geometric) of the smallest target drawn, the one measured_scale is
        about: min over targets. NaN when a target lacks it (loaded data, datasets from before it was recorded)."""
        sizes = [t.geometric for t in self.targets]
        if not sizes or any(g is None for g in sizes):
            return float("nan")
        return float(min(sizes))

    def pixels(self) -> np.ndarray:
        if self.image is None:
            if self.png is None:
                raise ValueError(f"sample {self.id} has neither pixels nor PNG bytes")
            self.image = decode_image(self.png, self.id)
        return self.image

    def png_bytes(self) -> bytes:
        if self.png is None:
            from snellen.probes.encode import encode_png

            self.png = encode_png(self.pixels())
        return self.png

    def meta(self) -> dict[str, Any]:
        """Everything but the image, JSON-serialisable."""
        return {
            "id": self.id, "suite": self.suite, "suite_version": self.suite_version,
            "suite_hash": self.suite_hash, "task": self.task, "family": self.family, "kind": self.kind,
            "split": self.split, "seed": self.seed, "index": self.index, "cell": self.cell,
            "prompts": self.prompts, "answer": self.answer, "fields": [f.to_dict() for f in self.fields],
            "options": self.options, "chance": self.chance, "scale": self.scale,
            "measured_scale": self.measured_scale, "ink_h": self.ink_h, "ink_w": self.ink_w,
            "count": self.count, "targets": [t.to_dict() for t in self.targets],
            "canvas": list(self.canvas), "background": self.background, "contrast": self.contrast,
            "font": self.font, "profile": self.profile, "antialias": self.antialias, "extra": self.extra,
        }

    @classmethod
    def from_meta(cls, meta: dict[str, Any], png: bytes | None = None, image: np.ndarray | None = None) -> Sample:
        m = dict(meta)
        m.pop("options", None)
        m["fields"] = [AnswerField.from_dict(f) for f in m["fields"]]
        m["targets"] = [Target.from_dict(t) for t in m["targets"]]
        m["canvas"] = tuple(m["canvas"])
        return cls(**m, png=png, image=image)


def sample_id(suite_version: str, task_hash: str, task: str, cell: dict[str, Any], seed: int, index: int) -> str:
    key = json.dumps([SCHEMA_VERSION, suite_version, task_hash, task, cell, seed, index], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def decode_image(data: bytes, name: str) -> np.ndarray:
    """Decode image bytes to HxWx3 uint8, with an error that names the culprit.

    PNGs written by snellen's encoder take a numpy path (about 2x Pillow; zlib still verifies the data's
    checksum); any other image goes through Pillow. Both give the same pixels (tests compare them)."""
    from PIL import Image, UnidentifiedImageError

    from snellen.probes.encode import decode_png_fast

    try:
        fast = decode_png_fast(data)
    except ValueError as exc:
        raise CorruptImageError(f"{name}: image cannot be decoded ({exc})") from exc
    if fast is not None:
        return fast if fast.ndim == 3 else np.repeat(fast[..., None], 3, axis=2)
    try:
        # Pillow decodes a PNG whose data fails its CRC without complaint (wrong pixels): verify first.
        with Image.open(io.BytesIO(data)) as im:
            im.verify()
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            return np.asarray(im.convert("RGB"))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise CorruptImageError(f"{name}: image cannot be decoded ({exc})") from exc


class SnellenError(Exception):
    """An error the CLI reports as one line and a non-zero exit."""


class CorruptImageError(SnellenError):
    pass
