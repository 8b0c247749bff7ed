"""Pose a fine-grained dataset's images as Samples under a protocol (scoring/finegrained.py has the
prompts and the matching). Option sets and their order are seeded per image (by seed and the image's key),
so the same image gets the same question whatever subset is asked.

Each Sample: profile `finegrained`, family `finegrained`, task `<dataset>:<protocol>`; `scale` is the
image's shorter side in px; `cell` holds dataset, split, protocol, candidates (options offered: k, or
every class), image key and rotation (circular); `extra["finegrained"]` the class id and name, the
options (ids and names), accepted open-ended names, and the distractor source.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import numpy as np

from snellen.schema import Sample, SnellenError, sample_id
from snellen.scoring.finegrained import FIELD, LETTERS, Protocol, answer_field, prompts

VERSION = "fg1"


def _rng(seed: int, key: str, what: str) -> np.random.Generator:
    d = hashlib.sha256(json.dumps([int(seed), key, what]).encode()).digest()
    return np.random.default_rng(int.from_bytes(d[:8], "big"))


def select(dataset, split: str, per_class: int | None = None, limit: int | None = None, seed: int = 0) -> list:
    """Items of `split`: at most `per_class` per class (a seeded pick), then at most `limit`, in split order."""
    items = dataset.items(split)
    if per_class is not None:
        ranked = sorted(range(len(items)), key=lambda i: hashlib.sha256(f"{seed}\0{items[i].key}".encode()).digest())
        taken: dict[str, int] = {}
        keep = set()
        for i in ranked:
            c = items[i].class_id
            if taken.get(c, 0) < per_class:
                taken[c] = taken.get(c, 0) + 1
                keep.add(i)
        items = [it for i, it in enumerate(items) if i in keep]
    if limit is not None:
        items = items[:limit]
    return items


def pose(dataset, split: str | None = None, protocol: str = "mc5", seed: int = 0, per_class: int | None = None,
         limit: int | None = None, neighbours=None) -> Iterator[Sample]:
    """Samples of `split` (default: the dataset's test split) under `protocol` (e.g. open, closed, mc5-hard,
    mc5-random-circular). `neighbours` (a Neighbours) shapes hard distractors; when absent, hard mining uses
    class-mean pixels of the training split (neighbours.pixel_means)."""
    p = Protocol.parse(protocol)
    split = split or dataset.test_split
    ids = list(dataset.classes)
    if p.mode == "mc" and p.k > len(ids):
        raise SnellenError(f"protocol {p.name}: {dataset.name} has only {len(ids)} classes")
    source = None
    if p.mode == "mc" and p.distractors == "hard":
        if neighbours is None:
            from snellen.data.finegrained.neighbours import pixel_means

            neighbours = pixel_means(dataset)
        source = neighbours.source
    items = select(dataset, split, per_class, limit, seed)
    fingerprint = dataset.fingerprint()
    task = f"{dataset.name}:{p.name}"
    task_hash = hashlib.sha256(json.dumps([fingerprint, p.name, source, seed]).encode()).hexdigest()[:16]
    for index, it in enumerate(items):
        rng = _rng(seed, it.key, p.name)
        if p.mode == "mc":
            if p.distractors == "hard":
                others = neighbours.nearest(it.class_id, p.k - 1)
            else:
                pool = [c for c in ids if c != it.class_id]
                others = [pool[i] for i in rng.choice(len(pool), p.k - 1, replace=False)]
            options = [it.class_id, *others]
            options = [options[i] for i in rng.permutation(len(options))]
        elif p.mode == "closed":
            options = [ids[i] for i in rng.permutation(len(ids))]
        else:
            options = []
        rotations = range(len(options)) if p.circular else range(1)
        pixels = it.pixels()
        h, w = pixels.shape[:2]
        for r in rotations:
            opts = options[r:] + options[:r]
            names = dataset.names_of(opts)
            if p.mode == "mc":
                answer = LETTERS[opts.index(it.class_id)]
            else:
                answer = dataset.classes[it.class_id]
            # closed-world: the field lists the classes in the dataset's order (the prompt shuffles them), so
            # every question of a dataset shares one field and its compiled reader
            field = answer_field(p, dataset.names_of(ids) if p.mode == "closed" else names)
            candidates = len(opts) if opts else len(ids)
            cell = {"dataset": dataset.name, "split": split, "protocol": p.name, "candidates": candidates,
                    "image": it.key, "rotation": r}
            yield Sample(
                id=sample_id(VERSION, task_hash, task, cell, seed, index), suite=dataset.name, suite_version=VERSION,
                suite_hash=fingerprint, task=task, family="finegrained", kind="perception", split="exam", seed=seed,
                index=index, cell=cell, prompts=prompts(p, dataset.domain, names), answer={FIELD: answer},
                fields=[field], chance=(1.0 / candidates) if p.mode != "open" else 0.0, scale=int(min(h, w)),
                measured_scale=float(min(h, w)), ink_h=int(h), ink_w=int(w), count=1, targets=[], canvas=(int(w), int(h)),
                profile="finegrained",
                extra={"finegrained": {
                    "dataset": dataset.name, "layout": dataset.layout, "split": split, "protocol": p.name,
                    "class_id": it.class_id, "class_name": dataset.classes[it.class_id], "option_ids": opts,
                    "option_names": names, "accepted": list(dataset.all_names(it.class_id)),
                    "option_synonyms": {str(j): list(dataset.synonyms[c]) for j, c in enumerate(opts) if dataset.synonyms.get(c)},
                    "distractor_source": source, "image": it.key, "where": it.where,
                }},
                image=pixels,
            )
