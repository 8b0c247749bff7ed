"""`--scoring` through eval, report and leaderboard, as a user types them, and the report's scoring panel.

The run is real: the finesight suite's own samples, evaluated by a backend that gives each sample's true
answer in a different format per repeat. The formats are classes the published metric is known to score
0 (docs/finesight-scoring.md), so which trials the two modes score differently is known in advance.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import snellen.cli  # noqa: F401  (registers every command)
from snellen.models.base import Backend, Request, Response, register_backend

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")


def _numbers_as_text(v):
    if isinstance(v, dict):
        return {k: _numbers_as_text(x) for k, x in v.items()}
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


# repeat -> the true answer written the way that repeat writes it
FORMATS = (
    lambda a: json.dumps(a),  # clean: both modes right
    lambda a: json.dumps({k.upper(): v for k, v in a.items()}),  # key spelling: published reads no field
    lambda a: json.dumps({k: "qq" for k in a}) + " Wait, correcting myself: " + json.dumps(a),  # first object wins there
    lambda a: "```json\n" + json.dumps(a)[:-1] + ",}\n```",  # fenced, trailing comma: both repair it
    lambda a: json.dumps(_numbers_as_text(a)),  # "2" for 2: published scores 0 where there are numbers
)


@register_backend("formats-test")
class FormatsBackend(Backend):
    """The truth, in format FORMATS[repeat]."""

    def identity(self) -> dict[str, Any]:
        return {"backend": "formats-test", "model": "formats"}

    def transmission(self) -> dict[str, Any]:
        return {"format": "none", "resize": None}

    def pricing(self):
        return (0.0, 0.0)

    def estimate_tokens(self, request: Request):
        return (0, 0)

    def answer(self, requests: list[Request]) -> list[Response]:
        return [Response(text=FORMATS[r.repeat % len(FORMATS)](r.sample.answer)) for r in requests]


def snellen(monkeypatch, *argv: str) -> int:
    """Run the CLI as `snellen ARGV...` (errors: one line on stderr, exit 2); the exit status."""
    from snellen.cli import main

    monkeypatch.setattr(sys, "argv", ["snellen", *argv])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


class Tables(HTMLParser):
    """Rows of every <table class=...> (cell text), by class."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._cls, self._row, self._cell = None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._cls = a.get("class")
            self.tables.setdefault(self._cls, [])
        elif tag == "tr" and self._cls:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._cls].append(self._row)
            self._row = None
        elif tag == "table":
            self._cls = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    p = Tables()
    p.feed(html)
    return p.tables


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    from typer.testing import CliRunner

    from snellen.cli.app import app

    out = tmp_path_factory.mktemp("scoring") / "run"
    res = CliRunner().invoke(app, [
        "eval", "--suite", "finesight", "--tasks", "letter_recognition,counting_chain", "--scales", "16",
        "--per-cell", "1", "--model", "formats-test", "--repeats", str(len(FORMATS)), "--out", str(out),
        "--scoring", "finesight",
    ])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def report(run_dir):
    """`snellen report RUN` with no --scoring: the run's own (finesight)."""
    from typer.testing import CliRunner

    from snellen.cli.app import app

    out = run_dir.parent / "report.html"
    res = CliRunner().invoke(app, ["report", str(run_dir), "--out", str(out), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    return out


def test_eval_records_the_scoring_and_report_uses_it(run_dir, report):
    assert json.loads((run_dir / "manifest.json").read_text())["scoring"] == "finesight"
    html = report.read_text(encoding="utf-8")
    assert "finesight scoring" in html
    t = tables(html)
    rows = {r[1]: r for r in t["scoring-tasks"][1:]}
    # letter: key spelling and the two-object answer differ (2 of 5); counts: also "2" for 2 (3 of 5)
    assert rows["letter_recognition"][3:7] == ["5", "100.0%", "60.0%", "40.0%"]
    assert rows["counting_chain"][4:7] == ["100.0%", "40.0%", "60.0%"]
    assert rows["counting_chain"][2] == "published schema"
    reasons = {r[1]: int(r[2]) for r in t["scoring-reasons"][1:]}
    n_count = int(rows["counting_chain"][3]) // len(FORMATS)
    assert reasons == {
        "field key spelt differently or nested (published needs the exact key)": 1 + n_count,
        "several JSON objects: published scores the first (text tasks: none), snellen the final answer": 1 + n_count,
        "number given as text or a word (published: \"2\" != 2)": n_count,
    }
    # the summary's strict accuracy is the finesight mode's
    letters = 5 * 1
    fs_correct = 3 * 1 + 2 * n_count
    assert re.search(r"strict accuracy</dt><dd>([\d.]+)%", html).group(1) == f"{100 * fs_correct / (letters + 5 * n_count):.1f}"


def test_report_scoring_option_overrides_the_run(run_dir, monkeypatch, tmp_path):
    out = tmp_path / "report.html"
    assert snellen(monkeypatch, "report", str(run_dir), "--out", str(out), "--bootstrap", "0", "--scoring", "snellen") == 0
    html = out.read_text(encoding="utf-8")
    assert "snellen scoring" in html and "This report's figures use <b>snellen</b> scoring" in html
    assert re.search(r"strict accuracy</dt><dd>([\d.]+)%", html).group(1) == "100.0"


def test_leaderboard_scoring(run_dir, monkeypatch, capsys):
    assert snellen(monkeypatch, "leaderboard", str(run_dir), "--format", "json", "--bootstrap", "0") == 0
    fs = json.loads(capsys.readouterr().out)
    assert snellen(monkeypatch, "leaderboard", str(run_dir), "--format", "json", "--bootstrap", "0", "--scoring", "snellen") == 0
    sn = json.loads(capsys.readouterr().out)
    assert fs[0]["scoring"] == "finesight" and sn[0]["scoring"] == "snellen"
    assert sn[0]["accuracy"] == 1.0 and fs[0]["accuracy"] < 0.6
    assert snellen(monkeypatch, "leaderboard", str(run_dir), "--bootstrap", "0") == 0
    assert capsys.readouterr().out.startswith("Scoring: `finesight` (FineSightBench's published metric).")


@pytest.mark.parametrize("command", ["report", "leaderboard", "eval"])
def test_a_typo_in_scoring_is_a_one_line_error(run_dir, monkeypatch, capsys, tmp_path, command):
    argv = {"report": ["report", str(run_dir), "--out", str(tmp_path / "r.html")],
            "leaderboard": ["leaderboard", str(run_dir)],
            "eval": ["eval", "--suite", "finesight", "--model", "oracle", "--out", str(tmp_path / "new")]}[command]
    code = snellen(monkeypatch, *argv, "--scoring", "finesite")
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0 and "'finesite'" in err and "snellen or finesight" in err
    assert not (tmp_path / "new").exists() and not (tmp_path / "r.html").exists()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_scoring_panel_is_visible_in_chromium(report):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        pg = browser.new_page(viewport={"width": 1300, "height": 1000})
        pg.goto(report.as_uri())
        pg.click("nav.toc a[href='#scoring']")
        rows = pg.locator("section#scoring table.scoring-tasks tbody tr")
        assert rows.count() == 2
        for i in range(rows.count()):
            rows.nth(i).scroll_into_view_if_needed()
            assert rows.nth(i).is_visible() and rows.nth(i).inner_text().strip()
        reasons = pg.locator("section#scoring table.scoring-reasons tbody tr")
        assert reasons.count() == 3 and reasons.first.is_visible()
        browser.close()
