"""Re-measure a dataset from its pixels and check every claim its records make.

Works from the Sample record alone (no per-family code), so it checks our own folders, PNG folders and
FineSightBench alike. Per sample:

* the image decodes and has the stated canvas size; ids are unique; for snellen folders the seed, the
  task hash, the id and the suite hash are recomputed from the manifest's suite;
* the answer lies in its fields' spaces; targets lie on the canvas; target supports do not overlap;
* plain backgrounds (at least half of the pixels outside every target support share one colour): every
  pixel outside the supports is exactly that colour; inside a support each pixel is read as
  bg + a * contrast * (target - bg), and a pixel is ink when a >= 0.5 (it moved at least halfway from the
  background to the target colour). 8-bit rounding leaves a band of +-tol around 0.5 (tol = 0.5 *
  sum|d| / |d|^2 for d = contrast * (target - bg)), so the ink box is known between an inner box (surely
  ink) and an outer box (possibly ink); the stored box must lie between them. Pixels off the line from
  bg to the target colour are a defect (a recoloured target);
* scale: snellen profile: the nominal size must equal the stored box's measure (ink height for letters,
  digits and words, else the larger side; a target's `size_mode` attribute overrides) and lie within the
  pixel-measured range (+-0.5 px); finesight profile: sizes are what they came out, so the stored box
  is compared with the pixels only. measured_scale must be the measure of one of the targets;
* geometric size (the outline's extent after the fit, `Target.geometric`): where recorded, a snellen target's
  must lie in the fit's search range (render.FIT_DEVIATION: [nominal - 1, nominal + 3]); its distribution per family and nominal
  scale is reported (`VerifyReport.geometric_lines`), so one sees which sizes were drawn at "N px of ink";
* answers: counts and totals agree with the targets whose ink is present in the pixels (separated
  targets: one group of ink per support); sequences name the drawn targets in the order of their
  pixel-measured centres (or sizes) in the asked direction; single-target labels name the target's
  identity or colour; quadrant and relation answers agree with the pixel-measured centres.
* textured backgrounds (blurred texture, photos): ink cannot be separated from the background without
  knowing the background under the target, so targets there are counted as "not re-measurable from
  pixels" and only the record-level checks run (decode, canvas, ids, overlaps, answers vs recorded boxes).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from snellen.data.local import check_png
from snellen.probes.render import FIT_DEVIATION
from snellen.schema import Sample, SnellenError, Target, sample_id, split_of_seed

HEIGHT_KINDS = ("letter", "digit", "word", "text")
DIRECTIONS = {
    "left to right": ("x", False), "right to left": ("x", True), "top to bottom": ("y", False),
    "bottom to top": ("y", True), "smallest to largest": ("size", False), "largest to smallest": ("size", True),
}
RELATIONS = {"to the left of": ("x", -1), "to the right of": ("x", 1), "above": ("y", -1), "below": ("y", 1)}
QUADRANTS = ("top-left", "top-right", "bottom-left", "bottom-right")


@dataclass(frozen=True)
class Defect:
    sample_id: str
    defect: str
    expected: str
    found: str

    def line(self) -> str:
        return f"{self.sample_id}  {self.defect}: expected {self.expected}, found {self.found}"


@dataclass
class VerifyReport:
    path: str
    samples: int = 0
    targets: int = 0
    measured: int = 0  # targets re-measured from pixels
    not_measurable: int = 0  # targets on textured backgrounds
    ids_recomputed: int = 0
    seconds: float = 0.0
    defects: list[Defect] = field(default_factory=list)
    # (profile, family, nominal px) -> geometric sizes drawn (None: not recorded)
    geometric: dict[tuple[str, str, int], list[float | None]] = field(default_factory=dict)
    # defects of the labels as published, recorded by the loader (data/defects.py): (task, code) -> (id, detail)
    label_defects: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    task_samples: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.defects and not self.label_defects

    def summary(self) -> str:
        flagged = len({sid for found in self.label_defects.values() for sid, _ in found})
        parts = ([f"{len(self.defects)} defect(s)"] if self.defects else []) + (
            [f"{flagged} sample(s) with defects of the published labels"] if flagged else [])
        head = "OK" if self.ok else f"FAILED: {', '.join(parts)}"
        return (
            f"{head}: {self.samples} samples, {self.targets} targets ({self.measured} re-measured from pixels, "
            f"{self.not_measurable} on textured backgrounds not re-measurable from pixels), "
            f"{self.ids_recomputed} ids recomputed, {self.seconds:.1f} s"
        )


    def quality_lines(self) -> list[str]:
        """Per task and defect of the published labels: samples affected, share, what it does to a figure."""
        from snellen.data.defects import CATALOGUE

        if not self.label_defects:
            return []
        out = ["data quality of the labels as published (recorded by the loader), per task:"]
        for (task, code), found in sorted(self.label_defects.items()):
            n = self.task_samples.get(task, 0)
            d = CATALOGUE.get(code)
            out.append(f"  {task}: {d.title if d else code} [{code}]: {len(found)} of {n} samples "
                       f"({100.0 * len(found) / max(n, 1):.0f}%), e.g. {found[0][0]} ({found[0][1]})")
            if d:
                out.append(f"    effect: {d.effect}")
        return out

    def geometric_lines(self) -> list[str]:
        """The geometric sizes drawn per family and nominal scale: range, median, share off the nominal size."""
        if not self.geometric:
            return []
        out = ["geometric size drawn (outline extent after the fit, px) per family and nominal scale:"]
        for (profile, family, nominal) in sorted(self.geometric):
            sizes = self.geometric[(profile, family, nominal)]
            known = np.array([g for g in sizes if g is not None], dtype=float)
            head = f"  {profile:<9} {family:<24} {nominal:>4} px  {len(sizes):>6} targets  "
            if not len(known):
                out.append(head + "not recorded")
                continue
            off = int((known != nominal).sum())
            text = f"{known.min():g}" if known.min() == known.max() else f"{known.min():g}-{known.max():g} (median {np.median(known):g})"
            out.append(head + f"{text}; {off} off nominal ({100.0 * off / len(known):.0f}%)"
                       + (f"; {len(sizes) - len(known)} not recorded" if len(known) < len(sizes) else ""))
        return out


def _fmt_box(b) -> str:
    return "none" if b is None else f"({b[0]},{b[1]},{b[2]},{b[3]})"


def measure_of(kind: str, attributes: dict[str, Any], h: int, w: int) -> int:
    """Scale of an ink box: height for text-like kinds, else the larger side (`size_mode` overrides)."""
    mode = attributes.get("size_mode")
    if mode == "height" or (mode is None and kind in HEIGHT_KINDS):
        return h
    return max(h, w)


def _bbox(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def _inside(a, b) -> bool:
    """Box a inside box b."""
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


@dataclass
class _Measured:
    """A target as read from the pixels."""

    target: Target
    drawn: bool
    inner: tuple[int, int, int, int] | None = None
    outer: tuple[int, int, int, int] | None = None

    @property
    def box(self):
        # the stored box when the pixels confirm it, else the surely-ink box
        t = self.target
        if self.inner is not None and self.outer is not None and _inside(self.inner, t.box) and _inside(t.box, self.outer):
            return t.box
        return self.inner or self.outer or t.box

    def centre(self, axis: str) -> float:
        b = self.box
        return (b[0] + b[2]) / 2.0 if axis == "x" else (b[1] + b[3]) / 2.0

    def size(self) -> int:
        b = self.box
        return measure_of(self.target.kind, self.target.attributes, b[3] - b[1], b[2] - b[0])


class _Checker:
    def __init__(self, report: VerifyReport, recompute: Callable[[Sample], list[tuple[str, str, str]]] | None):
        self.report = report
        self.recompute = recompute
        self.seen: dict[str, int] = {}

    def add(self, s: Sample | str, defect: str, expected: Any, found: Any) -> None:
        sid = s if isinstance(s, str) else s.id
        self.report.defects.append(Defect(sid, defect, str(expected), str(found)))

    # --- per sample -------------------------------------------------------------------------------

    def sample(self, s: Sample) -> None:
        rep = self.report
        rep.samples += 1
        rep.targets += len(s.targets)
        if s.id in self.seen:
            self.add(s, "duplicate id", "unique ids", f"also sample #{self.seen[s.id]}")
        self.seen[s.id] = rep.samples
        rep.task_samples[s.task] = rep.task_samples.get(s.task, 0) + 1
        for code, detail in sorted(((s.extra or {}).get("defects") or {}).items()):
            rep.label_defects.setdefault((s.task, code), []).append((s.id, str(detail)))
        if self.recompute is not None:
            for what, expected, found in self.recompute(s):
                self.add(s, what, expected, found)
            rep.ids_recomputed += 1
        self.record(s)
        try:
            if s.png is not None:
                check_png(s.png, f"sample {s.id}")
            img = _decode(s)
        except SnellenError as exc:
            self.add(s, "image not decodable", "a decodable image", str(exc))
            return
        w, h = int(s.canvas[0]), int(s.canvas[1])
        if img.ndim != 3 or img.shape[:2] != (h, w):
            self.add(s, "canvas size", f"{w}x{h}", f"{img.shape[1]}x{img.shape[0]}")
            return
        measured = self.pixels(s, img)
        self.answers(s, measured, img.shape)
        s.image = None  # free the pixels: datasets are streamed

    def record(self, s: Sample) -> None:
        """Checks of the record itself: counts, answer spaces, boxes, overlaps."""
        if s.count != len(s.targets):
            self.add(s, "count", f"{len(s.targets)} (targets listed)", s.count)
        names = [f.name for f in s.fields]
        if sorted(names) != sorted(s.answer):
            self.add(s, "answer keys", sorted(names), sorted(s.answer))
        for f in s.fields:
            v = s.answer.get(f.name)
            if v is None:
                continue
            if f.kind == "label" and f.options is not None and v not in f.options:
                self.add(s, f"answer '{f.name}' outside its options", f"one of {len(f.options)} options", v)
            elif f.kind == "integer" and (not isinstance(v, int) or (f.low is not None and v < f.low) or (f.high is not None and v > f.high)):
                self.add(s, f"answer '{f.name}' outside its range", f"integer in [{f.low}, {f.high}]", v)
            elif f.kind == "sequence":
                if not isinstance(v, list) or (f.length is not None and len(v) != f.length) or len(set(v)) != len(v):
                    self.add(s, f"answer '{f.name}' is not a sequence of {f.length} distinct items", f.length, v)
                elif f.options is not None and any(x not in f.options for x in v):
                    self.add(s, f"answer '{f.name}' outside its options", "items from the options", [x for x in v if x not in f.options])
            elif f.kind == "counts" and (not isinstance(v, dict) or any(not isinstance(c, int) or c < 0 for c in v.values())):
                self.add(s, f"answer '{f.name}' is not a mapping of counts", "{key: count >= 0}", v)
        w, h = int(s.canvas[0]), int(s.canvas[1])
        for i, t in enumerate(s.targets):
            if not (0 <= t.support[0] < t.support[2] <= w and 0 <= t.support[1] < t.support[3] <= h):
                self.add(s, f"target {i} support off the canvas", f"inside {w}x{h}", _fmt_box(t.support))
            if not _inside(t.box, t.support) or t.box[2] <= t.box[0] or t.box[3] <= t.box[1]:
                self.add(s, f"target {i} ink box outside its support", f"inside {_fmt_box(t.support)}", _fmt_box(t.box))
        for i, a in enumerate(s.targets):
            for j in range(i + 1, len(s.targets)):
                b = s.targets[j]
                ix0, iy0 = max(a.support[0], b.support[0]), max(a.support[1], b.support[1])
                ix1, iy1 = min(a.support[2], b.support[2]), min(a.support[3], b.support[3])
                if ix0 < ix1 and iy0 < iy1:
                    self.add(s, f"targets {i} and {j} overlap", "disjoint supports", f"overlap {_fmt_box((ix0, iy0, ix1, iy1))}")
        for t in s.targets:
            self.report.geometric.setdefault((s.profile, s.family, int(t.nominal)), []).append(t.geometric)
        if s.profile == "snellen":
            for i, t in enumerate(s.targets):
                m = measure_of(t.kind, t.attributes, t.ink_h, t.ink_w)
                if m != t.nominal:
                    self.add(s, f"target {i} stored size", f"{t.nominal} px ({t.kind})", f"{m} px (box {_fmt_box(t.box)})")
                lo, hi = t.nominal + FIT_DEVIATION[0], t.nominal + FIT_DEVIATION[1]
                if t.geometric is not None and not (lo <= t.geometric <= hi):
                    self.add(s, f"target {i} geometric size", f"within the fit's range [{lo:g}, {hi:g}] px", f"{t.geometric:g} px")
        if s.targets and not (isinstance(s.measured_scale, float) and math.isnan(s.measured_scale)):
            sizes = {measure_of(t.kind, t.attributes, t.ink_h, t.ink_w) for t in s.targets}
            if float(s.measured_scale) not in {float(x) for x in sizes}:
                self.add(s, "measured_scale", f"the measured size of a target {sorted(sizes)}", s.measured_scale)

    def pixels(self, s: Sample, img: np.ndarray) -> list[_Measured]:
        """Background, stray ink, and each target's ink box from the pixels."""
        h, w = img.shape[:2]
        outside = np.ones((h, w), dtype=bool)
        for t in s.targets:
            x0, y0, x1, y1 = (max(0, v) for v in t.support)
            outside[y0:y1, x0:x1] = False
        bg, differs = _background(img, outside)
        if bg is None:
            self.report.not_measurable += len(s.targets)
            return [_Measured(t, drawn=True) for t in s.targets]
        name = (s.background or "").lower()
        named = {"white": (255, 255, 255), "black": (0, 0, 0)}.get(name)
        if named is not None and tuple(int(v) for v in bg) != named:
            self.add(s, "background colour", f"{name} {named}", tuple(int(v) for v in bg))
        stray = differs & outside
        n_stray = int(stray.sum())
        if n_stray:
            self.add(s, "pixels outside every target differ from the background", "0 px", f"{n_stray} px in {_fmt_box(_bbox(stray))}")
        out = []
        bgf = bg.astype(np.float64)
        for i, t in enumerate(s.targets):
            self.report.measured += 1
            contrast = float(s.contrast)  # the cell's contrast scales every target (attributes["contrast"] is a WCAG ratio)
            d = contrast * (np.asarray(t.rgb, dtype=np.float64) - bgf)
            dd = float(d @ d)
            if dd < 1e-9:
                self.add(s, f"target {i} colour equals the background", f"{t.rgb} visible on {tuple(bg)}", "no contrast")
                out.append(_Measured(t, drawn=False))
                continue
            x0, y0, x1, y1 = (max(0, v) for v in t.support)
            region = img[y0:y1, x0:x1].astype(np.float64) - bgf
            alpha = region @ d / dd
            tol = 0.5 * float(np.abs(d).sum()) / dd + 1e-4
            residual = np.abs(region - alpha[..., None] * d).max() if region.size else 0.0
            if residual > 1.0 + 1e-6 or (alpha.size and alpha.max() > 1 + tol):
                self.add(s, f"target {i} pixels are not its colour", f"blends of {tuple(bg)} and {t.colour} {t.rgb} at contrast {contrast:g}",
                         f"off by up to {residual:.1f} levels" if residual > 1.0 + 1e-6 else f"coverage {alpha.max():.2f} > 1")
            inner, outer = _bbox(alpha >= 0.5 + tol), _bbox(alpha >= 0.5 - tol)
            shift = lambda b: None if b is None else (b[0] + x0, b[1] + y0, b[2] + x0, b[3] + y0)  # noqa: E731
            inner, outer = shift(inner), shift(outer)
            m = _Measured(t, drawn=outer is not None, inner=inner, outer=outer)
            out.append(m)
            if outer is None:
                self.add(s, f"target {i} not drawn", f"ink of {t.label} in {_fmt_box(t.support)}", "no ink")
                continue
            if not ((inner is None or _inside(inner, t.box)) and _inside(t.box, outer)):
                self.add(s, f"target {i} ink box", _fmt_box(t.box), f"between {_fmt_box(inner)} and {_fmt_box(outer)}")
            if s.profile == "snellen":
                lo = measure_of(t.kind, t.attributes, inner[3] - inner[1], inner[2] - inner[0]) if inner else 0
                hi = measure_of(t.kind, t.attributes, outer[3] - outer[1], outer[2] - outer[0])
                if not (lo - 0.5 <= t.nominal <= hi + 0.5):
                    found = f"{lo} px" if lo == hi else f"{lo}-{hi} px"
                    self.add(s, f"target {i} size from pixels", f"{t.nominal} px ({t.kind})", found)
        return out

    def answers(self, s: Sample, measured: list[_Measured], shape) -> None:
        """Answers against what the pixels show (drawn targets, their centres and sizes)."""
        drawn = [m for m in measured if m.drawn]
        by = {f.name: f for f in s.fields}
        counts_total = None
        for f in s.fields:
            v = s.answer.get(f.name)
            if f.kind == "counts" and isinstance(v, dict):
                got = {k: c for k, c in v.items() if c}
                by_colour = Counter(m.target.colour for m in drawn)
                by_identity = Counter(m.target.identity for m in drawn)
                if got != dict(by_colour) and got != dict(by_identity):
                    self.add(s, f"answer '{f.name}' disagrees with the drawn targets", f"by colour {dict(by_colour)} or by identity {dict(by_identity)}", v)
                counts_total = sum(v.values())
        if counts_total is not None and "total" in by and s.answer.get("total") not in (counts_total,):
            self.add(s, "answer 'total' disagrees with its counts", counts_total, s.answer.get("total"))
        if counts_total is not None and counts_total != len(drawn):
            self.add(s, "count of drawn targets", f"{counts_total} (answer)", f"{len(drawn)} groups of ink")
        for f in s.fields:
            v = s.answer.get(f.name)
            if f.kind == "sequence" and isinstance(v, list):
                self._sequence(s, f.name, v, drawn)
            elif f.kind in ("label", "text") and isinstance(v, str):
                self._label(s, f, v, drawn, shape)

    def _sequence(self, s: Sample, name: str, v: list, drawn: list[_Measured]) -> None:
        labels = {m.target.label: m for m in drawn}
        idents = {m.target.identity: m for m in drawn}
        if sorted(v) == sorted(labels) and len(labels) == len(drawn):
            items = [labels[x] for x in v]
        elif sorted(v) == sorted(idents) and len(idents) == len(drawn):
            items = [idents[x] for x in v]
        else:
            self.add(s, f"answer '{name}' does not list the drawn targets", sorted(labels), v)
            return
        direction = _direction(s)
        if direction is None:
            return
        axis, reverse = DIRECTIONS[direction]
        keys = [m.size() if axis == "size" else m.centre(axis) for m in items]
        for a, b in zip(keys, keys[1:]):
            if (b < a - 0.5) if not reverse else (b > a + 0.5):
                self.add(s, f"answer '{name}' order", f"{direction} by pixel-measured {'size' if axis == 'size' else 'centre ' + axis}", f"{v} at {keys}")
                return

    def _label(self, s: Sample, f, v: str, drawn: list[_Measured], shape) -> None:
        h, w = shape[:2]
        options = set(f.options or ())
        if options == set(QUADRANTS):
            asked = [m for m in drawn if m.target.attributes.get("role") == "asked"] or (drawn if len(drawn) == 1 else [])
            if len(asked) == 1:
                b = asked[0].box
                horiz = "left" if b[2] <= w / 2 else "right" if b[0] >= w / 2 else None
                vert = "top" if b[3] <= h / 2 else "bottom" if b[1] >= h / 2 else None
                found = f"{vert}-{horiz}" if horiz and vert else f"straddles the centre {_fmt_box(b)}"
                if found != v:
                    self.add(s, f"answer '{f.name}'", found, v)
            return
        if options == {"yes", "no"}:
            a = [m for m in drawn if m.target.attributes.get("role") == "A"]
            b = [m for m in drawn if m.target.attributes.get("role") == "B"]
            relation = _relation(s)
            if len(a) == 1 and len(b) == 1 and relation is not None:
                axis, sign = RELATIONS[relation]
                delta = a[0].centre(axis) - b[0].centre(axis)
                holds = sign * delta > 0.5
                if abs(delta) > 0.5 and ("yes" if holds else "no") != v:
                    self.add(s, f"answer '{f.name}'", f"{'yes' if holds else 'no'} (A {relation} B by {delta:+.1f} px)", v)
            return
        if len(drawn) == 1:
            t = drawn[0].target
            candidates = [x for x in (t.identity, t.colour, t.label) if x in options] if options else [t.identity]
            if candidates and v not in candidates:
                self.add(s, f"answer '{f.name}' disagrees with the drawn target", candidates[0], v)


def _direction(s: Sample) -> str | None:
    d = s.extra.get("direction") if isinstance(s.extra, dict) else None
    if d in DIRECTIONS:
        return d
    text = (s.prompts.get("json") or s.prompts.get("free") or "").lower()
    hits = [k for k in DIRECTIONS if k in text]
    return hits[0] if len(hits) == 1 else None


def _relation(s: Sample) -> str | None:
    r = s.extra.get("relation") if isinstance(s.extra, dict) else None
    return r if r in RELATIONS else None


def _background(img: np.ndarray, outside: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(colour, differs): the colour shared by at least half of the pixels outside every target and the
    mask of pixels that differ from it; (None, None) for a textured background."""
    h, w = img.shape[:2]
    ys, xs = np.nonzero(outside[::8, ::8])
    if len(ys) == 0:
        return None, None
    sub = img[::8, ::8][ys, xs].astype(np.int64)
    packed = (sub[:, 0] << 16) | (sub[:, 1] << 8) | sub[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    top = int(values[np.argmax(counts)])
    colour = np.array([(top >> 16) & 255, (top >> 8) & 255, top & 255], dtype=np.uint8)
    # Whole rows of background are found with one comparison per row; only the others go pixel by pixel.
    flat = img.reshape(h, w * 3)
    row = np.tile(colour, w)
    if (w * 3) % 8 == 0 and flat.flags.c_contiguous:
        same = ~(flat.view(np.uint64) != row.view(np.uint64)).any(axis=1)
    else:
        same = ~(flat != row).any(axis=1)
    differs = np.zeros((h, w), dtype=bool)
    busy = np.flatnonzero(~same)
    if len(busy):
        differs[busy] = (img[busy] != colour).any(axis=2)
    n_out = int(outside.sum())
    share = 1.0 - float((differs & outside).sum()) / n_out
    return (colour, differs) if share >= 0.5 else (None, None)


def _decode(s: Sample) -> np.ndarray:
    """Pixels of a sample: our own PNGs with numpy, anything else with Pillow (via Sample.pixels)."""
    if s.image is None and s.png is not None:
        from snellen.probes.encode import decode_png_fast

        try:
            fast = decode_png_fast(s.png)
        except ValueError as exc:
            raise SnellenError(f"sample {s.id}: image cannot be decoded ({exc})") from None
        if fast is not None:
            return fast if fast.ndim == 3 else np.repeat(fast[..., None], 3, axis=2)
    return s.pixels()


# --- ids, seeds and hashes from a snellen manifest ------------------------------------------------


def _recomputer(manifest: dict[str, Any]) -> Callable[[Sample], list[tuple[str, str, str]]] | None:
    suite = manifest.get("suite") if isinstance(manifest, dict) else None
    if manifest.get("format") != "snellen-samples" or not isinstance(suite, dict) or "tasks" not in suite or "spec" not in suite:
        return None
    from pydantic import ValidationError

    from snellen.probes.suite import Suite, SuiteSpec, TaskEntry, WorkItem

    try:
        spec = SuiteSpec(**suite["spec"])
        # the suite as generated: each task with its resolved parameters (per_cell overrides included)
        tasks = [TaskEntry(name=t["name"], family=t["family"], params=t["params"]) for t in suite["tasks"]]
        rebuilt = Suite(spec.model_copy(update={"tasks": tasks}), "<manifest>")
    except (SnellenError, ValidationError, KeyError, TypeError) as exc:
        reason = str(exc).splitlines()[0]

        def cannot(s: Sample) -> list[tuple[str, str, str]]:
            return [("id not recomputable", "the manifest's suite rebuilt", f"cannot rebuild it: {reason}")]

        return cannot
    problems: list[tuple[str, str, str]] = []
    for task, stored in zip(rebuilt.tasks, suite["tasks"]):
        if task.spec_hash() != stored["hash"]:
            problems.append((f"task '{stored['name']}' hash", stored["hash"], task.spec_hash()))
    index = {e.name: i for i, e in enumerate(rebuilt.entries)}
    hashes = {e.name: t.spec_hash() for e, t in zip(rebuilt.entries, rebuilt.tasks)}
    first = [True]

    def check(s: Sample) -> list[tuple[str, str, str]]:
        out = []
        if first[0]:
            out += problems
            first[0] = False
        if s.suite_hash != suite.get("hash"):
            out.append(("suite hash", suite.get("hash"), s.suite_hash))
        if s.task not in index:
            return out + [("task", f"one of {sorted(index)}", s.task)]
        item = WorkItem(index[s.task], tuple(sorted(s.cell.items())), s.index)
        try:
            split = split_of_seed(s.seed)
        except ValueError:
            return out + [("seed range", "exam or train range", s.seed)]
        if split != s.split:
            out.append(("split of seed", split, s.split))
        seed = rebuilt.seed_for(item, s.split)
        if seed != s.seed:
            out.append(("seed", seed, s.seed))
        expected = sample_id(s.suite_version, hashes[s.task], s.task, s.cell, s.seed, s.index)
        if expected != s.id:
            out.append(("id not recomputable", expected, s.id))
        return out

    return check


def _check_shards(root: Path, manifest: dict[str, Any], checker: _Checker) -> None:
    import hashlib

    for shard in manifest.get("shards") or []:
        path = root / shard["path"]
        if "sha256" in shard and path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest != shard["sha256"]:
                checker.add("-", f"shard {shard['path']} checksum", shard["sha256"][:16], digest[:16])


def verify_samples(samples: Iterable[Sample], manifest: dict[str, Any] | None = None, path: str = "<samples>",
                   progress: Callable[[int], None] | None = None) -> VerifyReport:
    t0 = time.perf_counter()
    report = VerifyReport(path=path)
    checker = _Checker(report, _recomputer(manifest or {}))
    for s in samples:
        checker.sample(s)
        if progress:
            progress(1)
    report.seconds = time.perf_counter() - t0
    return report


def verify_dataset(path: str | Path, progress: Callable[[int], None] | None = None) -> VerifyReport:
    """Open any dataset snellen reads and verify every sample; raises SnellenError if it cannot be read."""
    from snellen.data import open_dataset

    t0 = time.perf_counter()
    source = open_dataset(path, checksums=False)  # a checksum mismatch is listed as a defect below
    if hasattr(source, "check_images"):
        source.check_images = False  # damaged images become per-sample defects here, not a stop
    manifest = getattr(source, "manifest", {}) or {}
    report = VerifyReport(path=str(path))
    checker = _Checker(report, _recomputer(manifest))
    if manifest.get("format") == "snellen-samples" and Path(path).is_dir():
        _check_shards(Path(path), manifest, checker)
    n = 0
    for s in source:
        checker.sample(s)
        n += 1
        if progress:
            progress(1)
    if manifest.get("format") == "snellen-samples" and isinstance(manifest.get("samples"), int) and manifest["samples"] != n:
        checker.add("-", "sample count", f"{manifest['samples']} (manifest)", n)
    report.seconds = time.perf_counter() - t0
    return report
