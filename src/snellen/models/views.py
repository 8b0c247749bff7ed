"""What an image processor does to a probe's geometry: the views it makes and the scale of each.

A processor turns one image into one or more *views*: the whole image resized (Qwen2-VL's dynamic
resolution, SigLIP/PaliGemma's squash, Gemma 3's 896 px), or a global view plus tiles cut from an enlarged
copy (Idefics3/SmolVLM: 448 px -> 4x4 tiles of 364 px from a 1456 px copy + a 364 px global view;
LLaVA-OneVision/NeXT "anyres": tiles from the best grid resolution + a base view). Each view has a scale
(view px per sent px; min over the two axes, as models.base.resize_ratio) and the regions of the sent image
its tiles cover. The effective size of a target is its measured size x the scale of the largest view that
holds every target whole (inside one tile): a target cut by a tile border is only whole in a smaller view.

The geometry is derived from the processor's settings with the processor's own rules and checked against
its output (number of views, pixel_values shape); where they disagree, or a processor is not understood,
the answer is None (unknown), never a guess. tests/models/test_hf_families.py measures drawn targets in
each family's pixel_values against these numbers.

`smart_resize` (Qwen2-VL's rule) also serves API servers that declare it (`--option resize=qwen2-vl:...`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in sent-image px


@dataclass(frozen=True)
class View:
    name: str
    size: tuple[int, int]  # (w, h) of the whole image at this view's scale (before it is cut into tiles)
    scale: float  # view px per sent px (min over the axes)
    tiles: tuple[Box, ...]  # regions of the sent image each tile covers (one region: the whole view)

    def holds(self, boxes: list[Box]) -> bool:
        """Every box lies whole inside one tile."""
        return all(any(t[0] <= b[0] and t[1] <= b[1] and b[2] <= t[2] and b[3] <= t[3] for t in self.tiles) for b in boxes)

    def to_dict(self) -> dict[str, Any]:
        return {"view": self.name, "size": list(self.size), "scale": round(self.scale, 6), "tiles": len(self.tiles)}


def _whole(w: int, h: int, vw: int, vh: int, name: str = "image") -> View:
    return View(name, (vw, vh), min(vw / w, vh / h), ((0.0, 0.0, float(w), float(h)),))


def _grid(w: int, h: int, rw: int, rh: int, tile_w: int, tile_h: int, rows: int, cols: int, pad_x: int = 0,
          pad_y: int = 0, name: str = "tiles") -> View:
    """Tiles of tile_w x tile_h cut from the image resized to rw x rh and placed at (pad_x, pad_y)."""
    sx, sy = rw / w, rh / h
    tiles = tuple(
        ((c * tile_w - pad_x) / sx, (r * tile_h - pad_y) / sy, ((c + 1) * tile_w - pad_x) / sx, ((r + 1) * tile_h - pad_y) / sy)
        for r in range(rows) for c in range(cols)
    )
    return View(f"{name} {rows}x{cols} of {tile_w}x{tile_h}", (rw, rh), min(sx, sy), tiles)


def smart_resize(h: int, w: int, factor: int = 28, min_pixels: int = 56 * 56, max_pixels: int = 14 * 14 * 4 * 1280) -> tuple[int, int]:
    """Qwen2-VL's dynamic resolution: sides rounded to multiples of `factor`, area kept in [min, max] pixels.
    Returns (h, w)."""
    hb = max(factor, round(h / factor) * factor)
    wb = max(factor, round(w / factor) * factor)
    if hb * wb > max_pixels:
        beta = math.sqrt(h * w / max_pixels)
        hb = max(factor, math.floor(h / beta / factor) * factor)
        wb = max(factor, math.floor(w / beta / factor) * factor)
    elif hb * wb < min_pixels:
        beta = math.sqrt(min_pixels / (h * w))
        hb = math.ceil(h * beta / factor) * factor
        wb = math.ceil(w * beta / factor) * factor
    return hb, wb


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _idefics_views(ip: Any, w: int, h: int) -> list[View] | None:
    """Idefics3 / SmolVLM: longest edge -> size['longest_edge'] (even short side), then up to multiples of the
    tile (max_image_size) and cut into tiles, plus a global view squashed to one tile."""
    tile = int(_get(ip.max_image_size, "longest_edge"))
    rh, rw = h, w
    if getattr(ip, "do_resize", True):
        longest = int(_get(ip.size, "longest_edge"))
        if w >= h:
            rw, rh = longest, int(longest / (w / h))
            rh += rh % 2
        else:
            rh, rw = longest, int(longest * (w / h))
            rw += rw % 2
    if not getattr(ip, "do_image_splitting", False):
        return None  # resized to fit one tile with rules not derived here
    aspect = rw / rh
    if rw >= rh:
        rw = math.ceil(rw / tile) * tile
        rh = math.ceil(int(rw / aspect) / tile) * tile
    else:
        rh = math.ceil(rh / tile) * tile
        rw = math.ceil(int(rh * aspect) / tile) * tile
    if rh <= tile and rw <= tile:
        return [_whole(w, h, rw, rh)]
    rows, cols = (rh - tile) // tile + 1, (rw - tile) // tile + 1
    return [_grid(w, h, rw, rh, tile, tile, rows, cols), _whole(w, h, tile, tile, "global")]


def _anyres_views(ip: Any, w: int, h: int) -> list[View]:
    """LLaVA-NeXT / OneVision: a base view, and tiles from the best grid resolution (aspect kept, centred)."""
    from transformers.image_processing_utils import select_best_resolution

    size, crop = ip.size, getattr(ip, "crop_size", None)
    if _get(size, "height") and _get(size, "width"):
        base = (int(_get(size, "width")), int(_get(size, "height")))
    else:
        s = int(_get(size, "shortest_edge"))
        base = (s, s)
    tile = int(_get(crop, "height") or _get(size, "height") or _get(size, "shortest_edge"))
    best_h, best_w = select_best_resolution((h, w), ip.image_grid_pinpoints)
    scale_w, scale_h = best_w / w, best_h / h
    if scale_w < scale_h:
        nw, nh = best_w, min(math.ceil(h * scale_w), best_h)
    else:
        nh, nw = best_h, min(math.ceil(w * scale_h), best_w)
    pad_x, pad_y = (best_w - nw) // 2, (best_h - nh) // 2
    tiles = _grid(w, h, nw, nh, tile, tile, best_h // tile, best_w // tile, pad_x, pad_y)
    # The base view: squashed to `size` (OneVision), or short side to `shortest_edge` then centre-cropped (NeXT).
    if _get(size, "height"):
        base_view = _whole(w, h, *base, name="base")
    else:
        s = base[0]
        k = s / min(w, h)
        cw, ch = s / k, s / k
        x0, y0 = (w - cw) / 2, (h - ch) / 2
        base_view = View("base", (round(w * k), round(h * k)), k, ((x0, y0, x0 + cw, y0 + ch),))
    return [tiles, base_view]


def processor_views(ip: Any, inputs: Any, images: list[Any]) -> list[list[View] | None]:
    """The views each image became, or None where the processor's geometry is not known."""
    n = len(images)
    sizes = [(im.width, im.height) for im in images]
    if "image_grid_thw" in inputs:  # Qwen2-VL / 2.5-VL: one view in patches of patch_size
        patch = int(getattr(ip, "patch_size", 14))
        grid = inputs["image_grid_thw"].tolist()
        if len(grid) != n:
            return [None] * n
        return [[_whole(w, h, int(gw) * patch, int(gh) * patch)] for (w, h), (_, gh, gw) in zip(sizes, grid)]
    pixels = inputs.get("pixel_values")
    if pixels is None:
        return [None] * n
    if getattr(ip, "max_image_size", None) is not None and pixels.ndim == 5:  # Idefics3 / SmolVLM
        mask = inputs.get("pixel_attention_mask")
        out = []
        for i, (w, h) in enumerate(sizes):
            views = _idefics_views(ip, w, h)
            real = int(mask[i].flatten(1).any(dim=1).sum()) if mask is not None else pixels.shape[1]
            expected = None if views is None else sum(len(v.tiles) for v in views)
            out.append(views if expected == real else None)
        return out
    if getattr(ip, "image_grid_pinpoints", None):  # LLaVA-NeXT / OneVision anyres
        out = []
        for i, (w, h) in enumerate(sizes):
            views = _anyres_views(ip, w, h)
            real = pixels.shape[1] if pixels.ndim == 5 else None
            expected = sum(len(v.tiles) for v in views)
            out.append(views if real is None or real == expected else None)
        return out
    if "num_crops" in inputs:  # Gemma 3: pan-and-scan crops (only for images with aspect >= 1.2) not derived
        crops = [int(c) for c in inputs["num_crops"].flatten().tolist()] if hasattr(inputs["num_crops"], "tolist") else list(inputs["num_crops"])
        if any(crops) or pixels.shape[0] != n:
            return [None] * n
    if pixels.ndim == 4 and pixels.shape[0] == n:  # one resized image each
        size = getattr(ip, "size", None) or {}
        if getattr(ip, "do_center_crop", False) and _get(size, "shortest_edge"):
            s = int(_get(size, "shortest_edge"))
            crop = getattr(ip, "crop_size", None) or {}
            cw, ch = int(_get(crop, "width", s)), int(_get(crop, "height", s))
            out = []
            for w, h in sizes:
                k = s / min(w, h)
                x0, y0 = (w - cw / k) / 2, (h - ch / k) / 2
                out.append([View("image", (round(w * k), round(h * k)), k, ((x0, y0, x0 + cw / k, y0 + ch / k),))])
            return out
        return [[_whole(w, h, int(pixels.shape[3]), int(pixels.shape[2]))] for w, h in sizes]
    return [None] * n


def effective_view(views: list[View] | None, boxes: list[Box]) -> View | None:
    """The largest-scale view holding every box whole; None if the views are unknown or none holds them."""
    if not views:
        return None
    for v in sorted(views, key=lambda v: -v.scale):
        if v.holds(boxes):
            return v
    return None


def declared_resize(value: str) -> tuple[str, tuple[int, int]]:
    """Parse a server's declared resize: `qwen2-vl[:MIN_PIXELS,MAX_PIXELS]` (defaults: transformers'
    Qwen2-VL processor, 3136 and 1003520) or `fixed:WxH` (squashed to W x H). Raises ValueError."""
    kind, _, args = value.strip().lower().partition(":")
    if kind in ("qwen2-vl", "qwen2.5-vl"):
        if not args:
            return "qwen2-vl", (56 * 56, 28 * 28 * 1280)
        parts = [p.strip() for p in args.split(",")]
        if len(parts) != 2 or not all(p.isdigit() and int(p) > 0 for p in parts) or int(parts[0]) > int(parts[1]):
            raise ValueError(f"expected qwen2-vl:MIN_PIXELS,MAX_PIXELS with 0 < MIN <= MAX, got {value!r}")
        return "qwen2-vl", (int(parts[0]), int(parts[1]))
    if kind == "fixed":
        w, sep, h = args.partition("x")
        if not sep or not (w.isdigit() and h.isdigit()) or int(w) < 1 or int(h) < 1:
            raise ValueError(f"expected fixed:WxH (e.g. fixed:896x896), got {value!r}")
        return "fixed", (int(w), int(h))
    raise ValueError(f"unknown resize {value!r}: qwen2-vl[:MIN_PIXELS,MAX_PIXELS] or fixed:WxH")


def declared_encoder_size(rule: tuple[str, tuple[int, int]], sent: tuple[int, int]) -> tuple[int, int]:
    """(w, h) the server's processor resizes an image sent at `sent` (w, h) to, by a declared rule."""
    kind, (a, b) = rule
    if kind == "fixed":
        return a, b
    h, w = smart_resize(sent[1], sent[0], 28, a, b)
    return w, h

