"""Text order: n distinct words (2-8); list them in reading order, left to right or top to bottom.

Words (words.WORD_BANK, `min_letters`-`max_letters` letters, default 3-5 so several fit at large
scales) have cap height == ink height == scale. Placement (words.place_ordered) makes the order the same
by every key along the asked axis: the ink boxes' starts, centres and ends all sort the words alike and
each pair differs by at least max(`min_separation_px`, `separation` x scale) px by each key, so the
answer is unambiguous from the pixels whichever edge a reader goes by. Background `plain` (default) or
`photo`; colours keep a WCAG contrast >= `contrast_floor` against the background under each word (see
word.py), recorded per target.

Answer {"words": [...]} in order; field kind "sequence" with the eligible bank as options and length n,
so chance = (B - n)! / B! with B the bank size (B = 88 words of 3-5 letters: n=2 -> 1/7656).
Modelled on FineSightBench's text_reading_chain (n overlaid words listed L->R or T->B; its images need
downloaded photos). The finesight profile is refused (no offline recipe).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, field_validator

from snellen.probes.checks import check_from
from snellen.probes.task import CountedParams, CountedTask, Probe, register_task
from snellen.probes.tasks.word import TextParams
from snellen.probes.words import bank, draw_words, no_finesight, text_background, word_probe_geometry
from snellen.schema import AnswerField, SnellenError

DIRECTIONS = {"left to right": 0, "top to bottom": 1}


def word_counts_check(v: tuple[int, ...]) -> tuple[int, ...]:
    bad = [c for c in v if c < 1]
    if bad:
        raise ValueError(f"counts must be >= 1 words, got {list(v)}")
    return v


class MultiWordTask(CountedTask):
    """Shared set-up of the families that draw several distinct words."""

    def __init__(self, params, profile):
        super().__init__(params, profile)
        no_finesight(self.family, profile)
        self.bank = bank(params.min_letters, params.max_letters)
        too_many = [n for n in params.counts if n > len(self.bank)]
        if too_many:
            raise SnellenError(f"{self.family}: 'counts' {too_many} exceed the {len(self.bank)} distinct bank words of "
                               f"{params.min_letters}-{params.max_letters} letters")

    def pick_words(self, rng: np.random.Generator, n: int) -> list[str]:
        return [self.bank[int(i)] for i in rng.choice(len(self.bank), n, replace=False)]


@register_task("text_order")
class TextOrderTask(MultiWordTask):
    class Params(TextParams, CountedParams):
        counts: tuple[int, ...] = (2, 4, 6, 8)
        background: str = Field("plain", pattern="^(photo|plain)$")
        max_letters: int = Field(5, ge=3)
        directions: tuple[str, ...] = tuple(DIRECTIONS)
        separation: float = Field(0.5, ge=0.0, description="min distance along the axis by every key, x scale")
        min_separation_px: float = Field(4.0, ge=1.0)

        @field_validator("counts")
        @classmethod
        def _counts(cls, v):
            v = word_counts_check(v)
            if any(c < 2 for c in v):
                raise ValueError(f"ordering needs at least 2 words, got counts {list(v)}")
            return v

        @field_validator("directions")
        @classmethod
        def _directions(cls, v):
            return check_from(v, DIRECTIONS, "directions")

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        scale, n, contrast = int(cell["scale"]), int(cell["count"]), float(cell.get("contrast", 1.0))
        direction = p.directions[int(rng.integers(len(p.directions)))]
        axis = DIRECTIONS[direction]
        sep = max(p.min_separation_px, p.separation * scale)
        words = self.pick_words(rng, n)
        canvas, background, photo_name = text_background(rng, p.background, p.photos, self.profile)
        targets = draw_words(rng, canvas, words, scale, self.profile, p.colours, p.contrast_floor, contrast,
                             self.family, order_axis=axis, sep=sep)
        order = sorted(range(n), key=lambda i: targets[i].center[axis])
        for rank, i in enumerate(order):
            targets[i].attributes["rank"] = rank
        answer = self.answer_from_targets(targets, {"direction": direction})["words"]
        measured, ink_h, ink_w = word_probe_geometry(targets)
        question = f"List all words in the image from {direction}."
        return Probe(
            image=canvas, targets=targets, answer={"words": answer},
            fields=[AnswerField("words", "sequence", options=self.bank, length=n)],
            prompt_json=f'{question} Answer in JSON format only: {{"words": ["<WORD>", ...]}} with each word in uppercase letters, in that order.',
            prompt_free=f"{question} Answer with the words in uppercase letters, in that order, separated by commas.",
            scale=scale, measured_scale=measured, ink_h=ink_h, ink_w=ink_w, background=background, font=self.profile.font,
            extra={"direction": direction, "separation_px": sep, "photo": photo_name, "contrast_floor": p.contrast_floor,
                   "min_contrast_wcag": min(t.attributes["contrast_wcag"]["wcag"] for t in targets)},
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        axis = DIRECTIONS[question["direction"]]
        return {"words": [t.identity for t in sorted(targets, key=lambda t: t.center[axis])]}

    @classmethod
    def question_of(cls, sample):
        return {"direction": sample.extra["direction"]}
