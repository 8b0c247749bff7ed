"""The closed set an image-only classifier chooses from for a sample, and its answer in the sample's schema.

Image-only baselines (zero-shot CLIP, linear probes) do not read prompts: they score a finite set of
class names and answer with the best one. For a fine-grained sample (extra["finegrained"]) the set is
its options (multiple choice: answered by letter; closed world: by name); open-ended fine-grained
samples list no candidates and are unsupported unless a backend knows the dataset's classes. For a
probe family the set is its one label field's options (shape, species, letter...).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from snellen.schema import Sample

# How a classifier's pick becomes an answer; part of the baselines' identity (their store key), so answers
# stored under an earlier rule are never reused. v2: closed-world answered by name (v1 named the class at the
# pick's position in the field's dataset-order list: wrong whenever the options were shuffled).
ANSWER_RULE = "choices v2: multiple choice by letter, closed world by name"


@dataclass(frozen=True)
class Choices:
    field: str
    names: tuple[str, ...]  # what is scored (class names)
    ids: tuple[str, ...]  # class ids for fine-grained samples, else the names
    answers: tuple[str, ...]  # what the answer field holds for each choice (letter or name)

    def answer_text(self, index: int) -> str:
        return json.dumps({self.field: self.answers[index]})


def choices_of(sample: Sample) -> Choices | None:
    fg = sample.extra.get("finegrained")
    if fg is not None:
        ids, names = tuple(fg.get("option_ids") or ()), tuple(fg.get("option_names") or ())
        if not ids:
            return None  # open-ended: no candidates listed
        f = sample.fields[0]
        # multiple choice is answered by letter; closed-world by name (its field lists the classes in the
        # dataset's order, its options are shuffled: same names, another order, so compare as sets)
        if f.kind == "label" and f.options and not set(names) <= set(f.options):  # lettered options
            return Choices(f.name, names, ids, tuple(f.options[: len(names)]))
        return Choices(f.name, names, ids, names)
    if len(sample.fields) == 1 and sample.fields[0].kind == "label" and sample.fields[0].options:
        opts = tuple(sample.fields[0].options)
        return Choices(sample.fields[0].name, opts, opts, opts)
    return None
