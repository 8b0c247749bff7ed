"""`sim:THRESHOLD`: a simulated observer with a KNOWN psychometric function, for validating the analysis and the
adaptive search end to end (through the runner, store and scorer), not a model.

At nominal scale s it answers right with probability chance + (1 - chance - lapse) * logistic((ln s - ln T) / width)
(the analysis's own model, psychometric.predict), otherwise a uniform guess that is wrong. Options: width (log
px, default 0.25), lapse (default 0.03), seed. Draws are seeded by (seed, sample id, repeat): reruns are
identical. Families whose answer space is not finite (open text without a word bank) are unsupported.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from snellen.analysis.psychometric import predict
from snellen.models.backends.random import _finite, _rng, guess_field
from snellen.models.base import FreeBackend, Request, Response, register_backend
from snellen.schema import Sample, SnellenError


@register_backend("sim")
class SimulatedObserver(FreeBackend):
    role = "reference"
    reads_prompt = False

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(target, options)
        try:
            self.threshold = float(target)
            self.width = float(self.options.get("width", 0.25))
            self.lapse = float(self.options.get("lapse", 0.03))
        except ValueError:
            raise SnellenError(f"sim:{target}: the threshold (px) and options width/lapse must be numbers") from None
        if self.threshold <= 0 or self.width <= 0 or not 0 <= self.lapse < 1:
            raise SnellenError(f"sim:{target}: need threshold > 0, width > 0 and 0 <= lapse < 1")

    def identity(self) -> dict[str, Any]:
        return {"backend": "sim", "model": "logistic", "threshold": self.threshold, "width": self.width,
                "lapse": self.lapse, "seed": str(self.options.get("seed", 0))}

    def transmission(self) -> dict[str, Any]:
        return {"format": "none", "resize": None}

    def supports(self, sample: Sample) -> bool:
        return bool(sample.fields) and all(_finite(f) for f in sample.fields)

    def p_correct(self, sample: Sample) -> float:
        return float(predict(np.log(sample.scale), sample.chance, np.log(self.threshold), self.width, self.lapse))

    def answer(self, requests: list[Request]) -> list[Response]:
        out = []
        for req in requests:
            s = req.sample
            rng = _rng(self.options.get("seed", 0), s.id, req.repeat)
            if rng.random() < self.p_correct(s):
                answer = s.answer
            else:
                for _ in range(100):
                    answer = {f.name: guess_field(f, rng) for f in s.fields}
                    if answer != s.answer:
                        break
            size = (int(s.canvas[0]), int(s.canvas[1]))
            out.append(Response(text=json.dumps(answer), sent_size=size, encoder_size=size))
        return out
