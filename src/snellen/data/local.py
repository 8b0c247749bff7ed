"""Open datasets on local disk: snellen sample folders (Parquet or PNG + samples.jsonl) and FineSightBench.

Layouts are detected from the files: a `manifest.json` whose "format" is "snellen-samples" is ours;
otherwise `snellen.data.finesight.detect(path)` decides; a bare `samples.jsonl` (with its images) is a
PNG folder. Every failure (missing file, wrong layout, corrupt Parquet, corrupt PNG) is one
SnellenError that names the file.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from snellen.probes.writer import DATA_DIR, FORMAT, FORMAT_VERSION, JSONL, MANIFEST, file_sha256
from snellen.schema import CorruptImageError, Sample, SnellenError

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def check_png(data: bytes | None, where: str) -> bytes:
    """Cheap structural check of PNG bytes (signature, chunk lengths and CRCs, IHDR ... IEND).

    Catches truncation and flipped bytes without decoding; names `where` in the error.
    """
    if not data:
        raise CorruptImageError(f"{where}: image bytes are missing")
    if not data.startswith(_PNG_SIGNATURE):
        raise CorruptImageError(f"{where}: not a PNG (bad signature)")
    pos, first = len(_PNG_SIGNATURE), True
    n = len(data)
    while True:
        if pos + 12 > n:
            raise CorruptImageError(f"{where}: PNG is truncated at byte {n} (no IEND chunk)")
        (length,) = struct.unpack_from(">I", data, pos)
        tag = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > n:
            raise CorruptImageError(f"{where}: PNG is truncated inside its {tag.decode('latin-1')} chunk")
        if first and tag != b"IHDR":
            raise CorruptImageError(f"{where}: PNG does not start with IHDR")
        first = False
        (crc,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(data[pos + 4 : end - 4]) & 0xFFFFFFFF != crc:
            raise CorruptImageError(f"{where}: PNG {tag.decode('latin-1')} chunk fails its CRC (corrupt bytes)")
        if tag == b"IEND":
            return data
        pos = end


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SnellenError(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise SnellenError(f"{path}: not valid JSON ({exc})") from None


def _sample_from_meta(meta: Any, png: bytes, where: str) -> Sample:
    if not isinstance(meta, dict):
        raise SnellenError(f"{where}: sample metadata is not a JSON object")
    try:
        return Sample.from_meta(meta, png=png)
    except (KeyError, TypeError, ValueError) as exc:
        raise SnellenError(f"{where}: sample metadata does not match the Sample record ({type(exc).__name__}: {exc})") from None


class ParquetSamples:
    """A snellen sample folder: manifest.json + data/shard-*.parquet.

    Opening it checks what the manifest promises, before a single sample is read: every listed shard
    exists, is Parquet with snellen's columns, holds the listed number of rows and has the listed sha256
    (one flipped bit anywhere in a shard is caught here, not after prompts were sent). `verify` opens with
    checksums=False and reports a mismatch as a defect instead."""

    def __init__(self, root: Path, manifest: dict[str, Any], checksums: bool = True):
        import pyarrow.parquet as pq

        self.root = root
        self.manifest = manifest
        suite = manifest.get("suite") or {}
        self.name = suite.get("name") or root.name
        shards = manifest.get("shards")
        if not isinstance(shards, list):
            raise SnellenError(f"{root / MANIFEST}: 'shards' must be a list")
        self.shards: list[tuple[Path, int]] = []
        for shard in shards:
            path = root / str(shard.get("path", ""))
            if not path.is_file():
                raise SnellenError(f"{path}: shard listed in {root / MANIFEST} is missing")
            try:
                meta = pq.ParquetFile(path).metadata
                names = set(meta.schema.to_arrow_schema().names)
            except Exception as exc:  # pyarrow raises several types for damaged files
                raise SnellenError(f"{path}: corrupt Parquet file ({str(exc).splitlines()[0]})") from None
            missing = {"id", "meta", "image"} - names
            if missing:
                raise SnellenError(f"{path}: not a snellen shard (missing column(s) {', '.join(sorted(missing))})")
            if "rows" in shard and int(shard["rows"]) != meta.num_rows:
                raise SnellenError(f"{path}: holds {meta.num_rows} rows but {root / MANIFEST} lists {shard['rows']}")
            if checksums and shard.get("sha256") and file_sha256(path) != shard["sha256"]:
                raise SnellenError(f"{path}: checksum does not match {root / MANIFEST} (the shard is corrupt or "
                                   "was changed after it was written); `snellen verify` lists what differs")
            self.shards.append((path, meta.num_rows))
        self.check_images = True  # structural PNG check while iterating (verify turns it off to list defects)
        self._index: dict[str, tuple[int, int]] | None = None
        self._cache: tuple[int, Any] | None = None

    def __len__(self) -> int:
        return sum(n for _, n in self.shards)

    def _table(self, k: int):
        import pyarrow.parquet as pq

        if self._cache is not None and self._cache[0] == k:
            return self._cache[1]
        path = self.shards[k][0]
        try:
            table = pq.read_table(path, columns=["id", "meta", "image"])
        except Exception as exc:
            raise SnellenError(f"{path}: corrupt Parquet file ({str(exc).splitlines()[0]})") from None
        self._cache = (k, table)
        return table

    def _sample(self, k: int, ids, metas, images, i: int) -> Sample:
        path = self.shards[k][0]
        where = f"{path} row {i} (sample {ids[i]})"
        image = images[i]
        png = image.get("bytes") if image else None
        if self.check_images:
            check_png(png, where)
        try:
            meta = json.loads(metas[i])
        except (TypeError, json.JSONDecodeError) as exc:
            raise SnellenError(f"{where}: 'meta' is not valid JSON ({exc})") from None
        sample = _sample_from_meta(meta, png, where)
        if sample.id != ids[i]:
            raise SnellenError(f"{where}: 'id' column {ids[i]} disagrees with the metadata id {sample.id}")
        return sample

    def _columns(self, k: int):
        table = self._table(k)
        return table.column("id").to_pylist(), table.column("meta").to_pylist(), table.column("image").to_pylist()

    def __iter__(self) -> Iterator[Sample]:
        for k in range(len(self.shards)):
            ids, metas, images = self._columns(k)
            for i in range(len(ids)):
                yield self._sample(k, ids, metas, images, i)

    def get(self, sample_id: str) -> Sample:
        import pyarrow.parquet as pq

        if self._index is None:
            self._index = {}
            for k, (path, _) in enumerate(self.shards):
                for i, sid in enumerate(pq.read_table(path, columns=["id"]).column("id").to_pylist()):
                    self._index[sid] = (k, i)
        if sample_id not in self._index:
            raise SnellenError(f"{self.root}: no sample with id {sample_id!r}")
        k, i = self._index[sample_id]
        return self._sample(k, *self._columns(k), i)


class PngFolderSamples:
    """PNG files + samples.jsonl (one Sample.meta() per line with the PNG's relative path in "image")."""

    def __init__(self, jsonl: Path, manifest: dict[str, Any] | None = None):
        self.path = jsonl
        self.root = jsonl.parent
        try:
            self._lines = [ln for ln in jsonl.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError) as exc:
            raise SnellenError(f"{jsonl}: cannot be read ({exc})") from None
        self.manifest = manifest or {"format": "snellen-png-folder", "path": str(jsonl)}
        suite = (manifest or {}).get("suite") or {}
        self.name = suite.get("name") or self.root.name
        self.check_images = True
        self._index: dict[str, int] | None = None

    def __len__(self) -> int:
        return sum(1 for ln in self._lines if ln.strip())

    def _meta(self, n: int) -> dict[str, Any]:
        where = f"{self.path} line {n + 1}"
        try:
            meta = json.loads(self._lines[n])
        except json.JSONDecodeError as exc:
            raise SnellenError(f"{where}: not valid JSON ({exc})") from None
        if not isinstance(meta, dict) or not isinstance(meta.get("image"), str):
            raise SnellenError(f"{where}: expected a sample object with an 'image' path")
        return meta

    def _sample(self, n: int) -> Sample:
        meta = self._meta(n)
        image = self.root / meta.pop("image")
        try:
            png = image.read_bytes()
        except OSError:
            raise SnellenError(f"{image}: image file listed in {self.path} line {n + 1} is missing") from None
        if self.check_images:
            check_png(png, str(image))
        return _sample_from_meta(meta, png, f"{self.path} line {n + 1}")

    def __iter__(self) -> Iterator[Sample]:
        for n, line in enumerate(self._lines):
            if line.strip():
                yield self._sample(n)

    def get(self, sample_id: str) -> Sample:
        if self._index is None:
            self._index = {self._meta(n)["id"]: n for n, ln in enumerate(self._lines) if ln.strip()}
        if sample_id not in self._index:
            raise SnellenError(f"{self.path}: no sample with id {sample_id!r}")
        return self._sample(self._index[sample_id])


def _finesight():
    import importlib

    try:
        finesight = importlib.import_module("snellen.data.finesight")
    except ModuleNotFoundError as exc:
        if exc.name == "snellen.data.finesight":
            return None
        raise
    return finesight


def _ours(manifest: Any) -> bool:
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


def open_dataset(path: str | Path, checksums: bool = True):
    """Detect the layout at `path` and return its SampleSource (see snellen.data). With checksums, a
    snellen shard whose sha256 differs from its manifest's is an error at open."""
    path = Path(path)
    if not path.exists():
        raise SnellenError(f"dataset {path} does not exist")
    if path.is_file() and path.name == MANIFEST:
        path = path.parent
    if path.is_file() and path.suffix == ".jsonl" and path.name == JSONL:
        sibling = path.parent / MANIFEST
        manifest = _read_json(sibling) if sibling.is_file() else None
        return PngFolderSamples(path, manifest if _ours(manifest) else None)
    manifest_path = path / MANIFEST
    if path.is_dir() and manifest_path.is_file():
        manifest = _read_json(manifest_path)
        if _ours(manifest):
            if manifest.get("version") != FORMAT_VERSION:
                raise SnellenError(f"{manifest_path}: format version {manifest.get('version')!r} is not supported (expected {FORMAT_VERSION})")
            if manifest.get("shards") or not (path / JSONL).is_file():
                return ParquetSamples(path, manifest, checksums=checksums)
            return PngFolderSamples(path / JSONL, manifest)
    fs = _finesight()
    if fs is not None and fs.detect(path):
        return fs.load(path)
    if path.is_dir():
        if manifest_path.is_file():
            fmt = manifest.get("format") if isinstance(manifest, dict) else None
            raise SnellenError(f"{manifest_path}: format {fmt!r} is not {FORMAT!r} and the folder is no FineSightBench layout")
        if any((path / DATA_DIR).glob("shard-*.parquet")):
            raise SnellenError(f"{path}: has shards but no {MANIFEST}: the dataset was not completely written (interrupted?)")
        if (path / JSONL).is_file():
            return PngFolderSamples(path / JSONL)
    hint = "" if fs is not None else "; the FineSightBench loader (snellen.data.finesight) is not available"
    raise SnellenError(
        f"{path}: not a dataset snellen can read (expected {MANIFEST} with format {FORMAT!r}, a {JSONL} PNG folder, "
        f"or a FineSightBench layout{hint})"
    )
