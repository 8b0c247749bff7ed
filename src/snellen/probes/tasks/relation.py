"""Relation: "is the <A> to the left of / above the <B>?", answered yes or no (about half yes).

Two labelled targets (more with `counts` > 2: the extra ones are distractors with their own labels).
Along the asked axis the ink-box centres of all targets differ by at least the largest ink extent on that
axis plus the render gap, so A's and B's ink boxes do not overlap along it: "left of" is then true of the
whole target, not just its centre, and the answer is unambiguous from the pixels. Position on the other
axis is free. Chance 1/2. Not in FineSightBench (its unused "spatial" generator asks for quadrants).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, field_validator

from snellen.probes import prompts
from snellen.probes.checks import check_from
from snellen.probes.labels import LabelParams, check_kinds, check_label_capacity, pick_labels
from snellen.probes.multi import draw_labelled, multi_probe, place_targets
from snellen.probes.render import blank
from snellen.probes.targets import cached_mask
from snellen.probes.task import CountedTask, Probe, register_task
from snellen.schema import AnswerField, SnellenError

RELATIONS = {"to the left of": (0, -1), "to the right of": (0, 1), "above": (1, -1), "below": (1, 1)}


@register_task("relation")
class RelationTask(CountedTask):
    class Params(LabelParams):
        counts: tuple[int, ...] = (2,)
        relations: tuple[str, ...] = ("to the left of", "above")
        yes_rate: float = Field(0.5, gt=0.0, lt=1.0)

        @field_validator("relations")
        @classmethod
        def _relations(cls, v):
            return check_from(v, RELATIONS, "relations")

    def __init__(self, params, profile):
        super().__init__(params, profile)
        p = self.params
        if any(c < 2 for c in p.counts):
            raise SnellenError(f"relation: 'counts' must be >= 2 (A and B), got {list(p.counts)}")
        check_kinds(self.family, p.kinds)
        check_label_capacity(self.family, p)

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        scale, n, contrast = int(cell["scale"]), int(cell["count"]), float(cell.get("contrast", 1.0))
        kind = p.kinds[int(rng.integers(len(p.kinds)))]
        relation = p.relations[int(rng.integers(len(p.relations)))]
        axis, sign = RELATIONS[relation]
        want_yes = bool(rng.random() < p.yes_rate)
        labels = pick_labels(rng, p.ids(kind), p.colours, n)
        masks = [cached_mask(kind, ident, scale, self.profile) for _, ident in labels]
        extent = max(m.ink_w if axis == 0 else m.ink_h for m in masks)
        separation = float(extent + self.profile.gap)
        positions = place_targets(rng, masks, self.profile, self.family, scale, axis_separation=(axis, separation))
        canvas = blank(self.profile.canvas, self.profile.canvas, self.profile.background)
        targets = draw_labelled(canvas, masks, positions, labels, kind, scale, contrast)
        # Targets 0 and 1 are the pair asked about; which is A decides the truth of "A <relation> B".
        first, second = targets[0], targets[1]
        holds = sign * (first.center[axis] - second.center[axis]) > 0
        a, b = (first, second) if holds == want_yes else (second, first)
        a.attributes["role"], b.attributes["role"] = "A", "B"
        question = f"Is the {a.label} {relation} the {b.label}?"
        asked = {"a": a.label, "b": b.label, "relation": relation}
        return multi_probe(
            canvas, targets, self.answer_from_targets(targets, asked), [AnswerField("answer", "label", options=("yes", "no"))],
            prompts.yes_no_json(question, "answer"), prompts.free_prompt(question, "Answer yes or no."), scale,
            {"target_kind": kind, "relation": relation, "a": a.label, "b": b.label, "separation_px": separation}, self.profile,
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        """Whether the ink-box centre of the target labelled a lies on the asked side of b's."""
        axis, sign = RELATIONS[question["relation"]]
        a = next(t for t in targets if t.label == question["a"])
        b = next(t for t in targets if t.label == question["b"])
        return {"answer": "yes" if sign * (a.center[axis] - b.center[axis]) > 0 else "no"}

    @classmethod
    def question_of(cls, sample):
        return {k: sample.extra[k] for k in ("a", "b", "relation")}
