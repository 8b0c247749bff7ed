"""Files written whole or not at all, and write failures as one line naming the path and the cause.

Every file snellen writes (reports, exports, run and dataset manifests, leaderboards, shards) goes through
`atomic_open` / `atomic_write`: the data goes to a temporary file in the same folder, is flushed to disk,
and only then renamed over the target. A kill, a full disk or a read-only folder leaves the previous
file (or none) in place, never a truncated one, and the temporary file is removed on failure.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from snellen.schema import SnellenError

_CAUSES = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EFBIG: "file too large (size limit reached)",
    errno.ENOENT: "folder does not exist",
    errno.EISDIR: "is a folder",
    errno.ENOTDIR: "a parent is not a folder",
}


class WriteError(SnellenError):
    """Something could not be written: names the path and the cause (exit status 2 at the CLI)."""


def cause(exc: BaseException) -> str:
    """A short human cause for an OS error ('no space left on device'), else its message."""
    if isinstance(exc, OSError) and exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def write_error(path: str | Path, exc: BaseException) -> WriteError:
    return WriteError(f"cannot write {path}: {cause(exc)}")


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", encoding: str | None = "utf-8",
                errors: str | None = None) -> Iterator[IO]:
    """Open a temporary sibling of `path` for writing; on a clean exit it replaces `path` atomically.

    OS errors (full disk, read-only folder, missing folder) become a WriteError naming `path`."""
    path = Path(path)
    binary = "b" in mode
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        with os.fdopen(fd, mode, **({} if binary else {"encoding": encoding, "errors": errors})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise write_error(path, exc) from None
    except BaseException:
        _discard(tmp)
        raise


def atomic_write(path: str | Path, data: str | bytes, encoding: str = "utf-8", errors: str | None = None) -> Path:
    """Write `data` (text or bytes) to `path` atomically; returns `path`."""
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w", encoding=encoding, errors=errors) as fh:
        fh.write(data)
    return Path(path)


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once, at import (os.umask is process-wide and not thread-safe)
