"""The exam server accepts an answer only for the trial on show, once, from its own page."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from snellen.store import open_run

sys.path.insert(0, str(Path(__file__).parent))
from human_exam import wait_ready  # noqa: E402


def stored(exam) -> int:
    with open_run(exam.out) as run:
        return len(run)


def body(token: str, letter: str = "A") -> dict:
    return {"token": token, "answer": {"letter": letter}, "rt_ms": 850.0,
            "viewing": {"dpr": 1, "window_w": 1000, "window_h": 900, "screen_w": 1920, "screen_h": 1080,
                        "displayed_w": 448, "displayed_h": 448}}


def test_forged_replayed_stale_and_foreign_answers_are_refused(live_exam):
    exam = live_exam(tasks=("letter",), scales=[24], per_cell=3)
    t = exam.trial()
    assert t["state"] == "trial"

    # a trial that was never shown: a made-up token, or none
    assert exam.post("/api/answer", body("x" * 32))[0] == 403
    assert exam.post("/api/answer", {"answer": {"letter": "A"}, "rt_ms": 5})[0] == 403
    # another origin, no origin, a form post, a foreign Host header, a cross-site fetch
    assert exam.post("/api/answer", body(t["token"]), origin="http://evil.example")[0] == 403
    assert exam.post("/api/answer", body(t["token"]), origin=None)[0] == 403
    assert exam.post("/api/answer", body(t["token"]), content_type="text/plain")[0] == 403
    assert exam.post("/api/answer", body(t["token"]), extra={"Host": "evil.example"})[0] == 403
    assert exam.post("/api/answer", body(t["token"]), extra={"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert exam.request("GET", "/api/trial", headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    # only the image of the trial on show is served, and nothing else
    assert exam.request("GET", f"/api/image/{'y' * 32}.png")[0] == 404
    assert exam.request("GET", "/static/../store.sqlite")[0] == 404
    assert exam.request("GET", "/store.sqlite")[0] == 404
    status, png = exam.request("GET", t["image"])
    assert status == 200
    assert stored(exam) == 0

    # a malformed answer is refused with a message, the trial stays on show
    status, text = exam.post("/api/answer", {**body(t["token"]), "answer": {"letter": "AB"}})
    assert status == 400 and "'AB' is not one of" in json.loads(text)["error"]
    # shown at the wrong size: refused, nothing stored
    scaled = body(t["token"])
    scaled["viewing"].update(displayed_w=224, displayed_h=224)
    status, text = exam.post("/api/answer", scaled)
    assert status == 400 and "not shown 1:1" in json.loads(text)["error"]
    assert stored(exam) == 0

    status, text = exam.post("/api/answer", body(t["token"], "K"))
    assert status == 200 and json.loads(text)["ok"] is True
    assert stored(exam) == 1
    # the same answer again is a replay
    status, text = exam.post("/api/answer", body(t["token"], "Z"))
    assert status == 409 and "already" in json.loads(text)["error"]
    assert exam.request("GET", t["image"])[0] == 404  # the answered trial's image is gone too

    # a reload re-issues the trial under a new token: the old page's token is dead
    t2 = exam.trial()
    t3 = exam.trial()
    assert t2["sample_id"] == t3["sample_id"] != t["sample_id"]
    assert exam.post("/api/answer", body(t2["token"]))[0] == 409
    # the current token, but its image was never loaded: not shown, so not answerable
    status, text = exam.post("/api/answer", body(t3["token"]))
    assert status == 403 and "never loaded" in json.loads(text)["error"]
    assert exam.request("GET", t3["image"])[0] == 200
    assert exam.post("/api/answer", body(t3["token"]))[0] == 200

    with open_run(exam.out) as run:
        recs = [(s.id, json.loads(r.text)) for s, r in run.records(images=False)]
    assert sorted(recs) == sorted([(t["sample_id"], {"letter": "K"}), (t3["sample_id"], {"letter": "A"})])


def test_a_page_from_another_origin_cannot_answer_or_read(live_exam, browser):
    exam = live_exam(tasks=("letter",), scales=[24], per_cell=2)
    page = browser.new_page()
    page.goto(exam.url)
    assert wait_ready(page) == "trial"
    token = page.evaluate("document.body.dataset.ready")
    shown = page.get_attribute("#probe", "data-sample-id")

    hostile = browser.new_page()
    hostile.route("http://evil.test/", lambda route: route.fulfill(status=200, content_type="text/html",
                                                                    body="<html><body>hi</body></html>"))
    hostile.goto("http://evil.test/")
    result = hostile.evaluate("""async ([url, token]) => {
        const out = {};
        const payload = JSON.stringify({token, answer: {letter: 'Q'}, rt_ms: 500,
                                        viewing: {dpr: 1, displayed_w: 448, displayed_h: 448}});
        try {  // CORS JSON post: the preflight is refused
            const r = await fetch(url + 'api/answer', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: payload});
            out.json = r.status;
        } catch (e) { out.json = 'blocked'; }
        try {  // a 'simple' cross-site post that needs no preflight
            await fetch(url + 'api/answer', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: payload});
            out.simple = 'sent';
        } catch (e) { out.simple = 'blocked'; }
        try {  // reading the trial (and its token) across origins
            const r = await fetch(url + 'api/trial');
            out.read = await r.text();
        } catch (e) { out.read = 'blocked'; }
        return out;
    }""", [exam.url, token])
    assert result["json"] == "blocked" and result["read"] == "blocked"
    assert stored(exam) == 0
    hostile.close()

    # the person's page is untouched: its token still answers the trial on show
    assert page.get_attribute("#probe", "data-sample-id") == shown
    page.keyboard.press("k")
    wait_ready(page, token)
    with open_run(exam.out) as run:
        assert [(s.id, json.loads(r.text)) for s, r in run.records(images=False)] == [(shown, {"letter": "K"})]
    page.close()


def test_loopback_server_answers_only_to_its_own_host_names():
    from snellen.human.app import allowed_hosts_for

    assert allowed_hosts_for("127.0.0.1", 8765) == {"127.0.0.1:8765", "localhost:8765", "[::1]:8765"}
    assert allowed_hosts_for("0.0.0.0", 9000) is None  # --host 0.0.0.0: any name, same-origin POSTs only
