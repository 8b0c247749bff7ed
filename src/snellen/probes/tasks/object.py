"""Object recognition: one silhouette (probes/silhouettes.py) whose bounding-box side is exactly the scale.

The answer key is a parameter (`answer_key`, default "object"); FineSightBench's animal task is
`answer_key: animal` with `objects: [cat, dog, fish, bird, rabbit, turtle]`, whose prompt then reads
"What animal is shown in the image? Answer in JSON format only: {"animal": "<type>"} where <type> is one of: ...".
finesight profile: our outlines rasterised at max(4*size, 64) px and LANCZOS-downsampled into size x size
(FineSightBench's recipe; the outlines themselves are ours, see silhouettes.py). Deviation: colours
default to render.DARK_COLOURS.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, field_validator

from snellen.probes.render import DARK_COLOURS
from snellen.probes.silhouettes import OBJECTS
from snellen.probes.task import Probe, Task, TaskParams, register_task
from snellen.probes.checks import check_choices, check_colours
from snellen.probes.single import choice_probe, draw_single


@register_task("object")
class ObjectTask(Task):
    kind = "perception"

    class Params(TaskParams):
        objects: tuple[str, ...] = OBJECTS
        colours: tuple[str, ...] = DARK_COLOURS
        answer_key: str = Field("object", pattern=r"^[a-z][a-z_]*$")

        @field_validator("objects")
        @classmethod
        def _objects(cls, v):
            return check_choices(v, OBJECTS, "objects", at_least=2)

        @field_validator("colours")
        @classmethod
        def _colours(cls, v):
            return check_colours(v)

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        name = p.objects[int(rng.integers(len(p.objects)))]
        colour = p.colours[int(rng.integers(len(p.colours)))]
        canvas, target = draw_single(self.profile, rng, cell, "object", name, colour)
        noun = p.answer_key.replace("_", " ")
        question = f"What {noun} is shown in the image?"
        return choice_probe(canvas, target, self.answer_from_targets([target], {"key": p.answer_key}), p.answer_key,
                            p.objects, question, "<type>", int(cell["scale"]))

    @classmethod
    def answer_from_targets(cls, targets, question):
        return {question["key"]: targets[0].identity}

    @classmethod
    def question_of(cls, sample):
        return {"key": sample.fields[0].name}
