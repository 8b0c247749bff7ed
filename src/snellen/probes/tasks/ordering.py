"""Ordering (FineSightBench's spatial chain): list n targets left to right or top to bottom.

n targets of one kind per probe (letters, shapes or dots by default; `kinds`), each with a distinct
'<colour> <identity>' label; the answer lists them in order of their ink-box centres along the asked axis.
Ink centres differ by at least max(`min_separation_px`, `separation` x scale) along that axis, so the
order is unambiguous from the pixels (FineSightBench orders by the top-left corner with no separation).

Chance: the prompt lists the colours and the identities, not the labels present, so a uniform guesser
who is even told n picks an ordered list of n distinct labels from the V = |colours| x |identities| label
vocabulary: chance = (V - n)! / V!. The answer field's options are that vocabulary and its length is n,
so AnswerField.space_size gives exactly this. With `name_items: true` the prompt lists the n labels present
(shuffled) and the field's options are those n labels: chance = 1/n!.
Deviations from FineSightBench: labels are distinct within a probe (FineSightBench may repeat one,
making the order ambiguous); order by ink centre with a minimum separation; colours default to its 12.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, field_validator

from snellen.probes.checks import check_from
from snellen.probes.labels import (
    PLURALS, LabelParams, check_kinds, check_label_capacity, label_vocabulary, pick_labels, sequence_field, sequence_prompts,
)
from snellen.probes.multi import draw_labelled, multi_probe, place_targets
from snellen.probes.render import blank
from snellen.probes.targets import cached_mask
from snellen.probes.task import CountedTask, Probe, register_task

DIRECTIONS = {"left to right": (0, False), "right to left": (0, True), "top to bottom": (1, False), "bottom to top": (1, True)}


@register_task("ordering")
class OrderingTask(CountedTask):
    class Params(LabelParams):
        directions: tuple[str, ...] = ("left to right", "top to bottom")
        separation: float = Field(0.5, ge=0.0, description="min ink-centre distance along the axis, x scale")
        min_separation_px: float = Field(4.0, ge=0.0)
        name_items: bool = False

        @field_validator("directions")
        @classmethod
        def _directions(cls, v):
            return check_from(v, DIRECTIONS, "directions")

    def __init__(self, params, profile):
        super().__init__(params, profile)
        check_kinds(self.family, self.params.kinds)
        check_label_capacity(self.family, self.params)

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        scale, n, contrast = int(cell["scale"]), int(cell["count"]), float(cell.get("contrast", 1.0))
        kind = p.kinds[int(rng.integers(len(p.kinds)))]
        direction = p.directions[int(rng.integers(len(p.directions)))]
        axis, reverse = DIRECTIONS[direction]
        ids = p.ids(kind)
        labels = pick_labels(rng, ids, p.colours, n)
        masks = [cached_mask(kind, ident, scale, self.profile) for _, ident in labels]
        gap = max(p.min_separation_px, p.separation * scale)
        positions = place_targets(rng, masks, self.profile, self.family, scale, axis_separation=(axis, gap))
        canvas = blank(self.profile.canvas, self.profile.canvas, self.profile.background)
        targets = draw_labelled(canvas, masks, positions, labels, kind, scale, contrast)
        answer = self.answer_from_targets(targets, {"direction": direction})["objects"]
        for rank, i in enumerate(sorted(range(n), key=lambda i: targets[i].center[axis], reverse=reverse)):
            targets[i].attributes["rank"] = rank
        named = [answer[i] for i in rng.permutation(n)] if p.name_items else None
        prompt_json, prompt_free = sequence_prompts(
            f"List all {PLURALS.get(kind, kind + 's')} in the image from {direction}.", kind, ids, p.colours, named
        )
        return multi_probe(
            canvas, targets, {"objects": answer}, [sequence_field(answer, label_vocabulary(ids, p.colours), p.name_items)],
            prompt_json, prompt_free, scale,
            {"target_kind": kind, "direction": direction, "separation_px": gap}, self.profile,
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        axis, reverse = DIRECTIONS[question["direction"]]
        return {"objects": [t.label for t in sorted(targets, key=lambda t: t.center[axis], reverse=reverse)]}

    @classmethod
    def question_of(cls, sample):
        return {"direction": sample.extra["direction"]}
