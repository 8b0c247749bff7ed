"""`oracle`: answers every sample with its true answer as JSON. A pipeline check, not a model:
any accuracy below 100% on an oracle run is a bug in extraction, scoring or the store."""

from __future__ import annotations

import json
from typing import Any

from snellen.models.base import FreeBackend, Request, Response, register_backend


@register_backend("oracle")
class OracleBackend(FreeBackend):
    role = "reference"
    reads_prompt = False

    def identity(self) -> dict[str, Any]:
        return {"backend": "oracle", "model": "truth"}

    def transmission(self) -> dict[str, Any]:
        return {"format": "none", "resize": None}

    def answer(self, requests: list[Request]) -> list[Response]:
        return [Response(text=json.dumps(r.sample.answer)) for r in requests]
