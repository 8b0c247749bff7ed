import io
import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from PIL import Image

from snellen.probes.encode import decode_png_fast, encode_png
from snellen.probes.suite import Suite, SuiteSpec
from snellen.probes.writer import FORMAT, HF_FEATURES, write_dataset
from snellen.schema import Sample, SnellenError

SPEC = {
    "name": "w", "version": "1", "seed": 1,
    "tasks": [
        {"name": "letter", "family": "letter", "params": {"scales": [4, 12], "per_cell": 3}},
        {"name": "digit", "family": "digit", "params": {"scales": [8], "per_cell": 2}},
    ],
}


def suite() -> Suite:
    return Suite(SuiteSpec(**SPEC))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("ds") / "out"
    result = write_dataset(suite(), out, shard_size=3, png_folder=True)
    return out, result


def test_manifest_and_shards_follow_the_layout(written):
    out, result = written
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == FORMAT and manifest["version"] == 1
    assert manifest["samples"] == result.samples == 8
    assert manifest["tasks"] == {"letter": 6, "digit": 2}
    assert [s["path"] for s in manifest["shards"]] == [f"data/shard-{i:05d}.parquet" for i in range(3)]
    assert [s["rows"] for s in manifest["shards"]] == [3, 3, 2]
    assert manifest["suite"]["name"] == "w" and manifest["suite"]["hash"] == suite().manifest_hash
    table = pq.read_table(out / "data" / "shard-00000.parquet")
    assert table.column_names == ["id", "task", "family", "kind", "split", "scale", "count", "prompt", "answer", "meta", "image"]
    assert json.loads(table.schema.metadata[b"huggingface"])["info"]["features"] == HF_FEATURES
    assert not list(out.rglob("*.tmp"))


def test_rows_round_trip_to_the_generated_samples(written):
    out, _ = written
    expected = list(suite().samples())
    rows = [r for k in range(3) for r in pq.read_table(out / "data" / f"shard-{k:05d}.parquet").to_pylist()]
    assert [r["id"] for r in rows] == [s.id for s in expected]
    for row, s in zip(rows, expected):
        assert json.loads(row["answer"]) == s.answer and row["scale"] == s.scale and row["count"] == len(s.targets)
        assert json.loads(row["meta"]) == json.loads(json.dumps(s.meta()))
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(row["image"]["bytes"]))), s.image)


def test_datasets_library_reads_pil_images(written):
    datasets = pytest.importorskip("datasets")
    out, _ = written
    ds = datasets.load_dataset("parquet", data_files=sorted(str(p) for p in (out / "data").glob("*.parquet")), split="train")
    assert isinstance(ds.features["image"], datasets.Image)
    first = ds[0]
    assert isinstance(first["image"], Image.Image)
    s = next(iter(suite().samples()))
    assert first["id"] == s.id and np.array_equal(np.asarray(first["image"].convert("RGB")), s.image)
    assert len(ds) == 8


def test_png_folder_and_jsonl(written):
    out, _ = written
    lines = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    expected = list(suite().samples())
    assert [ln["id"] for ln in lines] == [s.id for s in expected]
    for ln, s in zip(lines, expected):
        assert ln["image"] == f"images/{s.task}/{s.id}.png"
        assert np.array_equal(np.asarray(Image.open(out / ln["image"])), s.image)
        meta = dict(ln)
        meta.pop("image")
        assert Sample.from_meta(meta).answer == s.answer


def test_crash_leaves_only_complete_shards_and_no_manifest(tmp_path):
    samples = list(suite().samples())

    def dying():
        yield from samples[:4]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_dataset(dying(), tmp_path / "x", shard_size=3, png_folder=True)
    assert not (tmp_path / "x" / "manifest.json").exists()
    assert [p.name for p in (tmp_path / "x" / "data").iterdir()] == ["shard-00000.parquet"]
    assert pq.read_table(tmp_path / "x" / "data" / "shard-00000.parquet").num_rows == 3
    assert not list((tmp_path / "x").rglob("*.tmp"))


def test_existing_output_is_not_overwritten_unless_asked(written, tmp_path):
    out = tmp_path / "o"
    write_dataset(suite(), out, shard_size=100)
    with pytest.raises(SnellenError, match="already holds a dataset"):
        write_dataset(suite(), out)
    r = write_dataset(list(suite().samples())[:2], out, overwrite=True)
    assert r.samples == 2 and json.loads((out / "manifest.json").read_text())["samples"] == 2
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(SnellenError, match="not empty"):
        write_dataset(suite(), tmp_path / "other")


def test_samples_iterable_checks_types_and_duplicates(tmp_path):
    with pytest.raises(SnellenError, match="expects a Suite or Samples"):
        write_dataset([1, 2], tmp_path / "a")
    s = next(iter(suite().samples()))
    with pytest.raises(SnellenError, match="duplicate sample id"):
        write_dataset([s, s], tmp_path / "b")
    with pytest.raises(SnellenError, match="shard_size"):
        write_dataset([s], tmp_path / "c", shard_size=0)


@pytest.mark.parametrize("shape", [(448, 448, 3), (37, 53, 3), (1, 1, 3), (20, 30), (300, 5, 3)])
def test_encoder_round_trips_bit_exactly_through_pillow(shape):
    rng = np.random.default_rng(sum(shape))
    noisy = rng.integers(0, 256, shape, dtype=np.uint8)
    flat = np.full(shape, 200, dtype=np.uint8)
    flat[shape[0] // 2 :] = 17  # a run of repeated rows, a change, another run
    for image in (noisy, flat):
        data = encode_png(image)
        with Image.open(io.BytesIO(data)) as im:
            im.load()  # Pillow checks the zlib stream (Adler-32) and the chunk CRCs
            back = np.asarray(im)
        assert back.shape == image.shape and np.array_equal(back, image)
        assert np.array_equal(decode_png_fast(data), image)


def test_encoder_on_probe_images_and_bad_input():
    for s in list(suite().samples())[:4]:
        data = encode_png(s.image)
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(data))), s.image)
        assert len(data) < s.image.nbytes // 20  # flat backgrounds compress
    with pytest.raises(ValueError, match="uint8"):
        encode_png(np.zeros((4, 4, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="HxW"):
        encode_png(np.zeros((4, 4, 4), dtype=np.uint8))
    pillow_png = io.BytesIO()
    Image.fromarray(np.zeros((4, 4, 3), dtype=np.uint8)).save(pillow_png, "PNG")
    assert decode_png_fast(pillow_png.getvalue()) is None or np.array_equal(decode_png_fast(pillow_png.getvalue()), np.zeros((4, 4, 3)))


def test_decode_image_fast_path_equals_pillow_for_every_family():
    import io

    from PIL import Image

    from snellen.probes.suite import load_suite
    from snellen.schema import CorruptImageError, decode_image

    for s in load_suite("acuity", per_cell=1).samples():
        png = s.png_bytes()
        with Image.open(io.BytesIO(png)) as im:
            ref = np.asarray(im.convert("RGB"))
        assert np.array_equal(decode_image(png, s.id), ref), s.task
    with pytest.raises(CorruptImageError, match="broken"):
        decode_image(png[:-40] + bytes(40), "broken")


def test_a_png_whose_data_fails_its_checks_is_an_error_not_wrong_pixels():
    """Pillow alone decodes such a file into silently wrong pixels."""
    from snellen.probes.suite import load_suite
    from snellen.schema import CorruptImageError, decode_image

    s = next(load_suite("acuity", per_cell=1, only=["letter"]).samples())
    png = s.png_bytes()
    buf = io.BytesIO()
    Image.fromarray(s.image).save(buf, format="PNG")  # Pillow's own encoding takes the general path
    for good in (png, buf.getvalue()):
        for bad in (good[:-40] + bytes(40), good[:-30], good[:60] + bytes([good[60] ^ 0xFF]) + good[61:]):
            with pytest.raises(CorruptImageError, match="broken"):
                decode_image(bad, "broken")
