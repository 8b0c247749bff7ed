"""Word reading on natural photos: one uppercase word whose cap height is exactly the scale.

Words come from words.WORD_BANK (common nouns spelled only with letters whose ink spans exactly cap line
to baseline, so fitting the ink height to the scale makes the cap height the scale). The background is
one of scikit-image's bundled photos (`photos`; centre square crop resized to the canvas) or the plain
profile colour (`background: plain`). The text colour is drawn from `colours` among those whose WCAG
contrast ratio with the mean luminance of the photo pixels under the word's ink is at least
`contrast_floor` (default 4.5, WCAG AA for normal text; with black and white among the colours any
photo admits up to 4.58); positions are redrawn until one qualifies, and a SnellenError names the
parameter when none does. The 10th percentile of the per-pixel ratios is recorded too (textured
photos: part of the word may sit on lower contrast). The contrast (mean, p10, luminance difference, mean background colour) is stored in the
target's `attributes["contrast_wcag"]` and in `extra`.

Answer {"word": "HOUSE"}; field kind "text" with the eligible word bank as options, so chance =
1/|bank| (95 words at the default 3-6 letters; the prompt does not list them: reading is open).
FineSightBench's text-in-the-wild recognition is the model: its size is the cap height too. Deviations:
its photos (SynthText, downloaded) are replaced by bundled ones, its word bank (with round letters and
descenders) by ours, its random colour + stroke by a contrast-floored colour without stroke; the
finesight profile is refused (no offline recipe).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, field_validator

from snellen.probes import prompts
from snellen.probes.backgrounds import PHOTOS
from snellen.probes.checks import check_choices
from snellen.probes.task import Probe, Task, TaskParams, register_task
from snellen.probes.words import (
    TEXT_COLOURS, bank, check_colours, draw_words, no_finesight, text_background, word_probe_geometry,
)
from snellen.schema import AnswerField


class TextParams(TaskParams):
    """Parameters shared by the text families."""

    background: Literal["photo", "plain"] = "photo"
    photos: tuple[str, ...] = PHOTOS
    colours: tuple[str, ...] = tuple(TEXT_COLOURS)
    contrast_floor: float = Field(4.5, ge=1.0, le=21.0, description="min WCAG ratio vs the mean background under the ink")
    min_letters: int = Field(3, ge=3)
    max_letters: int = Field(6, ge=3)

    @field_validator("photos")
    @classmethod
    def _photos(cls, v):
        return check_choices(v, PHOTOS, "photos")

    @field_validator("colours")
    @classmethod
    def _colours(cls, v):
        return check_colours(v)


@register_task("word")
class WordTask(Task):
    kind = "perception"
    Params = TextParams

    def __init__(self, params, profile):
        super().__init__(params, profile)
        no_finesight(self.family, profile)
        self.bank = bank(params.min_letters, params.max_letters)

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        scale, contrast = int(cell["scale"]), float(cell.get("contrast", 1.0))
        word = self.bank[int(rng.integers(len(self.bank)))]
        canvas, background, photo_name = text_background(rng, p.background, p.photos, self.profile)
        (target,) = draw_words(rng, canvas, [word], scale, self.profile, p.colours, p.contrast_floor, contrast, self.family)
        measured, ink_h, ink_w = word_probe_geometry([target])
        question = "What word is written in the image?"
        return Probe(
            image=canvas, targets=[target], answer=self.answer_from_targets([target], {}), fields=[AnswerField("word", "text", options=self.bank)],
            prompt_json=prompts.json_prompt(question, {"word": "<WORD>"}, "where <WORD> is the word in uppercase letters."),
            prompt_free=prompts.free_prompt(question, "Answer with the word only, in uppercase letters."),
            scale=scale, measured_scale=measured, ink_h=ink_h, ink_w=ink_w, background=background, font=self.profile.font,
            extra={"photo": photo_name, "text_colour": target.colour, "contrast_floor": p.contrast_floor,
                   "contrast_wcag": target.attributes["contrast_wcag"]},
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        return {"word": targets[0].identity}
