"""Benchmark-score readers on their real formats: lmms-eval 0.7.3 results/samples written by real runs
(fixtures/ablation/lmms, fixtures/lmms_results.json), VLMEvalKit score tables as its writers lay them out
(vlmevalkit_writers.py), and malformed files (one line naming the file)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import vlmevalkit_writers as vw  # noqa: E402
from ablation_lmms_runs import N_DOCS, planned  # noqa: E402

from snellen.interop.benchmark_scores import read_scores, to_percent
from snellen.schema import SnellenError

FIX = Path(__file__).parent / "fixtures"
LMMS = FIX / "ablation" / "lmms"


def lmms_file(model: str, kind: str) -> Path:
    folder = LMMS / model.replace("+", "_").replace("#", "_")
    (path,) = folder.glob(f"*_{kind}*")
    return path


def test_lmms_results_file_from_a_real_run_tasks_group_metrics_and_model():
    sf = read_scores(lmms_file("siglip-so+llama3-8b#1", "results.json"))
    assert sf.format == "lmms-eval results" and sf.model == "siglip-so+llama3-8b#1"
    plan = planned("siglip-so", "llama3-8b", 1)
    birds, vqa = sf.tasks["toyabl_birds"], sf.tasks["toyabl_vqa"]
    # the metric keys as lmms-eval writes them; stderr and alias are not scores
    assert set(birds.metrics) == {"exact_match,none"} and birds.n == N_DOCS
    assert set(vqa.metrics) == {"exact_match,strict", "exact_match,flex"}
    assert birds.metrics["exact_match,none"] == pytest.approx(plan["birds"] / N_DOCS)
    assert vqa.metrics["exact_match,flex"] == pytest.approx(plan["vqa_flex"] / N_DOCS)
    assert vqa.metrics["exact_match,strict"] == pytest.approx(plan["vqa_strict"] / N_DOCS)
    assert birds.units["exact_match,none"] == "fraction"
    # selection: exact key, bare name when one filter, several filters refused with the choices
    assert birds.select("exact_match", "f") == "exact_match,none" and birds.select(None, "f") == "exact_match,none"
    assert vqa.select("exact_match,flex", "f") == "exact_match,flex"
    with pytest.raises(SnellenError, match=r"several filters \(exact_match,strict, exact_match,flex\)"):
        vqa.select("exact_match", "f")
    with pytest.raises(SnellenError, match="2 metrics"):
        vqa.select(None, "f")
    assert "toyabl" in sf.tasks  # the group's aggregate is a task of its own


def test_lmms_results_file_of_a_snellen_task_names_the_model_from_model_name():
    sf = read_scores(FIX / "lmms_results.json")  # real lmms-eval 0.7.3 output (tests/interop/harness_runs.py)
    assert sf.model == "fake-vlm" and list(sf.tasks) == ["snellen_acuity"]
    t = sf.tasks["snellen_acuity"]
    assert t.metrics == {"snellen_accuracy,none": 0.5} and t.n == 14  # the stderr "N/A" entries are no scores


def test_lmms_samples_file_is_the_mean_of_its_per_document_metric():
    sf = read_scores(lmms_file("clip-b+llama2-7b#0", "samples_toyabl_birds"))
    assert sf.format == "lmms-eval samples" and list(sf.tasks) == ["toyabl_birds"]
    t = sf.tasks["toyabl_birds"]
    assert t.n == N_DOCS and t.metrics["exact_match"] == pytest.approx(planned("clip-b", "llama2-7b", 0)["birds"] / N_DOCS)
    # the results file of the same run says the same
    res = read_scores(lmms_file("clip-b+llama2-7b#0", "results.json")).tasks["toyabl_birds"]
    assert res.metrics["exact_match,none"] == pytest.approx(t.metrics["exact_match"])


def test_lmms_samples_with_two_filters_are_refused(tmp_path):
    # a task with a filter_list logs one line per document per filter, without saying which filter
    src = lmms_file("clip-b+llama2-7b#0", "samples_toyabl_vqa")
    with pytest.raises(SnellenError, match=r"doc_id \d+ logged twice"):
        read_scores(src)


def test_lmms_samples_of_a_custom_aggregation_point_to_the_results_file():
    with pytest.raises(SnellenError, match="snellen_accuracy: not numbers, a custom aggregation; use the results file"):
        read_scores(FIX / "lmms_samples_snellen_acuity.jsonl")


@pytest.mark.parametrize("write, key, value, unit", [
    # report_acc: fractions; the one split's Overall is the headline
    (lambda d: vw.report_acc(d / "llava_MMBench_DEV_EN_acc.csv", {"dev": 0.6512}, {"CP": {"dev": 0.7}, "FP-S": {"dev": 0.55}}),
     "dev/Overall", 0.6512, "fraction"),
    (lambda d: vw.report_acc(d / "llava_SEEDBench_IMG_acc.json", {"none": 0.61}), "none/Overall", 0.61, "fraction"),
    # VQA d2df: one row, percent
    (lambda d: vw.vqa_acc(d / "llava_TextVQA_VAL_acc.csv", 58.21, {"ocr": 40.0}), "Overall", 58.21, "percent"),
    # POPE: the Overall row's Overall (F1), percent
    (lambda d: vw.pope_score(d / "llava_POPE_score.csv", {"Overall": (85.1, 86.0, 90.0, 80.7), "random": (88.0, 89.0, 91.0, 85.0)}),
     "Overall/Overall", 85.1, "percent"),
    # MM-Vet: Overall row's acc, percent (tot is a count)
    (lambda d: vw.mmvet_score(d / "llava_MMVet_gpt-4-turbo_score.csv", {"rec": (187, 40.5), "Overall": (218, 35.2)}),
     "Overall/acc", 35.2, "percent"),
])
def test_vlmevalkit_score_tables_headline_and_unit(tmp_path, write, key, value, unit):
    path = write(tmp_path)
    sf = read_scores(path)
    assert sf.format == "vlmevalkit" and sf.model is None and sf.task_from_name
    (t,) = sf.tasks.values()
    assert t.task == path.name.rsplit(".", 1)[0]
    assert t.select(None, "f") == key and t.metrics[key] == pytest.approx(value) and t.units[key] == unit


def test_vlmevalkit_mme_is_points_and_needs_a_full_scale(tmp_path):
    sf = read_scores(vw.mme_score(tmp_path / "llava_MME_score.csv", {"OCR": 120.0, "color": 150.0}, {"code_reasoning": 80.0}))
    (t,) = sf.tasks.values()
    with pytest.raises(SnellenError, match="5 metrics"):  # no Overall: which one is for the spec to say
        t.select(None, "f")
    assert t.metrics["perception"] == 270.0 and t.units["perception"] == "points"
    assert t.units["code_reasoning"] == "points"  # 80 of 200: the row's scale, not read as 80%
    with pytest.raises(SnellenError, match="in points, not percent; give the benchmark a `full_scale:`"):
        to_percent(270.0, "points", "f")
    assert to_percent(270.0, "points", "f", full_scale=2000) == pytest.approx(13.5)


def test_vlmevalkit_values_under_one_without_a_split_column_are_not_guessed(tmp_path):
    # a VQA table writes percent: 0.8 there is 0.8%, indistinguishable from a fraction
    sf = read_scores(vw.vqa_acc(tmp_path / "m_TextVQA_VAL_acc.csv", 0.8))
    (t,) = sf.tasks.values()
    assert t.units["Overall"] == "unknown"
    with pytest.raises(SnellenError, match="does not say whether 0.8 is a fraction or a percentage"):
        to_percent(0.8, t.units["Overall"], "f")


def test_vlmevalkit_several_splits_need_a_metric(tmp_path):
    sf = read_scores(vw.report_acc(tmp_path / "m_MMBench_acc.csv", {"dev": 0.6, "test": 0.58}))
    (t,) = sf.tasks.values()
    with pytest.raises(SnellenError, match="name one with `metric:`"):
        t.select(None, "f")
    assert t.select("test/Overall", "f") == "test/Overall" and t.metrics["test/Overall"] == 0.58


@pytest.mark.parametrize("name, content, message", [
    ("r.json", '{"results": {"t": {"acc,none": 0.5}}', "not valid JSON"),
    ("r.json", json.dumps({"results": {"t": 3}, "configs": {}}), "results['t'] is not a mapping of metrics"),
    ("r.json", json.dumps({"results": {}, "configs": {}}), "no task under `results`"),
    ("r.json", json.dumps({"hello": "world"}), "neither an lmms-eval results file"),
    ("x_samples_t.jsonl", '{"doc_id": 0, "filtered_resps": "a", "exact_match": 1.0}\nnot json\n', ":2: not a JSON line"),
    ("x_samples_t.jsonl", '{"doc_id": 0, "filtered_resps": "a", "exact_match": 1.0}\n{"doc_id": 1, "filtered_resps": "b"}\n',
     "metric 'exact_match' is missing or not a number on some documents"),
    ("notes.jsonl", '{"doc_id": 0, "filtered_resps": "a", "exact_match": 1.0}\n', "does not end in _samples_<task>.jsonl"),
    ("s_acc.csv", '"split","Overall"\n"dev","high"\n', "no numeric column"),
    ("s_acc.csv", '"a","b"\n1,2\n3,4\n', "2 rows and no label column"),
    ("s_acc.csv", '"split","Overall"\n"dev",0.5\n"dev",0.6\n', "row label 'dev' appears twice"),
    ("s_acc.csv", "", "empty file"),
    ("s_acc.xlsx", b"PK\x03\x04\x00\xff\xfe", "not a text file"),
])
def test_malformed_files_fail_with_one_line_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(SnellenError) as exc:
        read_scores(path)
    text = str(exc.value)
    assert str(path) in text and message in text and "\n" not in text


def test_a_folder_that_is_not_a_run_and_a_missing_path(tmp_path):
    with pytest.raises(SnellenError, match="a folder that is not a snellen run"):
        read_scores(tmp_path)
    with pytest.raises(SnellenError, match="no such file or folder"):
        read_scores(tmp_path / "nope.json")


# ---------------------------------------------------------------------------------------------------------
# snellen runs


def _snellen(*args) -> None:
    from snellen.cli import main

    old = sys.argv
    sys.argv = ["snellen", *map(str, args)]
    try:
        main()
    except SystemExit as exc:
        assert not exc.code
    finally:
        sys.argv = old


@pytest.fixture(scope="module")
def sim_runs(tmp_path_factory):
    """Letter acuity runs of simulated observers with known thresholds: 9 px (inside the grid) and 200 px
    (never reached on 4-24 px)."""
    root = tmp_path_factory.mktemp("sim")
    for t in (9, 200):
        _snellen("eval", "--model", f"sim:{t}", "--suite", "acuity", "--tasks", "letter", "--per-cell", 8,
                 "--scales", "4,6,8,10,12,16,24", "--out", root / f"sim{t}")
    return root


def test_snellen_probe_run_gives_accuracy_and_the_reports_threshold(sim_runs):
    import numpy as np

    from snellen.analysis import acuity
    from snellen.scoring import score_run
    from snellen.store import open_run

    sf = read_scores(sim_runs / "sim9")
    assert sf.format == "snellen run" and sf.model == "sim:9" and list(sf.tasks) == ["letter"]
    t = sf.tasks["letter"]
    df = score_run(open_run(sim_runs / "sim9"))
    th = acuity.thresholds(df, np.random.default_rng(0), by=("model", "task"), n_boot=0).iloc[0]
    assert t.metrics["threshold"] == pytest.approx(th["nominal_threshold"]) and t.units["threshold"] == "px"
    assert 5 < t.metrics["threshold"] < 14  # the observer's true threshold is 9 px
    answered = df[df["outcome"].isin(["correct", "wrong", "unparseable", "refusal"])]
    assert t.metrics["accuracy"] == pytest.approx((answered["outcome"] == "correct").mean()) and t.n == len(answered)
    assert t.select(None, "f") == "accuracy"
    # a threshold the grid never reached is no number, and asking for it says why
    far = read_scores(sim_runs / "sim200").tasks["letter"]
    assert "threshold" not in far.metrics
    with pytest.raises(SnellenError, match="threshold not measured"):
        far.select("threshold", "f")


def test_thresholds_enter_as_minus_px_and_never_beside_percent(sim_runs, tmp_path):
    import yaml

    from snellen.analysis.ablation_spec import assemble

    acc = vw.vqa_acc(tmp_path / "m_TextVQA_acc.csv", 55.0)
    models_ = [{"model": "a", "encoder": "e1", "llm": "l1", "results": [str(sim_runs / "sim9")]}]
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({"benchmarks": {"letter": {"kind": "fine-grained", "tasks": [{"task": "letter", "metric": "threshold"}]}},
                                    "models": models_}))
    built = assemble(spec)
    th = read_scores(sim_runs / "sim9").tasks["letter"].metrics["threshold"]
    assert built.table["score"].tolist() == [pytest.approx(-th)] and built.unit.startswith("-px")
    models_[0]["results"].append(str(acc))
    spec.write_text(yaml.safe_dump({"benchmarks": {"letter": {"kind": "fine-grained", "tasks": [{"task": "letter", "metric": "threshold"}]},
                                                   "vqa": {"kind": "general", "tasks": ["TextVQA"]}}, "models": models_}))
    with pytest.raises(SnellenError, match="benchmark 'letter' is a threshold in px but 'vqa' is on 0-100"):
        assemble(spec)


def test_snellen_finegrained_run_gives_the_panels_accuracy(tmp_path):
    sys.path.insert(0, str(Path(__file__).parents[1] / "analysis"))
    import ablation_backend  # noqa: F401  (t-ablate)

    from snellen.analysis import finegrained
    from snellen.scoring import score_run
    from snellen.store import open_run

    run = tmp_path / "run"
    _snellen("finegrained", "--model", "t-ablate:0.5", "--dataset", "fashion-mnist", "--protocol", "mc5,mc2", "--limit", 30, "--out", run)
    sf = read_scores(run)
    assert set(sf.tasks) == {"fashion-mnist:mc5-random", "fashion-mnist:mc2-random"}
    acc = finegrained.accuracy(score_run(open_run(run))).set_index("protocol")
    for proto in ("mc5-random", "mc2-random"):
        t = sf.tasks[f"fashion-mnist:{proto}"]
        assert t.metrics["accuracy"] == pytest.approx(acc.loc[proto, "accuracy"]) and t.units["accuracy"] == "fraction"
        assert t.n == acc.loc[proto, "answered"] == 30


@pytest.mark.slow
@pytest.mark.skipif(__import__("harness_runs").harness_python() is None,
                    reason="no harness venv (.hvenv); scripts/harness_env.sh builds it (scripts/test.sh does)")
def test_a_fresh_lmms_eval_run_reads_as_planned_like_the_fixtures(tmp_path):
    """The installed lmms-eval still writes what the committed fixtures hold: one planned model, run now."""
    from ablation_lmms_runs import run_lmms, serve, write_tasks

    name = "siglip-so+llama2-7b#0"
    write_tasks(tmp_path / "tasks")
    with serve() as server:
        r = run_lmms(name, server.openai_base_url, tmp_path / "tasks", tmp_path / "out")
    assert r.returncode == 0, r.stderr[-3000:]
    (results,) = (tmp_path / "out").rglob("*_results.json")
    (birds,) = (tmp_path / "out").rglob("*_samples_toyabl_birds.jsonl")
    fresh, fixture = read_scores(results), read_scores(lmms_file(name, "results.json"))
    assert fresh.model == name and set(fresh.tasks) == set(fixture.tasks) == {"toyabl", "toyabl_birds", "toyabl_vqa"}
    for task in fresh.tasks:
        assert fresh.tasks[task].metrics == pytest.approx(fixture.tasks[task].metrics)
    plan = planned("siglip-so", "llama2-7b", 0)
    assert fresh.tasks["toyabl_vqa"].metrics["exact_match,strict"] == pytest.approx(plan["vqa_strict"] / N_DOCS)
    assert read_scores(birds).tasks["toyabl_birds"].metrics["exact_match"] == pytest.approx(plan["birds"] / N_DOCS)
