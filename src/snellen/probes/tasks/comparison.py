"""Comparison (FineSightBench's comparison chain): list n targets of different sizes by size.

One kind per probe (letters, shapes, dots or animals by default; `kinds`), distinct colours (as in
FineSightBench), identities drawn with replacement. Sizes are bounding-box sides: the cell's scale is
the smallest target, and the other n - 1 sizes are distinct values drawn from `pool` above it
(FineSightBench's pool [4, 6, ..., 40, 48] by default). Every target stores its own nominal size and the
answer order comes from the measured ink sides, which are checked to be strictly ordered.

Cells: a (scale, count) cell needs n distinct sizes >= scale; cells the pool cannot serve (e.g. 4 sizes
>= 32 px: only 32, 40, 48) are not in the grid (`infeasible_cells` lists them; `strict_cells: true` makes
them an error instead), and drawing one directly raises an error naming 'counts'.
Chance: as for ordering (see ordering.py): 1 / P(V, n) over the label vocabulary, or 1/n! with `name_items`.
Deviations from FineSightBench: the cell's scale is always one of the sizes (FineSightBench draws all n
from the pool at or above it); sizes never repeat (FineSightBench may repeat, making the order ambiguous);
in the snellen profile letters are fitted by bounding-box side here, not by height, so "size" means the
same thing for every kind; finesight letters are squashed to size x size as in FineSightBench.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import field_validator

from snellen.probes.checks import check_from
from snellen.probes.labels import (
    PLURALS, LabelParams, check_kinds, check_label_capacity, label_vocabulary, pick_labels, sequence_field, sequence_prompts,
)
from snellen.probes.multi import draw_labelled, multi_probe, place_targets
from snellen.probes.render import blank, fit_outline_cached, glyph_outline, register_outline
from snellen.probes.targets import cached_mask
from snellen.probes.task import CountedTask, Probe, register_task
from snellen.schema import SnellenError

FINESIGHT_POOL = (4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48)
ORDERS = ("smallest to largest", "largest to smallest")


def sized_mask(kind: str, identity: str, size: int, profile):
    """Bounding-box side == size for every kind (letters too, in the snellen profile)."""
    if kind in ("letter", "digit") and profile.name != "finesight":
        font = profile.font
        key = register_outline(f"glyph:{font}:{identity}", lambda: glyph_outline(identity, font))
        return fit_outline_cached(key, size, "side", profile.antialias)
    return cached_mask(kind, identity, size, profile)


@register_task("comparison")
class ComparisonTask(CountedTask):
    class Params(LabelParams):
        kinds: tuple[str, ...] = ("letter", "shape", "dot", "object")
        pool: tuple[int, ...] = FINESIGHT_POOL
        orders: tuple[str, ...] = ORDERS
        name_items: bool = False
        strict_cells: bool = False

        @field_validator("pool")
        @classmethod
        def _pool(cls, v):
            if not v or any(s <= 0 for s in v) or len(set(v)) != len(v):
                raise ValueError(f"pool must be distinct positive pixel sizes, got {list(v)}")
            return tuple(sorted(v))

        @field_validator("orders")
        @classmethod
        def _orders(cls, v):
            return check_from(v, ORDERS, "orders")

    def __init__(self, params, profile):
        super().__init__(params, profile)
        p = self.params
        check_kinds(self.family, p.kinds)
        check_label_capacity(self.family, p, distinct_colours=True)
        grid = super().cells()
        self._cells = [c for c in grid if c["count"] <= len(self.sizes_for(c["scale"]))]
        self.infeasible_cells = [(c["scale"], c["count"]) for c in grid if c not in self._cells]
        if self.infeasible_cells and p.strict_cells:
            raise SnellenError(
                f"comparison: (scale, count) cells {sorted(set(self.infeasible_cells))} need more distinct sizes "
                f"than 'pool' {list(p.pool)} has at or above the scale; lower 'counts' or extend 'pool'"
            )
        if not self._cells:
            raise SnellenError(f"comparison: no (scale, count) cell can be served by 'pool' {list(p.pool)}; lower 'counts'")

    def sizes_for(self, scale: int) -> tuple[int, ...]:
        return (scale, *(s for s in self.params.pool if s > scale))

    def cells(self) -> list[dict[str, Any]]:
        return list(self._cells)

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        scale, n, contrast = int(cell["scale"]), int(cell["count"]), float(cell.get("contrast", 1.0))
        available = self.sizes_for(scale)
        if n > len(available):
            raise SnellenError(
                f"comparison: 'counts' {n} needs {n} distinct sizes but 'pool' has only {list(available)} at or above {scale} px; lower 'counts' or extend 'pool'"
            )
        kind = p.kinds[int(rng.integers(len(p.kinds)))]
        order = p.orders[int(rng.integers(len(p.orders)))]
        ids = p.ids(kind)
        others = sorted(int(s) for s in rng.choice(available[1:], n - 1, replace=False)) if n > 1 else []
        sizes = [scale, *others]
        for _ in range(50):
            labels = pick_labels(rng, ids, p.colours, n, distinct_colours=True)
            masks = [sized_mask(kind, ident, s, self.profile) for (_, ident), s in zip(labels, sizes)]
            sides = [max(m.ink_h, m.ink_w) for m in masks]
            if all(a < b for a, b in zip(sides, sides[1:])):  # measured sizes strictly ordered like the nominal ones
                break
        else:
            raise SnellenError(f"comparison: measured sizes {sides} for nominal {sizes} are not strictly ordered ({kind})")
        shuffle = rng.permutation(n)  # where each size goes on the canvas is random
        masks, labels, sizes = [masks[i] for i in shuffle], [labels[i] for i in shuffle], [sizes[i] for i in shuffle]
        positions = place_targets(rng, masks, self.profile, self.family, scale)
        canvas = blank(self.profile.canvas, self.profile.canvas, self.profile.background)
        targets = draw_labelled(canvas, masks, positions, labels, kind, sizes, contrast)
        for t in targets:
            t.attributes["size_mode"] = "side"
        ranked = sorted(range(n), key=lambda i: max(targets[i].ink_h, targets[i].ink_w), reverse=order == ORDERS[1])
        for rank, i in enumerate(ranked):
            targets[i].attributes["rank"] = rank
        answer = self.answer_from_targets(targets, {"direction": order})["objects"]
        named = [answer[i] for i in rng.permutation(n)] if p.name_items else None
        prompt_json, prompt_free = sequence_prompts(
            f"List all {PLURALS.get(kind, kind + 's')} in the image from {order} by size.", kind, ids, p.colours, named
        )
        return multi_probe(
            canvas, targets, {"objects": answer}, [sequence_field(answer, label_vocabulary(ids, p.colours), p.name_items)],
            prompt_json, prompt_free, scale,
            {"target_kind": kind, "direction": order, "sizes": [targets[i].nominal for i in ranked]}, self.profile,
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        """Ordered by measured ink side (max of ink height and width)."""
        desc = question["direction"] == ORDERS[1]
        return {"objects": [t.label for t in sorted(targets, key=lambda t: max(t.ink_h, t.ink_w), reverse=desc)]}

    @classmethod
    def question_of(cls, sample):
        return {"direction": sample.extra["direction"]}
