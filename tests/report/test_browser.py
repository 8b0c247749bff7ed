"""The report in headless Chromium: renders cleanly, every figure is there, and hostile model output
executes nothing. Skipped only where chromium is not installed (CI installs it)."""

import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]


@pytest.fixture(scope="module")
def page(report_html):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1300, "height": 1000})
        events = {"console": [], "dialogs": [], "requests": []}
        pg.on("console", lambda m: events["console"].append((m.type, m.text)))
        pg.on("pageerror", lambda e: events["console"].append(("pageerror", str(e))))
        pg.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
        pg.on("request", lambda r: events["requests"].append(r.url))
        pg.goto(report_html.as_uri())
        pg.wait_for_load_state("load")
        yield pg, events
        browser.close()


def test_renders_without_console_errors_and_loads_nothing(page):
    pg, events = page
    assert [c for c in events["console"] if c[0] in ("error", "pageerror", "warning")] == []
    assert all(u.startswith(("file:", "data:")) for u in events["requests"])
    assert pg.evaluate("document.body.getAttribute('data-models')") == "3"


def test_every_figure_is_present_and_visible(page, tmp_path):
    pg, _ = page
    assert pg.locator("figure.acuity-figure").count() == 4
    assert pg.locator("figure.acuity-figure .ax-nominal svg").first.is_visible()
    assert pg.locator("figure.kind-figure svg").count() == 1
    assert pg.locator("figure.outcome-figure svg").count() == 3
    assert pg.locator("figure.confusion-figure svg").count() >= 3
    assert pg.locator(".shot img").count() >= 3
    assert pg.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    assert pg.locator("table.leaderboard tbody tr").count() == 3
    assert pg.locator("table.manifest").count() == 3
    shot = tmp_path / "report.png"
    pg.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000


def test_axis_toggle_switches_to_effective_px(page):
    pg, _ = page
    pg.click(".axis-toggle button[data-axis=effective]")
    assert pg.locator("figure.acuity-figure .ax-effective svg").first.is_visible()
    assert not pg.locator("figure.acuity-figure .ax-nominal svg").first.is_visible()
    pg.click(".axis-toggle button[data-axis=nominal]")
    assert pg.locator("figure.acuity-figure .ax-nominal svg").first.is_visible()


def test_hostile_output_executes_nothing_and_shows_as_text(page, payloads):
    pg, events = page
    assert pg.evaluate("typeof window.__pwned") == "undefined"
    assert events["dialogs"] == []
    gallery = pg.locator("pre.model-output").all_inner_texts()
    assert any(payloads[0] in t for t in gallery) and any(payloads[1] in t for t in gallery)
    # labels that came from model output (confusion matrices, phantom items) are text too
    svg_text = pg.evaluate("Array.from(document.querySelectorAll('figure svg text')).map(t => t.textContent).join(' ')")
    assert "<script>" in svg_text or "<img" in svg_text or "<svg" in svg_text
    assert pg.evaluate("document.querySelectorAll('main img:not(.shot img)').length") == 0
    assert pg.evaluate("document.querySelectorAll('script').length") == 2
    manifest = pg.locator("table.manifest").first.inner_text()
    assert payloads[0] in manifest
