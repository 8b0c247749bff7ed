"""Image-only baselines as models: zero-shot CLIP (tiny random CLIP built from config + a local tokenizer,
no hub) and a linear probe on EfficientNet-Lite0, answering through the runner into the store like any model."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from snellen.models.base import GenerationSettings, Request, load_backend
from snellen.probes.suite import load_suite
from snellen.scoring import score_response

sys.path.insert(0, str(Path(__file__).parent))

SPECIES_SUITE = """name: species-mini
version: "1"
seed: 0
profile: {name: snellen, canvas: 128}
tasks:
  - {name: species, family: species, params: {scales: [32], per_cell: 6, body_size: 48,
     species: [circle-crest, square-crest]}}
"""


@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory) -> Path:
    pytest.importorskip("transformers")
    from tiny_vlms import build_clip

    return build_clip(tmp_path_factory.mktemp("clip"))


def species_samples(tmp_path, split="exam"):
    spec = tmp_path / "species.yaml"
    spec.write_text(SPECIES_SUITE)
    return spec, list(load_suite(spec).samples(split))


def ask(backend, samples):
    return backend.answer([Request(s, s.prompts["json"], GenerationSettings()) for s in samples])


def test_zero_shot_clip_answers_in_schema_and_matches_the_models_own_logits(tiny_clip, tmp_path):
    import torch
    import transformers

    spec, samples = species_samples(tmp_path)
    be = load_backend(f"clip:{tiny_clip}")
    ident = be.identity()
    assert ident["templates"] == ["a photo of a {}."] and len(ident["encoder"]["weights"]) == 20
    assert ident["encoder"]["preprocessing"]["size"] == 32
    other = load_backend(f"clip:{tiny_clip}", {"templates": "a {} creature.|a drawing of a {}."})
    assert other.identity() != ident  # templates are part of the cache key
    resps = ask(be, samples)
    model = transformers.CLIPModel.from_pretrained(tiny_clip, local_files_only=True).eval()
    tok = transformers.AutoTokenizer.from_pretrained(tiny_clip, local_files_only=True)
    names = samples[0].fields[0].options
    for s, r in zip(samples, resps):
        assert r.ok and score_response(s, r.text).outcome in ("correct", "wrong")
        # the model's own image-text logits pick the same class
        t = tok([f"a photo of a {n}." for n in names], padding=True, return_tensors="pt")
        with torch.no_grad():
            logits = model(input_ids=t["input_ids"], attention_mask=t["attention_mask"],
                           pixel_values=be.encoder.prepare([s.pixels()])).logits_per_image[0]
        assert json.loads(r.text) == {"species": names[int(torch.argmax(logits))]}


def test_zero_shot_refuses_bad_templates_and_missing_checkpoints(tiny_clip, tmp_path):
    from snellen.schema import SnellenError

    with pytest.raises(SnellenError, match="needs a '{}'"):
        load_backend(f"clip:{tiny_clip}", {"templates": "a photo"})
    with pytest.raises(SnellenError, match="no such checkpoint folder"):
        load_backend(f"clip:{tmp_path / 'none'}")


@pytest.mark.slow
def test_probe_trains_per_cell_on_train_seeds_and_runs_through_eval_into_the_store(tmp_path, monkeypatch, capsys):
    """A linear probe on EfficientNet-Lite0 features learns circle vs square crests at 32 px from 40
    training-seed samples and answers the exam samples through `snellen eval`, stored like any model."""
    pytest.importorskip("efficientnet_lite_pytorch")
    from snellen.cli import main

    spec, samples = species_samples(tmp_path)
    opts = ["--option", f"suite={spec}", "--option", "train_per_cell=40", "--option", "val_fraction=0.25",
            "--option", f"feature_cache={tmp_path / 'cache'}"]
    monkeypatch.setattr(sys, "argv", ["snellen", "eval", "--model", "probe:effnet-lite0@128", "--suite", str(spec),
                                      "--out", str(tmp_path / "run"), *opts])
    with pytest.raises(SystemExit) as exc:
        main()
    out, err = capsys.readouterr()
    assert (exc.value.code or 0) == 0, err
    import sqlite3

    con = sqlite3.connect(tmp_path / "run" / "store.sqlite")
    rows = con.execute("select count(*) from responses").fetchone()[0]
    assert rows == len(samples) == 6
    be = load_backend("probe:effnet-lite0@128", {"suite": str(spec), "train_per_cell": 40, "val_fraction": 0.25,
                                                 "feature_cache": str(tmp_path / "cache")})
    resps = ask(be, samples)
    outcomes = [score_response(s, r.text).outcome for s, r in zip(samples, resps)]
    assert outcomes.count("correct") >= 5, outcomes
    # an exam image equal to a training image is refused, not answered
    train = next(iter(load_suite(spec).samples("train")))
    leaked = samples[0]
    leaked.image = train.pixels()
    (r,) = ask(be, [leaked])
    assert not r.ok and "also a training or validation image" in r.error.message


def test_vlm_vision_tower_is_loaded_from_the_vlm_checkpoint(tmp_path):
    """`vlm:PATH` reads the tower inside a (tiny random) LLaVA checkpoint: its weights hash is the tower's own
    (not the whole VLM's), preprocessing comes from the checkpoint's processor, and a probe can use it."""
    import transformers

    from snellen.models.encoders import load_encoder, weights_hash
    from tiny_llava import build_tiny_llava

    path = build_tiny_llava(tmp_path / "llava", image_size=64, patch_size=16)
    enc = load_encoder(f"vlm:{path}")
    full = transformers.LlavaForConditionalGeneration.from_pretrained(path, local_files_only=True)
    tower = getattr(full, "vision_tower", None) or full.model.vision_tower
    assert enc.identity()["weights"] == weights_hash(tower) != weights_hash(full)
    assert enc.size == 64 and "last hidden states" in enc.feature
    f = enc.embed([np.zeros((448, 448, 3), np.uint8), np.full((448, 448, 3), 255, np.uint8)])
    assert f.shape == (2, tower.config.hidden_size) and np.isfinite(f).all() and not np.allclose(f[0], f[1])
