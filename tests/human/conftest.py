"""Fixtures of the human-exam tests (helpers live in human_exam.py, imported by name from this folder)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from human_exam import CHROMIUM, ARGS, LiveExam  # noqa: E402


@pytest.fixture
def live_exam(tmp_path):
    exams = []

    def start(**kw) -> LiveExam:
        exam = LiveExam(tmp_path / kw.pop("run", "run"), **kw)
        exams.append(exam)
        return exam

    yield start
    for exam in exams:
        exam.stop()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


