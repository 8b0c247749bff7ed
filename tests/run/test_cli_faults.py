"""Commands as a user types them when things go wrong: the same folder twice, a flipped bit, a kill, a
read-only folder, a full disk, Ctrl-C. Each ends in one line (or the eval summary), a clear exit status,
and nothing computed lost."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from cli_helpers import sigint_as_in_a_terminal
from snellen.store import open_run
from test_cli import DRIVER, GLYPHS, HERE, records, run_cli, snellen, stored_rows

sys.path.insert(0, str(Path(__file__).parents[1] / "models"))
import api_server as srv  # noqa: E402


def one_error_line(stderr: str) -> str:
    """The last stderr line, after checking stderr holds no traceback and exactly one error line."""
    assert "Traceback" not in stderr, stderr
    assert stderr.count("snellen: error:") == 1, stderr
    return stderr.strip().splitlines()[-1]


def generate(out: Path, *extra) -> None:
    code, _, stderr = run_cli("generate", "--suite", GLYPHS, "--per-cell", "2", "--out", out, *extra)
    assert code == 0, stderr


def test_a_run_into_its_own_dataset_folder_and_the_reverse_are_refused(tmp_path):
    gen = tmp_path / "gen"
    generate(gen)
    manifest = (gen / "manifest.json").read_bytes()
    code, _, stderr = run_cli("eval", "--model", "t-echo", "--data", gen, "--out", gen)
    assert code == 2 and "holds a snellen dataset, not a run" in one_error_line(stderr)
    assert (gen / "manifest.json").read_bytes() == manifest and not (gen / "store.sqlite").exists()
    code, _, stderr = run_cli("verify", gen)
    assert code == 0, stderr  # the dataset is still readable

    run = tmp_path / "run"
    code, _, stderr = run_cli("eval", "--model", "t-echo", "--data", gen, "--out", run)
    assert code == 0, stderr
    before = records(run)
    for extra in ([], ["--overwrite"]):
        code, _, stderr = run_cli("generate", "--suite", GLYPHS, "--per-cell", "1", "--out", run, *extra)
        assert code == 2 and "holds a snellen run" in one_error_line(stderr)
    assert records(run) == before and json.loads((run / "manifest.json").read_text())["format"] == "snellen-run"


def test_a_flipped_bit_in_a_shard_stops_the_eval_before_any_prompt(tmp_path):
    gen = tmp_path / "gen"
    generate(gen)
    shard = gen / "data" / "shard-00000.parquet"
    raw = bytearray(shard.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # inside the (uncompressed) PNG bytes: Parquet itself reads fine
    shard.write_bytes(bytes(raw))
    calls = tmp_path / "calls.txt"
    code, _, stderr = run_cli("eval", "--model", "t-echo", "--data", gen, "--out", tmp_path / "run",
                              "--option", f"calls_file={calls}")
    line = one_error_line(stderr)
    assert code == 2 and "shard-00000.parquet" in line and "checksum" in line
    assert not calls.exists(), "prompts were sent from a corrupt shard"
    code, stdout, _ = run_cli("verify", gen)
    assert code == 1 and "checksum" in stdout  # verify still lists it as a defect


def test_an_interrupted_png_generate_can_be_overwritten(tmp_path):
    out = tmp_path / "gen"
    # one big shard: the kill lands after PNG files were written but before any shard or manifest
    p = snellen("generate", "--suite", GLYPHS, "--per-cell", "40", "--png", "--shard-size", "100000", "--out", out)
    deadline = time.time() + 60
    while not any((out / "images").rglob("*.png")) and time.time() < deadline and p.poll() is None:
        time.sleep(0.01)
    assert p.poll() is None, "generate finished before it could be killed"
    p.send_signal(signal.SIGKILL)
    p.communicate()
    assert not (out / "manifest.json").exists() and any((out / "images").rglob("*.png"))
    code, _, stderr = run_cli("generate", "--suite", GLYPHS, "--per-cell", "1", "--png", "--out", out)
    assert code == 2 and "incomplete dataset" in one_error_line(stderr) and "--overwrite" in stderr
    code, _, stderr = run_cli("generate", "--suite", GLYPHS, "--per-cell", "1", "--png", "--out", out, "--overwrite")
    assert code == 0, stderr
    code, stdout, stderr = run_cli("verify", out)
    assert code == 0 and "8 samples" in stdout.replace(",", ""), stdout + stderr
    assert not (out / ".snellen-writing").exists()


# -- read-only folders and full disks: a real (tiny) file system ---------------------------------------


@contextlib.contextmanager
def tmpfs(where: Path, size: str):
    """A tmpfs of `size` mounted at `where` (needs root); skipped where it cannot be mounted."""
    where.mkdir(parents=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root; run as root to test full disks and read-only folders")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", f"snellen-{uuid.uuid4().hex[:6]}", str(where)],
                       capture_output=True, text=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount_ro(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)


def test_read_only_folder_is_one_line_and_the_run_is_kept(tmp_path):
    with tmpfs(tmp_path / "fs", "16m") as fs:
        run = fs / "run"
        code, _, stderr = run_cli("eval", "--model", "t-echo", "--suite", GLYPHS, "--per-cell", "1", "--out", run)
        assert code == 0, stderr
        before = records(run)
        remount_ro(fs)
        # more samples into the read-only run; a new run there; a report there
        code, _, stderr = run_cli("eval", "--model", "t-echo", "--suite", GLYPHS, "--per-cell", "2", "--out", run)
        line = one_error_line(stderr)
        assert code == 2 and str(run) in line and "read-only" in line
        code, _, stderr = run_cli("eval", "--model", "t-echo", "--suite", GLYPHS, "--per-cell", "1", "--out", fs / "new")
        line = one_error_line(stderr)
        assert code == 2 and str(fs / "new") in line and "read-only" in line
        code, _, stderr = run_cli("report", run, "--out", fs / "report.html", "--bootstrap", "0")
        line = one_error_line(stderr)
        assert code == 2 and str(fs / "report.html") in line and "read-only" in line
        code, _, stderr = run_cli("export", run, "--out", fs / "x.jsonl")
        assert code == 2 and "read-only" in one_error_line(stderr)
        assert records(run) == before


def test_a_full_disk_is_one_line_and_every_stored_row_stays(tmp_path):
    with tmpfs(tmp_path / "fs", "400k") as fs:
        run = fs / "run"
        code, stdout, stderr = run_cli("eval", "--model", "t-echo", "--suite", GLYPHS, "--per-cell", "40",
                                       "--batch-size", "4", "--out", run, timeout=120)
        line = one_error_line(stderr)
        assert code == 2 and str(run) in line and "no space left on device" in line
        assert "rollback" not in stderr
        rows = records(run)  # the store is readable and what it holds is whole
        assert 0 < len(rows) < 320 and all(status == "ok" for *_, status, _ in rows)
        # a report onto the full disk: one line, and no truncated report.html is left
        code, _, stderr = run_cli("export", run, "--out", fs / "export.jsonl")
        assert code == 2 and "no space left on device" in one_error_line(stderr)
        assert not (fs / "export.jsonl").exists()


# -- Ctrl-C -----------------------------------------------------------------------------------------


def in_own_group(*args) -> subprocess.Popen:
    """`snellen ARGS` in its own process group, so Ctrl-C can be sent as a terminal sends it: to the
    whole group (the command and any workers it started)."""
    return subprocess.Popen([sys.executable, "-c", DRIVER.format(here=str(HERE)), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"}, preexec_fn=sigint_as_in_a_terminal)



def ctrl_c(p: subprocess.Popen) -> None:
    os.killpg(p.pid, signal.SIGINT)


def interrupt_when_stored(p: subprocess.Popen, db: Path, n: int) -> tuple[int, str, str, float]:
    deadline = time.time() + 60
    while stored_rows(db) < n and p.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    assert p.poll() is None, "the run finished before Ctrl-C"
    t0 = time.time()
    ctrl_c(p)
    out, err = p.communicate(timeout=30)
    return p.returncode, out, err, time.time() - t0


@pytest.mark.parametrize("kind", ["async", "api"])
def test_ctrl_c_stops_promptly_says_what_was_saved_and_the_counts_add_up(tmp_path, kind):
    out = tmp_path / "run"
    args = ["eval", "--suite", GLYPHS, "--per-cell", "6", "--out", out, "--concurrency", "6"]
    server = None
    if kind == "async":
        model = ["--model", "t-slow-async", "--option", "sleep=0.5"]
    else:
        server = srv.ApiServer(latency=0.5).start()
        model = ["--model", f"openai-compatible:{server.openai_base_url}@m", "--option", "timeout=30"]
    try:
        p = in_own_group(*args, *model)
        code, stdout, stderr, took = interrupt_when_stored(p, out / "store.sqlite", 8)
        assert code == 130, stderr
        assert took < 10, f"Ctrl-C took {took:.1f} s to stop"  # (most of it is interpreter exit on a loaded machine)
        for noise in ("Traceback", "Task was destroyed", "KeyboardInterrupt", "Aborted"):
            assert noise not in stderr and noise not in stdout, stderr
        assert "interrupted" in stdout and "re-run the same command to resume" in stdout
        with open_run(out) as run:
            summary = run.manifest["invocations"][-1]["summary"]
            counts = run.counts()
        assert summary["interrupted"] and summary["cancelled"] > 0
        assert summary["sent"] == summary["answered"] + sum(summary["errors"].values()) + summary["cancelled"]
        assert counts.get("ok", 0) == summary["answered"] and f"{summary['answered']} answers are saved" in stdout
        code, stdout, stderr = run_cli(*args, *model)  # resume
        assert code == 0, stderr
        assert len(records(out)) == 48
    finally:
        if server is not None:
            server.stop()


def test_ctrl_c_during_parallel_generate_prints_no_worker_tracebacks(tmp_path):
    out = tmp_path / "gen"
    p = in_own_group("generate", "--suite", GLYPHS, "--per-cell", "200", "--workers", "2", "--out", out,
                     "--shard-size", "64")
    deadline = time.time() + 60
    while not any((out / "data").glob("shard-*.parquet")) and time.time() < deadline and p.poll() is None:
        time.sleep(0.01)
    assert p.poll() is None
    t0 = time.time()
    ctrl_c(p)
    _, stderr = p.communicate(timeout=30)
    assert p.returncode == 130 and time.time() - t0 < 10
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr


# -- runs with no answers, runs with several suites ---------------------------------------------------


def test_a_run_where_every_response_is_an_error_is_shown_as_no_answers(tmp_path):
    flag = tmp_path / "failing"
    flag.touch()
    dead, good = tmp_path / "dead", tmp_path / "good"
    code, _, stderr = run_cli("eval", "--model", "t-priced", "--suite", GLYPHS, "--per-cell", "2", "--out", dead,
                              "--option", "fail_mod=1", "--option", f"fail_file={flag}")
    assert code == 1, stderr
    code, _, stderr = run_cli("eval", "--model", "t-echo", "--suite", GLYPHS, "--per-cell", "2", "--out", good)
    assert code == 0, stderr
    no_answers = "no answers (16 errors: rate_limit 16)"

    code, stdout, stderr = run_cli("leaderboard", dead, "--bootstrap", "0")
    assert code == 0 and "Traceback" not in stderr, stderr
    assert no_answers in stdout and "nan" not in stdout.lower() and "No model answered any trial" in stdout
    code, stdout, stderr = run_cli("leaderboard", dead, good, "--bootstrap", "0")
    assert code == 0, stderr
    # the ranking does not claim that every model answered its trials: the dead run is named, not ranked
    assert "every model answered" not in stdout and "every model with answers answered" in stdout
    assert f"Not ranked: t-priced, {no_answers}" in stdout and "nan" not in stdout.lower()
    code, stdout, stderr = run_cli("leaderboard", dead, good, "--bootstrap", "0", "--format", "json")
    rows = {r["model"]: r for r in json.loads(stdout)}
    assert rows["t-priced"]["no_answers"] == no_answers and rows["t-priced"]["accuracy"] is None

    for runs in ([dead], [dead, good]):
        report = tmp_path / f"report-{len(runs)}.html"
        code, _, stderr = run_cli("report", *runs, "--out", report, "--bootstrap", "0")
        assert code == 0 and "Traceback" not in stderr, stderr
        html = report.read_text()
        assert html.count(no_answers) >= 2  # the model's summary card and its leaderboard row
        assert "nan%" not in html and ">nan<" not in html


def test_a_second_suite_in_one_run_is_recorded(tmp_path):
    quick_letters = tmp_path / "letters.yaml"
    text = Path(GLYPHS).read_text().replace("name: glyphs", "name: letters-too", 1).replace("seed: 0", "seed: 1", 1)
    quick_letters.write_text(text)
    run = tmp_path / "run"
    code, _, stderr = run_cli("eval", "--model", "t-echo", "--suite", GLYPHS, "--per-cell", "2", "--out", run)
    assert code == 0, stderr
    code, _, stderr = run_cli("eval", "--model", "t-echo", "--suite", quick_letters, "--per-cell", "1", "--out", run)
    assert code == 0, stderr
    manifest = json.loads((run / "manifest.json").read_text())
    names = [s["name"] for s in manifest["suites"]]
    assert names == ["glyphs", "letters-too"]
    assert manifest["suite"]["name"] == "mixed" and [s["name"] for s in manifest["suite"]["suites"]] == names
    with open_run(run) as r:
        assert {s.suite for s, _ in r.records(images=False)} == set(names)
