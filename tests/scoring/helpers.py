"""Hand-built samples and store records for scoring tests."""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from snellen.schema import AnswerField, Sample, chance_of

SHAPES = ("circle", "triangle", "square", "star", "diamond", "pentagon", "hexagon", "cross")
COLOURS = ("red", "green", "blue", "yellow", "orange", "purple", "gray", "black")
ITEMS = tuple(f"{c} {s}" for c in COLOURS for s in SHAPES)

LETTER = [AnswerField("letter", "label", options=tuple(string.ascii_uppercase))]
DIGIT = [AnswerField("digit", "label", options=tuple(string.digits))]
SHAPE = [AnswerField("shape", "label", options=SHAPES)]
PRESENT = [AnswerField("present", "label", options=("yes", "no"))]
RELATION = [AnswerField("answer", "label", options=("yes", "no"))]
WORD = [AnswerField("word", "text", options=("CAT", "SUN", "HOUSE"))]
LETTER_COUNT = [AnswerField("total", "integer", low=0, high=30), AnswerField("with_letter", "integer", low=0, high=30)]


def seq(n: int, name: str = "objects", options=ITEMS) -> list[AnswerField]:
    return [AnswerField(name, "sequence", options=options, length=n)]


def counts(keys) -> list[AnswerField]:
    return [AnswerField("counts", "counts", keys=tuple(keys), low=0, high=20), AnswerField("total", "integer", low=0, high=40)]


def sample(fields, answer, *, family="letter", task=None, kind="perception", scale=12, measured=12.0, count=1,
           sid="s0", profile="snellen") -> Sample:
    return Sample(
        id=sid, suite="hand", suite_version="1", suite_hash="h0", task=task or family, family=family, kind=kind,
        split="exam", seed=0, index=0, cell={"scale": scale}, prompts={"json": "", "free": ""}, answer=answer,
        fields=list(fields), chance=chance_of(list(fields)), scale=scale, measured_scale=measured, ink_h=scale,
        ink_w=scale, count=count, targets=[], canvas=(448, 448), profile=profile,
    )


@dataclass
class Stored:
    """Duck-typed snellen.store.StoredResponse."""

    sample_id: str
    repeat: int = 0
    status: str = "ok"
    text: str | None = None
    error_kind: str | None = None
    error_message: str | None = None
    latency_s: float = 0.1
    input_tokens: int | None = None
    output_tokens: int | None = None
    sent_size: tuple[int, int] | None = None
    encoder_size: tuple[int, int] | None = None
    attempts: int = 1
    raw: dict = field(default_factory=dict)
