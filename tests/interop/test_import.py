"""`snellen import`: real result files of lmms-eval and inspect_ai runs (tests/interop/fixtures, made by
harness_runs.py) become snellen runs with snellen's outcomes; other suites and other images are refused."""

from __future__ import annotations

import json
import shutil
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from snellen.scoring import score_run
from snellen.scoring.outcome import score_response
from snellen.store import open_run

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
sys.path.insert(0, str(HERE))
from harness_runs import snellen  # noqa: E402

LMMS = FIXTURES / "lmms_samples_snellen_acuity.jsonl"
INSPECT = FIXTURES / "inspect_log.json"


def _harness_records(harness: str) -> dict[str, tuple[dict, str | None]]:
    """sample id -> (snellen record as the harness logged it, the text the model answered)."""
    out = {}
    if harness == "lmms-eval":
        for line in LMMS.read_text().splitlines():
            row = json.loads(line)
            out[row["snellen_accuracy"]["sample_id"]] = (row["snellen_accuracy"], row["filtered_resps"])
    else:
        for s in json.loads(INSPECT.read_text())["samples"]:
            score = (s.get("scores") or {}).get("snellen_score")
            out[s["id"]] = (score["metadata"]["snellen"] if score else None, s["output"].get("completion"))
    return out


@pytest.mark.parametrize("harness,path", [("lmms-eval", LMMS), ("inspect", INSPECT)])
def test_import_gives_snellens_outcomes_and_keeps_harness_failures_as_errors(tmp_path, harness, path):
    run = tmp_path / "run"
    r = snellen("import", harness, str(path), "--out", str(run))
    assert r.returncode == 0, r.stderr
    assert "imported 14 answers" in r.stdout and "(12 answered, 2 harness errors)" in r.stdout
    with open_run(run) as opened:
        scores = score_run(opened).set_index("sample_id")
        assert opened.manifest["suite"]["name"] == "acuity"
        assert opened.manifest["model"]["spec"].startswith(f"{harness}:")
        assert "fake-vlm" in opened.manifest["model"]["spec"]
        samples = {s.id: s for s in opened.samples()}
    logged = _harness_records(harness)
    assert set(scores.index) == set(logged)
    errors = scores[scores.outcome == "error"]
    assert len(errors) == 2 and errors.text.isna().all()  # failed requests: errors, not wrong answers
    for sid, row in scores[scores.outcome != "error"].iterrows():
        rec, text = logged[sid]
        assert row.text == text
        assert row.outcome == score_response(samples[sid], text).outcome == rec["outcome"]
    assert set(scores.outcome) >= {"correct", "wrong"}


def _rewrite(src: Path, dst: Path, field: str, value) -> None:
    if src.suffix == ".jsonl":
        lines = [json.loads(x) for x in src.read_text().splitlines()]
        lines[3]["snellen_accuracy"][field] = value
        dst.write_text("".join(json.dumps(x) + "\n" for x in lines))
        shutil.copy(FIXTURES / "lmms_results.json", dst.with_name(dst.name.split("_samples_")[0] + "_results.json"))
    else:
        log = json.loads(src.read_text())
        scored = [s for s in log["samples"] if s.get("scores")]
        scored[3]["scores"]["snellen_score"]["metadata"]["snellen"][field] = value
        dst.write_text(json.dumps(log))


@pytest.mark.parametrize("harness,path,field,value,message", [
    ("lmms-eval", LMMS, "suite_hash", "0123456789abcdef", "a file from another suite"),
    ("inspect", INSPECT, "suite_hash", "0123456789abcdef", "a file from another suite"),
    ("lmms-eval", LMMS, "pixel_hash", "f" * 32, "scored a different image"),
    ("inspect", INSPECT, "prompt_variant", None, "different question"),
])
def test_import_refuses_another_suite_image_or_prompt(tmp_path, harness, path, field, value, message):
    bad = tmp_path / path.name
    _rewrite(path, bad, field, value)
    r = snellen("import", harness, str(bad), "--out", str(tmp_path / "run"))
    assert r.returncode == 2, r.stdout
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "run").exists()  # nothing half-written


def test_import_errors_are_one_line(tmp_path):
    r = snellen("import", "lmms", str(LMMS), "--out", str(tmp_path / "a"))
    assert r.returncode == 2 and "unknown harness 'lmms'" in r.stderr
    garbage = tmp_path / "x_samples_snellen_acuity.jsonl"
    garbage.write_text('{"doc_id": 0}\n')
    r = snellen("import", "lmms-eval", str(garbage), "--out", str(tmp_path / "b"))
    assert r.returncode == 2 and "not a snellen task sample" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = snellen("import", "inspect", str(tmp_path / "missing.eval"), "--out", str(tmp_path / "c"))
    assert r.returncode == 2 and "does not exist" in r.stderr
    garbage.write_text('\nnot json\n')  # a blank line is skipped, and counted
    r = snellen("import", "lmms-eval", str(garbage), "--out", str(tmp_path / "d"))
    assert r.returncode == 2 and f"{garbage.name}:2: not a JSON line" in r.stderr
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("a.json", "b.eval", "logs.json"):  # logs.json is inspect's index, not a log
        (logs / name).write_text("{}")
    r = snellen("import", "inspect", str(logs), "--out", str(tmp_path / "e"))
    assert r.returncode == 2 and "holds 2 logs (a.json, b.eval); name one" in r.stderr


def test_imported_runs_go_through_leaderboard(tmp_path):
    for harness, path in (("lmms-eval", LMMS), ("inspect", INSPECT)):
        assert snellen("import", harness, str(path), "--out", str(tmp_path / harness)).returncode == 0
    r = snellen("leaderboard", str(tmp_path / "lmms-eval"), str(tmp_path / "inspect"), "--format", "csv",
                "--bootstrap", "0")
    assert r.returncode == 0, r.stderr
    assert "lmms-eval:openai/fake-vlm" in r.stdout and "inspect:openai-api/fake/fake-vlm" in r.stdout


# ---------------------------------------------------------------------------------------------------------
# VLMEvalKit: not installable here (its PyPI packagings pin Pillow 12, snellen pins 13), so its documented
# custom-dataset contract is exercised with a minimal stand-in for the two vlmeval names the class uses.


def _vlmeval_stand_in(monkeypatch, root: Path):
    def load(path):
        path = str(path)
        return pd.read_csv(path, sep="\t", keep_default_na=False) if path.endswith(".tsv") else pd.read_csv(path)

    def dump(frame, path):
        frame.to_csv(path, sep="\t" if str(path).endswith(".tsv") else ",", index=False)

    class ImageBaseDataset:
        def __init__(self, dataset):
            self.dataset_name = dataset
            self.img_root = str(root / "images" / dataset)
            self.data = self.load_data(dataset)

    vlmeval = types.ModuleType("vlmeval")
    dataset_pkg = types.ModuleType("vlmeval.dataset")
    image_base = types.ModuleType("vlmeval.dataset.image_base")
    smp = types.ModuleType("vlmeval.smp")
    image_base.ImageBaseDataset = ImageBaseDataset
    smp.load, smp.dump = load, dump
    for name, mod in {"vlmeval": vlmeval, "vlmeval.dataset": dataset_pkg,
                      "vlmeval.dataset.image_base": image_base, "vlmeval.smp": smp}.items():
        monkeypatch.setitem(sys.modules, name, mod)


def test_vlmevalkit_dataset_class_scores_through_snellen_and_imports(tmp_path, monkeypatch):
    import importlib.util

    from fake_vlm import reply, rgb_sha256

    out = tmp_path / "export"
    args = ["--suite", "acuity", "--tasks", "letter,counting", "--per-cell", "1", "--scales", "8,24"]
    assert snellen("export-task", *args, "--to", "vlmevalkit", "--out", str(out)).returncode == 0
    _vlmeval_stand_in(monkeypatch, tmp_path / "LMUData")
    spec = importlib.util.spec_from_file_location("snellen_vlmeval", out / "snellen_vlmeval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ds = module.SnellenAcuity("snellen_acuity")
    predictions = []
    for i in range(len(ds.data)):
        msgs = ds.build_prompt(i)
        image, text = msgs[0]["value"], msgs[1]["value"]
        assert image.endswith(".png") and msgs[1]["type"] == "text"
        png = Path(image).read_bytes()
        line = ds.data.iloc[i]
        answer = json.loads(line["meta"])["answer"]
        predictions.append(reply(answer, f"{rgb_sha256(png)}|{text}") if i else "Failed to obtain answer via API.")
    pred = ds.data.drop(columns=["image"]).assign(prediction=predictions)
    pred_file = tmp_path / "outputs" / "fake-vlm" / "fake-vlm_snellen_acuity.tsv"
    pred_file.parent.mkdir(parents=True)
    pred.to_csv(pred_file, sep="\t", index=False)
    acc = ds.evaluate(str(pred_file))
    evaluated = pred_file.with_name("fake-vlm_snellen_acuity_snellen.tsv")
    assert evaluated.exists()

    r = snellen("import", "vlmevalkit", str(pred_file), "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "not yet scored by snellen" in r.stderr
    run = tmp_path / "run"
    r = snellen("import", "vlmevalkit", str(tmp_path / "outputs"), "--out", str(run))
    assert r.returncode == 0, r.stderr
    with open_run(run) as opened:
        scores = score_run(opened).set_index("sample_id")
        assert opened.manifest["model"]["spec"] == "vlmevalkit:fake-vlm"
        samples = {s.id: s for s in opened.samples()}
    by_id = dict(zip(pred["id"], pred["prediction"]))
    assert scores.loc[pred["id"].iloc[0], "outcome"] == "error"
    answered = scores[scores.outcome != "error"]
    assert len(answered) == len(pred) - 1
    for sid, row in answered.iterrows():
        assert row.outcome == score_response(samples[sid], by_id[sid]).outcome
    strict = answered.outcome.eq("correct").mean()
    assert float(acc.loc[acc["split"] == "all", "snellen_accuracy"].iloc[0]) == pytest.approx(strict)


def test_eval_log_without_inspect_ai_says_how_to_read_it(tmp_path):
    import importlib.util
    import zipfile

    if importlib.util.find_spec("inspect_ai") is not None:
        pytest.skip("inspect_ai is installed here: .eval logs are read with it (test_harness_real covers that)")
    log = tmp_path / "run.eval"
    with zipfile.ZipFile(log, "w") as z:
        z.writestr("header.json", "{}")
    r = snellen("import", "inspect", str(log), "--out", str(tmp_path / "run"))
    assert r.returncode == 2 and "needs inspect_ai" in r.stderr and "inspect log convert" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
