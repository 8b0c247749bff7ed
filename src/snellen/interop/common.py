"""What every harness export and import shares.

Export: the selected samples become rows with the sample's id, suite hash, pixel hash, prompt, answer and full
metadata (`Sample.meta()`), plus its lossless PNG; `snellen_export.json` records the suite (name, version,
hash), the snellen version, the prompt variant and every sample id with its pixel hash.

Import: a harness module reads its result files into a `HarnessResult` (one `HarnessRecord` per answer, the
model identity and generation settings from the harness's own config). `write_run` regenerates each sample
from the suite, refuses a record whose sample id or suite hash is not the suite's or whose recorded image
differs from the suite's pixels, and writes the answers into a snellen run (store + manifest), so `snellen
report` and `leaderboard` read it like any other run. Harness failures are stored as errors, never scored.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snellen.schema import Sample, SnellenError

EXPORT_FILE = "snellen_export.json"
EXPORT_FORMAT = "snellen-harness-export"
PROMPT_VARIANTS = ("json", "free")


def snellen_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("snellen")
    except PackageNotFoundError:
        return "not installed"


def task_name(suite_name: str) -> str:
    """The harness-side task name of a suite: snellen_<suite>, safe as a Python identifier."""
    safe = "".join(c if c.isalnum() else "_" for c in suite_name.lower())
    return f"snellen_{safe}"


def prepare_out(out: Path) -> Path:
    """A new or empty folder to export into (never overwrite someone's files)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SnellenError(f"--out {out} exists and is not a folder")
    if out.exists() and any(out.iterdir()):
        raise SnellenError(f"--out {out} is not empty; export into a new folder")
    if not out.parent.exists():
        raise SnellenError(f"--out {out}: folder {out.parent} does not exist")
    out.mkdir(exist_ok=True)
    return out.resolve()


@dataclass
class ExportRow:
    """One sample as every harness export stores it."""

    sample: Sample
    question: str
    pixel_hash: str
    suite_tasks: list[str]  # the suite's task entries as exported (the suite hash covers exactly these)

    @property
    def answer_text(self) -> str:
        """The expected answer as a person reads it: the bare value for one-field answers, else JSON."""
        if len(self.sample.answer) == 1:
            (value,) = self.sample.answer.values()
            if isinstance(value, (str, int)):
                return str(value)
        return json.dumps(self.sample.answer, sort_keys=True, ensure_ascii=False)

    def columns(self) -> dict[str, Any]:
        s = self.sample
        return {
            "id": s.id, "suite": s.suite, "suite_hash": s.suite_hash, "task": s.task, "family": s.family,
            "scale": int(s.scale), "pixel_hash": self.pixel_hash, "question": self.question,
            "answer": self.answer_text, "options": json.dumps(s.options) if s.options else None,
            "meta": json.dumps(s.meta(), sort_keys=True, ensure_ascii=False),
            "suite_tasks": json.dumps(self.suite_tasks),
        }


def export_rows(suite, samples, prompt: str) -> list[ExportRow]:
    from snellen.store import pixel_hash

    if prompt not in PROMPT_VARIANTS:
        raise SnellenError(f"--prompt must be one of {', '.join(PROMPT_VARIANTS)}, not {prompt!r}")
    rows = []
    for s in samples:
        s.png_bytes()  # lossless PNG of the drawn pixels
        rows.append(ExportRow(s, s.prompts[prompt], pixel_hash(s.pixels()), [e.name for e in suite.entries]))
    if not rows:
        raise SnellenError("the selection has no samples to export")
    return rows


def write_export_record(out: Path, harness: str, suite, rows: list[ExportRow], prompt: str,
                        files: dict[str, str], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    record = {
        "format": EXPORT_FORMAT, "version": 1, "harness": harness, "snellen_version": snellen_version(),
        "created": time.time(),
        "suite": {"name": suite.name, "version": suite.version, "hash": suite.manifest_hash, "source": str(suite.source),
                  "tasks": [e.name for e in suite.entries]},
        "task": task_name(suite.name), "prompt_variant": prompt, "samples": len(rows),
        "images": "png (lossless)", "files": files,
        "sample_pixels": {r.sample.id: r.pixel_hash for r in rows},
        **(extra or {}),
    }
    (out / EXPORT_FILE).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return record


# ---------------------------------------------------------------------------------------------------------
# import


@dataclass
class HarnessRecord:
    """One answer found in a harness's result file: its snellen record (from harness_side.score) and text."""

    record: dict[str, Any]  # names the sample (id, suite hash, task, cell, index) and the pixels scored
    text: str | None
    error: str | None = None  # the harness's own failure message: stored as an error, never scored
    repeat: int = 0
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class HarnessResult:
    harness: str
    harness_version: str | None
    model: str  # display name, e.g. openai/gpt-4o
    identity: dict[str, Any]  # what makes the model this model, from the harness config
    generation: dict[str, Any]  # decoding settings from the harness config
    records: list[HarnessRecord]
    source: dict[str, Any]  # files read


@dataclass
class ImportSummary:
    run: str
    records: int
    answered: int
    errors: int
    tasks: dict[str, int]
    suite: dict[str, Any]
    model: str


def harness_file(path: Path, candidates: Callable[[Path], list[Path]], missing: str, plural: str) -> Path:
    """`path` itself when it is a file, else the one file of the folder `path` that `candidates` lists (none or
    several: one line saying so)."""
    if path.is_file():
        return path
    if not path.is_dir():
        raise SnellenError(f"{path} does not exist")
    found = sorted(candidates(path))
    if not found:
        raise SnellenError(f"{path}: {missing}")
    if len(found) > 1:
        names = ", ".join(str(p.relative_to(path)) for p in found[:4])
        raise SnellenError(f"{path} holds {len(found)} {plural} ({names}); name one")
    return found[0]


def json_lines(lines: Iterable[str], where: Path | str) -> Iterator[tuple[int, Any]]:
    """(line number, value) of each non-blank line of a JSON-lines file; a line that is not JSON is one error
    naming it."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise SnellenError(f"{where}:{n}: not a JSON line") from None
        yield n, row


def _refuse(where: str, msg: str) -> SnellenError:
    return SnellenError(f"{where}: {msg}")


def write_run(result: HarnessResult, out: Path, suite: str | None = None, argv: list[str] | None = None) -> ImportSummary:
    """Turn a harness's records into a snellen run at `out` (refusing records of another suite or image)."""
    from snellen.probes.suite import WorkItem, load_suite
    from snellen.store import Row, config_hash, create_run, pixel_hash, response_key

    where = result.source.get("path", result.harness)
    if not result.records:
        raise _refuse(where, f"no {result.harness} sample records with snellen scores found")
    first = result.records[0].record
    suite_name = suite or first.get("suite")
    if not suite_name:
        raise _refuse(where, "records do not name their suite; pass --suite")
    loaded = load_suite(suite_name, only=first.get("suite_tasks") or None)
    by_task = {e.name: i for i, e in enumerate(loaded.entries)}
    rows: list[Row] = []
    tasks: dict[str, int] = {}
    errors = 0
    identity = {"harness": result.harness, **result.identity}
    transmission = {"harness": result.harness, "format": "png"}
    config = {"backend": f"import:{result.harness}", "identity": identity, "generation": result.generation,
              "transmission": transmission}
    seen: set[tuple[str, int]] = set()
    for rec in result.records:
        r = rec.record
        sid = str(r.get("sample_id"))
        if r.get("suite_hash") != loaded.manifest_hash:
            raise _refuse(where, f"sample {sid} comes from suite hash {r.get('suite_hash')}, but suite "
                                 f"{loaded.name!r} has hash {loaded.manifest_hash}: a file from another suite")
        if r.get("task") not in by_task:
            raise _refuse(where, f"sample {sid}: task {r.get('task')!r} is not in suite {loaded.name!r}")
        try:
            item = WorkItem(by_task[r["task"]], tuple(sorted(dict(r["cell"]).items())), int(r["index"]))
            sample = loaded.make(item, r.get("split", "exam"))
        except (KeyError, TypeError, ValueError) as exc:
            raise _refuse(where, f"sample {sid}: its record cannot be matched to the suite ({exc})") from None
        if sample.id != sid:
            raise _refuse(where, f"sample {sid} is not sample {sample.id} of suite {loaded.name!r}; its record was changed")
        pix = pixel_hash(sample.pixels())
        failed = rec.error is not None or rec.text is None
        if r.get("pixel_hash") != pix and not (failed and r.get("pixel_hash") is None):
            raise _refuse(where, f"sample {sid}: the harness scored a different image (pixel hash "
                                 f"{r.get('pixel_hash')}, the suite draws {pix})")
        if (sid, rec.repeat) in seen:
            raise _refuse(where, f"sample {sid} appears twice (repeat {rec.repeat})")
        seen.add((sid, rec.repeat))
        variant = r.get("prompt_variant")
        if variant not in sample.prompts:
            raise _refuse(where, f"sample {sid}: the harness asked a different question than snellen's prompts "
                                 "(the prompt was changed), so its answers are not this suite's")
        prompt = sample.prompts[variant]
        key = response_key(backend=f"import:{result.harness}", identity=identity, generation=result.generation,
                           transmission=transmission, pixels=pix, prompt=prompt, system_prompt=None,
                           repeat=rec.repeat)
        errors += failed
        tasks[sample.task] = tasks.get(sample.task, 0) + 1
        rows.append(Row(
            key=key, sample=sample, pixels=pix, repeat=rec.repeat, status="error" if failed else "ok",
            text=None if failed else rec.text, error_kind="harness_error" if failed else None,
            error_message=(rec.error or "no response")[:2000] if failed else None,
            raw={"harness": result.harness, "harness_outcome": r.get("outcome"), **rec.raw},
        ))
    run = create_run(out)
    try:
        run.bind_config(config)
        run.write(rows)
        manifest = {
            "format": "snellen-run", "version": 1, "created": time.time(),
            "imported_from": {"harness": result.harness, "harness_version": result.harness_version, **result.source},
            "versions": {"snellen": snellen_version(), "harness": {result.harness: result.harness_version}},
            "suite": {"name": loaded.name, "version": loaded.version, "hash": loaded.manifest_hash},
            "dataset": None,
            "sources": [{"kind": "harness", "harness": result.harness, **result.source}],
            "model": {"spec": f"{result.harness}:{result.model}", "backend": f"import:{result.harness}",
                      "identity": identity, "revision": identity.get("revision"), "manifest": {}},
            "processor": None, "settings": result.generation, "transmission": transmission, "options": {},
            "repeats": 1 + max(r.repeat for r in result.records),
            "config_hash": config_hash(config),
            "invocations": [{"argv": run.redact.argv(list(argv or [])), "started": time.time()}],
        }
        run.write_manifest(manifest)
    finally:
        run.close()
    return ImportSummary(run=str(out), records=len(rows), answered=len(rows) - errors, errors=errors, tasks=tasks,
                         suite=manifest["suite"], model=manifest["model"]["spec"])
