"""Synthetic fine-grained species: classes differ only in the crest, whose size from pixels is the scale,
and the ideal observer tells every species apart wherever their crests differ in pixels."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from snellen.models.base import GenerationSettings, Request, load_backend
from snellen.probes.suite import Suite, SuiteSpec
from snellen.probes.task import RenderProfile, get_family
from snellen.probes.targets import cached_mask
from snellen.probes.tasks.species import SPECIES, render
from snellen.probes.verify import verify_samples
from snellen.schema import SnellenError
from snellen.scoring import score_response

PROFILE = RenderProfile()
SCALES = (3, 4, 5, 6, 8, 12, 16, 24)


def task(**params):
    T = get_family("species")
    return T(T.Params(**params), PROFILE)


def detail_side_from_pixels(img: np.ndarray, rgb, cell_box) -> int:
    """Ink (coverage >= 0.5 from white toward the crest colour) inside the detail cell: its larger side."""
    x0, y0, x1, y1 = cell_box
    region = img[y0:y1, x0:x1].astype(float) - 255.0
    d = np.asarray(rgb, float) - 255.0
    alpha = region @ d / (d @ d)
    ys, xs = np.nonzero(alpha >= 0.5)
    return max(ys.max() - ys.min() + 1, xs.max() - xs.min() + 1)


@pytest.mark.parametrize("scale", SCALES)
def test_species_differ_only_inside_the_detail_cell_and_the_detail_measures_its_scale(scale):
    t = task(species=SPECIES)
    scene = t.scene(np.random.default_rng(scale), scale)
    drawn = {sp: render(PROFILE, scene, SPECIES, sp, scale) for sp in SPECIES}
    boxes = {box for _, _, _, box in drawn.values()}
    assert len(boxes) == 1, "the detail cell must not depend on the species"
    (x0, y0, x1, y1), = boxes
    outside = np.ones(drawn[SPECIES[0]][0].shape[:2], bool)
    outside[y0:y1, x0:x1] = False
    for a, b in itertools.combinations(SPECIES, 2):
        diff = (drawn[a][0] != drawn[b][0]).any(axis=2)
        assert not diff[outside].any(), f"{a} vs {b} at {scale} px differ outside the detail cell"
        assert diff.any(), f"{a} and {b} are identical at {scale} px"
    for sp, (img, body, crest, box) in drawn.items():
        cx0, cy0, cx1, cy1 = crest.support
        assert x0 <= cx0 and y0 <= cy0 and cx1 <= x1 and cy1 <= y1, "crest outside its cell"
        assert body.support[1] - y1 >= 4, "crest cell too close to the body"
        assert detail_side_from_pixels(img, crest.rgb, box) == scale == max(crest.ink_h, crest.ink_w), sp


def test_generated_samples_verify_from_pixels_and_measure_their_scale():
    spec = SuiteSpec(name="sp", version="1", seed=3, tasks=[{"name": "species", "family": "species", "params": {"per_cell": 2}}])
    samples = list(Suite(spec).samples())
    assert {s.scale for s in samples} == {3, 4, 5, 6, 8, 10, 12, 16, 24}
    for s in samples:
        assert s.measured_scale == s.scale
        crest = next(t for t in s.targets if t.kind == "crest")
        assert s.answer == {"species": crest.identity}
        assert "crest" in s.prompts["json"] and all(sp in s.prompts["json"] for sp in s.fields[0].options)
    report = verify_samples(samples)
    assert report.defects == [], report.defects[:3]


def test_ideal_observer_is_perfect_wherever_the_crests_differ():
    spec = SuiteSpec(name="sp", version="1", seed=5, tasks=[{"name": "species", "family": "species",
                                                 "params": {"per_cell": 6, "scales": [2, 3, 4, 6, 12],
                                                            "species": list(SPECIES)}}])
    ideal = load_backend("ideal")
    by_scale: dict[int, list[str]] = {}
    for s in Suite(spec).samples():
        assert ideal.supports(s)
        (resp,) = ideal.answer([Request(s, s.prompts["json"], GenerationSettings(), 0)])
        assert resp.ok, resp.error
        by_scale.setdefault(s.scale, []).append(score_response(s, resp.text).outcome)
    for scale, outcomes in by_scale.items():
        masks = [cached_mask("crest", sp, scale, PROFILE).alpha for sp in SPECIES]
        distinct = all(a.shape != b.shape or not np.array_equal(a, b) for a, b in itertools.combinations(masks, 2))
        if distinct:  # every pair of crests differs in pixels: the pixels carry the answer
            assert outcomes == ["correct"] * len(outcomes), (scale, outcomes)
    assert set(by_scale) == {2, 3, 4, 6, 12}


def test_a_scene_too_small_for_the_body_and_unknown_species_are_named():
    with pytest.raises(ValueError, match="unknown species"):
        task(species=("circle-crest", "beak-crest"))
    T = get_family("species")
    small = T(T.Params(body_size=440), RenderProfile(canvas=448))
    with pytest.raises(SnellenError, match="does not fit"):
        small.draw(np.random.default_rng(0), {"scale": 24})
