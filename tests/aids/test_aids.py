"""Acuity aids (upscale, tiles, crop): what the inner model sees, measured from its pixels; merge rules;
unsupported families; costs adding up; bad specs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from snellen.models.aids import render_view
from snellen.models.backends.crop import parse_cell
from snellen.models.backends.tiles import tile_boxes
from snellen.models.base import Backend, GenerationSettings, Request, Response, load_backend, register_backend
from snellen.probes.suite import load_suite
from snellen.run import evaluate
from snellen.schema import SnellenError
from snellen.scoring.frame import score_run
from snellen.store import Run

SEEN: list[np.ndarray] = []


def ink_box(img: np.ndarray, rgb=None) -> tuple[int, int, int, int] | None:
    """Box of pixels at least half-way from the white background to the target colour (snellen's ink rule);
    without a colour, any pixel at least half-way from white to its darkest pixel."""
    d = 255.0 - img.astype(float)
    if rgb is not None:
        full = 255.0 - np.asarray(rgb, float)
        mask = (d * full).sum(axis=2) / max((full * full).sum(), 1e-9) >= 0.5
    else:
        g = d.mean(axis=2)
        mask = g >= max(g.max(), 1e-9) / 2 if g.max() > 40 else np.zeros(g.shape, bool)
    ys, xs = np.nonzero(mask)
    return None if ys.size == 0 else (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


@register_backend("t-eye")
class EyeBackend(Backend):
    """Answers the truth only where a target's ink is in the image it received (so a lost target shows);
    answers the locate question with the cell holding the ink's centre; encoder = what it received."""

    def answer(self, requests):
        out = []
        for r in requests:
            img = r.sample.pixels()
            SEEN.append(img)
            box = ink_box(img)
            size = (img.shape[1], img.shape[0])
            if "Which cell holds the target" in r.prompt:
                if box is None or self.options.get("lost"):
                    text = "I cannot tell."
                else:
                    cx, cy = (box[0] + box[2]) / 2 / size[0], (box[1] + box[3]) / 2 / size[1]
                    rows, cols = ("top", "middle", "bottom"), ("left", "center", "right")
                    text = json.dumps({"row": rows[min(2, int(cy * 3))], "column": cols[min(2, int(cx * 3))]})
            else:
                text = json.dumps(r.sample.answer) if box is not None else "nothing here"
            out.append(Response(text=text, input_tokens=100, output_tokens=7, latency_s=0.5, sent_size=size, encoder_size=size))
        return out


def _samples(task: str, n: int = 1, scales=None):
    suite = load_suite("acuity", per_cell=n, only=[task])
    items = [it for it in suite.work() if scales is None or dict(it.cell)["scale"] in scales]
    return list(suite.samples(items=items))


@pytest.mark.parametrize("factor", [2, 3])
def test_upscale_target_measures_n_times_k_from_pixels_and_effective_px_says_so(factor):
    for s in _samples("letter", scales={4, 8, 16}):
        view = load_backend(f"upscale:{factor},method=nearest/t-eye").views(s)[0]
        seen = render_view(s, view, "nearest").pixels()
        b, b0 = ink_box(seen), ink_box(s.pixels())
        assert (b[3] - b[1]) == factor * (b0[3] - b0[1]) == factor * s.scale  # letters by ink height
        resp = load_backend(f"upscale:{factor},method=nearest/t-eye").answer([Request(s, s.prompts["json"], GenerationSettings())])[0]
        assert resp.resize_ratio == pytest.approx(factor)  # effective px = N x K
    # bicubic keeps the 50%-coverage edges within a pixel
    s = _samples("letter", scales={8})[0]
    seen = render_view(s, load_backend("upscale:4/t-eye").views(s)[0], "bicubic").pixels()
    b = ink_box(seen, s.targets[0].rgb)
    assert abs((b[3] - b[1]) - 32) <= 1


@pytest.mark.parametrize("rows,cols,overlap", [(2, 2, 64), (3, 3, 48), (2, 3, 0), (1, 2, 100)])
def test_tiles_cover_the_canvas_with_the_declared_overlap(rows, cols, overlap):
    boxes = tile_boxes(448, 448, rows, cols, overlap)
    assert len(boxes) == rows * cols
    cover = np.zeros((448, 448), int)
    for x0, y0, x1, y1 in boxes:
        cover[y0:y1, x0:x1] += 1
    assert cover.min() >= 1
    xs = sorted({(b[0], b[2]) for b in boxes})
    for (a0, a1), (b0, b1) in zip(xs, xs[1:]):
        assert a1 - b0 == pytest.approx(overlap, abs=1)
    assert len({(b[2] - b[0], b[3] - b[1]) for b in boxes}) == 1  # every tile the same size (one magnification)


def test_no_single_target_is_lost_at_a_seam():
    backend = load_backend("tiles:2x2/t-eye")
    checked = 0
    for task in ("letter", "digit", "shape", "object", "word"):
        for s in _samples(task, n=3):
            if not backend.supports(s):
                assert max(s.targets[0].support[2] - s.targets[0].support[0], s.targets[0].support[3] - s.targets[0].support[1]) > 64
                continue
            views = backend.views(s)
            whole = [v for v in views if all(v.box[0] <= t.support[0] and v.box[1] <= t.support[1] and
                                               t.support[2] <= v.box[2] and t.support[3] <= v.box[3] for t in s.targets)]
            assert whole, f"{s.id}: target cut by every tile"
            checked += 1
    assert checked >= 60


def test_tiles_vote_finds_the_target_and_costs_add_up():
    s = _samples("letter", scales={6})[0]
    resp = load_backend("tiles:2x2/t-eye").answer([Request(s, s.prompts["json"], GenerationSettings())])[0]
    assert json.loads(resp.text) == s.answer  # empty tiles answered "nothing here" (unparseable): no vote
    assert resp.input_tokens == 400 and resp.output_tokens == 28 and resp.latency_s == pytest.approx(2.0)
    assert resp.raw["merge"]["rule"] == "vote" and resp.raw["merge"]["parsed"] >= 1
    w = 448 / (resp.sent_size[0])
    assert resp.resize_ratio == pytest.approx(w)  # each tile magnified to the canvas


def test_crop_auto_locates_then_answers_on_the_magnified_region():
    s = _samples("letter", scales={8})[0]
    resp = load_backend("crop:auto/t-eye").answer([Request(s, s.prompts["json"], GenerationSettings())])[0]
    assert json.loads(resp.text) == s.answer
    assert resp.raw["merge"]["located"] is not None
    assert resp.input_tokens == 200  # two passes
    assert resp.resize_ratio == pytest.approx(448 / resp.sent_size[0]) and resp.resize_ratio > 1.9
    lost = load_backend("crop:auto/t-eye", {"lost": True}).answer([Request(s, s.prompts["json"], GenerationSettings())])[0]
    assert lost.text == "" and "names no cell" in lost.raw["merge"]["reason"]


def test_parse_cell_takes_the_final_answer():
    assert parse_cell('{"row": "top", "column": "left"}', 3) == (0, 0)
    assert parse_cell("First I thought top left, but it is in the bottom right corner.", 3) == (2, 2)
    assert parse_cell("middle row, centre column", 3) == (1, 1)
    assert parse_cell("no idea", 3) is None


def test_wrapper_around_unsupported_family_is_unsupported_not_scored(tmp_path):
    samples = _samples("counting") + _samples("letter", scales={8})
    evaluate("tiles:2x2/t-eye", samples, tmp_path / "run", progress=False)
    df = score_run(Run(tmp_path / "run", create=False))
    assert set(df.loc[df.task == "counting", "outcome"]) == {"unsupported"}
    assert set(df.loc[df.task == "letter", "outcome"]) == {"correct"}
    # OCR engines cannot answer crop's locate question: unsupported, never wrong
    assert not load_backend("crop:auto/random").supports(samples[-1])


def test_aid_settings_are_part_of_the_identity():
    a, b = load_backend("upscale:2/t-eye"), load_backend("upscale:3/t-eye")
    assert a.identity() != b.identity() and a.transmission() != b.transmission()
    nested = load_backend("upscale:2/tiles:2x2,overlap=32/t-eye")
    assert nested.identity()["inner"]["aid"]["overlap"] == 32


@pytest.mark.parametrize("spec,needle", [
    ("upscale:2", "wraps a model"), ("upscale:x/t-eye", "factor"), ("upscale:2,method=fancy/t-eye", "unknown method"),
    ("tiles:2/t-eye", "RxC"), ("tiles:1x1/t-eye", "RxC"), ("tiles:2x2,overlap=-3/t-eye", "overlap"),
    ("crop:manual/t-eye", "auto"), ("upscale:2/nosuch:model", "unknown model backend"),
])
def test_bad_aid_specs_are_one_line_errors(spec, needle):
    with pytest.raises(SnellenError, match=needle) as info:
        load_backend(spec)
    assert "\n" not in str(info.value)


@register_backend("t-eye-async")
class AsyncEye(EyeBackend):
    is_async = True

    async def answer_async(self, request):
        return self.answer([request])[0]


def test_aids_around_an_async_model_run_their_passes_concurrently_and_add_costs(tmp_path):
    samples = _samples("letter", scales={6, 24})
    for spec, passes in (("tiles:2x2/t-eye-async", 4), ("crop:auto/t-eye-async", 2), ("upscale:2/t-eye-async", 1)):
        backend = load_backend(spec)
        assert backend.is_async
        out = tmp_path / spec.split(":")[0]
        evaluate(backend, samples, out, progress=False)
        df = score_run(Run(out, create=False))
        assert set(df["outcome"]) == {"correct"}, spec
        assert (df["tokens"] == 107 * passes).all() and np.allclose(df["latency_s"], 0.5 * passes)
