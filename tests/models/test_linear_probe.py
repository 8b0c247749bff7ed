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


def objective_and_gradient(p, X, y, C):
    """sklearn's LogisticRegression objective (mean cross-entropy + ||W||^2 / (2 C N)) and the max |gradient|
    at the probe's weights, in float64 and written out independently of the fitter."""
    Z = ((X - p.mean) / p.scale).astype(np.float64)
    idx = np.searchsorted(p.classes, y)
    W, b = p.coef.T.astype(np.float64), p.intercept.astype(np.float64)
    L = Z @ W + b
    L -= L.max(axis=1, keepdims=True)
    logz = np.log(np.exp(L).sum(axis=1))
    n = len(y)
    loss = np.mean(logz - L[np.arange(n), idx]) + (W ** 2).sum() / (2 * C * n)
    P = np.exp(L - logz[:, None])
    P[np.arange(n), idx] -= 1
    P /= n
    return loss, max(np.abs(Z.T @ P + W / (C * n)).max(), np.abs(P.sum(axis=0)).max())


def ill_conditioned(n=2000, d=200, rank=100, k=10, seed=0):
    """Features mixed from `rank` latent factors whose scales fall 1,000-fold, plus 1e-4 noise: standardising
    leaves them strongly correlated (covariance eigenvalues spread over ~8 decades), as raw pixels are."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, rank)) * np.geomspace(1, 1e-3, rank)
    X = latent @ rng.normal(size=(rank, d)) + 1e-4 * rng.normal(size=(n, d))
    y = np.argmax(latent @ rng.normal(size=(rank, k)) * 30 + rng.normal(size=(n, k)), axis=1)
    return X.astype(np.float32), np.array([f"c{v}" for v in y])


def test_fit_is_sklearns_logistic_regression():
    """Same objective as sklearn's LogisticRegression (L2, unpenalised bias, multinomial) on the standardised
    features: fitted to 1e-5 (float32 allows little more), the weights agree and neither objective is lower than the other."""
    LogisticRegression = pytest.importorskip("sklearn.linear_model").LogisticRegression
    X, y = ill_conditioned(n=600, d=40, rank=20, k=4)
    tr, va = np.arange(500), np.arange(500, 600)
    for C in (0.01, 1.0):
        p = fit_linear_probe(X[tr], y[tr], X[va], y[va], Cs=(C,), digests_train=fake_digests(500), digests_val=fake_digests(100, 10_000),
                             tol=1e-5, max_iter=2000)
        assert p.notes == []
        Z = (X[tr] - p.mean) / p.scale
        sk = LogisticRegression(C=C, tol=1e-10, max_iter=100_000).fit(Z.astype(np.float64), y[tr])
        assert list(sk.classes_) == list(p.classes)
        ours, _ = objective_and_gradient(p, X[tr], y[tr], C)
        ref = type(p)(**{**p.__dict__, "coef": sk.coef_, "intercept": sk.intercept_})
        theirs, _ = objective_and_gradient(ref, X[tr], y[tr], C)
        assert abs(ours - theirs) < 1e-6, (C, ours, theirs)
        np.testing.assert_allclose(p.coef, sk.coef_, atol=2e-3 * np.abs(sk.coef_).max())
        np.testing.assert_allclose(p.intercept, sk.intercept_, atol=2e-3 * max(1.0, np.abs(sk.intercept_).max()))
        assert np.mean(p.predict(X) == sk.predict((X - p.mean) / p.scale)) > 0.99


def test_fit_converges_on_an_ill_conditioned_problem():
    """Correlated features with weak regularisation (C=10). Before, the torch L-BFGS stopped at its cap of
    100 iterations here (measured: 13 s, "C=10: L-BFGS stopped at max_iter=100"), as it did for every C on
    Fashion-MNIST pixels. Now the preconditioned fit meets sklearn's convergence test (max |gradient| <= 1e-4)
    within the same 100 iterations, checked by an independent float64 gradient, and says so."""
    X, y = ill_conditioned()
    tr, va = np.arange(1600), np.arange(1600, 2000)
    p = fit_linear_probe(X[tr], y[tr], X[va], y[va], Cs=(10.0,), digests_train=fake_digests(1600), digests_val=fake_digests(400, 10_000),
                         max_iter=100)
    assert p.notes == []
    _, gmax = objective_and_gradient(p, X[tr], y[tr], 10.0)
    assert gmax <= 1.05e-4, gmax
    # and where it cannot converge (3 iterations), it says so instead of passing the fit off as converged
    q = fit_linear_probe(X[tr], y[tr], X[va], y[va], Cs=(10.0,), digests_train=fake_digests(1600), digests_val=fake_digests(400, 10_000),
                         max_iter=3)
    assert len(q.notes) == 1 and "C=10: L-BFGS-B stopped after 3 iterations (max_iter=3)" in q.notes[0] and "not converged" in q.notes[0]
    assert objective_and_gradient(q, X[tr], y[tr], 10.0)[1] > 1e-4


@pytest.mark.skipif(not FASHION.is_dir(), reason="Debian dataset-fashion-mnist not installed")
def test_fit_converges_on_real_fashion_mnist_pixels():
    """Raw pixels (2,400 train + 600 validation Fashion-MNIST images, 784 features, C=1) are the hard case:
    border pixels that are almost always black standardise to rare huge values beside strongly correlated
    neighbours. Measured within 100 iterations: the old torch L-BFGS stopped at its cap, plain scipy L-BFGS-B
    on the same objective ended at max |gradient| 3.2e-4; the preconditioned fit converges."""
    from snellen.data.finegrained import open_finegrained

    items = open_finegrained("fashion-mnist").items("train")[:3000]
    X = np.stack([np.asarray(it.pixels(), np.float32)[..., 0].reshape(-1) for it in items])
    y = np.array([it.class_id for it in items])
    tr, va = np.arange(2400), np.arange(2400, 3000)
    p = fit_linear_probe(X[tr], y[tr], X[va], y[va], Cs=(1.0,), digests_train=fake_digests(2400), digests_val=fake_digests(600, 10_000),
                         max_iter=100)
    assert p.notes == []
    assert objective_and_gradient(p, X[tr], y[tr], 1.0)[1] <= 1.05e-4
    assert p.val_accuracy[1.0] > 0.7


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
