"""lmms-eval: export a suite as a task folder, import its logged samples.

Export layout (`--include_path DIR --tasks snellen_<suite>`):

    DIR/snellen_<suite>.yaml     the task: local Parquet dataset, generate_until, snellen's metric
    DIR/utils.py                 doc_to_visual / doc_to_text / process_results; process_results calls snellen
    DIR/data/test.parquet        one row per sample; `image` is a datasets Image feature holding the PNG
    DIR/snellen_export.json      suite name, version and hash, snellen version, sample ids and pixel hashes

Import reads `{date}_samples_snellen_<suite>.jsonl` (written with `--log_samples`) and the `{date}_results.json`
beside it (model and model_args, generation kwargs, lmms-eval version). Each logged sample carries snellen's
record under `snellen_accuracy` (from process_results) and the model's text in `resps`. lmms-eval returns a
failed API call as the text "[LMMS_EVAL_REQUEST_FAILED ...]": that is an error, never an answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from snellen.interop.common import (
    ExportRow, HarnessRecord, HarnessResult, harness_file, json_lines, task_name, write_export_record,
)
from snellen.schema import SnellenError

METRIC = "snellen_accuracy"
FAILURE_PREFIXES = ("[LMMS_EVAL_REQUEST_FAILED", "[LMMS_EVAL_BUDGET_EXCEEDED")

UTILS = '''"""lmms-eval task {task}: snellen suite {suite!r} v{version} (hash {hash}), exported by snellen {snellen}.

Images are the suite's lossless PNGs; the prompt is snellen's {prompt!r} prompt, unchanged. Scoring is
snellen's own (snellen.interop.harness_side.score), so this task's numbers are snellen's numbers.
"""

from snellen.interop import harness_side

FAILURE_PREFIXES = {failures!r}


def doc_to_visual(doc):
    return [doc["image"].convert("RGB")]


def doc_to_text(doc, lmms_eval_specific_kwargs=None):
    return doc["question"]


def process_results(doc, results):
    text = results[0] if results else None
    failed = text if isinstance(text, str) and text.startswith(FAILURE_PREFIXES) else None
    return {{"{metric}": harness_side.score(doc["meta"], text, doc["image"], question=doc_to_text(doc),
                                                 failed=failed,
                                                 suite_tasks=doc["suite_tasks"])}}


def aggregate_accuracy(records):
    return harness_side.accuracy(records)
'''

YAML = """# lmms-eval task exported by snellen {snellen}: suite {suite!r} v{version}, hash {hash}.
# Run: python -m lmms_eval --include_path {out} --tasks {task} --log_samples --output_path OUT ...
# Import the logged samples back: snellen import lmms-eval OUT --out RUN
task: {task}
dataset_path: parquet
dataset_kwargs:
  data_files:
    test: {data}
test_split: test
output_type: generate_until
doc_to_visual: !function utils.doc_to_visual
doc_to_text: !function utils.doc_to_text
doc_to_target: answer
process_results: !function utils.process_results
process_results_use_image: true
generation_kwargs:
  max_new_tokens: {max_tokens}
  temperature: 0
  do_sample: false
  until: []  # as snellen eval: no stop strings (lmms-eval's default cuts local models' output at a blank line)
metric_list:
  - metric: {metric}
    aggregation: !function utils.aggregate_accuracy
    higher_is_better: true
metadata:
  version: 1.0
  snellen_suite: {suite}
  snellen_suite_version: "{version}"
  snellen_suite_hash: "{hash}"
  snellen_version: "{snellen}"
  prompt_variant: {prompt}
"""


def export(suite, rows: list[ExportRow], out: Path, prompt: str, max_tokens: int = 1024) -> dict[str, Any]:
    import datasets

    task = task_name(suite.name)
    (out / "data").mkdir()
    data_path = out / "data" / "test.parquet"
    columns: dict[str, list] = {k: [] for k in rows[0].columns()}
    images = []
    for r in rows:
        for k, v in r.columns().items():
            columns[k].append(v)
        images.append({"bytes": r.sample.png_bytes(), "path": f"{r.sample.id}.png"})
    features = datasets.Features({**{k: datasets.Value("int32" if k == "scale" else "string") for k in columns},
                                  "image": datasets.Image()})
    datasets.Dataset.from_dict({**columns, "image": images}, features=features).to_parquet(str(data_path))
    from snellen.interop.common import snellen_version

    fmt = dict(task=task, suite=suite.name, version=suite.version, hash=suite.manifest_hash, snellen=snellen_version(),
               prompt=prompt, metric=METRIC, failures=FAILURE_PREFIXES, out=out, data=json.dumps(str(data_path)),
               max_tokens=max_tokens)
    (out / f"{task}.yaml").write_text(YAML.format(**fmt), encoding="utf-8")
    (out / "utils.py").write_text(UTILS.format(**fmt), encoding="utf-8")
    files = {"task": f"{task}.yaml", "utils": "utils.py", "data": "data/test.parquet"}
    return write_export_record(out, "lmms-eval", suite, rows, prompt, files,
                               {"run": f"python -m lmms_eval --include_path {out} --tasks {task} --log_samples"})


# ---------------------------------------------------------------------------------------------------------
# import


def _samples_file(path: Path) -> Path:
    return harness_file(path, lambda folder: list(folder.rglob("*_samples_*.jsonl")),
                        "no lmms-eval samples file (*_samples_<task>.jsonl); run lmms-eval with --log_samples", "samples files")


def _results_file(samples: Path) -> Path | None:
    prefix = samples.name.split("_samples_")[0]
    candidate = samples.with_name(f"{prefix}_results.json")
    return candidate if candidate.exists() else None


def _model_args(text: Any) -> dict[str, Any]:
    if isinstance(text, dict):
        return dict(text)
    out = {}
    for part in str(text or "").split(","):
        k, eq, v = part.partition("=")
        if eq:
            out[k.strip()] = v.strip()
    return out


def read_results(path: Path) -> HarnessResult:
    samples_path = _samples_file(Path(path))
    results_path = _results_file(samples_path)
    results = {}
    if results_path is not None:
        try:
            results = json.loads(results_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise SnellenError(f"{results_path}: unreadable lmms-eval results file ({exc})") from None
    config = results.get("config") or {}
    args = _model_args(config.get("model_args"))
    model_name = args.get("model_version") or args.get("model") or args.get("pretrained") or "unknown"
    identity = {"model": str(config.get("model") or "unknown"),
                **{k: v for k, v in args.items() if k in ("model_version", "model", "pretrained", "base_url", "revision")}}
    task_configs = results.get("configs") or {}
    records: list[HarnessRecord] = []
    generation: dict[str, Any] = {}
    with samples_path.open(encoding="utf-8") as fh:
        for n, row in json_lines(fh, samples_path):
            rec = row.get(METRIC)
            if not isinstance(rec, dict) or "sample_id" not in rec:
                raise SnellenError(f"{samples_path}:{n}: not a snellen task sample (no {METRIC} record); "
                                   "was it written by a task from `snellen export-task`?")
            text = row.get("filtered_resps", row.get("resps"))
            while isinstance(text, list):  # older lmms-eval logs [[text]]
                text = text[0] if text else None
            error = rec.get("error") if rec.get("outcome") == "error" else None
            task_cfg = task_configs.get(task_name(str(rec.get("suite", "")))) or {}
            generation = task_cfg.get("generation_kwargs") or generation
            records.append(HarnessRecord(record=rec, text=None if error else text, error=error,
                                         raw={"doc_id": row.get("doc_id"), "doc_hash": row.get("doc_hash")}))
    version = results.get("lmms_eval_version")
    source = {"path": str(samples_path), "results": str(results_path) if results_path else None,
              "model_args": {k: v for k, v in args.items() if k not in ("api_key",)}}
    return HarnessResult(harness="lmms-eval", harness_version=version, model=f"{identity['model']}/{model_name}",
                         identity=identity, generation=generation, records=records, source=source)
