"""The failure gallery: which failures to show, the image as sent, a magnified inset of small targets, and
model text made safe to show (empty said so, long text cut with its full length stated)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import numpy as np
import pandas as pd

from snellen.schema import Sample

GALLERY_PER_GROUP = 3
FAILURES = ("wrong", "unparseable", "refusal")
INSET_MAX_SCALE = 16  # targets at or below this size (px) get a magnified inset: at ~250 px a 448 px canvas shows them as dots
INSET_SIDE = 160  # screen px the inset aims at (integer magnification, so each image pixel stays a square block)
INSET_MAX_MAG = 32
SHOWN_CHARS = 2000  # longer text is cut in the page (and in the embedded data): a 1 MB answer must not make a 17 MB report


def text_view(text, limit: int = SHOWN_CHARS) -> dict:
    """What to show for one piece of model (or dataset) text: never an empty box, never a megabyte."""
    text = text if isinstance(text, str) else ""
    view = {"text": text[:limit], "chars": len(text), "truncated": len(text) > limit, "empty": text == "",
            "blank": text != "" and text.strip() == ""}
    return view


def clip(text: str, limit: int) -> str:
    """Short text unchanged; longer text cut, saying how long it was (labels, list items from model output)."""
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}… [{len(text):,} characters]"


def _png_data_uri(pixels: np.ndarray) -> str:
    from snellen.probes.encode import encode_png

    return "data:image/png;base64," + base64.b64encode(encode_png(np.ascontiguousarray(pixels))).decode("ascii")


def _inset_target(sample: Sample):
    """The target the inset shows: the one drawn at the sample's scale if any, else the first."""
    at_scale = [t for t in sample.targets if t.nominal == sample.scale]
    return (at_scale or sample.targets)[0]


def inset(sample: Sample) -> dict | None:
    """A nearest-neighbour magnification of the region holding the small targets, beside the whole image.

    The region is the union of the targets' ink boxes padded by one target size; where that is more than a third
    of the canvas (targets spread out), it is one target's box instead, and the caption says which.
    """
    if not sample.targets or sample.scale > INSET_MAX_SCALE:
        return None
    img = sample.pixels()
    height, width = img.shape[:2]
    pad = max(4, int(sample.scale))

    def padded(boxes):
        x0 = max(0, min(b[0] for b in boxes) - pad)
        y0 = max(0, min(b[1] for b in boxes) - pad)
        x1 = min(width, max(b[2] for b in boxes) + pad)
        y1 = min(height, max(b[3] for b in boxes) + pad)
        return x0, y0, x1, y1

    boxes = [t.box for t in sample.targets]
    region, which = padded(boxes), f"all {len(boxes)} targets" if len(boxes) > 1 else "the target"
    if max(region[2] - region[0], region[3] - region[1]) > max(width, height) / 3:
        t = _inset_target(sample)
        region, which = padded([t.box]), f"one of {len(boxes)} targets ({t.label})"
    x0, y0, x1, y1 = region
    if x1 <= x0 or y1 <= y0:
        return None
    side = max(x1 - x0, y1 - y0)
    mag = int(max(2, min(INSET_MAX_MAG, INSET_SIDE // side)))
    crop = img[y0:y1, x0:x1]
    big = np.repeat(np.repeat(crop, mag, axis=0), mag, axis=1)
    bar = int(sample.scale)  # the scale bar is one target size long, in image pixels
    return {
        "image": _png_data_uri(big), "mag": mag, "box": [int(x0), int(y0), int(x1), int(y1)],
        "canvas": [int(width), int(height)], "width": int(big.shape[1]), "height": int(big.shape[0]),
        "which": which, "bar_px": bar, "bar_pct": round(100.0 * bar / (x1 - x0), 3),
        # where the region lies on the whole image, in % (an outline drawn over it, not into its pixels)
        "left_pct": round(100.0 * x0 / width, 3), "top_pct": round(100.0 * y0 / height, 3),
        "width_pct": round(100.0 * (x1 - x0) / width, 3), "height_pct": round(100.0 * (y1 - y0) / height, 3),
    }


def gallery(df: pd.DataFrame, th: pd.DataFrame, lookup: Callable[[str, str], Sample | None], variant_of) -> list[dict]:
    """Failures nearest (in log scale) to each (model, task) threshold, up to GALLERY_PER_GROUP each."""
    items = []
    fails = df[df["outcome"].isin(FAILURES)]
    for r in th.itertuples(index=False):
        g = fails[(fails["model"] == r.model) & (fails["task"] == r.task)]
        if g.empty:
            continue
        lo, hi = g["scale"].min(), g["scale"].max()
        centre = r.nominal_fit_threshold_raw if hasattr(r, "nominal_fit_threshold_raw") and np.isfinite(r.nominal_fit_threshold_raw) else np.sqrt(lo * hi)
        dist = np.abs(np.log(g["scale"].to_numpy(float) / centre))
        g = g.assign(_d=dist).sort_values(["_d", "sample_id", "repeat"]).head(GALLERY_PER_GROUP)
        for row in g.itertuples(index=False):
            smp = lookup(row.model, row.sample_id)
            image = prompt = zoom = None
            if smp is not None:
                image = "data:image/png;base64," + base64.b64encode(smp.png_bytes()).decode("ascii")
                zoom = inset(smp)
                variant = variant_of(row.model)
                prompt = smp.prompts.get(variant) if smp.prompts else None
                if prompt is None and smp.prompts:
                    prompt = f"[prompt variant {variant!r} not stored; stored: {', '.join(smp.prompts)}]"
            items.append({
                "model": row.model, "task": row.task, "scale": int(row.scale), "outcome": row.outcome,
                "sample_id": row.sample_id, "image": image, "inset": zoom,
                "prompt": None if prompt is None else text_view(prompt),
                "output": text_view(row.text),
                "expected": text_view(row.answer if isinstance(row.answer, str) else json.dumps(row.answer)),
                "extracted": text_view(row.extracted if isinstance(row.extracted, str) else ""),
                "threshold": r.nominal_threshold_text,
            })
    return items
