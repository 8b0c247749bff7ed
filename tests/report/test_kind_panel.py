"""The perception-vs-reasoning figure when a run holds only one kind of task: the empty side says so in words
(an empty log axis used to print raw mathtext tick labels such as `$\\mathdefault{10^{0}}$`)."""

from __future__ import annotations

import pandas as pd

from snellen.report.figures import kind_panel


def curves(kinds):
    rows = []
    for kind in kinds:
        for scale, acc in ((4, 0.2), (8, 0.4), (16, 0.6), (32, 0.9)):
            rows.append({"kind": kind, "model": "m", "nominal": scale, "accuracy": acc, "ci_low": acc - 0.1, "ci_high": acc + 0.1})
    return pd.DataFrame(rows)


def test_an_absent_kind_is_named_not_drawn_as_an_empty_log_axis():
    svg = kind_panel(curves(["perception"]), {"m": "#123456"})
    assert "no reasoning tasks in these runs" in svg
    assert "no perception tasks" not in svg and "mathdefault" not in svg
    both = kind_panel(curves(["perception", "reasoning"]), {"m": "#123456"})
    assert "tasks in these runs" not in both and "mathdefault" not in both
