"""Drawing primitives with exact, measured pixel scale.

Every target is a coverage mask (float32 in [0, 1]) composited onto the canvas at an integer offset.
"Ink" is the set of pixels with coverage >= 0.5; a target's scale is measured on its ink box after
rendering. Masks are fitted so the ink box has exactly the requested size (see `fit_outline`), and are
cached per (outline, size, mode, antialias): a target drawn twice is the same pixels.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from snellen.schema import SnellenError, Target

INK = 0.5  # coverage at which a pixel counts as ink

# Named colours used across tasks (FineSightBench's palette, plus white/black for contrast work).
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (255, 0, 0),
    "green": (0, 180, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "cyan": (0, 255, 255),
    "magenta": (255, 0, 255),
    "orange": (255, 165, 0),
    "purple": (128, 0, 128),
    "pink": (255, 192, 203),
    "brown": (139, 69, 19),
    "black": (0, 0, 0),
    "gray": (128, 128, 128),
}
# The 11 chromatic/achromatic names of colour recognition (black excluded, as in FineSightBench).
RECOGNITION_COLOURS = tuple(c for c in COLOURS if c != "black")
# Colours that stay well visible on white at full contrast (yellow/cyan/pink are faint on white).
DARK_COLOURS = ("red", "green", "blue", "magenta", "orange", "purple", "brown", "black", "gray")


class CanvasFullError(SnellenError):
    pass


def font_path(name: str = "DejaVuSans-Bold") -> Path:
    """Fonts come from matplotlib's bundled copies, never from system paths, so renders match everywhere."""
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / f"{name}.ttf"
    if not path.exists():
        raise SnellenError(f"font {name!r} is not bundled with matplotlib ({path})")
    return path


# --- high-resolution outlines -------------------------------------------------------------------

HIRES = 384  # px: outlines are rasterised this large, then area-averaged down


@lru_cache(maxsize=512)
def glyph_outline(text: str, font: str = "DejaVuSans-Bold") -> np.ndarray:
    """Tight-cropped high-resolution coverage of `text` (one glyph or a word)."""
    f = ImageFont.truetype(str(font_path(font)), HIRES)
    left, top, right, bottom = f.getbbox(text)
    img = Image.new("L", (right - left + 8, bottom - top + 8), 0)
    ImageDraw.Draw(img).text((4 - left, 4 - top), text, font=f, fill=255)
    return _tight(np.asarray(img, dtype=np.float32) / 255.0)


def polygon_outline(points: list[tuple[float, float]] | list[list[tuple[float, float]]], ellipses=()) -> np.ndarray:
    """High-resolution coverage of polygons (and ellipses) given in unit coordinates [0, 1]^2."""
    n = HIRES * 2
    img = Image.new("L", (n, n), 0)
    draw = ImageDraw.Draw(img)
    polys = points if points and isinstance(points[0], list) else [points]
    for poly in polys:
        if poly:
            draw.polygon([(x * (n - 1), y * (n - 1)) for x, y in poly], fill=255)
    for (cx, cy, rx, ry) in ellipses:
        draw.ellipse([(cx - rx) * (n - 1), (cy - ry) * (n - 1), (cx + rx) * (n - 1), (cy + ry) * (n - 1)], fill=255)
    return _tight(np.asarray(img, dtype=np.float32) / 255.0)


def _tight(a: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(a > 0)
    if len(ys) == 0:
        raise SnellenError("outline is empty")
    return np.ascontiguousarray(a[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1])


# --- fitting outlines to exact ink sizes --------------------------------------------------------


@dataclass(frozen=True)
class Mask:
    """A fitted coverage mask and its ink box (x0, y0, x1, y1) relative to the mask's top-left.

    `geometric` is the size the outline was drawn at, along the axis its scale is measured on (height for
    letters, digits and words; the larger side for shapes, blocks, dots and silhouettes), in px before
    rasterisation: the outline's extent after the fit. None where no outline extent is known.
    """

    alpha: np.ndarray
    ink: tuple[int, int, int, int]
    geometric: float | None = None

    @property
    def h(self) -> int:
        return self.alpha.shape[0]

    @property
    def w(self) -> int:
        return self.alpha.shape[1]

    @property
    def ink_h(self) -> int:
        return self.ink[3] - self.ink[1]

    @property
    def ink_w(self) -> int:
        return self.ink[2] - self.ink[0]


def ink_box(alpha: np.ndarray, threshold: float = INK) -> tuple[int, int, int, int] | None:
    rows = np.nonzero((alpha >= threshold).any(axis=1))[0]
    if len(rows) == 0:
        return None
    cols = np.nonzero((alpha >= threshold).any(axis=0))[0]
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def _resample(hi: np.ndarray, out_h: float, out_w: float, off_y: float, off_x: float) -> np.ndarray:
    """Area-average `hi` so that it spans out_h x out_w output pixels, shifted by a sub-pixel offset."""
    H, W = hi.shape
    ky, kx = H / out_h, W / out_w
    pad = int(math.ceil(3 * max(ky, kx))) + 2
    src = Image.fromarray(np.pad(hi, pad), mode="F")
    oh, ow = int(math.ceil(out_h + off_y)) + 1, int(math.ceil(out_w + off_x)) + 1
    x0, y0 = pad - off_x * kx, pad - off_y * ky
    out = src.resize((ow, oh), Image.Resampling.BOX, box=(x0, y0, x0 + ow * kx, y0 + oh * ky))
    return np.clip(np.asarray(out, dtype=np.float32), 0.0, 1.0)


def _trim(alpha: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(alpha > 1.0 / 255.0)
    return alpha[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


@lru_cache(maxsize=8192)
def fit_outline_cached(key: str, size: int, mode: str, antialias: bool, width: int | None = None) -> Mask:
    return fit_outline(_OUTLINES[key](), size, mode, antialias, width)


_OUTLINES: dict[str, callable] = {}


def register_outline(key: str, factory) -> str:
    """Name a high-resolution outline factory so fitted masks can be cached by name."""
    _OUTLINES[key] = factory
    return key


def fit_outline(hi: np.ndarray, size: int, mode: str = "height", antialias: bool = True, width: int | None = None) -> Mask:
    """Fit a high-res outline so its measured ink box has exactly the requested size.

    mode="height": ink height == size, width follows the outline's aspect ratio (letters, digits, words).
    mode="side":   max(ink height, ink width) == size, aspect kept (shapes, silhouettes: bounding-box side).
    mode="box":    ink height == size and ink width == `width` (or size): squashed to a box.
    The search runs over the rendered extent and the sub-pixel phase; the first candidate that
    measures exactly right wins. Extents are tried closest to `size` first (`_DELTAS`), so the drawn
    geometric size (recorded in `Mask.geometric`) deviates from the nominal size as little as the 1/8 px
    grid allows; on a tie, the smaller extent wins. Raises if none does (never returns a silently wrong size).
    """
    if size < 1:
        raise SnellenError(f"scale must be a positive number of pixels, got {size}")
    H, W = hi.shape
    aspect = W / H
    target_w = width if width is not None else size
    best = None
    for delta in _DELTAS:
        for phase in _PHASES:
            if mode == "height":
                out_h = size + delta
                out_w = out_h * aspect
            elif mode == "side":
                if H >= W:
                    out_h = size + delta
                    out_w = out_h * aspect
                else:
                    out_w = size + delta
                    out_h = out_w / aspect
            elif mode == "box":
                out_h, out_w = size + delta, target_w + delta
            else:
                raise ValueError(f"unknown fit mode {mode!r}")
            if out_h <= 0.25 or out_w <= 0.25:
                continue
            alpha = _resample(hi, out_h, out_w, phase, phase)
            if not antialias:
                alpha = (alpha >= INK).astype(np.float32)
            box = ink_box(alpha)
            if box is None:
                continue
            ih, iw = box[3] - box[1], box[2] - box[0]
            ok = (
                (mode == "height" and ih == size)
                or (mode == "side" and max(ih, iw) == size)
                or (mode == "box" and ih == size and iw == target_w)
            )
            if ok:
                alpha = _trim(alpha)
                box = ink_box(alpha)
                return Mask(alpha=np.ascontiguousarray(alpha), ink=box, geometric=float(size + delta))
            if best is None:
                best = (ih, iw)
    raise SnellenError(f"cannot fit outline to {mode} {size} px (closest ink box {best})")


# Search order: closest extents first (|delta|, then the smaller extent), so the fitted outline's geometric
# size is as close to the nominal size as possible; tests/probes/test_geometric.py proves it by brute force.
_DELTAS = sorted({round(d / 8.0, 3) for d in range(-8, 25)}, key=lambda d: (abs(d), d))
_PHASES = (0.0, 0.5, 0.25, 0.75)
# The range of geometric size minus nominal size a fitted snellen target can have (px).
FIT_DEVIATION = (min(_DELTAS), max(_DELTAS))


def nearest_box_mask(hi: np.ndarray, h: int, w: int) -> Mask:
    """FineSightBench's recipe: squash an outline to h x w with nearest-neighbour sampling (geometric height h)."""
    img = Image.fromarray((hi * 255).astype(np.uint8), mode="L").resize((w, h), Image.Resampling.NEAREST)
    alpha = np.asarray(img, dtype=np.float32) / 255.0
    box = ink_box(alpha) or (0, 0, 0, 0)
    return Mask(alpha=alpha, ink=box, geometric=float(h))


# --- canvas, placement, compositing -------------------------------------------------------------


def blank(height: int, width: int, rgb: tuple[int, int, int] = (255, 255, 255)) -> np.ndarray:
    # Filling from one prepared row is ~50x faster than broadcasting a Python tuple over the canvas.
    row = np.empty((width, 3), dtype=np.uint8)
    row[:] = rgb
    canvas = np.empty((height, width, 3), dtype=np.uint8)
    canvas[:] = row
    return canvas


def composite(canvas: np.ndarray, mask: Mask, x: int, y: int, rgb: tuple[int, int, int], contrast: float = 1.0) -> None:
    """Paint `rgb` through `mask` at (x, y) in place: out = bg + alpha * contrast * (rgb - bg)."""
    region = canvas[y : y + mask.h, x : x + mask.w]
    a = mask.alpha[..., None] * np.float32(contrast)
    bg = region.astype(np.float32)
    region[...] = np.rint(bg + a * (np.asarray(rgb, dtype=np.float32) - bg)).astype(np.uint8)


def place(
    rng: np.random.Generator,
    masks: list[Mask],
    canvas_hw: tuple[int, int],
    margin: int = 10,
    gap: int = 4,
    axis_separation: tuple[int, float] | None = None,
    attempts: int = 400,
    restarts: int = 50,
    what: str = "targets",
) -> list[tuple[int, int]]:
    """Random non-overlapping top-left positions for masks, keeping `gap` px between supports.

    axis_separation=(axis, d): ink centres differ by at least d px along axis 0 (x) or 1 (y), so an
    order along that axis is unambiguous from the pixels. Raises CanvasFullError rather than overlap.
    """
    H, W = canvas_hw
    key = apart = None
    if axis_separation is not None:
        axis, d = axis_separation

        def key(x: int, y: int, m: Mask) -> float:
            return (x + (m.ink[0] + m.ink[2]) / 2.0) if axis == 0 else (y + (m.ink[1] + m.ink[3]) / 2.0)

        def apart(c: float, o: float) -> bool:
            return abs(c - o) >= d

    positions = place_apart(
        rng, masks, canvas_hw, margin, gap, key, apart, attempts, restarts,
        misfit=lambda m: f"a {m.h}x{m.w} px target does not fit a {H}x{W} canvas with margin {margin}",
    )
    if positions is not None:
        return positions
    raise CanvasFullError(
        f"cannot place {len(masks)} {what} without overlap on a {H}x{W} canvas "
        f"(margin {margin}, gap {gap}{', separation ' + str(axis_separation[1]) if axis_separation else ''})"
    )


def place_apart(
    rng: np.random.Generator,
    masks: list[Mask],
    canvas_hw: tuple[int, int],
    margin: int,
    gap: int,
    key: Callable[[int, int, Mask], Any] | None,
    apart: Callable[[Any, Any], bool] | None,
    attempts: int,
    restarts: int,
    misfit: Callable[[Mask], str],
) -> list[tuple[int, int]] | None:
    """Rejection sampling behind `place` and words.place_ordered: uniform top-left positions, supports `gap`
    px apart, and (with `key`) each new position's key `apart` from every key placed before. Up to `attempts`
    draws a mask and `restarts` restarts of the whole set; None when every restart fails. A mask larger than
    the canvas raises CanvasFullError(misfit(mask))."""
    H, W = canvas_hw
    for _ in range(restarts):
        boxes: list[tuple[int, int, int, int]] = []
        keys: list[Any] = []
        positions: list[tuple[int, int]] = []
        for m in masks:
            if m.w + 2 * margin > W or m.h + 2 * margin > H:
                raise CanvasFullError(misfit(m))
            for _ in range(attempts):
                x = int(rng.integers(margin, W - margin - m.w + 1))
                y = int(rng.integers(margin, H - margin - m.h + 1))
                b = (x, y, x + m.w, y + m.h)
                if any(b[0] < o[2] + gap and o[0] < b[2] + gap and b[1] < o[3] + gap and o[1] < b[3] + gap for o in boxes):
                    continue
                if key is not None:
                    k = key(x, y, m)
                    if not all(apart(k, o) for o in keys):
                        continue
                    keys.append(k)
                boxes.append(b)
                positions.append((x, y))
                break
            else:
                break
        if len(positions) == len(masks):
            return positions
    return None


def draw_target(
    canvas: np.ndarray,
    mask: Mask,
    x: int,
    y: int,
    *,
    kind: str,
    identity: str,
    colour: str,
    nominal: int,
    contrast: float = 1.0,
    rgb: tuple[int, int, int] | None = None,
    **attributes,
) -> Target:
    rgb = rgb if rgb is not None else COLOURS[colour]
    composite(canvas, mask, x, y, rgb, contrast)
    ix0, iy0, ix1, iy1 = mask.ink
    return Target(
        kind=kind, identity=identity, colour=colour, rgb=tuple(int(v) for v in rgb), nominal=nominal,
        box=(x + ix0, y + iy0, x + ix1, y + iy1), support=(x, y, x + mask.w, y + mask.h), attributes=attributes,
        geometric=mask.geometric,
    )
