"""snellen inside other evaluation harnesses: export a suite as their task, import their result files as a run.

One module per harness (`lmms`, `vlmevalkit`, `inspectai`), each with `export(selection, out, info)` and
`read_results(path) -> HarnessResult`. What they share (sample columns, the export record, turning harness
records into a snellen run) lives in `common`; `harness_side` is the small scoring entry point that the
exported task code calls from inside the harness, so the harness's figures are snellen's own.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from snellen.schema import SnellenError

# CLI name -> module in this package
HARNESSES = {"lmms-eval": "lmms", "vlmevalkit": "vlmevalkit", "inspect": "inspectai"}


def harness_module(name: str) -> ModuleType:
    if name not in HARNESSES:
        raise SnellenError(f"unknown harness {name!r}: use one of {', '.join(HARNESSES)}")
    return import_module(f"{__name__}.{HARNESSES[name]}")
