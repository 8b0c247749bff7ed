"""`probe:ENCODER`: a linear probe on a frozen encoder's features, answering like any model.

ENCODER is an encoder spec (models/encoders.py): `effnet-lite0[@SIZE]`, `clip:PATH`, `siglip:PATH`,
`dinov2:PATH`, or `vlm:PATH` (the VLM's own vision tower: is the knowledge in the encoder and lost after it?).
Where it learns (option, one of):
  dataset=SPEC   a fine-grained dataset (data/finegrained `open_finegrained`): trained on its training split,
                 C chosen on its validation split (or a seeded `val_fraction` of training, default 0.1);
                 answers that dataset's fine-grained samples (mc: the best of the options; closed: best of
                 all listed; open is refused: a probe's pick among its classes is the closed-world answer,
                 and calling it open-ended would compare it unfairly with a VLM naming the class unprompted).
                 `train_per_class=N`: a seeded N per class.
  suite=NAME     a probe suite: for each (task, cell) asked, `train_per_cell` (default 100) samples of that
                 cell from the suite's TRAIN seed range (never the exam's), `val_fraction` of them held out
                 to choose C (repeated images kept once). So a probe family (e.g. species) gets the probe's own threshold on the same probe.
Leakage is refused: exam images whose pixels equal a training or validation image's stop the fit (one line).
Identity = encoder identity (weights hash, preprocessing) + probe recipe (C grid, selection, validation, training
source): the store's cache key. Features are cached (models/features.py) under their content key.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from snellen.models.base import ErrorInfo, FreeBackend, Request, Response, register_backend
from snellen.models.choices import ANSWER_RULE, choices_of
from snellen.models.linear_probe import DEFAULT_CS, SOLVER, fit_linear_probe, split_off_validation
from snellen.schema import Sample, SnellenError


@register_backend("probe")
class ProbeBackend(FreeBackend):
    reads_prompt = False
    role = "probe"
    open_ended_refusal = ("a linear probe only picks among the classes it was trained on, which is the closed-world "
                          "answer, not an open one; use --protocol closed (every class listed) or mc<k>")

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(target, options)
        from snellen.models.encoders import load_encoder

        if not target:
            raise SnellenError("probe: give an encoder, e.g. probe:effnet-lite0 (see models/encoders.py)")
        self.dataset_spec = self.options.get("dataset")
        self.suite_spec = self.options.get("suite")
        if bool(self.dataset_spec) == bool(self.suite_spec):
            raise SnellenError("probe: give exactly one training source: --option dataset=SPEC or --option suite=NAME")
        self.train_per_cell = int(self.options.get("train_per_cell", 100))
        tpc = self.options.get("train_per_class")
        self.train_per_class = int(tpc) if tpc is not None else None
        self.val_fraction = float(self.options.get("val_fraction", 0.1))
        self.cache_dir = self.options.get("feature_cache")
        self.encoder = load_encoder(target)
        self._probes: dict[Any, Any] = {}
        self._dataset = None

    # -- identity -------------------------------------------------------------------------------------

    def identity(self) -> dict[str, Any]:
        source = ({"dataset": self._open_dataset().fingerprint(), "train_per_class": self.train_per_class} if self.dataset_spec else
                  {"suite": self._suite().manifest_hash, "train_per_cell": self.train_per_cell})
        return {"backend": "probe", "encoder": self.encoder.identity(), "answers": ANSWER_RULE,
                "probe": {"model": "multinomial logistic regression, L2", "Cs": list(DEFAULT_CS), "selected_on": "validation accuracy",
                          "solver": SOLVER,
                          "val_fraction": self.val_fraction, **source}}

    def transmission(self) -> dict[str, Any]:
        return {"format": "pixels", "resize": self.encoder.preprocessing()}

    def supports(self, sample: Sample) -> bool:
        fg = sample.extra.get("finegrained")
        if choices_of(sample) is None:  # open questions: see open_ended_refusal (recorded unsupported, as clip's)
            return False
        if self.dataset_spec:
            return fg is not None and fg.get("dataset") == self._open_dataset().name
        return fg is None

    # -- training sources -----------------------------------------------------------------------------

    def _open_dataset(self):
        if self._dataset is None:
            from snellen.data.finegrained import open_finegrained

            self._dataset = open_finegrained(self.dataset_spec)
            if self._dataset.train_split is None:
                raise SnellenError(f"probe: {self.dataset_spec} has no training split to train a probe on")
        return self._dataset

    def _suite(self):
        if not hasattr(self, "_suite_obj"):
            from snellen.probes.suite import load_suite

            self._suite_obj = load_suite(self.suite_spec)
        return self._suite_obj

    def _features(self, images, split: str):
        from snellen.models.features import extract

        return extract(self.encoder, images, split, cache_dir=self.cache_dir)

    def _train_dataset(self, exam_digests: np.ndarray):
        ds = self._open_dataset()
        train = ds.items(ds.train_split)
        if self.train_per_class is not None:  # a seeded per-class subset (data/finegrained/protocols.select)
            from snellen.data.finegrained.protocols import select

            train = select(ds, ds.train_split, per_class=self.train_per_class)
        F = self._features([it.pixels() for it in train], f"{ds.name}:{ds.train_split}")
        y = np.array([it.class_id for it in train])
        if ds.val_split:
            val = ds.items(ds.val_split)
            V = self._features([it.pixels() for it in val], f"{ds.name}:{ds.val_split}")
            Xt, yt, dt, Xv, yv, dv = F.X, y, F.digests, V.X, np.array([it.class_id for it in val]), V.digests
        else:
            tr, va = split_off_validation([it.key for it in train], self.val_fraction)
            Xt, yt, dt, Xv, yv, dv = F.X[tr], y[tr], F.digests[tr], F.X[va], y[va], F.digests[va]
        return fit_linear_probe(Xt, yt, Xv, yv, digests_train=dt, digests_val=dv, digests_test=exam_digests)

    def _train_cell(self, sample: Sample, exam_digests: np.ndarray):
        from snellen.probes.suite import WorkItem

        suite = self._suite()
        names = [e.name for e in suite.entries]
        if sample.task not in names:
            raise SnellenError(f"probe: task {sample.task!r} is not in suite {self.suite_spec!r} it trains on")
        ti = names.index(sample.task)
        cell = tuple(sorted(sample.cell.items()))
        samples = [suite.make(WorkItem(ti, cell, i), "train") for i in range(self.train_per_cell)]
        ch = [choices_of(s) for s in samples]
        images = [s.pixels() for s in samples]
        y = np.array([s.answer[c.field] for s, c in zip(samples, ch)])
        F = self._features(images, f"{suite.name}:{sample.task}:{cell}:train")
        # a generator can draw the same image twice: keep one copy, so validation never holds a training image
        first = {}
        for i, d in enumerate(F.digests):
            first.setdefault(bytes(d), i)
        keep = np.array(sorted(first.values()))
        tr, va = split_off_validation([samples[i].id for i in keep], self.val_fraction)
        tr, va = keep[tr], keep[va]
        return fit_linear_probe(F.X[tr], y[tr], F.X[va], y[va], digests_train=F.digests[tr], digests_val=F.digests[va],
                                digests_test=exam_digests)

    # -- answering ------------------------------------------------------------------------------------

    def answer(self, requests: list[Request]) -> list[Response]:
        from snellen.models.features import image_digests

        images = [r.sample.pixels() for r in requests]
        digests = image_digests(images)
        feats = self.encoder.embed(images)
        out = []
        for r, f, d, im in zip(requests, feats, digests, images):
            s, size = r.sample, (int(im.shape[1]), int(im.shape[0]))
            try:
                key = "dataset" if self.dataset_spec else (s.task, tuple(sorted(s.cell.items())))
                if key not in self._probes:
                    self._probes[key] = self._train_dataset(d[None]) if self.dataset_spec else self._train_cell(s, d[None])
                probe = self._probes[key]
                probe.check_unseen(d[None], f"exam sample {s.id}:")
                text, raw = self._choose(probe, f, s)
            except SnellenError as exc:
                out.append(Response(text=None, error=ErrorInfo("backend_error", f"probe: {exc}"), sent_size=size))
                continue
            out.append(Response(text=text, sent_size=size, encoder_size=(self.encoder.size, self.encoder.size), raw=raw))
        return out

    def _choose(self, probe, feature: np.ndarray, s: Sample) -> tuple[str, dict]:
        logits = probe.decision(feature[None])[0]
        index = {c: i for i, c in enumerate(probe.classes)}
        ch = choices_of(s)
        unknown = [c for c in ch.ids if c not in index]
        if unknown:
            raise SnellenError(f"option {unknown[0]!r} is not a class the probe was trained on")
        scores = np.array([logits[index[c]] for c in ch.ids])
        best = int(np.argmax(scores))
        return ch.answer_text(best), {"C": probe.C, "val_accuracy": probe.val_accuracy,
                                      "scores": {n: round(float(v), 4) for n, v in zip(ch.names, scores)},
                                      **({"fit_notes": probe.notes} if probe.notes else {})}

