"""VLMEvalKit: export a suite as a custom TSV dataset with its dataset class, import its evaluated predictions.

Export layout:

    DIR/snellen_<suite>.tsv        VLMEvalKit's custom-dataset TSV: index, image (base64 PNG), question, answer,
                                   options (JSON, where the answer is closed-set) + snellen's columns (id,
                                   suite_hash, pixel_hash, meta, suite_tasks, ...)
    DIR/snellen_vlmeval.py         the dataset class (ImageBaseDataset, TYPE VQA): images are written as
                                   <id>.png, byte for byte (VLMEvalKit's default dump writes <index>.jpg, which
                                   PIL saves as JPEG: lossy), the prompt is snellen's, and `evaluate` scores
                                   every prediction through snellen and writes <pred>_snellen.tsv
    DIR/snellen_export.json        suite name, version and hash, snellen version, sample ids and pixel hashes

Import reads that `<model>_<dataset>_snellen.tsv` (or .xlsx): one row per prediction with snellen's record in
the `snellen` column. VLMEvalKit returns a failed API call as the text "Failed to obtain answer via API.":
that is an error, never an answer. The model's name is VLMEvalKit's own (the file name's prefix).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from snellen.interop.common import ExportRow, HarnessRecord, HarnessResult, snellen_version, task_name, write_export_record
from snellen.schema import SnellenError

FAILURE = "Failed to obtain answer via API."
SUFFIX = "_snellen"

MODULE = '''"""VLMEvalKit dataset {task}: snellen suite {suite!r} v{version} (hash {hash}), exported by snellen {snellen}.

Register it before running VLMEvalKit, then name it like any dataset:

    import vlmeval.dataset
    from snellen_vlmeval import {cls}
    vlmeval.dataset.{cls} = {cls}
    # run.py --config cfg.json, with "data": {{"{task}": {{"class": "{cls}", "dataset": "{task}"}}}}

Images are written as PNG exactly as exported (never JPEG), the prompt is snellen's {prompt!r} prompt, and
`evaluate` scores with snellen (snellen.interop.harness_side.score), writing <prediction>{suffix}.tsv for
`snellen import vlmevalkit`.
"""

import base64
import json
import os
import os.path as osp

import pandas as pd
from vlmeval.dataset.image_base import ImageBaseDataset
from vlmeval.smp import dump, load

from snellen.interop import harness_side

HERE = osp.dirname(osp.abspath(__file__))
FAILURE = {failure!r}


class {cls}(ImageBaseDataset):
    TYPE = "VQA"
    MODALITY = "IMAGE"
    DATASET_URL = {{"{task}": osp.join(HERE, "{task}.tsv")}}
    DATASET_MD5 = {{"{task}": None}}

    @classmethod
    def supported_datasets(cls):
        return ["{task}"]

    def load_data(self, dataset):
        return load(self.DATASET_URL[dataset])

    def dump_image(self, line):
        os.makedirs(self.img_root, exist_ok=True)
        path = osp.join(self.img_root, f"{{line['id']}}.png")
        if not osp.exists(path):
            with open(path, "wb") as fh:
                fh.write(base64.b64decode(line["image"]))
        return [path]

    def build_prompt(self, line):
        if isinstance(line, int):
            line = self.data.iloc[line]
        return [dict(type="image", value=p) for p in self.dump_image(line)] + [dict(type="text", value=line["question"])]

    def evaluate(self, eval_file, **judge_kwargs):
        data = load(eval_file)
        images = dict(zip(self.data["id"], self.data["image"]))
        records = []
        for _, row in data.iterrows():
            text = None if pd.isna(row["prediction"]) else str(row["prediction"])
            failed = text if text is not None and FAILURE in text else None
            records.append(harness_side.score(row["meta"], text, images[row["id"]], question=row["question"],
                                              failed=failed,
                                              suite_tasks=row["suite_tasks"]))
        data["snellen"] = [json.dumps(r) for r in records]
        data["hit"] = [int(bool(r["strict"])) for r in records]
        stem, _ = osp.splitext(eval_file)
        dump(data, stem + "{suffix}.tsv")
        acc = pd.DataFrame([{{"split": "all", "snellen_accuracy": harness_side.accuracy(records)}}] + [
            {{"split": task, "snellen_accuracy": harness_side.accuracy([r for r in records if r["task"] == task])}}
            for task in sorted({{r["task"] for r in records}})
        ])
        dump(acc, stem + "_acc.csv")
        return acc
'''


def class_name(suite_name: str) -> str:
    return "Snellen" + "".join(p.capitalize() for p in task_name(suite_name).split("_")[1:] if p)


def export(suite, rows: list[ExportRow], out: Path, prompt: str) -> dict[str, Any]:
    import pandas as pd

    task = task_name(suite.name)
    records = []
    for i, r in enumerate(rows):
        records.append({"index": i, "image": base64.b64encode(r.sample.png_bytes()).decode("ascii"), **r.columns()})
    frame = pd.DataFrame(records)
    first = ["index", "image", "question", "answer", "options"]
    frame = frame[first + [c for c in frame.columns if c not in first]]
    frame.to_csv(out / f"{task}.tsv", sep="\t", index=False)
    cls = class_name(suite.name)
    (out / "snellen_vlmeval.py").write_text(MODULE.format(
        task=task, cls=cls, suite=suite.name, version=suite.version, hash=suite.manifest_hash,
        snellen=snellen_version(), prompt=prompt, failure=FAILURE, suffix=SUFFIX), encoding="utf-8")
    files = {"data": f"{task}.tsv", "dataset_class": "snellen_vlmeval.py"}
    return write_export_record(out, "vlmevalkit", suite, rows, prompt, files,
                               {"dataset": task, "dataset_class": cls,
                                "run": f"register {cls} from {out}/snellen_vlmeval.py, then run.py --data {task}"})


# ---------------------------------------------------------------------------------------------------------
# import


def _evaluated_file(path: Path) -> Path:
    if path.is_file():
        return path
    if not path.is_dir():
        raise SnellenError(f"{path} does not exist")
    found = sorted(p for p in path.rglob(f"*{SUFFIX}.*") if p.suffix in (".tsv", ".xlsx"))
    if len(found) != 1:
        what = "no evaluated predictions (*_snellen.tsv)" if not found else f"{len(found)} evaluated files; name one"
        raise SnellenError(f"{path}: {what}")
    return found[0]


def read_results(path: Path) -> HarnessResult:
    import pandas as pd

    file = _evaluated_file(Path(path))
    try:
        frame = pd.read_excel(file) if file.suffix == ".xlsx" else pd.read_csv(file, sep="\t", keep_default_na=False)
    except ImportError as exc:
        raise SnellenError(f"{file}: reading .xlsx needs openpyxl ({exc})") from None
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise SnellenError(f"{file}: unreadable VLMEvalKit file ({exc})") from None
    if "snellen" not in frame.columns:
        if "prediction" in frame.columns:
            raise SnellenError(f"{file}: predictions not yet scored by snellen; run VLMEvalKit's evaluation "
                               f"(--mode all or eval) with the exported dataset class, then import <pred>{SUFFIX}.tsv")
        raise SnellenError(f"{file}: not a VLMEvalKit prediction file of a snellen dataset (no snellen column)")
    records = []
    for n, row in enumerate(frame.to_dict("records"), 2):
        try:
            rec = json.loads(row["snellen"])
        except (TypeError, json.JSONDecodeError):
            raise SnellenError(f"{file}: row {n} has no readable snellen record") from None
        text = row.get("prediction")
        text = None if text is None or (isinstance(text, float) and text != text) else str(text)
        error = rec.get("error") if rec.get("outcome") == "error" else None
        records.append(HarnessRecord(record=rec, text=None if error else text, error=error,
                                     raw={"index": row.get("index")}))
    dataset = task_name(str(records[0].record.get("suite", ""))) if records else ""
    stem = file.stem[: -len(SUFFIX)] if file.stem.endswith(SUFFIX) else file.stem
    model = stem[: -len(dataset) - 1] if dataset and stem.endswith("_" + dataset) else stem
    return HarnessResult(harness="vlmevalkit", harness_version=None, model=model, identity={"model": model},
                         generation={}, records=records, source={"path": str(file), "dataset": dataset})
