"""The target kinds snellen draws: glyphs, shapes, blocks, dots (silhouettes register in silhouettes.py)."""

from __future__ import annotations

import string

from snellen.probes.shapes import SHAPES, shape_mask
from snellen.probes.targets import register_target_kind
from snellen.probes.tasks.glyph import glyph_mask

register_target_kind("letter", tuple(string.ascii_uppercase), lambda ident, s, p: glyph_mask(ident, s, p))
register_target_kind("digit", tuple(string.digits), lambda ident, s, p: glyph_mask(ident, s, p))
register_target_kind("shape", SHAPES, lambda ident, s, p: shape_mask(ident, s, p))
register_target_kind("block", ("block",), lambda ident, s, p: shape_mask("block", s, p))
register_target_kind("dot", ("dot",), lambda ident, s, p: shape_mask("dot", s, p))

try:  # silhouettes live in their own module
    import snellen.probes.silhouettes  # noqa: F401
except ModuleNotFoundError as exc:  # pragma: no cover - only while the module is being written
    if exc.name != "snellen.probes.silhouettes":
        raise
