"""Scoring: answer extraction, FineSightBench per-field metrics, one outcome per trial, the score table.

`score_response(sample, text) -> Score`; `score_records(model, records)` and `score_run(run)` -> DataFrame
(the contract of analysis/frame.py). The reading protocol and its hand-labelled corpus live in
tests/scoring/corpus/.
"""

from snellen.scoring.extract import Extraction, extract
from snellen.scoring.outcome import Score, score_response

__all__ = ["Extraction", "Score", "extract", "score_records", "score_response", "score_run"]


def __getattr__(name):  # pandas is imported only when a table is built
    if name in ("score_records", "score_run", "COLUMNS"):
        from snellen.scoring import frame

        return getattr(frame, name)
    raise AttributeError(name)
