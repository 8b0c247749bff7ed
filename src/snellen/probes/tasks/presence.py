"""Presence: "is there a square block in the image?", answered yes or no.

About half the probes (`negative_rate`) are negatives. A negative never shows a blank canvas: it shows a
distractor of the same kind, nominal size and colour (a circle, triangle, star... where the subject is a
square), so "no" must come from seeing the shape, not from seeing that something is there.
Deviation from FineSightBench: its block task always shows the block (ground truth is always "yes", so
answering "yes" scores 100%); here chance is 1/2 and answering "yes" always scores about 50%.
finesight profile: shapes are PIL polygons inscribed in size x size without anti-aliasing.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, field_validator

from snellen.probes import prompts
from snellen.probes.targets import identities
from snellen.probes.task import Probe, RenderProfile, Task, TaskParams, register_task
from snellen.probes.checks import check_colours
from snellen.probes.single import draw_single, single_probe
from snellen.schema import AnswerField, SnellenError


@register_task("presence")
class PresenceTask(Task):
    kind = "perception"

    class Params(TaskParams):
        subject_kind: str = "shape"
        subject: str = "square"
        phrase: str = Field("square block", min_length=1)
        distractors: tuple[str, ...] = ("circle", "triangle", "star", "cross", "pentagon", "hexagon")
        colours: tuple[str, ...] = ("black",)
        negative_rate: float = Field(0.5, gt=0.0, lt=1.0)

        @field_validator("colours")
        @classmethod
        def _colours(cls, v):
            return check_colours(v)

    def __init__(self, params: TaskParams, profile: RenderProfile):
        super().__init__(params, profile)
        p = self.params
        try:
            known = identities(p.subject_kind)
        except KeyError:
            raise SnellenError(f"presence: unknown subject_kind {p.subject_kind!r}") from None
        bad = [x for x in (p.subject, *p.distractors) if x not in known]
        if bad:
            raise SnellenError(
                f"presence: 'subject'/'distractors' {bad} are not {p.subject_kind} identities; known: {', '.join(known)}"
            )
        if not p.distractors or p.subject in p.distractors:
            raise SnellenError(f"presence: 'distractors' must be non-empty and must not contain the subject {p.subject!r}")

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        negative = bool(rng.random() < p.negative_rate)
        drawn = p.distractors[int(rng.integers(len(p.distractors)))] if negative else p.subject
        colour = p.colours[int(rng.integers(len(p.colours)))]
        canvas, target = draw_single(self.profile, rng, cell, p.subject_kind, drawn, colour)
        present = self.answer_from_targets([target], {"subject": p.subject})["present"]
        question = f"Is there a {p.phrase} visible in the image?"
        prompt_json = prompts.yes_no_json(question, "present")
        return single_probe(
            canvas, target, {"present": present}, AnswerField("present", "label", options=("yes", "no")),
            prompt_json, prompts.free_prompt(question, "Answer yes or no."), int(cell["scale"]),
            extra={"subject": p.subject, "drawn": drawn},
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        return {"present": "yes" if targets[0].identity == question["subject"] else "no"}

    @classmethod
    def question_of(cls, sample):
        return {"subject": sample.extra["subject"]}
