"""The extractor against the hand-labelled corpus (tests/scoring/corpus/README.md)."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import corpus_check  # noqa: E402

FAMILIES = {"letter", "digit", "shape", "object", "colour", "presence", "word", "ordering", "comparison", "counting",
            "blur_counting", "relation", "quadrant", "text_order", "letter_count"}
OUTCOMES = {"correct", "wrong", "unparseable", "refusal"}


@pytest.fixture(scope="module")
def corpus():
    return corpus_check.load()


def test_corpus_is_large_and_covers_every_family(corpus):
    assert len(corpus) >= 300
    assert {e["family"] for e in corpus} == FAMILIES
    assert {e["outcome"] for e in corpus} == OUTCOMES
    assert len({e["id"] for e in corpus}) == len(corpus)


def test_split_is_the_documented_hash_rule(corpus):
    for e in corpus:
        want = "heldout" if hashlib.sha256(e["id"].encode()).digest()[0] % 2 == 0 else "tune"
        assert e["split"] == want, e["id"]
    n_held = sum(e["split"] == "heldout" for e in corpus)
    assert 0.35 < n_held / len(corpus) < 0.65


def test_labels_are_self_consistent(corpus):
    """correct iff the hand extraction equals the truth field by field (written out independently of snellen)."""
    for e in corpus:
        ext, ans = e["extracted"], e["answer"]
        if e["outcome"] in ("unparseable", "refusal"):
            assert ext is None, e["id"]
            continue
        assert set(ext) == set(ans), e["id"]
        ok = True
        for k, t in ans.items():
            p = ext[k]
            if isinstance(t, dict):
                pm = {str(kk).lower(): v for kk, v in p.items()} if isinstance(p, dict) else {}
                ok &= all(pm.get(key.lower()) == c for key, c in t.items())
            else:
                ok &= corpus_check._norm(p) == corpus_check._norm(t)
        assert ok == (e["outcome"] == "correct"), e["id"]


def test_builder_reproduces_the_committed_corpus(corpus, tmp_path, monkeypatch):
    """outputs.jsonl is exactly what the hand-written build_corpus.py says (no silent edits of one or the other)."""
    path = Path(__file__).parent / "corpus" / "build_corpus.py"
    spec = importlib.util.spec_from_file_location("build_corpus", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert len(mod.ENTRIES) == len(corpus)
    for e, line in zip(mod.ENTRIES, corpus):
        assert (e["text"], e["outcome"], e["extracted"], e["answer"]) == (
            line["text"], line["outcome"], line["extracted"], line["answer"]), line["id"]


@pytest.mark.parametrize("style,floor", [("clean", 0.995), ("reasoning", 0.97)])
def test_heldout_agreement_per_style(corpus, style, floor):
    """Held-out agreement, apart for clean answers and reasoning-style replies (batch 4; README's history)."""
    held = [e for e in corpus if e["split"] == "heldout" and e["style"] == style]
    assert len(held) >= (80 if style == "reasoning" else 250)
    bad = corpus_check.disagreements(held)
    rate = 1 - len(bad) / len(held)
    report = f"held-out agreement, {style}: {len(held) - len(bad)}/{len(held)} = {rate:.2%}\n" + "\n".join(bad)
    print(report)  # shown with -s, and in the failure message
    assert rate >= floor, report


def test_reasoning_batch_covers_every_family(corpus):
    reasoning = [e for e in corpus if e["style"] == "reasoning"]
    assert len(reasoning) >= 150
    assert {e["family"] for e in reasoning} == FAMILIES
    assert {e["outcome"] for e in reasoning} == OUTCOMES
    assert {e["style"] for e in corpus} == {"clean", "reasoning"}


def test_tune_half_agrees_fully(corpus):
    tune = [e for e in corpus if e["split"] == "tune"]
    bad = corpus_check.disagreements(tune)
    assert not bad, "\n".join(bad)


def test_real_outputs_are_tagged_and_reported_separately(corpus):
    """Every line names its source; the verbatim real outputs (OCR observers, tiny LLaVA, ideal) are measured apart."""
    assert all(e["source"] == "written" or e["source"].startswith("real:") for e in corpus)
    real = [e for e in corpus if e["source"].startswith("real:")]
    assert {"real:ocr:rapidocr", "real:ocr:tesseract", "real:hf:tiny-llava", "real:hf:small-llava"} <= {
        e["source"] for e in real}
    lines = []
    for name, sub in (("held-out", [e for e in real if e["split"] == "heldout"]), ("all", real)):
        bad = corpus_check.disagreements(sub)
        lines.append(f"real outputs, {name}: {len(sub) - len(bad)}/{len(sub)}" + "".join("\n" + b for b in bad))
    print("\n".join(lines))
