"""Backgrounds that are not plain colour, and the contrast of a target against what lies behind it.

* `blurred_texture`: FineSightBench's blur_chain background (random 2-6 px dots in 11 colours at
  density 0.05 on white, then a Gaussian blur of standard deviation `radius`, as PIL's GaussianBlur
  takes it). The blur here is a cheap approximation, see `fast_gaussian_blur`.
* `photo`: scikit-image's bundled natural photos, centre-cropped to a square and resized to the
  canvas (deterministic; cached per (name, size)).
* `contrast_under`: WCAG 2.x contrast ratio between a target colour and the background pixels under
  its ink, recorded per target so a result can be split by how visible each target was.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

from snellen.probes.render import INK, Mask, blank
from snellen.schema import SnellenError

# FineSightBench's texture palette (core/canvas.py): its 12 target colours minus black.
TEXTURE_PALETTE: tuple[tuple[int, int, int], ...] = (
    (255, 0, 0), (0, 180, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255),
    (255, 165, 0), (128, 0, 128), (255, 192, 203), (139, 69, 19), (128, 128, 128),
)
BLUR_RADII = (8.0, 12.0, 16.0, 20.0)

# Natural photos bundled inside scikit-image (no download). `text` and `page` are left out: they
# show printed text, which would compete with the words we ask about. `astronaut` shows a name
# badge whose lettering is a few px tall after resizing; it is kept because its photo is the
# standard test image and the badge is far below any scale we ask about.
PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "camera", "coins", "grass", "gravel", "brick")


# --- textured, blurred background ---------------------------------------------------------------


def textured_field(
    rng: np.random.Generator,
    height: int,
    width: int,
    density: float = 0.05,
    dot_sizes: tuple[int, int] = (2, 6),
    palette: tuple[tuple[int, int, int], ...] = TEXTURE_PALETTE,
) -> Image.Image:
    """White canvas with random dots, FineSightBench's recipe: int(W*H*density / mean_size^2) dots,
    top-left uniform on the canvas, size s uniform in dot_sizes (inclusive), PIL ellipse [x, y, x+s, y+s]."""
    img = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    n = int(width * height * density / ((dot_sizes[0] + dot_sizes[1]) / 2.0) ** 2)
    xs = rng.integers(0, width, n).tolist()
    ys = rng.integers(0, height, n).tolist()
    ss = rng.integers(dot_sizes[0], dot_sizes[1] + 1, n).tolist()
    cs = rng.integers(0, len(palette), n).tolist()
    for x, y, s, c in zip(xs, ys, ss, cs):
        draw.ellipse([x, y, x + s, y + s], fill=palette[c])
    return img


@lru_cache(maxsize=64)
def _low_res_kernel(sigma: float, factor: int) -> np.ndarray:
    """Gaussian taps (truncated at 3 sigma) for the image downsampled by `factor`, with sigma reduced so
    that box averaging (variance (f^2-1)/12 full-res px^2) and linear upsampling (about f^2/6) add up to `sigma`."""
    extra = (factor**2 - 1) / 12.0 + factor**2 / 6.0
    s_low = float(np.sqrt(max(sigma**2 - extra, 0.25)) / factor)
    r = int(np.ceil(3.0 * s_low))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / s_low) ** 2)
    return k / k.sum()


def fast_gaussian_blur(img: np.ndarray | Image.Image, sigma: float, factor: int = 4) -> np.ndarray:
    """Approximate Gaussian blur (standard deviation `sigma` px) of an RGB image, as HxWx3 uint8.

    Approximation: box-average down by `factor` (PIL BOX), a true (3-sigma truncated) Gaussian at that
    resolution (scipy.ndimage.correlate1d per axis, edges replicated) whose sigma is reduced so that
    box + Gaussian + interpolation spread like `sigma`, rounding to uint8, then PIL's centre-aligned
    bilinear upsampling. For sigma >= 8 and factor 4 the result is within ~4 grey levels of an exact
    full-resolution Gaussian (scipy.ndimage.gaussian_filter) inside the outer 20 px (tests bound it);
    at the very border, where edge replication of a 1-px row and of a 4-px average differ, errors reach
    ~20 levels, the same order as PIL's own box-cascade GaussianBlur deviates from an exact Gaussian
    there. Deterministic: single-threaded C loops (no BLAS threads), no randomness.
    """
    from scipy import ndimage

    pil = img if isinstance(img, Image.Image) else Image.fromarray(img)
    w, h = pil.size
    if h % factor or w % factor:
        raise SnellenError(f"blurred backgrounds need canvas sides divisible by {factor}, got {w}x{h}")
    small = np.asarray(pil.resize((w // factor, h // factor), Image.Resampling.BOX), dtype=np.float64)
    k = _low_res_kernel(float(sigma), factor)
    low = ndimage.correlate1d(ndimage.correlate1d(small, k, axis=0, mode="nearest"), k, axis=1, mode="nearest")
    # Convex combinations of 0..255 values: rounding needs no clipping.
    up = Image.fromarray(np.rint(low).astype(np.uint8)).resize((w, h), Image.Resampling.BILINEAR)
    return np.frombuffer(up.tobytes(), dtype=np.uint8).reshape(h, w, 3).copy()


def blurred_texture(rng: np.random.Generator, height: int, width: int, radius: float, density: float = 0.05) -> np.ndarray:
    return fast_gaussian_blur(textured_field(rng, height, width, density), radius)


# --- photos -------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def photo(name: str, size: int) -> np.ndarray:
    """A bundled scikit-image photo, centre square crop resized (LANCZOS) to size x size, RGB, read-only."""
    if name not in PHOTOS:
        raise SnellenError(f"unknown photo {name!r}; bundled photos: {', '.join(PHOTOS)}")
    try:
        import skimage.data
    except ModuleNotFoundError as exc:  # pragma: no cover - skimage is a declared dependency
        raise SnellenError("photo backgrounds need scikit-image (pip install scikit-image)") from exc
    a = np.asarray(getattr(skimage.data, name)())
    if a.ndim == 2:
        a = np.repeat(a[..., None], 3, axis=2)
    a = a[..., :3].astype(np.uint8)
    h, w = a.shape[:2]
    side = min(h, w)
    y0, x0 = (h - side) // 2, (w - side) // 2
    img = Image.fromarray(np.ascontiguousarray(a[y0 : y0 + side, x0 : x0 + side])).resize((size, size), Image.Resampling.LANCZOS)
    out = np.asarray(img).copy()
    out.setflags(write=False)
    return out


# --- contrast -----------------------------------------------------------------------------------


_LINEAR = np.where(
    np.arange(256) / 255.0 <= 0.04045, np.arange(256) / 255.0 / 12.92, ((np.arange(256) / 255.0 + 0.055) / 1.055) ** 2.4
)
_LUMA = np.array([0.2126, 0.7152, 0.0722])


def plain(size: int, rgb: tuple[int, int, int]) -> np.ndarray:
    """A size x size canvas of one colour."""
    return blank(size, size, rgb)


def relative_luminance(rgb) -> np.ndarray:
    """WCAG 2.x relative luminance of sRGB colours (..., 3), integers 0-255."""
    return _LINEAR[np.asarray(rgb, dtype=np.int64)] @ _LUMA


def contrast_ratio(l1, l2) -> np.ndarray:
    """WCAG contrast ratio (1..21) between relative luminances."""
    l1, l2 = np.asarray(l1, dtype=np.float64), np.asarray(l2, dtype=np.float64)
    return (np.maximum(l1, l2) + 0.05) / (np.minimum(l1, l2) + 0.05)


def contrast_under(
    background: np.ndarray, mask: Mask, x: int, y: int, rgb: tuple[int, int, int], strength: float = 1.0
) -> dict[str, float]:
    """Contrast of colour `rgb` against the background pixels under the mask's ink at (x, y).

    wcag:      WCAG ratio against the mean luminance of those pixels;
    wcag_p10:  lower 10th percentile of the per-pixel ratios (the k-th smallest, k = floor(0.1 (n-1))):
               at least 90% of the ink lies on pixels with at least this contrast;
    luminance_delta: |L(rgb) - mean L(background)|; bg_rgb: mean background colour under the ink.
    strength < 1 (a cell's contrast) takes the colour actually painted at full coverage,
    bg + strength x (rgb - bg), per pixel.
    """
    region = background[y : y + mask.h, x : x + mask.w]
    px = region[mask.alpha >= INK]
    if len(px) == 0:
        raise SnellenError("target has no ink pixels")
    lum_bg = _LINEAR[px] @ _LUMA
    if strength >= 1.0:
        lum_t = np.full(len(px), float(relative_luminance(rgb)))
    else:
        painted = np.rint(px + strength * (np.asarray(rgb, dtype=np.float64) - px)).astype(np.int64)
        lum_t = _LINEAR[painted] @ _LUMA
    per_pixel = contrast_ratio(lum_t, lum_bg)
    k = int(0.1 * (len(per_pixel) - 1))
    mean_bg, lum_t = float(lum_bg.mean()), float(lum_t.mean())
    return {
        "wcag": round(float(contrast_ratio(lum_t, mean_bg)), 4),
        "wcag_p10": round(float(np.partition(per_pixel, k)[k]), 4),
        "luminance_delta": round(abs(lum_t - mean_bg), 4),
        "bg_rgb": [round(float(v), 1) for v in px.mean(axis=0)],
    }
