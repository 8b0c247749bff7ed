"""Shared fixtures for run/store tests: a tiny rendered suite and the test-only backends."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
import snellen_test_backends  # noqa: E402,F401  (registers t-* backends)

# The letters-and-digits fixture suite (the built-in `quick` covers every family and is larger).
GLYPHS = str(Path(__file__).resolve().parents[1] / "glyphs.yaml")


@pytest.fixture(scope="session")
def quick_samples():
    """16 rendered samples (letter + digit, 4 scales, 2 per cell), PNG-encoded once."""
    from snellen.probes.suite import load_suite

    samples = list(load_suite(GLYPHS, per_cell=2).samples())
    for s in samples:
        s.png_bytes()
    return samples


@pytest.fixture
def calls():
    snellen_test_backends.CALLS.clear()
    yield snellen_test_backends.CALLS
    snellen_test_backends.CALLS.clear()


def copy_samples(samples):
    """Fresh Sample objects (the runner drops decoded pixels after hashing)."""
    import copy

    return [copy.copy(s) for s in samples]
