"""`snellen ablation SPEC.yaml` end to end: a synthetic set-up of 8 models (2 encoders x 2 LLMs x 2 replicates)
with known effects, its scores in the three sources: real lmms-eval 0.7.3 results and samples files
(tests/interop/fixtures/ablation/lmms, from tests/interop/ablation_lmms_runs.py), VLMEvalKit score tables as
its report_acc writes them, and snellen runs made here on the real Fashion-MNIST; then malformed specs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "interop"))
import vlmevalkit_writers as vw  # noqa: E402
from ablation_example import FMNIST, MCQ, SAMPLES_FOR_BIRDS, build, folder, one, planned_p  # noqa: E402
from ablation_lmms_runs import N_DOCS, models, planned  # noqa: E402

from snellen.analysis.ablation_spec import assemble  # noqa: E402
from cli_helpers import snellen  # noqa: E402
from snellen.schema import SnellenError  # noqa: E402


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("ablation")
    return root, build(root)


def test_spec_reads_each_source_into_the_table_with_its_provenance(world):
    _, spec = world
    built = assemble(spec)
    df = built.table.set_index(["model", "benchmark"])
    assert built.unit == "points on 0-100"
    for name, enc, llm, rep in models():
        plan = planned(enc, llm, rep)
        birds = df.loc[(name, "birds")]
        assert birds["score"] == pytest.approx(100 * plan["birds"] / N_DOCS)
        assert birds["format"] == ("lmms-eval samples" if name in SAMPLES_FOR_BIRDS else "lmms-eval results")
        if name not in SAMPLES_FOR_BIRDS:
            vqa = df.loc[(name, "vqa")]  # the flex filter, as the spec asks, not strict
            assert vqa["metric"] == "exact_match,flex" and vqa["score"] == pytest.approx(100 * plan["vqa_flex"] / N_DOCS)
            assert vqa["file_model"] == name  # lmms-eval's model_name
        else:
            assert (name, "vqa") not in df.index
        mcq = df.loc[(name, "mcq")]
        assert mcq["score"] == pytest.approx(100 * planned_p(MCQ, enc, llm, rep))
        assert mcq["unit"] == "fraction" and mcq["metric"] == "none/Overall"
        fm = df.loc[(name, "fmnist")]
        assert fm["format"] == "snellen run" and fm["file_model"] == f"t-ablate:{planned_p(FMNIST, enc, llm, rep):.2f}"
        assert 0 <= fm["score"] <= 100
    # the group aggregate in each results file is no benchmark of the spec: said, not silently dropped
    assert "6 files (20261126_104411_results.json, ...): task(s) toyabl not in the spec, not used" in built.notes
    assert any(n.startswith("benchmark vqa: no score for") for n in built.notes)


def test_command_recovers_the_planned_effects_from_the_three_sources(world, monkeypatch, capsys, tmp_path):
    _, spec = world
    code, out, err = snellen(monkeypatch, capsys, "ablation", spec, "--bootstrap", 400, "--json", tmp_path / "a.json",
                             "--rows", tmp_path / "rows.csv", "--plot", tmp_path / "a.png")
    assert code == 0, err
    assert "lmms-eval results" in out and "vlmevalkit" in out and "snellen run" in out
    # each file's own name for the model is shown beside the spec's (a file under the wrong model shows)
    line = next(ln for ln in out.splitlines() if "siglip-so+llama2-7b#1" in ln and "results.json" in ln)
    assert line.count("siglip-so+llama2-7b#1") == 2
    assert any("t-ablate:0.30" in ln for ln in out.splitlines() if "clip-b+llama2-7b#0" in ln)
    data = json.loads((tmp_path / "a.json").read_text())
    eff = {(e["factor"], e["level"]): e for e in data["effects"]}
    enc, llm = eff[("encoder", "siglip-so")], eff[("llm", "llama3-8b")]
    # planned: encoder +40 (birds) / ~+35 (fmnist) fine-grained, +5 (vqa) / +2 (mcq) general
    assert enc["fine-grained"] == pytest.approx(37.5, abs=5) and enc["general"] == pytest.approx(3.5, abs=2.5)
    assert enc["verdict"] == "disproportionate on fine-grained" and enc["difference_ci"][0] > 20
    # planned: LLM +10 / +10 fine-grained, +15 / +12 general: not disproportionate on fine-grained
    assert llm["fine-grained"] == pytest.approx(10, abs=5) and llm["general"] == pytest.approx(13.5, abs=2.5)
    assert llm["verdict"] != "disproportionate on fine-grained"
    assert "encoder effect on fine-grained: DISPROPORTIONATE" in out
    rows = pd.read_csv(tmp_path / "rows.csv")
    assert set(rows["format"]) == {"lmms-eval results", "lmms-eval samples", "vlmevalkit", "snellen run"}
    assert len(rows) == 8 * 4 - 2 and (tmp_path / "a.png").stat().st_size > 1000


def _spec(tmp_path: Path, benchmarks: dict, models_: list[dict]) -> Path:
    import yaml

    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({"benchmarks": benchmarks, "models": models_}, sort_keys=False))
    return path


def _entry(name: str, **extra) -> dict:
    enc, llm = name.split("+")[0], name.split("+")[1].split("#")[0]
    return {"model": name, "encoder": enc, "llm": llm, "results": [str(one(folder(name), "*_results.json"))], **extra}


NAMES = [m[0] for m in models()]


@pytest.mark.parametrize("mutate, message", [
    (lambda b, m: (b, [{**m[0], "encodr": "x"}] + m[1:]), "models.0.encodr: Extra inputs are not permitted"),
    (lambda b, m: ({**b, "birds": {"kind": "finegrain", "tasks": ["toyabl_birds"]}}, m), "kind 'finegrain' is not fine-grained or general"),
    (lambda b, m: ({"other": {"kind": "general", "tasks": ["mmbench"]}}, m), "none of its tasks (toyabl, toyabl_birds, toyabl_vqa) is a benchmark"),
    (lambda b, m: ({**b, "vqa": {"kind": "general", "tasks": ["toyabl_vqa"]}}, m), "task 'toyabl_vqa' has 2 metrics"),
    (lambda b, m: ({**b, "vqa": {"kind": "general", "tasks": [{"task": "toyabl_vqa", "metric": "accuracy"}]}}, m), "has no such metric"),
    (lambda b, m: (b, [{**m[0], "results": m[0]["results"] * 2}] + m[1:]), "has benchmark 'birds' twice"),
    (lambda b, m: (b, [{**m[0], "recipe": "frozen"}] + m[1:]), "has no recipe while others do"),
    (lambda b, m: (b, [{**m[0], "results": ["nope/results.json"]}] + m[1:]), "nope/results.json: no such file or folder"),
    (lambda b, m: (b, m + [m[0]]), "is listed twice"),
    (lambda b, m: ({**b, "birds": {"kind": "fine-grained", "tasks": [{"task": "toyabl_birds", "unit": "points"}]}}, m), "give the benchmark a `full_scale:`"),
])
def test_bad_specs_fail_with_one_line(tmp_path, monkeypatch, capsys, mutate, message):
    bench = {"birds": {"kind": "fine-grained", "tasks": ["toyabl_birds"]},
             "vqa": {"kind": "general", "tasks": [{"task": "toyabl_vqa", "metric": "exact_match,flex"}]}}
    bench, entries = mutate(bench, [_entry(n) for n in NAMES])
    spec = _spec(tmp_path, bench, entries)
    code, out, err = snellen(monkeypatch, capsys, "ablation", spec, "--bootstrap", 200)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("snellen: error: ") and message in lines[0], err
    assert not list(tmp_path.glob("*.png"))


def test_one_lmms_metric_read_as_fraction_for_one_model_and_percent_for_another_is_refused(tmp_path):
    # lmms-eval does not say a metric's scale: a task that reports 0-100 where one model scored under 1
    real = one(folder("clip-b+llama2-7b#0"), "*_results.json")
    data = json.loads(real.read_text())
    data["results"]["toyabl_birds"]["exact_match,none"] = 45.0
    data["model_name"] = "other"
    other = tmp_path / "other_results.json"
    other.write_text(json.dumps(data))
    entries = [{"model": "a", "encoder": "e1", "llm": "l1", "results": [str(real)]},
               {"model": "b", "encoder": "e2", "llm": "l1", "results": [str(other)]}]
    bench = {"birds": {"kind": "fine-grained", "tasks": ["toyabl_birds"]}}
    spec = _spec(tmp_path, bench, entries)
    with pytest.raises(SnellenError, match=r"benchmark 'birds': .* reads exact_match 0.3 as fraction but .* reads 45 as percent; set `unit:`"):
        assemble(spec)
    # the spec settles it: this task reports percent, so the first model scored 0.3%
    spec = _spec(tmp_path, {"birds": {"kind": "fine-grained", "tasks": [{"task": "toyabl_birds", "unit": "percent"}]}}, entries)
    assert assemble(spec).table.set_index("model")["score"].to_dict() == {"a": pytest.approx(0.3), "b": pytest.approx(45.0)}
    # two writers that state their own scales are no conflict: VLMEvalKit's report_acc (fractions), VQA (percent)
    a = vw.report_acc(tmp_path / "a_ToyMCQ_acc.csv", {"none": 0.55})
    b = vw.vqa_acc(tmp_path / "b_ToyMCQ_acc.csv", 61.0)
    entries = [{"model": "a", "encoder": "e1", "llm": "l1", "results": [str(a)]},
               {"model": "b", "encoder": "e2", "llm": "l1", "results": [str(b)]}]
    spec = _spec(tmp_path, {"mcq": {"kind": "general", "tasks": [{"task": "ToyMCQ", "metric": "Overall"}]}}, entries)
    assert assemble(spec).table["score"].tolist() == [pytest.approx(55.0), pytest.approx(61.0)]


def test_vlmevalkit_dataset_names_match_whole_parts_of_the_file_name(tmp_path):
    # MMBench_DEV_EN must not be read as MMBench, and the longer declared name wins
    f = vw.report_acc(tmp_path / "llava-v1.5-7b_MMBench_DEV_EN_acc.csv", {"dev": 0.64})
    g = vw.report_acc(tmp_path / "llava-v1.5-7b_MMBench_acc.csv", {"dev": 0.60})
    entries = [{"model": "llava", "encoder": "clip", "llm": "vicuna", "results": [str(f), str(g)]}]
    spec = _spec(tmp_path, {"mmb": {"kind": "general", "tasks": ["MMBench"]},
                            "mmb_en": {"kind": "general", "tasks": ["MMBench_DEV_EN"]}}, entries)
    df = assemble(spec).table.set_index("benchmark")
    assert df.loc["mmb_en", "score"] == pytest.approx(64.0) and df.loc["mmb", "score"] == pytest.approx(60.0)
    # relative paths are read from the spec's folder; naming the benchmark on a result works too
    entries = [{"model": "llava", "encoder": "clip", "llm": "vicuna",
                "results": [{"path": f.name, "benchmark": "mine"}]}]
    spec = _spec(tmp_path, {"mine": {"kind": "general", "tasks": ["whatever"]}}, entries)
    assert assemble(spec).table["score"].tolist() == [pytest.approx(64.0)]


def test_a_broken_spec_and_a_predictions_file(tmp_path, monkeypatch, capsys):
    spec = tmp_path / "spec.yaml"
    spec.write_text("benchmarks:\n  birds: {kind: fine-grained, tasks: [toyabl_birds]\nmodels: [")
    code, _, err = snellen(monkeypatch, capsys, "ablation", spec)
    assert code == 2 and f"{spec}: not valid YAML" in err and len(err.strip().splitlines()) == 1
    spec.write_text("- just\n- a list\n")
    code, _, err = snellen(monkeypatch, capsys, "ablation", spec)
    assert code == 2 and f"{spec}: the spec: Input should be a valid dictionary" in err
    # the predictions VLMEvalKit writes before evaluating are no scores
    pred = tmp_path / "llava_ToyMCQ.csv"
    pd.DataFrame({"index": [0, 1], "question": ["q", "r"], "prediction": ["A", "B"], "answer": ["A", "C"]}).to_csv(pred, index=False)
    spec = _spec(tmp_path, {"mcq": {"kind": "general", "tasks": ["ToyMCQ"]}},
                 [{"model": "llava", "encoder": "clip", "llm": "vicuna", "results": [str(pred)]}])
    code, _, err = snellen(monkeypatch, capsys, "ablation", spec)
    assert code == 2 and f"{pred}: VLMEvalKit predictions, not scores" in err and len(err.strip().splitlines()) == 1


def test_glob_patterns_take_a_models_score_files_and_recipes_travel(tmp_path):
    for model, base in (("a", 0.5), ("b", 0.7), ("c", 0.55), ("d", 0.75)):
        vw.report_acc(tmp_path / "vlmeval" / model / f"{model}_ToyMCQ_acc.csv", {"none": base})
        vw.vqa_acc(tmp_path / "vlmeval" / model / f"{model}_ToyVQA_acc.csv", 100 * base - 10)
        vw.vqa_acc(tmp_path / "vlmeval" / model / f"{model}_Unlisted_acc.csv", 12.0)  # a benchmark the spec leaves out
    entries = [{"model": m, "encoder": enc, "llm": "l", "recipe": rec, "results": [f"vlmeval/{m}/*_acc.csv"]}
               for m, enc, rec in (("a", "e1", "frozen"), ("b", "e2", "frozen"), ("c", "e1", "unfrozen"), ("d", "e2", "unfrozen"))]
    spec = _spec(tmp_path, {"mcq": {"kind": "fine-grained", "tasks": ["ToyMCQ"]}, "vqa": {"kind": "general", "tasks": ["ToyVQA"]}}, entries)
    built = assemble(spec)
    df = built.table.set_index(["model", "benchmark"])
    assert len(df) == 8 and df.loc[("b", "mcq"), "score"] == pytest.approx(70.0) and df.loc[("b", "vqa"), "score"] == pytest.approx(60.0)
    assert df.loc[("c", "mcq"), "recipe"] == "unfrozen"
    assert sum("Unlisted" in n and "not in the spec" in n for n in built.notes) == 4
    entries[0]["results"] = ["vlmeval/a/*_score.csv"]
    with pytest.raises(SnellenError, match=r"pattern vlmeval/a/\*_score.csv matches no file"):
        assemble(_spec(tmp_path, {"mcq": {"kind": "general", "tasks": ["ToyMCQ"]}}, entries))
