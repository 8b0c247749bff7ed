"""Re-run issue 13's attacks on the engine from outside, as a user would, and count what broke.

Prints one line per attack with its counts: answers lost (a response the server sent that is not in the
store), tracebacks (any 'Traceback' or 'Task was destroyed' on stderr), secrets found in any artefact
(store, manifest, report, export, leaderboard, stdout, stderr). Every count should be 0.

    PYTHONPATH=src python benchmarks/engine_attacks.py [--ctrl-c 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "models"))
import api_server as srv  # noqa: E402

GLYPHS = str(ROOT / "tests" / "glyphs.yaml")
NOISE = ("Traceback", "Task was destroyed")


def snellen(*args, env=None, group=False) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from snellen.cli import main; main()", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=group,
                            env={**os.environ, **(env or {})})


def run(*args, env=None, timeout=300) -> tuple[int, str, str]:
    p = snellen(*args, env=env)
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def noise(text: str) -> int:
    return sum(text.count(n) for n in NOISE)


def rows(db: Path) -> dict[str, int]:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return dict(con.execute("SELECT status, COUNT(*) FROM responses GROUP BY status"))
        finally:
            con.close()
    except sqlite3.Error:
        return {}


def answered_by_server(server: srv.ApiServer) -> int:
    """Attempts the server answered with a 200 (faults that end in an error status are not answers)."""
    return sum(1 for s in server.log if s.fault in ("ok", "empty", "timeout"))


def report(name: str, **counts) -> None:
    print(f"{name:<44} " + "  ".join(f"{k} {v}" for k, v in counts.items()), flush=True)


def attack_ctrl_c(tmp: Path, n: int) -> None:
    tracebacks = unbalanced = 0
    for i in range(n):
        out = tmp / f"cc{i}"
        with srv.ApiServer(latency=0.3) as server:
            p = snellen("eval", "--model", f"openai-compatible:{server.openai_base_url}@m", "--suite", GLYPHS,
                        "--per-cell", "6", "--out", out, "--concurrency", "8", group=True)
            deadline = time.time() + 120
            while rows(out / "store.sqlite").get("ok", 0) < 4 + i and p.poll() is None and time.time() < deadline:
                time.sleep(0.02)
            os.killpg(p.pid, signal.SIGINT)
            stdout, stderr = p.communicate(timeout=60)
        tracebacks += noise(stderr)
        m = json.loads((out / "manifest.json").read_text())["invocations"][-1].get("summary", {})
        ok = rows(out / "store.sqlite").get("ok", 0)
        if m.get("sent") != m.get("answered", -1) + sum(m.get("errors", {}).values()) + m.get("cancelled", 0) \
                or ok != m.get("answered") or p.returncode != 130:
            unbalanced += 1
    report(f"Ctrl-C x{n} (API eval, mid-run)", tracebacks=tracebacks, counts_not_adding_up=unbalanced)


def attack_two_writers(tmp: Path) -> None:
    out = tmp / "two"
    faults = srv.Faults(rate=0.3, kinds=("500", "429", "malformed"), retry_after=0.01, seed=1)
    with srv.ApiServer(latency=0.05, faults=faults) as server:
        args = ["eval", "--model", f"openai-compatible:{server.openai_base_url}@m", "--suite", GLYPHS, "--per-cell", "20",
                "--out", out, "--option", "max_retries=0", "--concurrency", "4"]
        a = snellen(*args)
        while not (out / "store.sqlite").exists() and a.poll() is None:
            time.sleep(0.01)
        time.sleep(1.0)
        b = snellen(*args)
        out_b, err_b = b.communicate(timeout=300)
        out_a, err_a = a.communicate(timeout=300)
        served = answered_by_server(server)
    ok = rows(out / "store.sqlite").get("ok", 0)
    report("two evals on one run dir (30% faults)", second_refused=int(b.returncode == 2 and "being written" in err_b),
           answers_lost=max(0, served - ok), tracebacks=noise(err_a + err_b))


def attack_corrupt_png(tmp: Path) -> None:
    gen = tmp / "gen"
    run("generate", "--suite", GLYPHS, "--per-cell", "20", "--png", "--out", gen)
    lines = (gen / "samples.jsonl").read_text().splitlines()
    victim = gen / json.loads(lines[120])["image"]
    raw = bytearray(victim.read_bytes())
    raw[60] ^= 0xFF
    victim.write_bytes(bytes(raw))
    with srv.ApiServer(latency=0.2) as server:
        code, _, err = run("eval", "--model", f"openai-compatible:{server.openai_base_url}@m", "--data",
                           gen / "samples.jsonl", "--out", tmp / "corrupt", "--concurrency", "16")
        served = answered_by_server(server)
    ok = rows(tmp / "corrupt" / "store.sqlite").get("ok", 0)
    report("corrupt PNG at sample 120 (API, 16 in flight)", exit=code, answered=served, stored=ok,
           answers_lost=served - ok, tracebacks=noise(err))


def attack_flipped_shard(tmp: Path) -> None:
    gen = tmp / "gen2"
    run("generate", "--suite", GLYPHS, "--per-cell", "5", "--out", gen)
    shard = gen / "data" / "shard-00000.parquet"
    raw = bytearray(shard.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    shard.write_bytes(bytes(raw))
    with srv.ApiServer() as server:
        code, _, err = run("eval", "--model", f"openai-compatible:{server.openai_base_url}@m", "--data", gen,
                           "--out", tmp / "flip")
        sent = server.attempts
    report("one flipped bit in a shard", exit=code, prompts_sent=sent, tracebacks=noise(err))


def attack_secrets(tmp: Path) -> None:
    secret, token, password = "hunter2-MYSERVER-0123456789", "qtok-SECRET-77aa88bb", "p4ssw0rd-SECRET"
    env = {"MYSERVER_PASS": secret}
    found = tracebacks = 0
    texts = []

    def echo(seen):
        return f'{{"letter": "A"}} (key {seen.authorization}, query {seen.query})'

    with srv.ApiServer(answer=echo, faults=srv.Faults(rate=0.3, kinds=("401",), seed=2)) as server:
        for name, spec, extra in (
            ("key", f"openai-compatible:{server.openai_base_url}@m", ["--option", "api_key_env=MYSERVER_PASS"]),
            ("url", f"openai-compatible:http://alice:{password}@127.0.0.1:{server.port}/v1?token={token}@m", []),
        ):
            out = tmp / f"secret-{name}"
            code, o, e = run("eval", "--model", spec, "--suite", GLYPHS, "--per-cell", "2", "--out", out,
                             "--option", "max_retries=0", *extra, env=env)
            texts += [o, e]
            for cmd in (["report", out, "--out", tmp / f"{name}.html", "--bootstrap", "0"],
                        ["export", out, "--out", tmp / f"{name}.jsonl"],
                        ["leaderboard", out, "--bootstrap", "0", "--out", tmp / f"{name}.md"]):
                c, o, e = run(*cmd, env=env)
                texts += [o, e]
                tracebacks += noise(e)
    made = {f"{n}{ext}" for n in ("key", "url") for ext in (".html", ".jsonl", ".md")}
    files = [f for f in tmp.rglob("*") if f.is_file() and (f.parent.name.startswith("secret-") or f.name in made)]
    blobs = texts + [f.read_bytes().decode("latin-1") for f in files]
    for s in (secret, token, password):
        found += sum(b.count(s) for b in blobs)
    report("secrets (api_key_env echo, URL user:pass + token)", files_scanned=len(files), secrets_in_artefacts=found,
           tracebacks=tracebacks)


def attack_errors(tmp: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.time()
    code, _, err = run("eval", "--model", f"openai-compatible:http://127.0.0.1:{port}/v1@m", "--suite", GLYPHS,
                       "--out", tmp / "refused")
    report("connection refused", exit=code, seconds=round(time.time() - t0, 1),
           names_url=int(f"127.0.0.1:{port}/v1" in err), tracebacks=noise(err))
    with srv.ApiServer(faults=srv.Faults(rate=1.0, kinds=("400-detail",))) as server:
        run("eval", "--model", f"openai-compatible:{server.openai_base_url}@nosuch", "--suite", GLYPHS, "--out",
            tmp / "dead", "--option", "max_retries=0")
    con = sqlite3.connect(tmp / "dead" / "store.sqlite")
    msg = con.execute("SELECT error_message FROM responses LIMIT 1").fetchone()[0]
    con.close()
    report("400 with a FastAPI body", shows_reason=int("does not exist" in msg))
    tb = 0
    for cmd in (["leaderboard", tmp / "dead", "--bootstrap", "0"], ["report", tmp / "dead", "--out", tmp / "d.html",
                                                                     "--bootstrap", "0"]):
        code, out, err = run(*cmd)
        tb += noise(err) + int(code != 0) + out.lower().count("nan")
    report("every response an error: leaderboard, report", crashes_or_nan=tb)


def attack_serial(tmp: Path) -> None:
    from snellen.probes.suite import load_suite
    from snellen.run import evaluate

    samples = list(load_suite(GLYPHS, per_cell=2).samples())[:12]
    with srv.ApiServer(serial=True, latency=0.25) as server:
        s = evaluate(f"openai-compatible:{server.openai_base_url}@m", samples, tmp / "serial",
                     options={"concurrency": 12, "timeout": 1.0, "max_retries": 8, "backoff": 0.05,
                              "backoff_max": 0.2}, progress=False)
        report("one-at-a-time server (12 samples, conc. 12)", received=server.attempts, answered=s.answered,
               errors=sum(s.errors.values()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ctrl-c", type=int, default=10)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="snellen-attacks-"))
    try:
        attack_two_writers(tmp)
        attack_corrupt_png(tmp)
        attack_flipped_shard(tmp)
        attack_secrets(tmp)
        attack_errors(tmp)
        attack_serial(tmp)
        attack_ctrl_c(tmp, args.ctrl_c)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
