"""`ideal`: a noiseless ideal observer that knows the renderer. It marks which cells are solvable from the
pixels at all, separating generator bugs (ideal < 100% where it should see) from model limits.

What it reads (and nothing else):
  * the image pixels;
  * the task family, `sample.scale` (the cell's nominal size), `sample.contrast`, the render profile
    (`sample.profile`, `sample.antialias`, `sample.font`) and `sample.canvas`;
  * the answer space `sample.fields` (options: letters, shapes, objects, colours, word bank; counting keys,
    which the prompt names);
  * what the prompt states, as the family's `question_of(sample)` reads it from `sample.extra`: ordering /
    comparison / text_order direction, relation's labels a and b and the relation, quadrant's asked label,
    letter_count's letter, presence's subject, object's answer key;
  * the KIND of the targets drawn (`sample.targets[0].kind`), never their identity, colour, position,
    size or box, and never `sample.answer` (nor `extra["drawn"]`, `extra["sizes"]`, `extra["colour"]`);
  * the background recipe: `extra["photo"]` (the bundled photo; backgrounds.photo rebuilds it exactly),
    species' `extra["scene"]` (the body every species shares; tasks/species.scene_background rebuilds it).
FineSightBench-loaded samples (snellen.data): the published pixels come from FineSightBench's own code, not
ours, and our finesight-profile templates differ from them (the published `I` at 16 px is 8 px of ink wide;
its pentagon and star differ from ours by 25-31 of 256 pixels; targets may lie closer than GAP). A nearest,
inexact fit is not an ideal observer: on the peer-generated release it scored animals 26/89 at 48 px. So a
loaded sample is supported only for the families in FINESIGHT_EXACT, whose published pixels our forward
model reproduces exactly (validated on the shared release: residual 0 and 100% correct at every size), and
even there an inexact fit is an error (the model no longer holds), never an answer.

What the observer answers and what is an error: an image with no changed pixels is "nothing perceived",
an ANSWER (NOTHING_SEEN, scored as a refusal: in the denominator, not correct). Changed pixels that no
template explains (or a text line no split into bank words explains) mean the forward model does not
describe the image: an error naming the place, never a target silently dropped from the answer.

Method. Background: plain -> the image's dominant colour; photo -> the rebuilt photo (exact); blurred
texture (blur_counting) -> not recorded, so it is estimated per target (see below). Changed pixels (any
channel differs from the background) are grouped into targets: 8-connected components, then groups whose
boxes leave fewer than 4 empty rows/columns between them are merged (generators keep >= 4 px between target
supports, so parts of one target merge and different targets never do). Text families: groups whose rows
lie within one another's (+-2 px) and that are within 2 x scale + 8 px form a line (generous: part of a word can vanish where
the photo matches the text colour; letters of a word are up to 0.25 x scale apart); the line is split into words
by dynamic programming over consecutive groups (the split whose words are best explained by bank words).
Each target is then explained by a forward model of the renderer: for every candidate colour (the palette,
pruned by a per-pixel coverage least-squares fit), identity (the answer space) and size (the cell's scale;
comparison: every integer size whose support can hold the changed pixels), at every integer position where
the template's support covers the changed pixels, the window is re-rendered exactly as render.composite
does (float32, rint) and compared with the observed pixels (sum of squared differences). The best
(identity, colour, size) wins; candidates whose score equals the best exactly are indistinguishable from
these pixels (a tie) and one of them is drawn uniformly with an rng seeded by (sample id, repeat, target).
The answer is the family's own `answer_from_targets` applied to the perceived targets (relation/quadrant:
a label the question names but no target was read as goes to the target that explains it best).

blur_counting: targets are pasted sharp on a background blurred with sigma >= 8 px. Rule: a pixel is a target
edge where the 4-neighbour Laplacian of any channel exceeds LAPLACE_T (the blurred texture's own Laplacian
stays within rounding noise); edge pixels are grouped (gap <= 1 px, targets are >= 4 px apart), holes filled,
and the background under each target is a per-channel quadratic fitted to the pixels around it (outside every
target, dilated). Scores are then approximate (not exact) and ties are practically never exact.

Output: the answer as JSON text in the task's schema; `Response.raw` holds what was perceived (per target:
identity, colour, size, box, score, tied labels), the background used and notes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from snellen.models.base import FreeBackend, Request, Response, register_backend
from snellen.schema import Sample, SnellenError, Target

VERSION = 2  # 2: nothing perceived is an answer; unexplained pixels are errors; loaded data only where exact
GAP = 4  # px between target supports that every generator guarantees
PAD = 3  # window padding around a target's changed pixels (< GAP: never reaches another target)
LAPLACE_T = 10.0  # blur_counting: Laplacian magnitude above the blurred texture's (<= ~4 from rounding)

TEXT_FAMILIES = frozenset({"word", "text_order", "letter_count"})
FAMILIES = frozenset({
    "letter", "digit", "shape", "object", "colour", "presence", "word", "ordering", "comparison", "counting",
    "blur_counting", "relation", "quadrant", "text_order", "letter_count", "species",
})
# FineSightBench-loaded samples: families whose published pixels the forward model reproduces exactly
# (benchmarks/ideal_finesight.py; letters, animals, shapes and the chains do not: see the module docstring).
FINESIGHT_EXACT = frozenset({"colour"})
NOTHING_SEEN = "I see no target in this image."


# --- templates ----------------------------------------------------------------------------------


def _profile(sample: Sample):
    from snellen.probes.task import RenderProfile

    return RenderProfile(name=sample.profile, antialias=bool(sample.antialias), font=sample.font or "DejaVuSans-Bold")


@lru_cache(maxsize=16384)
def _template(kind: str, identity: str, size: int, profile, by_side: bool):
    """The renderer's own mask for (kind, identity, size), cropped to its support (finesight masks carry
    empty rows/columns inside their size x size box); by_side: comparison's side-fitted glyphs."""
    from snellen.probes.render import Mask

    if kind == "word":
        from snellen.probes.words import word_mask

        m = word_mask(identity, size, profile)
    elif by_side:
        from snellen.probes.tasks.comparison import sized_mask

        m = sized_mask(kind, identity, size, profile)
    else:
        from snellen.probes.targets import target_mask

        m = target_mask(kind, identity, size, profile)
    ys, xs = np.nonzero(m.alpha > 0)
    if len(ys) == 0:
        raise SnellenError(f"empty template {kind} {identity} at {size} px")
    y0, x0 = int(ys.min()), int(xs.min())
    if (y0, x0, ys.max() + 1, xs.max() + 1) == (0, 0, m.h, m.w):
        return m
    ix0, iy0, ix1, iy1 = m.ink
    return Mask(alpha=np.ascontiguousarray(m.alpha[y0 : ys.max() + 1, x0 : xs.max() + 1]), ink=(ix0 - x0, iy0 - y0, ix1 - x0, iy1 - y0))


# --- background and grouping ----------------------------------------------------------------------


def _dominant(image: np.ndarray) -> tuple[int, int, int]:
    packed = (image[..., 0].astype(np.int32) << 16) | (image[..., 1].astype(np.int32) << 8) | image[..., 2]
    values, counts = np.unique(packed.ravel(), return_counts=True)
    v = int(values[np.argmax(counts)])
    return (v >> 16) & 255, (v >> 8) & 255, v & 255


@dataclass
class Group:
    """A set of changed pixels believed to belong to one target: bbox (x0, y0, x1, y1), x1/y1 exclusive."""

    box: tuple[int, int, int, int]
    mask: np.ndarray  # bool, full canvas

    def gap(self, other: Group) -> int:
        a, b = self.box, other.box
        return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3], 0)


def _components(changed: np.ndarray) -> list[Group]:
    from scipy import ndimage

    labels, n = ndimage.label(changed, structure=np.ones((3, 3), bool))
    out = []
    for i, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        m = np.zeros_like(changed)
        m[sl] = labels[sl] == i
        out.append(Group((sl[1].start, sl[0].start, sl[1].stop, sl[0].stop), m))
    return out


def _merge(groups: list[Group], max_gap: int) -> list[Group]:
    """Merge groups whose boxes are at most max_gap empty rows/columns apart, until none are."""
    groups = list(groups)
    merged = True
    while merged:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if groups[i].gap(groups[j]) <= max_gap:
                    a, b = groups[i], groups.pop(j)
                    groups[i] = Group(
                        (min(a.box[0], b.box[0]), min(a.box[1], b.box[1]), max(a.box[2], b.box[2]), max(a.box[3], b.box[3])),
                        a.mask | b.mask,
                    )
                    merged = True
                    break
            if merged:
                break
    return groups


def _blur_groups(img: np.ndarray) -> tuple[list[Group], np.ndarray]:
    """blur_counting: target edges by the Laplacian, grouped, holes filled; and every target's region dilated."""
    from scipy import ndimage

    f = np.pad(img.astype(np.float32), ((1, 1), (1, 1), (0, 0)), mode="edge")
    lap = np.abs(4 * f[1:-1, 1:-1] - f[:-2, 1:-1] - f[2:, 1:-1] - f[1:-1, :-2] - f[1:-1, 2:]).max(axis=2)
    edges = lap > LAPLACE_T
    groups = _merge(_components(edges), 1)
    out = []
    for g in groups:
        x0, y0, x1, y1 = g.box
        m = np.zeros_like(edges)
        m[y0:y1, x0:x1] = ndimage.binary_fill_holes(g.mask[y0:y1, x0:x1])
        out.append(Group(g.box, m))
    occupied = ndimage.binary_dilation(edges, iterations=3)
    return out, occupied


def _quadratic_background(img: np.ndarray, occupied: np.ndarray, box, ring: int = 8) -> tuple[np.ndarray, tuple]:
    """Per-channel quadratic fitted to the free pixels around a window: the blurred background under a target."""
    H, W = occupied.shape
    x0, y0, x1, y1 = box
    wx0, wy0, wx1, wy1 = max(0, x0 - PAD), max(0, y0 - PAD), min(W, x1 + PAD), min(H, y1 + PAD)
    rx0, ry0, rx1, ry1 = max(0, wx0 - ring), max(0, wy0 - ring), min(W, wx1 + ring), min(H, wy1 + ring)
    yy, xx = np.mgrid[ry0:ry1, rx0:rx1]
    free = ~occupied[ry0:ry1, rx0:rx1]
    cx, cy, s = (rx0 + rx1) / 2.0, (ry0 + ry1) / 2.0, max(rx1 - rx0, ry1 - ry0) / 2.0

    def design(x, y):
        u, v = (x - cx) / s, (y - cy) / s
        return np.stack([np.ones_like(u), u, v, u * u, u * v, v * v], axis=-1)

    A = design(xx[free].astype(np.float64), yy[free].astype(np.float64))
    coef, *_ = np.linalg.lstsq(A, img[ry0:ry1, rx0:rx1][free].astype(np.float64), rcond=None)
    wy, wx = np.mgrid[wy0:wy1, wx0:wx1]
    bg = design(wx.astype(np.float64), wy.astype(np.float64)) @ coef
    return np.clip(bg, 0, 255).astype(np.float32), (wx0, wy0, wx1, wy1)


# --- forward-model matching ---------------------------------------------------------------------


@dataclass
class Candidate:
    kind: str
    identity: str
    size: int
    mask: Any  # render.Mask


@dataclass
class Fit:
    """The best explanation of one target, and the labels that explain it equally well."""

    identity: str
    colour: str
    rgb: tuple[int, int, int]
    size: int
    kind: str
    x: int
    y: int
    mask: Any
    score: float
    tied: list[tuple[str, str, int]] = field(default_factory=list)
    by_label: dict[str, float] = field(default_factory=dict)  # best score per '<colour> <identity>'

    def target(self) -> Target:
        ix0, iy0, ix1, iy1 = self.mask.ink
        return Target(
            kind=self.kind, identity=self.identity, colour=self.colour, rgb=self.rgb, nominal=self.size,
            box=(self.x + ix0, self.y + iy0, self.x + ix1, self.y + iy1),
            support=(self.x, self.y, self.x + self.mask.w, self.y + self.mask.h),
        )


def _prune_colours(obs: np.ndarray, bg: np.ndarray, where: np.ndarray, palette: dict, contrast: float, slack: float) -> list[str]:
    """Colours whose per-pixel coverage fit explains the changed pixels nearly as well as the best one."""
    d = (obs[where] - bg[where]).astype(np.float64)
    b = bg[where].astype(np.float64)
    res = {}
    for name, rgb in palette.items():
        v = contrast * (np.asarray(rgb, np.float64) - b)
        vv = (v * v).sum(axis=1)
        a = np.clip(np.where(vv > 0, (d * v).sum(axis=1) / np.maximum(vv, 1e-9), 0.0), 0.0, 1.0)
        res[name] = float(((d - a[:, None] * v) ** 2).sum())
    best = min(res.values())
    n = max(1, int(where.sum()))
    return [c for c, r in res.items() if r <= 2 * best + slack * n]


def _match(obs: np.ndarray, bg: np.ndarray, inner: tuple[int, int, int, int], cands: list[Candidate], palette: dict,
           colours: list[str], contrast: float, slack: int) -> list[tuple[float, int, str, int, int]]:
    """Score every (candidate, colour, position) in a window: (sse, candidate index, colour, x, y), window coords.

    inner = box of the changed pixels in window coords; the template's support must cover it (+- slack px).
    """
    Hw, Ww = obs.shape[:2]
    c32 = np.float32(contrast)
    diff0 = (bg - obs).astype(np.float64)
    base = float((diff0 ** 2).sum())
    out = []
    ix0, iy0, ix1, iy1 = inner
    rgbs = {c: np.asarray(palette[c], dtype=np.float32) for c in colours}
    for ci, cand in enumerate(cands):
        m = cand.mask
        h, w = m.h, m.w
        xs = range(max(0, ix1 - w - slack), min(ix0 + slack, Ww - w) + 1)
        ys = range(max(0, iy1 - h - slack), min(iy0 + slack, Hw - h) + 1)
        if not xs or not ys:
            continue
        a = m.alpha[..., None] * c32
        for y in ys:
            for x in xs:
                rb = bg[y : y + h, x : x + w]
                ro = obs[y : y + h, x : x + w]
                outside = base - float((diff0[y : y + h, x : x + w] ** 2).sum())
                for c in colours:
                    pred = np.rint(rb + a * (rgbs[c] - rb))
                    out.append((outside + float(((pred - ro).astype(np.float64) ** 2).sum()), ci, c, x, y))
    return out


def _fit(obs, bg, inner, origin, cands, palette, contrast, exact, rng) -> Fit | None:
    where = np.zeros(obs.shape[:2], bool)
    ix0, iy0, ix1, iy1 = inner
    where[iy0:iy1, ix0:ix1] = np.abs(obs[iy0:iy1, ix0:ix1] - bg[iy0:iy1, ix0:ix1]).max(axis=2) > 0
    if not where.any():
        where[iy0:iy1, ix0:ix1] = True
    colours = _prune_colours(obs, bg, where, palette, contrast, 0.75 if exact else 60.0)
    scored = _match(obs, bg, inner, cands, palette, colours, contrast, 0 if exact else 1)
    if not scored:
        return None
    best_per: dict[tuple[str, str, int], tuple] = {}
    by_label: dict[str, float] = {}
    for s in scored:
        cand = cands[s[1]]
        key = (cand.identity, s[2], cand.size)
        if key not in best_per or s[0] < best_per[key][0]:
            best_per[key] = s
        label = f"{s[2]} {cand.identity}"
        by_label[label] = min(by_label.get(label, np.inf), s[0])
    best = min(v[0] for v in best_per.values())
    tied = sorted(k for k, v in best_per.items() if v[0] == best)
    pick = tied[int(rng.integers(len(tied)))] if len(tied) > 1 else tied[0]
    s = best_per[pick]
    cand = cands[s[1]]
    return Fit(
        identity=cand.identity, colour=s[2], rgb=tuple(int(v) for v in palette[s[2]]), size=cand.size, kind=cand.kind,
        x=origin[0] + s[3], y=origin[1] + s[4], mask=cand.mask, score=best, tied=tied if len(tied) > 1 else [],
        by_label=by_label,
    )


# --- the observer -------------------------------------------------------------------------------


@dataclass
class Plan:
    kind: str
    identities: tuple[str, ...]
    palette: dict[str, tuple[int, int, int]]
    by_side: bool = False  # comparison: sizes vary, fitted by bounding-box side


def _plan(sample: Sample) -> Plan:
    from snellen.probes.render import COLOURS
    from snellen.probes.targets import identities
    from snellen.probes.words import TEXT_COLOURS, WORD_BANK

    fam, f0 = sample.family, sample.fields[0] if sample.fields else None
    kind = sample.targets[0].kind if sample.targets else None  # the KIND only
    palette = dict(COLOURS)

    def ids_of(k):
        if k == "object":
            from snellen.probes.silhouettes import OBJECTS

            return OBJECTS
        return identities(k)

    if fam in ("letter", "digit", "shape", "object"):
        return Plan({"letter": "letter", "digit": "digit"}.get(fam, kind or fam), tuple(f0.options), palette)
    if fam == "colour":
        return Plan("block", ("block",), {c: COLOURS[c] for c in f0.options})
    if fam == "species":  # the crest is the only part that differs; the body is the rebuilt scene
        return Plan("crest", tuple(f0.options), palette)
    if fam == "presence":
        return Plan(kind, ids_of(kind), palette)
    if fam in TEXT_FAMILIES:
        bank = tuple(f0.options) if f0.options else WORD_BANK
        return Plan("word", bank, dict(TEXT_COLOURS))
    if fam in ("ordering", "relation", "quadrant"):
        return Plan(kind, ids_of(kind), palette)
    if fam == "comparison":
        return Plan(kind, ids_of(kind), palette, by_side=True)
    if fam in ("counting", "blur_counting"):
        keys = tuple(f0.keys)
        if kind == "block":
            return Plan("block", ("block",), {k: COLOURS[k] for k in keys if k in COLOURS} or palette)
        return Plan(kind, keys, palette)
    raise SnellenError(f"ideal: no plan for family {fam!r}")


class Observer:
    """Perceives one sample: targets (as snellen Targets) plus a record of how."""

    def __init__(self, sample: Sample, rng: np.random.Generator):
        self.sample = sample
        self.rng = rng
        self.img = sample.pixels()
        self.obs = self.img.astype(np.float32)
        self.profile = _profile(sample)
        self.plan = _plan(sample)
        self.contrast = float(sample.contrast)
        self.notes: list[str] = []
        self.exact = True

    def candidates(self, inner_w: int, inner_h: int, ids=None) -> list[Candidate]:
        p, s = self.plan, int(self.sample.scale)
        sizes = [s]
        if p.by_side:  # any size >= the cell's whose support can hold the changed pixels
            side = max(inner_w, inner_h)
            sizes = [z for z in range(max(s, side - 3), side + 2)]
        out = []
        for ident in ids if ids is not None else p.identities:
            for z in sizes:
                try:
                    m = _template(p.kind, ident, z, self.profile, p.by_side)
                except SnellenError:
                    continue
                if m.w + 2 >= inner_w and m.h + 2 >= inner_h:
                    out.append(Candidate(p.kind, ident, z, m))
        return out

    def background(self) -> np.ndarray | None:
        s = self.sample
        if s.family == "blur_counting" or "blur" in str(s.background):
            return None
        if s.family == "species":  # the body every species shares: a background recipe, like a photo
            from snellen.probes.tasks.species import scene_background

            self.notes.append("background: the species' shared body (rebuilt)")
            return scene_background(s).astype(np.float32)
        name = s.extra.get("photo")
        if name and str(s.background).startswith("photo"):
            from snellen.probes.backgrounds import photo

            bg = photo(str(name), s.canvas[0])
            if bg.shape != self.img.shape:
                raise SnellenError(f"ideal: photo {name!r} rebuilt at {bg.shape} but the image is {self.img.shape}")
            self.notes.append(f"background: photo {name} (rebuilt)")
            return bg.astype(np.float32)
        rgb = _dominant(self.img)
        self.notes.append(f"background: plain rgb{rgb}")
        return np.broadcast_to(np.asarray(rgb, np.float32), self.obs.shape)

    def fit_box(self, bg, box, ids=None, occupied=None) -> Fit | None:
        H, W = self.img.shape[:2]
        x0, y0, x1, y1 = box
        if bg is None:
            win_bg, (wx0, wy0, wx1, wy1) = _quadratic_background(self.img, occupied, box)
        else:
            wx0, wy0, wx1, wy1 = max(0, x0 - PAD), max(0, y0 - PAD), min(W, x1 + PAD), min(H, y1 + PAD)
            win_bg = np.ascontiguousarray(bg[wy0:wy1, wx0:wx1])
        obs = self.obs[wy0:wy1, wx0:wx1]
        inner = (x0 - wx0, y0 - wy0, x1 - wx0, y1 - wy0)
        cands = self.candidates(x1 - x0, y1 - y0, ids)
        return _fit(obs, win_bg, inner, (wx0, wy0), cands, self.plan.palette, self.contrast, bg is not None, self.rng)

    def perceive(self) -> list[Fit]:
        bg = self.background()
        occupied = None
        if bg is None:
            self.exact = False
            groups, occupied = _blur_groups(self.img)
            self.notes.append(f"background: blurred texture, estimated per target (Laplacian > {LAPLACE_T})")
        else:
            changed = (self.obs != bg).any(axis=2)
            groups = _merge(_components(changed), GAP - 1)
        if self.plan.kind == "word":
            return self.read_words(bg, groups)
        fits = []
        for g in sorted(groups, key=lambda g: (g.box[1], g.box[0])):
            f = self.fit_box(bg, g.box, occupied=occupied)
            if f is None:
                raise SnellenError(f"ideal: no template explains the changed pixels at {g.box} in sample {self.sample.id}")
            fits.append(f)
        return fits

    # text: lines of groups, split into words by dynamic programming
    def read_words(self, bg, groups: list[Group]) -> list[Fit]:
        s = int(self.sample.scale)
        # Generous: part of a word can vanish where the background matches the text colour; over-linked
        # lines are split again by the dynamic programme.
        reach = 2 * s + 8
        lines: list[list[Group]] = []
        for g in sorted(groups, key=lambda g: g.box[0]):
            for line in lines:
                last = line[-1]
                top, bottom = line[0].box[1], line[0].box[3]
                same_rows = (g.box[1] >= top - 2 and g.box[3] <= bottom + 2) or (top >= g.box[1] - 2 and bottom <= g.box[3] + 2)
                if same_rows and g.box[0] - max(x.box[2] for x in line) <= reach:
                    line.append(g)
                    break
            else:
                lines.append([g])
        fits = []
        for line in lines:
            fits.extend(self.split_line(bg, line))
        return fits

    def split_line(self, bg, line: list[Group]) -> list[Fit]:
        n = len(line)
        best: list[tuple[float, list[Fit]] | None] = [None] * (n + 1)
        best[0] = (0.0, [])
        for j in range(1, n + 1):
            for i in range(j):
                if best[i] is None:
                    continue
                part = line[i:j]
                box = (min(g.box[0] for g in part), min(g.box[1] for g in part), max(g.box[2] for g in part), max(g.box[3] for g in part))
                f = self.fit_box(bg, box)
                if f is None:
                    continue
                total = best[i][0] + f.score
                if best[j] is None or total < best[j][0]:
                    best[j] = (total, best[i][1] + [f])
        if best[n] is None:
            raise SnellenError(f"ideal: no split of the text line at {line[0].box} into bank words explains it (sample {self.sample.id})")
        return best[n][1]


def _rng(sample_id: str, repeat: int, salt: str = "") -> np.random.Generator:
    digest = hashlib.sha256(json.dumps(["ideal", sample_id, int(repeat), salt]).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _assign_named(fits: list[Fit], labels: list[str]) -> list[str]:
    """Make every label the question names belong to some target: the one whose pixels it explains best."""
    notes, used = [], set()
    for label in labels:
        hit = [i for i, f in enumerate(fits) if f"{f.colour} {f.identity}" == label]
        if hit:
            used.add(hit[0])
            continue
        free = [i for i in range(len(fits)) if i not in used and label in fits[i].by_label]
        if not free:
            notes.append(f"no target can be read as {label!r}")
            continue
        i = min(free, key=lambda i: fits[i].by_label[label])
        colour, _, ident = label.partition(" ")
        from snellen.probes.render import COLOURS

        fits[i].colour, fits[i].identity, fits[i].rgb = colour, ident, COLOURS.get(colour, fits[i].rgb)
        used.add(i)
        notes.append(f"{label!r} read as the target at ({fits[i].x}, {fits[i].y}), its best explanation")
    return notes


def observe(sample: Sample, repeat: int = 0) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(answer dict, or None when nothing was perceived; raw record of what was perceived)."""
    from snellen.probes.task import get_family

    obs = Observer(sample, _rng(sample.id, repeat))
    fits = obs.perceive()
    if sample.extra.get("source") == "finesightbench":
        inexact = [f for f in fits if f.score != 0]
        if inexact:
            raise SnellenError(f"ideal: the published pixels of sample {sample.id} are not reproduced exactly "
                               f"(residual {inexact[0].score:g} at ({inexact[0].x}, {inexact[0].y})): no answer to stand behind")
        obs.notes.append("published image: every target reproduced exactly")
    family = get_family(sample.family)
    question = family.question_of(sample)
    if sample.family == "relation":
        obs.notes += _assign_named(fits, [question["a"], question["b"]])
    elif sample.family == "quadrant":
        obs.notes += _assign_named(fits, [question["asked"]])
    targets = [f.target() for f in fits]
    raw = {
        "perceived": [
            {"kind": f.kind, "identity": f.identity, "colour": f.colour, "size": f.size, "box": list(t.box),
             "score": f.score, **({"tied": [list(k) for k in f.tied]} if f.tied else {})}
            for f, t in zip(fits, targets)
        ],
        "ties": sum(1 for f in fits if f.tied),
        "exact_background": obs.exact,
        "notes": obs.notes,
    }
    if not targets:
        raw["notes"].append("nothing perceived: no pixel differs from the background")
        return None, raw
    return family.answer_from_targets(targets, question), raw


@register_backend("ideal")
class IdealBackend(FreeBackend):
    """Spec `ideal`. Sync; deterministic given (sample id, repeat)."""
    role = "reference"

    families = FAMILIES
    reads_prompt = False

    def identity(self) -> dict[str, Any]:
        return {"backend": "ideal", "version": VERSION}

    def transmission(self) -> dict[str, Any]:
        return {"format": "pixels", "resize": None}

    def supports(self, sample: Sample) -> bool:
        if sample.family not in FAMILIES or not sample.targets:
            return False
        if sample.extra.get("source") == "finesightbench":
            return sample.family in FINESIGHT_EXACT
        return True

    def answer(self, requests: list[Request]) -> list[Response]:
        from snellen.models.base import ErrorInfo

        out = []
        for r in requests:
            size = (int(r.sample.canvas[0]), int(r.sample.canvas[1]))
            try:
                answer, raw = observe(r.sample, r.repeat)
            except (SnellenError, KeyError) as exc:
                out.append(Response(text=None, error=ErrorInfo("backend_error", f"ideal: {exc}"), sent_size=size, encoder_size=size))
                continue
            text = NOTHING_SEEN if answer is None else json.dumps(answer)
            out.append(Response(text=text, sent_size=size, encoder_size=size, raw=raw))
        return out
