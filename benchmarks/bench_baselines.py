"""Image-only baselines, two measurements in one run:

1. Feature extraction through snellen (models/features.extract: content digests + batched encoder.embed,
   cache off) vs a raw batched forward loop on the same encoder and the same images (the same PIL bicubic
   resize and normalisation, written out here). Ratio = raw time / snellen time (>= 0.95 is the target).
   Each side runs `--reps` times, interleaved; the best time of each counts (the machine is shared).
2. Linear probe on cached features, end to end: read the cached train (60k) and test (10k) features of
   Fashion-MNIST, split off validation, fit for every C, choose on validation, score test.
   `--probe-features pixels` (default) uses the 784 raw grey values as the cached features (`pixels-rgb`:
   the 2,352 values of the RGB copy the loader hands out) (computing
   EfficientNet features for 70k images is CPU-hours on a shared 2-core machine); `--probe-features
   effnet-lite0@32` caches real encoder features first (slow once, then cached).

Usage: python benchmarks/bench_baselines.py [--n 256] [--encoder effnet-lite0@64] [--reps 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np


def raw_loop(net, images, size, batch):
    import torch
    from PIL import Image

    mean, std = np.float32(127.0), np.float32(128.0)
    out = []
    with torch.inference_mode():
        for i in range(0, len(images), batch):
            arr = np.stack([np.asarray(Image.fromarray(np.repeat(im[..., None], 3, 2) if im.ndim == 2 else im)
                                       .resize((size, size), Image.Resampling.BICUBIC), np.float32) for im in images[i:i + batch]])
            x = torch.from_numpy((arr - mean) / std).permute(0, 3, 1, 2).contiguous()
            out.append(net.extract_features(x).mean(dim=(2, 3)).numpy())
    return np.concatenate(out)


class PixelEncoder:
    """Raw pixels as features (for timing the probe on 60k examples without CPU-hours of encoding): the 784
    grey values (Fashion-MNIST comes as grey copied into RGB; all three copies gave 2,352 features before)."""

    size = 28

    def __init__(self, rgb: bool = False):
        self.rgb = rgb

    def identity(self):
        return {"encoder": "pixels", "weights": "none", "preprocessing": {"size": 28, "channels": "rgb" if self.rgb else "grey"}}

    def embed(self, images):
        grey = [im if self.rgb or im.ndim == 2 else im[..., 0] for im in images]
        return np.stack([np.asarray(im, np.float32).reshape(-1) / 255.0 for im in grey])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--encoder", default="effnet-lite0@64")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--probe-features", default="pixels")
    ap.add_argument("--skip-probe", action="store_true")
    ap.add_argument("--skip-extract", action="store_true")
    args = ap.parse_args()

    from snellen.data.finegrained import open_finegrained

    ds = open_finegrained("fashion-mnist")
    train, test = ds.items("train"), ds.items("test")
    if not args.skip_extract:
        extraction(args, train)
    if not args.skip_probe:
        probe(args, train, test)


def extraction(args, train) -> None:
    from snellen.models.encoders import load_encoder
    from snellen.models.features import extract

    images = [it.pixels() for it in train[: args.n]]
    enc = load_encoder(args.encoder)
    enc.identity()  # hash the weights once, outside the timing (it is cached per encoder)
    raw_t, ours_t = [], []
    for _ in range(args.reps):
        t = time.perf_counter()
        R = raw_loop(enc.module, images, enc.size, args.batch)
        raw_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        F = extract(enc, images, "bench", cache_dir="", batch_size=args.batch)
        ours_t.append(time.perf_counter() - t)
    diff = float(np.abs(R - F.X).max())
    print(f"feature extraction, {args.encoder}, {args.n} Fashion-MNIST images, batch {args.batch}, best of {args.reps}:")
    print(f"  raw batched forward loop  {min(raw_t):7.2f} s  ({args.n / min(raw_t):6.1f} img/s)")
    print(f"  snellen extract (no cache){min(ours_t):7.2f} s  ({args.n / min(ours_t):6.1f} img/s)   max |diff| {diff:.2e}")
    print(f"  ratio snellen/raw throughput: {min(raw_t) / min(ours_t):.3f}x")


def probe(args, train, test) -> None:
    from snellen.models.encoders import load_encoder
    from snellen.models.features import extract
    from snellen.models.linear_probe import fit_linear_probe, split_off_validation

    penc = (PixelEncoder(rgb=args.probe_features == "pixels-rgb") if args.probe_features.startswith("pixels")
            else load_encoder(args.probe_features))
    cache = tempfile.mkdtemp(prefix="snellen-bench-features-")
    tr_imgs, te_imgs = [it.pixels() for it in train], [it.pixels() for it in test]
    t = time.perf_counter()
    extract(penc, tr_imgs, "train", cache_dir=cache)
    extract(penc, te_imgs, "test", cache_dir=cache)
    print(f"linear probe: caching {len(tr_imgs)} + {len(te_imgs)} {args.probe_features} features took {time.perf_counter() - t:.1f} s (not counted)")
    t0, c0 = time.perf_counter(), time.process_time()
    F = extract(penc, tr_imgs, "train", cache_dir=cache)
    T = extract(penc, te_imgs, "test", cache_dir=cache)
    assert F.cached and T.cached
    t1 = time.perf_counter()
    y, ty = np.array([it.class_id for it in train]), np.array([it.class_id for it in test])
    tr, va = split_off_validation([it.key for it in train], 0.1)
    p = fit_linear_probe(F.X[tr], y[tr], F.X[va], y[va], digests_train=F.digests[tr], digests_val=F.digests[va], digests_test=T.digests)
    acc = p.accuracy(T.X, ty)
    t2, c2 = time.perf_counter(), time.process_time()
    print(f"  end to end on cached features: {t2 - t0:.1f} s wall, {c2 - c0:.1f} s CPU (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; read cache + digests {t1 - t0:.1f} s, fit {len(p.val_accuracy)} C values "
          f"on {p.n_train} + choose on {p.n_val} + test {len(ty)}: {t2 - t1:.1f} s)")
    for C, (it, g) in p.convergence.items():
        print(f"    C={C:<6g} {it:4d} L-BFGS-B iterations, max |gradient| {g:.1e}, validation accuracy {p.val_accuracy[C]:.4f}")
    print(f"  {F.X.shape[1]} features; chosen C {p.C:g} (validation accuracy {p.val_accuracy[p.C]:.4f}); test accuracy {acc:.4f}; "
          f"notes: {p.notes or 'none (every C converged: max |gradient| <= 1e-4)'}")


if __name__ == "__main__":
    main()
