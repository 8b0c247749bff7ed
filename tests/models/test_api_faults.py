"""API servers that misbehave, as a user meets them: a key echoed back under an odd variable name, tokens in
the base URL, an error whose reason is in the body, nothing listening, a server that answers one request
at a time."""

from __future__ import annotations

import base64
import socket
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "run"))
import api_server as srv  # noqa: E402
from test_cli import GLYPHS, run_cli  # noqa: E402

from snellen.probes.suite import load_suite  # noqa: E402
from snellen.run import evaluate  # noqa: E402
from snellen.store import open_run  # noqa: E402


@pytest.fixture(scope="module")
def samples():
    return list(load_suite(GLYPHS, per_cell=2).samples())


def artefacts(tmp_path: Path, run: Path, env: dict) -> str:
    """Every file a user makes from a run (report, export, leaderboard), plus the run's own files, as text."""
    code, out1, err1 = run_cli("report", run, "--out", tmp_path / "report.html", "--bootstrap", "0", env=env)
    assert code == 0, err1
    code, out2, err2 = run_cli("export", run, "--out", tmp_path / "export.jsonl", env=env)
    assert code == 0, err2
    code, out3, err3 = run_cli("leaderboard", run, "--bootstrap", "0", "--format", "json", env=env)
    assert code == 0, err3
    files = [f for f in tmp_path.rglob("*") if f.is_file()]
    assert {f.name for f in files} >= {"store.sqlite", "manifest.json", "report.html", "export.jsonl"}
    return "\n".join([out1, err1, out2, err2, out3, err3] + [f.read_bytes().decode("latin-1") for f in files])


def test_the_key_of_any_variable_is_redacted_whatever_its_name(tmp_path):
    secret = "hunter2-MYSERVER-0123456789"
    env = {"MYSERVER_PASS": secret}

    def echo_key(seen: srv.Seen) -> str:  # a server that echoes the key it got, in every answer
        return f'{{"letter": "A"}} (you sent {seen.authorization})'

    with srv.ApiServer(answer=echo_key, faults=srv.Faults(plan=["ok", "401", "ok", "401"])) as server:
        run = tmp_path / "run"
        code, out, err = run_cli("eval", "--model", f"openai-compatible:{server.openai_base_url}@m", "--suite", GLYPHS,
                                 "--per-cell", "1", "--out", run, "--option", "api_key_env=MYSERVER_PASS",
                                 "--option", "max_retries=0", env=env)
        assert code == 1, err  # the two 401s are errors
        assert all(s.authorization == f"Bearer {secret}" for s in server.log)  # the key was sent
        text = artefacts(tmp_path, run, env) + out + err
    assert secret not in text
    with open_run(run) as r:
        answers = [resp.text for _, resp in r.records() if resp.ok]
    assert answers and all("Bearer <redacted>" in a for a in answers)


def test_credentials_in_the_base_url_are_sent_and_never_stored_or_printed(tmp_path):
    token, user, password = "qtok-SECRET-77aa88bb", "alice", "p4ssw0rd-SECRET"
    with srv.ApiServer() as server:
        url = f"http://{user}:{password}@127.0.0.1:{server.port}/v1?token={token}"
        run = tmp_path / "run"
        code, out, err = run_cli("eval", "--model", f"openai-compatible:{url}@m", "--suite", GLYPHS, "--per-cell", "1",
                                 "--out", run)
        assert code == 0, err
        seen = server.log
    assert seen and all(s.path == "/v1/chat/completions" for s in seen)  # the path is not mangled
    assert all(s.query == {"token": token} for s in seen)
    basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    assert all(s.authorization == basic for s in seen)
    text = artefacts(tmp_path, run, {}) + out + err
    for secret in (token, password, base64.b64encode(f"{user}:{password}".encode()).decode()):
        assert secret not in text
    with open_run(run) as r:
        assert r.manifest["model"]["spec"] == f"openai-compatible:http://<redacted>@127.0.0.1:{server.port}/v1?token=<redacted>@m"


def test_the_servers_reason_for_an_error_is_shown(tmp_path, samples):
    plan = ["400-detail", "400-text", "400-empty", "400"]
    with srv.ApiServer(faults=srv.Faults(plan=plan)) as server:
        evaluate(f"openai-compatible:{server.openai_base_url}@nosuch-model", samples[:4], tmp_path / "run",
                 options={"max_retries": 0, "concurrency": 1}, progress=False)
    with open_run(tmp_path / "run") as r:
        messages = sorted(resp.error_message for _, resp in r.records() if not resp.ok)
    assert messages == sorted([
        "HTTP 400: The model `nosuch-model` does not exist (injected) (not retried)",
        "HTTP 400: model nosuch-model is not served here (injected) (not retried)",
        "HTTP 400: (no reason given in the response body) (not retried)",
        "HTTP 400: injected 400 (not retried)",
    ])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_server_that_is_not_there_is_named_before_the_run(tmp_path):
    port = free_port()
    run = tmp_path / "run"
    t0 = time.time()
    code, _, err = run_cli("eval", "--model", f"openai-compatible:http://127.0.0.1:{port}/v1@m", "--suite", GLYPHS,
                           "--per-cell", "1", "--out", run, timeout=180)
    took = time.time() - t0
    assert code == 2 and "Traceback" not in err and err.count("snellen: error:") == 1, err
    line = err.strip().splitlines()[-1]
    assert f"http://127.0.0.1:{port}/v1" in line and "connection refused" in line
    assert not (run / "store.sqlite").exists()
    assert took < 30, f"took {took:.0f} s to say the server is not there"


def test_a_server_that_answers_one_at_a_time_is_not_flooded(tmp_path, samples, capsys):
    """12 requests at concurrency 12 to a server that takes 0.25 s each, one at a time, with a 1 s timeout:
    fired all at once, 8 of them time out while queued and their retries pile on top of the abandoned
    requests the server is still working through. The client must notice, send fewer at a time, and
    finish with every request answered and few requests wasted."""
    with srv.ApiServer(serial=True, latency=0.25) as server:
        summary = evaluate(f"openai-compatible:{server.openai_base_url}@m", samples[:12], tmp_path / "run",
                           options={"concurrency": 12, "timeout": 1.0, "max_retries": 8, "backoff": 0.05,
                                    "backoff_max": 0.2}, progress=False)
        received = server.attempts
    err = capsys.readouterr().err
    assert summary.answered == 12 and not summary.errors
    # 12 first attempts + the 8 that must be re-sent = 20; the rest are retries that timed out while the
    # server worked through the abandoned requests (measured 23-27 here). Without adapting (before the
    # fix), every round of retries re-sent all 8 on top of the queue: 105 requests, 0 answered, 12 errors.
    assert received <= 40, f"the server received {received} requests for 12 samples"
    assert "lowering requests in flight" in err and "--concurrency 1" in err and server.openai_base_url in err
    with open_run(tmp_path / "run") as r:
        adapted = r.manifest["model"]["manifest"]["concurrency_adapted"]
    assert adapted["start"] == 12 and adapted["lowest"] < 12 and adapted["timeouts"] > 0
