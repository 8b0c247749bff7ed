"""Contact sheets: every object silhouette at 16 and 48 px (snellen and finesight profiles), or every
synthetic species (probes/tasks/species.py) at several crest sizes.

Each render is shown at its true pixels, enlarged with nearest-neighbour sampling so single pixels stay
visible, plus an unenlarged copy. Usage:
  python scripts/contact_sheet.py [OUT.png]            (default docs/silhouettes.png)
  python scripts/contact_sheet.py species [OUT.png]    (default docs/species.png)
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


SPECIES_SCALES = (4, 6, 8, 16)


def species_sheet(out: Path) -> None:
    """Rows: species; columns: crest size. Each: the creature at true pixels and its crest cell enlarged."""
    import numpy as np

    from snellen.probes.tasks.species import SPECIES, render
    from snellen.probes.task import get_family

    font = ImageFont.truetype(str(font_path("DejaVuSans")), 14)
    T = get_family("species")
    task = T(T.Params(species=SPECIES, bodies=("bird",), colours=("black",), body_size=64), RenderProfile())
    label_w, head_h, crop = 120, 40, 100
    col_w = crop + CELL + 20
    W, H = label_w + len(SPECIES_SCALES) * col_w, head_h + len(SPECIES) * (CELL + 10)
    sheet = Image.new("RGB", (W, H), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for j, scale in enumerate(SPECIES_SCALES):
        x = label_w + j * col_w
        draw.text((x, 4), f"crest {scale}px", fill=(0, 0, 0), font=font)
        draw.text((x, 20), "true size | crest enlarged", fill=(90, 90, 90), font=font)
        scene = task.scene(np.random.default_rng(0), scale)
        for i, sp in enumerate(SPECIES):
            y = head_h + i * (CELL + 10)
            img, body, crest, (cx0, cy0, cx1, cy1) = render(task.profile, scene, SPECIES, sp, scale)
            bx0, by0, bx1, by1 = body.support
            mx, my = (bx0 + bx1) // 2, (cy0 + by1) // 2
            view = Image.fromarray(img[my - crop // 2: my + crop // 2, mx - crop // 2: mx + crop // 2])
            sheet.paste(view, (x, y + (CELL - crop) // 2))
            cell = img[cy0 - 1: cy1 + 1, cx0 - 1: cx1 + 1]
            k = max(1, CELL // cell.shape[0])
            big = Image.fromarray(cell).resize((cell.shape[1] * k, cell.shape[0] * k), Image.Resampling.NEAREST)
            sheet.paste(big, (x + crop + 5, y + (CELL - big.height) // 2))
    for i, sp in enumerate(SPECIES):
        draw.text((6, head_h + i * (CELL + 10) + CELL // 2 - 8), sp, fill=(0, 0, 0), font=font)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, optimize=True)
    print(f"wrote {out} ({W}x{H}, {len(SPECIES)} species x {len(SPECIES_SCALES)} crest sizes)")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["species"]:
        species_sheet(Path(args[1]) if len(args) > 1 else Path("docs/species.png"))
    else:
        main(Path(args[0]) if args else Path("docs/silhouettes.png"))
