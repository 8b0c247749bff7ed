"""End to end, as a user types it: a tiny random LLaVA (`hf:PATH`), zero-shot CLIP (`clip:PATH`), a linear probe on
EfficientNet-Lite0 (`probe:effnet-lite0@64`) and on the VLM's own vision tower (`probe:vlm:PATH`) on real
Fashion-MNIST images through `snellen finegrained`; the VLM and the probe on the synthetic species through
`snellen eval`; then `snellen report`. The report must hold every fine-grained panel: the per-dataset table, accuracy
vs number of candidates (a line per model), the gap panel (VLM beside each baseline on the shared items, with the
gap and its interval, and the readings) and the species thresholds of VLM vs probe; each figure and table row
visible in headless Chromium (not covered, not empty)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "models"))

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
pytestmark = [pytest.mark.slow]


def _cli(*args) -> str:
    from typer.testing import CliRunner

    from snellen.cli.app import app

    res = CliRunner().invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    pytest.importorskip("efficientnet_lite_pytorch")
    from snellen.data.finegrained import open_finegrained
    from tiny_llava import build_tiny_llava
    from tiny_vlms import build_clip

    try:
        open_finegrained("fashion-mnist")
    except Exception as exc:  # noqa: BLE001 - the Debian package is what CI installs; say why it is skipped
        pytest.skip(f"fashion-mnist not available: {exc}")
    tmp = tmp_path_factory.mktemp("fggap")
    vlm = build_tiny_llava(tmp / "llava", image_size=64, patch_size=16)
    clip = build_clip(tmp / "clip")
    cache = ["--option", f"feature_cache={tmp / 'features'}"]
    fg = ["--dataset", "fashion-mnist", "--protocol", "curve", "--per-class", "1"]
    runs = {"vlm": tmp / "fg-vlm", "clip": tmp / "fg-clip", "probe": tmp / "fg-probe", "own": tmp / "fg-own",
            "sp-vlm": tmp / "sp-vlm", "sp-probe": tmp / "sp-probe"}
    out = _cli("finegrained", "--model", f"hf:{vlm}", *fg, "--max-tokens", "6", "--out", runs["vlm"])
    assert "mc20 left out: the dataset has 10 classes" in out and "accuracy over answered questions" in out
    _cli("finegrained", "--model", f"clip:{clip}", *fg, "--out", runs["clip"])
    train = ["--option", "dataset=fashion-mnist", "--option", "train_per_class=8", *cache]
    _cli("finegrained", "--model", "probe:effnet-lite0@64", *train, *fg, "--out", runs["probe"])
    _cli("finegrained", "--model", f"probe:vlm:{vlm}", *train, *fg, "--out", runs["own"])
    species = ["--suite", "quick", "--tasks", "species", "--per-cell", "2"]
    _cli("eval", "--model", f"hf:{vlm}", *species, "--max-tokens", "6", "--out", runs["sp-vlm"])
    _cli("eval", "--model", "probe:effnet-lite0@64", "--option", "suite=quick", "--option", "train_per_cell=30", *cache,
         *species, "--out", runs["sp-probe"])
    html = tmp / "report.html"
    _cli("report", *runs.values(), "--out", html, "--bootstrap", "200")
    return {"html": html, "vlm": f"hf:{vlm}", "own": f"probe:vlm:{vlm}", "clip": f"clip:{clip}", "runs": runs}


def _table(html: str, cls: str) -> list[list[str]]:
    body = html[html.index(f'<table class="{cls}">'):]
    body = body[: body.index("</table>")].split("<tbody>")[1]
    return [[re.sub(r"<[^>]+>", "", c).replace("●", "").strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_gap_panel_compares_every_model_kind_on_the_shared_items(report):
    html = report["html"].read_text(encoding="utf-8")
    rows = _table(html, "fg-gap-table")
    # protocols mc2, mc5, closed x (VLM, own tower, linear probe, zero-shot); 10 images (one per class) each
    assert len(rows) == 3 * 4
    assert {r[0] for r in rows} == {"mc2-random", "mc5-random", "closed"}
    kinds = {(r[0], r[2]): r for r in rows}
    assert {k for _, k in kinds} == {"VLM", "own-tower probe", "linear probe", "zero-shot"}
    assert all(r[3] == "10" and r[4] == "10" for r in rows)  # own and shared items
    by_model = {(r[0], r[1]): r for r in rows}
    assert by_model[("mc5-random", report["vlm"])][8] == "—"  # the VLM has no gap with itself
    for r in rows:
        if r[2] != "VLM":
            assert re.fullmatch(r"[+-]\d+\.\d", r[8]) and re.fullmatch(r"\[[+-]\d+\.\d, [+-]\d+\.\d\]", r[9]), r
    readings = re.findall(r'<ul class="fg-readings">(.*?)</ul>', html, re.S)[0]
    assert "own-tower probe" in readings and "linear probe" in readings and "zero-shot" in readings
    assert "10 shared items" in readings


def test_species_thresholds_of_vlm_and_probe_side_by_side(report):
    rows = _table(report["html"].read_text(encoding="utf-8"), "fg-threshold-table")
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [("species", report["vlm"], "probe:effnet-lite0@64", "linear probe")]
    vlm_t, probe_t, pairs, gap_t = rows[0][2], rows[0][5], rows[0][6], rows[0][7]
    assert pairs == "8" and vlm_t.endswith("px") and probe_t.endswith("px")
    # a number with its interval, or a bound / n/a with the reason said
    assert re.fullmatch(r"[+-]\d+\.\d px \[[+-]\d+\.\d, [+-]\d+\.\d\]", gap_t) or re.match(r"(> \d+\.\d px|n/a)\s*\S", gap_t), gap_t


def test_candidates_curve_has_a_line_per_model(report):
    html = report["html"].read_text(encoding="utf-8")
    fig = re.findall(r'<figure class="fg-candidates".*?</figure>', html, re.S)
    assert len(fig) == 1
    for model in (report["vlm"], report["own"], report["clip"], "probe:effnet-lite0@64"):
        assert f"{model} · random distractors" in fig[0], model


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_every_new_panel_is_visible_in_chromium(report):
    from playwright.sync_api import sync_playwright

    targets = ["section#finegrained table.fg-accuracy tbody tr", "section#finegrained figure.fg-candidates svg",
               "section#finegrained ul.fg-readings li", "section#finegrained table.fg-gap-table tbody tr",
               "section#finegrained figure.fg-gap-accuracy svg", "section#finegrained figure.fg-gap-figure svg",
               "section#finegrained table.fg-threshold-table tbody tr", "section#finegrained figure.fg-threshold-figure svg"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        pg = browser.new_page(viewport={"width": 1300, "height": 1000})
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(report["html"].as_uri())
        pg.click("nav.toc a[href='#finegrained']")
        for sel in targets:
            loc = pg.locator(sel)
            assert loc.count() >= 1, sel
            for i in range(loc.count()):
                el = loc.nth(i)
                el.scroll_into_view_if_needed()
                pg.evaluate("([sel, i]) => document.querySelectorAll(sel)[i].scrollIntoView({block: 'center'})", [sel, i])
                assert el.is_visible(), f"{sel}[{i}]"
                box = el.bounding_box()
                assert box["width"] > 20 and box["height"] > 5, (sel, i, box)
                hit = pg.evaluate("""([sel, i]) => { const el = document.querySelectorAll(sel)[i];
                    const r = el.getBoundingClientRect(); const h = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height, innerHeight) / 2);
                    return !!h && (h === el || el.contains(h)); }""", [sel, i])
                assert hit, f"{sel}[{i}] is covered"
                if sel.endswith(("tr", "li")):
                    assert el.inner_text().strip(), f"{sel}[{i}] is empty"
                else:  # a figure with marks drawn: errorbars / markers are paths
                    assert pg.evaluate("([sel, i]) => document.querySelectorAll(sel)[i].querySelectorAll('path, use').length", [sel, i]) > 5
        assert errors == []
        browser.close()


def test_leaderboard_prints_the_gaps_as_typed(report):
    runs = report["runs"]
    out = _cli("leaderboard", runs["vlm"], runs["clip"], runs["probe"], runs["own"], "--bootstrap", "0")
    head = f"### Fine-grained `fashion-mnist`: `{report['vlm']}` beside image-only baselines"
    assert head in out
    rows = [ln for ln in out[out.index(head):].splitlines() if ln.startswith(("| mc", "| closed"))]
    assert len(rows) == 3 * 3  # (mc2, mc5, closed) x (own tower, linear probe, zero-shot)
    assert all("| 10 / (10, 10) |" in r for r in rows)
    assert {r.split(" | ")[2] for r in rows} == {"own-tower probe", "linear probe", "zero-shot"}
