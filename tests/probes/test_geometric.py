"""The geometric size drawn (the outline's extent after the fit) is recorded, minimal, monotone and checked."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from snellen.probes import render as R
from snellen.probes.shapes import shape_outline
from snellen.probes.silhouettes import silhouette_outline
from snellen.probes.suite import Suite, SuiteSpec
from snellen.probes.task import RenderProfile
from snellen.probes.words import word_mask
from snellen.schema import Sample, Target

SNELLEN = RenderProfile()


def _measure(hi: np.ndarray, size: int, delta: float, phase: float, mode: str) -> int:
    """The ink measure of `hi` drawn at extent size + delta (the fit's own geometry, written out again)."""
    H, W = hi.shape
    if mode == "side" and W > H:
        out_w = size + delta
        out_h = out_w * H / W
    else:
        out_h = size + delta
        out_w = out_h * W / H
    box = R.ink_box(R._resample(hi, out_h, out_w, phase, phase))
    if box is None:
        return -1
    return box[3] - box[1] if mode == "height" else max(box[3] - box[1], box[2] - box[0])


# Outlines whose fit moves the extent off the nominal size at small sizes (star, bird, turtle) and one that does not.
CASES = [
    ("shape:star", lambda: shape_outline("star"), "side", 4, True),
    ("object:bird", lambda: silhouette_outline("bird"), "side", 4, True),
    ("object:turtle", lambda: silhouette_outline("turtle"), "side", 3, True),
    ("glyph:H", lambda: R.glyph_outline("H"), "height", 4, False),
]


@pytest.mark.parametrize("name,outline,mode,size,moves", CASES, ids=[c[0] for c in CASES])
def test_fit_draws_the_extent_closest_to_the_nominal_size(name, outline, mode, size, moves):
    """No extent on the fit's grid that is closer to the nominal size measures right at any phase, and the
    record says when the fit had to move the extent (a star of 4 px ink is drawn larger than 4 px)."""
    hi = outline()
    m = R.fit_outline(hi, size, mode)
    dev = m.geometric - size
    assert (dev != 0) == moves
    assert R.FIT_DEVIATION[0] <= dev <= R.FIT_DEVIATION[1]
    assert any(_measure(hi, size, dev, p, mode) == size for p in R._PHASES)  # the recorded extent is the one drawn
    closer = [d for d in R._DELTAS if abs(d) < abs(dev) or (abs(d) == abs(dev) and d < dev)]
    for d in closer:
        assert all(_measure(hi, size, d, p, mode) != size for p in R._PHASES), (name, size, d)


def test_recorded_geometric_size_is_monotone_in_the_font_size():
    """One word drawn over a fine grid of font sizes (cap height 2.5 to 12 px in 1/16 px steps): the ink
    height it gets is non-decreasing, and the geometric size snellen records when asked for that ink height
    is non-decreasing too and never further than the fit's range from the font size."""
    word = "HELD"
    hi = R.glyph_outline(word, SNELLEN.font)
    fonts = np.arange(2.5, 12.0 + 1e-9, 1.0 / 16)
    inks = [_measure(hi, 0, f, 0.0, "height") for f in fonts]
    assert all(b >= a for a, b in zip(inks, inks[1:])), inks
    recorded = {n: word_mask(word, n, SNELLEN).geometric for n in sorted(set(inks))}
    geo = [recorded[n] for n in inks]
    assert all(b >= a for a, b in zip(geo, geo[1:])), geo
    assert all(abs(g - f) <= 1.5 for g, f in zip(geo, fonts)), max(abs(g - f) for g, f in zip(geo, fonts))
    assert len(set(inks)) >= 9  # the grid really spans many ink heights


def test_every_drawn_target_records_its_geometric_size():
    spec = SuiteSpec(name="geo", version="1", tasks=[
        {"name": "shape", "family": "shape", "params": {"scales": [4, 8], "per_cell": 4}},
        {"name": "word", "family": "word", "params": {"scales": [4], "per_cell": 2}},
        {"name": "counting", "family": "counting", "params": {"scales": [4], "counts": [3], "per_cell": 2}},
    ])
    samples = list(Suite(spec).samples())
    assert samples
    for s in samples:
        for t in s.targets:
            assert t.geometric is not None and t.nominal - 1 <= t.geometric <= t.nominal + 3
        assert s.geometric_scale == min(t.geometric for t in s.targets)
        back = Sample.from_meta(json.loads(json.dumps(s.meta())))
        assert [t.geometric for t in back.targets] == [t.geometric for t in s.targets]


def test_finesight_profile_records_the_box_it_draws_into():
    spec = SuiteSpec(name="geo", version="1", profile={"name": "finesight"}, tasks=[
        {"name": "letter", "family": "letter", "params": {"scales": [6], "per_cell": 2}},
        {"name": "shape", "family": "shape", "params": {"scales": [6], "per_cell": 2}},
    ])
    for s in Suite(spec).samples():
        assert [t.geometric for t in s.targets] == [6.0]


def test_records_without_geometric_size_still_load():
    """Datasets written before the geometric size was recorded load unchanged; the size is unknown (NaN)."""
    old = {"kind": "letter", "identity": "A", "colour": "red", "rgb": [255, 0, 0], "nominal": 4,
           "box": [1, 1, 4, 5], "support": [0, 0, 6, 6], "attributes": {}}
    t = Target.from_dict(old)
    assert t.geometric is None and t.to_dict() == old  # nothing invented, nothing added
    spec = SuiteSpec(name="geo", version="1", tasks=[{"name": "letter", "family": "letter", "params": {"scales": [4], "per_cell": 1}}])
    meta = next(iter(Suite(spec).samples())).meta()
    for target in meta["targets"]:
        del target["geometric"]
    s = Sample.from_meta(meta)
    assert math.isnan(s.geometric_scale)
