import numpy as np
import pytest
from scipy.stats import binomtest

from snellen.analysis.intervals import wilson


@pytest.mark.parametrize("k,n", [(0, 10), (3, 10), (10, 10), (1, 1), (57, 200), (499, 500)])
def test_wilson_matches_scipy(k, n):
    lo, hi = wilson(k, n)
    ref = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert lo == pytest.approx(ref.low, abs=1e-12) and hi == pytest.approx(ref.high, abs=1e-12)


def test_wilson_vectorised_and_empty_cells():
    lo, hi = wilson(np.array([0, 5, 0]), np.array([10, 10, 0]))
    assert lo[0] == 0.0 and hi[1] > 0.5 > lo[1]
    assert np.isnan(lo[2]) and np.isnan(hi[2])


def test_wilson_rejects_impossible_counts():
    with pytest.raises(ValueError):
        wilson(11, 10)
