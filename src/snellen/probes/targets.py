"""One entry point for "draw a target of this kind and identity at this scale", used by every family.

Kinds map to mask factories; a new kind of target registers its factory here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from snellen.probes.render import Mask
from snellen.schema import SnellenError

_FACTORIES: dict[str, Callable[[str, int, object], Mask]] = {}
_IDENTITIES: dict[str, tuple[str, ...]] = {}


def register_target_kind(kind: str, identities: tuple[str, ...], factory: Callable[[str, int, object], Mask]) -> None:
    _FACTORIES[kind] = factory
    _IDENTITIES[kind] = identities


def _ensure_loaded() -> None:
    # Import the built-in kinds even if another module (e.g. silhouettes) registered one first.
    import snellen.probes.target_kinds  # noqa: F401


def target_mask(kind: str, identity: str, scale: int, profile) -> Mask:
    _ensure_loaded()
    if kind not in _FACTORIES:
        raise SnellenError(f"unknown target kind {kind!r}; known: {', '.join(sorted(_FACTORIES))}")
    if identity not in _IDENTITIES[kind]:
        raise SnellenError(f"unknown {kind} {identity!r}")
    return _FACTORIES[kind](identity, scale, profile)


@lru_cache(maxsize=8192)
def cached_mask(kind: str, identity: str, scale: int, profile) -> Mask:
    """target_mask, memoised for every profile (finesight glyphs are re-rendered per call otherwise).
    Masks are only ever read (composited), never modified."""
    return target_mask(kind, identity, scale, profile)


def identities(kind: str) -> tuple[str, ...]:
    _ensure_loaded()
    return _IDENTITIES[kind]
