"""Dataset output: Parquet shards (a Hugging Face `datasets` Image column), a manifest, optional PNG folder.

Layout (docs/interfaces.md, "Samples on disk"):

    DIR/manifest.json               written last; its presence marks a complete dataset
    DIR/data/shard-00000.parquet    rows in work order, `shard_size` rows per shard
    DIR/images/<task>/<id>.png      only with png_folder=True
    DIR/samples.jsonl               only with png_folder=True: one Sample.meta() line + "image" (relative path)

Every file is written to a temporary name and renamed into place, so a crash never leaves a half shard
that looks complete. While a dataset is being written the folder holds WRITING_MARKER (removed when the
manifest is in place), so a folder left by an interrupted run is recognised as ours and `--overwrite`
can replace it. A snellen run folder (store.sqlite) is never written into. The writer works from the Sample record alone (no per-family code).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from snellen.atomic import atomic_write
from snellen.schema import Sample, SnellenError, Split

if TYPE_CHECKING:
    from snellen.probes.suite import Suite

FORMAT = "snellen-samples"
FORMAT_VERSION = 1
DEFAULT_SHARD_SIZE = 1000
MANIFEST = "manifest.json"
DATA_DIR = "data"
IMAGES_DIR = "images"
JSONL = "samples.jsonl"
WRITING_MARKER = ".snellen-writing"  # present from the first file written until the manifest is
RUN_STORE = "store.sqlite"  # a run folder's store (snellen.store): a dataset is never written there

COLUMNS = ("id", "task", "family", "kind", "split", "scale", "count", "prompt", "answer", "meta", "image")
# The `datasets` features of a shard; `image` is an Image feature, so load_dataset returns PIL images.
HF_FEATURES = {
    "id": {"dtype": "string", "_type": "Value"},
    "task": {"dtype": "string", "_type": "Value"},
    "family": {"dtype": "string", "_type": "Value"},
    "kind": {"dtype": "string", "_type": "Value"},
    "split": {"dtype": "string", "_type": "Value"},
    "scale": {"dtype": "int32", "_type": "Value"},
    "count": {"dtype": "int32", "_type": "Value"},
    "prompt": {"dtype": "string", "_type": "Value"},
    "answer": {"dtype": "string", "_type": "Value"},
    "meta": {"dtype": "string", "_type": "Value"},
    "image": {"_type": "Image"},
}


class Row(NamedTuple):
    """One encoded sample, ready for a shard (cheap to pickle between processes)."""

    id: str
    task: str
    family: str
    kind: str
    split: str
    scale: int
    count: int
    prompt: str
    answer: str
    meta: str
    png: bytes


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (np.ndarray, tuple, set, frozenset)):
        return list(value.tolist() if isinstance(value, np.ndarray) else value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> str:
    """Compact, deterministic JSON (numpy scalars become plain numbers)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default, allow_nan=False)


def sample_row(sample: Sample) -> Row:
    """Encode one sample: PNG bytes plus the JSON columns."""
    return Row(
        id=sample.id, task=sample.task, family=sample.family, kind=sample.kind, split=sample.split,
        scale=int(sample.scale), count=int(sample.count), prompt=sample.prompts.get("json", ""),
        answer=dumps(sample.answer), meta=dumps(sample.meta()), png=sample.png_bytes(),
    )


def png_relpath(task: str, sample_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", task) or "_"
    return f"{IMAGES_DIR}/{safe}/{sample_id}.png"


def write_png_file(root: Path, row: Row) -> str:
    rel = png_relpath(row.task, row.id)
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(row.png)
    os.replace(tmp, path)
    return rel


def shard_name(index: int) -> str:
    return f"{DATA_DIR}/shard-{index:05d}.parquet"


def arrow_schema():
    import pyarrow as pa

    image = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    fields = [pa.field(c, pa.string()) for c in COLUMNS[:5]]
    fields += [pa.field("scale", pa.int32()), pa.field("count", pa.int32())]
    fields += [pa.field(c, pa.string()) for c in ("prompt", "answer", "meta")]
    fields.append(pa.field("image", image))
    return pa.schema(fields, metadata={"huggingface": json.dumps({"info": {"features": HF_FEATURES}})})


def file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()




def suite_record(suite: Suite, split: Split) -> dict[str, Any]:
    """What the manifest keeps about a suite: enough to recompute its hash, seeds and sample ids."""
    return {
        "name": suite.name, "version": suite.version, "hash": suite.manifest_hash, "source": suite.source,
        "split": split, "spec": suite.spec.model_dump(mode="json"),
        "tasks": [
            {"name": e.name, "family": t.family, "kind": t.kind, "hash": t.spec_hash(), "params": t.params.model_dump(mode="json")}
            for e, t in zip(suite.entries, suite.tasks)
        ],
    }


def _manifest_format(out: Path) -> Any:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("format")
    except (OSError, ValueError, AttributeError):
        return None


def _prepare_out_dir(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise SnellenError(f"output folder {out} is a file")
    if out.exists() and ((out / RUN_STORE).exists() or _manifest_format(out) == "snellen-run"):
        raise SnellenError(f"output folder {out} holds a snellen run ({RUN_STORE}), not a dataset; "
                           "generate into another folder")
    if out.exists() and any(out.iterdir()):
        interrupted = (out / WRITING_MARKER).exists()
        ours = interrupted or (out / MANIFEST).exists() or any((out / DATA_DIR).glob("*.parquet"))
        leftover = not ours and all(p.name == DATA_DIR and p.is_dir() and not any(p.iterdir()) for p in out.iterdir())
        if leftover:  # an empty data/ left by a run that failed before its first shard
            ours, overwrite = True, True
        if not ours:
            raise SnellenError(f"output folder {out} is not empty and holds no snellen dataset; choose an empty folder")
        if not overwrite:
            if interrupted:
                raise SnellenError(f"output folder {out} holds an incomplete dataset (its generation was interrupted); "
                                   "pass --overwrite to replace it")
            raise SnellenError(f"output folder {out} already holds a dataset; choose another folder or pass --overwrite")
        (out / MANIFEST).unlink(missing_ok=True)  # first, so a half-replaced folder never looks complete
        (out / WRITING_MARKER).touch()
        for old in (out / DATA_DIR).glob("*.parquet*"):
            old.unlink()
        for old in (out / DATA_DIR).glob(".*.tmp"):
            old.unlink()
        (out / JSONL).unlink(missing_ok=True)
        (out / f".{JSONL}.tmp").unlink(missing_ok=True)
        if (out / IMAGES_DIR).is_dir():
            shutil.rmtree(out / IMAGES_DIR)
    (out / DATA_DIR).mkdir(parents=True, exist_ok=True)
    (out / WRITING_MARKER).touch()


_COMPRESSION = {c: "zstd" for c in COLUMNS[:10]} | {"image.bytes": "none", "image.path": "zstd"}


class DatasetWriter:
    """Buffers rows into shards and writes each one atomically; `close()` writes the manifest."""

    def __init__(self, out_dir: str | Path, shard_size: int = DEFAULT_SHARD_SIZE, png_folder: bool = False, overwrite: bool = False):
        if shard_size < 1:
            raise SnellenError(f"shard_size must be >= 1, got {shard_size}")
        self.out = Path(out_dir)
        self.shard_size = shard_size
        self.png_folder = png_folder
        self._created = not self.out.exists()
        _prepare_out_dir(self.out, overwrite)
        self._schema = arrow_schema()
        self._buffer: list[Row] = []
        self._shards: list[dict[str, Any]] = []
        self._tasks: Counter[str] = Counter()
        self._ids: set[str] = set()
        self._jsonl_tmp = self.out / f".{JSONL}.tmp"
        self._jsonl = open(self._jsonl_tmp, "w", encoding="utf-8") if png_folder else None
        self.count = 0

    def add(self, row: Row, png_written: bool = False) -> None:
        if row.id in self._ids:
            raise SnellenError(f"duplicate sample id {row.id} (task {row.task}); ids must be unique within a dataset")
        self._ids.add(row.id)
        if self._jsonl is not None:
            rel = png_relpath(row.task, row.id) if png_written else write_png_file(self.out, row)
            # meta is a JSON object: splice the image path in without re-parsing it
            self._jsonl.write(row.meta[:-1] + (',' if row.meta != "{}" else "") + f'"image":{json.dumps(rel)}' + "}\n")
        self._buffer.append(row)
        self._tasks[row.task] += 1
        self.count += 1
        if len(self._buffer) >= self.shard_size:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows, self._buffer = self._buffer, []
        columns = list(zip(*rows))
        arrays = [pa.array(columns[i], type=self._schema.field(i).type) for i in range(10)]
        images = pa.StructArray.from_arrays(
            [pa.array(columns[10], type=pa.binary()), pa.array([f"{r.id}.png" for r in rows], type=pa.string())],
            fields=list(self._schema.field("image").type),
        )
        table = pa.Table.from_arrays([*arrays, images], schema=self._schema)
        rel = shard_name(len(self._shards))
        path = self.out / rel
        tmp = path.with_name(f".{path.name}.tmp")
        # PNG bytes are already deflated: storing them raw saves time and costs no space
        pq.write_table(table, tmp, compression=_COMPRESSION)
        os.replace(tmp, path)
        self._shards.append({"path": rel, "rows": len(rows), "sha256": file_sha256(path), "first_id": rows[0].id, "last_id": rows[-1].id})

    def close(self, suite: dict[str, Any] | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        self._flush()
        png = None
        if self._jsonl is not None:
            self._jsonl.close()
            self._jsonl = None
            os.replace(self._jsonl_tmp, self.out / JSONL)
            png = {"index": JSONL, "root": IMAGES_DIR}
        snellen_version = _package_version()
        manifest = {
            "format": FORMAT, "version": FORMAT_VERSION, "snellen_version": snellen_version, "suite": suite,
            "samples": self.count, "tasks": dict(self._tasks), "shard_size": self.shard_size,
            "columns": list(COLUMNS), "shards": self._shards, "png_folder": png, **(extra or {}),
        }
        atomic_write(self.out / MANIFEST, json.dumps(manifest, indent=2) + "\n")
        (self.out / WRITING_MARKER).unlink(missing_ok=True)
        return manifest

    def abort(self) -> None:
        """Leave complete shards, drop temporaries; no manifest is written so the folder reads as incomplete."""
        if self._jsonl is not None:
            self._jsonl.close()
            self._jsonl = None
        self._jsonl_tmp.unlink(missing_ok=True)
        for tmp in (self.out / DATA_DIR).glob(".*.tmp"):
            tmp.unlink()
        if not self._shards:  # nothing complete was written: leave no empty folders behind
            data = self.out / DATA_DIR
            if data.is_dir() and not any(data.iterdir()):
                data.rmdir()
            if self.out.is_dir() and [p.name for p in self.out.iterdir()] == [WRITING_MARKER]:
                (self.out / WRITING_MARKER).unlink()
            if self._created and self.out.is_dir() and not any(self.out.iterdir()):
                self.out.rmdir()


@dataclass
class WriteResult:
    path: Path
    samples: int
    shards: int
    seconds: float
    manifest: dict[str, Any]

    @property
    def rate(self) -> float:
        return self.samples / self.seconds if self.seconds > 0 else float("inf")


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("snellen")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _suite_of_samples(seen: dict[tuple[str, str, str], None]) -> dict[str, Any] | None:
    if not seen:
        return None
    if len(seen) == 1:
        name, version, h = next(iter(seen))
        return {"name": name, "version": version, "hash": h}
    return {"name": "mixed", "suites": [{"name": n, "version": v, "hash": h} for n, v, h in seen]}


def write_dataset(
    suite_or_samples: Suite | Iterable[Sample],
    out_dir: str | Path,
    shard_size: int = DEFAULT_SHARD_SIZE,
    png_folder: bool = False,
    *,
    workers: int = 1,
    split: Split = "exam",
    overwrite: bool = False,
    progress: Callable[[int], None] | None = None,
) -> WriteResult:
    """Write a suite (generated over `workers` processes) or any iterable of Samples to `out_dir`.

    The output is byte-identical for any number of workers. `progress(n)` is called with each batch size.
    """
    from snellen.probes.suite import Suite

    t0 = time.perf_counter()
    writer = DatasetWriter(out_dir, shard_size=shard_size, png_folder=png_folder, overwrite=overwrite)
    try:
        if isinstance(suite_or_samples, Suite):
            from snellen.probes.parallel import generate_row_batches

            png_root = writer.out if png_folder else None
            for batch in generate_row_batches(suite_or_samples, split=split, workers=workers, png_root=png_root):
                for row in batch:
                    writer.add(row, png_written=png_root is not None)
                if progress:
                    progress(len(batch))
            suite_info = suite_record(suite_or_samples, split)
        else:
            seen: dict[tuple[str, str, str], None] = {}
            for sample in _iter_samples(suite_or_samples):
                seen[(sample.suite, sample.suite_version, sample.suite_hash)] = None
                writer.add(sample_row(sample))
                if progress:
                    progress(1)
            suite_info = _suite_of_samples(seen)
        manifest = writer.close(suite_info)
    except BaseException:
        writer.abort()
        raise
    return WriteResult(Path(out_dir), writer.count, len(manifest["shards"]), time.perf_counter() - t0, manifest)


def _iter_samples(samples: Iterable[Sample]) -> Iterator[Sample]:
    for s in samples:
        if not isinstance(s, Sample):
            raise SnellenError(f"write_dataset expects a Suite or Samples, got {type(s).__name__}")
        yield s
