"""verify must pass clean data and catch each kind of deliberate damage, from the pixels."""

import copy

import numpy as np
import pytest

from snellen.probes.encode import encode_png
from snellen.probes.suite import Suite, SuiteSpec
from snellen.probes.verify import verify_samples
from snellen.probes.writer import suite_record

SPEC = {
    "name": "v", "version": "1", "seed": 4,
    "tasks": [
        {"name": "letter", "family": "letter", "params": {"scales": [12], "per_cell": 2}},
        {"name": "shape", "family": "shape", "params": {"scales": [10], "per_cell": 1}},
        {"name": "ordering", "family": "ordering", "params": {"scales": [10], "counts": [3], "per_cell": 1, "kinds": ["shape"]}},
        {"name": "counting", "family": "counting", "params": {"scales": [10], "counts": [4], "per_cell": 1, "categories": ["block"]}},
        {"name": "quadrant", "family": "quadrant", "params": {"scales": [10], "counts": [2], "per_cell": 1, "kinds": ["shape"]}},
        {"name": "relation", "family": "relation", "params": {"scales": [10], "per_cell": 2, "kinds": ["shape"]}},
        {"name": "blur", "family": "blur_counting", "params": {"scales": [12], "counts": [2], "per_cell": 1, "categories": ["block"]}},
    ],
}


@pytest.fixture(scope="module")
def clean():
    suite = Suite(SuiteSpec(**SPEC))
    manifest = {"format": "snellen-samples", "suite": suite_record(suite, "exam")}
    samples = list(suite.samples())
    for s in samples:  # as read from disk: PNG bytes, pixels decoded on demand
        s.png, s.image = encode_png(s.image), None
    return samples, manifest


def _damaged(clean, task, fn):
    samples, manifest = clean
    out = [copy.deepcopy(s) for s in samples]
    victim = next(s for s in out if s.task == task)
    img = victim.pixels().copy()
    result = fn(victim, img)
    victim.png, victim.image = encode_png(img) if result is None else result, None
    return verify_samples(out, manifest), victim


def _defects(report, victim):
    return [d.defect for d in report.defects if d.sample_id == victim.id]


def test_clean_samples_pass_every_check(clean):
    samples, manifest = clean
    report = verify_samples(copy.deepcopy(samples), manifest)
    assert report.ok, [d.line() for d in report.defects]
    assert report.samples == len(samples) and report.ids_recomputed == len(samples)
    blur_targets = sum(len(s.targets) for s in samples if s.task == "blur")
    assert report.not_measurable == blur_targets > 0
    assert report.measured == sum(len(s.targets) for s in samples) - blur_targets
    assert report.summary().startswith("OK:")


def test_erasing_a_row_of_ink_changes_the_measured_size(clean):
    def erase_top_row(s, img):
        t = s.targets[0]
        x0, y0, x1, _ = t.box
        img[y0, x0:x1] = 255
    report, victim = _damaged(clean, "letter", erase_top_row)
    assert not report.ok
    found = [d for d in report.defects if d.defect == "target 0 size from pixels"]
    assert found and found[0].expected.startswith("12 px") and found[0].found.startswith("11")


def test_growing_a_target_changes_the_measured_size(clean):
    def grow(s, img):
        t = s.targets[0]
        x0, y0, x1, y1 = t.box
        img[y1 - 1 : y1 + 1, x0:x1] = t.rgb  # one more row of full ink below (stays in the support or strays)
    report, victim = _damaged(clean, "shape", grow)
    assert {"target 0 size from pixels", "pixels outside every target differ from the background"} & set(_defects(report, victim))


def test_truncated_png_is_not_decodable(clean):
    report, victim = _damaged(clean, "letter", lambda s, img: s.png[: len(s.png) // 2])
    assert _defects(report, victim) == ["image not decodable"]


def test_swapped_letter_answer(clean):
    def swap(s, img):
        s.answer = {"letter": "A" if s.answer["letter"] != "A" else "B"}
    report, victim = _damaged(clean, "letter", swap)
    assert _defects(report, victim) == ["answer 'letter' disagrees with the drawn target"]


def test_reversed_order_answer(clean):
    def reverse(s, img):
        s.answer = {"objects": s.answer["objects"][::-1]}
    report, victim = _damaged(clean, "ordering", reverse)
    assert _defects(report, victim) == ["answer 'objects' order"]


def test_wrong_count_answer(clean):
    def miscount(s, img):
        key = next(iter(s.answer["counts"]))
        s.answer = {"counts": {**s.answer["counts"], key: s.answer["counts"][key] + 1}, "total": s.answer["total"] + 1}
    report, victim = _damaged(clean, "counting", miscount)
    assert "answer 'counts' disagrees with the drawn targets" in _defects(report, victim)


def test_erased_target_breaks_the_count(clean):
    def erase(s, img):
        x0, y0, x1, y1 = s.targets[1].support
        img[y0:y1, x0:x1] = 255
    report, victim = _damaged(clean, "counting", erase)
    assert {"target 1 not drawn", "count of drawn targets"} <= set(_defects(report, victim))


def test_wrong_quadrant_and_relation_answers(clean):
    report, victim = _damaged(clean, "quadrant", lambda s, img: s.answer.update(
        quadrant="top-left" if s.answer["quadrant"] != "top-left" else "bottom-right"))
    assert _defects(report, victim) == ["answer 'quadrant'"]
    report, victim = _damaged(clean, "relation", lambda s, img: s.answer.update(answer="no" if s.answer["answer"] == "yes" else "yes"))
    assert _defects(report, victim) == ["answer 'answer'"]


def test_target_moved_onto_another_overlaps(clean):
    def move(s, img):
        a, b = s.targets[0], s.targets[1]
        dx, dy = a.support[0] - b.support[0] + 2, a.support[1] - b.support[1] + 2
        bx0, by0, bx1, by1 = b.support
        patch = img[by0:by1, bx0:bx1].copy()
        img[by0:by1, bx0:bx1] = 255
        img[by0 + dy : by1 + dy, bx0 + dx : bx1 + dx] = np.minimum(img[by0 + dy : by1 + dy, bx0 + dx : bx1 + dx], patch)
        b.support = (bx0 + dx, by0 + dy, bx1 + dx, by1 + dy)
        b.box = (b.box[0] + dx, b.box[1] + dy, b.box[2] + dx, b.box[3] + dy)
    report, victim = _damaged(clean, "ordering", move)
    assert "targets 0 and 1 overlap" in _defects(report, victim)


def test_target_moved_in_pixels_only_leaves_stray_ink(clean):
    def shift(s, img):
        x0, y0, x1, y1 = s.targets[0].support
        patch = img[y0:y1, x0:x1].copy()
        img[y0:y1, x0:x1] = 255
        img[y0 + 30 : y1 + 30, x0:x1] = patch
    report, victim = _damaged(clean, "shape", shift)
    assert {"pixels outside every target differ from the background", "target 0 not drawn"} <= set(_defects(report, victim))


def test_recoloured_target(clean):
    report, victim = _damaged(clean, "shape", lambda s, img: setattr(s.targets[0], "rgb", (0, 0, 255) if s.targets[0].rgb != (0, 0, 255) else (255, 0, 0)))
    assert "target 0 pixels are not its colour" in _defects(report, victim)


def test_ids_canvas_and_duplicates(clean):
    report, victim = _damaged(clean, "shape", lambda s, img: setattr(s, "id", "0" * 20))
    assert _defects(report, victim) == ["id not recomputable"]
    report, victim = _damaged(clean, "letter", lambda s, img: encode_png(img[:-8]))
    assert _defects(report, victim) == ["canvas size"]
    samples, manifest = clean
    twice = [copy.deepcopy(samples[0]), copy.deepcopy(samples[0])]
    assert [d.defect for d in verify_samples(twice, manifest).defects] == ["duplicate id"]


def test_stored_box_must_match_nominal_size(clean):
    def shrink_box(s, img):
        t = s.targets[0]
        t.box = (t.box[0], t.box[1] + 1, t.box[2], t.box[3])
    report, victim = _damaged(clean, "letter", shrink_box)
    assert {"target 0 stored size", "target 0 ink box"} <= set(_defects(report, victim))


def test_geometric_size_outside_the_fit_range_is_a_defect(clean):
    def claim_huge_outline(s, img):
        s.targets[0].geometric = s.targets[0].nominal + 5.0
    report, victim = _damaged(clean, "letter", claim_huge_outline)
    assert _defects(report, victim) == ["target 0 geometric size"]


def test_geometric_sizes_are_listed_per_family_and_scale(clean):
    samples, manifest = clean
    old = copy.deepcopy(samples)
    for s in old[:2]:  # a dataset written before geometric sizes were recorded
        for t in s.targets:
            t.geometric = None
    report = verify_samples(old, manifest)
    assert report.ok
    lines = report.geometric_lines()
    letter = [ln for ln in lines if " letter " in ln]
    assert len(letter) == 1 and "12 px" in letter[0] and "2 targets" in letter[0] and "not recorded" in letter[0]
    shape = next(ln for ln in lines if " shape " in ln)
    g = samples[[s.task for s in samples].index("shape")].targets[0].geometric
    assert f"{g:g}" in shape and "1 targets" in shape
