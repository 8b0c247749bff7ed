"""snellen's command line. Each command lives in its own module here and calls the library."""

from __future__ import annotations

import importlib
import pkgutil
import sys

from snellen.cli.app import app
from snellen.schema import SnellenError

for _info in pkgutil.iter_modules(__path__):
    if _info.name != "app":
        importlib.import_module(f"{__name__}.{_info.name}")


def main() -> None:
    """Entry point: library errors, and OS errors such as a full disk, become one line on stderr and exit 2."""
    try:
        app()
    except SnellenError as exc:
        print(f"snellen: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except OSError as exc:  # a path the user named cannot be read or written: say which and why
        from snellen.atomic import cause

        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"snellen: error: {where}{cause(exc)}", file=sys.stderr)
        sys.exit(2)
