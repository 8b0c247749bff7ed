"""`tiles:RxC/MODEL`: MODEL answers each of R x C overlapping tiles, each magnified to the probe's size.

Settings: `overlap` (px between neighbouring tiles, default 64), `method` (resampling, default bicubic).
A per-tile pass with a declared merge rule (snellen.models.aids.merge_rule):
- one target named by label/text fields (letter, digit, shape, object, colour, word): the most frequent
  parsed answer over the tiles (ties: the earliest tile in reading order); tiles that show no target and
  answer nothing parseable do not vote. Only samples whose target is at most `overlap` px wide and high are
  supported: such a target always lies whole inside at least one tile, so no seam can cut it.
- a single yes/no field (presence): yes if any tile says yes.
- everything else (counts, orders, relations, several targets): unsupported (seams cut them), never scored.
"""

from __future__ import annotations

import math
from typing import Any

from snellen.models.aids import RESAMPLERS, AidBackend, View, any_yes, merge_rule, vote
from snellen.models.base import Response, register_backend
from snellen.schema import Sample, SnellenError


def tile_boxes(width: int, height: int, rows: int, cols: int, overlap: int) -> list[tuple[int, int, int, int]]:
    """R x C boxes covering the canvas; neighbours share exactly `overlap` px (where the canvas allows)."""

    def spans(n: int, size: int) -> list[tuple[int, int]]:
        if n == 1:
            return [(0, size)]
        length = min(size, math.ceil((size + (n - 1) * overlap) / n))
        starts = [round(i * (size - length) / (n - 1)) for i in range(n)]
        return [(s, s + length) for s in starts]

    return [(x0, y0, x1, y1) for (y0, y1) in spans(rows, height) for (x0, x1) in spans(cols, width)]


@register_backend("tiles")
class TilesAid(AidBackend):
    def parse(self, spec: str, main: str, kw: dict[str, str]) -> dict[str, Any]:
        r, sep, c = main.lower().partition("x")
        if not (sep and r.isdigit() and c.isdigit()) or int(r) < 1 or int(c) < 1 or int(r) * int(c) < 2:
            raise SnellenError(f"{spec!r}: tiles must be RxC with at least two tiles, e.g. tiles:2x2, got {main!r}")
        try:
            overlap = int(kw.pop("overlap", "64"))
        except ValueError:
            raise SnellenError(f"{spec!r}: overlap must be a whole number of px") from None
        method = kw.pop("method", "bicubic")
        if method not in RESAMPLERS:
            raise SnellenError(f"{spec!r}: unknown method {method!r}; use {', '.join(RESAMPLERS)}")
        if kw:
            raise SnellenError(f"{spec!r}: unknown setting(s) {', '.join(kw)} (tiles takes overlap, method)")
        if overlap < 0:
            raise SnellenError(f"{spec!r}: overlap must be >= 0")
        return {"rows": int(r), "cols": int(c), "overlap": overlap, "method": method}

    def supports(self, sample: Sample) -> bool:
        if not self.inner.supports(sample):
            return False
        rule = merge_rule(sample)
        if rule == "vote":
            ov = self.settings["overlap"]
            return all(t.support[2] - t.support[0] <= ov and t.support[3] - t.support[1] <= ov for t in sample.targets)
        return rule == "any_yes"

    def views(self, sample: Sample) -> list[View]:
        w, h = (int(v) for v in sample.canvas)
        boxes = tile_boxes(w, h, self.settings["rows"], self.settings["cols"], self.settings["overlap"])
        return [View(b, min(w / (b[2] - b[0]), h / (b[3] - b[1]))) for b in boxes]

    def voting_views(self, views: list[View]) -> list[int]:
        return list(range(len(views)))

    def merge(self, sample: Sample, responses: list[Response], views: list[View]) -> tuple[str, dict[str, Any]]:
        return (any_yes if merge_rule(sample) == "any_yes" else vote)(sample, responses)
