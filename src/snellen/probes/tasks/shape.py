"""Shape recognition: one geometric shape whose bounding-box side is exactly the scale.

finesight profile: shapes are PIL polygons inscribed in size x size without anti-aliasing, as in
FineSightBench (shapes._finesight_shape); their measured side may be smaller than nominal and is stored as
measured. Deviation: FineSightBench colours shapes from its 12-colour palette; we default to the colours
that stay visible on white (render.DARK_COLOURS), settable with `colours`.
"""

from __future__ import annotations

import numpy as np
from pydantic import field_validator

from snellen.probes.checks import check_choices, check_colours
from snellen.probes.render import DARK_COLOURS
from snellen.probes.shapes import SHAPES
from snellen.probes.single import choice_probe, draw_single
from snellen.probes.task import Probe, Task, TaskParams, register_task


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
        return choice_probe(canvas, target, self.answer_from_targets([target], {}), "shape", p.shapes, question, "<type>",
                            int(cell["scale"]))

    @classmethod
    def answer_from_targets(cls, targets, question):
        return {"shape": targets[0].identity}
