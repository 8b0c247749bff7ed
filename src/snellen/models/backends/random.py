"""`random`: a uniform guesser over each sample's declared answer space (the chance baseline, measured).

Each field is drawn independently and uniformly from the space its `AnswerField` declares, so the
strict accuracy this backend earns converges to `chance_of(fields)`: labels uniform over `options`,
integers uniform in [low, high], sequences a uniformly random ordered choice of `length` distinct
options (a random permutation when length == len(options)), counts uniform per key. Open-vocabulary
text without a word bank has no finite space: such samples are unsupported, never guessed.
The draw is seeded by (seed option, sample id, repeat), so reruns give identical answers.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

from snellen.models.base import FreeBackend, Request, Response, register_backend
from snellen.schema import AnswerField, Sample


def _rng(seed: Any, sample_id: str, repeat: int) -> np.random.Generator:
    digest = hashlib.sha256(json.dumps([str(seed), sample_id, int(repeat)]).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def guess_field(f: AnswerField, rng: np.random.Generator) -> Any:
    if f.kind in ("label", "text"):
        return f.options[int(rng.integers(len(f.options)))]
    if f.kind == "integer":
        return int(rng.integers(f.low, f.high + 1))
    if f.kind == "sequence":
        picks = rng.permutation(len(f.options))[: f.length]
        return [f.options[int(i)] for i in picks]
    if f.kind == "counts":
        return {k: int(rng.integers(f.low, f.high + 1)) for k in f.keys}
    raise ValueError(f"random backend cannot guess field kind {f.kind!r}")


def _finite(f: AnswerField) -> bool:
    if f.kind in ("label", "text", "sequence"):
        return bool(f.options) and (f.kind != "sequence" or (f.length or 0) <= len(f.options))
    if f.kind in ("integer", "counts"):
        return f.low is not None and f.high is not None and f.high >= f.low and (f.kind == "integer" or bool(f.keys))
    return False


@register_backend("random")
class RandomBackend(FreeBackend):
    """Spec `random` (or `random:anything`); option `seed` (default 0)."""
    role = "reference"

    reads_prompt = False

    @property
    def seed(self) -> str:
        return str(self.options.get("seed", 0))

    def identity(self) -> dict[str, Any]:
        return {"backend": "random", "model": "uniform", "seed": self.seed}

    def transmission(self) -> dict[str, Any]:
        return {"format": "none", "resize": None}  # never looks at the image

    def supports(self, sample: Sample) -> bool:
        return bool(sample.fields) and all(_finite(f) for f in sample.fields)

    def answer(self, requests: list[Request]) -> list[Response]:
        out = []
        for req in requests:
            rng = _rng(self.seed, req.sample_id, req.repeat)
            guess = {f.name: guess_field(f, rng) for f in req.sample.fields}
            out.append(Response(text=json.dumps(guess), sent_size=None))
        return out
