"""Build score tables with exact cell counts (for tests that need known accuracies)."""

from __future__ import annotations

import json

import pandas as pd


def table(cells, model="m", task="letter", kind="perception", chance=0.1, profile="snellen", effective_ratio=1.0,
          count=1, answer=None, extracted_wrong=None):
    """cells: [(scale, k, n)] -> contract rows: k correct then n - k wrong answers per scale."""
    rows = []
    for scale, k, n in cells:
        for i in range(n):
            ok = i < k
            ans = answer or {"letter": "A"}
            ext = ans if ok else (extracted_wrong or {"letter": "B"})
            rows.append(dict(
                model=model, sample_id=f"{task}-{count}-{scale}-{i}", repeat=0, suite="t", suite_hash="h", profile=profile,
                task=task, family=task, kind=kind, scale=scale, measured_scale=float(scale),
                effective_scale=float("nan") if effective_ratio is None else scale * effective_ratio, count=count,
                chance=chance, outcome="correct" if ok else "wrong", strict=ok, partial=float(ok), field_scores="{}",
                extracted=json.dumps(ext), answer=json.dumps(ans), text=json.dumps(ext), error_kind=None,
            ))
    return pd.DataFrame(rows)


import pytest  # noqa: E402


@pytest.fixture
def cells_table():
    return table
