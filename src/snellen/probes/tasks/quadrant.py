"""Quadrant: which quadrant of the image is the target in (top-left, top-right, bottom-left, bottom-right)?

The asked target's quadrant is uniform over the four. Every target lies wholly inside one quadrant and
its support (every pixel it touches) stays at least max(`min_clearance_px`, `clearance` x scale) px from
both midlines, so the answer is unambiguous from the pixels. With `counts` > 1 the other targets are
distractors with their own labels, each in a uniformly drawn quadrant. Chance 1/4.
Not in FineSightBench's released set (its unused "spatial" generator asks for quadrants).
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import Field

from snellen.probes import prompts
from snellen.probes.labels import LabelParams, check_kinds, check_label_capacity, pick_labels
from snellen.probes.multi import draw_labelled, multi_probe, place_targets
from snellen.probes.render import blank
from snellen.probes.targets import cached_mask
from snellen.probes.task import CountedTask, Probe, register_task
from snellen.schema import AnswerField

QUADRANTS = ("top-left", "top-right", "bottom-left", "bottom-right")


@register_task("quadrant")
class QuadrantTask(CountedTask):
    class Params(LabelParams):
        counts: tuple[int, ...] = (1,)
        clearance: float = Field(0.5, ge=0.0, description="min distance from the midlines, x scale")
        min_clearance_px: float = Field(8.0, ge=0.0)

    def __init__(self, params, profile):
        super().__init__(params, profile)
        check_kinds(self.family, self.params.kinds)
        check_label_capacity(self.family, self.params)

    def regions(self, scale: int) -> dict[str, tuple[int, int, int, int]]:
        """Quadrant boxes (x0, y0, x1, y1) that keep `clearance` from the midlines and `margin` from the edges."""
        size, margin = self.profile.canvas, self.profile.margin
        mid = size / 2.0
        c = max(self.params.min_clearance_px, self.params.clearance * scale)
        lo = (margin, math.floor(mid - c))
        hi = (math.ceil(mid + c), size - margin)
        return {
            "top-left": (lo[0], lo[0], lo[1], lo[1]), "top-right": (hi[0], lo[0], hi[1], lo[1]),
            "bottom-left": (lo[0], hi[0], lo[1], hi[1]), "bottom-right": (hi[0], hi[0], hi[1], hi[1]),
        }

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        scale, n, contrast = int(cell["scale"]), int(cell["count"]), float(cell.get("contrast", 1.0))
        kind = p.kinds[int(rng.integers(len(p.kinds)))]
        labels = pick_labels(rng, p.ids(kind), p.colours, n)
        masks = [cached_mask(kind, ident, scale, self.profile) for _, ident in labels]
        where = [QUADRANTS[int(rng.integers(4))] for _ in range(n)]  # target 0 is the one asked about
        regions = self.regions(scale)
        positions: list[tuple[int, int]] = [(0, 0)] * n
        for q in QUADRANTS:  # quadrant regions are disjoint, so placing each group apart never overlaps
            members = [i for i in range(n) if where[i] == q]
            if not members:
                continue
            x0, y0, x1, y1 = regions[q]
            placed = place_targets(rng, [masks[i] for i in members], self.profile, self.family, scale, region=(y1 - y0, x1 - x0))
            for i, (x, y) in zip(members, placed):
                positions[i] = (x0 + x, y0 + y)
        canvas = blank(self.profile.canvas, self.profile.canvas, self.profile.background)
        targets = draw_labelled(canvas, masks, positions, labels, kind, scale, contrast)
        for t, q in zip(targets, where):
            t.attributes["quadrant"] = q
        targets[0].attributes["role"] = "asked"
        question = f"In which quadrant of the image is the {targets[0].label}?"
        listing = prompts.listing(QUADRANTS)
        return multi_probe(
            canvas, targets, self.answer_from_targets(targets, {"asked": targets[0].label, "canvas": canvas.shape[1::-1]}), [AnswerField("quadrant", "label", options=QUADRANTS)],
            prompts.json_prompt(question, {"quadrant": "<quadrant>"}, f"where <quadrant> is one of: {listing}."),
            prompts.free_prompt(question, f"Answer with one of: {listing}."), scale,
            {"target_kind": kind, "asked": targets[0].label}, self.profile,
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        """The quadrant (of a width x height canvas) holding the ink-box centre of the asked target."""
        t = next(t for t in targets if t.label == question["asked"])
        w, h = question["canvas"]
        x, y = t.center
        return {"quadrant": f"{'top' if y < h / 2 else 'bottom'}-{'left' if x < w / 2 else 'right'}"}

    @classmethod
    def question_of(cls, sample):
        return {"asked": sample.extra["asked"], "canvas": tuple(sample.canvas)}
