"""`snellen finegrained` as a user types it: fixture datasets in their real layouts, the real Fashion-MNIST,
typos, malformed trees, a backend that errors or answers garbage, resuming; then `snellen report`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from snellen.data.finegrained.idx import DEFAULT_ROOT

sys.path.insert(0, str(Path(__file__).parents[1] / "data"))
sys.path.insert(0, str(Path(__file__).parent))
import fg_fixtures as fx  # noqa: E402
from fg_test_backends import CtrlCBackend  # noqa: E402,F401  (registers t-fgmixed, t-fgctrlc)
from cli_helpers import snellen  # noqa: E402


def one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("snellen: error: ")
    return lines[0]


def test_curve_on_a_flowers_tree_then_resume(tmp_path, monkeypatch, capsys):
    root = fx.flowers(tmp_path / "flowers-102")
    run = tmp_path / "run"
    code, out, err = snellen(monkeypatch, capsys, "finegrained", "--model", "oracle", "--dataset", f"flowers102:{root}",
                             "--protocol", "curve", "--out", run)
    assert code == 0, err
    # 3 test images x (mc2, mc5, mc20, closed)
    assert "run store now" in out and "ok 12" in out
    for proto, k in (("mc2-random", "2"), ("mc5-random", "5"), ("mc20-random", "20"), ("closed", "102")):
        line = next(ln for ln in out.splitlines() if f" {proto} " in ln)
        assert f" {k} " in line and "3/3" in line and "100.0%" in line
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["dataset"]["manifest"]["layout"] == "flowers102"
    assert manifest["dataset"]["manifest"]["protocols"] == ["mc2-random", "mc5-random", "mc20-random", "closed"]
    code, out, _ = snellen(monkeypatch, capsys, "finegrained", "--model", "oracle", "--dataset", f"flowers102:{root}",
                           "--protocol", "curve", "--out", run)
    assert code == 0 and "already in the store (resumed)          12" in out


def test_errors_are_coverage_and_garbage_is_unparseable(tmp_path, monkeypatch, capsys):
    root = fx.folder(tmp_path / "dogs")  # 2 classes, test split has 3 images
    run = tmp_path / "run"
    code, out, err = snellen(monkeypatch, capsys, "finegrained", "--model", "t-fgmixed", "--dataset", root,
                             "--protocol", "mc2", "--out", run)
    assert code == 1  # errors stored, not scored; re-run retries them
    line = next(ln for ln in out.splitlines() if " mc2-random " in ln)
    # 1 right, 1 unparseable over 2 answered (accuracy 50%, not read 50%); the error is coverage
    assert "2/3" in line and line.count("50.0%") == 2


@pytest.mark.parametrize("args,needle", [
    (["--protocol", "mc5-nearest"], "unknown protocol 'mc5-nearest'"),
    (["--protocol", "mc5"], "the dataset has only 2 classes"),
    (["--split", "valid"], "has no split 'valid'; its splits are test, train"),
    (["--neighbours", "nope.npz"], "nope.npz"),
])
def test_typos_are_one_line_errors_and_create_nothing(tmp_path, monkeypatch, capsys, args, needle):
    root = fx.folder(tmp_path / "dogs")
    run = tmp_path / "run"
    code, _, err = snellen(monkeypatch, capsys, "finegrained", "--model", "random", "--dataset", root, "--out", run,
                           *(["--protocol", "mc2"] if "--protocol" not in args else []), *args)
    assert code == 2 and needle in one_error_line(err)
    assert not run.exists()


def test_malformed_tree_names_the_file(tmp_path, monkeypatch, capsys):
    root = fx.cub(tmp_path / "cub")
    (root / "train_test_split.txt").write_text("1 1\n2 yes\n3 1\n")
    code, _, err = snellen(monkeypatch, capsys, "finegrained", "--model", "random", "--dataset", root, "--out", tmp_path / "r")
    line = one_error_line(err)
    assert code == 2 and "train_test_split.txt:2" in line and "0 or 1" in line


def test_wrong_explicit_layout(tmp_path, monkeypatch, capsys):
    root = fx.food(tmp_path / "food")
    code, _, err = snellen(monkeypatch, capsys, "finegrained", "--model", "random", "--dataset", f"cars:{root}",
                           "--out", tmp_path / "r")
    assert code == 2 and "not a stanford-cars layout" in one_error_line(err) and "food101" in err


@pytest.mark.skipif(not (DEFAULT_ROOT / "t10k-labels-idx1-ubyte.gz").is_file(), reason="apt-get install dataset-fashion-mnist")
def test_real_fashion_mnist_mc5_hard_then_report(tmp_path, monkeypatch, capsys):
    run = tmp_path / "run"
    code, out, err = snellen(monkeypatch, capsys, "finegrained", "--model", "random", "--dataset", "fashion-mnist",
                             "--protocol", "mc5-hard,closed", "--per-class", "3", "--out", run)
    assert code == 0, err
    assert "fashion-mnist: accuracy" in out and "30/30" in out
    from snellen.store import open_run

    r = open_run(run)
    metas = [s.extra["finegrained"] for s in r.samples()]
    r.close()
    hard = [m for m in metas if m["protocol"] == "mc5-hard"]
    assert len(hard) == 30 and all(m["distractor_source"].startswith("pixel-means:train") for m in hard)
    # Ankle boot's pixel neighbours are footwear, never the trouser
    boot = next(m for m in hard if m["class_id"] == "9")
    assert "Trouser" not in boot["option_names"] and {"Sneaker", "Sandal"} <= set(boot["option_names"])
    html = tmp_path / "report.html"
    code, _, err = snellen(monkeypatch, capsys, "report", run, "--out", html, "--bootstrap", "0")
    assert code == 0, err
    text = html.read_text(encoding="utf-8")
    assert 'id="finegrained"' in text and "fashion-mnist: accuracy vs number of candidates" in text



def test_ctrl_c_keeps_what_was_answered_and_the_rerun_resumes(tmp_path, monkeypatch, capsys):
    root = fx.flowers(tmp_path / "flowers")
    run = tmp_path / "run"
    args = ("finegrained", "--model", "t-fgctrlc", "--dataset", root, "--protocol", "mc5,closed", "--batch-size", "2", "--out", run)
    code, _, _ = snellen(monkeypatch, capsys, *args)
    assert code == 130  # interrupted, said so by the exit status
    from snellen.store import open_run

    r = open_run(run)
    kept = r.counts()
    r.close()
    assert kept == {"ok": 2}  # the first batch was written before the interrupt
    code, out, err = snellen(monkeypatch, capsys, *args)
    assert code == 0, err
    assert "already in the store (resumed)          2" in out and "ok 6" in out
    assert all("100.0%" in ln for ln in out.splitlines() if " mc5-random " in ln or " closed " in ln)


def test_leaderboard_lists_fine_grained_runs_per_protocol(tmp_path, monkeypatch, capsys):
    root = fx.flowers(tmp_path / "flowers")
    fg_run, probe_run = tmp_path / "fg", tmp_path / "probe"
    assert snellen(monkeypatch, capsys, "finegrained", "--model", "oracle", "--dataset", root, "--protocol", "mc2,closed",
                   "--out", fg_run)[0] == 0
    code, out, err = snellen(monkeypatch, capsys, "leaderboard", fg_run, "--bootstrap", "0")
    assert code == 0, err
    assert "### Fine-grained `flowers102`" in out
    assert "| closed | 102 | oracle | 3 / 3 | 100.0 [43.9, 100.0] | 0.0 | 0.98 |" in out
    assert "| mc2-random | 2 | oracle | 3 / 3 | 100.0 [43.9, 100.0] | 0.0 | 50 |" in out
    code, out, _ = snellen(monkeypatch, capsys, "leaderboard", fg_run, "--format", "json", "--bootstrap", "0")
    rows = json.loads(out)
    assert code == 0 and {r["protocol"] for r in rows} == {"mc2-random", "closed"} and all(r["accuracy"] == 1.0 for r in rows)
    glyphs = Path(__file__).resolve().parents[1] / "glyphs.yaml"
    assert snellen(monkeypatch, capsys, "eval", "--suite", glyphs, "--tasks", "letter", "--per-cell", "1", "--model", "oracle",
                   "--out", probe_run)[0] == 0
    code, out, _ = snellen(monkeypatch, capsys, "leaderboard", probe_run, fg_run, "--bootstrap", "0")
    assert code == 0 and "### Profile `snellen`" in out and "### Fine-grained `flowers102`" in out
    code, _, err = snellen(monkeypatch, capsys, "leaderboard", probe_run, fg_run, "--format", "csv", "--bootstrap", "0")
    assert code == 2 and "list them separately" in one_error_line(err)
