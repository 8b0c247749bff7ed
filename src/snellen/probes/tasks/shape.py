"""Shape recognition: one geometric shape whose bounding-box side is exactly the scale.

Also home of `draw_single`, the one-target drawing step shared by the single-target perception families
(shape, object, colour, presence).
finesight profile: shapes are PIL polygons inscribed in size x size without anti-aliasing, as in
FineSightBench (shapes._finesight_shape); their measured side may be smaller than nominal and is stored as
measured. Deviation: FineSightBench colours shapes from its 12-colour palette; we default to the colours
that stay visible on white (render.DARK_COLOURS), settable with `colours`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import field_validator

from snellen.probes import prompts
from snellen.probes.checks import check_choices, check_colours
from snellen.probes.render import DARK_COLOURS, Mask, blank, draw_target, place
from snellen.probes.shapes import SHAPES
from snellen.probes.targets import target_mask
from snellen.probes.task import Probe, RenderProfile, Task, TaskParams, register_task
from snellen.schema import AnswerField, Target


@lru_cache(maxsize=8192)
def cached_mask(kind: str, identity: str, scale: int, profile: RenderProfile) -> Mask:
    """targets.target_mask, memoised for every profile (finesight glyphs are re-rendered per call otherwise).
    Masks are only ever read (composited), never modified."""
    return target_mask(kind, identity, scale, profile)


def side(target: Target) -> int:
    """Bounding-box side of a target's ink: how shapes, blocks, dots and silhouettes are measured."""
    return max(target.ink_h, target.ink_w)


def draw_single(
    profile: RenderProfile, rng: np.random.Generator, cell: dict[str, Any], kind: str, identity: str, colour: str,
) -> tuple[np.ndarray, Target]:
    """One target of `kind`/`identity` at the cell's scale, placed uniformly on a blank canvas."""
    scale, contrast = int(cell["scale"]), float(cell.get("contrast", 1.0))
    mask = cached_mask(kind, identity, scale, profile)
    size = profile.canvas
    canvas = blank(size, size, profile.background)
    (x, y), = place(rng, [mask], (size, size), profile.margin, profile.gap)
    target = draw_target(canvas, mask, x, y, kind=kind, identity=identity, colour=colour, nominal=scale, contrast=contrast)
    return canvas, target


def single_probe(canvas: np.ndarray, target: Target, answer: dict, field: AnswerField, prompt_json: str,
                 prompt_free: str, scale: int, extra: dict | None = None) -> Probe:
    return Probe(
        image=canvas, targets=[target], answer=answer, fields=[field], prompt_json=prompt_json,
        prompt_free=prompt_free, scale=scale, measured_scale=float(side(target)), ink_h=target.ink_h,
        ink_w=target.ink_w, background="white", extra=extra or {},
    )


@register_task("shape")
class ShapeTask(Task):
    kind = "perception"

    class Params(TaskParams):
        shapes: tuple[str, ...] = SHAPES
        colours: tuple[str, ...] = DARK_COLOURS

        @field_validator("shapes")
        @classmethod
        def _shapes(cls, v):
            return check_choices(v, SHAPES, "shapes", at_least=2)

        @field_validator("colours")
        @classmethod
        def _colours(cls, v):
            return check_colours(v)

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        shape = p.shapes[int(rng.integers(len(p.shapes)))]
        colour = p.colours[int(rng.integers(len(p.colours)))]
        canvas, target = draw_single(self.profile, rng, cell, "shape", shape, colour)
        question = "What geometric shape is displayed in the image?"
        return single_probe(
            canvas, target, self.answer_from_targets([target], {}), AnswerField("shape", "label", options=p.shapes),
            prompts.json_prompt(question, {"shape": "<type>"}, f"where <type> is one of: {prompts.listing(p.shapes)}."),
            prompts.free_prompt(question, f"Answer with one of: {prompts.listing(p.shapes)}."),
            int(cell["scale"]),
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        return {"shape": targets[0].identity}
