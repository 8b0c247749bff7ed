"""Letter and digit recognition: one glyph whose ink height is exactly the scale."""

from __future__ import annotations

import string
from functools import lru_cache

import numpy as np

from snellen.probes import prompts
from snellen.probes.render import DARK_COLOURS, fit_outline_cached, glyph_outline, nearest_box_mask, register_outline
from snellen.probes.single import draw_single
from snellen.probes.task import Probe, Task, TaskParams, register_task
from snellen.schema import AnswerField


def glyph_mask(char: str, scale: int, profile, font: str | None = None):
    """Snellen: ink height == scale, aspect kept. FineSight: squashed to scale x scale with NEAREST."""
    font = font or profile.font
    if profile.name == "finesight":
        return _finesight_glyph(char, scale, font)
    key = register_outline(f"glyph:{font}:{char}", lambda: glyph_outline(char, font))
    return fit_outline_cached(key, scale, "height", profile.antialias)


@lru_cache(maxsize=4096)
def _finesight_glyph(char: str, scale: int, font: str):
    """FineSightBench's recipe: the glyph at max(4*size, 64) px tall, squashed to size x size (NEAREST).

    Deviation: the glyph comes from our high-resolution outline LANCZOS-resampled to that height, not from
    FreeType rasterising the font at that size. Cached: the mask depends only on (char, scale, font)."""
    from PIL import Image

    from snellen.probes.render import HIRES

    hi = glyph_outline(char, font)
    h = max(4 * scale, 64)
    img = Image.fromarray((hi * 255).astype(np.uint8)).resize((max(1, round(hi.shape[1] * h / HIRES)), h), Image.Resampling.LANCZOS)
    return nearest_box_mask(np.asarray(img, dtype=np.float32) / 255.0, scale, scale)


class GlyphTask(Task):
    kind = "perception"
    alphabet: tuple[str, ...] = ()
    noun = ""

    class Params(TaskParams):
        colours: tuple[str, ...] = DARK_COLOURS

    def draw(self, rng: np.random.Generator, cell: dict) -> Probe:
        scale = int(cell["scale"])
        char = self.alphabet[int(rng.integers(len(self.alphabet)))]
        colour = self.params.colours[int(rng.integers(len(self.params.colours)))]
        canvas, target = draw_single(self.profile, rng, cell, self.noun, char, colour)  # mask: glyph_mask via targets
        field = AnswerField(self.noun, "label", options=self.alphabet)
        question = f"What {self.noun} is displayed in the image?"
        return Probe(
            image=canvas, targets=[target], answer=self.answer_from_targets([target], {}), fields=[field],
            prompt_json=prompts.json_prompt(
                question, {self.noun: "<X>"}, f"where <X> is one {self.descr} from: {prompts.listing(self.alphabet)}."
            ),
            prompt_free=prompts.free_prompt(question, f"Answer with a single {self.descr} from: {prompts.listing(self.alphabet)}."),
            scale=scale, measured_scale=float(target.ink_h), ink_h=target.ink_h, ink_w=target.ink_w,
            background="white", font=self.profile.font,
        )

    @classmethod
    def answer_from_targets(cls, targets, question):
        return {cls.noun: targets[0].identity}


@register_task("letter")
class LetterTask(GlyphTask):
    alphabet = tuple(string.ascii_uppercase)
    noun = "letter"
    descr = "uppercase letter"


@register_task("digit")
class DigitTask(GlyphTask):
    alphabet = tuple(string.digits)
    noun = "digit"
    descr = "digit"
