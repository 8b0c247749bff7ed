"""Counting, blur_counting, word, text_order and letter_count: scale, answers, contrast, determinism, errors.

Scale is re-measured from PIXELS on plain backgrounds (difference from the background colour, ink =
at least half the target's colour difference). On blurred and photo backgrounds the background is not
known from the image alone, so the stored box is checked against the same mask rendered alone on a
blank canvas (measured from those pixels) and the image's fully covered pixels are checked to carry the
target's colour. Pixel re-measurement uses colours that differ from white by 255 on some channel: with a
smaller difference d, 8-bit rounding cannot tell coverage 0.4997 from 0.5 (a 1 px ambiguity).
"""

import re
import string

import numpy as np
import pytest
from PIL import ImageFont
from scipy import ndimage

from snellen.probes import backgrounds
from snellen.probes.render import COLOURS, blank, composite, font_path
from snellen.probes.suite import Suite, SuiteSpec
from snellen.probes.targets import target_mask
from snellen.probes.task import DEFAULT_SCALES, RenderProfile, get_family
from snellen.probes.words import FLAT_LETTERS, WORD_BANK, word_mask
from snellen.schema import SnellenError

SNELLEN = RenderProfile()
FINESIGHT = RenderProfile(name="finesight")
WHITE = np.array([255, 255, 255])


def task(family, profile=SNELLEN, **params):
    cls = get_family(family)
    return cls(cls.Params(**params), profile)


def draw(t, seed, **cell):
    cell.setdefault("contrast", 1.0)
    return t.draw(np.random.default_rng(seed), cell)


def pixel_ink_box(img, target, bg=WHITE):
    """Ink box of one target re-measured from the image: pixels whose difference from the background
    is at least half the target colour's difference, on its most different channel."""
    x0, y0, x1, y1 = target.support
    rgb = np.array(target.rgb)
    c = int(np.argmax(np.abs(rgb - bg)))
    d = abs(int(rgb[c]) - int(bg[c]))
    region = img[y0:y1, x0:x1, c].astype(int)
    ink = 2 * np.abs(region - int(bg[c])) >= d
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    return (x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1)


def alone_ink_box(mask, target):
    """The same mask rendered alone (white on black) and measured from those pixels."""
    canvas = blank(mask.h, mask.w, (0, 0, 0))
    composite(canvas, mask, 0, 0, (255, 255, 255))
    ink = canvas[..., 0] >= 128
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    x, y = target.support[:2]
    return (x + int(cols[0]), y + int(rows[0]), x + int(cols[-1]) + 1, y + int(rows[-1]) + 1)


def luminance(rgb):
    """WCAG relative luminance, written out independently of backgrounds.py."""
    c = np.asarray(rgb, dtype=float) / 255.0
    lin = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * lin[..., 0] + 0.7152 * lin[..., 1] + 0.0722 * lin[..., 2]


# --- word bank ----------------------------------------------------------------------------------


def test_flat_letters_are_exactly_those_spanning_cap_line_to_baseline():
    f = ImageFont.truetype(str(font_path()), 384)
    _, cap_top, _, base = f.getbbox("H", anchor="ls")
    flat = {c for c in string.ascii_uppercase if f.getbbox(c, anchor="ls")[1::2] == (cap_top, base)}
    assert flat == set(FLAT_LETTERS)
    assert not flat & set("CGJOQSU")


def test_every_bank_word_is_distinct_flat_and_has_ink_height_equal_to_cap_height():
    assert len(set(WORD_BANK)) == len(WORD_BANK) >= 60
    f = ImageFont.truetype(str(font_path()), 384)
    cap = f.getbbox("H", anchor="ls")
    for w in WORD_BANK:
        assert set(w) <= FLAT_LETTERS and w.isupper() and 3 <= len(w) <= 6, w
        b = f.getbbox(w, anchor="ls")
        assert (b[1], b[3]) == (cap[1], cap[3]), w


def test_every_bank_word_fits_every_grid_scale_exactly():
    for s in DEFAULT_SCALES:
        for w in WORD_BANK:
            assert word_mask(w, s, SNELLEN).ink_h == s, (w, s)


# --- counting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["shape", "block", "object"])
def test_counting_scale_from_pixels_and_counts_equal_components(category):
    t = task("counting", categories=(category,), counts=(6,), colours=("black", "blue", "red"),
             block_colours=("red", "green", "blue", "magenta", "purple", "black"))
    for i, s in enumerate(DEFAULT_SCALES):
        p = draw(t, 100 + i, scale=s, count=6)
        img = p.image
        assert p.answer["total"] == 6 == len(p.targets) == sum(p.answer["counts"].values())
        for tg in p.targets:
            assert pixel_ink_box(img, tg) == tg.box, (category, s, tg)
            assert max(tg.ink_h, tg.ink_w) == s
        assert p.measured_scale == s
        # connected components of everything that is not background, one per target
        labels, n = ndimage.label((img != 255).any(axis=2), structure=np.ones((3, 3)))
        assert n == 6, (category, s, n)
        tally = {}
        for k in range(1, n + 1):
            ys, xs = np.nonzero(labels == k)
            owner = [tg for tg in p.targets if tg.support[0] <= xs.min() and xs.max() < tg.support[2]
                     and tg.support[1] <= ys.min() and ys.max() < tg.support[3]]
            assert len(owner) == 1
            key = owner[0].attributes["count_key"]
            if category == "block":  # blocks are identified by colour: read it from the pixels
                cy, cx = (owner[0].box[1] + owner[0].box[3]) // 2, (owner[0].box[0] + owner[0].box[2]) // 2
                assert tuple(img[cy, cx]) == COLOURS[key]
            tally[key] = tally.get(key, 0) + 1
        assert tally == p.answer["counts"]


def test_counting_identities_prompt_and_analytic_chance():
    t = task("counting", counts=(4, 10))
    for seed in range(12):
        p = draw(t, seed, scale=12, count=10)
        keys = list(p.answer["counts"])
        k = len(keys)
        assert 2 <= k <= 6 and all(v >= 1 for v in p.answer["counts"].values())
        present = re.search(r"present: ([^.]*)\.", p.prompt_json).group(1).split(", ")
        assert present == keys
        assert p.chance == pytest.approx((10 - k + 1) ** -(k + 1))
        assert '{"counts": {"<' in p.prompt_json and "total" in p.prompt_free


def test_counting_finesight_uses_its_recipe_and_wording():
    t = task("counting", FINESIGHT, categories=("block",), counts=(8,))
    p = draw(t, 3, scale=12, count=8)
    assert p.prompt_json.startswith("The image contains colored blocks of different colors. Count the number of "
                                    "blocks for each color and provide the total. Answer in JSON format only: "
                                    '{"counts": {"<color>": <n>, ...}, "total": <N>}. Colors present: ')
    assert p.prompt_json.endswith("Colors are from: red, green, blue, yellow, cyan, magenta, orange, purple, pink, brown, black, gray.")
    assert set(p.answer["counts"]) <= {"red", "green", "blue", "yellow", "cyan", "magenta", "orange", "purple", "pink", "brown"}
    # FineSightBench blocks: filled size x size squares, no anti-aliasing
    for tg in p.targets:
        assert (tg.ink_h, tg.ink_w) == (12, 12)
        x0, y0, x1, y1 = tg.box
        assert (p.image[y0:y1, x0:x1] == COLOURS[tg.colour]).all()
    objs = draw(task("counting", FINESIGHT, categories=("object",)), 1, scale=24, count=4)
    assert set(objs.answer["counts"]) <= {"cat", "dog", "fish", "bird", "rabbit", "turtle"}


def test_counting_too_many_targets_names_the_parameter():
    t = task("counting", counts=(60,), categories=("block",))
    with pytest.raises(SnellenError, match="'counts'"):
        draw(t, 0, scale=48, count=60)
    with pytest.raises(ValueError, match="at least 2"):
        get_family("counting").Params(counts=(1, 4))


# --- blur_counting ------------------------------------------------------------------------------


def test_blur_background_is_byte_identical_for_a_seed_and_close_to_an_exact_gaussian():
    a = backgrounds.blurred_texture(np.random.default_rng(7), 448, 448, 12.0)
    b = backgrounds.blurred_texture(np.random.default_rng(7), 448, 448, 12.0)
    assert a.tobytes() == b.tobytes()
    assert a.tobytes() != backgrounds.blurred_texture(np.random.default_rng(8), 448, 448, 12.0).tobytes()
    field = np.asarray(backgrounds.textured_field(np.random.default_rng(7), 448, 448), dtype=float)
    assert 0.02 < (field != 255).any(axis=2).mean() < 0.12  # density 0.05 of dots (+ their rims)
    for sigma in (8.0, 20.0):
        exact = ndimage.gaussian_filter(field, (sigma, sigma, 0), mode="nearest", truncate=4.0)
        err = np.abs(backgrounds.fast_gaussian_blur(field.astype(np.uint8), sigma) - exact)
        assert err[20:-20, 20:-20].max() <= 5.0 and err.mean() < 1.0, (sigma, err[20:-20, 20:-20].max(), err.mean())


def test_blur_counting_scale_colours_contrast_and_determinism():
    t = task("blur_counting", counts=(4,))
    modes = set()
    for i, s in enumerate(DEFAULT_SCALES):
        p = draw(t, 200 + i, scale=s, count=4)
        again = draw(t, 200 + i, scale=s, count=4)
        assert p.image.tobytes() == again.image.tobytes() and p.answer == again.answer
        assert p.background == "blurred_texture" and p.extra["blur_radius"] in (8.0, 12.0, 16.0, 20.0)
        modes.add(p.extra["mode"])
        for tg in p.targets:
            mask = target_mask(tg.kind, tg.identity, s, t.profile)
            assert alone_ink_box(mask, tg) == tg.box and max(tg.ink_h, tg.ink_w) == s
            x, y = tg.support[:2]
            full = mask.alpha >= 1.0
            assert (p.image[y : y + mask.h, x : x + mask.w][full] == tg.rgb).all()  # pasted sharp, after the blur
            assert tg.support[0] >= 20 and tg.support[1] >= 20 and tg.support[2] <= 428 and tg.support[3] <= 428
            assert tg.attributes["contrast_wcag"]["wcag"] >= 1.0
        assert "(Ignore the background texture.)" in p.prompt_json
        assert sum(p.answer["counts"].values()) == p.answer["total"] == 4
    assert modes == {"by_colour", "by_identity"}


def test_blur_counting_finesight_by_colour_is_round_robin():
    t = task("blur_counting", FINESIGHT, modes=("by_colour",), counts=(8,))
    p = draw(t, 4, scale=16, count=8)
    assert p.answer["counts"] == {k: 1 for k in sorted(p.answer["counts"])} and len(p.answer["counts"]) == 8
    assert "Colors are from" not in p.prompt_json


# --- word ---------------------------------------------------------------------------------------


def test_word_scale_contrast_floor_from_pixels_and_answer():
    t = task("word")
    for i, s in enumerate(DEFAULT_SCALES):
        p = draw(t, 300 + i, scale=s)
        (tg,) = p.targets
        assert p.answer == {"word": tg.identity} and tg.identity in WORD_BANK
        mask = word_mask(tg.identity, s, SNELLEN)
        assert alone_ink_box(mask, tg) == tg.box and tg.ink_h == s == p.measured_scale
        photo = backgrounds.photo(p.extra["photo"], 448)
        x, y = tg.support[:2]
        under = photo[y : y + mask.h, x : x + mask.w][mask.alpha >= 0.5]
        lt, lb = luminance(np.array(tg.rgb)), luminance(under).mean()
        ratio = (max(lt, lb) + 0.05) / (min(lt, lb) + 0.05)
        assert ratio >= p.extra["contrast_floor"] == 4.5
        assert ratio == pytest.approx(tg.attributes["contrast_wcag"]["wcag"], rel=1e-3)
        assert (p.image[y : y + mask.h, x : x + mask.w][mask.alpha >= 1.0] == tg.rgb).all()
    assert p.fields[0].kind == "text" and p.chance == pytest.approx(1 / len(WORD_BANK))


def test_word_on_plain_background_measured_from_pixels():
    t = task("word", background="plain", colours=("black", "blue"))
    for i, s in enumerate(DEFAULT_SCALES):
        p = draw(t, 400 + i, scale=s)
        assert pixel_ink_box(p.image, p.targets[0]) == p.targets[0].box
        assert p.targets[0].ink_h == s


def test_word_impossible_floor_names_the_parameter_and_finesight_is_refused():
    with pytest.raises(SnellenError, match="'contrast_floor'"):
        draw(task("word", contrast_floor=20.0, colours=("pink",)), 0, scale=12)
    with pytest.raises(SnellenError, match="finesight"):
        task("word", FINESIGHT)
    with pytest.raises(SnellenError, match="finesight"):
        task("text_order", FINESIGHT)


# --- text_order and letter_count ----------------------------------------------------------------


@pytest.mark.parametrize("background", ["plain", "photo"])
def test_text_order_scale_and_order_recomputed_from_boxes(background):
    t = task("text_order", background=background, counts=(4,), colours=("black", "white", "blue", "red"))
    for i, s in enumerate(DEFAULT_SCALES):
        p = draw(t, 500 + i, scale=s, count=4)
        axis = 0 if "left to right" in p.prompt_json else 1
        boxes = {tg.identity: tg.box for tg in p.targets}
        for key in (lambda b: b[axis], lambda b: (b[axis] + b[axis + 2]) / 2, lambda b: b[axis + 2]):
            assert sorted(boxes, key=lambda w: key(boxes[w])) == p.answer["words"]
        starts = sorted(b[axis] for b in boxes.values())
        assert min(np.diff(starts)) >= max(4.0, 0.5 * s)
        for tg in p.targets:
            assert tg.ink_h == s
            if background == "plain":
                assert pixel_ink_box(p.image, tg) == tg.box
            else:
                assert alone_ink_box(word_mask(tg.identity, s, SNELLEN), tg) == tg.box
        assert len(set(p.answer["words"])) == 4


def test_text_order_chance_and_too_many_words():
    t = task("text_order", counts=(2,))
    p = draw(t, 1, scale=8, count=2)
    b = len(t.bank)
    assert p.chance == pytest.approx(1 / (b * (b - 1)))
    crowded = task("text_order", counts=(8,), min_letters=6, max_letters=6, directions=("left to right",))
    with pytest.raises(SnellenError, match="'counts'"):
        draw(crowded, 0, scale=48, count=8)


def test_letter_count_answer_from_words_and_prompt():
    t = task("letter_count", colours=("black", "blue", "red"))
    for i, s in enumerate(DEFAULT_SCALES):
        n = (2, 4, 6, 8)[i % 4]
        p = draw(t, 600 + i, scale=s, count=n)
        letter = re.search(r"contain the letter ([A-Z])\?", p.prompt_json).group(1)
        assert p.answer == {"total": len(p.targets), "with_letter": sum(letter in tg.identity for tg in p.targets)}
        for tg in p.targets:
            assert pixel_ink_box(p.image, tg) == tg.box and tg.ink_h == s
        labels, k = ndimage.label((p.image != 255).any(axis=2), structure=np.ones((3, 3)))
        assert k >= n  # letters may be separate components, words never merge
    assert p.chance == pytest.approx(1 / (7 * 9))


# --- all five through a suite -------------------------------------------------------------------


def test_families_generate_samples_through_a_suite_deterministically():
    spec = SuiteSpec(name="h2", version="1", tasks=[
        {"name": f, "family": f, "params": {"scales": [8], "per_cell": 1, **({"counts": [2]} if f != "word" else {})}}
        for f in ("counting", "blur_counting", "word", "text_order", "letter_count")
    ])
    first = [s for s in Suite(spec).samples()]
    second = [s for s in Suite(spec).samples()]
    assert [s.family for s in first] == ["counting", "blur_counting", "word", "text_order", "letter_count"]
    for a, b in zip(first, second):
        assert a.id == b.id and a.answer == b.answer and a.image.tobytes() == b.image.tobytes()
        assert a.measured_scale == 8 and a.meta()["targets"]
