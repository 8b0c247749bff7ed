"""`snellen ARGS` run inside the test process, as a user types it: (exit code, stdout, stderr)."""

from __future__ import annotations

import sys


def snellen(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    from snellen.cli import main

    monkeypatch.setattr(sys, "argv", ["snellen", *map(str, args)])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err
