"""FineSightBench in: the three published forms load into the same Samples, with the published truth."""

from __future__ import annotations

import json
import math
import shutil
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from snellen.data import finesight as fs
from snellen.schema import SnellenError

sys.path.insert(0, str(Path(__file__).parent))
import finesight_fixture as fx  # noqa: E402

ALL = {r["image_id"]: r for r in fx.PERCEPTION + fx.REASONING}

# image_id -> (task, family, kind, scale, count); written from the mapping in docs/interfaces.md.
EXPECTED = {
    "perception_letter_16px_00030": ("letter_recognition", "letter", "perception", 16, 1),
    "perception_animal_16px_00100": ("animal_recognition", "object", "perception", 16, 1),
    "perception_block_16px_00170": ("block_recognition", "presence", "perception", 16, 1),
    "perception_color_block_16px_00240": ("color_block_recognition", "colour", "perception", 16, 1),
    "perception_shape_16px_00310": ("shape_recognition", "shape", "perception", 16, 1),
    "textwild_perception_text_recognition_24px_00007": ("text_recognition", "word", "perception", 24, 1),
    "reasoning_spatial_chain_16px_n2_00036": ("spatial_chain", "ordering", "reasoning", 16, 2),
    "reasoning_comparison_chain_16px_n2_00120": ("comparison_chain", "comparison", "reasoning", 16, 2),
    "reasoning_counting_chain_16px_n2_00222": ("counting_chain", "counting", "reasoning", 16, 2),
    "reasoning_blur_chain_16px_n2_00330": ("blur_chain", "blur_counting", "reasoning", 16, 2),
    "textwild_reasoning_text_reading_chain_24px_n2_00011": ("text_reading_chain", "text_order", "reasoning", 24, 2),
    "textwild_reasoning_text_counting_chain_24px_n2_00012": ("text_counting_chain", "letter_count", "reasoning", 24, 2),
}
FIELD_NAMES = {
    "letter": ["letter"], "object": ["animal"], "presence": ["present"], "colour": ["color"], "shape": ["shape"],
    "word": ["word"], "ordering": ["objects"], "comparison": ["objects"], "counting": ["counts", "total"],
    "blur_counting": ["counts", "total"], "text_order": ["words"], "letter_count": ["total", "with_letter"],
}


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("finesight")
    fx.build_release(root / "release")
    fx.build_saved(root / "saved")
    fx.build_parquet(root / "parquet")
    return {
        "release": root / "release", "save_to_disk": root / "saved", "parquet": root / "parquet",
        "parquet_file": root / "parquet" / "data" / "perception-00000-of-00001.parquet",
        "perception_folder": root / "release" / "full_perception",
        "reasoning_folder": root / "release" / "full_reasoning",
    }


def by_image(source) -> dict:
    return {s.extra["image_id"]: s for s in source}


@pytest.mark.parametrize("form", ["release", "save_to_disk", "parquet"])
def test_every_form_loads_the_published_truth(forms, form):
    assert fs.detect(forms[form])
    source = fs.load(forms[form])
    assert len(source) == len(EXPECTED) == 12
    samples = by_image(source)
    assert set(samples) == set(EXPECTED)
    for image_id, (task, family, kind, scale, count) in EXPECTED.items():
        s = samples[image_id]
        question, answer = fx.JSONL[image_id]
        assert (s.task, s.family, s.kind, s.scale, s.count) == (task, family, kind, scale, count), image_id
        assert s.answer == answer
        assert s.prompts["json"] == question  # the published JSON prompt, verbatim
        assert [f.name for f in s.fields] == FIELD_NAMES[family]
        assert set(s.answer) == set(FIELD_NAMES[family])
        assert s.profile == "finesight" and s.split == "exam" and s.canvas == (448, 448)
        assert s.extra["task_type"] == ALL[image_id]["task_type"]


def test_ids_are_identical_across_forms_and_stable(forms):
    ids = {form: sorted(s.id for s in fs.load(forms[form])) for form in ("release", "save_to_disk", "parquet")}
    assert ids["release"] == ids["save_to_disk"] == ids["parquet"]
    assert len(set(ids["release"])) == 12
    assert ids["release"] == sorted(s.id for s in fs.load(forms["release"]))  # reload: same ids
    split_ids = {s.id for s in fs.load(forms["perception_folder"])} | {s.id for s in fs.load(forms["reasoning_folder"])}
    assert split_ids == set(ids["release"])


def test_split_folder_and_single_parquet_file(forms):
    perception = by_image(fs.load(forms["perception_folder"]))
    assert all(s.kind == "perception" for s in perception.values()) and len(perception) == 6
    reasoning = by_image(fs.load(forms["reasoning_folder"]))
    assert all(s.kind == "reasoning" for s in reasoning.values()) and len(reasoning) == 6
    assert fs.detect(forms["parquet_file"])
    assert {s.kind for s in fs.load(forms["parquet_file"])} == {"perception"}


def test_release_adds_free_prompt_and_version(forms):
    samples = by_image(fs.load(forms["release"]))
    for image_id, s in samples.items():
        assert s.prompts["free"] == ALL[image_id]["question"]
    assert samples["perception_letter_16px_00030"].suite_version == "1.1"
    assert samples["reasoning_counting_chain_16px_n2_00222"].suite_version == "2.0"
    hf = by_image(fs.load(forms["save_to_disk"]))
    assert "free" not in hf["perception_letter_16px_00030"].prompts  # the HF release drops the plain prompt


def test_measured_scale_comes_from_the_pixels(forms):
    samples = by_image(fs.load(forms["release"]))
    for image_id, want in fx.EXPECTED_MEASURED.items():
        assert samples[image_id].measured_scale == want, image_id
    shape = samples["perception_shape_16px_00310"]
    assert (shape.ink_h, shape.ink_w) == (13, 12)
    assert shape.targets[0].box == (327 + 2, 40 + 2, 327 + 14, 40 + 15)
    for image_id in ("reasoning_blur_chain_16px_n2_00330", "textwild_perception_text_recognition_24px_00007"):
        assert math.isnan(samples[image_id].measured_scale)
        assert "not plain white" in samples[image_id].extra["measured_scale_note"]


def test_targets_are_converted(forms):
    samples = by_image(fs.load(forms["release"]))
    chain = samples["reasoning_spatial_chain_16px_n2_00036"]
    assert [t.label for t in chain.targets] == ["purple triangle", "green hexagon"]
    assert chain.targets[0].support == (184, 104, 200, 120)  # position is the top-left of size x size
    assert chain.targets[0].rgb == (128, 0, 128) and chain.targets[0].nominal == 16
    comparison = samples["reasoning_comparison_chain_16px_n2_00120"]
    assert [t.nominal for t in comparison.targets] == [16, 32]
    assert samples["perception_animal_16px_00100"].targets[0].kind == "object"
    counting = samples["reasoning_counting_chain_16px_n2_00222"]
    assert [t.kind for t in counting.targets] == ["block", "block"]
    assert [t.colour for t in counting.targets] == ["purple", "red"]
    word = samples["textwild_reasoning_text_reading_chain_24px_n2_00011"]
    assert word.targets[0].support == (40, 300, 110, 325)  # text keeps its published bbox


def test_quirks(forms):
    samples = by_image(fs.load(forms["release"]))
    chain = samples["reasoning_spatial_chain_16px_n2_00036"]
    assert chain.task == "spatial_chain" and chain.extra["task_type"] == "chain_reasoning"
    assert chain.extra["direction"] == "left to right" and chain.extra["axis"] == "x"
    assert "defects" not in samples["perception_block_16px_00170"].extra  # one sample is no evidence of a constant answer
    blur = samples["reasoning_blur_chain_16px_n2_00330"]
    assert blur.background == "blurred texture" and blur.extra["background_claimed"] == "white"
    assert blur.extra["blur_radius"] == 12.0 and blur.extra["blur_mode"] == "by_color"
    reading = samples["textwild_reasoning_text_reading_chain_24px_n2_00011"]
    assert reading.extra["direction"] == "top to bottom" and reading.extra["axis"] == "y"
    counting = samples["textwild_reasoning_text_counting_chain_24px_n2_00012"]
    assert counting.extra["letter"] == "O"
    assert "contains 2 overlaid English words" in counting.extra["defects"]["prompt_states_answer"]
    assert "defects" not in samples["reasoning_comparison_chain_16px_n2_00120"].extra  # 16 and 32 px: 16 is drawn


def test_answer_spaces_give_analytic_chance(forms):
    samples = by_image(fs.load(forms["release"]))
    assert samples["perception_letter_16px_00030"].chance == pytest.approx(1 / 26)
    assert samples["perception_animal_16px_00100"].chance == pytest.approx(1 / 6)
    assert samples["perception_color_block_16px_00240"].chance == pytest.approx(1 / 11)
    assert samples["perception_block_16px_00170"].chance == pytest.approx(1 / 2)
    # 12 colours x 8 shapes, ordered pairs of distinct items
    assert samples["reasoning_spatial_chain_16px_n2_00036"].chance == pytest.approx(1 / (96 * 95))
    assert samples["reasoning_comparison_chain_16px_n2_00120"].chance == pytest.approx(1 / (12 * 11))
    options = samples["perception_color_block_16px_00240"].options
    assert options is not None and "black" not in options and len(options) == 11


def test_pixels_are_decoded_lazily_and_get_returns_the_sample(forms):
    source = fs.load(forms["parquet"])
    first = next(iter(source))
    assert first.image is None and first.png is not None
    px = first.pixels()
    assert px.shape == (448, 448, 3) and px.dtype == np.uint8
    again = source.get(first.id)
    assert again.answer == first.answer and again.png == first.png
    with pytest.raises(SnellenError, match="no sample with id"):
        source.get("nope")


# --- errors name the culprit ----------------------------------------------------------------------


def test_missing_image_is_named(forms, tmp_path):
    copy = tmp_path / "release"
    shutil.copytree(forms["release"], copy)
    victim = copy / "full_reasoning" / "images" / "reasoning_counting_chain_16px_n2_00222.png"
    victim.unlink()
    with pytest.raises(SnellenError, match="reasoning_counting_chain_16px_n2_00222.png: image missing"):
        fs.load(copy)


def test_malformed_jsonl_line_is_named(forms, tmp_path):
    copy = tmp_path / "full_perception"
    shutil.copytree(forms["perception_folder"], copy)
    lines = (copy / "labels.jsonl").read_text().splitlines()
    lines[2] = lines[2][:40]
    (copy / "labels.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(SnellenError, match=r"labels\.jsonl:3: malformed JSON line"):
        fs.load(copy)


def test_unknown_task_and_bad_answer_are_named(forms, tmp_path):
    copy = tmp_path / "full_perception"
    shutil.copytree(forms["perception_folder"], copy)
    recs = [json.loads(x) for x in (copy / "labels.jsonl").read_text().splitlines()]
    recs[1]["task_type"] = "telepathy"
    (copy / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))
    with pytest.raises(SnellenError, match=r"labels\.jsonl:2: unknown FineSightBench task_type 'telepathy'"):
        fs.load(copy)
    recs[1]["task_type"] = "animal_recognition"
    recs[1]["answer"] = "fish"  # a labels.json-style plain answer in labels.jsonl
    (copy / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))
    with pytest.raises(SnellenError, match=r"labels\.jsonl:2: answer must be the JSON answer dict"):
        fs.load(copy)


def test_corrupt_image_is_named_when_read(forms, tmp_path):
    copy = tmp_path / "full_perception"
    shutil.copytree(forms["perception_folder"], copy)
    (copy / "images" / "perception_shape_16px_00310.png").write_bytes(b"not a png")
    source = fs.load(copy)
    with pytest.raises(SnellenError, match="perception_shape_16px_00310.png: image cannot be decoded"):
        list(source)


def test_parquet_row_without_image_bytes_is_named(forms, tmp_path):
    table = pq.read_table(forms["parquet_file"])
    images = table.column("image").to_pylist()
    images[3] = {"bytes": None, "path": None}
    table = table.set_column(table.column_names.index("image"), "image", pa.array(images, type=table.schema.field("image").type))
    bad = tmp_path / "perception.parquet"
    pq.write_table(table, bad)
    with pytest.raises(SnellenError, match=r"perception\.parquet row 3 \(perception_color_block_16px_00240\): image missing"):
        fs.load(bad)


def test_other_layouts_are_not_detected(tmp_path):
    assert not fs.detect(tmp_path)
    (tmp_path / "notes.txt").write_text("hello")
    assert not fs.detect(tmp_path / "notes.txt")
    # snellen's own sample shards are Parquet too, with other columns
    pq.write_table(pa.table({"id": ["a"], "task": ["letter"], "prompt": ["q"], "answer": ["{}"]}), tmp_path / "shard-00000.parquet")
    assert not fs.detect(tmp_path)
    with pytest.raises(SnellenError, match="not a FineSightBench dataset"):
        fs.load(tmp_path)
    with pytest.raises(SnellenError, match="no such file or folder"):
        fs.load(tmp_path / "missing")
