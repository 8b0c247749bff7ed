import json
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from snellen.data import SampleSource, open_dataset
from snellen.probes.suite import Suite, SuiteSpec
from snellen.probes.writer import write_dataset
from snellen.schema import SnellenError

SPEC = {"name": "d", "version": "1", "tasks": [{"name": "letter", "family": "letter", "params": {"scales": [4, 12], "per_cell": 3}}]}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("open") / "ds"
    write_dataset(Suite(SuiteSpec(**SPEC)), out, shard_size=4, png_folder=True)
    return out


@pytest.fixture
def copy(folder, tmp_path):
    import shutil

    dst = tmp_path / "ds"
    shutil.copytree(folder, dst)
    return dst


def _expected():
    return list(Suite(SuiteSpec(**SPEC)).samples())


@pytest.mark.parametrize("which", ["folder", "jsonl", "manifest"])
def test_opens_parquet_and_png_folder_layouts(folder, which):
    path = {"folder": folder, "jsonl": folder / "samples.jsonl", "manifest": folder / "manifest.json"}[which]
    src = open_dataset(path)
    assert isinstance(src, SampleSource)
    assert src.name == "d" and src.manifest["format"] == "snellen-samples" and len(src) == 6
    got, expected = list(src), _expected()
    assert [s.id for s in got] == [s.id for s in expected]
    for a, b in zip(got, expected):
        assert a.image is None and a.png is not None  # pixels are decoded lazily
        assert np.array_equal(a.pixels(), b.image) and a.meta() == json.loads(json.dumps(b.meta()))
    picked = src.get(expected[4].id)
    assert picked.id == expected[4].id and np.array_equal(picked.pixels(), expected[4].image)
    with pytest.raises(SnellenError, match="no sample with id"):
        src.get("nope")


def test_png_folder_without_parquet(copy):
    import shutil

    shutil.rmtree(copy / "data")
    (copy / "manifest.json").unlink()
    src = open_dataset(copy)
    assert len(src) == 6 and [s.id for s in src] == [s.id for s in _expected()]


def test_missing_and_unknown_layouts(tmp_path):
    with pytest.raises(SnellenError, match="does not exist"):
        open_dataset(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SnellenError, match=r"empty: not a dataset snellen can read"):
        open_dataset(tmp_path / "empty")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "manifest.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(SnellenError, match=r"manifest.json: format 'something-else'"):
        open_dataset(tmp_path / "other")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "manifest.json").write_text("{not json")
    with pytest.raises(SnellenError, match=r"broken/manifest.json: not valid JSON"):
        open_dataset(tmp_path / "broken")


def test_interrupted_dataset_without_manifest(copy):
    (copy / "manifest.json").unlink()
    (copy / "samples.jsonl").unlink()
    with pytest.raises(SnellenError, match="no manifest.json: the dataset was not completely written"):
        open_dataset(copy)


def test_missing_shard_and_row_count_mismatch(copy):
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "data" / "shard-00001.parquet").unlink()
    with pytest.raises(SnellenError, match=r"shard-00001.parquet: shard listed in .* is missing"):
        open_dataset(copy)
    manifest["shards"] = manifest["shards"][:1]
    manifest["shards"][0]["rows"] = 5
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SnellenError, match=r"shard-00000.parquet: holds 4 rows but"):
        open_dataset(copy)


def test_corrupt_parquet_names_the_shard(copy):
    path = copy / "data" / "shard-00000.parquet"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SnellenError, match=r"shard-00000.parquet: corrupt Parquet file"):
        open_dataset(copy)


def test_corrupt_image_in_a_shard_names_shard_row_and_sample(copy):
    path = copy / "data" / "shard-00001.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[1]["image"]["bytes"] = rows[1]["image"]["bytes"][:200]  # truncated PNG
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    with pytest.raises(SnellenError, match=r"shard-00001.parquet: checksum does not match"):
        open_dataset(copy)  # the manifest's sha256 catches it at open, before any sample is read
    src = open_dataset(copy, checksums=False)  # below that, each PNG is still checked as it is read
    with pytest.raises(SnellenError, match=rf"shard-00001.parquet row 1 \(sample {rows[1]['id']}\): PNG is truncated"):
        list(src)


def test_png_folder_errors_name_the_file(copy):
    src_path = copy / "samples.jsonl"
    lines = src_path.read_text().splitlines()
    victim = json.loads(lines[2])["image"]
    (copy / victim).unlink()
    with pytest.raises(SnellenError, match=rf"{victim}: image file listed in .*samples.jsonl line 3 is missing"):
        list(open_dataset(src_path))
    src_path.write_text("\n".join(lines[:1] + ["{oops"] + lines[3:]) + "\n")
    with pytest.raises(SnellenError, match=r"samples.jsonl line 2: not valid JSON"):
        list(open_dataset(src_path))
    first = json.loads(lines[0])
    (copy / first["image"]).write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    src_path.write_text(lines[0] + "\n")
    with pytest.raises(SnellenError, match=rf"{first['image']}: PNG"):
        list(open_dataset(src_path))


def test_missing_finesight_loader_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "snellen.data.finesight", None)  # as if the module were absent
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "labels.jsonl").write_text("{}\n")
    with pytest.raises(SnellenError, match="FineSightBench loader .* is not available"):
        open_dataset(tmp_path / "x")
