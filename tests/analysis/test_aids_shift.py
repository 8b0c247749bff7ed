"""The aid comparison uses the analysis's one threshold (the Bayesian fit) and an interval that a step cannot shrink."""

import numpy as np
import pandas as pd

from snellen.analysis import acuity
from snellen.analysis.aids import aid_shifts

SIZES = (4, 6, 8, 12, 16, 24, 32, 48)


def step_at(edge: int):
    """0/20 below `edge`, 20/20 from it on."""
    return [(s, 20 if s >= edge else 0, 20) for s in SIZES]


def test_aid_ratio_of_two_steps_spans_both_gaps_and_uses_the_reported_thresholds(cells_table):
    bare = cells_table(step_at(16), model="random", chance=1 / 26)  # threshold somewhere in 12-16 px
    aided = cells_table(step_at(8), model="upscale:2/random", chance=1 / 26)  # somewhere in 6-8 px
    df = pd.concat([bare, aided], ignore_index=True)
    row = aid_shifts(df, np.random.default_rng(0)).iloc[0]
    # the data allow any ratio from 6/16 to 8/12: the interval must not be narrower than most of that
    assert row["ratio_low"] < 6.5 / 15 and row["ratio_high"] > 7.5 / 12.5
    assert row["ratio_low"] < row["ratio"] < row["ratio_high"]
    th = acuity.thresholds(df, np.random.default_rng(0)).set_index("model")
    assert np.isclose(row["bare_threshold"], th.loc["random", "nominal_threshold"])
    assert np.isclose(row["aided_threshold"], th.loc["upscale:2/random", "nominal_threshold"])
