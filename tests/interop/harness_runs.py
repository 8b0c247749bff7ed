"""Run the real harnesses (lmms-eval, inspect_ai) on an exported snellen task against the fake VLM server.

The harness packages live in their own virtual environment (lmms-eval pins its own torch/torchvision and
transformers, which must not replace the project's): `scripts/harness_env.sh` builds it at .hvenv/, and
SNELLEN_HARNESS_PYTHON may point elsewhere. Harness runs are subprocesses, as a user would run them.

    python tests/interop/harness_runs.py   # rebuilds tests/interop/fixtures/ from real runs
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# What the fixtures and the round trip export: small, but three families with different answer fields.
EXPORT_ARGS = ["--suite", "acuity", "--tasks", "letter,relation,counting", "--per-cell", "1", "--scales", "8,24"]


def harness_python() -> Path | None:
    p = Path(os.environ.get("SNELLEN_HARNESS_PYTHON", ROOT / ".hvenv" / "bin" / "python"))
    return p if p.exists() else None


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "FAKE_"))}
    env.update({"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                "PYTHONPATH": str(ROOT / "src"), "INSPECT_DISPLAY": "plain", **extra})
    return env


def snellen(*args: str, python: str | Path = sys.executable, timeout: float = 300) -> subprocess.CompletedProcess:
    code = "import sys; from snellen.cli import main; sys.argv[0] = 'snellen'; main()"
    return subprocess.run([str(python), "-c", code, *args], capture_output=True, text=True, timeout=timeout,
                          env=_env({}))


def run_lmms(task_dir: Path, out: Path, base_url: str, extra_args: str = "") -> subprocess.CompletedProcess:
    py = harness_python()
    args = f"model_version=fake-vlm,base_url={base_url},api_key=EMPTY{extra_args}"
    return subprocess.run(
        [str(py), "-m", "lmms_eval", "--model", "openai", "--model_args", args, "--include_path", str(task_dir),
         "--tasks", "snellen_acuity", "--log_samples", "--output_path", str(out), "--batch_size", "1"],
        capture_output=True, text=True, timeout=480, cwd=out.parent, env=_env({}))


def run_inspect(task_dir: Path, log_dir: Path, base_url: str, extra: list[str] = ()) -> subprocess.CompletedProcess:
    inspect = Path(harness_python()).parent / "inspect"
    return subprocess.run(
        [str(inspect), "eval", "snellen_acuity.py", "--model", "openai-api/fake/fake-vlm", "--log-dir", str(log_dir),
         "--display", "plain", *extra],
        capture_output=True, text=True, timeout=300, cwd=task_dir,
        env=_env({"FAKE_BASE_URL": base_url, "FAKE_API_KEY": "EMPTY"}))


def main() -> None:
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fake_vlm import FakeVLM

    from api_server import ApiServer, Faults

    from snellen.probes.suite import load_suite
    from snellen.run import select_suite

    loaded = load_suite("acuity", per_cell=1, only=["letter", "relation", "counting"])
    samples = list(select_suite(loaded, scales=[8, 24]).samples)
    FIXTURES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for to in ("lmms-eval", "inspect"):
            r = snellen("export-task", *EXPORT_ARGS, "--to", to, "--out", str(tmp / to))
            assert r.returncode == 0, r.stderr
        # one request at a time; the first attempts fail with 500 (the SDK retries twice on its own, the
        # harness is told not to): each harness logs failed samples, which must import as errors
        faults = Faults(plan=["500"] * 6)
        with ApiServer(answer=FakeVLM.from_samples(samples), faults=faults) as server:
            r = run_lmms(tmp / "lmms-eval", tmp / "lmms-out", server.openai_base_url,
                         ",max_retries=1,retry_backoff_s=0,num_concurrent=1")
            assert r.returncode == 0, r.stderr[-3000:]
        (samples_file,) = (tmp / "lmms-out").rglob("*_samples_*.jsonl")
        (results_file,) = (tmp / "lmms-out").rglob("*_results.json")
        shutil.copy(samples_file, FIXTURES / "lmms_samples_snellen_acuity.jsonl")
        shutil.copy(results_file, FIXTURES / "lmms_results.json")
        with ApiServer(answer=FakeVLM.from_samples(samples), faults=faults) as server:
            r = run_inspect(tmp / "inspect", tmp / "logs", server.openai_base_url,
                            ["--max-retries", "0", "--max-connections", "1", "--no-fail-on-error",
                             "--no-log-images", "--log-format", "json"])
            assert r.returncode == 0, r.stderr[-3000:]
        (log,) = (tmp / "logs").glob("*.json")
        shutil.copy(log, FIXTURES / "inspect_log.json")
    print("fixtures written to", FIXTURES)


if __name__ == "__main__":
    main()
