"""Fine-grained protocols: hard-negative mining, seeded options, circular evaluation, answer matching."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from snellen.analysis import finegrained as fga
from snellen.data.finegrained import open_finegrained
from snellen.data.finegrained.neighbours import Neighbours, pixel_means
from snellen.scoring import score_response
from snellen.scoring.finegrained import Protocol, names_in
from snellen.scoring.frame import score_records
from snellen.schema import SnellenError

sys.path.insert(0, str(Path(__file__).parents[1] / "data"))
import fg_fixtures as fx  # noqa: E402


def test_hard_negatives_are_the_nearest_classes_by_embedding():
    # 6 classes on a circle in 2-D plus one far away: neighbours of "a" are its angular neighbours in order
    ids = ["a", "b", "c", "d", "e", "far"]
    ang = np.array([0.0, 0.3, -0.5, 1.2, 2.5, 3.1])
    emb = np.stack([np.cos(ang), np.sin(ang)], axis=1) * np.array([[1], [2], [3], [1], [5], [1]])  # norms must not matter
    nb = Neighbours.from_embeddings(ids, emb)
    assert nb.nearest("a", 3) == ["b", "c", "d"]
    assert nb.nearest("far", 2) == ["e", "d"]
    with pytest.raises(SnellenError):
        nb.nearest("a", 6)


def test_hard_negatives_from_a_confusion_matrix_are_symmetric():
    ids = ["x", "y", "z", "w"]
    conf = np.array([[90, 1, 9, 0], [0, 80, 0, 20], [30, 0, 70, 0], [0, 5, 0, 95]])
    nb = Neighbours.from_confusion(ids, conf)
    assert nb.nearest("x", 1) == ["z"] and nb.nearest("y", 1) == ["w"] and nb.nearest("w", 1) == ["y"]


def test_neighbours_file_round_trip(tmp_path):
    nb = Neighbours.from_embeddings(["1", "2", "3"], np.eye(3) + 0.1)
    nb.save(tmp_path / "n.npz")
    back = Neighbours.load(tmp_path / "n.npz")
    assert back.class_ids == ["1", "2", "3"] and np.allclose(back.similarity, nb.similarity)
    (tmp_path / "bad.npz").write_bytes(b"nope")
    with pytest.raises(SnellenError, match="bad.npz"):
        Neighbours.load(tmp_path / "bad.npz")


@pytest.fixture(scope="module")
def flowers(tmp_path_factory):
    return open_finegrained(fx.flowers(tmp_path_factory.mktemp("fl") / "flowers"))


def test_mc_hard_uses_the_given_neighbours_and_seeded_order(flowers):
    ids = list(flowers.classes)
    emb = np.stack([np.cos(np.arange(102) / 20), np.sin(np.arange(102) / 20)], axis=1)  # class i near i +- 1
    nb = Neighbours.from_embeddings(ids, emb, "test-circle")
    s = list(flowers.samples("test", protocol="mc5-hard", neighbours=nb))
    assert len(s) == 3
    first = s[0].extra["finegrained"]
    assert first["class_id"] == "60" and sorted(first["option_ids"], key=int) == ["58", "59", "60", "61", "62"]
    assert first["distractor_source"] == "test-circle"
    again = list(flowers.samples("test", protocol="mc5-hard", neighbours=nb, limit=1))
    assert again[0].extra["finegrained"]["option_ids"] == first["option_ids"] and again[0].id == s[0].id
    other_seed = list(flowers.samples("test", protocol="mc5-hard", neighbours=nb, seed=7))
    assert [x.extra["finegrained"]["option_ids"] for x in other_seed] != [x.extra["finegrained"]["option_ids"] for x in s]
    letter = s[0].answer["answer"]
    assert first["option_ids"]["ABCDE".index(letter)] == "60"
    assert f"{letter}. {flowers.classes['60']}" in s[0].prompts["json"]


def test_closed_lists_every_class_shuffled(flowers):
    s = next(flowers.samples("test", protocol="closed"))
    names = s.extra["finegrained"]["option_names"]
    assert sorted(names) == sorted(flowers.classes.values()) and names != list(flowers.classes.values())
    assert s.chance == pytest.approx(1 / 102) and s.cell["candidates"] == 102


def _resp(sample, text, repeat=0):
    return type("R", (), {"status": "ok", "text": text, "repeat": repeat, "sent_size": None, "encoder_size": None,
                          "error_kind": None, "sample_id": sample.id})()


def test_circular_counts_an_image_right_only_when_every_rotation_is(flowers):
    s = list(flowers.samples("test", protocol="mc4-random-circular", limit=2))
    assert len(s) == 8 and [x.cell["rotation"] for x in s[:4]] == [0, 1, 2, 3]
    first = s[:4]
    assert len({x.answer["answer"] for x in first}) == 4  # the right letter moves with each rotation
    # image 1: right on all 4 rotations; image 2: right on 3 of 4
    texts = [x.answer["answer"] for x in s[:4]] + [x.answer["answer"] for x in s[4:7]] + ["wrong"]
    wrong_letter = next(c for c in "ABCD" if c != s[7].answer["answer"])
    texts[-1] = wrong_letter
    df = score_records("m", [(x, _resp(x, t)) for x, t in zip(s, texts)])
    acc = fga.accuracy(df)
    assert len(acc) == 1
    r = acc.iloc[0]
    assert (r["units"], r["answered"], r["correct"]) == (2, 2, 1) and r["accuracy"] == 0.5
    assert r["chance"] == pytest.approx(0.25 ** 4)
    # a missing rotation leaves the image unanswered (coverage), never wrong
    df2 = score_records("m", [(x, _resp(x, t)) for x, t in zip(s[:7], texts[:7])])
    r2 = fga.accuracy(df2).iloc[0]
    assert (r2["units"], r2["answered"], r2["correct"]) == (2, 1, 1)
    # garbage on one rotation: the image is answered, wrong, and counted as not read
    df3 = score_records("m", [(x, _resp(x, t)) for x, t in zip(s, texts[:7] + ["%%% ???"])])
    r3 = fga.accuracy(df3).iloc[0]
    assert (r3["answered"], r3["correct"], r3["unread_rate"]) == (2, 1, 0.5)
    assert r["unread_rate"] == 0.0


def test_accuracy_vs_candidates(flowers):
    frames = []
    for proto in ("mc2", "mc5", "closed"):
        s = list(flowers.samples("test", protocol=proto))
        frames.append(score_records("m", [(x, _resp(x, x.answer["answer"] if i == 0 else "zzz")) for i, x in enumerate(s)]))
    curve = fga.by_candidates(fga.accuracy(pd.concat(frames)))
    assert curve["candidates"].tolist() == [2, 5, 102]
    assert curve["accuracy"].tolist() == pytest.approx([1 / 3] * 3)


@pytest.mark.parametrize("text,outcome", [
    ('{"answer": "T-shirt"}', "correct"),
    ("This looks like a tee.", "correct"),
    ("It's a t shirt / top", "correct"),
    ("tops", "correct"),
    ("It is a shirt.", "wrong"),  # "shirt" is another class, not a synonym of T-shirt/top
    ("stop", "wrong"),  # whole words only
    ("This is not a T-shirt; it is a dress.", "wrong"),  # a negated mention does not count
    ("Not a dress, it's a top.", "correct"),
    ("I can't tell what this is.", "refusal"),
    ("", "unparseable"),
])
def test_open_ended_matches_label_and_synonyms(text, outcome):
    ds = open_finegrained(fx.idx(Path(__import__("tempfile").mkdtemp()) / "fm"))
    s = next(x for x in ds.samples("test", protocol="open") if x.extra["finegrained"]["class_id"] == "0")
    assert score_response(s, text).outcome == outcome


def test_names_in_plural_and_separators():
    assert names_in("Two ankle-boots", ("Ankle boot",))
    assert not names_in("an ankle", ("Ankle boot",))
    assert names_in("Cheese_plate", ("cheese plate",))


def test_mc_answer_by_letter_or_name_and_disagreement(flowers):
    s = next(flowers.samples("test", protocol="mc5"))
    meta = s.extra["finegrained"]
    right = s.answer["answer"]
    name = meta["option_names"]["ABCDE".index(right)]
    other = next(c for c in "ABCDE" if c != right)
    assert score_response(s, f'{{"answer": "{right}"}}').outcome == "correct"
    assert score_response(s, f"The answer is {name}.").outcome == "correct"
    assert score_response(s, f"{other}").outcome == "wrong"
    sc = score_response(s, f"{other}. {name}")
    assert sc.outcome == "unparseable" and "disagree" in sc.detail["reason"]


def test_protocol_names_and_errors():
    assert Protocol.parse("mc5").name == "mc5-random"
    assert Protocol.parse("MC5-hard-circular") == Protocol("mc", 5, "hard", True)
    for bad in ("mc1", "mc5-nearest", "multiple", "mc30"):
        with pytest.raises(SnellenError):
            Protocol.parse(bad)


def test_pixel_means_neighbours_on_fixture(tmp_path):
    ds = open_finegrained(fx.idx(tmp_path / "fm"))
    nb = pixel_means(ds)
    assert nb.source.startswith("pixel-means:train") and len(nb.nearest("0", 3)) == 3


@pytest.mark.parametrize("protocol", ["mc5", "mc5-hard-circular", "closed", "open"])
def test_a_classifier_reply_is_scored_by_the_same_matcher(flowers, protocol):
    from snellen.scoring.finegrained import reply

    ids = list(flowers.classes)
    emb = np.stack([np.cos(np.arange(102) / 20), np.sin(np.arange(102) / 20)], axis=1)
    nb = Neighbours.from_embeddings(ids, emb)
    for s in flowers.samples("test", protocol=protocol, neighbours=nb, limit=2):
        meta = s.extra["finegrained"]
        truth = meta["class_id"]
        right = {c: (1.0 if c == truth else 0.0) for c in ids}
        sc = score_response(s, reply(s, right, flowers.classes))
        assert sc.outcome == "correct" and sc.extracted["class"] == truth
        # prefers a class that is not offered, then a distractor: the reply stays within the options
        other = next(c for c in (meta["option_ids"] or ids) if c != truth)
        offered = set(meta["option_ids"]) or set(ids)
        absent = next((c for c in ids if c not in offered), None)
        scores = {other: 0.9, truth: 0.1, **({absent: 5.0} if absent else {})}
        sc = score_response(s, reply(s, scores, flowers.classes))
        assert sc.outcome == "wrong" and sc.extracted.get("class", other) == other


# Fashion-MNIST's class names nest ("Shirt" inside "T-shirt/top"): a reading must name the whole class.
NESTED = [
    # (text, what it names: class id, or None when nothing can be read)
    ("T-shirt/top", "0"),
    ("t-shirt", "0"),
    ('{"answer": "T-shirt"}', "0"),
    ("a top", "0"),
    ("Shirt", "6"),
    ("The answer is Shirt", "6"),
    ("I think this is a shirt, not a T-shirt/top.", "6"),
    ("It is not a shirt, it is a T-shirt/top", "0"),
    ("Not a T-shirt/top.", None),
]


@pytest.mark.parametrize("protocol", ["closed", "mc5"])
@pytest.mark.parametrize("text,names", NESTED)
def test_nested_class_names_are_read_as_the_whole_name(tmp_path, protocol, text, names):
    ds = open_finegrained(fx.idx(tmp_path / "fm"))  # 10 labels of 28x28 images: Fashion-MNIST's names
    checked = set()
    for s in (x for seed in range(12) for x in ds.samples("test", protocol=protocol, seed=seed)):
        meta = s.extra["finegrained"]
        offered = set(meta["option_ids"])
        if not {"0", "6"} <= offered:
            continue
        checked.add(meta["class_id"])
        sc = score_response(s, text)
        if names is None:
            assert sc.outcome == "unparseable", (text, sc)
        else:
            assert sc.extracted["class"] == names, (text, sc.extracted)
            assert sc.outcome == ("correct" if meta["class_id"] == names else "wrong")
    assert {"0", "6"} <= checked  # both nested classes were the truth of some question offering the other
