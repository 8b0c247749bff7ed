"""`snellen exam`: suite -> evaluation -> accuracy table by task and scale -> HTML report."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from snellen.cli import app

# The letters-and-digits fixture suite (the built-in `quick` covers every family and is larger).
GLYPHS = str(Path(__file__).resolve().parents[1] / "glyphs.yaml")


def needs_scoring():
    scoring = pytest.importorskip("snellen.scoring")
    if not hasattr(scoring, "score_run"):
        pytest.skip("snellen.scoring.score_run is not written yet")


def test_exam_oracle_prints_full_marks_and_writes_the_report(tmp_path):
    needs_scoring()
    out = tmp_path / "exam"
    res = CliRunner().invoke(app, ["exam", "--model", "oracle", "--suite", GLYPHS, "--per-cell", "2", "--out", str(out)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    for scale in (4, 8, 12, 24):
        assert f"{scale}px" in res.output
    z = 1.959964  # Wilson lower bound for 2/2 by hand: (1 + z^2/4 - z*sqrt(z^2/16)) / (1 + z^2/2)
    lower = (1 + z * z / 4 - z * (z * z / 16) ** 0.5) / (1 + z * z / 2)
    assert res.output.count("100%") == 8 and res.output.count(f"{100 * lower:.0f}-100") == 8  # 2 tasks x 4 scales
    assert (out / "report.html").is_file() and f"report: {out / 'report.html'}" in res.output.replace("\n", "")


def test_exam_leaves_out_tasks_the_model_cannot_answer(tmp_path):
    needs_scoring()
    import snellen_test_backends  # noqa: F401  (t-digits answers only the digit family)

    out = tmp_path / "exam"
    res = CliRunner().invoke(app, ["exam", "--model", "t-digits", "--suite", GLYPHS, "--per-cell", "1", "--out", str(out),
                                   "--no-report"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "leaving out letter" in res.output
    from snellen.store import open_run

    with open_run(out) as run:
        assert {s.task for s, _ in run.records(images=False)} == {"digit"}
