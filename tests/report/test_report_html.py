import html as htmllib
import json
import re

import numpy as np
import pytest

from snellen.report import build_report, write_report
from snellen.report.build import ReportError


def _json_block(text: str) -> str:
    return re.search(r'<script type="application/json" id="snellen-data">(.*?)</script>', text, re.S).group(1)


def test_report_is_self_contained(report_html):
    text = report_html.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), "nothing may load from the network"
    assert "<link" not in text and "@import" not in text
    assert text.count("<svg") >= 4 + 1 + 3 * 3  # task curves, kind panel, per-model taxonomy charts
    assert text.count('src="data:image/png;base64,') >= 3


def test_payloads_are_escaped_everywhere(report_html, payloads):
    text = report_html.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert len(scripts) == 2  # the JSON block and our own code, nothing else
    assert not re.search(r"<img[^>]*onerror", text)
    assert not re.search(r"<svg[^>]*onload", text)
    block = _json_block(text)
    assert "</" not in block and "<" not in block  # tojson escapes, so the block cannot be closed early
    data = json.loads(block)
    outputs = " ".join(g["output"] for g in data["gallery"])
    assert any(p in outputs for p in payloads)
    assert htmllib.escape(payloads[0], quote=False) in text  # shown as text


def test_manifest_and_thresholds_are_shown(report_html):
    text = report_html.read_text(encoding="utf-8")
    for key in ("suite.hash", "model.identity.model", "processor.resize", "versions.snellen"):
        assert key in text
    assert "smallest letter this model reads" in text
    assert re.search(r"\d+\.\d px", text)


def test_report_is_deterministic_given_the_seed(make_runs):
    a = build_report(make_runs(2, per_cell=6), np.random.default_rng(1), n_boot=50)
    b = build_report(make_runs(2, per_cell=6), np.random.default_rng(1), n_boot=50)
    assert a == b


def test_profiles_get_separate_sections(make_runs):
    runs = make_runs(2, per_cell=6, tasks=("letter", "shape"))
    runs[1].scores = runs[1].scores.assign(profile="finesight")
    text = build_report(runs, np.random.default_rng(0), n_boot=20)
    assert 'data-profile="finesight"' in text and 'data-profile="snellen"' in text


def test_duplicate_answers_across_runs_are_refused(make_runs, tmp_path):
    runs = make_runs(1, per_cell=4, tasks=("letter",))
    with pytest.raises(ReportError, match="two runs"):
        build_report(runs + runs, np.random.default_rng(0), n_boot=10)
    with pytest.raises(ReportError, match="does not exist"):
        write_report(runs, tmp_path / "missing" / "r.html", n_boot=10)


def test_tasks_without_effective_size_say_so_beside_tasks_with_it(make_runs):
    """One section can mix tasks whose encoder size is known and tasks where it is not."""
    runs = make_runs(2, per_cell=6)
    for r in runs:
        r.scores.loc[r.scores["task"] == "letter", "effective_scale"] = np.nan
    text = build_report(runs, np.random.default_rng(0), n_boot=20)
    assert 'data-axis="effective"' in text
    assert text.count("Effective size unknown for this task") >= 1
