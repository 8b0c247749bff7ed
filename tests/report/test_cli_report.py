import json

from typer.testing import CliRunner

import snellen.cli  # noqa: F401  (registers every command)
import snellen.report.build as build
from snellen.cli.app import app


def test_report_and_leaderboard_commands(monkeypatch, make_runs, tmp_path):
    runs = {f"r{i}": r for i, r in enumerate(make_runs(2, per_cell=5, tasks=("letter", "shape")))}
    monkeypatch.setattr(build, "load_run_input", lambda r, *args, **kwargs: runs[str(r)])
    cli = CliRunner()
    out = tmp_path / "report.html"
    res = cli.invoke(app, ["report", "r0", "r1", "--out", str(out), "--bootstrap", "20"])
    assert res.exit_code == 0, res.output
    assert res.output.strip() == str(out) and out.read_text().startswith("<!DOCTYPE html>")
    res = cli.invoke(app, ["leaderboard", "r0", "r1", "--format", "json", "--bootstrap", "20"])
    assert res.exit_code == 0, res.output
    assert sorted(r["model"] for r in json.loads(res.output)) == ["model-0", "model-1"]
    res = cli.invoke(app, ["leaderboard", "r0", "--format", "md", "--bootstrap", "0"])
    assert "| 1 | model-0 |" in res.output


def test_bad_format_is_a_one_line_error(monkeypatch, make_runs, capsys):
    import pytest

    from snellen.cli import main

    monkeypatch.setattr("sys.argv", ["snellen", "leaderboard", "r0", "--format", "xml"])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "xml" in err
