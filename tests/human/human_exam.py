"""Helpers for the human-exam tests: a live exam server in a thread (the real app, store and uvicorn), and what a
test needs to play the person."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from snellen.probes.suite import load_suite

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
# Screenshots the browser tests take (to look at): $SNELLEN_SHOTS, else a folder under the temp dir.
SHOTS = Path(os.environ.get("SNELLEN_SHOTS") or Path(tempfile.gettempdir()) / "snellen-human-shots")
SHOTS.mkdir(parents=True, exist_ok=True)


class LiveExam:
    def __init__(self, out: Path, name: str = "ann", tasks=("letter",), scales=None, per_cell: int = 1,
                 practice: int = 0, break_every: int = 0, limit=None):
        pytest.importorskip("starlette")
        pytest.importorskip("uvicorn")
        from snellen.human.server import bind, make_server, url_of
        from snellen.human.session import open_session

        self.suite = load_suite("acuity", per_cell=per_cell, only=list(tasks))
        self.out = out
        self.session = open_session(out, name, self.suite, scales=scales, practice=practice,
                                    break_every=break_every, limit=limit, argv=["snellen", "human", "(test)"])
        sock = bind("127.0.0.1", 0)
        self.session.release()
        self.url = url_of(sock)
        self.origin = self.url.rstrip("/")
        self.server = make_server(self.session, sock)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("exam server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)

    # -- raw HTTP, as another program (or another site) would send it ---------------------------------

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, str]:
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(self.url.rstrip("/") + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def post(self, path: str, body, origin: str | None = "same", content_type="application/json", extra=None):
        headers = {"Content-Type": content_type, **(extra or {})}
        if origin == "same":
            headers["Origin"] = self.origin
        elif origin is not None:
            headers["Origin"] = origin
        return self.request("POST", path, body, headers)

    def trial(self) -> dict:
        status, text = self.request("GET", "/api/trial")
        assert status == 200, text
        return json.loads(text)


def watch(page) -> list:
    """Console errors and page errors of `page` (a clean page logs none)."""
    events: list = []
    page.on("console", lambda m: events.append((m.type, m.text)) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: events.append(("pageerror", str(e))))
    return events


def wait_ready(page, previous: str | None = None, timeout: float = 15000) -> str:
    """Wait until the page shows a trial 1:1 with its clock running (or a break / the end); returns the state."""
    page.wait_for_function(
        """(prev) => {
            const s = document.body.dataset.state;
            if (s === 'break' || s === 'done') return true;
            const r = document.body.dataset.ready;
            return s === 'trial' && r && r !== prev;
        }""", arg=previous or "", timeout=timeout)
    return page.evaluate("document.body.dataset.state")
