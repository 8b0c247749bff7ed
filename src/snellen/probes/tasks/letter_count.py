"""Letter count: n distinct words (1-8); how many words are there, and how many contain letter X?

X is drawn per probe from `letters` (default A, E, I, R, T, N: FineSightBench's AEIORSTN without the
round O and S, which no bank word contains) and told in the prompt. Words, placement (non-overlapping,
`gap` px apart), backgrounds and the contrast floor are as in text_order.py, without an order constraint.
Answer {"total": n, "with_letter": m}; fields: total an integer in [min(`counts`), max(`counts`)],
with_letter an integer in [0, max(`counts`)], so chance = 1 / ((max - min + 1) x (max + 1)) (1/35 for
counts 2-8). Modelled on FineSightBench's text_counting_chain; the finesight profile is refused.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, field_validator

from snellen.probes.task import CountedParams, Probe, register_task
from snellen.probes.tasks.text_order import MultiWordTask, word_counts_check
from snellen.probes.tasks.word import TextParams
from snellen.probes.words import FLAT_LETTERS, draw_words, text_background, word_probe_geometry
from snellen.schema import AnswerField


@register_task("letter_count")
class LetterCountTask(MultiWordTask):
    class Params(TextParams, CountedParams):
        counts: tuple[int, ...] = (2, 4, 6, 8)
        background: str = Field("plain", pattern="^(photo|plain)$")
        max_letters: int = Field(5, ge=3)
        letters: tuple[str, ...] = ("A", "E", "I", "R", "T", "N")

        @field_validator("counts")
        @classmethod
        def _counts(cls, v):
            return word_counts_check(v)

        @field_validator("letters")
        @classmethod
        def _letters(cls, v):
            bad = [c for c in v if c not in FLAT_LETTERS]
            if bad or not v:
                raise ValueError(f"letters must be from the bank's alphabet {''.join(sorted(FLAT_LETTERS))}, got {list(v)}")
            return v

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        p = self.params
        scale, n, contrast = int(cell["scale"]), int(cell["count"]), float(cell.get("contrast", 1.0))
        letter = p.letters[int(rng.integers(len(p.letters)))]
        words = self.pick_words(rng, n)
        canvas, background, photo_name = text_background(rng, p.background, p.photos, self.profile)
        targets = draw_words(rng, canvas, words, scale, self.profile, p.colours, p.contrast_floor, contrast, self.family)
        for t in targets:
            t.attributes["has_letter"] = letter in t.identity
        measured, ink_h, ink_w = word_probe_geometry(targets)
        question = f"How many words are written in the image, and how many of them contain the letter {letter}?"
        lo, hi = min(p.counts), max(p.counts)
        return Probe(
            image=canvas, targets=targets, answer=self.answer_from_targets(targets, {"letter": letter}),
            fields=[AnswerField("total", "integer", low=lo, high=hi), AnswerField("with_letter", "integer", low=0, high=hi)],
            prompt_json=f'{question} Answer in JSON format only: {{"total": <N>, "with_letter": <N>}}',
            prompt_free=f"{question} Answer in the format: 'total: <N>, with letter: <N>'.",
            scale=scale, measured_scale=measured, ink_h=ink_h, ink_w=ink_w, background=background, font=self.profile.font,
            extra={"letter": letter, "photo": photo_name, "contrast_floor": p.contrast_floor,
                   "min_contrast_wcag": min(t.attributes["contrast_wcag"]["wcag"] for t in targets)},
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        return {"total": len(targets), "with_letter": sum(question["letter"] in t.identity for t in targets)}

    @classmethod
    def question_of(cls, sample):
        return {"letter": sample.extra["letter"]}
