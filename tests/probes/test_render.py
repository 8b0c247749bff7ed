import string

import numpy as np
import pytest

from snellen.probes.render import (
    CanvasFullError, blank, composite, fit_outline, glyph_outline, ink_box, place, polygon_outline,
)
from snellen.probes.shapes import SHAPES
from snellen.probes.targets import target_mask
from snellen.probes.task import DEFAULT_SCALES, RenderProfile
from snellen.schema import SnellenError

SNELLEN = RenderProfile()
ALIASED = RenderProfile(antialias=False)


@pytest.mark.parametrize("profile", [SNELLEN, ALIASED], ids=["aa", "no-aa"])
def test_every_glyph_has_exact_ink_height(profile):
    for ch in string.ascii_uppercase + string.digits:
        for s in DEFAULT_SCALES:
            m = target_mask("letter" if ch.isalpha() else "digit", ch, s, profile)
            assert m.ink_h == s, (ch, s, m.ink_h)
            # the ink box is re-measured from the mask itself, not trusted
            x0, y0, x1, y1 = ink_box(m.alpha)
            assert y1 - y0 == s


@pytest.mark.parametrize("profile", [SNELLEN, ALIASED], ids=["aa", "no-aa"])
def test_every_shape_has_exact_bounding_side(profile):
    for name in SHAPES:
        for s in DEFAULT_SCALES:
            m = target_mask("shape", name, s, profile)
            assert max(m.ink_h, m.ink_w) == s, (name, s, m.ink_h, m.ink_w)


def test_antialias_off_gives_binary_masks():
    m = target_mask("letter", "K", 12, ALIASED)
    assert set(np.unique(m.alpha)) <= {0.0, 1.0}
    m_aa = target_mask("letter", "K", 12, SNELLEN)
    assert len(np.unique(m_aa.alpha)) > 2


def test_fit_rejects_non_positive_scale():
    with pytest.raises(SnellenError, match="positive"):
        fit_outline(glyph_outline("A"), 0)
    with pytest.raises(SnellenError, match="positive"):
        fit_outline(glyph_outline("A"), -3)


def test_composite_blends_by_coverage_and_contrast():
    canvas = blank(20, 20)
    m = target_mask("shape", "square", 6, SNELLEN)
    composite(canvas, m, 5, 5, (0, 0, 0), contrast=0.5)
    inside = canvas[5 + m.ink[1] + 2, 5 + m.ink[0] + 2]
    assert tuple(inside) == (128, 128, 128)  # half contrast of black on white, fully covered pixel
    assert tuple(canvas[0, 0]) == (255, 255, 255)


def test_place_never_overlaps_and_keeps_gap():
    rng = np.random.default_rng(1)
    masks = [target_mask("shape", "circle", 24, SNELLEN)] * 20
    pos = place(rng, masks, (448, 448), margin=10, gap=4)
    boxes = [(x, y, x + m.w, y + m.h) for (x, y), m in zip(pos, masks)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            separated = a[2] + 4 <= b[0] or b[2] + 4 <= a[0] or a[3] + 4 <= b[1] or b[3] + 4 <= a[1]
            assert separated, (a, b)


def test_place_raises_when_canvas_cannot_hold_targets():
    rng = np.random.default_rng(0)
    masks = [target_mask("shape", "square", 48, SNELLEN)] * 40
    with pytest.raises(CanvasFullError, match="cannot place 40"):
        place(rng, masks, (200, 200), margin=10, gap=4, restarts=3, attempts=50)


def test_place_respects_axis_separation():
    rng = np.random.default_rng(3)
    masks = [target_mask("dot", "dot", 8, SNELLEN)] * 10
    pos = place(rng, masks, (448, 448), axis_separation=(0, 12.0))
    centres = sorted(x + (m.ink[0] + m.ink[2]) / 2 for (x, _), m in zip(pos, masks))
    assert min(np.diff(centres)) >= 12.0


def test_empty_outline_is_an_error():
    with pytest.raises(SnellenError):
        polygon_outline([])
