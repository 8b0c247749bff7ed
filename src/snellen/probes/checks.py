"""Validators shared by the families' parameter models: names picked from a known set.

They raise ValueError, which pydantic reports as the culprit field of the suite entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from snellen.probes.render import COLOURS


def check_choices(v: tuple[str, ...], known: tuple[str, ...], what: str, at_least: int = 1,
                  unknown_what: str | None = None) -> tuple[str, ...]:
    """At least `at_least` distinct names, each one of `known`."""
    unknown = [x for x in v if x not in known]
    if unknown:
        raise ValueError(f"unknown {unknown_what or what} {unknown}; known: {', '.join(known)}")
    if len(set(v)) != len(v) or len(v) < at_least:
        raise ValueError(f"need at least {at_least} distinct {what}, got {list(v)}")
    return v


def check_colours(v: tuple[str, ...], at_least: int = 1) -> tuple[str, ...]:
    """Distinct names from render.COLOURS."""
    return check_choices(v, tuple(COLOURS), "colours", at_least, unknown_what="colour(s)")


def check_from(v: tuple[str, ...], known: Iterable[str], what: str) -> tuple[str, ...]:
    """A non-empty selection from `known` (repeats allowed)."""
    if not v or any(x not in known for x in v):
        raise ValueError(f"{what} must be from {list(known)}, got {list(v)}")
    return v
