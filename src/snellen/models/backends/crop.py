"""`crop:auto/MODEL`: two passes. MODEL first names where the target is (a cell of a 3 x 3 grid), then answers
the question on that region, cropped with a margin and magnified to the probe's size.

Settings: `grid` (cells per side, default 3), `margin` (fraction of a cell added on every side, default 0.25),
`method` (resampling, default bicubic). Supported: one target named by label/text fields (the locate question
presumes one target), no larger than twice the margin (so a target whose centre lies in the named cell lies
whole inside the crop), and only models that read the prompt (OCR engines and simulated observers do not).
A locate reply that names no cell ends the trial with an empty answer (unparseable; `raw` says why): the aid
failed, and the figure says so instead of falling back to the uncropped image.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from snellen.models.aids import RESAMPLERS, AidBackend, View, merge_rule, render_view
from snellen.models.base import Request, Response, register_backend
from snellen.schema import Sample, SnellenError

ROWS = {3: ("top", "middle", "bottom")}
COLS = {3: ("left", "center", "right")}


def locate_prompt(grid: int) -> str:
    rows = ", ".join(ROWS.get(grid, [str(i + 1) for i in range(grid)]))
    cols = ", ".join(COLS.get(grid, [str(i + 1) for i in range(grid)]))
    return (f"The image contains one small target. Imagine a {grid} x {grid} grid over the image. Which cell holds "
            f"the target? Answer only with JSON: {{\"row\": one of {rows}, \"column\": one of {cols}}}.")


def parse_cell(text: str | None, grid: int) -> tuple[int, int] | None:
    """(row, col) from a locate reply; the last row and column words named win (the final answer)."""
    if not text:
        return None
    rows = ROWS.get(grid, tuple(str(i + 1) for i in range(grid)))
    cols = COLS.get(grid, tuple(str(i + 1) for i in range(grid)))
    low = text.lower().replace("centre", "center")

    def last(words, key):
        m = re.findall(rf'"{key}"\s*:\s*"?(\w+)', low)
        cand = m[-1] if m else None
        if cand in words:
            return words.index(cand)
        hits = [(mm.start(), i) for i, w in enumerate(words) for mm in re.finditer(rf"\b{w}\b", low)]
        return max(hits)[1] if hits else None

    r, c = last(rows, "row"), last(cols, "column")
    return None if r is None or c is None else (r, c)


@register_backend("crop")
class CropAid(AidBackend):
    def parse(self, spec: str, main: str, kw: dict[str, str]) -> dict[str, Any]:
        if main != "auto":
            raise SnellenError(f"{spec!r}: crop takes 'auto' (the model names the region), got {main!r}")
        try:
            grid, margin = int(kw.pop("grid", "3")), float(kw.pop("margin", "0.25"))
        except ValueError:
            raise SnellenError(f"{spec!r}: grid must be a whole number and margin a number") from None
        method = kw.pop("method", "bicubic")
        if kw:
            raise SnellenError(f"{spec!r}: unknown setting(s) {', '.join(kw)} (crop takes grid, margin, method)")
        if grid < 2 or not 0 <= margin <= 1 or method not in RESAMPLERS:
            raise SnellenError(f"{spec!r}: need grid >= 2, 0 <= margin <= 1, method in {', '.join(RESAMPLERS)}")
        return {"mode": "auto", "grid": grid, "margin": margin, "method": method}

    def supports(self, sample: Sample) -> bool:
        if not (self.inner.supports(sample) and getattr(self.inner, "reads_prompt", True)):
            return False
        if merge_rule(sample) != "vote":
            return False
        w, h = sample.canvas
        limit = 2 * self.settings["margin"] * min(w, h) / self.settings["grid"]
        return all(max(t.support[2] - t.support[0], t.support[3] - t.support[1]) <= limit for t in sample.targets)

    def crop_view(self, sample: Sample, cell: tuple[int, int]) -> View:
        w, h = (int(v) for v in sample.canvas)
        g, m = self.settings["grid"], self.settings["margin"]
        cw, ch = w / g, h / g
        x0, y0 = (cell[1] - m) * cw, (cell[0] - m) * ch
        side_w, side_h = cw * (1 + 2 * m), ch * (1 + 2 * m)
        x0 = min(max(0.0, x0), w - side_w)
        y0 = min(max(0.0, y0), h - side_h)
        box = (round(x0), round(y0), round(x0 + side_w), round(y0 + side_h))
        return View(box, min(w / (box[2] - box[0]), h / (box[3] - box[1])))

    def views(self, sample: Sample) -> list[View]:  # for token estimates: two passes
        w, h = (int(v) for v in sample.canvas)
        return [View((0, 0, w, h), 1.0), self.crop_view(sample, (0, 0))]

    def answer_view(self, views: list[View]) -> int:
        return len(views) - 1

    def _locate_request(self, req: Request) -> Request:
        settings = req.settings
        return dataclasses.replace(req, prompt=locate_prompt(self.settings["grid"]), settings=settings)

    def _second(self, req: Request, first: Response) -> tuple[View | None, Request | None]:
        if not first.ok:
            return None, None
        cell = parse_cell(first.text, self.settings["grid"])
        if cell is None:
            return None, None
        view = self.crop_view(req.sample, cell)
        return view, dataclasses.replace(req, sample=render_view(req.sample, view, self.settings["method"]))

    def _finish(self, req: Request, first: Response, view: View | None, second: Response | None) -> Response:
        w, h = (int(v) for v in req.sample.canvas)
        whole = View((0, 0, w, h), 1.0)
        if second is None:
            if not first.ok:
                return self._combine(req.sample, [whole], [first])
            failed = Response("", latency_s=first.latency_s, input_tokens=first.input_tokens,
                              output_tokens=first.output_tokens, sent_size=None, encoder_size=None, attempts=first.attempts)
            out = self._combine(req.sample, [whole], [failed])
            out.raw["merge"] = {"rule": "crop", "located": None, "reason": "the locate reply names no cell",
                                "locate_reply": first.text}
            return out
        out = self._combine(req.sample, [whole, view], [first, second])
        out.raw["merge"] = {"rule": "crop", "located": parse_cell(first.text, self.settings["grid"])}
        return out

    def merge(self, sample: Sample, responses: list[Response], views: list[View]) -> tuple[str, dict[str, Any]]:
        return responses[-1].text or "", {"rule": "crop"}

    def answer(self, requests: list[Request]) -> list[Response]:
        firsts = self.inner.answer([self._locate_request(r) for r in requests])
        seconds = [self._second(r, f) for r, f in zip(requests, firsts)]
        todo = [(i, q) for i, (_, q) in enumerate(seconds) if q is not None]
        answers = dict(zip((i for i, _ in todo), self.inner.answer([q for _, q in todo]) if todo else []))
        return [self._finish(r, f, seconds[i][0], answers.get(i)) for i, (r, f) in enumerate(zip(requests, firsts))]

    async def answer_async(self, request: Request) -> Response:
        first = await self.inner.answer_async(self._locate_request(request))
        view, second_req = self._second(request, first)
        second = await self.inner.answer_async(second_req) if second_req is not None else None
        return self._finish(request, first, view, second)
