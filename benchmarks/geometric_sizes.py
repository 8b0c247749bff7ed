"""Which geometric size is drawn at "N px of ink", and which sizes could have been (issue 12, point 5).

1. per target kind and nominal size: the geometric size snellen's fit draws (min / median / max over every
   identity; words: the whole word bank);
2. the range of outline extents that give exactly N px of ink at some sub-pixel phase (an `H`, a word),
   on a fine grid (1/16 px extents, 8 phases): what "N px of ink" alone would admit;
3. for outlines the fit draws off the nominal size: the deviation on the fit's grid (1/8 px, 4 phases)
   against a finer search (1/32 px, 16 phases).

    .venv/bin/python benchmarks/geometric_sizes.py [--sizes 3 4 5 6 8]
"""

from __future__ import annotations

import argparse

import numpy as np

from snellen.probes import render as R
from snellen.probes.shapes import SHAPES, shape_outline
from snellen.probes.silhouettes import OBJECTS, silhouette_outline
from snellen.probes.targets import cached_mask, identities
from snellen.probes.task import RenderProfile
from snellen.probes.words import bank, word_mask


def ink(hi: np.ndarray, extent: float, phase: float, mode: str) -> int:
    H, W = hi.shape
    if mode == "side" and W > H:
        out_w, out_h = extent, extent * H / W
    else:
        out_h, out_w = extent, extent * W / H
    box = R.ink_box(R._resample(hi, out_h, out_w, phase, phase))
    if box is None:
        return 0
    return box[3] - box[1] if mode == "height" else max(box[3] - box[1], box[2] - box[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[3, 4, 5, 6, 8])
    args = ap.parse_args()
    prof = RenderProfile()

    print("1. geometric size drawn per kind and nominal size (px): min / median / max, off-nominal share")
    for kind in ("letter", "digit", "shape", "object", "block", "dot", "word"):
        ids = bank(3, 8) if kind == "word" else identities(kind)
        for s in args.sizes:
            g = np.array([(word_mask(i, s, prof) if kind == "word" else cached_mask(kind, i, s, prof)).geometric for i in ids])
            print(f"  {kind:7s} {s:3d} px  {g.min():7.3f} {np.median(g):7.3f} {g.max():7.3f}  "
                  f"{int((g != s).sum())}/{len(g)} off nominal")

    print("2. outline extents giving exactly N px of ink at some phase (1/16 px grid, 8 phases)")
    extents = np.arange(1.0, max(args.sizes) + 3.0, 1.0 / 16)
    phases = np.arange(8) / 8
    for name, hi in (("letter H", R.glyph_outline("H", prof.font)), ("word HELD", R.glyph_outline("HELD", prof.font))):
        table = {e: {ink(hi, e, p, "height") for p in phases} for e in extents}
        for n in args.sizes:
            ok = [e for e in extents if n in table[e]]
            print(f"  {name:10s} N={n:2d}: extents {min(ok):.4g}-{max(ok):.4g} px admit it; snellen draws "
                  f"{R.fit_outline(hi, n, 'height').geometric:g}")

    print("3. deviation of the drawn extent from N: the fit's grid vs a finer search (1/32 px, 16 phases)")
    fine_d = sorted({d / 32 for d in range(-32, 97)}, key=lambda d: (abs(d), d))
    fine_p = [i / 16 for i in range(16)]
    outlines = [(f"shape {n}", shape_outline(n)) for n in SHAPES] + [(f"object {n}", silhouette_outline(n)) for n in OBJECTS]
    for name, hi in outlines:
        for s in args.sizes:
            g = R.fit_outline(hi, s, "side").geometric
            if g == s:
                continue
            best = next(d for d in fine_d if any(ink(hi, s + d, p, "side") == s for p in fine_p))
            print(f"  {name:16s} {s:3d} px  grid {g - s:+.3f}  finer {best:+.3f}")


if __name__ == "__main__":
    main()
