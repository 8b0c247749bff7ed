"""The fine-grained panel as a person sees it: per dataset, one table row per (model, protocol) with its
interval, the accuracy-vs-candidates figure, beside probe sections when both kinds of run are reported;
every row and figure visible in headless Chromium, every nav link landing on a section."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "data"))
sys.path.insert(0, str(Path(__file__).parents[1] / "cli"))
import fg_fixtures as fx  # noqa: E402

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")


def _cli(*args) -> None:
    from typer.testing import CliRunner

    from snellen.cli.app import app

    res = CliRunner().invoke(app, [str(a) for a in args])
    assert res.exit_code in (0, 1), res.output


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    import fg_test_backends  # noqa: F401  (registers the t-fgmixed backend)

    tmp = tmp_path_factory.mktemp("fgpanel")
    root = fx.flowers(tmp / "flowers")
    out = {}
    for model in ("oracle", "random", "t-fgmixed"):
        out[model] = tmp / model
        _cli("finegrained", "--model", model, "--dataset", root, "--protocol", "curve,mc5-random-circular", "--out", out[model])
    return out


@pytest.fixture(scope="module")
def html_paths(runs, tmp_path_factory, make_runs):
    from snellen.report import build_report
    from snellen.report.build import load_run_input

    hostile_runs = make_runs  # tests/report/conftest.py: simulated probe runs
    tmp = tmp_path_factory.mktemp("fghtml")
    fg_only = tmp / "fg.html"
    fg_only.write_text(build_report([load_run_input(r) for r in runs.values()], np.random.default_rng(0), n_boot=0), encoding="utf-8")
    mixed = tmp / "mixed.html"
    inputs = [load_run_input(runs["oracle"]), *hostile_runs(1, per_cell=6)]
    mixed.write_text(build_report(inputs, np.random.default_rng(0), n_boot=0), encoding="utf-8")
    return {"fg": fg_only, "mixed": mixed}


def _rows(html: str) -> list[list[str]]:
    body = html[html.index('<table class="fg-accuracy">'):]
    body = body[: body.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", c).replace("●", "").strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)]


def test_panel_rows_hold_the_measured_numbers(html_paths):
    rows = _rows(html_paths["fg"].read_text(encoding="utf-8"))
    by = {(r[0], r[2]): r for r in rows}
    assert len(rows) == 3 * 5  # 3 models x (mc2, mc5, mc20, closed, mc5 circular)
    assert by[("oracle", "closed")][3:] == ["102", "question", "3 / 3", "100.0%", "43.9%–100.0%", "0.0%", "0.98%", "100.0%"]
    assert by[("oracle", "mc5-random-circular")][4:7] == ["image (all rotations)", "3 / 3", "100.0%"]
    # t-fgmixed: image 0 right, image 1 garbage (unparseable, counted), image 2 a server error (coverage)
    assert by[("t-fgmixed", "mc2-random")][5:7] == ["2 / 3", "50.0%"]
    assert by[("t-fgmixed", "mc2-random")][8:11] == ["50.0%", "50%", "66.7%"]  # not read, chance, coverage


def test_mixed_report_keeps_probe_sections_and_adds_the_panel(html_paths):
    html = html_paths["mixed"].read_text(encoding="utf-8")
    assert 'id="summary"' in html and 'id="acuity"' in html and 'id="finegrained"' in html
    assert 'data-profile="finegrained"' not in html  # no acuity section for classification rows
    assert len(_rows(html)) == 5


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.parametrize("which", ["fg", "mixed"])
def test_panel_visible_in_chromium(html_paths, which):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        pg = browser.new_page(viewport={"width": 1300, "height": 1000})
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(html_paths[which].as_uri())
        hrefs = pg.eval_on_selector_all("nav.toc a", "els => els.map(e => e.getAttribute('href'))")
        assert "#finegrained" in hrefs
        for h in hrefs:  # no link to a section that is not there
            assert pg.locator(h).count() == 1, h
        pg.click("nav.toc a[href='#finegrained']")
        targets = ["section#finegrained table.fg-accuracy tbody tr", "section#finegrained figure.fg-candidates svg"]
        for sel in targets:
            loc = pg.locator(sel)
            assert loc.count() >= 1, sel
            for i in range(loc.count()):
                el = loc.nth(i)
                el.scroll_into_view_if_needed()
                assert el.is_visible(), f"{sel}[{i}]"
                box = el.bounding_box()
                assert box["width"] > 1 and box["height"] > 1
                hit = pg.evaluate("""([sel, i]) => { const el = document.querySelectorAll(sel)[i];
                    const r = el.getBoundingClientRect(); const h = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height, innerHeight) / 2);
                    return !!h && (h === el || el.contains(h)); }""", [sel, i])
                assert hit, f"{sel}[{i}] is covered"
                if sel.endswith("tr"):
                    assert el.inner_text().strip()
        assert errors == []
        browser.close()
