"""Colour recognition: one filled square block whose side is exactly the scale; name its colour.

Eleven colours by default (FineSightBench's palette without black, render.RECOGNITION_COLOURS); the
answer key is FineSightBench's "color". finesight profile: the block is a PIL rectangle of size x size.
"""

from __future__ import annotations

import numpy as np
from pydantic import field_validator

from snellen.probes.render import RECOGNITION_COLOURS
from snellen.probes.task import Probe, Task, TaskParams, register_task
from snellen.probes.checks import check_colours
from snellen.probes.single import choice_probe, draw_single


@register_task("colour")
class ColourTask(Task):
    kind = "perception"

    class Params(TaskParams):
        colours: tuple[str, ...] = RECOGNITION_COLOURS

        @field_validator("colours")
        @classmethod
        def _colours(cls, v):
            return check_colours(v, at_least=2)

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        colour = p.colours[int(rng.integers(len(p.colours)))]
        canvas, target = draw_single(self.profile, rng, cell, "block", "block", colour)
        question = "What color is the block in the image?"
        return choice_probe(canvas, target, self.answer_from_targets([target], {}), "color", p.colours, question, "<name>",
                            int(cell["scale"]))

    @classmethod
    def answer_from_targets(cls, targets, question):
        return {"color": targets[0].colour}
