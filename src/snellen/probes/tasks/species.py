"""Synthetic fine-grained species: one creature whose species is told apart only by a small crest.

Every species shares the same large body (a silhouette, `body_size` px, default 128) and differs in one
small part: the shape of the crest drawn above the body. The crest's bounding-box side is the scale
axis (exactly the cell's scale, measured from its ink like shapes); the body never changes with the
species. So the cell's scale is the size of the detail that separates classes, and the acuity analysis
turns accuracy over scale into a "fine-grained threshold": the smallest detail a model tells apart.

Layout is species-independent: the crest is centred in a fixed square "detail cell" (side: the widest
crest mask at that scale) whose bottom lies GAP px above the body's support, horizontally centred on the
body's ink. Two species drawn from the same rng differ only inside that cell (tests prove it).

The body and crest are two targets on a plain background (so `snellen verify` re-measures both); the
body's recipe (silhouette, size, position, colour) is also stored in `extra["scene"]`: it is the scene
every species shares, which the ideal observer rebuilds to find the crest (like a rebuilt photo).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field, field_validator

from snellen.probes import prompts
from snellen.probes.checks import check_choices, check_colours
from snellen.probes.render import COLOURS, DARK_COLOURS, blank, draw_target
from snellen.probes.shapes import shape_mask
from snellen.probes.silhouettes import OBJECTS
from snellen.probes.single import side
from snellen.probes.targets import cached_mask, register_target_kind
from snellen.probes.task import Probe, Task, TaskParams, register_task
from snellen.schema import AnswerField, SnellenError

GAP = 4  # px between the body's support and the detail cell (the generators' target gap)
# species name -> crest outline (a shape) and how the prompt describes it
CRESTS: dict[str, tuple[str, str]] = {
    "circle-crest": ("circle", "a round crest"),
    "square-crest": ("square", "a square crest"),
    "triangle-crest": ("triangle", "a triangular crest"),
    "diamond-crest": ("diamond", "a diamond-shaped crest"),
    "cross-crest": ("cross", "a plus-shaped crest"),
    "star-crest": ("star", "a star-shaped crest"),
}
SPECIES = tuple(CRESTS)
BODIES = ("bird", "fish", "cat", "turtle")

register_target_kind("crest", SPECIES, lambda ident, s, p: shape_mask(CRESTS[ident][0], s, p))


def detail_cell_side(species: tuple[str, ...], scale: int, profile) -> int:
    """Side of the square that holds any of these species' crest masks at this scale."""
    return max(max(m.h, m.w) for m in (cached_mask("crest", sp, scale, profile) for sp in species))


def layout(scene: dict[str, Any], species: tuple[str, ...], scale: int, profile) -> tuple[int, int, int]:
    """(x, y, side) of the detail cell for a scene: species-independent by construction."""
    body = cached_mask("object", scene["body"], int(scene["size"]), profile)
    cell = detail_cell_side(species, scale, profile)
    bx, by = int(scene["x"]), int(scene["y"])
    cx = bx + (body.ink[0] + body.ink[2]) // 2
    return cx - cell // 2, by - GAP - cell, cell


def draw_scene(canvas: np.ndarray, scene: dict[str, Any], profile, contrast: float):
    """The body every species shares, composited in place; returns its Target."""
    body = cached_mask("object", scene["body"], int(scene["size"]), profile)
    return draw_target(canvas, body, int(scene["x"]), int(scene["y"]), kind="object", identity=scene["body"],
                       colour=scene["colour"], nominal=int(scene["size"]), contrast=contrast, role="body")


def render(profile, scene: dict[str, Any], species_set: tuple[str, ...], species: str, scale: int, contrast: float = 1.0):
    """(canvas, body target, crest target, detail cell box) for one species in a scene."""
    if species not in species_set:
        raise SnellenError(f"unknown species {species!r}; known: {', '.join(species_set)}")
    canvas = blank(profile.canvas, profile.canvas, profile.background)
    body_t = draw_scene(canvas, scene, profile, contrast)
    x, y, cell = layout(scene, species_set, scale, profile)
    crest = cached_mask("crest", species, scale, profile)
    ox, oy = x + (cell - crest.w) // 2, y + (cell - crest.h) // 2
    crest_t = draw_target(canvas, crest, ox, oy, kind="crest", identity=species, colour=scene["colour"], nominal=scale,
                          contrast=contrast, role="detail")
    return canvas, body_t, crest_t, (x, y, x + cell, y + cell)


@register_task("species")
class SpeciesTask(Task):
    kind = "perception"

    class Params(TaskParams):
        scales: tuple[int, ...] = (3, 4, 5, 6, 8, 10, 12, 16, 24)
        species: tuple[str, ...] = ("circle-crest", "square-crest", "triangle-crest", "diamond-crest", "cross-crest")
        bodies: tuple[str, ...] = BODIES
        body_size: int = Field(128, ge=32, le=1024)
        colours: tuple[str, ...] = DARK_COLOURS

        @field_validator("species")
        @classmethod
        def _species(cls, v):
            return check_choices(v, SPECIES, "species", at_least=2)

        @field_validator("bodies")
        @classmethod
        def _bodies(cls, v):
            return check_choices(v, OBJECTS, "bodies")

        @field_validator("colours")
        @classmethod
        def _colours(cls, v):
            return check_colours(v)

    def scene(self, rng: np.random.Generator, scale: int) -> dict[str, Any]:
        """Random body, colour and position (draws the same rng values whatever the species)."""
        p, prof = self.params, self.profile
        body = p.bodies[int(rng.integers(len(p.bodies)))]
        colour = p.colours[int(rng.integers(len(p.colours)))]
        m = cached_mask("object", body, p.body_size, prof)
        cell = detail_cell_side(p.species, scale, prof)
        top = prof.margin + cell + GAP  # room for the detail cell above the body
        x_hi, y_hi = prof.canvas - prof.margin - m.w, prof.canvas - prof.margin - m.h
        x_lo = prof.margin
        if x_hi < x_lo or y_hi < top:
            raise SnellenError(f"species: a {p.body_size} px body with a {scale} px crest does not fit a {prof.canvas} px canvas")
        return {"body": body, "size": p.body_size, "colour": colour, "rgb": list(COLOURS[colour]),
                "x": int(rng.integers(x_lo, x_hi + 1)), "y": int(rng.integers(top, y_hi + 1))}

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p, scale, contrast = self.params, int(cell["scale"]), float(cell.get("contrast", 1.0))
        species = p.species[int(rng.integers(len(p.species)))]
        scene = self.scene(rng, scale)
        canvas, body_t, crest_t, box = render(self.profile, scene, p.species, species, scale, contrast)
        described = "; ".join(f"{s} ({CRESTS[s][1]})" for s in p.species)
        question = ("This creature belongs to one species. The species look the same except for the small crest "
                    f"drawn above the body: {described}. Which species is it?")
        return Probe(
            image=canvas, targets=[crest_t, body_t], answer=self.answer_from_targets([crest_t, body_t], {}),
            fields=[AnswerField("species", "label", options=p.species)],
            prompt_json=prompts.json_prompt(question, {"species": "<name>"}, f"where <name> is one of: {prompts.listing(p.species)}."),
            prompt_free=prompts.free_prompt(question, f"Answer with one of: {prompts.listing(p.species)}."),
            scale=scale, measured_scale=float(side(crest_t)), ink_h=crest_t.ink_h, ink_w=crest_t.ink_w,
            extra={"scene": scene, "detail_cell": list(box)},
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        crests = [t for t in targets if t.kind == "crest"]
        if len(crests) != 1:
            raise SnellenError(f"species: expected one crest, perceived {len(crests)}")
        return {"species": crests[0].identity}


def scene_background(sample) -> np.ndarray:
    """The shared scene of a species sample (the body alone), rebuilt exactly from extra['scene']."""
    from snellen.probes.task import RenderProfile

    profile = RenderProfile(name=sample.profile, antialias=bool(sample.antialias), canvas=int(sample.canvas[0]))
    canvas = blank(profile.canvas, profile.canvas, profile.background)
    draw_scene(canvas, sample.extra["scene"], profile, float(sample.contrast))
    return canvas
