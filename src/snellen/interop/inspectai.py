"""inspect_ai: export a suite as a task module, import its eval logs.

Export layout (`inspect eval DIR/snellen_<suite>.py --model ...`):

    DIR/snellen_<suite>.py       @task: dataset of samples (PNG image + snellen's prompt), generate(), and a
                                 scorer wrapping snellen's score_response (snellen.interop.harness_side)
    DIR/samples.jsonl            one line per sample: id, question, answer, meta, image path
    DIR/images/<id>.png          the suite's lossless PNGs
    DIR/snellen_export.json      suite name, version and hash, snellen version, sample ids and pixel hashes

Import reads an inspect log, `.eval` (a zip: header.json, samples/<id>_epoch_<n>.json) or `.json`, without
needing inspect_ai installed. Each scored sample carries snellen's record in its score's metadata; a sample
that ended in an error (inspect records `error` and no score) is stored as an error, never as an answer.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from snellen.interop.common import (ExportRow, HarnessRecord, HarnessResult, harness_file, snellen_version, task_name,
                                    write_export_record)
from snellen.schema import SnellenError

SCORER = "snellen_score"

MODULE = '''"""inspect_ai task {task}: snellen suite {suite!r} v{version} (hash {hash}), exported by snellen {snellen}.

Images are the suite's lossless PNGs and the prompt is snellen's {prompt!r} prompt, unchanged. The scorer is
snellen's own (snellen.interop.harness_side.score): CORRECT only when every answer field is right; its
metadata holds snellen's outcome (correct, wrong, unparseable, refusal) for `snellen import inspect LOG`.

    cd {out} && inspect eval {name} --model openai/gpt-4o
"""

import json
from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageUser, ContentImage, ContentText, GenerateConfig
from inspect_ai.scorer import CORRECT, INCORRECT, Score, Target, accuracy, scorer, stderr
from inspect_ai.solver import TaskState, generate

from snellen.interop import harness_side

HERE = Path(__file__).resolve().parent
SUITE = {{"name": {suite!r}, "version": {version!r}, "hash": {hash!r}, "snellen_version": {snellen!r}}}


def snellen_dataset() -> MemoryDataset:
    samples = []
    with open(HERE / "samples.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            image = str(HERE / row["image"])
            content = [ContentImage(image=image), ContentText(text=row["question"])]
            samples.append(Sample(
                id=row["id"], input=[ChatMessageUser(content=content)], target=row["answer"],
                metadata={{"task": row["task"], "scale": row["scale"], "meta": row["meta"],
                          "suite_tasks": row["suite_tasks"], "question": row["question"]}},
            ))
    return MemoryDataset(samples, name={task!r})


def _image_sent(state: TaskState):
    for message in state.messages:
        if isinstance(message.content, list):
            for part in message.content:
                if isinstance(part, ContentImage):
                    return part.image
    raise ValueError(f"sample {{state.sample_id}} has no image in its messages")


def _text_sent(state: TaskState):
    return "".join(part.text for message in state.messages if isinstance(message.content, list)
                   for part in message.content if isinstance(part, ContentText)) or None


@scorer(metrics=[accuracy(), stderr()])
def {scorer}():
    async def score(state: TaskState, target: Target) -> Score:
        rec = harness_side.score(state.metadata["meta"], state.output.completion, _image_sent(state),
                                 question=_text_sent(state), suite_tasks=state.metadata["suite_tasks"])
        return Score(value=CORRECT if rec["strict"] else INCORRECT,
                     answer=json.dumps(rec["extracted"]) if rec["extracted"] is not None else None,
                     explanation=rec["outcome"], metadata={{"snellen": rec}})

    return score


@task
def {task}() -> Task:
    return Task(dataset=snellen_dataset(), solver=generate(), scorer={scorer}(),
                config=GenerateConfig(temperature=0.0, max_tokens={max_tokens}),
                metadata={{"snellen_suite": SUITE}})
'''


def export(suite, rows: list[ExportRow], out: Path, prompt: str, max_tokens: int = 1024) -> dict[str, Any]:
    task = task_name(suite.name)
    (out / "images").mkdir()
    with (out / "samples.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            image = f"images/{r.sample.id}.png"
            (out / image).write_bytes(r.sample.png_bytes())
            fh.write(json.dumps({**r.columns(), "image": image}, ensure_ascii=False) + "\n")
    module = out / f"{task}.py"
    module.write_text(MODULE.format(task=task, suite=suite.name, version=suite.version, hash=suite.manifest_hash,
                                    snellen=snellen_version(), prompt=prompt, scorer=SCORER, out=out, name=module.name,
                                    max_tokens=max_tokens), encoding="utf-8")
    files = {"task": module.name, "samples": "samples.jsonl", "images": "images/"}
    return write_export_record(out, "inspect", suite, rows, prompt, files,
                               {"run": f"cd {out} && inspect eval {module.name} --model <provider/model>"})


# ---------------------------------------------------------------------------------------------------------
# import


def _log_file(path: Path) -> Path:
    def logs(folder: Path) -> list[Path]:  # inspect's own index files are not logs
        return [p for p in [*folder.glob("*.eval"), *folder.glob("*.json")] if p.name not in ("logs.json", "listing.json")]

    return harness_file(path, logs, "no inspect log (*.eval or *.json)", "logs")


def _read_log(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(log with eval spec and plan, samples) of a .json log (read directly) or a .eval log (zstd-compressed
    zip members: read with inspect_ai's own reader, which the `harness` extra installs)."""
    if path.suffix == ".eval" or zipfile.is_zipfile(path):
        try:
            from inspect_ai.log import read_eval_log
        except ImportError:
            raise SnellenError(f"{path}: reading .eval logs needs inspect_ai (pip install 'snellen[harness]'), "
                               f"or convert it first: inspect log convert {path} --to json --output-dir DIR") from None
        try:
            data = read_eval_log(str(path)).model_dump(mode="json", exclude_none=True)
        except Exception as exc:  # inspect raises its own and pydantic errors for corrupt logs
            raise SnellenError(f"{path}: unreadable inspect log ({type(exc).__name__}: {exc})") from None
    else:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SnellenError(f"{path}: unreadable inspect log ({exc})") from None
    if not isinstance(data, dict) or "eval" not in data:
        raise SnellenError(f"{path}: not an inspect log (no 'eval' section)")
    return data, list(data.get("samples") or [])


def _completion(output: dict[str, Any]) -> str | None:
    if output.get("completion") is not None:
        return output["completion"]
    choices = output.get("choices") or []
    if not choices:
        return None
    content = (choices[0].get("message") or {}).get("content")
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return content


def read_results(path: Path) -> HarnessResult:
    log_path = _log_file(Path(path))
    header, samples = _read_log(log_path)
    spec = header.get("eval") or {}
    records: list[HarnessRecord] = []
    for s in samples:
        sid = s.get("id")
        rec = (((s.get("scores") or {}).get(SCORER) or {}).get("metadata") or {}).get("snellen")
        meta = s.get("metadata") or {}
        error = s.get("error")
        if rec is None and error is not None and "meta" in meta:
            # an errored sample was never scored: name it from the metadata the task carried
            from snellen.interop import harness_side

            rec = harness_side.score(meta["meta"], None, None, question=meta.get("question"), failed="no answer",
                                     suite_tasks=meta.get("suite_tasks"))
        if not isinstance(rec, dict) or "sample_id" not in rec:
            raise SnellenError(f"{log_path}: sample {sid} has no {SCORER} record; "
                               "was this log written by a task from `snellen export-task --to inspect`?")
        message = (error.get("message") if isinstance(error, dict) else str(error)) if error else None
        records.append(HarnessRecord(
            record=rec, text=None if message else _completion(s.get("output") or {}), error=message,
            repeat=int(s.get("epoch", 1)) - 1,
            raw={"inspect_outcome": rec.get("outcome")},
        ))
    model = str(spec.get("model") or "unknown")
    identity = {"model": model}
    if spec.get("model_base_url"):
        identity["base_url"] = spec["model_base_url"]
    generation = dict((header.get("plan") or {}).get("config") or {})
    generation.update({k: v for k, v in (spec.get("model_generate_config") or {}).items() if v is not None})
    generation.update({k: v for k, v in (spec.get("config") or {}).items() if k in ("epochs",) and v is not None})
    version = (spec.get("packages") or {}).get("inspect_ai")
    source = {"path": str(log_path), "task": spec.get("task"), "status": header.get("status"),
              "eval_id": spec.get("eval_id"), "run_id": spec.get("run_id")}
    return HarnessResult(harness="inspect", harness_version=version, model=model, identity=identity,
                         generation=generation, records=records, source=source)
