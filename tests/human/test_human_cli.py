"""`snellen human` as a person's operator types it: the URL, answers, Ctrl-C, coming back, and typos."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cli_helpers import sigint_as_in_a_terminal
from snellen.store import open_run

pytest.importorskip("uvicorn")
pytestmark = pytest.mark.slow  # each case starts a fresh interpreter, as a user's shell does


DRIVER = "from snellen.cli import main; import sys; sys.argv = ['snellen', *sys.argv[1:]]; main()"


def snellen(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", DRIVER, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"},
                            preexec_fn=sigint_as_in_a_terminal)


def run_cli(*args, timeout=60):
    p = snellen(*args)
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def read_url(p: subprocess.Popen, timeout=60) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        ready, _, _ = select.select([p.stdout], [], [], 0.5)
        if ready:
            line = p.stdout.readline().strip()
            if line.startswith("http://"):
                return line
        if p.poll() is not None:
            raise AssertionError(f"snellen human exited {p.returncode}: {p.stderr.read()}")
    raise AssertionError("no URL printed")


def call(url: str, path: str, body=None) -> dict:
    headers = {} if body is None else {"Content-Type": "application/json", "Origin": url.rstrip("/")}
    req = urllib.request.Request(url.rstrip("/") + path, data=None if body is None else json.dumps(body).encode(),
                                 headers=headers, method="GET" if body is None else "POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def answer(url: str, letter: str) -> str:
    t = call(url, "/api/trial")
    assert t["state"] == "trial" and not t["practice"]
    with urllib.request.urlopen(url.rstrip("/") + t["image"], timeout=10) as r:  # the page loads the probe
        assert r.read().startswith(b"\x89PNG")
    view = {"dpr": 1, "window_w": 1200, "window_h": 900, "displayed_w": t["width"], "displayed_h": t["height"]}
    assert call(url, "/api/answer", {"token": t["token"], "answer": {"letter": letter}, "rt_ms": 640, "viewing": view})["ok"]
    return t["sample_id"]


HUMAN = ["human", "--suite", "acuity", "--tasks", "letter", "--scales", "24", "--per-cell", "2", "--practice", "0",
         "--port", "0", "--name", "bob"]


def test_ctrl_c_stops_cleanly_with_every_answer_saved_and_rerunning_continues(tmp_path):
    out = tmp_path / "run"
    p = snellen(*HUMAN, "--out", out)
    url = read_url(p)
    assert url.startswith("http://127.0.0.1:")
    first = answer(url, "K")
    p.send_signal(signal.SIGINT)
    stdout, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    assert "stopped: 1 answered in this session" in err and "1 of 2" in err
    with open_run(out) as run:
        assert [(s.id, json.loads(r.text)) for s, r in run.records(images=False)] == [(first, {"letter": "K"})]
        inv = run.manifest["invocations"]
    assert len(inv) == 1 and inv[0]["answered"] == 1 and "finished" in inv[0]
    assert (out / "manifest.json").exists()

    p = snellen(*HUMAN, "--out", out)
    url = read_url(p)
    second = answer(url, "Q")
    assert second != first
    assert call(url, "/api/trial")["state"] == "done"
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=30)
    assert p.returncode == 0 and "2 trials, 1 already answered" in err and "2 of 2" in err
    with open_run(out) as run:
        assert run.counts() == {"ok": 2}
        assert len(run.manifest["invocations"]) == 2


def test_bad_input_gets_one_line_and_exit_status_2(tmp_path):
    cases = [
        (["human", "--suite", "acuty", "--out", tmp_path / "a"], "unknown suite 'acuty'"),
        (["human", "--tasks", "lettr", "--out", tmp_path / "b"], "unknown task(s) lettr"),
        (["human", "--name", "a b", "--out", tmp_path / "c"], "observer name 'a b'"),
        (["human", "--scales", "5", "--tasks", "letter", "--out", tmp_path / "d"], "has no scale(s) [5]"),
        (["human", "--adaptive", "--scales", "8", "--out", tmp_path / "g"], "--adaptive draws its own scales"),
        (["eval", "--model", "human:bob", "--suite", "acuity", "--tasks", "letter", "--limit", "1", "--out", tmp_path / "e"],
         "human:bob is a person"),
    ]
    for args, message in cases:
        code, _, err = run_cli(*args)
        assert code == 2 and err.count("\n") == 1 and message in err, (args, err)
    assert not (tmp_path / "e" / "store.sqlite").exists()

    # another person in the same run directory; a port that is taken
    run = tmp_path / "bob"
    p = snellen(*HUMAN, "--out", run)
    read_url(p)
    p.send_signal(signal.SIGINT)
    p.communicate(timeout=30)
    code, _, err = run_cli(*[a if a != "bob" else "eve" for a in HUMAN], "--out", run)
    assert code == 2 and "different configuration" in err and "eve" in err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        args = list(HUMAN)
        args[args.index("--port") + 1] = str(port)
        code, _, err = run_cli(*args, "--out", tmp_path / "f")
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err
    assert not (tmp_path / "f").exists()
