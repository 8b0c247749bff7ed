"""Acuity aids: backends that hold a backend and change what it sees (upscale, tiles, crop).

A spec `AID:SETTINGS/INNER` wraps any model spec, e.g. `upscale:2/ocr:rapidocr`,
`tiles:2x2,overlap=64/openai:gpt-4o`, `crop:auto/hf:/models/llava`; aids compose (`upscale:2/tiles:2x2/...`).
The runner does not know about aids: an aid is a Backend whose identity, transmission and manifest carry its
settings (so they are part of the cache key) and whose responses add up tokens and latency over its passes.

Effective px: every pass sends the inner model a view = a region of the probe (w x h px of the original)
resized by m. The aid reports `sent_size` = the region's size in original px and `encoder_size` = what the
inner model's encoder received for that view, so resize_ratio = m x (inner model's own ratio) and the score
table's effective_scale is measured px x that: an N px target seen through `upscale:2` is 2N px at the encoder
(for a model that does not resize further). Where the inner model cannot know its encoder size, neither can
the aid (effective px unknown, said so).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from typing import Any

import numpy as np
from PIL import Image

from snellen.models.base import Backend, ErrorInfo, Request, Response, load_backend
from snellen.schema import Sample, SnellenError, Target

RESAMPLERS = {"nearest": Image.Resampling.NEAREST, "bilinear": Image.Resampling.BILINEAR,
              "bicubic": Image.Resampling.BICUBIC, "lanczos": Image.Resampling.LANCZOS}


def split_settings(spec: str, target: str) -> tuple[str, dict[str, str], str]:
    """'2,method=nearest/ocr:rapidocr' -> ('2', {'method': 'nearest'}, 'ocr:rapidocr'), naming the spec on error."""
    head, sep, inner = target.partition("/")
    if not sep or not inner:
        raise SnellenError(f"{spec!r}: an aid wraps a model: write AID:SETTINGS/MODEL, e.g. upscale:2/ocr:rapidocr")
    main, *rest = head.split(",")
    kw = {}
    for part in rest:
        k, eq, v = part.partition("=")
        if not eq or not k.strip():
            raise SnellenError(f"{spec!r}: setting {part!r} must be key=value")
        kw[k.strip()] = v.strip()
    return main.strip(), kw, inner


@dataclasses.dataclass(frozen=True)
class View:
    """A region (x0, y0, x1, y1) of the original image, shown to the inner model magnified by `magnify`."""

    box: tuple[int, int, int, int]
    magnify: float

    @property
    def size(self) -> tuple[int, int]:
        return (self.box[2] - self.box[0], self.box[3] - self.box[1])


def render_view(sample: Sample, view: View, resample: str = "bicubic") -> Sample:
    """The sample as the inner model sees it through `view`: cropped, resized, targets mapped to the new pixels."""
    x0, y0, x1, y1 = view.box
    img = sample.pixels()[y0:y1, x0:x1]
    w, h = view.size
    out_w, out_h = max(1, round(w * view.magnify)), max(1, round(h * view.magnify))
    if (out_w, out_h) != (w, h):
        img = np.asarray(Image.fromarray(img).resize((out_w, out_h), RESAMPLERS[resample]))
    sx, sy = out_w / w, out_h / h

    def move(b):
        return (round((b[0] - x0) * sx), round((b[1] - y0) * sy), round((b[2] - x0) * sx), round((b[3] - y0) * sy))

    targets = [dataclasses.replace(t, box=move(t.box), support=move(t.support)) for t in sample.targets]
    return dataclasses.replace(sample, image=np.ascontiguousarray(img), png=None, canvas=(out_w, out_h), targets=targets)


def inside(target: Target, box: tuple[int, int, int, int]) -> bool:
    b = target.support
    return b[0] >= box[0] and b[1] >= box[1] and b[2] <= box[2] and b[3] <= box[3]


class AidBackend(Backend):
    """Base of the aids: parses `SETTINGS/INNER`, builds the inner backend, runs passes, combines responses."""

    aid: str = "aid"

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(target, options)
        spec = f"{self.prefix}:{target}"
        main, kw, inner_spec = split_settings(spec, target)
        self.settings = self.parse(spec, main, kw)
        self.inner = load_backend(inner_spec, options)
        self.is_async = self.inner.is_async  # instance attribute: the runner asks the instance

    # --- what a subclass defines ------------------------------------------------------------------------
    def parse(self, spec: str, main: str, kw: dict[str, str]) -> dict[str, Any]:
        raise NotImplementedError

    def views(self, sample: Sample) -> list[View]:
        raise NotImplementedError

    def answer_view(self, views: list[View]) -> int:
        """Index of the view whose scale the answer reflects (effective px)."""
        return 0

    def voting_views(self, views: list[View]) -> list[int]:
        return [self.answer_view(views)]

    def merge(self, sample: Sample, responses: list[Response], views: list[View]) -> tuple[str, dict[str, Any]]:
        """One answer text from the passes' texts, and how it was chosen (for raw)."""
        return responses[0].text or "", {"rule": "single view"}

    # --- the Backend interface ---------------------------------------------------------------------------
    def identity(self) -> dict[str, Any]:
        return {"backend": self.prefix, "aid": self.settings, "inner": self.inner.identity()}

    def transmission(self) -> dict[str, Any]:
        return {"aid": {self.prefix: self.settings}, "inner": self.inner.transmission()}

    def manifest(self) -> dict[str, Any]:
        return {"aid": {self.prefix: self.settings}, "inner": self.inner.manifest()}

    def supports(self, sample: Sample) -> bool:
        return self.inner.supports(sample)

    @property
    def max_concurrency(self) -> int:
        return self.inner.max_concurrency

    def pricing(self):
        return self.inner.pricing()

    def estimate_tokens(self, request: Request) -> tuple[int, int]:
        n = len(self.views(request.sample)) if self.supports(request.sample) else 1
        i, o = self.inner.estimate_tokens(request)
        return (i * n, o * n)

    def preflight(self) -> None:
        hook = getattr(self.inner, "preflight", None)
        if hook is not None:
            hook()

    def close(self) -> None:
        self.inner.close()

    def _requests(self, req: Request) -> tuple[list[View], list[Request]]:
        views = self.views(req.sample)
        resample = self.settings.get("method", "bicubic")
        return views, [dataclasses.replace(req, sample=render_view(req.sample, v, resample)) for v in views]

    def answer(self, requests: list[Request]) -> list[Response]:
        plans = [self._requests(r) for r in requests]
        flat = [q for _, qs in plans for q in qs]
        answers = self.inner.answer(flat) if flat else []
        if len(answers) != len(flat):
            raise SnellenError(f"{self.inner.spec} returned {len(answers)} responses for {len(flat)} views")
        out, i = [], 0
        for req, (views, qs) in zip(requests, plans):
            out.append(self._combine(req.sample, views, answers[i:i + len(qs)]))
            i += len(qs)
        return out

    async def answer_async(self, request: Request) -> Response:
        views, qs = self._requests(request)
        answers = await asyncio.gather(*(self.inner.answer_async(q) for q in qs))
        return self._combine(request.sample, views, list(answers))

    def _combine(self, sample: Sample, views: list[View], responses: list[Response]) -> Response:
        tokens_in = _sum(r.input_tokens for r in responses)
        tokens_out = _sum(r.output_tokens for r in responses)
        latency = sum(r.latency_s for r in responses)
        attempts = sum(r.attempts for r in responses)
        # The view the answer is read from sets effective px; views of one answer all have its size.
        shown = self.answer_view(views)
        view0 = views[shown]
        sizes = {views[i].size for i in self.voting_views(views)}
        encoder = self._encoder(view0, responses[shown]) if len(sizes) == 1 else None
        raw = {"aid": self.prefix, "settings": self.settings,
               "views": [{"box": list(v.box), "magnify": round(v.magnify, 6), "text": r.text,
                          "error": None if r.ok else r.error.kind} for v, r in zip(views, responses)]}
        failed = [r for r in responses if not r.ok]
        if failed:  # one failed pass fails the trial: an error, never a partial answer scored as wrong
            err = failed[0].error
            return Response(None, ErrorInfo(err.kind, f"{self.prefix} pass {responses.index(failed[0]) + 1}/{len(responses)}: {err.message}"),
                            latency_s=latency, input_tokens=tokens_in, output_tokens=tokens_out,
                            sent_size=view0.size, encoder_size=encoder, attempts=attempts, raw=raw)
        text, how = self.merge(sample, responses, views)
        raw["merge"] = how
        return Response(text, latency_s=latency, input_tokens=tokens_in, output_tokens=tokens_out,
                        sent_size=view0.size, encoder_size=encoder, attempts=attempts, raw=raw)

    @staticmethod
    def _encoder(view: View, r: Response) -> tuple[int, int] | None:
        """The inner encoder size, re-expressed for the view's region (None when the inner model does not know)."""
        if r.encoder_size is None or r.sent_size is None:
            return None
        return (int(r.encoder_size[0]), int(r.encoder_size[1]))


def _sum(values) -> int | None:
    vals = list(values)
    return None if any(v is None for v in vals) else int(sum(vals))


def vote(sample: Sample, responses: list[Response]) -> tuple[str, dict[str, Any]]:
    """The most frequent parsed answer over the passes (ties: the earliest pass); none parsed -> the first text."""
    from snellen.scoring.extract import extract

    parsed = []
    for i, r in enumerate(responses):
        ex = extract(sample.fields, r.text)
        if ex.status == "answer" and all(v is not None for v in ex.values.values()):
            parsed.append((i, json.dumps(ex.values, sort_keys=True)))
    if not parsed:
        return responses[0].text or "", {"rule": "vote", "parsed": 0, "chosen": None}
    counts: dict[str, list[int]] = {}
    for i, key in parsed:
        counts.setdefault(key, []).append(i)
    best = max(counts.items(), key=lambda kv: (len(kv[1]), -kv[1][0]))
    return best[0], {"rule": "vote", "parsed": len(parsed), "chosen": best[1][0], "votes": len(best[1])}


def any_yes(sample: Sample, responses: list[Response]) -> tuple[str, dict[str, Any]]:
    """Yes/no questions: yes when any pass answers yes (a target lies in one view); no when all parsed say no."""
    from snellen.scoring.extract import extract

    name = sample.fields[0].name
    said = []
    for r in responses:
        ex = extract(sample.fields, r.text)
        said.append(ex.values.get(name) if ex.status == "answer" else None)
    if "yes" in said:
        return json.dumps({name: "yes"}), {"rule": "any yes", "answers": said}
    if said and all(s == "no" for s in said):
        return json.dumps({name: "no"}), {"rule": "any yes", "answers": said}
    return responses[0].text or "", {"rule": "any yes", "answers": said, "chosen": None}


def merge_rule(sample: Sample) -> str | None:
    """How a per-view answer set becomes one answer, from the answer's structure (None: no rule preserves it).

    One target named by label/text fields -> vote; a single yes/no field -> any yes. Counts, lists and
    relations span the whole canvas and are cut by view borders: no rule.
    """
    fields = sample.fields
    if len(fields) == 1 and fields[0].kind == "label" and tuple(fields[0].options or ()) == ("yes", "no"):
        return "any_yes"
    if sample.count == 1 and all(f.kind in ("label", "text") for f in fields):
        return "vote"
    return None
