"""`human:NAME`: a person answering in the browser (`snellen human`), as a model identity.

People are not called by the runner: their answers are collected by snellen.human and written to the
store under this identity, so scoring, thresholds, taxonomy, leaderboard and report treat them like any
model. `snellen eval --model human:NAME` is refused with a pointer to `snellen human`.
"""

from __future__ import annotations

import re
from typing import Any

from snellen.models.base import Backend, Request, Response, register_backend
from snellen.schema import SnellenError

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# How probes reach a person: the PNG shown with one device pixel per image pixel (never resampled).
TRANSMISSION = {"format": "png", "resize": None, "display": "1 image px = 1 device px"}


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name or ""):
        raise SnellenError(f"observer name {name!r}: use 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit)")
    return name


@register_backend("human")
class HumanObserver(Backend):
    """The identity of one person; answers come from the browser app, never from `answer`."""
    role = "reference"

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(check_name(target or "anonymous"), options)

    def identity(self) -> dict[str, Any]:
        return {"backend": "human", "observer": self.target}

    def transmission(self) -> dict[str, Any]:
        return dict(TRANSMISSION)

    def preflight(self) -> None:
        raise SnellenError(f"{self.spec} is a person: collect their answers with "
                           f"`snellen human --suite SUITE --out RUN --name {self.target}`, not `snellen eval`")

    def answer(self, requests: list[Request]) -> list[Response]:
        raise SnellenError("human observers answer in the browser (`snellen human`)")
