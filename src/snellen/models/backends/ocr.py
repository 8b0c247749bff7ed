"""OCR engines as specialist observers: `ocr:rapidocr` (PP-OCR through ONNX Runtime) and `ocr:tesseract`.

They answer only the text families (letter, digit, word, text_order, letter_count); every other family is
unsupported, never wrong. The engine reads the PNG at its native size (no resize by snellen, and the
engines are configured not to resize for detection either), and the answer is built from the readings by
a fixed rule that never looks at the sample's answer:

* letter / digit: readings in decreasing confidence; the first whose alphanumerics, upper-cased, form
  exactly one character among the field's options is the answer. None -> empty text (scored
  unparseable, never a random guess). Tesseract reads these with --psm 10 (one character) and a
  whitelist of the options; RapidOCR has no whitelist.
* word: the most confident reading's letters, upper-cased; none -> empty text.
* text_order: every word read (readings split on spaces; a word's position is interpolated along its
  line box), sorted by box centre along the asked axis. The axis comes from the sample's
  answer-independent metadata (extra/cell "direction" or "axis"), else from the prompt's wording.
* letter_count: total = words read; with_letter = words containing the asked letter (extra/cell
  "letter", else the prompt's "letter 'X'").

Response.raw keeps every reading (text, score, box) and the rule that made the answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from snellen.models.base import Backend, ErrorInfo, Request, Response, register_backend
from snellen.schema import Sample, SnellenError

PIP_HINT = "pip install 'snellen[ocr]'"
FAMILIES = frozenset({"letter", "digit", "word", "text_order", "letter_count"})
DIRECTIONS = {"left to right": ("x", False), "right to left": ("x", True), "top to bottom": ("y", False), "bottom to top": ("y", True)}


@dataclass
class Reading:
    """One text box an engine read: its text, confidence in [0, 1] and pixel box (x0, y0, x1, y1)."""

    text: str
    score: float
    box: tuple[float, float, float, float]


# --- the answer rule (pure; no engine) ------------------------------------------------------------


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def words_of(readings: list[Reading]) -> list[Reading]:
    """Split line readings into words; each word's box is interpolated along its line by character offset."""
    out = []
    for r in readings:
        text = r.text
        x0, y0, x1, y1 = r.box
        for m in re.finditer(r"\S+", text):
            letters = re.sub(r"[^A-Za-z]", "", m.group()).upper()
            if not letters:
                continue
            a, b = m.start() / max(len(text), 1), m.end() / max(len(text), 1)
            out.append(Reading(letters, r.score, (x0 + a * (x1 - x0), y0, x0 + b * (x1 - x0), y1)))
    return out


def _meta(sample: Sample, key: str) -> Any:
    return sample.extra.get(key, sample.cell.get(key))


def reading_direction(sample: Sample) -> tuple[str, bool] | None:
    """(axis, reverse) from the sample's answer-independent metadata, else from the prompt's wording."""
    d = _meta(sample, "direction")
    if isinstance(d, str):
        d = d.lower().replace("_", " ").removeprefix("from ").strip()
        if d in DIRECTIONS:
            return DIRECTIONS[d]
    axis = _meta(sample, "axis")
    if axis in ("x", "y"):
        return axis, False
    m = re.search(r"from (left to right|right to left|top to bottom|bottom to top)", sample.prompts.get("json", ""))
    return DIRECTIONS[m.group(1)] if m else None


def asked_letter(sample: Sample) -> str | None:
    letter = _meta(sample, "letter")
    if isinstance(letter, str) and len(letter) == 1:
        return letter.upper()
    m = re.search(r"letter ['\"]?([A-Za-z])['\"]?", sample.prompts.get("json", ""))
    return m.group(1).upper() if m else None


def answer_text(sample: Sample, readings: list[Reading]) -> tuple[str, dict[str, Any]]:
    """The answer JSON text for a sample from an engine's readings, and how it was chosen.

    Raises SnellenError when the sample lacks what the rule needs (family, axis, letter).
    """
    family, fields = sample.family, sample.fields
    if family in ("letter", "digit"):
        options = set(fields[0].options or ())
        for r in sorted(readings, key=lambda r: -r.score):
            chars = re.sub(r"[^0-9A-Za-z]", "", r.text).upper()
            if len(chars) == 1 and chars in options:
                return json.dumps({fields[0].name: chars}), {"rule": "most confident single option character", "chosen": asdict(r)}
        return "", {"rule": "no single option character read"}
    if family == "word":
        for r in sorted(readings, key=lambda r: -r.score):
            letters = re.sub(r"[^A-Za-z]", "", r.text).upper()
            if letters:
                return json.dumps({fields[0].name: letters}), {"rule": "most confident reading", "chosen": asdict(r)}
        return "", {"rule": "no word read"}
    if family == "text_order":
        direction = reading_direction(sample)
        if direction is None:
            raise SnellenError(f"sample {sample.id}: no reading direction in its metadata or prompt")
        axis, reverse = direction
        i = 0 if axis == "x" else 1
        words = sorted(words_of(readings), key=lambda w: ((w.box[i] + w.box[i + 2]) / 2, (w.box[1 - i] + w.box[3 - i]) / 2))
        if reverse:
            words.reverse()
        return json.dumps({fields[0].name: [w.text for w in words]}), {"rule": f"words by box centre along {axis}", "reverse": reverse}
    if family == "letter_count":
        letter = asked_letter(sample)
        if letter is None:
            raise SnellenError(f"sample {sample.id}: no asked letter in its metadata or prompt")
        words = [w.text for w in words_of(readings)]
        names = [f.name for f in fields]
        answer = {names[0]: len(words), names[1]: sum(letter in w for w in words)}
        return json.dumps(answer), {"rule": f"count words; count words containing {letter}", "words": words}
    raise SnellenError(f"family {family!r} is not read by OCR")


# --- engines --------------------------------------------------------------------------------------


class RapidOCREngine:
    name = "rapidocr"

    def __init__(self, options: dict[str, Any]):
        try:
            import onnxruntime
            import rapidocr
        except ImportError as exc:
            raise SnellenError(f"ocr:rapidocr needs rapidocr and onnxruntime ({exc.name} is missing): {PIP_HINT}") from None
        models = Path(rapidocr.__file__).parent / "models"
        det, rec = sorted(models.glob("*det*.onnx")), sorted(models.glob("*rec*.onnx"))
        if len(det) != 1 or len(rec) != 1:
            raise SnellenError(
                f"ocr:rapidocr: expected one bundled det and one rec model in {models}, found "
                f"{[p.name for p in det + rec]}; snellen never downloads models ({PIP_HINT})"
            )
        self.models = {"det": det[0], "rec": rec[0]}
        limit = int(options.get("max_side", 4096))
        # Explicit bundled model paths: RapidOCR's download code is never reached. Detection runs at
        # native size ('max' limit above any probe size); the upright probes need no angle classifier.
        params = {
            "Global.log_level": "error", "Global.use_cls": False, "Global.max_side_len": limit,
            "Det.model_path": str(det[0]), "Det.limit_type": "max", "Det.limit_side_len": limit,
            "Rec.model_path": str(rec[0]),
        }
        threads = options.get("threads")
        if threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = int(threads)
        self.params = params
        self.engine = rapidocr.RapidOCR(params=params)
        self.versions = {"rapidocr": rapidocr.__version__ if hasattr(rapidocr, "__version__") else _version("rapidocr"),
                         "onnxruntime": onnxruntime.__version__}

    def identity(self) -> dict[str, Any]:
        return {
            **self.versions,
            "models": {k: {"file": p.name, "sha256": _sha256(str(p))} for k, p in self.models.items()},
            "config": {k: v for k, v in self.params.items() if not k.endswith("model_path")},
        }

    def read(self, image: np.ndarray, sample: Sample) -> list[Reading]:
        out = self.engine(np.ascontiguousarray(image[:, :, ::-1]))  # RapidOCR takes OpenCV's BGR order
        if out.boxes is None or out.txts is None:
            return []
        return [
            Reading(str(t), float(s), (float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 0].max()), float(b[:, 1].max())))
            for b, t, s in zip(out.boxes, out.txts, out.scores)
        ]

    def read_batch(self, images: list[np.ndarray], samples: list[Sample]) -> list[tuple[list[Reading] | Exception, float]]:
        # RapidOCR takes one image per call (it batches the text crops of that image internally).
        return [_timed(self.read, im, s) for im, s in zip(images, samples)]


class TesseractEngine:
    name = "tesseract"

    def __init__(self, options: dict[str, Any]):
        try:
            import pytesseract
        except ImportError:
            raise SnellenError(f"ocr:tesseract needs pytesseract: {PIP_HINT}") from None
        try:
            self.version = str(pytesseract.get_tesseract_version())
        except (pytesseract.TesseractNotFoundError, OSError):
            raise SnellenError("ocr:tesseract needs the tesseract program: apt-get install tesseract-ocr tesseract-ocr-eng") from None
        self.lang = str(options.get("lang", "eng"))
        if self.lang not in pytesseract.get_languages(config=""):
            raise SnellenError(f"ocr:tesseract: language {self.lang!r} is not installed: apt-get install tesseract-ocr-{self.lang}")
        self.pytesseract = pytesseract
        self.workers = int(options.get("threads", os.cpu_count() or 1))

    def identity(self) -> dict[str, Any]:
        return {"tesseract": self.version, "pytesseract": _version("pytesseract"), "lang": self.lang,
                "config": {"letter/digit": "--psm 10 + options whitelist", "text": "--psm 11"}}

    def config_for(self, sample: Sample) -> str:
        if sample.family in ("letter", "digit"):
            chars = "".join(sorted(sample.fields[0].options or ()))
            return f"--psm 10 -c tessedit_char_whitelist={chars}"
        return "--psm 11"

    def read(self, image: np.ndarray, sample: Sample) -> list[Reading]:
        pt = self.pytesseract
        d = pt.image_to_data(image, lang=self.lang, config=self.config_for(sample), output_type=pt.Output.DICT)
        out = []
        for text, conf, x, y, w, h in zip(d["text"], d["conf"], d["left"], d["top"], d["width"], d["height"]):
            if str(text).strip() and float(conf) >= 0:
                out.append(Reading(str(text), float(conf) / 100.0, (float(x), float(y), float(x + w), float(y + h))))
        return out

    def read_batch(self, images: list[np.ndarray], samples: list[Sample]) -> list[tuple[list[Reading] | Exception, float]]:
        # One tesseract process per image; run them side by side.
        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(images)))) as pool:
            return list(pool.map(lambda a: _timed(self.read, *a), zip(images, samples)))


ENGINES = {"rapidocr": RapidOCREngine, "tesseract": TesseractEngine}


def _timed(fn, *args) -> tuple[list[Reading] | Exception, float]:
    t0 = time.perf_counter()
    try:
        result = fn(*args)
    except Exception as exc:  # noqa: BLE001 (one image's engine failure becomes that request's error)
        result = exc
    return result, time.perf_counter() - t0


@lru_cache(maxsize=8)
def _sha256(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()[:16]


# --- the backend ----------------------------------------------------------------------------------


@register_backend("ocr")
class OCRBackend(Backend):
    """`ocr:rapidocr` or `ocr:tesseract`. Options: threads, max_side (rapidocr), lang (tesseract)."""
    role = "reference"

    families = FAMILIES
    reads_prompt = False

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(target or "rapidocr", options)
        if self.target not in ENGINES:
            raise SnellenError(f"unknown OCR engine {self.target!r} in 'ocr:{self.target}'; known: {', '.join(sorted(ENGINES))}")
        self.engine = ENGINES[self.target](self.options)

    def identity(self) -> dict[str, Any]:
        return {"backend": "ocr", "model": self.target, "engine": self.engine.name, **self.engine.identity()}

    def transmission(self) -> dict[str, Any]:
        return {"format": "png", "resize": None, "decoded": "RGB, native size"}

    def manifest(self) -> dict[str, Any]:
        return self.identity()

    def estimate_tokens(self, request: Request) -> tuple[int, int]:
        return (0, 0)

    def answer(self, requests: list[Request]) -> list[Response]:
        responses: list[Response | None] = [None] * len(requests)
        todo = []
        for i, req in enumerate(requests):
            if not self.supports(req.sample):
                responses[i] = Response(None, ErrorInfo("unsupported", f"OCR does not answer the {req.sample.family!r} family"))
            else:
                todo.append(i)
        if todo:
            images = [requests[i].sample.pixels() for i in todo]
            results = self.engine.read_batch(images, [requests[i].sample for i in todo])
            for i, image, (readings, latency) in zip(todo, images, results):
                responses[i] = self._respond(requests[i].sample, image, readings, latency)
        return responses  # type: ignore[return-value]

    def _respond(self, sample: Sample, image: np.ndarray, readings, latency: float) -> Response:
        size = (int(image.shape[1]), int(image.shape[0]))
        if isinstance(readings, Exception):
            return Response(None, ErrorInfo("backend_error", f"{self.engine.name}: {type(readings).__name__}: {readings}"),
                            latency_s=latency, sent_size=size, encoder_size=size)
        raw: dict[str, Any] = {"engine": self.engine.name, "readings": [asdict(r) for r in readings]}
        try:
            text, how = answer_text(sample, readings)
        except SnellenError as exc:
            return Response(None, ErrorInfo("bad_request", str(exc)), latency_s=latency, sent_size=size,
                            encoder_size=size, raw=raw)
        raw.update(how)
        return Response(text, latency_s=latency, sent_size=size, encoder_size=size, raw=raw)
