"""Counting on a blurred, textured background (FineSightBench's blur_chain).

Background: random 2-6 px dots in 11 colours at density 0.05 on white, then a Gaussian blur whose
standard deviation is drawn from `radii` ({8, 12, 16, 20} px, as PIL's GaussianBlur radius). Targets
are pasted sharp after the blur, at least `margin` (20) px from the border. Two modes (`modes`):

* by_colour: colour blocks, counted per colour. snellen profile: k = 2..min(6, pool, n) colours with
  the rest spread uniformly (as counting's blocks). finesight profile: FineSightBench's recipe, the
  shuffled 10-colour pool assigned round-robin (so for n <= 10 every block has its own colour).
* by_identity: one category (`categories`: object, shape, block) with 2-6 identities, exactly as the
  counting family draws it.

Answer {"counts": {...}, "total": n}; fields and chance as in counting.py: (N - k + 1)^-(k+1) with
N = max(`counts`) and k the number of keys the prompt names. Prompts are FineSightBench's blur_chain
wording ("... on a blurred, textured background ... (Ignore the background texture.)").

The blur is approximated for speed (backgrounds.fast_gaussian_blur: box-downsample by 4, exact
Gaussian at that resolution with a variance-corrected sigma, bilinear upsampling; within ~4 grey
levels of an exact Gaussian inside the 20 px margin, ~2.9 ms per 448 px background with the dots
against ~7 ms for PIL's blur alone). Each target's WCAG contrast against the blurred background under
its ink is stored in `attributes["contrast_wcag"]`; the smallest in `extra["min_contrast_wcag"]`.
Deviations from FineSightBench: the blur approximation above; no fallback to overlapping placement
(a SnellenError names 'counts'/'scales'); FineSightBench's by_colour mode picks obj_type "block" or
"color_block" at random, which only changes its metadata label, so we record kind "block" always;
snellen-profile colour pools as in counting.py.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, field_validator

from snellen.probes.backgrounds import BLUR_RADII, blurred_texture
from snellen.probes.task import register_task
from snellen.probes.tasks.counting import CountingBase, CountingParams, split_counts
from snellen.schema import SnellenError

MODES = ("by_colour", "by_identity")


@register_task("blur_counting")
class BlurCountingTask(CountingBase):
    blurred = True

    class Params(CountingParams):
        counts: tuple[int, ...] = (2, 4, 8, 10)
        modes: tuple[str, ...] = MODES
        radii: tuple[float, ...] = BLUR_RADII
        density: float = Field(0.05, gt=0.0, le=1.0)
        margin: int = Field(20, ge=0)

        @field_validator("modes")
        @classmethod
        def _modes(cls, v):
            bad = [m for m in v if m not in MODES]
            if bad or not v or len(set(v)) != len(v):
                raise ValueError(f"modes must be distinct values from {list(MODES)}, got {list(v)}")
            return v

        @field_validator("radii")
        @classmethod
        def _radii(cls, v):
            if not v or any(r < 2.0 for r in v):
                raise ValueError(f"blur radii must be >= 2 px (the fast blur's validity), got {list(v)}")
            return v

    def __init__(self, params, profile):
        super().__init__(params, profile)
        if profile.canvas % 4:
            raise SnellenError(f"blur_counting: profile 'canvas' must be divisible by 4 for the blurred background, got {profile.canvas}")

    def margin(self) -> int:
        return self.params.margin

    def background(self, rng: np.random.Generator, cell: dict):
        radius = float(self.params.radii[int(rng.integers(len(self.params.radii)))])
        size = self.profile.canvas
        canvas = blurred_texture(rng, size, size, radius, self.params.density)
        return canvas, "blurred_texture", {"blur_radius": radius, "density": self.params.density}

    def choose(self, rng: np.random.Generator, n: int):
        mode = self.params.modes[int(rng.integers(len(self.params.modes)))]
        if mode == "by_identity":
            category, counts, colour, _ = super().choose(rng, n)
            return category, counts, colour, {"mode": mode}
        pool = self.pools()["block_colours"]
        if self.profile.name == "finesight":
            shuffled = [pool[int(i)] for i in rng.permutation(len(pool))]
            assigned = [shuffled[i % len(shuffled)] for i in range(n)]
            counts = {c: assigned.count(c) for c in dict.fromkeys(assigned)}
        else:
            counts = split_counts(rng, pool, n, self.params.max_identities)
        return "block", dict(sorted(counts.items())), None, {"mode": mode}

    def vocabulary(self, category: str, mode_extra: dict):
        # FineSightBench's by_colour prompt names no colour vocabulary; by_identity does.
        return None if mode_extra.get("mode") == "by_colour" else super().vocabulary(category, mode_extra)
