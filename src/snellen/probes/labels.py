"""'<colour> <identity>' labels of the multi-target families (ordering, comparison, relation, quadrant):
label vocabularies and how to draw from them, the parameters that choose them and their capacity checks,
and the answer field and prompts for an ordered list of labels."""

from __future__ import annotations

import numpy as np
from pydantic import field_validator

from snellen.probes.checks import check_choices, check_colours
from snellen.probes.render import COLOURS
from snellen.probes.silhouettes import OBJECTS
from snellen.probes.targets import identities
from snellen.probes.task import CountedParams
from snellen.schema import AnswerField, SnellenError

PLURALS = {"letter": "letters", "digit": "digits", "shape": "shapes", "dot": "dots", "object": "animals", "block": "blocks"}
SEQUENCE_SCHEMA = '{"objects": ["<color> <identity>", ...]}'


def identity_hint(kind: str, ids: tuple[str, ...]) -> str:
    if len(ids) == 1:
        return f"Identities are simply '{ids[0]}'."
    what = {"letter": "uppercase letters", "digit": "digits", "shape": "shapes", "object": "animals"}.get(kind, kind + "s")
    return f"Identities are {what} from: {', '.join(ids)}."


def label_vocabulary(ids: tuple[str, ...], colours: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{c} {i}" for c in colours for i in ids)


def pick_labels(rng: np.random.Generator, ids: tuple[str, ...], colours: tuple[str, ...], n: int, distinct_colours: bool = False) -> list[tuple[str, str]]:
    """n distinct (colour, identity) pairs, uniformly; with distinct_colours no colour repeats."""
    if distinct_colours:
        cols = [colours[i] for i in rng.choice(len(colours), n, replace=False)]
        return [(c, ids[int(rng.integers(len(ids)))]) for c in cols]
    flat = rng.choice(len(colours) * len(ids), n, replace=False)
    return [(colours[int(k) // len(ids)], ids[int(k) % len(ids)]) for k in flat]


class LabelParams(CountedParams):
    """Targets named '<colour> <identity>': which kinds, colours and (for kind "object") which objects."""

    kinds: tuple[str, ...] = ("letter", "shape", "dot")
    colours: tuple[str, ...] = tuple(COLOURS)
    objects: tuple[str, ...] = OBJECTS

    @field_validator("colours")
    @classmethod
    def _colours(cls, v):
        return check_colours(v)

    @field_validator("objects")
    @classmethod
    def _objects(cls, v):
        return check_choices(v, OBJECTS, "objects")

    def ids(self, kind: str) -> tuple[str, ...]:
        return self.objects if kind == "object" else identities(kind)


def check_kinds(family: str, kinds: tuple[str, ...]) -> None:
    for k in kinds:
        try:
            identities(k)
        except KeyError:
            raise SnellenError(f"{family}: unknown target kind {k!r} in 'kinds'; known: {', '.join(PLURALS)}") from None


def check_label_capacity(family: str, params: LabelParams, distinct_colours: bool = False) -> None:
    """Every count must have enough distinct labels (or colours) for every kind it may be drawn with."""
    counts, colours = params.counts, params.colours
    for k in params.kinds:
        cap = len(colours) if distinct_colours else len(colours) * len(params.ids(k))
        too_many = [c for c in counts if c > cap]
        if too_many:
            need = "distinct colours" if distinct_colours else "distinct '<colour> <identity>' labels"
            raise SnellenError(
                f"{family}: 'counts' {too_many} need that many {need} but kind {k!r} with {len(colours)} "
                f"'colours' has only {cap}; lower 'counts' or add 'colours'"
            )


def sequence_field(labels: list[str], vocabulary: tuple[str, ...], name_items: bool) -> AnswerField:
    options = tuple(sorted(labels)) if name_items else vocabulary
    return AnswerField("objects", "sequence", options=options, length=len(labels))


def sequence_prompts(instruction: str, kind: str, ids: tuple[str, ...], colours: tuple[str, ...], named: list[str] | None) -> tuple[str, str]:
    """FineSightBench's chain wording: JSON variant and free-text variant."""
    tail = f"Colors are from: {', '.join(colours)}. {identity_hint(kind, ids)}"
    if named:
        tail += f" The {PLURALS.get(kind, kind + 's')} are: {', '.join(named)}."
    prompt_json = (
        f"{instruction} Describe each by its color and identity as '<color> <identity>'. "
        f"Answer in JSON format only: {SEQUENCE_SCHEMA}. {tail}"
    )
    prompt_free = f"{instruction} Describe each as '<color> <identity>', separated by commas. {tail}"
    return prompt_json, prompt_free
