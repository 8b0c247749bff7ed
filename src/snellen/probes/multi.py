"""Several targets on one canvas: placement whose error names the parameters to change, drawing each
target with its own label and nominal size, and the Probe measured by its smallest target."""

from __future__ import annotations

import numpy as np

from snellen.probes.render import CanvasFullError, Mask, draw_target, place
from snellen.probes.task import Probe, RenderProfile
from snellen.schema import AnswerField, SnellenError, Target


def place_targets(rng: np.random.Generator, masks: list[Mask], profile: RenderProfile, family: str, scale: int,
                  axis_separation: tuple[int, float] | None = None, region: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """render.place, with an error that names the parameters to change instead of a bare canvas error."""
    size = region or (profile.canvas, profile.canvas)
    margin = 0 if region else profile.margin
    try:
        return place(rng, masks, size, margin, profile.gap, axis_separation=axis_separation, what=f"{scale} px targets")
    except CanvasFullError as exc:
        raise SnellenError(f"{family}: {exc}; lower 'counts' or 'scales' for this family") from None


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


def draw_labelled(canvas: np.ndarray, masks: list[Mask], positions, labels, kind: str, nominal, contrast: float) -> list[Target]:
    nominal = nominal if isinstance(nominal, list) else [nominal] * len(masks)
    return [
        draw_target(canvas, m, x, y, kind=kind, identity=ident, colour=col, nominal=int(s), contrast=contrast)
        for m, (x, y), (col, ident), s in zip(masks, positions, labels, nominal)
    ]
