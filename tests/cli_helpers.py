"""Running `snellen` in tests as a user would: in the test process, or as a command that Ctrl-C reaches."""

from __future__ import annotations

import signal
import sys


def snellen(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    """`snellen ARGS` inside the test process: (exit code, stdout, stderr)."""
    from snellen.cli import main

    monkeypatch.setattr(sys, "argv", ["snellen", *map(str, args)])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


def sigint_as_in_a_terminal() -> None:
    """Popen preexec_fn: Ctrl-C at its default action, as a terminal's foreground job has it. A test run started
    in the background (`pytest ... &` from a script) inherits SIGINT ignored, and so would every command it starts."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
