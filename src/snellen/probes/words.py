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

from snellen.probes.backgrounds import contrast_under
from snellen.probes.render import Mask, fit_outline_cached, glyph_outline, register_outline
from snellen.schema import SnellenError

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
    rng: np.random.Generator, background: np.ndarray, mask: Mask, x: int, y: int, colours: tuple[str, ...], floor: float
) -> tuple[str, dict] | None:
    """A random colour among `colours` whose contrast with the pixels under the ink is >= floor.

    The floor applies to `wcag_p10` (90% of ink pixels have at least that WCAG ratio against the
    background pixel behind them). None when no colour qualifies at this position.
    """
    ok = []
    for name in colours:
        c = contrast_under(background, mask, x, y, TEXT_COLOURS[name])
        if c["wcag_p10"] >= floor:
            ok.append((name, c))
    if not ok:
        return None
    return ok[int(rng.integers(len(ok)))]


def check_colours(colours: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [c for c in colours if c not in TEXT_COLOURS]
    if unknown or not colours:
        raise ValueError(f"text colours must be from {', '.join(TEXT_COLOURS)}, got {list(colours)}")
    return colours
