"""Scale-out: `snellen train` under accelerate's launcher on 2 CPU processes (gloo), and device/precision choice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pytest

CONFIG = """name: tiny-ddp
model:
  build: {vision: {image_size: 32, patch_size: 16}}
stages:
  - name: sft
    trainer: sft
    data: {tasks: [letter], curriculum: uniform}
    trainable: {projector: 0.001, llm: 0.001}
    steps: 3
    batch_size: 2
    save_every: 2
    probe_every: 0
"""


@pytest.mark.slow
def test_two_processes_train_disjoint_slices_and_only_the_main_one_writes(tmp_path):
    accelerate = shutil.which("accelerate", path=str(Path(sys.executable).parent))
    assert accelerate, "accelerate's launcher is installed with snellen[train]"
    (tmp_path / "tiny.yaml").write_text(CONFIG)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cmd = [accelerate, "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1", "--mixed_precision", "no",
           "--dynamo_backend", "no", "-m", "snellen.train", "tiny.yaml", "--out", "out"]
    r = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=400)
    assert r.returncode == 0, r.stderr[-3000:]
    out = tmp_path / "out"
    run = json.loads((out / "run.json").read_text())
    assert run["status"] == "done" and run["environment"]["processes"] == 2
    assert r.stdout.count("trained model:") == 1  # one line, from the main process

    # Each process took its own half of every global batch (2 processes x batch 2) of the one stream.
    from snellen.train.config import load_config
    from snellen.train.data import ProbeStream

    stage_dir = out / "stages" / "01-sft"
    mine = [(stage_dir / f"samples-{rank}.txt").read_text().split() for rank in (0, 1)]
    stream = [s.id for s in islice(ProbeStream(load_config(tmp_path / "tiny.yaml").stages[0].data).samples(), 12)]
    for rank in (0, 1):
        expected = [stream[4 * step + 2 * rank + k] for step in range(3) for k in range(2)]
        assert mine[rank][:6] == expected, rank  # the loader may have read one batch ahead
    assert not set(mine[0]) & set(mine[1])

    # Only the main process wrote the metrics (one record per step) and the checkpoints' extras;
    # both saved their RNG state; the result is a model again.
    steps = [json.loads(x)["step"] for x in (stage_dir / "metrics.jsonl").read_text().splitlines() if '"loss"' in x]
    assert steps == [1, 2, 3]
    ckpt = stage_dir / "checkpoints" / "checkpoint-2"
    assert (ckpt / "rng_state_0.pth").is_file() and (ckpt / "rng_state_1.pth").is_file()
    from snellen.train.trainers import STAGE_FILE, load_model

    assert json.loads((out / "final" / STAGE_FILE).read_text())["steps"] == 3
    model, processor = load_model(out / "final")
    assert model.config.model_type == "llava" and processor is not None


@pytest.mark.parametrize("cuda, bf16_ok, mps, expected", [
    (True, True, False, {"use_cpu": False, "bf16": True}),    # A100/H100: bf16 mixed precision
    (True, False, False, {"use_cpu": False, "bf16": False}),  # T4/V100: no bf16, fp32
    (False, False, True, {"use_cpu": False, "bf16": False}),  # Apple silicon: the GPU, fp32
    (False, False, False, {"use_cpu": True, "bf16": False}),  # CPU only
])
def test_precision_follows_the_device_without_assuming_cuda(monkeypatch, cuda, bf16_ok, mps, expected):
    import torch

    from snellen.train import trainers

    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: bf16_ok)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
    if getattr(torch, "xpu", None) is not None:
        monkeypatch.setattr(torch.xpu, "is_available", lambda: False)
    assert trainers.precision() == expected
