"""`upscale:K/MODEL`: the whole probe magnified K times before MODEL sees it (K > 0; 0.5 shrinks).

Settings: `method` (nearest, bilinear, bicubic [default], lanczos). Every family keeps its answer (one view of
the whole image), so support is the inner model's.
"""

from __future__ import annotations

from typing import Any

from snellen.models.aids import RESAMPLERS, AidBackend, View
from snellen.models.base import register_backend
from snellen.schema import Sample, SnellenError


@register_backend("upscale")
class UpscaleAid(AidBackend):
    def parse(self, spec: str, main: str, kw: dict[str, str]) -> dict[str, Any]:
        try:
            factor = float(main)
        except ValueError:
            raise SnellenError(f"{spec!r}: upscale factor must be a number, got {main!r}") from None
        if not 0 < factor <= 16:
            raise SnellenError(f"{spec!r}: upscale factor must be in (0, 16], got {main}")
        method = kw.pop("method", "bicubic")
        if method not in RESAMPLERS:
            raise SnellenError(f"{spec!r}: unknown method {method!r}; use {', '.join(RESAMPLERS)}")
        if kw:
            raise SnellenError(f"{spec!r}: unknown setting(s) {', '.join(kw)} (upscale takes method)")
        return {"factor": factor, "method": method}

    def views(self, sample: Sample) -> list[View]:
        w, h = sample.canvas
        return [View((0, 0, int(w), int(h)), self.settings["factor"])]
