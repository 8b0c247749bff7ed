"""A test backend whose accuracy is planned: `t-ablate:P` answers a fine-grained sample right when a hash of
its image index falls below P (so accuracy is about P over many images), else with another option."""

from __future__ import annotations

import hashlib
import json

from snellen.models.base import Backend, Response, register_backend


@register_backend("t-ablate")
class PlannedAccuracy(Backend):
    def identity(self):
        return {"backend": "t-ablate", "p": self.target}

    def transmission(self):
        return {"format": "none", "resize": None}

    def answer(self, requests):
        p = float(self.target)
        out = []
        for r in requests:
            u = int(hashlib.sha256(f"{r.sample.cell.get('image')}".encode()).hexdigest(), 16) % 1000 / 1000
            answer = dict(r.sample.answer)
            if u >= p:
                field = r.sample.fields[0]
                answer[field.name] = next(o for o in field.options if o != answer[field.name])
            out.append(Response(text=json.dumps(answer)))
        return out
