"""Counting (FineSightBench's counting_chain): n targets of one category, count each identity and the total.

A probe draws one category (`categories`: "object" silhouettes, "shape"s, or colour "block"s), picks
k = uniform{2 .. min(pool size, n, `max_identities`)} distinct identities, gives each one target and
spreads the other n - k uniformly at random among them (FineSightBench's recipe). Shapes and objects
share one colour per probe; blocks are identified by their colour. The prompt names the identities
present, as FineSightBench does. Answer: {"counts": {identity: count}, "total": n}.

Chance (AnswerField.space_size, fields drawn independently): the prompt tells the k keys; each count
is >= 1 and the total is at most N = max(`counts`), so each count lies in [1, N - k + 1] and the total
in [k, N]: chance = (N - k + 1)^-k x (N - k + 1)^-1 = (N - k + 1)^-(k+1). It is per probe (it depends
on k) and is an upper bound on a uniform guesser's strict accuracy over consistent answers.

Scale: bounding-box side of each target's ink (snellen profile: exactly the scale for every target);
Probe.measured_scale is the smallest target's measured side. Each target's WCAG contrast against the
background under its ink is stored in `attributes["contrast"]`.

finesight profile (FineSightBench's notebook generate_reasoning_dataset, _gen_counting_chain): shapes
and blocks are drawn with its recipe (shapes._finesight_shape, no anti-aliasing), objects with
silhouettes' finesight branch; the uniform colour is drawn from its 12 target colours minus black
(11), block colours from its pool without black and gray (10), objects from its six animals; the JSON
prompt is its wording, including "Colors are from:" with its 12 colours. Deviations: placement keeps
the profile's gap between targets and raises a SnellenError naming 'counts'/'scales' when they do not
fit (FineSightBench falls back to random, possibly overlapping, positions after 200 tries); silhouettes
are ours (see silhouettes.py). snellen profile defaults: colours that stay visible on white
(render.DARK_COLOURS) for the uniform colour and for blocks, and all our silhouettes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field, field_validator

from snellen.probes.backgrounds import contrast_under, plain
from snellen.probes.checks import check_choices, check_colours
from snellen.probes.render import COLOURS, DARK_COLOURS, draw_target
from snellen.probes.shapes import SHAPES
from snellen.probes.silhouettes import FINESIGHT_OBJECTS, OBJECTS
from snellen.probes.targets import target_mask
from snellen.probes.multi import measured_size, place_targets
from snellen.probes.task import CountedParams, CountedTask, Probe, register_task
from snellen.schema import AnswerField, Target

CATEGORIES = ("object", "shape", "block")
# FineSightBench's target colours (core/colors.py TARGET_COLORS) and the pools its counting draws from.
FINESIGHT_TARGET_COLOURS = (
    "red", "green", "blue", "yellow", "cyan", "magenta", "orange", "purple", "pink", "brown", "black", "gray",
)
FINESIGHT_UNIFORM_COLOURS = tuple(c for c in FINESIGHT_TARGET_COLOURS if c != "black")
FINESIGHT_BLOCK_COLOURS = tuple(c for c in FINESIGHT_TARGET_COLOURS if c not in ("black", "gray"))

# (plural noun, identity noun, JSON placeholder, JSON "from" sentence) per category, FineSightBench's words.
_WORDS = {
    "object": ("animals", "animal", "Animals present", "Animal types are from"),
    "shape": ("geometric shapes", "shape", "Shapes present", "Shape types are from"),
    "block": ("colored blocks", "color", "Colors present", "Colors are from"),
}


def check_counts(v: tuple[int, ...]) -> tuple[int, ...]:
    bad = [c for c in v if c < 2]
    if bad:
        raise ValueError(f"counting needs at least 2 targets per image (2 identities), got counts {list(v)}")
    return v


def split_counts(rng: np.random.Generator, pool: tuple[str, ...], n: int, max_ids: int) -> dict[str, int]:
    """FineSightBench's recipe: k distinct identities, one target each, the rest spread uniformly."""
    k = int(rng.integers(2, min(len(pool), n, max_ids) + 1))
    chosen = [pool[int(i)] for i in rng.choice(len(pool), k, replace=False)]
    counts = [1] * k
    for i in rng.integers(0, k, n - k).tolist():
        counts[i] += 1
    return dict(zip(chosen, counts))


def count_fields(counts: dict[str, int], max_total: int) -> list[AnswerField]:
    k = len(counts)
    return [
        AnswerField("counts", "counts", keys=tuple(counts), low=1, high=max_total - k + 1),
        AnswerField("total", "integer", low=k, high=max_total),
    ]


def counting_prompts(category: str, keys: list[str], pool: tuple[str, ...] | None, blurred: bool) -> tuple[str, str]:
    """FineSightBench's counting_chain / blur_chain wording (JSON relabel and plain versions)."""
    plural, noun, present, source = _WORDS[category]
    if blurred:
        lead = f"The image shows {plural} on a blurred, textured background."
    elif category == "block":
        lead = "The image contains colored blocks of different colors."
    else:
        lead = f"The image contains different {plural}."
    ask = {
        "object": "Count the number of each type of animal and {} the total.",
        "shape": "Count the number of each shape type and {} the total.",
        "block": "Count the number of blocks for each color and {} the total.",
    }[category]
    tail = f" {present}: {', '.join(keys)}."
    vocab = f" {source}: {', '.join(pool)}." if pool else ""
    ignore = " (Ignore the background texture.)" if blurred else ""
    schema = f'{{"counts": {{"<{noun}>": <n>, ...}}, "total": <N>}}'
    prompt_json = f"{lead} {ask.format('provide')} Answer in JSON format only: {schema}.{tail}{vocab}{ignore}"
    prompt_free = f"{lead} {ask.format('give')} Answer in the format: '<count> <{noun}>, ...; total: <N>'.{tail}{ignore}"
    return prompt_json, prompt_free


class CountingBase(CountedTask):
    """Shared drawing for counting and blur_counting; subclasses choose the background and the mode."""

    blurred = False

    def pools(self) -> dict[str, Any]:
        p, fs = self.params, self.profile.name == "finesight"
        return {
            "colours": p.colours or (FINESIGHT_UNIFORM_COLOURS if fs else DARK_COLOURS),
            "block_colours": p.block_colours or (FINESIGHT_BLOCK_COLOURS if fs else DARK_COLOURS),
            "object": p.objects or (FINESIGHT_OBJECTS if fs else OBJECTS),
            "shape": p.shapes,
        }

    def background(self, rng: np.random.Generator, cell: dict) -> tuple[np.ndarray, str, dict]:
        size = self.profile.canvas
        bg = self.profile.background
        return plain(size, bg), "white" if tuple(bg) == (255, 255, 255) else f"rgb{tuple(bg)}", {}

    def margin(self) -> int:
        return self.profile.margin

    def choose(self, rng: np.random.Generator, n: int) -> tuple[str, dict[str, int], str | None, dict]:
        """(category, counts per identity, uniform colour or None, extra)."""
        pools = self.pools()
        category = self.params.categories[int(rng.integers(len(self.params.categories)))]
        pool = pools["block_colours"] if category == "block" else pools[category]
        counts = split_counts(rng, pool, n, self.params.max_identities)
        colour = None if category == "block" else pools["colours"][int(rng.integers(len(pools["colours"])))]
        return category, counts, colour, {}

    def vocabulary(self, category: str, mode_extra: dict) -> tuple[str, ...] | None:
        """The identity vocabulary the JSON prompt lists (FineSightBench lists 12 colours for blocks)."""
        if category == "block":
            return FINESIGHT_TARGET_COLOURS if self.profile.name == "finesight" else self.pools()["block_colours"]
        return self.pools()[category]

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        scale, n, contrast = int(cell["scale"]), int(cell["count"]), float(cell.get("contrast", 1.0))
        canvas, background, extra = self.background(rng, cell)
        category, counts, colour, mode_extra = self.choose(rng, n)
        # One (identity, colour) per target, in random order so identities are not placed in groups.
        items = [(ident, colour or ident) for ident, c in counts.items() for _ in range(c)]
        items = [items[int(i)] for i in rng.permutation(len(items))]
        kind = "block" if category == "block" else category
        masks = [target_mask(kind, "block" if kind == "block" else ident, scale, self.profile) for ident, _ in items]
        profile = self.profile.model_copy(update={"margin": self.margin()})
        positions = place_targets(rng, masks, profile, self.family, scale)
        targets: list[Target] = []
        for m, (x, y), (ident, col) in zip(masks, positions, items):
            rgb = COLOURS[col]
            local = contrast_under(canvas, m, x, y, rgb, contrast)
            targets.append(draw_target(
                canvas, m, x, y, kind=kind, identity="block" if kind == "block" else ident, colour=col,
                nominal=scale, contrast=contrast, count_key=ident, contrast_wcag=local,
            ))
        prompt_json, prompt_free = counting_prompts(category, list(counts), self.vocabulary(category, mode_extra), self.blurred)
        smallest = min(targets, key=measured_size)
        return Probe(
            image=canvas, targets=targets, answer=self.answer_from_targets(targets, {"keys": list(counts)}),
            fields=count_fields(counts, max(self.params.counts)), prompt_json=prompt_json, prompt_free=prompt_free,
            scale=scale, measured_scale=float(measured_size(smallest)), ink_h=smallest.ink_h, ink_w=smallest.ink_w,
            background=background,
            extra={"category": category, "colour": colour, **mode_extra, **extra,
                   "min_contrast_wcag": min(t.attributes["contrast_wcag"]["wcag"] for t in targets)},
        )


    @classmethod
    def answer_from_targets(cls, targets, question):
        """Blocks are counted by colour, every other kind by identity; keys in the prompt's order."""
        keys = [t.colour if t.kind == "block" else t.identity for t in targets]
        return {"counts": {k: keys.count(k) for k in question["keys"]}, "total": len(targets)}

    @classmethod
    def question_of(cls, sample):
        return {"keys": list(sample.fields[0].keys)}


class CountingParams(CountedParams):
    counts: tuple[int, ...] = (2, 4, 8, 10, 15, 20)
    categories: tuple[str, ...] = CATEGORIES
    shapes: tuple[str, ...] = SHAPES
    objects: tuple[str, ...] | None = Field(None, description="None: all silhouettes (snellen) / FineSightBench's six")
    colours: tuple[str, ...] | None = Field(None, description="uniform colour of shapes/objects; None: profile default")
    block_colours: tuple[str, ...] | None = Field(None, description="block identities; None: profile default")
    max_identities: int = Field(6, ge=2)

    @field_validator("counts")
    @classmethod
    def _counts(cls, v):
        return check_counts(v)

    @field_validator("categories")
    @classmethod
    def _categories(cls, v):
        return check_choices(v, CATEGORIES, "categories")

    @field_validator("shapes")
    @classmethod
    def _shapes(cls, v):
        return check_choices(v, SHAPES, "shapes", at_least=2)

    @field_validator("objects")
    @classmethod
    def _objects(cls, v):
        return v if v is None else check_choices(v, OBJECTS, "objects", at_least=2)

    @field_validator("colours")
    @classmethod
    def _colours(cls, v):
        return v if v is None else check_colours(v)

    @field_validator("block_colours")
    @classmethod
    def _block_colours(cls, v):
        return v if v is None else check_colours(v, at_least=2)


@register_task("counting")
class CountingTask(CountingBase):
    Params = CountingParams
