import json
import sys
from pathlib import Path

import pytest

from snellen.cli import main

# The letters-and-digits fixture suite (the built-in `quick` covers every family and is larger).
GLYPHS = str(Path(__file__).resolve().parents[1] / "glyphs.yaml")


def run(monkeypatch, capsys, *args):
    monkeypatch.setattr(sys, "argv", ["snellen", *map(str, args)])
    with pytest.raises(SystemExit) as exc:
        main()
    out, err = capsys.readouterr()
    return exc.value.code or 0, out, err


def one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("snellen: error: ")
    return lines[0]


def test_generate_then_verify(tmp_path, monkeypatch, capsys):
    out = tmp_path / "ds"
    code, stdout, _ = run(monkeypatch, capsys, "generate", "--suite", GLYPHS, "--per-cell", 2, "--out", out,
                          "--workers", 2, "--png", "--tasks", "letter", "--shard-size", 3)
    assert code == 0
    assert stdout.startswith(f"wrote 8 samples in 3 shard(s) to {out} in ") and "samples/s, 2 worker(s)" in stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tasks"] == {"letter": 8} and manifest["png_folder"]["index"] == "samples.jsonl"
    code, stdout, _ = run(monkeypatch, capsys, "verify", out)
    lines = stdout.strip().splitlines()
    assert code == 0 and lines[-1].startswith(f"{out}: OK: 8 samples, 8 targets (8 re-measured from pixels")
    # the geometric size drawn, per family and nominal scale (letters are drawn at exactly their ink height)
    assert lines[0].startswith("geometric size drawn")
    table = [ln.split() for ln in lines[1:-1]]
    assert table and all(row[:2] == ["snellen", "letter"] for row in table)
    assert all(row[6] == f"{row[2]};" and row[7:10] == ["0", "off", "nominal"] for row in table), table


def test_verify_fails_with_a_defect_list(tmp_path, monkeypatch, capsys):
    out = tmp_path / "ds"
    run(monkeypatch, capsys, "generate", "--suite", GLYPHS, "--per-cell", 1, "--out", out, "--png")
    lines = (out / "samples.jsonl").read_text().splitlines()
    victim = json.loads(lines[3])
    png = out / victim["image"]
    png.write_bytes(png.read_bytes()[:100])
    code, stdout, _ = run(monkeypatch, capsys, "verify", out / "samples.jsonl")
    assert code == 1
    assert f"{victim['id']}  image not decodable: expected a decodable image, found" in stdout
    assert "FAILED: 1 defect(s): 8 samples" in stdout


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--per-cell", 0], "--per-cell must be >= 1, got 0"),
        (["--workers", 0], "--workers must be >= 1"),
        (["--shard-size", 0], "--shard-size must be >= 1"),
        (["--tasks", "letter,nope"], "--tasks: unknown task(s) nope"),
        (["--split", "dev"], "--split must be exam or train"),
    ],
)
def test_bad_options_name_the_option(tmp_path, monkeypatch, capsys, args, needle):
    code, _, err = run(monkeypatch, capsys, "generate", "--suite", GLYPHS, "--out", tmp_path / "x", *args)
    assert code == 2 and needle in one_error_line(err)
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    "text, needle",
    [
        ("name: [unclosed\n", "malformed suite file"),
        ('name: z\nversion: "1"\ntasks:\n  - {name: l, family: letter, params: {scales: [0, 4]}}\n', "parameter 'scales'"),
        ('name: z\nversion: "1"\ntasks:\n  - {name: l, family: nosuch}\n', "unknown task family 'nosuch'"),
        ('name: z\nversion: "1"\ntasks:\n  - {name: c, family: ordering, params: {scales: [48], counts: [40], per_cell: 1, kinds: [shape]}}\n',
         "lower 'counts' or 'scales'"),
    ],
)

def test_bad_suite_files_name_the_parameter(tmp_path, monkeypatch, capsys, text, needle):
    suite = tmp_path / "s.yaml"
    suite.write_text(text)
    code, _, err = run(monkeypatch, capsys, "generate", "--suite", suite, "--out", tmp_path / "x")
    assert code == 2 and needle in one_error_line(err)


def test_unknown_suite_and_unreadable_dataset(tmp_path, monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "generate", "--suite", "nosuch", "--out", tmp_path / "x")
    assert code == 2 and "unknown suite 'nosuch'" in one_error_line(err)
    (tmp_path / "empty").mkdir()
    code, _, err = run(monkeypatch, capsys, "verify", tmp_path / "empty")
    assert code == 2 and "not a dataset snellen can read" in one_error_line(err)
