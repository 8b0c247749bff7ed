import numpy as np
import pytest

from snellen.analysis.psychometric import LAPSE_MAX, bootstrap_thresholds, fit, posterior_thresholds, predict
from snellen.analysis.simulate import REGIMES, simulate_counts

SCALES = np.array([4, 6, 8, 10, 12, 16, 24, 32, 48.0])
X = np.log(SCALES)


def test_fit_recovers_known_parameters_from_expected_counts():
    n = np.full(9, 100000.0)
    p = predict(X, 1 / 26, np.log(9.0), 0.25, 0.05)
    f = fit(X, n * p, n, 1 / 26)
    assert f.converged.all()
    assert f.threshold[0] == pytest.approx(9.0, rel=1e-3)
    assert f.width[0] == pytest.approx(0.25, rel=1e-2)
    assert f.lapse[0] == pytest.approx(0.05, abs=1e-3)


def test_fit_is_batched_over_rows_with_own_floors_and_padding():
    n = np.full((3, 9), 5000.0)
    n[2, 6:] = 0  # padded cells contribute nothing
    floors = np.array([[0.5], [0.01], [0.25]]) * np.ones((1, 9))
    truth = np.array([6.0, 20.0, 8.0])
    k = n * predict(X[None], floors, np.log(truth)[:, None], 0.2, 0.0)
    f = fit(np.tile(X, (3, 1)), k, n, floors)
    np.testing.assert_allclose(f.threshold, truth, rtol=2e-2)
    assert np.all(f.lapse >= 0) and np.all(f.lapse <= LAPSE_MAX)


def test_fit_rejects_bad_counts():
    with pytest.raises(ValueError, match="successes"):
        fit(X, np.full(9, 11.0), np.full(9, 10.0), 0.1)


def test_bootstrap_ci_coverage_and_bias_small_simulation():
    """150 simulated observers (fixed seed): the 95% CI covers the true threshold 89-99% of the time
    (binomial sd of the coverage at 150 runs is 1.8 points) and the median log error is within 3%.
    The full 1,000-run check is benchmarks/simulate_thresholds.py."""
    rng = np.random.default_rng(20260101)
    runs, true_t = 150, 9.0
    p = predict(X[None], 1 / 26, np.log(true_t), 0.25, 0.03)
    k = rng.binomial(50, np.broadcast_to(p, (runs, 9))).astype(float)
    est = bootstrap_thresholds(X, k, np.full((runs, 9), 50.0), 1 / 26, rng, n_boot=200)
    covered = np.mean((est.ci_low <= true_t) & (true_t <= est.ci_high))
    assert 0.89 <= covered <= 0.99
    assert abs(np.median(np.log(est.fit.threshold / true_t))) < 0.03
    assert est.boot_converged.mean() > 0.98


def test_curve_at_ceiling_from_the_second_cell_converges_below_the_grid():
    """Only the smallest cell is below ceiling: the likelihood has a flat ridge towards ever steeper,
    ever smaller thresholds. The fit must stop on it (and the threshold is then censored) rather than
    report non-convergence (a real OCR run: 26/30 at 4 px, 29-30/30 above)."""
    k = np.array([26, 30, 30, 30, 30, 29, 30, 30, 29.0])
    n = np.full(9, 30.0)
    est = bootstrap_thresholds(X, k, n, 1 / 35, np.random.default_rng(0), n_boot=200)
    assert est.fit.converged.all()
    assert est.boot_converged[0] > 0.95
    assert est.fit.threshold[0] < 4.0


def test_posterior_interval_coverage_in_hard_regimes_small_simulation():
    """Lean version of benchmarks/simulate_thresholds.py (which runs 1,000 exams per regime): 150 exams
    each of a true step between grid sizes, few trials per cell and a 15% lapse. The 95% interval must cover
    the true threshold 89-99.5% of the time (binomial sd at 150 runs ~1.8 points) and never have zero
    width; the bootstrap it replaced covered a step 0% of the time with zero width."""
    by_name = {r.name: r for r in REGIMES}
    for name in ("true step in 6-8 px, 1/26, 30/cell", "few: letters 9 px, w .25, 5/cell",
                 "lapse .15: shapes 5-40 px, w .25, 20/cell"):
        x, k, n, truth = simulate_counts(by_name[name], 150, np.random.default_rng(7))
        est = posterior_thresholds(x, k, n, by_name[name].chance)
        covered = np.mean((est.ci_low <= truth) & (truth <= est.ci_high))
        assert 0.89 <= covered <= 0.995, (name, covered)
        assert np.all(est.ci_high / est.ci_low > 1.01), name
        assert np.all((est.ci_low <= est.threshold) & (est.threshold <= est.ci_high)), name


def test_posterior_recovers_a_well_measured_curve_and_resolves_its_interval():
    """Many trials: the posterior median sits on the truth and the grid zooms until the narrow
    interval spans several grid points (its bounds are then not grid artefacts)."""
    n = np.full(9, 20000.0)
    k = np.round(n * predict(X, 1 / 8, np.log(11.0), 0.2, 0.02))
    est = posterior_thresholds(X, k, n, 1 / 8)
    assert est.threshold[0] == pytest.approx(11.0, rel=5e-3)
    assert est.ci_low[0] < 11.0 < est.ci_high[0] and est.ci_high[0] / est.ci_low[0] < 1.05
    assert est.resolved.all()
    assert est.width[0] == pytest.approx(0.2, rel=0.1) and est.lapse[0] == pytest.approx(0.02, abs=0.01)


def test_posterior_of_a_curve_at_ceiling_everywhere_lies_below_the_grid():
    k = np.array([26, 30, 30, 30, 30, 29, 30, 30, 29.0])
    est = posterior_thresholds(X, k, np.full(9, 30.0), 1 / 35)
    assert est.threshold[0] < 4.0 and est.ci_high[0] < 4.5
