"""`snellen export-task`: what each harness gets is every selected sample, lossless, with the suite's identity."""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from snellen.probes.suite import load_suite
from snellen.run import select_suite
from snellen.store import pixel_hash

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness_runs import snellen  # noqa: E402

ARGS = ["--suite", "acuity", "--tasks", "letter,counting", "--per-cell", "1", "--scales", "8,24"]


@pytest.fixture(scope="module")
def expected():
    suite = load_suite("acuity", per_cell=1, only=["letter", "counting"])
    samples = list(select_suite(suite, scales=[8, 24]).samples)
    return suite, {s.id: pixel_hash(s.pixels()) for s in samples}


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG"
        return np.asarray(im.convert("RGB"))


def _export(tmp_path: Path, to: str) -> tuple[Path, dict]:
    out = tmp_path / to
    r = snellen("export-task", *ARGS, "--to", to, "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "exported" in r.stdout and to in r.stdout
    record = json.loads((out / "snellen_export.json").read_text())
    return out, record


def _check_record(record, suite, pixels):
    assert record["suite"]["hash"] == suite.manifest_hash and record["suite"]["name"] == "acuity"
    assert record["snellen_version"] and record["images"].startswith("png")
    assert record["sample_pixels"] == pixels


def test_lmms_eval_export_is_a_parquet_task_with_every_sample_lossless(tmp_path, expected):
    import datasets
    import yaml

    suite, pixels = expected
    out, record = _export(tmp_path, "lmms-eval")
    _check_record(record, suite, pixels)
    ds = datasets.load_dataset("parquet", data_files={"test": str(out / "data" / "test.parquet")})["test"]
    assert sorted(ds["id"]) == sorted(pixels)
    for row in ds:
        assert pixel_hash(np.asarray(row["image"].convert("RGB"))) == pixels[row["id"]] == row["pixel_hash"]
        assert row["question"] == json.loads(row["meta"])["prompts"]["json"]

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!function", lambda loader, node: ("function", loader.construct_scalar(node)))
    cfg = yaml.load((out / "snellen_acuity.yaml").read_text(), Loader=Loader)
    assert cfg["task"] == "snellen_acuity" and cfg["metadata"]["snellen_suite_hash"] == suite.manifest_hash
    assert cfg["dataset_kwargs"]["data_files"]["test"] == str(out / "data" / "test.parquet")
    utils = (out / "utils.py").read_text()
    for key in ("doc_to_visual", "doc_to_text", "process_results"):
        kind, name = cfg[key]
        assert kind == "function" and f"def {name.split('.')[1]}(" in utils
    compile(utils, "utils.py", "exec")


def test_inspect_export_has_a_task_module_and_png_per_sample(tmp_path, expected):
    suite, pixels = expected
    out, record = _export(tmp_path, "inspect")
    _check_record(record, suite, pixels)
    rows = [json.loads(line) for line in (out / "samples.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in rows) == sorted(pixels)
    for r in rows:
        assert pixel_hash(_pixels((out / r["image"]).read_bytes())) == pixels[r["id"]]
    module = (out / "snellen_acuity.py").read_text()
    compile(module, "snellen_acuity.py", "exec")
    assert "@task" in module and "def snellen_acuity()" in module and suite.manifest_hash in module


def test_vlmevalkit_export_is_its_documented_tsv_with_base64_png(tmp_path, expected):
    import pandas as pd

    suite, pixels = expected
    out, record = _export(tmp_path, "vlmevalkit")
    _check_record(record, suite, pixels)
    frame = pd.read_csv(out / "snellen_acuity.tsv", sep="\t")
    assert list(frame.columns[:5]) == ["index", "image", "question", "answer", "options"]
    assert list(frame["index"]) == list(range(len(pixels)))
    for _, row in frame.iterrows():
        assert pixel_hash(_pixels(base64.b64decode(row["image"]))) == pixels[row["id"]]
    letters = frame[frame["task"] == "letter"]
    assert all(json.loads(o) == [chr(c) for c in range(65, 91)] for o in letters["options"])  # closed set
    assert all(len(a) == 1 for a in letters["answer"])
    compile((out / "snellen_vlmeval.py").read_text(), "snellen_vlmeval.py", "exec")


def test_export_refuses_unknown_harness_and_non_empty_folder(tmp_path):
    r = snellen("export-task", *ARGS, "--to", "lmms", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "unknown harness 'lmms'" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    r = snellen("export-task", *ARGS, "--to", "inspect", "--out", str(tmp_path / "full"))
    assert r.returncode == 2 and "not empty" in r.stderr
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"
