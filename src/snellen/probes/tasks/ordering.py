"""Ordering (FineSightBench's spatial chain): list n targets left to right or top to bottom.

n targets of one kind per probe (letters, shapes or dots by default; `kinds`), each with a distinct
'<colour> <identity>' label; the answer lists them in order of their ink-box centres along the asked axis.
Ink centres differ by at least max(`min_separation_px`, `separation` x scale) along that axis, so the
order is unambiguous from the pixels (FineSightBench orders by the top-left corner with no separation).

Also home of the helpers the multi-target families share (comparison, relation, quadrant): label
vocabularies, prompts for '<colour> <identity>' lists, the counted cell grid, and placement that names
the parameter to change when a canvas cannot hold the targets.

Chance: the prompt lists the colours and the identities, not the labels present, so a uniform guesser
who is even told n picks an ordered list of n distinct labels from the V = |colours| x |identities| label
vocabulary: chance = (V - n)! / V!. The answer field's options are that vocabulary and its length is n,
so AnswerField.space_size gives exactly this. With `name_items: true` the prompt lists the n labels present
(shuffled) and the field's options are those n labels: chance = 1/n!.
Deviations from FineSightBench: labels are distinct within a probe (FineSightBench may repeat one,
making the order ambiguous); order by ink centre with a minimum separation; colours default to its 12.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from pydantic import Field, field_validator

from snellen.probes.checks import check_choices, check_colours, check_from
from snellen.probes.render import COLOURS, CanvasFullError, Mask, blank, draw_target, place
from snellen.probes.silhouettes import OBJECTS
from snellen.probes.targets import cached_mask, identities
from snellen.probes.task import CountedParams, Probe, RenderProfile, Task, register_task
from snellen.schema import AnswerField, SnellenError, Target

PLURALS = {"letter": "letters", "digit": "digits", "shape": "shapes", "dot": "dots", "object": "animals", "block": "blocks"}
DIRECTIONS = {"left to right": (0, False), "right to left": (0, True), "top to bottom": (1, False), "bottom to top": (1, True)}
SEQUENCE_SCHEMA = '{"objects": ["<color> <identity>", ...]}'


def identity_hint(kind: str, ids: tuple[str, ...]) -> str:
    if len(ids) == 1:
        return f"Identities are simply '{ids[0]}'."
    what = {"letter": "uppercase letters", "digit": "digits", "shape": "shapes", "object": "animals"}.get(kind, kind + "s")
    return f"Identities are {what} from: {', '.join(ids)}."


def label_vocabulary(ids: tuple[str, ...], colours: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{c} {i}" for c in colours for i in ids)


def pick_labels(rng: np.random.Generator, ids: tuple[str, ...], colours: tuple[str, ...], n: int, distinct_colours: bool = False) -> list[tuple[str, str]]:
    """n distinct (colour, identity) pairs, uniformly; with distinct_colours no colour repeats."""
    if distinct_colours:
        cols = [colours[i] for i in rng.choice(len(colours), n, replace=False)]
        return [(c, ids[int(rng.integers(len(ids)))]) for c in cols]
    flat = rng.choice(len(colours) * len(ids), n, replace=False)
    return [(colours[int(k) // len(ids)], ids[int(k) % len(ids)]) for k in flat]


class LabelParams(CountedParams):
    """Targets named '<colour> <identity>': which kinds, colours and (for kind "object") which objects."""

    kinds: tuple[str, ...] = ("letter", "shape", "dot")
    colours: tuple[str, ...] = tuple(COLOURS)
    objects: tuple[str, ...] = OBJECTS

    @field_validator("colours")
    @classmethod
    def _colours(cls, v):
        return check_colours(v)

    @field_validator("objects")
    @classmethod
    def _objects(cls, v):
        return check_choices(v, OBJECTS, "objects")

    def ids(self, kind: str) -> tuple[str, ...]:
        return self.objects if kind == "object" else identities(kind)


def check_kinds(family: str, kinds: tuple[str, ...]) -> None:
    for k in kinds:
        try:
            identities(k)
        except KeyError:
            raise SnellenError(f"{family}: unknown target kind {k!r} in 'kinds'; known: {', '.join(PLURALS)}") from None


def check_label_capacity(family: str, params: LabelParams, distinct_colours: bool = False) -> None:
    """Every count must have enough distinct labels (or colours) for every kind it may be drawn with."""
    counts, colours = params.counts, params.colours
    for k in params.kinds:
        cap = len(colours) if distinct_colours else len(colours) * len(params.ids(k))
        too_many = [c for c in counts if c > cap]
        if too_many:
            need = "distinct colours" if distinct_colours else "distinct '<colour> <identity>' labels"
            raise SnellenError(
                f"{family}: 'counts' {too_many} need that many {need} but kind {k!r} with {len(colours)} "
                f"'colours' has only {cap}; lower 'counts' or add 'colours'"
            )


def place_targets(rng: np.random.Generator, masks: list[Mask], profile: RenderProfile, family: str, scale: int,
                  axis_separation: tuple[int, float] | None = None, region: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """render.place, with an error that names the parameters to change instead of a bare canvas error."""
    size = region or (profile.canvas, profile.canvas)
    margin = 0 if region else profile.margin
    try:
        return place(rng, masks, size, margin, profile.gap, axis_separation=axis_separation, what=f"{scale} px targets")
    except CanvasFullError as exc:
        raise SnellenError(f"{family}: {exc}; lower 'counts' or 'scales' for this family") from None


def sequence_field(labels: list[str], vocabulary: tuple[str, ...], name_items: bool) -> AnswerField:
    options = tuple(sorted(labels)) if name_items else vocabulary
    return AnswerField("objects", "sequence", options=options, length=len(labels))


def sequence_prompts(instruction: str, kind: str, ids: tuple[str, ...], colours: tuple[str, ...], named: list[str] | None) -> tuple[str, str]:
    """FineSightBench's chain wording: JSON variant and free-text variant."""
    tail = f"Colors are from: {', '.join(colours)}. {identity_hint(kind, ids)}"
    if named:
        tail += f" The {PLURALS.get(kind, kind + 's')} are: {', '.join(named)}."
    prompt_json = (
        f"{instruction} Describe each by its color and identity as '<color> <identity>'. "
        f"Answer in JSON format only: {SEQUENCE_SCHEMA}. {tail}"
    )
    prompt_free = f"{instruction} Describe each as '<color> <identity>', separated by commas. {tail}"
    return prompt_json, prompt_free


def yes_no_json(question: str, key: str) -> str:
    return f"{question} Answer in JSON format only: {json.dumps({key: 'yes'})} or {json.dumps({key: 'no'})}."


def measured_size(target: Target) -> int:
    """Letters and digits are measured by ink height, everything else by bounding-box side."""
    if target.kind in ("letter", "digit") and target.attributes.get("size_mode") != "side":
        return target.ink_h
    return max(target.ink_h, target.ink_w)


def multi_probe(canvas, targets: list[Target], answer: dict, fields: list[AnswerField], prompt_json: str,
                prompt_free: str, scale: int, extra: dict, profile: RenderProfile | None = None) -> Probe:
    """measured_scale is the smallest measured target size in the image (the one that limits the task)."""
    smallest = min(targets, key=measured_size)
    glyphs = profile is not None and any(t.kind in ("letter", "digit") for t in targets)
    return Probe(
        image=canvas, targets=targets, answer=answer, fields=fields, prompt_json=prompt_json, prompt_free=prompt_free,
        scale=scale, measured_scale=float(measured_size(smallest)), ink_h=smallest.ink_h, ink_w=smallest.ink_w,
        background="white", font=profile.font if glyphs else None, extra=extra,
    )


class CountedTask(Task):
    """Cells are scale x target count (x contrast)."""

    kind = "reasoning"

    def cells(self) -> list[dict[str, Any]]:
        p = self.params
        return [{"scale": s, "count": n, "contrast": c} for c in p.contrasts for n in p.counts for s in p.scales]


def draw_labelled(canvas: np.ndarray, masks: list[Mask], positions, labels, kind: str, nominal, contrast: float) -> list[Target]:
    nominal = nominal if isinstance(nominal, list) else [nominal] * len(masks)
    return [
        draw_target(canvas, m, x, y, kind=kind, identity=ident, colour=col, nominal=int(s), contrast=contrast)
        for m, (x, y), (col, ident), s in zip(masks, positions, labels, nominal)
    ]


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
