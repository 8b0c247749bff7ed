"""Contact sheet of every object silhouette at 16 and 48 px (snellen and finesight profiles).

Each render is shown at its true pixels, enlarged with nearest-neighbour sampling so single pixels stay
visible, plus an unenlarged copy. Usage: python scripts/contact_sheet.py [OUT.png]  (default docs/silhouettes.png)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from snellen.probes.render import font_path
from snellen.probes.silhouettes import OBJECTS, silhouette_mask
from snellen.probes.task import RenderProfile

CELL = 120  # px per enlarged render
SIZES = (16, 48)
PROFILES = (RenderProfile(), RenderProfile(name="finesight"))


def tile(alpha: np.ndarray, out: int) -> Image.Image:
    """Black ink on white, nearest-neighbour enlarged to fit `out` px, centred."""
    img = Image.fromarray(np.rint(255 * (1 - alpha)).astype(np.uint8), mode="L")
    k = max(1, out // max(alpha.shape))
    img = img.resize((alpha.shape[1] * k, alpha.shape[0] * k), Image.Resampling.NEAREST)
    canvas = Image.new("L", (out, out), 255)
    canvas.paste(img, ((out - img.width) // 2, (out - img.height) // 2))
    return canvas


def main(out: Path) -> None:
    font = ImageFont.truetype(str(font_path("DejaVuSans")), 14)
    columns = [(p, s) for p in PROFILES for s in SIZES]
    label_w, head_h, native_w = 90, 40, 60
    W = label_w + len(columns) * (CELL + native_w + 10)
    H = head_h + len(OBJECTS) * (CELL + 10)
    sheet = Image.new("L", (W, H), 255)
    draw = ImageDraw.Draw(sheet)
    for j, (profile, size) in enumerate(columns):
        x = label_w + j * (CELL + native_w + 10)
        draw.text((x, 4), f"{profile.name} {size}px", fill=0, font=font)
        draw.text((x, 20), "enlarged | true size", fill=90, font=font)
    for i, name in enumerate(OBJECTS):
        y = head_h + i * (CELL + 10)
        draw.text((6, y + CELL // 2 - 8), name, fill=0, font=font)
        for j, (profile, size) in enumerate(columns):
            x = label_w + j * (CELL + native_w + 10)
            alpha = silhouette_mask(name, size, profile).alpha
            sheet.paste(tile(alpha, CELL), (x, y))
            native = Image.fromarray(np.rint(255 * (1 - alpha)).astype(np.uint8), mode="L")
            sheet.paste(native, (x + CELL + 5, y + (CELL - native.height) // 2))
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, optimize=True)
    print(f"wrote {out} ({W}x{H}, {len(OBJECTS)} classes x {len(columns)} renders)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/silhouettes.png"))
