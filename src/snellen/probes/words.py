"""Words for the text families: a bank whose ink height is the cap height, their masks, text colours
chosen for contrast against the background under each word, and placement of several words.

Scale of a word is its cap height. `fit_outline(mode="height")` makes the *ink* height exactly the
scale, so every bank word uses only letters whose ink spans exactly the cap height in DejaVu Sans
Bold: flat tops on the cap line and flat bottoms on the baseline. C, G, O, S overshoot both lines,
U overshoots the baseline, J and Q descend below it (measured from the font; tests re-check it), so
no bank word contains them. For every bank word, ink height == cap height == scale.
"""

from __future__ import annotations

import numpy as np

from snellen.probes.backgrounds import contrast_ratio, contrast_under, photo, plain, relative_luminance
from snellen.probes.render import (
    INK, CanvasFullError, Mask, draw_target, fit_outline_cached, glyph_outline, place, place_apart, register_outline,
)
from snellen.schema import SnellenError, Target

# Letters whose ink spans exactly cap line to baseline in DejaVu Sans Bold.
FLAT_LETTERS = frozenset("ABDEFHIKLMNPRTVWXYZ")

# Common English nouns (3-6 letters) spelled with FLAT_LETTERS only; no two are the same.
WORD_BANK: tuple[str, ...] = (
    "ANT", "ARM", "ART", "AXE", "BAT", "BED", "BEE", "EAR", "FAN", "HAT", "HEN", "INK", "KEY", "MAP",
    "NET", "PAN", "PEN", "PIE", "RAT", "TEA", "TIE", "VAN", "WEB", "YAK",
    "BARN", "BEAN", "BEAR", "BELL", "BIKE", "BIRD", "DEER", "FARM", "FERN", "FILM", "FIRE",
    "HAND", "HARP", "HERB", "HILL", "HIVE", "KITE", "LAKE", "LAMP", "LEAF", "LIME", "MILK", "NAIL",
    "PARK", "PEAR", "PINE", "RAFT", "RAIN", "TENT", "TILE", "TIME", "TREE", "VINE", "WAVE",
    "WIND", "WIRE", "YARD", "YARN",
    "APPLE", "BREAD", "DIARY", "EARTH", "FIELD", "HEART", "KNIFE", "MAPLE", "PAPER", "PEARL",
    "PLANT", "RADAR", "RIVER", "TABLE", "TIMER", "TRAIN", "WATER", "WHEEL",
    "WHITE", "ZEBRA",
    "BANANA", "HAMMER", "KETTLE", "LADDER", "MARBLE", "MARKET", "NAPKIN", "PARADE", "PEPPER",
    "PIRATE", "PLANET", "RABBIT", "WINTER",
)

# Text colours: black and white first (they carry any photo), then the FineSightBench palette.
TEXT_COLOURS: dict[str, tuple[int, int, int]] = {
    "black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0), "green": (0, 180, 0),
    "blue": (0, 0, 255), "yellow": (255, 255, 0), "cyan": (0, 255, 255), "magenta": (255, 0, 255),
    "orange": (255, 165, 0), "purple": (128, 0, 128), "pink": (255, 192, 203), "brown": (139, 69, 19),
}


def bank(min_letters: int = 3, max_letters: int = 6) -> tuple[str, ...]:
    words = tuple(w for w in WORD_BANK if min_letters <= len(w) <= max_letters)
    if not words:
        raise SnellenError(f"no bank word has {min_letters}-{max_letters} letters")
    return words


def word_mask(word: str, scale: int, profile) -> Mask:
    """The word at cap height == ink height == scale (fitted once per (word, scale), then cached)."""
    font = profile.font
    key = register_outline(f"word:{font}:{word}", lambda: glyph_outline(word, font))
    return fit_outline_cached(key, scale, "height", profile.antialias)


def pick_colour(
    rng: np.random.Generator, background: np.ndarray, mask: Mask, x: int, y: int, colours: tuple[str, ...],
    floor: float, strength: float = 1.0,
) -> tuple[str, dict] | None:
    """A random colour among `colours` whose contrast with the pixels under the ink is >= floor.

    The floor applies to `wcag`: the WCAG ratio between the text colour and the mean luminance of the
    background pixels under the ink (WCAG's text-vs-background definition, with a photo's local mean as
    the background). With black and white available every background admits a floor up to 4.58 (black
    reaches 4.5 for L >= 0.175, white for L <= 0.183). `wcag_p10` is recorded beside it for textured
    backgrounds. None when no colour qualifies at this position.
    """
    region = background[y : y + mask.h, x : x + mask.w]
    px = region[mask.alpha >= INK]
    mean_bg = float(relative_luminance(px).mean())
    # Screen every colour with the cheap mean-luminance ratio (full coverage, strength applied to the
    # mean background), then measure the chosen one exactly with contrast_under.
    bg_mean_rgb = px.mean(axis=0)
    ok = []
    for name in colours:
        rgb = np.asarray(TEXT_COLOURS[name], dtype=np.float64)
        painted = rgb if strength >= 1.0 else np.rint(bg_mean_rgb + strength * (rgb - bg_mean_rgb))
        if float(contrast_ratio(relative_luminance(painted.astype(np.int64)), mean_bg)) >= floor - 0.05:
            ok.append(name)
    order = [ok[int(i)] for i in rng.permutation(len(ok))]
    for name in order:
        c = contrast_under(background, mask, x, y, TEXT_COLOURS[name], strength)
        if c["wcag"] >= floor:
            return name, c
    return None


def check_colours(colours: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [c for c in colours if c not in TEXT_COLOURS]
    if unknown or not colours or len(set(colours)) != len(colours):
        raise ValueError(f"text colours must be distinct names from {', '.join(TEXT_COLOURS)}, got {list(colours)}")
    return colours


def _ordered(a: tuple[float, float, float], b: tuple[float, float, float], sep: float) -> bool:
    """a and b (start, centre, end along an axis) are in the same order by every key, each >= sep apart."""
    d = [ai - bi for ai, bi in zip(a, b)]
    return all(v >= sep for v in d) or all(v <= -sep for v in d)


def place_ordered(
    rng: np.random.Generator, masks: list[Mask], size: int, margin: int, gap: int, axis: int, sep: float,
    attempts: int = 400, restarts: int = 50,
) -> list[tuple[int, int]]:
    """Non-overlapping positions (supports `gap` apart) such that, along `axis` (0 = x, 1 = y), the ink
    boxes' starts, centres and ends all sort the words the same way, every pair >= sep px apart by each
    key. The order is then the same whichever edge or centre a reader goes by."""

    def span(x: int, y: int, m: Mask) -> tuple[float, float, float]:
        lo, hi = (x + m.ink[0], x + m.ink[2]) if axis == 0 else (y + m.ink[1], y + m.ink[3])
        return (float(lo), (lo + hi) / 2.0, float(hi))

    positions = place_apart(
        rng, masks, (size, size), margin, gap, span, lambda a, b: _ordered(a, b, sep), attempts, restarts,
        misfit=lambda m: f"a {m.h}x{m.w} px word does not fit a {size} px canvas with margin {margin}",
    )
    if positions is not None:
        return positions
    raise CanvasFullError(
        f"cannot place {len(masks)} words in an unambiguous order ({sep:g} px apart along {'x' if axis == 0 else 'y'}) "
        f"on a {size} px canvas"
    )


def text_background(rng: np.random.Generator, kind: str, photos: tuple[str, ...], profile) -> tuple[np.ndarray, str, str | None]:
    """(canvas, background label, photo name): a copy of a bundled photo, or the profile's plain colour."""
    if kind == "photo":
        name = photos[int(rng.integers(len(photos)))]
        return photo(name, profile.canvas).copy(), f"photo:{name}", name
    bg = tuple(profile.background)
    return plain(profile.canvas, bg), "white" if bg == (255, 255, 255) else f"rgb{bg}", None


def draw_words(
    rng: np.random.Generator, canvas: np.ndarray, words: list[str], scale: int, profile, colours: tuple[str, ...],
    floor: float, strength: float, family: str, order_axis: int | None = None, sep: float = 0.0, tries: int = 50,
) -> list[Target]:
    """Place and paint words; each word's colour keeps its WCAG contrast (see pick_colour) >= floor.

    Positions are redrawn (up to `tries` times) until every word has a qualifying colour; a
    SnellenError names 'contrast_floor' when none is found, and 'counts'/'scales' when words do not fit.
    """
    masks = [word_mask(w, scale, profile) for w in words]
    for _ in range(tries):
        try:
            if order_axis is None:
                positions = place(rng, masks, (profile.canvas, profile.canvas), profile.margin, profile.gap, what=f"{scale} px words")
            else:
                positions = place_ordered(rng, masks, profile.canvas, profile.margin, profile.gap, order_axis, sep)
        except CanvasFullError as exc:
            raise SnellenError(f"{family}: {exc}; lower 'counts' or 'scales' (or 'max_letters') for this family") from None
        picks = [pick_colour(rng, canvas, m, x, y, colours, floor, strength) for m, (x, y) in zip(masks, positions)]
        if all(p is not None for p in picks):
            break
    else:
        raise SnellenError(
            f"{family}: no position and colour from {list(colours)} gives every word a WCAG contrast of at least "
            f"{floor:g} against the background under it ({tries} tries); lower 'contrast_floor' or add 'colours'"
        )
    return [
        draw_target(canvas, m, x, y, kind="word", identity=w, colour=name, nominal=scale, contrast=strength,
                    rgb=TEXT_COLOURS[name], contrast_wcag=c)
        for w, m, (x, y), (name, c) in zip(words, masks, positions, picks)
    ]


def word_probe_geometry(targets: list[Target]) -> tuple[float, int, int]:
    """(measured_scale, ink_h, ink_w) of the word with the smallest ink height (words: cap height)."""
    t = min(targets, key=lambda t: (t.ink_h, t.ink_w))
    return float(t.ink_h), t.ink_h, t.ink_w


def no_finesight(family: str, profile) -> None:
    if profile.name == "finesight":
        raise SnellenError(
            f"{family}: the finesight profile has no recipe for text offline (FineSightBench's text-in-the-wild "
            "images paste words on SynthText photos it downloads); use the snellen profile"
        )
