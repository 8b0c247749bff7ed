"""A deterministic 'model' behind the OpenAI-compatible test server, for harness round trips.

It recognises each probe by the hash of the pixels it was sent (the same hash tests/models/api_server.py
computes) and answers from that and the prompt: right (JSON), wrong (JSON with every value changed), prose
the extractor must read, or a refusal, chosen by a hash of image and prompt. The same image and prompt always
get the same text, so snellen's own eval and a harness run of the same model must agree sample by sample;
an image that was changed on the way (resized, JPEG) is not recognised and gets a fixed unreadable reply.

    python tests/interop/fake_vlm.py EXPORT_DIR   # prints "PORT <n>", serves until stdin closes
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
from api_server import ApiServer, Seen  # noqa: E402

UNKNOWN_IMAGE = "I do not recognise this image."


def rgb_sha256(png: bytes) -> str:
    with Image.open(io.BytesIO(png)) as im:
        return hashlib.sha256(np.ascontiguousarray(np.asarray(im.convert("RGB"))).tobytes()).hexdigest()


def _wrong(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return "zebra" if value != "zebra" else "yak"
    if isinstance(value, list):
        return list(reversed(value)) if len(value) > 1 else ["zebra"]
    if isinstance(value, dict):
        return {k: _wrong(v) for k, v in value.items()}
    return value


def reply(answer: dict, key: str) -> str:
    kind = int(hashlib.sha256(key.encode()).hexdigest(), 16) % 4
    if kind == 0:
        return json.dumps(answer)
    if kind == 1:
        return json.dumps({k: _wrong(v) for k, v in answer.items()})
    if kind == 2:
        first = next(iter(answer.values()))
        return f"Looking closely, I think the answer is {first if isinstance(first, (str, int)) else json.dumps(first)}."
    return "I'm sorry, but I can't help with identifying that."


class FakeVLM:
    """answers[rgb sha256] -> the sample's answer dict."""

    def __init__(self, answers: dict[str, dict]):
        self.answers = answers
        self.unknown = 0

    @classmethod
    def from_samples(cls, samples) -> FakeVLM:
        return cls({rgb_sha256(s.png_bytes()): s.answer for s in samples})

    def __call__(self, seen: Seen) -> str:
        sha = seen.images[0].get("sha256") if seen.images else None
        if sha not in self.answers:
            self.unknown += 1
            return UNKNOWN_IMAGE
        return reply(self.answers[sha], f"{sha}|{seen.prompt}")


def serve(samples) -> ApiServer:
    return ApiServer(answer=FakeVLM.from_samples(samples), lifetime_s=600).start()


if __name__ == "__main__":
    from snellen.data import open_dataset  # noqa: F401

    sys.exit("use from tests")
