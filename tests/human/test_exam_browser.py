"""The exam as a person takes it, in headless Chromium: keyboard answers, a closed tab, a break, the
store afterwards, the probe at 1 image px = 1 device px, and the report with the human beside a model."""

from __future__ import annotations

import io
import json
import string
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from snellen.human.answers import controls
from snellen.human.trials import practice_trials
from snellen.scoring import score_run
from snellen.store import open_run

sys.path.insert(0, str(Path(__file__).parent))
from human_exam import SHOTS, wait_ready, watch  # noqa: E402

pytestmark = pytest.mark.browser


def ready_token(page) -> str:
    return page.evaluate("document.body.dataset.ready || ''")


def shown_id(page) -> str:
    return page.get_attribute("#probe", "data-sample-id")


def samples_of(exam) -> dict:
    """Every sample the exam can show (scored and practice), by id: the 'person' knows the truth."""
    src = exam.session.source
    out = {}
    for _, block in src.blocks:
        for it in block:
            out[it.id] = exam.suite.make(it.item)
    for name, _ in src.blocks:
        for t in practice_trials(exam.suite, name, exam.session.practice_n):
            out[t.sample.id] = t.sample
    return out


def other_letter(letter: str) -> str:
    return string.ascii_uppercase[(string.ascii_uppercase.index(letter) + 1) % 26]


def real_errors(events) -> list:
    # a 400 for a malformed answer is logged by Chromium as a failed resource load: expected, not a page error
    return [e for e in events if "status of 400" not in e[1]]


@pytest.mark.slow  # a whole block, a report with bootstrap: ~40 s on a loaded 2-core machine
def test_person_answers_with_keyboard_closes_tab_comes_back_and_the_report_shows_them(live_exam, browser, tmp_path):
    exam = live_exam(name="ann", tasks=("letter",), scales=[4, 6, 24, 48], per_cell=2, practice=2, break_every=5)
    samples = samples_of(exam)
    given: dict[str, str] = {}  # sample id -> letter typed for scored trials
    shown_scored: list[str] = []
    practice_seen = 0
    breaks = 0

    def answer_one(page) -> None:
        nonlocal practice_seen
        sid = shown_id(page)
        s = samples[sid]
        practice = "Practice" in page.inner_text("#badge")
        truth = s.answer["letter"]
        # right on large sizes, wrong at 4 px and on the first 6 px trial
        wrong = not practice and (s.scale == 4 or (s.scale == 6 and not any(samples[i].scale == 6 for i in given)))
        key = other_letter(truth) if wrong else truth
        if practice:
            practice_seen += 1
        else:
            assert sid not in given, "a trial answered before was shown again"
            given[sid] = key
            shown_scored.append(sid)
        before = ready_token(page)
        page.keyboard.press(key.lower())
        wait_ready(page, before)

    ctx = browser.new_context(viewport={"width": 1000, "height": 900}, device_scale_factor=1)
    page = ctx.new_page()
    events = watch(page)
    page.goto(exam.url)
    assert wait_ready(page) == "trial"
    assert page.locator("#probe").is_visible()
    page.screenshot(path=str(SHOTS / "human-practice.png"))
    # practice (2) + 3 scored answers, then the tab is closed in the middle of the block
    for _ in range(5):
        answer_one(page)
    on_show = shown_id(page)
    assert on_show not in given and samples[on_show].task == "letter"
    page.close()
    with open_run(exam.out) as run:
        assert run.counts() == {"ok": 3}

    page = ctx.new_page()
    events += watch(page)
    page.goto(exam.url)
    assert wait_ready(page) == "trial"
    assert shown_id(page) == on_show, "coming back must continue with the trial that was on show"
    assert "Practice" not in page.inner_text("#badge"), "a started block is not practised again"
    page.screenshot(path=str(SHOTS / "human-trial.png"))
    while True:
        state = page.evaluate("document.body.dataset.state")
        if state == "done":
            break
        if state == "break":
            breaks += 1
            assert "5 of 8 trials answered" in page.inner_text("#break")
            page.screenshot(path=str(SHOTS / "human-break.png"))
            page.keyboard.press(" ")
            page.wait_for_function("() => document.body.dataset.state !== 'break'")
            assert wait_ready(page) == "trial"
            continue
        answer_one(page)
    assert "8 of 8 trials answered" in page.inner_text("#done")
    page.screenshot(path=str(SHOTS / "human-done.png"))
    ctx.close()
    assert real_errors(events) == []
    assert practice_seen == 2 and breaks == 1 and len(shown_scored) == 8

    # the store: exactly one response per shown scored trial, holding the typed answer; practice not stored
    with open_run(exam.out) as run:
        recs = list(run.records(images=False))
        manifest = run.manifest
        df = score_run(run)
    assert sorted(s.id for s, _ in recs) == sorted(shown_scored)
    for s, r in recs:
        assert r.status == "ok" and r.repeat == 0
        assert json.loads(r.text) == {"letter": given[s.id]}
        assert 0 < r.latency_s < 60
        assert r.sent_size == r.encoder_size == tuple(s.canvas)
        assert r.raw["viewing"]["dpr"] == 1 and r.raw["viewing"]["zoomed"] is False
        assert r.raw["input"] == "key"
    assert manifest["model"]["spec"] == "human:ann"
    assert manifest["human"]["answered"] == 8 and manifest["human"]["zoomed"] is False
    assert manifest["human"]["procedure"]["mode"] == "grid"
    assert sum(v["trials"] for v in manifest["human"]["viewing"]) == 8
    # the one scorer scores the person: right where the truth was typed, wrong elsewhere
    truth_typed = {sid for sid, k in given.items() if k == samples[sid].answer["letter"]}
    assert set(df.loc[df["outcome"] == "correct", "sample_id"]) == truth_typed
    assert set(df.loc[df["outcome"] == "wrong", "sample_id"]) == set(given) - truth_typed
    assert (df["model"] == "human:ann").all() and (df["effective_scale"] == df["measured_scale"]).all()

    # `snellen report` with the person beside a model on the same probes
    from typer.testing import CliRunner

    from snellen.cli import app
    from snellen.run import evaluate

    model_run = tmp_path / "model-run"
    evaluate("random", [exam.suite.make(it.item) for _, b in exam.session.source.blocks for it in b], model_run,
             progress=False)
    html = tmp_path / "report.html"
    res = CliRunner().invoke(app, ["report", str(exam.out), str(model_run), "--out", str(html), "--bootstrap", "50"])
    assert res.exit_code == 0, res.output
    rp = browser.new_page(viewport={"width": 1300, "height": 1000})
    rp.goto(html.as_uri())
    rows = rp.locator("table.leaderboard tbody tr")
    assert rows.count() == 2
    human_row = rows.filter(has_text="human:ann")
    assert human_row.count() == 1 and human_row.is_visible()
    # the person's threshold is a reference line on the letter curve
    line = rp.locator("figure.acuity-figure .ax-nominal svg [id^='human-threshold']")
    assert line.count() == 1
    assert "human:ann threshold" in rp.locator("figure.acuity-figure .ax-nominal svg").first.inner_html()
    rp.locator("figure.acuity-figure").first.screenshot(path=str(SHOTS / "human-report-curve.png"))
    rp.close()


@pytest.mark.parametrize("dpr", [1, 2])
def test_probe_is_shown_one_image_pixel_per_device_pixel(live_exam, browser, dpr):
    exam = live_exam(run=f"run{dpr}", tasks=("letter",), scales=[12], per_cell=1)
    samples = samples_of(exam)
    ctx = browser.new_context(viewport={"width": 900, "height": 800}, device_scale_factor=dpr)
    page = ctx.new_page()
    page.goto(exam.url)
    assert wait_ready(page) == "trial"
    sample = samples[shown_id(page)]
    w, h = sample.canvas
    natural, shown, css = page.evaluate("""() => {
        const i = document.getElementById('probe'), r = i.getBoundingClientRect(), d = devicePixelRatio;
        return [[i.naturalWidth, i.naturalHeight], [r.width * d, r.height * d], [r.width, r.height]];
    }""")
    assert natural == [w, h]
    assert shown == [w, h]  # device pixels == image pixels
    assert css == [w / dpr, h / dpr]
    # what reaches the screen, in device pixels, is the image itself, pixel for pixel: find it in a screenshot
    # of the page (device scale) near where layout puts it
    full = np.asarray(Image.open(io.BytesIO(page.screenshot(scale="device"))).convert("RGB"))
    left, top = page.evaluate("(() => { const r = document.getElementById('probe').getBoundingClientRect();"
                              " return [r.left * devicePixelRatio, r.top * devicePixelRatio]; })()")
    want = sample.pixels()
    hits = [(dx, dy) for dx in range(-2, 3) for dy in range(-2, 3)
            if np.array_equal(full[round(top) + dy: round(top) + dy + h, round(left) + dx: round(left) + dx + w], want)]
    assert len(hits) == 1, "the probe is not on screen pixel for pixel"
    dx, dy = hits[0]
    shot = full[round(top) + dy: round(top) + dy + h, round(left) + dx: round(left) + dx + w]
    # so the target's on-screen ink height (coverage >= 0.5: at most half-way to white) is its scale
    ink = np.flatnonzero((shot.min(axis=2) <= 127).any(axis=1))
    assert ink.max() - ink.min() + 1 == sample.scale == 12
    # and the frame around it is not part of it: the pixels just outside are the frame's grey
    assert (full[round(top) + dy - 1, round(left) + dx: round(left) + dx + w] == (189, 193, 198)).all()
    page.screenshot(path=str(SHOTS / f"human-dpr{dpr}.png"))
    ctx.close()


def test_window_too_small_says_so_and_accepts_nothing_until_enlarged(live_exam, browser):
    exam = live_exam(tasks=("letter",), scales=[24], per_cell=1)
    samples = samples_of(exam)
    page = browser.new_page(viewport={"width": 420, "height": 360})
    page.goto(exam.url)
    page.wait_for_selector("#notice:not([hidden])")
    text = page.inner_text("#notice")
    assert "too small to show the probe 1:1" in text and "448×448 device pixels" in text
    assert page.evaluate("getComputedStyle(document.getElementById('probe')).visibility") == "hidden"
    page.screenshot(path=str(SHOTS / "human-window-too-small.png"))
    page.keyboard.press("a")
    page.wait_for_timeout(300)
    with open_run(exam.out) as run:
        assert len(run) == 0
    page.set_viewport_size({"width": 1000, "height": 900})
    assert wait_ready(page) == "trial"
    assert page.locator("#notice").is_hidden()
    truth = samples[shown_id(page)].answer["letter"]
    page.keyboard.press(truth.lower())
    page.wait_for_function("() => document.body.dataset.state === 'done'")
    with open_run(exam.out) as run:
        assert [json.loads(r.text) for _, r in run.records(images=False)] == [{"letter": truth}]
    page.close()


def test_device_pixel_ratio_that_cannot_cover_whole_pixels_is_refused(live_exam, browser):
    # at 1.5, a 448 px image would span 447.984 device px (CSS lengths are multiples of 1/64 px): not 1:1
    exam = live_exam(tasks=("letter",), scales=[24], per_cell=1)
    ctx = browser.new_context(viewport={"width": 1000, "height": 900}, device_scale_factor=1.5)
    page = ctx.new_page()
    page.goto(exam.url)
    page.wait_for_selector("#notice:not([hidden])")
    assert "cannot be shown 1:1" in page.inner_text("#notice") and "447.984" in page.inner_text("#notice")
    page.keyboard.press("a")
    page.wait_for_timeout(300)
    with open_run(exam.out) as run:
        assert len(run) == 0
    ctx.close()


def test_malformed_answer_gets_a_message_on_the_page_and_is_not_stored(live_exam, browser):
    exam = live_exam(tasks=("letter_count",), scales=[24], per_cell=1, limit=1)
    samples = samples_of(exam)
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    events = watch(page)
    page.goto(exam.url)
    assert wait_ready(page) == "trial"
    sample = samples[shown_id(page)]
    total = page.locator("input[data-field='total']")
    assert total.evaluate("e => e === document.activeElement"), "the first field has the keyboard"
    page.keyboard.type("abc")
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('message').textContent.length > 0")
    assert page.inner_text("#message") == "total: 'abc' is not a whole number"
    page.screenshot(path=str(SHOTS / "human-malformed.png"))
    with open_run(exam.out) as run:
        assert len(run) == 0
    total.fill(str(sample.answer["total"]))
    page.locator("input[data-field='with_letter']").fill(str(sample.answer["with_letter"]))
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.body.dataset.state === 'done'")
    with open_run(exam.out) as run:
        (s, r), = run.records(images=False)
        df = score_run(run)
    assert json.loads(r.text) == sample.answer and r.raw["input"] == "form"
    assert df["outcome"].tolist() == ["correct"]
    assert [e for e in events if e[0] == "pageerror"] == []
    page.close()


def test_every_control_answers_through_the_page_and_scores_correct(live_exam, browser):
    tasks = ("shape", "presence", "quadrant", "word", "ordering", "counting", "text_order")
    exam = live_exam(tasks=tasks, scales=[48], per_cell=1)
    samples = samples_of(exam)
    page = browser.new_page(viewport={"width": 1100, "height": 1000})
    events = watch(page)
    page.goto(exam.url)
    seen = set()
    while wait_ready(page) == "trial":
        sample = samples[shown_id(page)]
        before = ready_token(page)
        for c in controls(sample):
            truth = sample.answer[c["name"]]
            if c["control"] == "buttons":
                page.keyboard.press(c["hotkeys"][c["options"].index(truth)])
            elif c["control"] == "order":
                for item in truth:
                    colour, identity = item.split(" ", 1)
                    page.keyboard.press(c["colour_keys"][c["colours"].index(colour)])
                    page.keyboard.press(c["identity_keys"][c["identities"].index(identity)])
            elif c["control"] == "counts":
                for k, v in truth.items():
                    page.locator(f"input[data-field='{c['name']}.{k}']").fill(str(v))
            elif c["control"] == "number":
                page.locator(f"input[data-field='{c['name']}']").fill(str(truth))
            elif c["control"] == "words":
                page.locator(f"input[data-field='{c['name']}']").fill(" ".join(truth).lower())
            elif c["control"] == "text":
                page.locator(f"input[data-field='{c['name']}']").fill(truth.lower())
            else:
                raise AssertionError(c)
            seen.add(c["control"])
        if any(c["control"] != "buttons" for c in controls(sample)):  # forms are sent with Enter
            if sample.family == "ordering":
                page.screenshot(path=str(SHOTS / "human-order.png"))
            page.keyboard.press("Enter")
        wait_ready(page, before)
    assert seen == {"buttons", "order", "counts", "number", "words", "text"}
    with open_run(exam.out) as run:
        df = score_run(run)
    assert len(df) == len(exam.session.source.ids())
    assert (df["outcome"] == "correct").all(), df.loc[df["outcome"] != "correct", ["task", "text"]]
    assert real_errors(events) == []
    page.close()
