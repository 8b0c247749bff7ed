import json

import pytest

from snellen.probes.parallel import generate_row_batches, generate_rows
from snellen.probes.suite import Suite, SuiteSpec
from snellen.probes.writer import sample_row, write_dataset
from snellen.schema import SnellenError

SPEC = {
    "name": "p", "version": "1", "seed": 2,
    "tasks": [
        {"name": "letter", "family": "letter", "params": {"scales": [4, 8, 12], "per_cell": 4}},
        {"name": "digit", "family": "digit", "params": {"scales": [6, 16], "per_cell": 3}},
    ],
}


def suite(spec=SPEC) -> Suite:
    return Suite(SuiteSpec(**spec))


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_workers_write_byte_identical_folders(tmp_path):
    one = write_dataset(suite(), tmp_path / "one", shard_size=7, png_folder=True, workers=1)
    two = write_dataset(suite(), tmp_path / "two", shard_size=7, png_folder=True, workers=2)
    assert one.samples == two.samples == 18 and one.shards == two.shards == 3
    a, b = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert sorted(a) == sorted(b)
    assert len([k for k in a if k.endswith(".png")]) == 18
    assert all(a[k] == b[k] for k in a), [k for k in a if a[k] != b[k]]


def test_rows_come_in_work_order_and_equal_in_process_encoding():
    s = suite()
    expected = [sample_row(x) for x in s.samples()]
    for workers, chunk in ((1, 5), (2, 4), (3, 1)):
        rows = list(generate_rows(s, workers=workers, chunk_size=chunk))
        assert rows == expected, (workers, chunk)
    batches = list(generate_row_batches(s, workers=2, chunk_size=4))
    assert [len(b) for b in batches] == [4, 4, 4, 4, 2]


def test_train_split_uses_train_seeds(tmp_path):
    rows = list(generate_rows(suite(), split="train", workers=2, chunk_size=6))
    metas = [json.loads(r.meta) for r in rows]
    assert {m["split"] for m in metas} == {"train"} and all(m["seed"] >= 2**31 for m in metas)


def test_worker_errors_name_the_task_and_cell(tmp_path):
    crowded = {"name": "c", "version": "1", "tasks": [
        {"name": "crowd", "family": "ordering", "params": {"scales": [48], "counts": [40], "per_cell": 2, "kinds": ["shape"]}},
    ]}
    with pytest.raises(SnellenError, match=r"task 'crowd' cell .*'count': 40.*lower 'counts' or 'scales'"):
        write_dataset(suite(crowded), tmp_path / "x", workers=2)
    assert not (tmp_path / "x").exists()  # nothing complete was written, nothing left behind


def test_bad_worker_counts():
    with pytest.raises(SnellenError, match="workers must be >= 1"):
        list(generate_rows(suite(), workers=0))
    with pytest.raises(SnellenError, match="chunk_size"):
        list(generate_rows(suite(), chunk_size=0))


def test_every_family_is_byte_identical_across_worker_counts_and_runs(tmp_path):
    """Textured, photo and multi-target images compress very differently from flat ones: the PNG bytes must
    depend on the pixels alone, not on what a process encoded before (an encoder that kept state failed this)."""
    from snellen.probes.suite import load_suite

    quick = load_suite("quick", per_cell=1)
    runs = [("a", 1), ("b", 2), ("c", 1)]
    files = {}
    for name, workers in runs:
        write_dataset(quick, tmp_path / name, shard_size=50, workers=workers)
        files[name] = _files(tmp_path / name)
    assert files["a"] == files["b"] == files["c"]
