"""SFT and GRPO stages through TRL on a tiny offline model: chaining, metrics, resume after a kill, the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from snellen.train.config import parse_config
from snellen.train.runner import run
from snellen.train.trainers import STAGE_FILE, last_checkpoint

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}


def two_stages(model: Path) -> dict:
    return {
        "name": "chain",
        "model": {"path": str(model)},
        "stages": [
            {"name": "sft", "trainer": "sft", "data": {"tasks": ["letter", "shape"]},
             "trainable": {"projector": 1e-2, "llm": 1e-2}, "steps": 2, "batch_size": 2, "probe_every": 1},
            {"name": "grpo", "trainer": "grpo", "data": {"tasks": ["letter"], "curriculum": "targeted", "window": 2},
             "trainable": {"projector": 1e-2}, "steps": 2, "batch_size": 4, "num_generations": 2,
             "max_completion_length": 6, "probe_every": 0},
        ],
    }


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_sft_then_grpo_chain_and_the_result_is_a_model(tiny_model, tmp_path):
    seen = []
    final = run(parse_config(two_stages(tiny_model)), tmp_path / "run", progress=seen.append)
    out = tmp_path / "run"
    assert final == out / "final" and (final / "config.json").is_file()
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["status"] == "done" and [c["status"] for c in manifest["chain"]] == ["done", "done"]
    s1 = json.loads((out / "stages/01-sft/final" / STAGE_FILE).read_text())
    s2 = json.loads((out / "stages/02-grpo/final" / STAGE_FILE).read_text())
    # stage 2 started from stage 1's weights, not from the base model
    assert s2["start_model"] == str(out / "stages/01-sft/final")
    assert s2["fingerprints_before"] == s1["fingerprints_after"]
    assert s1["suite_hash"] and s2["environment"]["packages"]["trl"]
    # GRPO logs rewards and the share of groups without signal at every step
    grpo = [r for r in records(out / "stages/02-grpo/metrics.jsonl") if "reward" in r]
    assert [r["step"] for r in grpo] == [1, 2]
    assert all(0.0 <= r["zero_signal_share"] <= 1.0 and "rewards/accuracy/mean" in r for r in grpo)
    assert all("difficulty_level" in r for r in grpo)
    sft = records(out / "stages/01-sft/metrics.jsonl")
    assert any("loss" in r for r in sft)
    dep = [r["image_dependence"] for r in sft if "image_independent" in r]
    assert dep and all(d >= 0 for d in dep)
    assert {r["stage"] for r in seen} == {"sft", "grpo"}
    # the trained checkpoint loads in the hf backend and answers
    from snellen.models.backends.hf import HFBackend
    from snellen.models.base import GenerationSettings, Request
    from snellen.probes.suite import load_suite

    sample = next(load_suite("quick", per_cell=1, only=["letter"]).samples())
    backend = HFBackend(str(final))
    [resp] = backend.answer([Request(sample, sample.prompts["json"], GenerationSettings(max_tokens=4))])
    assert resp.error is None and isinstance(resp.text, str)


def test_existing_out_needs_resume(tiny_model, tmp_path):
    from snellen.schema import SnellenError

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "f").write_text("")
    cfg = parse_config(two_stages(tiny_model))
    with pytest.raises(SnellenError, match="already holds files; pass --resume"):
        run(cfg, tmp_path / "x")
    with pytest.raises(SnellenError, match="holds no training run"):
        run(cfg, tmp_path / "x", resume=True)


@pytest.mark.slow
def test_resume_after_a_kill(tiny_model, tmp_path):
    cfg = {"name": "kill", "model": {"path": str(tiny_model)},
           "stages": [{"name": "s", "trainer": "sft", "data": {"tasks": ["letter"]}, "trainable": {"llm": 1e-3},
                       "steps": 6, "batch_size": 2, "save_every": 1, "probe_every": 0}]}
    path = tmp_path / "kill.yaml"
    path.write_text(yaml.safe_dump(cfg))
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "snellen.train", str(path), "--out", str(out)]
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    ckpts = out / "stages/01-s/checkpoints"
    deadline = time.time() + 300
    try:
        while time.time() < deadline and proc.poll() is None:
            ck = last_checkpoint(ckpts)
            if ck is not None and int(ck.name.split("-")[1]) >= 2:
                break
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    killed_at = int(last_checkpoint(ckpts).name.split("-")[1])
    assert killed_at < 6 and not (out / "stages/01-s/final").exists()
    assert json.loads((out / "run.json").read_text())["status"] == "running"  # killed: no chance to write more
    again = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
    assert again.returncode == 2 and "pass --resume" in again.stderr and again.stderr.count("\n") == 1
    done = subprocess.run(cmd + ["--resume"], env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    # transformers' own chatter (weight-loading bars, FutureWarnings about its API) stays out of the output
    assert "Loading weights" not in done.stderr and "FutureWarning" not in done.stderr, done.stderr[-2000:]
    state = json.loads((last_checkpoint(ckpts) / "trainer_state.json").read_text())
    assert state["global_step"] == 6
    steps = [r["step"] for r in records(out / "stages/01-s/metrics.jsonl") if "loss" in r]
    assert steps.count(1) == 1 and max(steps) == 6  # resumed, not restarted
    assert (out / "final" / "config.json").is_file()


def test_cli_dry_run_and_errors(tiny_model, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(yaml.safe_dump(two_stages(tiny_model)))
    snellen = [sys.executable, "-m", "snellen.train"]
    dry = subprocess.run(snellen + [str(cfg), "--out", str(tmp_path / "o"), "--dry-run"], env=ENV,
                         capture_output=True, text=True, timeout=300)
    assert dry.returncode == 0, dry.stderr[-2000:]
    assert "stage plan: chain" in dry.stdout and "grpo parameters" in dry.stdout
    assert "vision" in dry.stdout and "frozen" in dry.stdout and '"answer"' in dry.stdout
    assert not (tmp_path / "o").exists()
    typo = subprocess.run(snellen + ["perception-frist", "--out", str(tmp_path / "o")], env=ENV, capture_output=True, text=True)
    assert typo.returncode == 2 and typo.stderr.startswith("snellen: error: unknown training config 'perception-frist'")
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**two_stages(tiny_model), "stages": []}))
    res = subprocess.run(snellen + [str(bad), "--out", str(tmp_path / "o")], env=ENV, capture_output=True, text=True)
    assert res.returncode == 2 and res.stderr.strip().endswith("stages: empty stage list: a config needs at least one stage")
    assert res.stderr.count("\n") == 1
