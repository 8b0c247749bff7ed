"""Linear probe on frozen features: real Fashion-MNIST through EfficientNet-Lite0 reaches a sane accuracy,
leakage between splits is refused, C is chosen on validation, and features are cached by content."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from snellen.models.features import extract, image_digests
from snellen.models.linear_probe import LeakageError, fit_linear_probe, split_off_validation

FASHION = Path("/usr/share/datasets/fashion-mnist")


def blobs(n_per_class=60, d=20, k=4, seed=0, spread=1.0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 3, (k, d))
    X = np.concatenate([c + rng.normal(0, spread, (n_per_class, d)) for c in centres]).astype(np.float32)
    y = np.repeat([f"c{i}" for i in range(k)], n_per_class)
    return X, y


def fake_digests(n, offset=0):
    """Digests of n distinct tiny images (numbered from offset)."""
    return image_digests([np.frombuffer((i + offset).to_bytes(8, "big"), np.uint8).reshape(2, 4) for i in range(n)])


def test_probe_separates_blobs_and_chooses_c_on_validation_only():
    X, y = blobs()
    tr, va = split_off_validation([f"k{i}" for i in range(len(y))], 0.25)
    assert len(set(tr) & set(va)) == 0 and len(tr) + len(va) == len(y) and 50 <= len(va) <= 70
    p = fit_linear_probe(X[tr], y[tr], X[va], y[va], digests_train=fake_digests(len(tr)), digests_val=fake_digests(len(va), 10_000))
    assert p.accuracy(X[va], y[va]) == max(p.val_accuracy.values()) == p.val_accuracy[p.C]
    assert p.accuracy(X, y) > 0.95
    # Validation labels decide C: scrambling them changes what is "best" but never touches the training fit
    yv = y[va].copy()
    np.random.default_rng(1).shuffle(yv)
    q = fit_linear_probe(X[tr], y[tr], X[va], yv, digests_train=fake_digests(len(tr)), digests_val=fake_digests(len(va), 10_000))
    assert q.val_accuracy[q.C] == max(q.val_accuracy.values()) < 0.6


def test_test_images_leaking_into_training_are_refused():
    X, y = blobs()
    d_all = fake_digests(len(y))
    train, val, test = np.arange(0, 160), np.arange(160, 200), np.arange(200, 240)
    # clean: fits
    fit_linear_probe(X[train], y[train], X[val], y[val], digests_train=d_all[train], digests_val=d_all[val], digests_test=d_all[test])
    # 5 test images copied into the training split: refused, naming the count and the first
    leaked = np.concatenate([train, test[:5]])
    with pytest.raises(LeakageError, match=r"5 test image\(s\) are also train images \(first: test #0\)"):
        fit_linear_probe(X[leaked], y[leaked], X[val], y[val], digests_train=d_all[leaked], digests_val=d_all[val], digests_test=d_all[test])
    # a validation image in test, and a training image in validation
    with pytest.raises(LeakageError, match=r"1 test image\(s\) are also val images"):
        fit_linear_probe(X[train], y[train], X[val], y[val], digests_train=d_all[train], digests_val=d_all[val],
                         digests_test=np.concatenate([d_all[test], d_all[val][:1]]))
    with pytest.raises(LeakageError, match=r"val image\(s\) are also train"):
        fit_linear_probe(X[train], y[train], X[val], y[val], digests_train=d_all[train], digests_val=d_all[train][:3])
    with pytest.raises(LeakageError, match="needs the train and validation image digests"):
        fit_linear_probe(X[train], y[train], X[val], y[val])


def test_same_pixels_under_another_name_still_count_as_leaked():
    """The guard reads pixels, not file names: a test image re-saved as a 'new' training item is caught."""
    rng = np.random.default_rng(0)
    imgs = [rng.integers(0, 256, (8, 8, 3), dtype=np.uint8) for _ in range(30)]
    test = imgs[20:]
    train = imgs[:16] + [test[3].copy()]
    with pytest.raises(LeakageError, match="first: test #3"):
        fit_linear_probe(np.zeros((17, 2), np.float32) + np.arange(17)[:, None], ["a", "b"] * 8 + ["a"],
                         np.zeros((4, 2), np.float32), ["a", "b"] * 2, digests_train=image_digests(train),
                         digests_val=image_digests(imgs[16:20]), digests_test=image_digests(test))


class CountingEncoder:
    """A stand-in encoder that counts its forward passes (the cache test is about keys, not features)."""

    def __init__(self, size=8, weights="w1"):
        self.size, self.weights, self.calls = size, weights, 0

    def identity(self):
        return {"encoder": "counting", "weights": self.weights, "preprocessing": {"size": self.size}}

    def embed(self, images):
        self.calls += 1
        return np.stack([np.asarray(im, np.float32).mean(axis=(0, 1)) for im in images])


def test_features_are_cached_under_weights_preprocessing_split_and_pixels(tmp_path):
    rng = np.random.default_rng(0)
    imgs = [rng.integers(0, 256, (8, 8, 3), dtype=np.uint8) for _ in range(10)]
    enc = CountingEncoder()
    a = extract(enc, imgs, "train", cache_dir=tmp_path, batch_size=4)
    assert not a.cached and enc.calls == 3
    b = extract(enc, imgs, "train", cache_dir=tmp_path, batch_size=4)
    assert b.cached and enc.calls == 3 and np.array_equal(a.X, b.X) and a.key == b.key
    changed = [im.copy() for im in imgs]
    changed[7][0, 0, 0] ^= 1
    keys = {a.key,
            extract(enc, imgs, "test", cache_dir=tmp_path).key,
            extract(enc, changed, "train", cache_dir=tmp_path).key,
            extract(CountingEncoder(size=16), imgs, "train", cache_dir=tmp_path).key,
            extract(CountingEncoder(weights="w2"), imgs, "train", cache_dir=tmp_path).key}
    assert len(keys) == 5  # split, one pixel, preprocessing, weights: each is a new key
    (tmp_path / f"{a.key}.npy").write_bytes(b"garbage")
    from snellen.schema import SnellenError

    with pytest.raises(SnellenError, match="corrupt feature cache entry"):
        extract(enc, imgs, "train", cache_dir=tmp_path)


def test_effnet_identity_is_its_weights_and_preprocessing():
    pytest.importorskip("efficientnet_lite_pytorch")
    from snellen.models.encoders import load_encoder

    a, b = load_encoder("effnet-lite0@32"), load_encoder("effnet-lite0@64")
    ia, ib = a.identity(), b.identity()
    assert ia["weights"] == ib["weights"] and len(ia["weights"]) == 20
    assert ia["preprocessing"]["size"] == 32 and ib["preprocessing"]["size"] == 64
    with __import__("torch").no_grad():
        next(a.module.parameters()).add_(1e-3)
    a._hash = None
    assert a.identity()["weights"] != ib["weights"]
    f = a.embed([np.zeros((28, 28), np.uint8), np.full((40, 30, 3), 200, np.uint8)])
    assert f.shape == (2, 1280) and np.isfinite(f).all()


@pytest.mark.slow
@pytest.mark.skipif(not FASHION.is_dir(), reason="Debian dataset-fashion-mnist not installed")
def test_linear_probe_on_real_fashion_mnist_with_effnet_lite0(tmp_path):
    """2,000 training + 400 validation images (a seeded split of the first 2,400 of train), the first 1,000
    test images, EfficientNet-Lite0 at 64 px: test accuracy measured 0.83 (chance 0.10)."""
    pytest.importorskip("efficientnet_lite_pytorch")
    from snellen.data.finegrained import open_finegrained
    from snellen.models.encoders import load_encoder

    ds = open_finegrained("fashion-mnist")
    enc = load_encoder("effnet-lite0@64")
    cache = os.environ.get("SNELLEN_TEST_FEATURE_CACHE", str(tmp_path))
    train, test = ds.items("train")[:2400], ds.items("test")[:1000]
    F = extract(enc, [it.pixels() for it in train], "train", cache_dir=cache)
    T = extract(enc, [it.pixels() for it in test], "test", cache_dir=cache)
    y, ty = np.array([it.class_id for it in train]), np.array([it.class_id for it in test])
    tr, va = split_off_validation([it.key for it in train], 1 / 6)
    p = fit_linear_probe(F.X[tr], y[tr], F.X[va], y[va], digests_train=F.digests[tr], digests_val=F.digests[va], digests_test=T.digests)
    acc = p.accuracy(T.X, ty)
    assert acc >= 0.78, acc
    assert set(p.classes) == set(ds.classes)
    # the same images leaked into training are refused
    with pytest.raises(LeakageError):
        fit_linear_probe(np.concatenate([F.X[tr], T.X[:10]]), np.concatenate([y[tr], ty[:10]]), F.X[va], y[va],
                         digests_train=np.concatenate([F.digests[tr], T.digests[:10]]), digests_val=F.digests[va], digests_test=T.digests)
