"""Gap analysis: the VLM beside image-only baselines on the very same items, and thresholds in px.

Constructed score tables with known outcomes: the shared items, the gap and its paired interval, the reading's
direction, items asked under another seed never paired, roles from specs, and threshold gaps recovered from
simulated observers with known thresholds (censored ones as one-sided bounds)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from snellen.analysis import finegrained_gap as gap
from snellen.analysis.intervals import paired_difference, wilson
from snellen.analysis.simulate import Observer, simulate_scores

ROLES = {"hf:/m/vlm": gap.ModelRole("vlm", "/m/vlm"), "probe:vlm:/m/vlm": gap.ModelRole("own-tower", "/m/vlm"),
         "probe:effnet-lite0": gap.ModelRole("probe"), "clip:/m/clip": gap.ModelRole("zero-shot"),
         "random": gap.ModelRole("reference")}


def fg_rows(model, right, protocol="mc5-random", k=5, prefix="s", outcomes=None, rotation=None):
    """One fine-grained trial per entry of `right` (True: correct); sample ids `prefix`-i; outcomes override."""
    rows = []
    for i, ok in enumerate(right):
        outcome = (outcomes or {}).get(i, "correct" if ok else "wrong")
        cell = {"dataset": "flowers", "split": "test", "protocol": protocol, "candidates": k, "image": f"img{i}",
                "rotation": 0 if rotation is None else rotation}
        rows.append(dict(model=model, sample_id=f"{prefix}-{i}", repeat=0, profile="finegrained", task=f"flowers:{protocol}",
                         family="finegrained", kind="perception", scale=64, effective_scale=np.nan, count=1,
                         chance=1.0 / k, outcome=outcome, strict=outcome == "correct", cell=json.dumps(cell)))
    return pd.DataFrame(rows)


def test_paired_interval_is_never_zero_width_and_covers():
    lo, hi = paired_difference(0, 0, 0, 20)  # 20 items, both always wrong: 0 with an interval, not [0, 0]
    assert lo < 0 < hi and hi - lo > 0.2
    lo, hi = paired_difference(0, 20, 0, 0)  # a always right, b never: the difference is near 1
    assert 0.7 < lo < 1.0 and hi == 1.0
    # coverage over simulated paired tables, correlated and not (Newcombe reports ~95%, min ~93%)
    rng = np.random.default_rng(7)
    for pa, pb, rho, n in [(0.5, 0.3, 0.3, 30), (0.85, 0.8, 0.6, 40), (0.2, 0.2, 0.0, 25)]:
        s = np.sqrt(pa * (1 - pa) * pb * (1 - pb))
        p11 = min(pa, pb, pa * pb + rho * s)
        probs = [p11, pa - p11, pb - p11, 1 - pa - pb + p11]
        t = rng.multinomial(n, probs, size=3000)
        lo, hi = paired_difference(t[:, 0], t[:, 1], t[:, 2], t[:, 3])
        cover = ((lo <= pa - pb) & (pa - pb <= hi)).mean()
        assert 0.925 <= cover <= 0.995, (pa, pb, rho, n, cover)


def test_gap_on_shared_items_with_counts_and_reading():
    n = 20
    vlm = fg_rows("hf:/m/vlm", [i < 4 for i in range(n)])  # 4 / 20 right
    own = fg_rows("probe:vlm:/m/vlm", [i < 15 for i in range(n)])  # 15 / 20, knows all the VLM knows
    # the linear probe: 2 errors (coverage, not wrong) and 18 answered; right on items 0..9
    probe = fg_rows("probe:effnet-lite0", [i < 10 for i in range(n)], outcomes={18: "error", 19: "error"})
    clip = fg_rows("clip:/m/clip", [i % 5 == 0 for i in range(n)])  # items 0, 5, 10, 15
    ref = fg_rows("random", [True] * n)
    acc, gaps = gap.accuracy_gaps(pd.concat([vlm, own, probe, clip, ref]), ROLES)
    assert set(acc["model"]) == {"hf:/m/vlm", "probe:vlm:/m/vlm", "probe:effnet-lite0", "clip:/m/clip"}  # no reference
    # every model is scored on the 18 items all of them answered; own counts stay visible
    assert set(acc["shared"]) == {18}
    a = acc.set_index("model")
    assert a.loc["probe:effnet-lite0", "own"] == 18 and a.loc["hf:/m/vlm", "own"] == 20
    assert a.loc["hf:/m/vlm", "correct"] == 4 and a.loc["probe:vlm:/m/vlm", "correct"] == 15
    lo, hi = wilson(15, 18)
    assert a.loc["probe:vlm:/m/vlm", "ci_low"] == pytest.approx(lo) and a.loc["probe:vlm:/m/vlm", "ci_high"] == pytest.approx(hi)
    g = gaps.set_index("baseline")
    assert list(gaps["kind"]) == ["own-tower", "probe", "zero-shot"]
    own_gap = g.loc["probe:vlm:/m/vlm"]
    assert own_gap["diff"] == pytest.approx((15 - 4) / 18) and own_gap["only_baseline"] == 11 and own_gap["only_vlm"] == 0
    assert (own_gap["diff_low"], own_gap["diff_high"]) == pytest.approx(tuple(map(float, paired_difference(4, 11, 0, 3))))
    assert own_gap["reading"].startswith("its own vision tower (linear probe) knows it, the VLM does not name it: +61.1 pts [")
    z = g.loc["clip:/m/clip"]  # 4 right (0, 5, 10, 15) vs the VLM's 4 (0..3): 1 shared, 3 each alone
    assert z["diff"] == 0 and z["only_baseline"] == 3 and z["only_vlm"] == 3
    assert z["reading"].startswith("no measured gap between the VLM and zero-shot clip:/m/clip: +0.0 pts [")
    head = gap.headline(gaps)
    assert list(head["kind"]) == ["own-tower", "probe", "zero-shot"]


def test_items_asked_under_another_seed_are_never_paired():
    vlm = fg_rows("hf:/m/vlm", [False] * 10)
    other = fg_rows("probe:effnet-lite0", [True] * 10, prefix="other-seed")  # same images, other questions
    acc, gaps = gap.accuracy_gaps(pd.concat([vlm, other]), ROLES)
    assert set(acc["shared"]) == {0} and set(acc["own"]) == {10}
    assert gaps["shared"].tolist() == [0] and np.isnan(gaps["diff"].iloc[0])
    assert gaps["reading"].iloc[0] == "no shared items: no gap"


def test_a_probe_on_another_checkpoints_tower_is_a_linear_probe_not_own():
    roles = {**ROLES, "probe:vlm:/m/other": gap.ModelRole("own-tower", "/m/other")}
    vlm = fg_rows("hf:/m/vlm", [False] * 10)
    other = fg_rows("probe:vlm:/m/other", [True] * 10)
    _, gaps = gap.accuracy_gaps(pd.concat([vlm, other]), roles)
    assert gaps["kind"].tolist() == ["probe"]


def test_circular_units_pair_by_image_with_every_rotation():
    rows = []
    for model, right in (("hf:/m/vlm", [[True] * 5, [True, True, False, True, True]]), ("probe:effnet-lite0", [[True] * 5] * 2)):
        for img, rots in enumerate(right):
            for r, ok in enumerate(rots):
                d = fg_rows(model, [ok], protocol="mc5-random-circular", prefix=f"c{img}r{r}", rotation=r)
                d["cell"] = d["cell"].str.replace('"img0"', f'"img{img}"')
                rows.append(d)
    acc, gaps = gap.accuracy_gaps(pd.concat(rows), ROLES)
    a = acc.set_index("model")
    assert a.loc["hf:/m/vlm", "shared"] == 2 and a.loc["hf:/m/vlm", "correct"] == 1  # one rotation wrong: image wrong
    assert gaps["only_baseline"].tolist() == [1] and gaps["only_vlm"].tolist() == [0]
    assert acc["chance"].iloc[0] == pytest.approx(0.2 ** 5)


def test_threshold_gap_recovers_known_thresholds():
    rng = np.random.default_rng(3)
    obs = [Observer("vlm", threshold=16.0, width=0.15, lapse=0.0, unparseable=0, refusal=0, error=0),
           Observer("probe", threshold=6.0, width=0.15, lapse=0.0, unparseable=0, refusal=0, error=0)]
    df = simulate_scores(obs, rng, tasks=("shape",), per_cell=40)
    df["model"] = df["model"].map({"vlm": "hf:/m/vlm", "probe": "probe:effnet-lite0"})
    t = gap.threshold_gaps(df, ROLES, np.random.default_rng(0))
    (r,) = t.to_dict(orient="records")
    assert r["vlm_censor"] == r["baseline_censor"] == ""
    assert 13 < r["vlm_threshold"] < 19 and 4.8 < r["baseline_threshold"] < 7.5
    assert r["gap"] == pytest.approx(r["vlm_threshold"] - r["baseline_threshold"])
    assert r["gap_low"] < 10.0 < r["gap_high"] and r["gap_low"] > 0  # covers the true 10 px, excludes 0
    assert gap.threshold_reading(pd.Series(r)).startswith("a linear probe on effnet-lite0 tells the detail apart at smaller sizes")


def test_threshold_gap_beyond_the_grid_is_a_bound_never_a_number():
    rng = np.random.default_rng(4)
    obs = [Observer("vlm", threshold=400.0, width=0.1, lapse=0.0, unparseable=0, refusal=0, error=0),  # never rises
           Observer("probe", threshold=8.0, width=0.1, lapse=0.0, unparseable=0, refusal=0, error=0)]
    df = simulate_scores(obs, rng, tasks=("shape",), per_cell=30)
    df["model"] = df["model"].map({"vlm": "hf:/m/vlm", "probe": "probe:vlm:/m/vlm"})
    (r,) = gap.threshold_gaps(df, ROLES, np.random.default_rng(0)).to_dict(orient="records")
    assert r["kind"] == "own-tower" and r["vlm_censor"] == ">" and np.isnan(r["gap"])
    bound = 48 - r["baseline_ci_high"]
    assert r["gap_text"] == f"> {bound:.1f} px" and 30 < bound < 44 and "beyond the largest size" in r["gap_why"]
    assert "its own vision tower" in gap.threshold_reading(pd.Series(r))


def test_roles_from_specs(tmp_path):
    (tmp_path / "llava").mkdir()
    assert gap.role_of(f"hf:{tmp_path / 'llava'}") == gap.ModelRole("vlm", str(tmp_path / "llava"))
    assert gap.role_of(f"probe:vlm:{tmp_path / 'llava'}") == gap.ModelRole("own-tower", str(tmp_path / "llava"))
    assert gap.role_of("probe:effnet-lite0@64").role == "probe"
    assert gap.role_of("clip:/x").role == "zero-shot" and gap.role_of("siglip:/x").role == "zero-shot"
    assert gap.role_of("openai:gpt-4o").role == "vlm" and gap.role_of("upscale:2/openai:gpt-4o").role == "vlm"
    for ref in ("random", "oracle", "ideal", "ocr:tesseract", "human:ann"):
        assert gap.role_of(ref).role == "reference", ref
    # the same checkpoint through another spelling of its path is still the VLM's own tower
    roles = {"hf:/a/b": gap.ModelRole("vlm", str(tmp_path / "llava")),
             "p": gap.ModelRole("own-tower", str(tmp_path / "x" / ".." / "llava"))}
    (tmp_path / "x").mkdir()
    assert gap.kind_beside("hf:/a/b", "p", roles) == "own-tower"


@pytest.mark.parametrize("vlm_t, probe_t, text, why", [
    (400.0, 8.0, ">", "the VLM's threshold lies beyond the largest size tested"),
    (12.0, 1.0, ">", "the baseline's threshold lies below the smallest size tested"),
    (1.0, 12.0, "<", "the VLM's threshold lies below the smallest size tested"),
    (12.0, 400.0, "<", "the baseline's threshold lies beyond the largest size tested"),
    (400.0, 1.0, "> 44.0 px", "the baseline tells every size tested apart, the VLM none"),
    (400.0, 400.0, "n/a", "both thresholds lie beyond the largest size tested"),
])
def test_every_censoring_gives_the_right_side_and_reason(vlm_t, probe_t, text, why):
    rng = np.random.default_rng(5)
    obs = [Observer("vlm", threshold=vlm_t, width=0.1, lapse=0.0, unparseable=0, refusal=0, error=0),
           Observer("probe", threshold=probe_t, width=0.1, lapse=0.0, unparseable=0, refusal=0, error=0)]
    df = simulate_scores(obs, rng, tasks=("shape",), per_cell=30)
    df["model"] = df["model"].map({"vlm": "hf:/m/vlm", "probe": "probe:effnet-lite0"})
    (r,) = gap.threshold_gaps(df, ROLES, np.random.default_rng(0)).to_dict(orient="records")
    assert np.isnan(r["gap"]) and r["gap_text"].startswith(text) and r["gap_why"] == why, r
    reading = gap.threshold_reading(pd.Series(r))
    if text.startswith(">"):
        assert reading.startswith("a linear probe on effnet-lite0 tells the detail apart at smaller sizes")
    elif text.startswith("<"):
        assert reading.startswith("the VLM tells the detail apart at smaller sizes")
    else:
        assert reading.startswith("no gap measurable")


def test_gap_markdown_for_the_leaderboard():
    n = 20
    df = pd.concat([fg_rows("hf:/m/vlm", [i < 4 for i in range(n)]), fg_rows("clip:/m/clip", [i % 5 == 0 for i in range(n)]),
                    fg_rows("probe:effnet-lite0", [i < 10 for i in range(n)], outcomes={18: "error", 19: "error"})])
    text = gap.gap_text(gap.accuracy_gaps(df, ROLES)[1])
    lines = [ln for ln in text.splitlines() if ln.startswith("| mc5")]
    assert len(lines) == 2
    probe = next(ln for ln in lines if "effnet" in ln)
    assert "| 18 / (20, 18) |" in probe and "| 22.2 | 55.6 |" in probe  # 4 and 10 of the 18 shared items
    assert "a linear probe on effnet-lite0 knows it, the VLM does not name it |" in probe
    assert "no measured gap between the VLM and zero-shot clip:/m/clip |" in next(ln for ln in lines if "clip" in ln)
    assert gap.gap_text(gap.accuracy_gaps(df[df["model"] == "hf:/m/vlm"], ROLES)[1]) == ""
