"""The run store: one SQLite file (WAL) per run directory, responses keyed by what was actually asked.

A response's key hashes the backend, the model identity, the generation and transmission settings, the
decoded pixels (not the PNG bytes: re-encoding an image never invalidates an answer, changing one pixel
does), the prompt, the system prompt and the repeat index. Resuming is re-running the same command: keys
whose response is `ok` or `unsupported` are skipped, `error` rows are retried and replaced by the newest
attempt. Errors are stored as errors, never as answer text.

One run directory holds ONE configuration (model identity + generation + transmission settings); opening
it for a different configuration is an error naming what differs, so a directory's results always answer
one question. Samples may be added to a run (more tasks, more repeats); each (sample, repeat) has one row.
Two samples that ask the identical question (same pixels and prompt, different ids) share the key: the
second is answered from the first's stored response without a new query, and each keeps its own row.

One writer at a time: opening a run for writing takes an exclusive lock (flock on RUN/run.lock) that the
operating system releases when its holder exits or is killed; a second writer is refused. An answer
(`ok` or `unsupported`) is never replaced: only `error` rows are overwritten by a newer attempt.
Any text a server can send is stored and read back exactly, lone surrogates included. A run is never
created in a folder that holds something else (a dataset, a foreign manifest.json). Write failures
(read-only folder, full disk) are one WriteError naming the store and the cause; rows already
committed stay.

Nothing secret is written: dict keys that name credentials are dropped and the values of credential-like
environment variables and options are scrubbed from every stored string (see `Redactor`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from snellen.atomic import WriteError, atomic_open, atomic_write, cause
from snellen.models.base import resize_ratio
from snellen.schema import Sample, SnellenError

STORE_FILE = "store.sqlite"
MANIFEST_FILE = "manifest.json"
LOCK_FILE = "run.lock"
RUN_FORMAT = "snellen-run"
STORE_FORMAT = 1
KEY_VERSION = 1
STATUSES = ("ok", "error", "unsupported")
DONE_STATUSES = ("ok", "unsupported")
REDACTED = "<redacted>"
# Records come out in an order intrinsic to the samples (never insertion or completion order), so a
# run that was interrupted and resumed lists exactly like one that ran straight through.
SAMPLE_ORDER = "s.task, s.scale, s.cell, s.idx, s.id"

# ---------------------------------------------------------------------------------------------------------
# secrets


_SECRET_WORDS = {"key", "apikey", "token", "secret", "password", "passwd", "authorization", "auth", "credential",
                 "credentials", "bearer", "cookie"}


def is_secret_name(name: str) -> bool:
    """Whether a setting's name names a credential: a word of it (split at _ - . and camelCase) is key,
    token, secret, password, authorization... `max_tokens` and `input_tokens` are not credentials."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(name)).lower()
    parts = [p for p in re.split(r"[^a-z0-9]+", words) if p]
    return any(p in _SECRET_WORDS for p in parts) or "apikey" in "".join(parts)


class Redactor:
    """Drops credential-named keys and scrubs known secret values (from the environment and from
    credential-named options) out of everything the store writes."""

    def __init__(self, options: dict[str, Any] | None = None, environ: dict[str, str] | None = None,
                 secrets: Iterable[str] = ()):
        env = os.environ if environ is None else environ
        values = {v for k, v in env.items() if is_secret_name(k) and len(v) >= 6}
        for k, v in (options or {}).items():
            if v is None:
                continue
            if str(k).endswith("_env") and is_secret_name(k[: -len("_env")]):
                # api_key_env=MYSERVER_PASS names the variable: its VALUE is the secret, whatever its name
                if len(env.get(str(v), "")) >= 4:
                    values.add(env[str(v)])
            elif is_secret_name(k) and len(str(v)) >= 4:
                values.add(str(v))
        values.update(v for v in secrets if v and len(v) >= 4)  # what the backend knows is secret (URL tokens)
        # longest first so a secret that contains another is replaced whole
        self.values = sorted(values, key=len, reverse=True)

    def text(self, s: str) -> str:
        for v in self.values:
            if v in s:
                s = s.replace(v, REDACTED)
        return s

    def __call__(self, obj: Any) -> Any:
        if isinstance(obj, dict):
            return {k: self(v) for k, v in obj.items() if not is_secret_name(k)}
        if isinstance(obj, (list, tuple)):
            return [self(v) for v in obj]
        if isinstance(obj, str):
            return self.text(obj)
        return obj

    def argv(self, argv: list[str]) -> list[str]:
        """A command line with `--option api_key=...` and `--api-key X` values hidden."""
        out, hide_next = [], False
        for arg in argv:
            if hide_next:
                out.append(REDACTED)
                hide_next = False
                continue
            name, eq, value = arg.partition("=")
            if eq and is_secret_name(name.lstrip("-")):
                out.append(f"{name}={REDACTED}")
            elif arg.startswith("--") and is_secret_name(arg[2:]):
                out.append(arg)
                hide_next = True
            else:
                out.append(self.text(arg))
        return out


# ---------------------------------------------------------------------------------------------------------
# keys


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)


def pixel_hash(image: np.ndarray) -> str:
    """Hash of decoded pixels (shape, dtype and values): independent of how the PNG was encoded."""
    a = np.ascontiguousarray(image)
    h = hashlib.sha256(f"{a.shape}|{a.dtype.str}|".encode())
    h.update(a.tobytes())
    return h.hexdigest()[:32]


def response_key(*, backend: str, identity: dict, generation: dict, transmission: dict, pixels: str, prompt: str,
                 system_prompt: str | None, repeat: int) -> str:
    """The content key of one question to one model. Sample ids are deliberately not part of it."""
    payload = {
        "v": KEY_VERSION, "backend": backend, "identity": identity, "generation": generation,
        "transmission": transmission, "pixels": pixels, "prompt": prompt, "system_prompt": system_prompt,
        "repeat": int(repeat),
    }
    return hashlib.sha256(canonical(payload).encode()).hexdigest()[:40]


def config_hash(config: dict) -> str:
    return hashlib.sha256(canonical(config).encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------------------
# records


@dataclass
class StoredResponse:
    sample_id: str
    repeat: int
    status: str  # ok | error | unsupported
    text: str | None
    error_kind: str | None
    error_message: str | None
    latency_s: float | None
    input_tokens: int | None
    output_tokens: int | None
    sent_size: tuple[int, int] | None
    encoder_size: tuple[int, int] | None
    attempts: int
    raw: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    created: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def resize_ratio(self) -> float | None:
        return resize_ratio(self.sent_size, self.encoder_size)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sent_size"] = list(self.sent_size) if self.sent_size else None
        d["encoder_size"] = list(self.encoder_size) if self.encoder_size else None
        return d


@dataclass
class Row:
    """One result to write: a sample's response (or unsupported marker) under its content key."""

    key: str
    sample: Sample
    pixels: str
    repeat: int
    status: str
    text: str | None = None
    error_kind: str | None = None
    error_message: str | None = None
    latency_s: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    sent_size: tuple[int, int] | None = None
    encoder_size: tuple[int, int] | None = None
    attempts: int = 0
    raw: dict[str, Any] = field(default_factory=dict)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS manifest (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS samples (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    task TEXT NOT NULL,
    scale REAL NOT NULL,
    cell TEXT NOT NULL,
    idx INTEGER NOT NULL,
    pixel_hash TEXT NOT NULL,
    meta TEXT NOT NULL,
    png BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS responses (
    sample_id TEXT NOT NULL REFERENCES samples(id),
    repeat INTEGER NOT NULL,
    key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'unsupported')),
    text TEXT,
    error_kind TEXT,
    error_message TEXT,
    latency_s REAL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    sent_size TEXT,
    encoder_size TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    raw TEXT NOT NULL DEFAULT '{}',
    created REAL NOT NULL,
    PRIMARY KEY (sample_id, repeat),
    CHECK ((status = 'ok') = (text IS NOT NULL)),
    CHECK ((status = 'error') = (error_kind IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS responses_key ON responses (key);
CREATE INDEX IF NOT EXISTS samples_order ON samples (task, scale, cell, idx, id);
"""


def _text_in(s: str | None) -> str | bytes | None:
    """Text for SQLite. A string that is not valid Unicode (a lone surrogate such as '\\udcff', as a
    server's bytes decoded with surrogateescape give) cannot be UTF-8 encoded: it is stored as a BLOB of
    its surrogatepass encoding and read back as the identical string."""
    if s is None:
        return None
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogatepass")
    return s


def _text_out(v: str | bytes | None) -> str | None:
    if isinstance(v, bytes):
        return v.decode("utf-8", "surrogatepass")
    return v


_RESPONSE_COLS = (
    "r.sample_id, r.repeat, r.status, r.text, r.error_kind, r.error_message, r.latency_s, r.input_tokens,"
    " r.output_tokens, r.sent_size, r.encoder_size, r.attempts, r.raw, r.key, r.created"
)


def _stored(row) -> StoredResponse:
    return StoredResponse(
        sample_id=row[0], repeat=row[1], status=row[2], text=_text_out(row[3]), error_kind=row[4],
        error_message=_text_out(row[5]),
        latency_s=row[6], input_tokens=row[7], output_tokens=row[8], sent_size=_size(row[9]),
        encoder_size=_size(row[10]), attempts=row[11], raw=json.loads(row[12]) if row[12] else {}, key=row[13],
        created=row[14],
    )


def _size(s: str | None) -> tuple[int, int] | None:
    if not s:
        return None
    v = json.loads(s)
    return (int(v[0]), int(v[1])) if v else None


class Run:
    """An opened run directory (see docs/interfaces.md "Store and runs")."""

    def __init__(self, path: str | Path, create: bool = False, redactor: Redactor | None = None):
        self.path = Path(path)
        self.db = db = self.path / STORE_FILE
        self._lock_fd: int | None = None
        if not db.exists():
            if not create:
                if not self.path.exists():
                    raise SnellenError(f"run {self.path} does not exist")
                raise SnellenError(f"{self.path} is not a snellen run (no {STORE_FILE})")
            if self.path.exists() and not self.path.is_dir():
                raise SnellenError(f"run path {self.path} exists and is not a directory")
            _refuse_foreign(self.path)
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WriteError(f"cannot create run folder {self.path}: {cause(exc)}") from None
        self.redact = redactor or Redactor()
        if create:
            self._lock()
        try:
            self.conn = self._connect(db, create)
            with self._writing():
                if create:
                    self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                if create:
                    self.conn.executescript(_SCHEMA)
            fmt = self._meta("format")
            if fmt is None and create:
                with self._writing():
                    self._set_meta("format", STORE_FORMAT)
            elif fmt is None:
                raise SnellenError(f"{db} is not a snellen run store")
            elif int(fmt) != STORE_FORMAT:
                raise SnellenError(f"{db}: store format {fmt} is not supported (this snellen reads {STORE_FORMAT})")
        except sqlite3.DatabaseError as exc:
            self._unlock()
            raise SnellenError(f"{db}: cannot open the run store ({exc})") from None
        except BaseException:
            self._unlock()
            raise

    @staticmethod
    def _connect(db: Path, create: bool) -> sqlite3.Connection:
        conn = sqlite3.connect(db, timeout=30.0, isolation_level=None)
        if create:
            return conn
        try:
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            return conn
        except sqlite3.OperationalError:
            # A run on read-only media (a read-only mount, an archive): WAL cannot create its shared-memory
            # file there, so read it as immutable (nobody can be writing to a read-only file system).
            conn.close()
            return sqlite3.connect(f"{db.resolve().as_uri()}?immutable=1", uri=True, timeout=30.0, isolation_level=None)

    # -- one writer -----------------------------------------------------------------------------------

    def _lock(self) -> None:
        """Take the run's writer lock or refuse. flock is released by the OS when the holder dies."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no coordination available
            return
        lock = self.path / LOCK_FILE
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise WriteError(f"cannot write {lock}: {cause(exc)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise SnellenError(f"run {self.path} is being written by another snellen process (pid {holder}); "
                               "wait for it to finish, or use another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None

    @contextlib.contextmanager
    def _writing(self):
        """One transaction-free write step: SQLite's and the OS's failures become one WriteError."""
        try:
            yield
        except sqlite3.IntegrityError:
            raise
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
            raise WriteError(f"cannot write {self.db}: {_sqlite_cause(exc)}") from None
        except OSError as exc:
            raise WriteError(f"cannot write {self.db}: {cause(exc)}") from None

    @contextlib.contextmanager
    def _transaction(self):
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any failure. SQLite may already have rolled back
        by itself (full disk): then there is nothing to roll back, and the first cause is what is raised."""
        with self._writing():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                raise

    # -- manifest -----------------------------------------------------------------------------------------

    def _meta(self, name: str) -> Any:
        try:
            row = self.conn.execute("SELECT value FROM manifest WHERE name = ?", (name,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return json.loads(row[0]) if row else None

    def _set_meta(self, name: str, value: Any) -> None:
        self.conn.execute("INSERT OR REPLACE INTO manifest (name, value) VALUES (?, ?)", (name, canonical(value)))

    @property
    def manifest(self) -> dict[str, Any]:
        return self._meta("run") or {}

    @property
    def model(self) -> str:
        return str((self.manifest.get("model") or {}).get("spec", self.path.name))

    @property
    def config(self) -> dict[str, Any] | None:
        return self._meta("config")

    def bind_config(self, config: dict[str, Any]) -> None:
        """Claim this run for one configuration, or refuse if it already holds a different one."""
        config = self.redact(config)
        held = self.config
        if held is None:
            with self._writing():
                self._set_meta("config", config)
            return
        if canonical(held) == canonical(config):
            return
        diffs = _diff(held, config)
        shown = "; ".join(f"{k}: {a!r} -> {b!r}" for k, a, b in diffs[:3])
        raise SnellenError(
            f"run {self.path} holds results for a different configuration ({shown}); use a new --out directory"
        )

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        manifest = self.redact(manifest)
        with self._transaction():
            self._set_meta("run", manifest)
        atomic_write(self.path / MANIFEST_FILE, json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")

    # -- writing ------------------------------------------------------------------------------------------

    def done(self) -> dict[tuple[str, int], str]:
        """(sample id, repeat) -> key of rows that need no new query: answered or recorded unsupported
        (errors are retried)."""
        q = f"SELECT sample_id, repeat, key FROM responses WHERE status IN ({','.join('?' * len(DONE_STATUSES))})"
        return {(sid, rep): key for sid, rep, key in self.conn.execute(q, DONE_STATUSES)}

    def done_keys(self) -> set[str]:
        return set(self.done().values())

    def cached(self, key: str) -> StoredResponse | None:
        """A finished response to exactly this question (for any sample), or None."""
        q = (f"SELECT {_RESPONSE_COLS} FROM responses r WHERE r.key = ? AND r.status IN "
             f"({','.join('?' * len(DONE_STATUSES))}) ORDER BY r.created DESC LIMIT 1")
        row = self.conn.execute(q, (key, *DONE_STATUSES)).fetchone()
        return _stored(row) if row else None

    def sample_hashes(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, pixel_hash FROM samples"))

    def write(self, rows: Iterable[Row]) -> int:
        """Write one batch of results in one transaction (all or nothing). Returns rows written.

        A (sample, repeat) that already holds an answer (`ok`) or an `unsupported` marker keeps it: only
        an `error` row is replaced (by the newer attempt). So a late error can never erase an answer."""
        rows = list(rows)
        if not rows:
            return 0
        now = time.time()
        with self._transaction():
            for r in rows:
                if r.status not in STATUSES:
                    raise ValueError(f"unknown response status {r.status!r}")
                held = self.conn.execute("SELECT pixel_hash FROM samples WHERE id = ?", (r.sample.id,)).fetchone()
                if held is None:
                    self.conn.execute(
                        "INSERT INTO samples (id, task, scale, cell, idx, pixel_hash, meta, png) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (r.sample.id, r.sample.task, float(r.sample.scale), canonical(r.sample.cell), int(r.sample.index),
                         r.pixels, canonical(r.sample.meta()), r.sample.png_bytes()),
                    )
                elif held[0] != r.pixels:
                    raise SnellenError(
                        f"sample {r.sample.id} has different pixels than the copy stored in {self.path} "
                        "(renderer or data changed); use a new --out directory"
                    )
                self.conn.execute(
                    "INSERT INTO responses (key, sample_id, repeat, status, text, error_kind, error_message,"
                    " latency_s, input_tokens, output_tokens, sent_size, encoder_size, attempts, raw, created)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (sample_id, repeat) DO UPDATE SET key = excluded.key, status = excluded.status,"
                    " text = excluded.text, error_kind = excluded.error_kind, error_message = excluded.error_message,"
                    " latency_s = excluded.latency_s, input_tokens = excluded.input_tokens,"
                    " output_tokens = excluded.output_tokens, sent_size = excluded.sent_size,"
                    " encoder_size = excluded.encoder_size, attempts = excluded.attempts, raw = excluded.raw,"
                    " created = excluded.created"
                    " WHERE responses.status = 'error'",
                    (
                        r.key, r.sample.id, int(r.repeat), r.status,
                        None if r.text is None else _text_in(self.redact.text(r.text)),
                        r.error_kind,
                        None if r.error_message is None else _text_in(self.redact.text(r.error_message)),
                        r.latency_s, r.input_tokens, r.output_tokens,
                        canonical(list(r.sent_size)) if r.sent_size else None,
                        canonical(list(r.encoder_size)) if r.encoder_size else None,
                        int(r.attempts), canonical(self.redact(r.raw or {})), now,
                    ),
                )
        return len(rows)

    # -- reading ------------------------------------------------------------------------------------------

    def sample(self, sample_id: str) -> Sample:
        row = self.conn.execute("SELECT meta, png FROM samples WHERE id = ?", (sample_id,)).fetchone()
        if row is None:
            raise KeyError(f"sample {sample_id} is not in run {self.path}")
        return Sample.from_meta(json.loads(row[0]), png=bytes(row[1]))

    def samples(self) -> Iterator[Sample]:
        for meta, png in self.conn.execute(f"SELECT s.meta, s.png FROM samples s ORDER BY {SAMPLE_ORDER}"):
            yield Sample.from_meta(json.loads(meta), png=bytes(png))

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def records(self, images: bool = True) -> Iterator[tuple[Sample, StoredResponse]]:
        """Every (sample, repeat) of the run in a stable order (task, scale, cell, index, id, repeat).

        `images=False` skips reading PNG bytes (the samples then carry geometry and answers only),
        which is what scoring needs."""
        png_col = "s.png" if images else "NULL"
        q = (f"SELECT s.meta, {png_col}, {_RESPONSE_COLS} FROM responses r JOIN samples s ON s.id = r.sample_id"
             f" ORDER BY {SAMPLE_ORDER}, r.repeat")
        last_id, sample = None, None
        for row in self.conn.execute(q):
            if row[2] != last_id:
                sample = Sample.from_meta(json.loads(row[0]), png=None if row[1] is None else bytes(row[1]))
                last_id = row[2]
            yield sample, _stored(row[2:])

    def counts(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT status, COUNT(*) FROM responses GROUP BY status"))

    def export_jsonl(self, out: str | Path) -> int:
        """One JSON line per (sample, repeat): the sample's record (no image) and the stored response."""
        out = Path(out)
        if not out.parent.is_dir():
            raise SnellenError(f"{out}: folder {out.parent} does not exist")
        hashes = self.sample_hashes()
        n = 0
        with atomic_open(out) as fh:
            for sample, resp in self.records(images=False):
                line = {"model": self.model, **resp.to_dict(), "sample": sample.meta(), "pixel_hash": hashes.get(sample.id)}
                fh.write(json.dumps(line, sort_keys=True, default=str) + "\n")
                n += 1
        return n

    def close(self) -> None:
        self.conn.close()
        self._unlock()

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _diff(a: Any, b: Any, prefix: str = "") -> list[tuple[str, Any, Any]]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += _diff(a.get(k), b.get(k), f"{prefix}.{k}" if prefix else str(k))
        return out
    return [] if a == b else [(prefix or "<config>", a, b)]


def _sqlite_cause(exc: BaseException) -> str:
    msg = str(exc)
    if "disk is full" in msg:
        return "no space left on device (database or disk is full)"
    if "readonly" in msg or "read-only" in msg:
        return "read-only folder or file (attempt to write a readonly database)"
    if "unable to open" in msg:
        return "cannot create or open the database file (read-only or missing folder?)"
    return msg


def _refuse_foreign(path: Path) -> None:
    """A new run is never created where it would overwrite or be confused with something else: a
    dataset (manifest.json of another format, Parquet shards, samples.jsonl) or a foreign manifest.json."""
    if not path.is_dir():
        return
    manifest = path / MANIFEST_FILE
    if manifest.is_file():
        try:
            fmt = json.loads(manifest.read_text(encoding="utf-8")).get("format")
        except (OSError, ValueError, AttributeError):
            fmt = None
        what = "a snellen dataset" if fmt == "snellen-samples" else f"a {MANIFEST_FILE} of another kind ({fmt!r})"
        if fmt != RUN_FORMAT:
            raise SnellenError(f"--out {path} holds {what}, not a run; write the run to another folder")
    if (path / "samples.jsonl").is_file() or any((path / "data").glob("*.parquet")):
        raise SnellenError(f"--out {path} holds a dataset (samples.jsonl or data/*.parquet); write the run to another folder")


def open_run(path: str | Path) -> Run:
    """Open an existing run directory for reading (scoring, reports, export)."""
    return Run(path, create=False)


def create_run(path: str | Path, redactor: Redactor | None = None) -> Run:
    """Open a run directory for writing, creating it (and its store) if needed."""
    return Run(path, create=True, redactor=redactor)
