"""`snellen exam --max-tokens`: the limit reaches the model's generation and is recorded in the run manifest."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = """name: two-letters
version: "1"
seed: 0
profile: {name: snellen}
tasks:
  - {name: letter, family: letter, params: {scales: [16, 32], per_cell: 2}}
"""


@pytest.fixture(scope="module")
def tiny_hf(tmp_path_factory):
    from snellen.train.model_builder import BuildSpec, VisionSpec, build_model

    return build_model(BuildSpec(vision=VisionSpec(image_size=32, patch_size=16)), tmp_path_factory.mktemp("exam") / "m")


def snellen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-c", "import sys; from snellen.cli import main; sys.argv[0] = 'snellen'; main()", *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_exam_max_tokens_limits_generation_and_is_recorded(tiny_hf, tmp_path):
    (tmp_path / "suite.yaml").write_text(SUITE)
    r = snellen("exam", "--model", f"hf:{tiny_hf}", "--suite", "suite.yaml", "--per-cell", "2", "--out", "run",
                "--max-tokens", "3", "--no-report", cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    from snellen.store import open_run

    with open_run(tmp_path / "run") as run:
        assert run.manifest["settings"]["max_tokens"] == 3
    with sqlite3.connect(tmp_path / "run" / "store.sqlite") as db:
        tokens = [row[0] for row in db.execute("SELECT output_tokens FROM responses")]
    # A random model never stops by itself: every answer runs into the limit, and none passes it.
    assert len(tokens) == 4 and all(t == 3 for t in tokens), tokens


@pytest.mark.parametrize("bad", ["0", "many"])
def test_exam_max_tokens_typos_are_refused_before_anything_runs(tmp_path, monkeypatch, capsys, bad):
    from snellen.cli import main

    monkeypatch.setattr(sys, "argv", ["snellen", "exam", "--model", "random", "--suite", "quick", "--max-tokens", bad,
                                      "--out", str(tmp_path / "run")])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2 and "--max-tokens" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()
