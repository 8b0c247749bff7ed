"""One target on a blank canvas: the drawing and Probe assembly of the single-target families
(letter, digit, shape, object, colour, presence)."""

from __future__ import annotations

from typing import Any

import numpy as np

from snellen.probes import prompts
from snellen.probes.render import blank, draw_target, place
from snellen.probes.targets import cached_mask
from snellen.probes.task import Probe, RenderProfile
from snellen.schema import AnswerField, Target


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
    """A Probe measured by the target's bounding-box side (`side`)."""
    return Probe(
        image=canvas, targets=[target], answer=answer, fields=[field], prompt_json=prompt_json,
        prompt_free=prompt_free, scale=scale, measured_scale=float(side(target)), ink_h=target.ink_h,
        ink_w=target.ink_w, background="white", extra=extra or {},
    )


def choice_probe(canvas: np.ndarray, target: Target, answer: dict, key: str, options: tuple[str, ...], question: str,
                 placeholder: str, scale: int) -> Probe:
    """A single-target Probe whose answer `key` is one of `options`, listed in both prompts."""
    listed = prompts.listing(options)
    return single_probe(
        canvas, target, answer, AnswerField(key, "label", options=options),
        prompts.json_prompt(question, {key: placeholder}, f"where {placeholder} is one of: {listed}."),
        prompts.free_prompt(question, f"Answer with one of: {listed}."), scale,
    )
