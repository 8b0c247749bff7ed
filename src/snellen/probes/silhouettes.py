"""Object silhouettes (target kind "object"): animals drawn from vector outlines authored here.

Each class is a list of primitives in unit coordinates (x right, y down, a 1 x 1 frame): polygons,
rotated ellipses and capsules (thick round-ended polylines), each either added or cut out. They are
rasterised at high resolution once, tight-cropped, and then fitted like every other target.

snellen profile: scale is the bounding-box side (fit mode "side"): max(ink height, ink width) == scale.
finesight profile: FineSightBench rasterises an SVG at max(4*size, 64) px and downsamples it with
LANCZOS to size x size, then fills the alpha mask with a colour. We do the same with our outlines.
Deviations from FineSightBench: (1) the outlines are ours, not FineSightBench's bundled SVGs (which we
do not copy), so the pictures differ; (2) our outline fills its size x size box edge to edge along its
longer side (the SVGs' view-box padding is unknown), centred along the shorter side; (3) ink is
coverage >= 0.5 of the LANCZOS output (clipped to [0, 1]); measured sizes are stored as they come out.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

from snellen.probes.render import HIRES, Mask, fit_outline_cached, ink_box, register_outline
from snellen.probes.targets import register_target_kind

# FineSightBench's six animals first (its answer list, in its order), then the extra classes.
FINESIGHT_OBJECTS = ("cat", "dog", "fish", "bird", "rabbit", "turtle")

Point = tuple[float, float]


def _ellipse(cx: float, cy: float, rx: float, ry: float, angle_deg: float = 0.0, n: int = 96) -> list[Point]:
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    pts = []
    for k in range(n):
        t = 2 * math.pi * k / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return pts


def _capsule(points: list[Point], r: float) -> list[list[Point]]:
    """A thick polyline with round joints and ends, as polygons (one quad per segment, one disc per joint)."""
    polys = [_ellipse(x, y, r, r, n=48) for x, y in points]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length * r, dx / length * r
        polys.append([(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)])
    return polys


# Each primitive: (op, polygons) with op "+" (paint) or "-" (cut). Drawn in order.
def _cat() -> list:
    # Sitting cat in profile, facing right: pointed ears, upright chest, tail curled round the feet.
    return [
        ("+", [_ellipse(0.42, 0.70, 0.21, 0.26)]),                       # haunch / body
        ("+", [[(0.40, 0.45), (0.62, 0.40), (0.66, 0.97), (0.40, 0.97)]]),  # chest to front legs
        ("+", [_ellipse(0.60, 0.30, 0.13, 0.115)]),                      # head
        ("+", [[(0.475, 0.30), (0.49, 0.07), (0.60, 0.21)]]),           # far ear
        ("+", [[(0.62, 0.21), (0.71, 0.06), (0.73, 0.31)]]),            # near ear
        ("+", [_ellipse(0.715, 0.345, 0.055, 0.045)]),                   # muzzle
        ("+", _capsule([(0.36, 0.95), (0.18, 0.96), (0.07, 0.90), (0.04, 0.78), (0.09, 0.68)], 0.035)),  # tail
        ("+", [_ellipse(0.40, 0.94, 0.14, 0.035), _ellipse(0.62, 0.955, 0.065, 0.03)]),  # feet
    ]


def _dog() -> list:
    # Standing dog in profile, facing right: long muzzle, drooping ear, raised tail, four legs.
    return [
        ("+", [_ellipse(0.44, 0.46, 0.27, 0.12)]),                       # body
        ("+", [[(0.62, 0.38), (0.72, 0.20), (0.80, 0.24), (0.74, 0.50), (0.62, 0.52)]]),  # neck
        ("+", [_ellipse(0.77, 0.22, 0.085, 0.075)]),                     # head
        ("+", [[(0.80, 0.17), (0.97, 0.21), (0.97, 0.29), (0.80, 0.30)]]),  # muzzle
        ("+", [_ellipse(0.725, 0.245, 0.035, 0.085, -20)]),              # drooping ear
        ("+", _capsule([(0.22, 0.42), (0.12, 0.30), (0.08, 0.16)], 0.028)),  # tail up
        ("+", _capsule([(0.22, 0.50), (0.20, 0.70), (0.22, 0.88)], 0.04)),  # hind legs
        ("+", _capsule([(0.35, 0.50), (0.36, 0.70), (0.34, 0.88)], 0.036)),
        ("+", _capsule([(0.58, 0.50), (0.58, 0.88)], 0.036)),          # front legs
        ("+", _capsule([(0.71, 0.48), (0.72, 0.88)], 0.036)),
        ("+", [_ellipse(0.25, 0.895, 0.045, 0.02), _ellipse(0.37, 0.895, 0.045, 0.02),
               _ellipse(0.61, 0.895, 0.045, 0.02), _ellipse(0.75, 0.895, 0.045, 0.02)]),  # paws
    ]


def _fish() -> list:
    # Fish in profile, facing right: spindle body, forked tail, dorsal and belly fins, an eye.
    body = [(0.98, 0.50), (0.90, 0.38), (0.75, 0.31), (0.55, 0.30), (0.38, 0.35), (0.26, 0.44), (0.22, 0.50),
            (0.26, 0.56), (0.38, 0.65), (0.55, 0.70), (0.75, 0.69), (0.90, 0.62)]
    return [
        ("+", [body]),
        ("+", [[(0.27, 0.50), (0.04, 0.26), (0.12, 0.50), (0.04, 0.74)]]),  # forked tail
        ("+", [[(0.42, 0.34), (0.50, 0.17), (0.68, 0.31)]]),                # dorsal fin
        ("+", [[(0.50, 0.66), (0.47, 0.79), (0.62, 0.69)]]),                # belly fin
        ("-", [_ellipse(0.84, 0.46, 0.028, 0.028)]),                        # eye
    ]


def _bird() -> list:
    # Perched songbird in profile, facing right: round breast, head, pointed beak, long tail, legs.
    return [
        ("+", [_ellipse(0.46, 0.55, 0.25, 0.165, -25)]),                # body
        ("+", [_ellipse(0.68, 0.33, 0.115, 0.11)]),                      # head
        ("+", [[(0.76, 0.27), (0.96, 0.345), (0.76, 0.40)]]),           # beak
        ("+", [[(0.30, 0.60), (0.05, 0.86), (0.13, 0.92), (0.38, 0.70)]]),  # tail
        ("+", _capsule([(0.46, 0.70), (0.44, 0.92)], 0.015)),          # legs
        ("+", _capsule([(0.55, 0.68), (0.56, 0.92)], 0.015)),
        ("+", _capsule([(0.36, 0.93), (0.64, 0.93)], 0.012)),          # toes on a perch line
    ]


def _rabbit() -> list:
    # Sitting rabbit in profile, facing right: long upright ears, round haunch, bobtail, big hind foot.
    return [
        ("+", [_ellipse(0.42, 0.70, 0.24, 0.21)]),                       # body
        ("+", [_ellipse(0.66, 0.44, 0.115, 0.10, 10)]),                  # head
        ("+", [_ellipse(0.59, 0.21, 0.04, 0.17, -12)]),                  # far ear
        ("+", [_ellipse(0.67, 0.20, 0.045, 0.18, 8)]),                   # near ear
        ("+", [_ellipse(0.17, 0.64, 0.065, 0.065)]),                     # bobtail
        ("+", [_ellipse(0.45, 0.895, 0.20, 0.05)]),                      # hind foot
        ("+", _capsule([(0.60, 0.62), (0.67, 0.89)], 0.04)),           # front paw
        ("+", [[(0.52, 0.50), (0.66, 0.50), (0.66, 0.75), (0.50, 0.75)]]),  # chest
    ]


def _turtle() -> list:
    # Turtle in profile, facing right: domed shell with a rim, head out front, stubby legs, tail.
    shell = _ellipse(0.48, 0.60, 0.34, 0.30)
    return [
        ("+", [[p for p in shell if p[1] <= 0.60] + [(0.14, 0.60)]]),      # dome (upper half)
        ("+", [[(0.10, 0.58), (0.86, 0.58), (0.84, 0.66), (0.12, 0.66)]]),  # rim
        ("+", _capsule([(0.80, 0.62), (0.90, 0.52)], 0.05)),           # neck
        ("+", [_ellipse(0.93, 0.50, 0.07, 0.055)]),                      # head
        ("+", _capsule([(0.24, 0.64), (0.21, 0.78)], 0.055)),          # hind leg
        ("+", _capsule([(0.70, 0.64), (0.75, 0.78)], 0.055)),          # front leg
        ("+", [[(0.12, 0.60), (0.02, 0.67), (0.13, 0.65)]]),            # tail
    ]


def _elephant() -> list:
    # Elephant in profile, facing right: big body, large ear, long trunk hanging down, pillar legs.
    return [
        ("+", [_ellipse(0.42, 0.43, 0.30, 0.21)]),                       # body
        ("+", [_ellipse(0.74, 0.33, 0.12, 0.14)]),                       # head
        ("-", [_ellipse(0.66, 0.38, 0.10, 0.15)]),                       # gap around the ear
        ("+", [_ellipse(0.655, 0.38, 0.085, 0.135)]),                    # ear
        ("+", _capsule([(0.83, 0.36), (0.89, 0.52), (0.89, 0.70), (0.94, 0.80)], 0.04)),  # trunk
        ("+", _capsule([(0.22, 0.52), (0.22, 0.86)], 0.06)),           # legs
        ("+", _capsule([(0.36, 0.55), (0.36, 0.86)], 0.06)),
        ("+", _capsule([(0.55, 0.55), (0.55, 0.86)], 0.06)),
        ("+", _capsule([(0.67, 0.52), (0.67, 0.86)], 0.06)),
        ("+", _capsule([(0.13, 0.40), (0.08, 0.58)], 0.012)),          # tail
    ]


def _butterfly() -> list:
    # Butterfly seen from above: two pairs of wings, a thin body and two antennae.
    return [
        ("+", [_ellipse(0.29, 0.31, 0.22, 0.17, -30), _ellipse(0.71, 0.31, 0.22, 0.17, 30)]),  # fore wings
        ("+", [_ellipse(0.34, 0.69, 0.15, 0.19, 25), _ellipse(0.66, 0.69, 0.15, 0.19, -25)]),  # hind wings
        ("-", _capsule([(0.5, 0.12), (0.5, 0.92)], 0.04)),             # gap between the wings
        ("+", _capsule([(0.5, 0.24), (0.5, 0.84)], 0.025)),            # body
        ("+", _capsule([(0.5, 0.24), (0.42, 0.05)], 0.01)),            # antennae
        ("+", _capsule([(0.5, 0.24), (0.58, 0.05)], 0.01)),
    ]


_DESIGNS = {
    "cat": _cat, "dog": _dog, "fish": _fish, "bird": _bird, "rabbit": _rabbit, "turtle": _turtle,
    "elephant": _elephant, "butterfly": _butterfly,
}
OBJECTS: tuple[str, ...] = tuple(_DESIGNS)

_RASTER = HIRES * 2  # px of the unit frame


@lru_cache(maxsize=32)
def silhouette_outline(name: str) -> np.ndarray:
    """Tight-cropped high-resolution coverage of one silhouette (float32 in [0, 1])."""
    if name not in _DESIGNS:
        raise KeyError(name)
    n = _RASTER
    img = Image.new("L", (n, n), 0)
    draw = ImageDraw.Draw(img)
    for op, polys in _DESIGNS[name]():
        for poly in polys:
            draw.polygon([(x * (n - 1), y * (n - 1)) for x, y in poly], fill=255 if op == "+" else 0)
    a = np.asarray(img, dtype=np.float32) / 255.0
    ys, xs = np.nonzero(a > 0)
    return np.ascontiguousarray(a[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1])


@lru_cache(maxsize=1024)
def _finesight_silhouette(name: str, size: int) -> Mask:
    """FineSightBench's recipe: rasterise at max(4*size, 64) px, LANCZOS down to size x size."""
    hi = silhouette_outline(name)
    big = max(4 * size, 64)
    H, W = hi.shape
    k = big / max(H, W)
    h, w = max(1, round(H * k)), max(1, round(W * k))
    scaled = Image.fromarray((hi * 255).astype(np.uint8), mode="L").resize((w, h), Image.Resampling.LANCZOS)
    square = Image.new("L", (big, big), 0)
    square.paste(scaled, ((big - w) // 2, (big - h) // 2))
    small = square.resize((size, size), Image.Resampling.LANCZOS)
    alpha = np.clip(np.asarray(small, dtype=np.float32) / 255.0, 0.0, 1.0)
    return Mask(alpha=alpha, ink=ink_box(alpha) or (0, 0, 0, 0), geometric=float(size))  # larger side fills size


def silhouette_mask(name: str, scale: int, profile) -> Mask:
    """Snellen: bounding-box side == scale (aspect kept). FineSight: LANCZOS into scale x scale."""
    if name not in _DESIGNS:
        raise KeyError(name)
    if profile.name == "finesight":
        return _finesight_silhouette(name, scale)
    key = register_outline(f"object:{name}", lambda: silhouette_outline(name))
    return fit_outline_cached(key, scale, "side", profile.antialias)


register_target_kind("object", OBJECTS, silhouette_mask)

# targets.py loads the built-in kinds only while its registry is empty; importing this module first would
# register "object" alone, so make sure the built-in kinds are registered too.
import snellen.probes.target_kinds  # noqa: E402,F401
