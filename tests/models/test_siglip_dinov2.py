"""SigLIP and DINOv2 from local checkpoints: tiny random models built from config, with a locally trained
tokenizer and the image processors transformers saves, loaded through models/encoders.py, answering zero-shot
(`siglip:PATH`) and as a linear probe's encoder (`probe:dinov2:PATH`) through `snellen finegrained` on real
Fashion-MNIST images. No hub."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest

from snellen.models.base import GenerationSettings, Request, load_backend

sys.path.insert(0, str(Path(__file__).parent))
from cli_helpers import snellen  # noqa: E402
FASHION = Path("/usr/share/datasets/fashion-mnist")
needs_fashion = pytest.mark.skipif(not FASHION.is_dir(), reason="Debian dataset-fashion-mnist not installed")


def build_siglip(out: Path, seed: int = 0) -> Path:
    import torch
    import transformers

    from tiny_vlms import tokenizer

    tok = tokenizer([])  # its model_max_length is unset (huge): the backend must cap it by the text positions
    tok.padding_side = "right"  # as SigLIP's own tokenizer pads
    cfg = transformers.SiglipConfig(
        text_config=dict(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                         max_position_embeddings=16, pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
                         eos_token_id=tok.eos_token_id),
        vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2, image_size=32, patch_size=8))
    torch.manual_seed(seed)
    transformers.SiglipModel(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    transformers.SiglipImageProcessor(size={"height": 32, "width": 32}, image_mean=[0.5, 0.5, 0.5], image_std=[0.5, 0.5, 0.5]).save_pretrained(out)
    return out


def build_dinov2(out: Path, seed: int = 0) -> Path:
    import torch
    import transformers

    torch.manual_seed(seed)
    transformers.Dinov2Model(transformers.Dinov2Config(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, mlp_ratio=2,
                                                       image_size=48, patch_size=8)).save_pretrained(out)
    transformers.BitImageProcessor(size={"shortest_edge": 56}, crop_size={"height": 48, "width": 48},
                                   image_mean=[0.485, 0.456, 0.406], image_std=[0.229, 0.224, 0.225]).save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def tiny_siglip(tmp_path_factory) -> Path:
    pytest.importorskip("transformers")
    return build_siglip(tmp_path_factory.mktemp("siglip"))


@pytest.fixture(scope="module")
def tiny_dinov2(tmp_path_factory) -> Path:
    pytest.importorskip("transformers")
    return build_dinov2(tmp_path_factory.mktemp("dinov2"))


def stored(run: Path) -> list[tuple]:
    con = sqlite3.connect(run / "store.sqlite")
    try:
        return con.execute("select sample_id, status, text from responses order by sample_id").fetchall()
    finally:
        con.close()


def test_siglip_and_dinov2_encoders_load_from_local_folders(tiny_siglip, tiny_dinov2, tmp_path):
    """Features of the right width from the checkpoint's own tower; preprocessing read from the saved processor;
    the identity is the weights: re-saved unchanged it is the same, one weight nudged it changes."""
    import torch
    import transformers

    from snellen.models.encoders import load_encoder, weights_hash

    images = [np.zeros((28, 28, 3), np.uint8), np.full((50, 40, 3), 200, np.uint8), np.full((28, 28), 90, np.uint8)]
    sig, dino = load_encoder(f"siglip:{tiny_siglip}"), load_encoder(f"dinov2:{tiny_dinov2}")
    assert sig.size == 32 and sig.mean == (127.5,) * 3 and sig.std == (127.5,) * 3
    assert dino.size == 48 and np.allclose(dino.mean, (123.675, 116.28, 103.53)) and np.allclose(dino.std, (58.395, 57.12, 57.375))
    fs, fd = sig.embed(images), dino.embed(images)
    assert fs.shape == (3, 32) and fd.shape == (3, 32) and np.isfinite(fs).all() and np.isfinite(fd).all()
    assert not np.allclose(fs[0], fs[1]) and not np.allclose(fd[0], fd[1])
    # the feature is what the model itself computes: SigLIP's pooled image embedding, DINOv2's CLS token
    sm = transformers.SiglipModel.from_pretrained(tiny_siglip, local_files_only=True).eval()
    dm = transformers.Dinov2Model.from_pretrained(tiny_dinov2, local_files_only=True).eval()
    with torch.no_grad():
        own_s = sm.vision_model(pixel_values=sig.prepare(images)).pooler_output.numpy()
        own_d = dm(pixel_values=dino.prepare(images)).last_hidden_state[:, 0].numpy()
    np.testing.assert_allclose(fs, own_s, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(fd, own_d, rtol=1e-5, atol=1e-5)
    assert sig.identity()["weights"] == weights_hash(sm) and dino.identity()["weights"] == weights_hash(dm)
    # same weights saved elsewhere: same identity; one weight changed: a new identity
    with torch.no_grad():
        dm.save_pretrained(tmp_path / "same")
        next(dm.parameters()).view(-1)[0] += 1e-3
        dm.save_pretrained(tmp_path / "nudged")
    for f in ("preprocessor_config.json",):
        for d in ("same", "nudged"):
            (tmp_path / d / f).write_bytes((tiny_dinov2 / f).read_bytes())
    same, nudged = load_encoder(f"dinov2:{tmp_path / 'same'}"), load_encoder(f"dinov2:{tmp_path / 'nudged'}")
    assert same.identity()["weights"] == dino.identity()["weights"] != nudged.identity()["weights"]
    assert load_encoder(f"siglip:{build_siglip(tmp_path / 'sig2', seed=1)}").identity()["weights"] != sig.identity()["weights"]


def test_siglip_zero_shot_picks_what_the_models_own_logits_pick(tiny_siglip, tmp_path):
    """The backend's answer for each option list equals the argmax of SiglipModel's logits_per_image on the
    same texts (padded to the full text length and no attention mask, as SigLIP's processor feeds it) and the
    same preprocessed pixels."""
    import torch
    import transformers

    from snellen.data.finegrained import open_finegrained
    from snellen.data.finegrained.idx import DEFAULT_ROOT
    from snellen.scoring import score_response

    if not Path(DEFAULT_ROOT).is_dir():
        pytest.skip("Debian dataset-fashion-mnist not installed")
    samples = list(open_finegrained("fashion-mnist").samples("test", protocol="closed", limit=6))
    be = load_backend(f"siglip:{tiny_siglip}")
    resps = be.answer([Request(s, s.prompts["json"], GenerationSettings()) for s in samples])
    model = transformers.SiglipModel.from_pretrained(tiny_siglip, local_files_only=True).eval()
    tok = transformers.AutoTokenizer.from_pretrained(tiny_siglip, local_files_only=True)
    for s, r in zip(samples, resps):
        names = s.extra["finegrained"]["option_names"]
        t = tok([f"a photo of a {n}." for n in names], padding="max_length", max_length=16, truncation=True, return_tensors="pt")
        with torch.no_grad():
            logits = model(input_ids=t["input_ids"], pixel_values=be.encoder.prepare([s.pixels()])).logits_per_image[0]
        assert r.ok and score_response(s, r.text).outcome in ("correct", "wrong")
        assert json.loads(r.text) == {s.fields[0].name: names[int(torch.argmax(logits))]}


@pytest.mark.slow
@needs_fashion
def test_siglip_through_snellen_finegrained_on_fashion_mnist(tiny_siglip, tmp_path, monkeypatch, capsys):
    run = tmp_path / "run"
    code, out, err = snellen(monkeypatch, capsys, "finegrained", "--model", f"siglip:{tiny_siglip}", "--dataset", "fashion-mnist",
                             "--protocol", "mc5,closed", "--limit", 4, "--out", run)
    assert code == 0, err
    rows = stored(run)
    assert len(rows) == 8 and all(st == "ok" and json.loads(txt) for _, st, txt in rows)
    for proto, k in (("mc5-random", "5"), ("closed", "10")):
        line = next(ln for ln in out.splitlines() if f" {proto} " in ln)
        assert f" {k} " in line and "4/4" in line
    manifest = json.loads((run / "manifest.json").read_text())
    assert "siglip" in json.dumps(manifest)


@pytest.mark.slow
@needs_fashion
def test_linear_probe_on_dinov2_through_snellen_finegrained(tiny_dinov2, tmp_path, monkeypatch, capsys):
    """`probe:dinov2:PATH` trains on a seeded 8 per class of Fashion-MNIST's training split (C chosen on a
    held-out tenth) and answers test images under mc5 and closed (every class listed)."""
    run = tmp_path / "run"
    code, out, err = snellen(monkeypatch, capsys, "finegrained", "--model", f"probe:dinov2:{tiny_dinov2}", "--dataset", "fashion-mnist",
                             "--protocol", "mc5,closed", "--limit", 5, "--out", run,
                             "--option", "dataset=fashion-mnist", "--option", "train_per_class=8",
                             "--option", f"feature_cache={tmp_path / 'features'}")
    assert code == 0, err
    rows = stored(run)
    assert len(rows) == 10 and all(st == "ok" for _, st, _ in rows), rows
    assert len(list((tmp_path / "features").glob("*.npy"))) >= 1  # training features cached under their content key
    names = {json.loads(t)[k] for _, _, t in rows for k in json.loads(t)}
    assert names <= set("ABCDE") | {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                                    "Ankle boot"}, names


@needs_fashion
@pytest.mark.parametrize("kind", ["siglip", "clip"])
def test_zero_shot_refuses_the_open_protocol_in_one_line(kind, tiny_siglip, tmp_path, monkeypatch, capsys):
    """A contrastive model cannot name a class unprompted: `--protocol open` (alone or in a list) is one line
    naming the protocol and the model, exit 2, and no run folder, before the dataset is even read."""
    run = tmp_path / "run"
    for protocol in ("open", "mc5, Open"):
        code, out, err = snellen(monkeypatch, capsys, "finegrained", "--model", f"{kind}:{tiny_siglip}", "--dataset", "fashion-mnist",
                                 "--protocol", protocol, "--limit", 2, "--out", run)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 2 and len(lines) == 1, err
        assert lines[0].startswith("snellen: error: --protocol open: ") and f"{kind}:{tiny_siglip}" in lines[0]
        assert "cannot name a class unprompted" in lines[0] and "--protocol closed" in lines[0]
        assert not run.exists()


@needs_fashion
def test_a_linear_probe_refuses_the_open_protocol_in_one_line(tmp_path, monkeypatch, capsys):
    """A probe's pick among its trained classes is the closed-world answer: calling it open-ended would set it
    beside a VLM naming the class unprompted, so `--protocol open` is refused like a contrastive model's."""
    run = tmp_path / "run"
    code, out, err = snellen(monkeypatch, capsys, "finegrained", "--model", "probe:effnet-lite0@32", "--dataset", "fashion-mnist",
                             "--protocol", "mc2,open", "--limit", 2, "--out", run, "--option", "dataset=fashion-mnist")
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1, err
    assert lines[0].startswith("snellen: error: --protocol open: probe:effnet-lite0@32 cannot answer it: a linear probe")
    assert "--protocol closed" in lines[0] and not run.exists()
    # Through the Python API the open question is recorded unsupported (never scored), as a contrastive model's
    probe = load_backend("probe:effnet-lite0@32", {"dataset": "fashion-mnist"})
    from snellen.data.finegrained import open_finegrained

    ds = open_finegrained("fashion-mnist")
    assert not probe.supports(next(iter(ds.samples("test", protocol="open", limit=1))))
    assert probe.supports(next(iter(ds.samples("test", protocol="closed", limit=1))))


@needs_fashion
@pytest.mark.parametrize("protocol", ["closed", "mc5", "mc3-circular"])
def test_a_classifiers_pick_is_answered_as_that_class(protocol):
    """choices_of maps the picked option to the answer that names it: a name for closed world (whose field
    lists the classes in the dataset's order while the options are shuffled), a letter for multiple choice.
    Scored, picking the true class is correct and any other is wrong, for every option of every sample."""
    from snellen.data.finegrained import open_finegrained
    from snellen.models.choices import choices_of
    from snellen.scoring import score_response

    for s in open_finegrained("fashion-mnist").samples("test", protocol=protocol, limit=3):
        ch = choices_of(s)
        truth = s.extra["finegrained"]["class_id"]
        for i, cid in enumerate(ch.ids):
            assert score_response(s, ch.answer_text(i)).outcome == ("correct" if cid == truth else "wrong")
