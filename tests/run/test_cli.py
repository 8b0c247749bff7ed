"""`snellen eval` / `snellen export` as a user runs them: subprocesses, SIGKILL and resume, secrets, exits."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


from snellen.probes.suite import load_suite
from snellen.run import evaluate, select_suite
from snellen.store import open_run

HERE = Path(__file__).parent
DRIVER = (
    "import sys; sys.path.insert(0, {here!r}); import snellen_test_backends; "
    "from snellen.cli import main; sys.argv = ['snellen', *sys.argv[1:]]; main()"
)

# The letters-and-digits fixture suite (the built-in `quick` covers every family and is larger).
GLYPHS = str(Path(__file__).resolve().parents[1] / "glyphs.yaml")


def snellen(*args, env=None) -> subprocess.Popen:
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    return subprocess.Popen([sys.executable, "-c", DRIVER.format(here=str(HERE)), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env, text=True)


def run_cli(*args, env=None, timeout=60):
    p = snellen(*args, env=env)
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def stored_rows(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def records(path):
    with open_run(path) as run:
        return [(s.id, r.repeat, r.key, r.status, r.text) for s, r in run.records(images=False)]


def test_sigkill_at_several_points_then_rerun_gives_identical_results(tmp_path):
    calls = tmp_path / "calls.txt"
    out = tmp_path / "run"
    args = ["eval", "--model", "t-echo", "--suite", GLYPHS, "--per-cell", "3", "--out", out, "--batch-size", "2",
            "--option", "sleep=0.05", "--option", f"calls_file={calls}"]
    kills = 0
    for kill_after in (4, 12):
        p = snellen(*args)
        deadline = time.time() + 60
        while stored_rows(out / "store.sqlite") < kill_after and p.poll() is None and time.time() < deadline:
            time.sleep(0.002)
        assert p.poll() is None, "the run finished before it could be killed"
        p.send_signal(signal.SIGKILL)
        p.communicate()
        kills += 1
        n = stored_rows(out / "store.sqlite")
        assert kill_after <= n < 24
    code, stdout, stderr = run_cli(*args)
    assert code == 0, stderr
    final = records(out)

    # the same evaluation, uninterrupted, in-process
    ref = tmp_path / "ref"
    evaluate("t-echo", select_suite(load_suite(GLYPHS, per_cell=3)), ref, batch_size=2, progress=False)
    assert final == records(ref)
    assert len(final) == 24 and len({(sid, rep) for sid, rep, *_ in final}) == 24
    assert all(status == "ok" for *_, status, _ in final)
    asked = calls.read_text().split()
    assert set(asked) == {sid for sid, *_ in final}
    assert len(asked) <= 24 + 2 * kills  # a kill loses at most the batch in flight
    with open_run(out) as run:
        inv = run.manifest["invocations"]
        assert len(inv) == 3 and "finished" not in inv[0] and inv[-1]["summary"]["skipped"] >= 12


def test_no_secret_reaches_any_output_file(tmp_path):
    env_secret, opt_secret = "sk-env-SECRET-4f9a8b7c6d5e", "sk-opt-SECRET-0a1b2c3d4e5f"
    out = tmp_path / "run"
    code, stdout, stderr = run_cli("eval", "--model", "t-leaky", "--suite", GLYPHS, "--per-cell", "1", "--out", out,
                                   "--option", f"api_key={opt_secret}", env={"SNELLEN_TEST_API_KEY": env_secret})
    assert code == 1, stderr  # t-leaky answers every other request with an error
    code, _, stderr = run_cli("export", out, "--out", tmp_path / "export.jsonl", env={"SNELLEN_TEST_API_KEY": env_secret})
    assert code == 0, stderr
    files = [f for f in tmp_path.rglob("*") if f.is_file()]
    assert {f.name for f in files} >= {"store.sqlite", "manifest.json", "export.jsonl"}
    for f in files:
        data = f.read_bytes()
        for secret in (env_secret, opt_secret, "hunter2hunter2"):
            assert secret.encode() not in data, f"{secret} leaked into {f}"
    for text in (stdout, stderr):
        assert env_secret not in text and opt_secret not in text
    manifest = json.loads((out / "manifest.json").read_text())
    assert "api_key" not in manifest["model"]["identity"] and manifest["model"]["identity"]["model"] == "leak"
    assert "api_key=<redacted>" in manifest["invocations"][0]["argv"]
    with open_run(out) as run:
        errs = [r.error_message for _, r in run.records() if r.status == "error"]
    assert errs and all(m == "invalid key <redacted> / <redacted>" for m in errs)


def test_missing_dataset_is_one_line_and_the_run_stays_intact(tmp_path):
    out = tmp_path / "run"
    evaluate("t-echo", select_suite(load_suite(GLYPHS, per_cell=1)), out, progress=False)
    before = records(out)
    code, stdout, stderr = run_cli("eval", "--model", "t-echo", "--data", tmp_path / "nowhere", "--out", out)
    assert code == 2
    assert stderr.strip().count("\n") == 0 and stderr.startswith("snellen: error: dataset") and "nowhere" in stderr
    assert records(out) == before


def in_process(args, capsys):
    """The console entry point in this process (exit status, stdout, stderr)."""
    from snellen.cli import main

    old = sys.argv
    sys.argv = ["snellen", *map(str, args)]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = old
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_exit_statuses_and_dry_run_output(tmp_path, capsys):
    out = tmp_path / "run"
    base = ["eval", "--model", "t-priced", "--suite", GLYPHS, "--per-cell", "1", "--out", out, "--batch-size", "1"]
    code, stdout, _ = in_process([*base, "--dry-run"], capsys)
    assert code == 0 and "requests to send" in stdout and "$0.8000" in stdout and not out.exists()
    code, stdout, _ = in_process([*base, "--max-cost", "0.25"], capsys)
    assert code == 3 and "stopped by --max-cost" in stdout and "6 requests not sent" in stdout
    code, stdout, _ = in_process([*base, "--max-cost", "5"], capsys)
    assert code == 0 and "ok 8" in stdout
    code, stdout, _ = in_process(["eval", "--model", "t-echo", "--suite", GLYPHS, "--per-cell", "1", "--out", tmp_path / "e",
                                  "--option", "fail_mod=2", "--option", f"fail_file={tmp_path}"], capsys)
    assert code == 1 and "rate_limit" in stdout  # errors remain: status 1, re-run retries them
    code, _, stderr = in_process(["eval", "--model", "t-echo", "--suite", GLYPHS, "--data", tmp_path, "--out", out], capsys)
    assert code == 2 and stderr == "snellen: error: give exactly one of --suite or --data\n"
    code, _, stderr = in_process(["eval", "--model", "nosuch:model", "--suite", GLYPHS, "--out", tmp_path / "x"], capsys)
    assert code == 2 and "unknown model backend 'nosuch'" in stderr
    code, _, stderr = in_process(["eval", "--model", "t-echo", "--suite", GLYPHS, "--scales", "5", "--out", tmp_path / "x"], capsys)
    assert code == 2 and "no scale(s) [5]" in stderr and not (tmp_path / "x").exists()


def write_png_dataset(folder: Path, samples) -> None:
    from snellen.probes.writer import DatasetWriter, sample_row

    w = DatasetWriter(folder, png_folder=True)
    for s in samples:
        w.add(sample_row(s))
    w.close()


def test_dataset_runs_share_keys_with_suite_runs_and_survive_reencoding_but_not_corruption(tmp_path, quick_samples):
    import io

    from PIL import Image

    from snellen.run import select_dataset

    folder = tmp_path / "data"
    write_png_dataset(folder, quick_samples[:8])
    data = folder / "samples.jsonl"  # the PNG-folder view: one PNG file per sample
    evaluate("t-echo", select_dataset(data), tmp_path / "from-data", progress=False)
    evaluate("t-echo", quick_samples[:8], tmp_path / "from-suite", progress=False)
    assert records(tmp_path / "from-data") == records(tmp_path / "from-suite")  # same content, same keys

    # re-encode every PNG with Pillow: other bytes, same pixels -> nothing to ask again
    pngs = sorted((folder / "images").rglob("*.png"))
    assert len(pngs) == 8
    for f in pngs:
        before = f.read_bytes()
        buf = io.BytesIO()
        Image.open(io.BytesIO(before)).save(buf, format="PNG", compress_level=9)
        assert buf.getvalue() != before
        f.write_bytes(buf.getvalue())
    again = evaluate("t-echo", select_dataset(data), tmp_path / "from-data", progress=False)
    assert again.sent == 0 and again.skipped == 8

    # flip one byte of the 6th image: one-line error naming it; what came before is stored intact
    order = [s.id for s in quick_samples[:8]]
    victim = next(f for f in pngs if f.stem == order[5])
    raw = bytearray(victim.read_bytes())
    raw[60] ^= 0xFF
    victim.write_bytes(bytes(raw))
    out = tmp_path / "corrupt"
    code, _, stderr = run_cli("eval", "--model", "t-echo", "--data", data, "--out", out, "--batch-size", "2")
    last = stderr.strip().splitlines()[-1]  # (the progress bar's final state comes before it)
    assert code == 2 and stderr.count("snellen: error") == 1 and last.startswith("snellen: error: ") and victim.name in last
    assert {sid for sid, *_ in records(out)} == set(order[:4])


def test_a_missing_api_key_is_one_line_before_anything_is_written(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    out = tmp_path / "run"
    code, _, stderr = in_process(["eval", "--model", "openai:gpt-4o", "--suite", GLYPHS, "--per-cell", "1", "--out", out], capsys)
    assert code == 2 and "needs an API key" in stderr and "OPENAI_API_KEY" in stderr
    assert not (out / "store.sqlite").exists()
    code, stdout, _ = in_process(["eval", "--model", "openai:gpt-4o", "--suite", GLYPHS, "--per-cell", "1", "--out", out,
                                  "--dry-run"], capsys)
    assert code == 0 and "estimated" in stdout  # estimating needs no key
