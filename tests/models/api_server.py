"""A local server that speaks just enough OpenAI chat.completions, Anthropic messages and Gemini
generateContent for each official SDK, for testing API backends without a network.

It answers from the request itself: it decodes the image it was sent and replies with a JSON text naming
the pixel hash, size and `detail` it saw, so a test can prove the image travelled losslessly. Faults are
injected on a chosen share of attempts (or forced in arrival order by `plan`): 429 with Retry-After, 500,
503, hangs past the client's timeout, dropped connections, malformed bodies, bodies without choices,
empty content, and a 401 that echoes the key it was sent (as some real servers do).

The server runs an aiohttp app on its own event loop in a daemon thread, on 127.0.0.1 and a random port.
It is bounded: after `max_requests` attempts it answers 503 and stops itself, and it stops itself after
`lifetime_s` seconds whatever happens.

    with ApiServer(latency=0.01, faults=Faults(rate=0.3)) as server:
        server.openai_base_url      # http://127.0.0.1:PORT/v1
        server.anthropic_base_url   # http://127.0.0.1:PORT
        server.gemini_base_url      # http://127.0.0.1:PORT

Also runnable on its own (the concurrency benchmark starts it in a separate process):

    python tests/models/api_server.py --latency 0.1   # prints "PORT <n>", serves until stdin closes
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import hashlib
import io
import json
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from aiohttp import web
from PIL import Image

FAULT_KINDS = ("429", "500", "503", "timeout", "drop", "malformed", "nochoices", "empty", "401", "400", "400-detail",
               "400-text", "400-empty")


@dataclass
class Faults:
    """Which attempts fail, and how.

    rate:        share of attempts (after `plan`) that get a fault drawn uniformly from `kinds`
    plan:        outcomes forced on the first attempts in arrival order ("ok" or a fault kind)
    retry_after: seconds sent in Retry-After (and Gemini's RetryInfo) with every 429
    hang_s:      how long a "timeout" attempt sleeps before answering (set it past the client's timeout)
    """

    rate: float = 0.0
    kinds: tuple[str, ...] = ("429", "500", "timeout", "malformed")
    plan: list[str] = field(default_factory=list)
    retry_after: float | None = 0.05
    hang_s: float = 2.0
    seed: int = 0

    def __post_init__(self) -> None:
        for kind in (*self.kinds, *self.plan):
            if kind != "ok" and kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")


@dataclass
class Seen:
    """What the server saw in one attempt (no keys: only whether the expected one arrived)."""

    api: str
    model: str
    fault: str
    t: float
    auth_ok: bool | None = None
    prompt: str | None = None
    system: str | None = None
    images: list[dict[str, Any]] = field(default_factory=list)  # {sha256, w, h, mime, detail, png_sha256}
    settings: dict[str, Any] = field(default_factory=dict)
    usage: tuple[int, int] | None = None
    path: str = ""
    query: dict[str, str] = field(default_factory=dict)
    authorization: str | None = None  # the raw Authorization header (tests of URL credentials read it)


def pixel_hash(png: bytes) -> tuple[str, int, int]:
    """sha256 of the decoded RGB pixels (as an HxWx3 uint8 array) and the image size."""
    with Image.open(io.BytesIO(png)) as im:
        arr = np.asarray(im.convert("RGB"))
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest(), arr.shape[1], arr.shape[0]


def describe_image(data_b64: str, mime: str, detail: str | None, decode: bool = True) -> dict[str, Any]:
    if not decode:
        return {"mime": mime, "detail": detail, "bytes_b64": len(data_b64)}
    try:
        if "-" in data_b64 or "_" in data_b64:  # the Gemini SDK sends URL-safe base64, which the API accepts
            data_b64 = data_b64.translate(str.maketrans("-_", "+/"))
        png = base64.b64decode(data_b64, validate=True)
        sha, w, h = pixel_hash(png)
    except (binascii.Error, OSError, ValueError) as exc:
        return {"error": f"undecodable image: {exc}", "mime": mime, "detail": detail}
    return {"sha256": sha, "w": w, "h": h, "mime": mime, "detail": detail,
            "png_sha256": hashlib.sha256(png).hexdigest(), "png": png[:8] == b"\x89PNG\r\n\x1a\n"}


def default_answer(seen: Seen) -> str:
    """The reply text: what the server saw, as JSON (a test compares it with what it sent)."""
    return json.dumps({"images": seen.images, "prompt": seen.prompt, "system": seen.system,
                       "settings": seen.settings}, sort_keys=True)


class ApiServer:
    def __init__(
        self,
        *,
        latency: float = 0.0,
        faults: Faults | None = None,
        api_key: str | None = None,
        answer: Callable[[Seen], str] = default_answer,
        max_requests: int = 20_000,
        lifetime_s: float = 300.0,
        keep_log: bool = True,
        decode_images: bool = True,
        serial: bool = False,
    ):
        self.latency = latency
        self.faults = faults or Faults()
        self.api_key = api_key
        self.answer = answer
        self.max_requests = max_requests
        self.lifetime_s = lifetime_s
        self.keep_log = keep_log
        self.decode_images = decode_images  # False: answer without decoding (benchmarks measure the client)
        # serial: one request processed at a time, in arrival order, each taking `latency` (a local
        # `transformers serve` on one GPU); requests whose client gave up are still processed, as real
        # servers do, and `finished` counts every request processed.
        self.serial = serial
        self.finished = 0
        self._serial_lock: asyncio.Lock | None = None
        self.retry_after_header = True  # False: Gemini's 429s carry only the RetryInfo detail
        self.log: list[Seen] = []
        self.attempts = 0
        self.port: int | None = None
        self._rng = random.Random(self.faults.seed)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._stopped = threading.Event()
        self._error: BaseException | None = None

    # -- addresses -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.url

    @property
    def gemini_base_url(self) -> str:
        return self.url

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> ApiServer:
        self._thread = threading.Thread(target=self._serve, name="api-test-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("test API server did not start within 10 s")
        if self._error is not None:
            raise RuntimeError(f"test API server failed to start: {self._error}")
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is not None and not self._stopped.is_set():
            try:
                loop.call_soon_threadsafe(self._begin_shutdown)
            except RuntimeError:  # loop already closed
                pass
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> ApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._start_app())
        except BaseException as exc:  # report to the starting thread
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        loop.call_later(self.lifetime_s, self._begin_shutdown)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._runner.cleanup())
            loop.close()
            self._stopped.set()

    def _begin_shutdown(self) -> None:
        assert self._loop is not None
        self._loop.stop()

    async def _start_app(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._openai)
        app.router.add_post("/v1/messages", self._anthropic)
        app.router.add_post(r"/{version:v1beta|v1}/models/{model:[^:]+}:generateContent", self._gemini)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5, handler_cancellation=not self.serial)
        self._serial_lock = asyncio.Lock()
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    # -- shared machinery ------------------------------------------------------------------------
    def _draw_fault(self) -> str:
        i = self.attempts
        self.attempts += 1
        if i < len(self.faults.plan):
            return self.faults.plan[i]
        if self.faults.rate > 0 and self._rng.random() < self.faults.rate:
            return self._rng.choice(self.faults.kinds)
        return "ok"

    async def _begin(self, api: str, model: str, auth: str | None) -> tuple[Seen, web.Response | None]:
        """Count the attempt, draw its fault, wait the latency; a response here ends the attempt early."""
        if self.attempts >= self.max_requests:
            self._loop.call_soon(self._begin_shutdown)  # type: ignore[union-attr]
            return Seen(api, model, "budget", time.time()), web.json_response(
                {"error": {"message": "test server request budget exhausted"}}, status=503)
        seen = Seen(api=api, model=model, fault=self._draw_fault(), t=time.time())
        if self.api_key is not None:
            seen.auth_ok = auth == self.api_key
        if self.keep_log:
            self.log.append(seen)
        if self.serial:
            async with self._serial_lock:
                await asyncio.sleep(self.latency)
                self.finished += 1
        elif self.latency > 0:
            await asyncio.sleep(self.latency)
        return seen, None

    async def _fault_response(self, seen: Seen, request: web.Request, error_body: Callable[[int, str], dict],
                              sent_key: str | None) -> web.StreamResponse | None:
        f = seen.fault
        if f == "429":
            headers = {}
            if self.faults.retry_after is not None and self.retry_after_header:
                headers["Retry-After"] = f"{self.faults.retry_after:g}"
            return web.json_response(error_body(429, "rate limited (injected)"), status=429, headers=headers)
        if f in ("500", "503", "400"):
            return web.json_response(error_body(int(f), f"injected {f}"), status=int(f))
        if f == "400-detail":  # FastAPI's shape (transformers serve, many local servers)
            return web.json_response({"detail": "The model `nosuch-model` does not exist (injected)"}, status=400)
        if f == "400-text":
            return web.Response(text="model nosuch-model is not served here (injected)", status=400)
        if f == "400-empty":
            return web.Response(status=400)
        if f == "401":
            # Real servers sometimes echo (part of) the key they got; clients must redact it.
            return web.json_response(error_body(401, f"Incorrect API key provided: {sent_key}"), status=401)
        if f == "timeout":
            await asyncio.sleep(self.faults.hang_s)
            return None  # then answer normally (the client should have given up by now)
        if f == "drop":
            request.transport.close()  # type: ignore[union-attr]
            raise asyncio.CancelledError
        if f == "malformed":
            return web.Response(body=b'{"this is": not json', content_type="application/json")
        return None

    # -- OpenAI chat.completions -----------------------------------------------------------------
    async def _openai(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        auth = request.headers.get("Authorization", "")
        key = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        seen, early = await self._begin("openai", str(body.get("model")), key)
        seen.path, seen.query, seen.authorization = request.path, dict(request.query), auth or None
        if early is not None:
            return early

        def err(status: int, message: str) -> dict:
            kind = {429: "rate_limit_exceeded", 401: "invalid_api_key"}.get(status, "server_error")
            return {"error": {"message": message, "type": kind, "code": kind}}

        faulted = await self._fault_response(seen, request, err, key)
        if faulted is not None:
            return faulted
        for message in body.get("messages", []):
            content = message.get("content")
            if message.get("role") == "system":
                seen.system = content if isinstance(content, str) else json.dumps(content)
                continue
            for part in content if isinstance(content, list) else [{"type": "text", "text": content}]:
                if part.get("type") == "text":
                    seen.prompt = part["text"]
                elif part.get("type") == "image_url":
                    url = part["image_url"]["url"]
                    head, _, data = url.partition(",")
                    mime = head.removeprefix("data:").removesuffix(";base64")
                    seen.images.append(describe_image(data, mime, part["image_url"].get("detail"), self.decode_images))
        seen.settings = {k: body[k] for k in ("temperature", "max_tokens", "max_completion_tokens", "top_p", "seed")
                         if k in body}
        text = "" if seen.fault == "empty" else self.answer(seen)
        seen.usage = (len(seen.prompt or "") // 4 + 255, max(1, len(text) // 4))
        if seen.fault == "nochoices":
            return web.json_response({"id": "chatcmpl-x", "object": "chat.completion", "model": seen.model})
        return web.json_response({
            "id": f"chatcmpl-{seen.t:.6f}", "object": "chat.completion", "created": int(seen.t),
            "model": seen.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop",
                         "logprobs": None}],
            "usage": {"prompt_tokens": seen.usage[0], "completion_tokens": seen.usage[1],
                      "total_tokens": sum(seen.usage)},
        })

    # -- Anthropic messages ----------------------------------------------------------------------
    async def _anthropic(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        auth = request.headers.get("Authorization", "")
        key = request.headers.get("x-api-key") or (auth[len("Bearer "):] if auth.startswith("Bearer ") else None)
        seen, early = await self._begin("anthropic", str(body.get("model")), key)
        if early is not None:
            return early

        def err(status: int, message: str) -> dict:
            kind = {429: "rate_limit_error", 401: "authentication_error", 400: "invalid_request_error"}.get(
                status, "api_error")
            return {"type": "error", "error": {"type": kind, "message": message}}

        faulted = await self._fault_response(seen, request, err, key)
        if faulted is not None:
            return faulted
        system = body.get("system")
        seen.system = system if isinstance(system, str) or system is None else json.dumps(system)
        for message in body.get("messages", []):
            content = message.get("content")
            for part in content if isinstance(content, list) else [{"type": "text", "text": content}]:
                if part.get("type") == "text":
                    seen.prompt = part["text"]
                elif part.get("type") == "image":
                    src = part["source"]
                    seen.images.append(describe_image(src["data"], src["media_type"], None, self.decode_images))
        seen.settings = {k: body[k] for k in ("temperature", "max_tokens", "top_p") if k in body}
        text = "" if seen.fault == "empty" else self.answer(seen)
        seen.usage = (len(seen.prompt or "") // 4 + 268, max(1, len(text) // 4))
        if seen.fault == "nochoices":
            return web.json_response({"id": "msg_x", "type": "message", "role": "assistant", "model": seen.model})
        return web.json_response({
            "id": f"msg_{int(seen.t * 1e6)}", "type": "message", "role": "assistant", "model": seen.model,
            "content": [] if seen.fault == "empty" else [{"type": "text", "text": text}],
            "stop_reason": "end_turn", "stop_sequence": None,
            "usage": {"input_tokens": seen.usage[0], "output_tokens": seen.usage[1]},
        })

    # -- Gemini generateContent ------------------------------------------------------------------
    async def _gemini(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        key = request.headers.get("x-goog-api-key") or request.query.get("key")
        seen, early = await self._begin("gemini", request.match_info["model"], key)
        if early is not None:
            return early

        def err(status: int, message: str) -> dict:
            code = {429: "RESOURCE_EXHAUSTED", 401: "UNAUTHENTICATED", 400: "INVALID_ARGUMENT",
                    503: "UNAVAILABLE"}.get(status, "INTERNAL")
            details = []
            if status == 429 and self.faults.retry_after is not None:
                details.append({"@type": "type.googleapis.com/google.rpc.RetryInfo",
                                "retryDelay": f"{self.faults.retry_after:g}s"})
            return {"error": {"code": status, "message": message, "status": code, "details": details}}

        faulted = await self._fault_response(seen, request, err, key)
        if faulted is not None:
            return faulted
        system = body.get("systemInstruction") or body.get("system_instruction")
        if system:
            seen.system = " ".join(p.get("text", "") for p in system.get("parts", []))
        for content in body.get("contents", []):
            for part in content.get("parts", []):
                inline = part.get("inlineData") or part.get("inline_data")
                if inline:
                    mime = inline.get("mimeType") or inline.get("mime_type")
                    seen.images.append(describe_image(inline["data"], mime, None, self.decode_images))
                elif "text" in part:
                    seen.prompt = part["text"]
        config = body.get("generationConfig") or body.get("generation_config") or {}
        seen.settings = {k: config[k] for k in ("temperature", "maxOutputTokens", "topP", "seed", "mediaResolution")
                         if k in config}
        text = "" if seen.fault == "empty" else self.answer(seen)
        seen.usage = (len(seen.prompt or "") // 4 + 258, max(1, len(text) // 4))
        if seen.fault == "nochoices":
            return web.json_response({"modelVersion": seen.model})
        return web.json_response({
            "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP",
                            "index": 0}],
            "usageMetadata": {"promptTokenCount": seen.usage[0], "candidatesTokenCount": seen.usage[1],
                              "totalTokenCount": sum(seen.usage)},
            "modelVersion": seen.model,
        })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--lifetime", type=float, default=600.0)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--no-decode", action="store_true", help="answer without decoding images (benchmarks)")
    args = parser.parse_args()
    server = ApiServer(latency=args.latency, faults=Faults(rate=args.fault_rate), max_requests=args.max_requests,
                       lifetime_s=args.lifetime, keep_log=False, decode_images=not args.no_decode)
    with server:
        print(f"PORT {server.port}", flush=True)
        sys.stdin.read()  # serve until the parent closes our stdin (or the lifetime runs out)


if __name__ == "__main__":
    main()
