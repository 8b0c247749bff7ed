"""The closed set an image-only classifier picks from, and the answer it gives, must name the class it chose:
picking the true class scores correct under every protocol (closed-world options are shuffled names, so an
answer by position in the field's list would name another class)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "data"))
import fg_fixtures as fx  # noqa: E402


@pytest.mark.parametrize("protocol", ["closed", "mc5-random", "mc2-random", "mc5-random-circular"])
def test_choosing_the_true_class_is_scored_correct(tmp_path, protocol):
    from snellen.data.finegrained import open_finegrained
    from snellen.models.choices import choices_of
    from snellen.scoring import score_response

    ds = open_finegrained(f"flowers102:{fx.flowers(tmp_path / 'flowers')}")
    samples = list(ds.samples(protocol=protocol, seed=3))
    assert samples
    shuffled = 0
    for s in samples:
        ch = choices_of(s)
        fg = s.extra["finegrained"]
        assert list(ch.ids) == fg["option_ids"] and list(ch.names) == fg["option_names"]
        true = ch.ids.index(fg["class_id"])
        assert score_response(s, ch.answer_text(true)).outcome == "correct", (protocol, ch.answer_text(true))
        wrong = (true + 1) % len(ch.ids)
        assert score_response(s, ch.answer_text(wrong)).outcome == "wrong"
        shuffled += list(ch.names) != list(s.fields[0].options)
    if protocol == "closed":
        assert shuffled > 0  # the case that went wrong: options listed in another order than the field's


def test_the_answer_rule_is_part_of_the_probes_identity(tmp_path):
    """Answers stored under the old closed-world rule must never be reused: the rule is in the store key."""
    pytest.importorskip("efficientnet_lite_pytorch")
    from snellen.models.base import load_backend
    from snellen.models.choices import ANSWER_RULE

    be = load_backend("probe:effnet-lite0@32", {"dataset": f"flowers102:{fx.flowers(tmp_path / 'flowers')}"})
    assert be.identity()["answers"] == ANSWER_RULE and "closed world by name" in ANSWER_RULE
