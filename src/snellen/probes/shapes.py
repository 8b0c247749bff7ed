"""Geometric outlines (unit-square polygons) for shapes, blocks and dots."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

from snellen.probes.render import Mask, fit_outline_cached, ink_box, polygon_outline, register_outline

SHAPES = ("circle", "triangle", "square", "star", "diamond", "pentagon", "hexagon", "cross")


def _regular(n: int, rotation: float = -math.pi / 2, radius: float = 0.5) -> list[tuple[float, float]]:
    return [(0.5 + radius * math.cos(rotation + 2 * math.pi * k / n), 0.5 + radius * math.sin(rotation + 2 * math.pi * k / n)) for k in range(n)]


def _star(inner: float = 0.38) -> list[tuple[float, float]]:
    pts = []
    for k in range(10):
        r = 0.5 if k % 2 == 0 else 0.5 * inner
        a = -math.pi / 2 + math.pi * k / 5
        pts.append((0.5 + r * math.cos(a), 0.5 + r * math.sin(a)))
    return pts


def _cross(arm: float = 1 / 3) -> list[tuple[float, float]]:
    a, b = 0.5 - arm / 2, 0.5 + arm / 2
    return [(a, 0), (b, 0), (b, a), (1, a), (1, b), (b, b), (b, 1), (a, 1), (a, b), (0, b), (0, a), (a, a)]


def shape_polygon(name: str) -> list[tuple[float, float]] | None:
    return {
        "triangle": [(0.5, 0.0), (1.0, 1.0), (0.0, 1.0)],
        "square": [(0, 0), (1, 0), (1, 1), (0, 1)],
        "star": _star(),
        "diamond": [(0.5, 0), (1, 0.5), (0.5, 1), (0, 0.5)],
        "pentagon": _regular(5),
        "hexagon": _regular(6, rotation=0.0),
        "cross": _cross(),
    }.get(name)


def shape_outline(name: str) -> np.ndarray:
    if name in ("circle", "dot"):
        return polygon_outline([], ellipses=[(0.5, 0.5, 0.5, 0.5)])
    if name == "block":
        return polygon_outline(shape_polygon("square"))
    poly = shape_polygon(name)
    if poly is None:
        raise KeyError(name)
    return polygon_outline(poly)


def shape_mask(name: str, scale: int, profile) -> Mask:
    """Snellen: bounding-box side == scale. FineSight: PIL polygon inscribed in scale x scale, no AA."""
    if profile.name == "finesight":
        return _finesight_shape(name, scale)
    key = register_outline(f"shape:{name}", lambda: shape_outline(name))
    return fit_outline_cached(key, scale, "side", profile.antialias)


def _finesight_shape(name: str, s: int) -> Mask:
    img = Image.new("L", (s, s), 0)
    d = ImageDraw.Draw(img)
    if name in ("circle", "dot"):
        d.ellipse([0, 0, s - 1, s - 1], fill=255)
    elif name in ("square", "block"):
        d.rectangle([0, 0, s - 1, s - 1], fill=255)
    elif name == "cross":
        arm = max(1, s // 3)
        c0 = (s - arm) // 2
        d.rectangle([c0, 0, c0 + arm - 1, s - 1], fill=255)
        d.rectangle([0, c0, s - 1, c0 + arm - 1], fill=255)
    else:
        d.polygon([(x * (s - 1), y * (s - 1)) for x, y in shape_polygon(name)], fill=255)
    alpha = np.asarray(img, dtype=np.float32) / 255.0
    return Mask(alpha=alpha, ink=ink_box(alpha) or (0, 0, 0, 0), geometric=float(s))  # drawn into s x s
