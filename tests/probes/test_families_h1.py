"""Perception and spatial-reasoning families: exact scale from pixels, answers from pixels, chance, errors."""

import math

import numpy as np
import pytest
from scipy import ndimage

from snellen.probes.render import COLOURS, RECOGNITION_COLOURS
from snellen.probes.shapes import SHAPES
from snellen.probes.silhouettes import OBJECTS
from snellen.probes.suite import Suite, SuiteSpec
from snellen.probes.task import DEFAULT_SCALES, FINESIGHT_SCALES, RenderProfile, get_family
from snellen.schema import SnellenError

SNELLEN, FINESIGHT = RenderProfile(), RenderProfile(name="finesight")
BG = np.array([255, 255, 255], dtype=np.float64)
SINGLE = ("shape", "object", "colour", "presence")
COUNTED = ("ordering", "comparison", "relation", "quadrant")
FAMILIES = SINGLE + COUNTED


def make(family, profile=SNELLEN, **params):
    cls = get_family(family)
    return cls(cls.Params(**params), profile)


def cell_for(family, scale, count=None):
    if family in SINGLE:
        return {"scale": scale}
    if count is None:
        count = {"quadrant": 1, "comparison": 1 if scale == 48 else 2}.get(family, 2)
    return {"scale": scale, "count": count}


def task_for(family, profile=SNELLEN, **params):
    if family == "comparison":
        params.setdefault("counts", (1, 2, 3, 4, 8, 10))
    if family == "quadrant":
        params.setdefault("counts", (1, 2, 3))
    return make(family, profile, **params)


def coverage(image: np.ndarray, rgb) -> np.ndarray:
    """Per-pixel coverage recovered from the pixels: how far each pixel moved from white towards `rgb`."""
    delta = np.asarray(rgb, dtype=np.float64) - BG
    c = int(np.argmax(np.abs(delta)))  # the channel with the largest swing has the finest quantisation
    return (image[..., c].astype(np.float64) - BG[c]) / delta[c], 0.5 / abs(delta[c])


def pixel_ink_box(image, target):
    """Ink box of a target re-measured from the image inside its support (coverage >= 0.5, up to rounding)."""
    x0, y0, x1, y1 = target.support
    cov, tol = coverage(image[y0:y1, x0:x1], target.rgb)
    ink = cov >= 0.5 - tol
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    return (x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1)


def size_of(box, target):
    w, h = box[2] - box[0], box[3] - box[1]
    if target.kind in ("letter", "digit") and target.attributes.get("size_mode") != "side":
        return h
    return max(w, h)


def components(image):
    """Connected blobs of non-background pixels (1-px dilation joins the parts of one target, not two
    targets: supports keep a 4 px gap), as (bounding box, rgb of the pixel farthest from white)."""
    fg = (image != 255).any(axis=2)
    labels, n = ndimage.label(ndimage.binary_dilation(fg, np.ones((3, 3), bool)))
    out = []
    for sl in ndimage.find_objects(labels):
        part = image[sl].astype(np.int64)
        mask = fg[sl]
        d = np.where(mask, (255 - part).sum(axis=2), -1)
        y, x = np.unravel_index(np.argmax(d), d.shape)
        ys, xs = np.nonzero(mask)
        out.append(((sl[1].start + xs.min(), sl[0].start + ys.min(), sl[1].start + xs.max() + 1, sl[0].start + ys.max() + 1), tuple(part[y, x])))
    return out


def colour_name(rgb):
    return min(COLOURS, key=lambda c: sum((a - b) ** 2 for a, b in zip(COLOURS[c], rgb)))


# --- scale fidelity -------------------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
def test_measured_size_from_pixels_equals_nominal_at_every_scale(family):
    task = task_for(family)
    for scale in DEFAULT_SCALES:
        for seed in (0, 1):
            probe = task.draw(np.random.default_rng(seed), cell_for(family, scale))
            img = probe.image
            covered = np.zeros(img.shape[:2], bool)
            for t in probe.targets:
                box = pixel_ink_box(img, t)
                assert box == t.box, (family, scale, t.identity, box, t.box)
                assert size_of(box, t) == t.nominal, (family, scale, t.identity, box)
                covered[t.support[1] : t.support[3], t.support[0] : t.support[2]] = True
            assert (img[~covered] == 255).all(), "ink outside every target's support"
            assert probe.scale == scale and probe.measured_scale == min(size_of(t.box, t) for t in probe.targets)
            if family == "comparison":
                assert min(t.nominal for t in probe.targets) == scale


@pytest.mark.parametrize("family", FAMILIES)
def test_finesight_profile_draws_and_stores_measured_sizes(family):
    task = task_for(family, FINESIGHT)
    for scale in FINESIGHT_SCALES:
        probe = task.draw(np.random.default_rng(scale), cell_for(family, scale))
        for t in probe.targets:
            box = pixel_ink_box(probe.image, t)
            assert box == t.box
            assert size_of(box, t) <= t.nominal  # inscribed in size x size: never larger, maybe smaller
        assert probe.measured_scale == min(size_of(t.box, t) for t in probe.targets)


def test_targets_never_overlap_and_keep_the_gap():
    for family in COUNTED:
        task = task_for(family, counts=(1, 2, 4) if family != "relation" else (2, 4))
        for scale in (8, 24):
            probe = task.draw(np.random.default_rng(scale), cell_for(family, scale, 4 if family != "quadrant" else 4))
            boxes = [t.support for t in probe.targets]
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    assert a[2] + 4 <= b[0] or b[2] + 4 <= a[0] or a[3] + 4 <= b[1] or b[3] + 4 <= a[1], (family, a, b)


# --- answers match what is drawn -------------------------------------------------------------------


def test_single_target_answers_name_what_is_drawn():
    for family, key in (("shape", "shape"), ("object", "object"), ("colour", "color")):
        task = make(family)
        seen = set()
        for seed in range(60):
            probe = task.draw(np.random.default_rng(seed), {"scale": 16})
            (t,) = probe.targets
            value = probe.answer[key]
            seen.add(value)
            if family == "colour":
                cx, cy = (t.box[0] + t.box[2]) // 2, (t.box[1] + t.box[3]) // 2
                assert tuple(probe.image[cy, cx]) == COLOURS[value]  # a fully covered pixel has the colour
            else:
                assert t.identity == value
            assert value in probe.fields[0].options
        assert len(seen) >= 5, (family, seen)


def test_object_answer_key_is_a_parameter():
    task = make("object", answer_key="animal", objects=("cat", "dog", "fish", "bird", "rabbit", "turtle"))
    probe = task.draw(np.random.default_rng(0), {"scale": 24})
    assert list(probe.answer) == ["animal"] and probe.fields[0].name == "animal"
    assert probe.prompt_json.startswith('What animal is shown in the image? Answer in JSON format only: {"animal": "<type>"}')
    assert probe.chance == pytest.approx(1 / 6)


def test_ordering_answer_matches_stored_boxes_and_pixel_components():
    task = make("ordering", counts=(2, 4, 8, 10))
    for seed in range(24):
        scale, n = (4, 8, 12, 24, 48, 16)[seed % 6], (2, 4, 8, 10)[seed % 4]
        probe = task.draw(np.random.default_rng(seed), {"scale": scale, "count": n})
        direction = probe.extra["direction"]
        axis = 0 if direction == "left to right" else 1
        # from the stored ink boxes
        by_box = sorted(probe.targets, key=lambda t: (t.box[axis] + t.box[axis + 2]) / 2)
        assert [t.label for t in by_box] == probe.answer["objects"]
        centres = sorted((t.box[axis] + t.box[axis + 2]) / 2 for t in probe.targets)
        assert min(np.diff(centres)) >= max(4, scale / 2)
        # from the pixels: one blob per target, in the same colour order along the axis
        blobs = components(probe.image)
        assert len(blobs) == n
        blobs.sort(key=lambda b: (b[0][axis] + b[0][axis + 2]) / 2)
        assert [colour_name(rgb) for _, rgb in blobs] == [a.split()[0] for a in probe.answer["objects"]]


def test_ordering_labels_are_distinct_and_directions_vary():
    task = make("ordering", counts=(10,), kinds=("dot",))
    directions = set()
    for seed in range(10):
        probe = task.draw(np.random.default_rng(seed), {"scale": 8, "count": 10})
        assert len(set(probe.answer["objects"])) == 10
        directions.add(probe.extra["direction"])
    assert directions == {"left to right", "top to bottom"}


def test_comparison_order_matches_measured_sizes_from_pixels():
    task = make("comparison")
    for c in task.cells():
        probe = task.draw(np.random.default_rng(c["scale"] * 100 + c["count"]), c)
        ascending = probe.extra["direction"] == "smallest to largest"
        blobs = components(probe.image)
        assert len(blobs) == c["count"]
        # colours are distinct in a comparison probe, so each blob names its target by colour
        sides = {colour_name(rgb): size_of(pixel_ink_box(probe.image, next(t for t in probe.targets if t.colour == colour_name(rgb))), probe.targets[0])
                 for _, rgb in blobs}
        order = sorted(sides, key=sides.get, reverse=not ascending)
        assert order == [a.split()[0] for a in probe.answer["objects"]]
        values = sorted(sides.values())
        assert all(a < b for a, b in zip(values, values[1:])), values  # strictly ordered: no ties
        assert values[0] == c["scale"]
        assert sorted(t.nominal for t in probe.targets) == values  # each target stores its own nominal size


def test_comparison_grid_drops_cells_the_pool_cannot_serve():
    task = make("comparison")
    cells = {(c["scale"], c["count"]) for c in task.cells()}
    pool = (4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48)
    for s in DEFAULT_SCALES:
        for n in (2, 4, 8, 10):
            feasible = n <= 1 + len([p for p in pool if p > s])
            assert ((s, n) in cells) == feasible, (s, n)
            assert ((s, n) in task.infeasible_cells) == (not feasible)
    with pytest.raises(SnellenError, match="'counts'"):
        task.draw(np.random.default_rng(0), {"scale": 48, "count": 2})
    with pytest.raises(SnellenError, match="'pool'"):
        make("comparison", strict_cells=True)


def test_relation_answer_matches_positions_and_is_balanced():
    task = make("relation")
    yes = 0
    for seed in range(120):
        scale = DEFAULT_SCALES[seed % len(DEFAULT_SCALES)]
        probe = task.draw(np.random.default_rng(seed), {"scale": scale, "count": 2})
        a = next(t for t in probe.targets if t.attributes.get("role") == "A")
        b = next(t for t in probe.targets if t.attributes.get("role") == "B")
        assert probe.prompt_json.startswith(f"Is the {a.label} {probe.extra['relation']} the {b.label}?")
        ba, bb = pixel_ink_box(probe.image, a), pixel_ink_box(probe.image, b)
        if probe.extra["relation"] == "to the left of":
            truth, disjoint = ba[2] <= bb[0], ba[2] <= bb[0] or bb[2] <= ba[0]
        else:
            truth, disjoint = ba[3] <= bb[1], ba[3] <= bb[1] or bb[3] <= ba[1]
        assert disjoint, "A and B overlap along the asked axis"
        assert probe.answer == {"answer": "yes" if truth else "no"}
        yes += truth
    assert 45 <= yes <= 75, yes


def test_quadrant_answer_matches_pixels_and_midlines_are_clear():
    task = make("quadrant", counts=(1, 3))
    answers = []
    for seed in range(80):
        scale = DEFAULT_SCALES[seed % len(DEFAULT_SCALES)]
        probe = task.draw(np.random.default_rng(seed), {"scale": scale, "count": 1 + 2 * (seed % 2)})
        clear = max(8, scale / 2)
        lo, hi = int(np.floor(224 - clear)), int(np.ceil(224 + clear))
        img = probe.image
        assert (img[:, lo:hi] == 255).all() and (img[lo:hi, :] == 255).all(), "ink near a midline"
        asked = probe.targets[0]
        assert probe.prompt_json.startswith(f"In which quadrant of the image is the {asked.label}?")
        x0, y0, x1, y1 = pixel_ink_box(img, asked)
        quadrant = ("top" if y1 <= 224 else "bottom") + "-" + ("left" if x1 <= 224 else "right")
        assert (y1 <= 224 or y0 >= 224) and (x1 <= 224 or x0 >= 224)
        assert probe.answer == {"quadrant": quadrant}
        answers.append(quadrant)
    assert len(set(answers)) == 4 and max(answers.count(q) for q in set(answers)) <= 35


def test_presence_has_half_negatives_and_negatives_show_a_same_size_same_colour_distractor():
    task = make("presence")
    negatives = 0
    for seed in range(200):
        scale = DEFAULT_SCALES[seed % len(DEFAULT_SCALES)]
        probe = task.draw(np.random.default_rng(seed), {"scale": scale})
        (t,) = probe.targets
        assert probe.answer["present"] == ("yes" if t.identity == "square" else "no")
        assert probe.extra["drawn"] == t.identity
        assert (probe.image != 255).any(), "blank canvas"
        assert t.colour == "black" and max(t.ink_h, t.ink_w) == scale
        assert size_of(pixel_ink_box(probe.image, t), t) == scale
        negatives += probe.answer["present"] == "no"
    assert 80 <= negatives <= 120, negatives


# --- chance, prompts ------------------------------------------------------------------------------


def test_chance_is_one_over_the_answer_space():
    cases = {"shape": 1 / len(SHAPES), "object": 1 / len(OBJECTS), "colour": 1 / 11, "presence": 1 / 2}
    for family, expected in cases.items():
        probe = make(family).draw(np.random.default_rng(0), {"scale": 12})
        assert probe.chance == pytest.approx(expected)
        assert len(probe.fields[0].options) == round(1 / expected)
    assert set(make("colour").params.colours) == set(RECOGNITION_COLOURS) and len(RECOGNITION_COLOURS) >= 11
    assert make("relation").draw(np.random.default_rng(0), {"scale": 12, "count": 2}).chance == 0.5
    assert make("quadrant").draw(np.random.default_rng(0), {"scale": 12, "count": 1}).chance == 0.25


@pytest.mark.parametrize("family", ["ordering", "comparison"])
def test_sequence_chance_is_an_ordered_draw_from_the_label_vocabulary(family):
    for seed in range(6):
        probe = make(family).draw(np.random.default_rng(seed), {"scale": 8, "count": 4})
        kind = probe.extra["target_kind"]
        n_ids = {"letter": 26, "shape": 8, "dot": 1, "object": len(OBJECTS)}[kind]
        vocabulary = 12 * n_ids  # the prompt lists 12 colours and the kind's identities
        assert probe.chance == pytest.approx(1 / math.perm(vocabulary, 4))
        assert set(probe.answer["objects"]) <= set(probe.fields[0].options)
    named = make(family, name_items=True).draw(np.random.default_rng(1), {"scale": 8, "count": 4})
    assert named.chance == pytest.approx(1 / math.factorial(4))
    for label in named.answer["objects"]:
        assert label in named.prompt_json


def test_prompts_follow_finesightbench_wording():
    p = make("shape").draw(np.random.default_rng(0), {"scale": 12})
    assert p.prompt_json == (
        'What geometric shape is displayed in the image? Answer in JSON format only: {"shape": "<type>"} '
        "where <type> is one of: circle, triangle, square, star, diamond, pentagon, hexagon, cross."
    )
    p = make("presence").draw(np.random.default_rng(0), {"scale": 12})
    assert p.prompt_json == (
        'Is there a square block visible in the image? Answer in JSON format only: {"present": "yes"} or {"present": "no"}.'
    )
    p = make("colour").draw(np.random.default_rng(0), {"scale": 12})
    assert p.prompt_json.startswith('What color is the block in the image? Answer in JSON format only: {"color": "<name>"}')
    p = make("ordering", kinds=("dot",)).draw(np.random.default_rng(0), {"scale": 12, "count": 2})
    assert p.prompt_json.startswith(f"List all dots in the image from {p.extra['direction']}. Describe each by its color")
    assert "Identities are simply 'dot'." in p.prompt_json and '{"objects": ["<color> <identity>", ...]}' in p.prompt_json
    p = make("comparison", kinds=("shape",)).draw(np.random.default_rng(0), {"scale": 12, "count": 2})
    assert f"List all shapes in the image from {p.extra['direction']} by size." in p.prompt_json
    for family in FAMILIES:
        probe = task_for(family).draw(np.random.default_rng(0), cell_for(family, 12))
        assert probe.prompt_free and "JSON" not in probe.prompt_free


# --- determinism, errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
def test_same_seed_same_pixels_different_seed_differs(family):
    task = task_for(family)
    cell = cell_for(family, 12)
    a, b, c = (task.draw(np.random.default_rng(s), cell) for s in (5, 5, 6))
    assert np.array_equal(a.image, b.image) and a.answer == b.answer and a.prompt_json == b.prompt_json
    assert not np.array_equal(a.image, c.image)


@pytest.mark.parametrize("family, count", [("ordering", 80), ("comparison", 10), ("relation", 12), ("quadrant", 40)])
def test_too_many_targets_is_an_error_naming_counts(family, count):
    scale = 48 if family != "comparison" else 4
    params = {"counts": (count,), "kinds": ("letter",)}  # 26 x 12 labels: the canvas, not the labels, runs out
    if family == "comparison":
        params.update(pool=tuple(range(4, 200, 8)) + (200, 208, 216, 224, 232, 240, 248, 256))  # 10 huge targets
        scale = 100
    task = make(family, **params)
    with pytest.raises(SnellenError, match="cannot place.*lower 'counts'"):
        task.draw(np.random.default_rng(0), {"scale": scale, "count": count})


def test_label_capacity_and_bad_params_are_errors_naming_the_parameter():
    with pytest.raises(SnellenError, match="'counts'.*'colours'"):
        make("ordering", kinds=("dot",), colours=("red", "blue", "black"), counts=(4,))
    with pytest.raises(SnellenError, match="'counts'"):
        make("relation", counts=(1,))
    with pytest.raises(SnellenError, match="kinds"):
        make("ordering", kinds=("teapot",))
    with pytest.raises(SnellenError, match="distractors"):
        make("presence", distractors=("square", "circle"))
    spec = {"name": "t", "version": "1", "tasks": [{"name": "o", "family": "object", "params": {"objects": ["cat", "unicorn"]}}]}
    with pytest.raises(SnellenError, match="objects"):
        Suite(SuiteSpec(**spec))


def test_every_family_runs_through_a_suite():
    tasks = [
        {"name": f, "family": f, "params": {"scales": [4, 16], "per_cell": 2, **({"counts": [2]} if f in ("ordering", "comparison", "relation") else {})}}
        for f in FAMILIES
    ]
    suite = Suite(SuiteSpec(name="t", version="1", tasks=tasks))
    samples = list(suite.samples())
    assert {s.family for s in samples} == set(FAMILIES)
    kinds = {s.family: s.kind for s in samples}
    assert all(kinds[f] == "perception" for f in SINGLE) and all(kinds[f] == "reasoning" for f in COUNTED)
    for s in samples:
        assert s.chance == pytest.approx(math.prod(1 / f.space_size() for f in s.fields))
        assert s.count == len(s.targets) and s.measured_scale == s.scale  # snellen profile: exact


def test_object_vocabulary_of_counted_families_is_a_parameter():
    six = ("cat", "dog", "fish", "bird", "rabbit", "turtle")
    task = make("comparison", kinds=("object",), objects=six)
    for seed in range(8):
        probe = task.draw(np.random.default_rng(seed), {"scale": 8, "count": 4})
        assert {t.identity for t in probe.targets} <= set(six)
        assert probe.chance == pytest.approx(1 / math.perm(12 * 6, 4))
        assert "Identities are animals from: cat, dog, fish, bird, rabbit, turtle." in probe.prompt_json
    with pytest.raises(SnellenError, match="objects"):
        Suite(SuiteSpec(name="t", version="1", tasks=[{"name": "c", "family": "comparison", "params": {"objects": ["yeti"]}}]))
