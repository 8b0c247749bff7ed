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
    """Entry point: library errors become one line on stderr and exit status 2."""
    try:
        app()
    except SnellenError as exc:
        print(f"snellen: error: {exc}", file=sys.stderr)
        sys.exit(2)
