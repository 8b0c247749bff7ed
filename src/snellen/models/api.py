"""What every API backend shares: retries with honest attempt counts, rate limits, timeouts, key hygiene,
and lossless image transmission.

- Retries: exponential backoff with jitter on 429, 5xx, timeouts, dropped connections and malformed bodies,
  honouring Retry-After, capped by the `max_retries` option. The SDKs' own retries are switched off
  (max_retries=0) so every HTTP attempt is counted once, here, in `Response.attempts`.
- After the cap, a request ends as a `Response` with an `ErrorInfo` (never as text): kinds rate_limit,
  server_error, timeout, connection, malformed_response, bad_request, auth.
- Keys come only from the environment and are never stored on the backend; identity(), transmission(),
  manifest() never hold them, and error messages are scrubbed of them (some servers echo the key back).
- Images travel as the sample's own PNG bytes at native size. Resizing happens only when the user sets
  `max_side`, with a stated filter, and is recorded in transmission(), which is part of the cache key.

Options (all API backends; values may be strings, as from the command line):
  concurrency (16)  requests in flight          max_retries (6)    retries after the first attempt
  timeout (180)     seconds per attempt          backoff (1.0)      first retry delay in s (doubles)
  backoff_max (60)  longest backoff delay in s   max_retry_after (300) give up if told to wait longer
  rpm (none)        requests per minute cap      api_key_env        env var holding the key
  base_url          API endpoint override        max_side (none)    downscale longer side to this (px)
  resize_filter (lanczos)                        price_in / price_out  USD per 1M tokens (override)
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import math
import os
import random
import re
import struct
import sys
import time
from dataclasses import dataclass
from typing import Any, ClassVar

from snellen.models.base import Backend, ErrorInfo, Request, Response
from snellen.schema import Sample, SnellenError

ERROR_KINDS = ("rate_limit", "server_error", "timeout", "connection", "malformed_response", "bad_request", "auth")
RETRYABLE = frozenset({"rate_limit", "server_error", "timeout", "connection", "malformed_response"})
RESIZE_FILTERS = ("lanczos", "bicubic", "bilinear", "box", "hamming", "nearest")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_MESSAGE = 500


class ApiFailure(Exception):
    """One failed attempt, classified. `retry_after` is the server's requested wait in seconds, if any."""

    def __init__(self, kind: str, message: str, *, retry_after: float | None = None, status: int | None = None):
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown API error kind {kind!r}")
        super().__init__(message)
        self.kind, self.message, self.retry_after, self.status = kind, message, retry_after, status


def kind_for_status(status: int) -> str:
    if status == 429:
        return "rate_limit"
    if status == 408:
        return "timeout"
    if status in (401, 403):
        return "auth"
    if status >= 500 or status == 409:  # 409: transient lock conflict, retried by the SDKs themselves too
        return "server_error"
    return "bad_request"


def parse_retry_after(headers: Any) -> float | None:
    """Seconds to wait from `retry-after-ms` or `retry-after` (seconds or an HTTP date); None if absent."""
    if headers is None:
        return None
    try:
        ms = headers.get("retry-after-ms")
        if ms is not None:
            return max(0.0, float(ms) / 1000.0)
        value = headers.get("retry-after")
    except (AttributeError, TypeError, ValueError):
        return None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def redact(text: str, secrets: list[str]) -> str:
    """`text` with every secret (and any `sk-...`-looking token) blotted out, truncated to a sane length."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "<redacted>")
    text = re.sub(r"\b(sk-[A-Za-z0-9_\-]{6})[A-Za-z0-9_\-]+", r"\1...<redacted>", text)
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + "..."


# -- options --------------------------------------------------------------------------------------

def _opt(options: dict[str, Any], name: str, default: Any, cast: type, spec: str, low: float | None = None) -> Any:
    value = options.get(name, default)
    if value is None or value == "":
        return default
    try:
        out = cast(value)
    except (TypeError, ValueError):
        raise SnellenError(f"option {name}={value!r} for {spec} is not a {cast.__name__}") from None
    if low is not None and out < low:
        raise SnellenError(f"option {name}={value!r} for {spec} must be >= {low}")
    return out


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 6
    backoff_s: float = 1.0
    backoff_max_s: float = 60.0
    timeout_s: float = 180.0
    max_retry_after_s: float = 300.0

    @classmethod
    def from_options(cls, options: dict[str, Any], spec: str) -> RetryPolicy:
        return cls(
            max_retries=_opt(options, "max_retries", cls.max_retries, int, spec, 0),
            backoff_s=_opt(options, "backoff", cls.backoff_s, float, spec, 0),
            backoff_max_s=_opt(options, "backoff_max", cls.backoff_max_s, float, spec, 0),
            timeout_s=_opt(options, "timeout", cls.timeout_s, float, spec, 0.001),
            max_retry_after_s=_opt(options, "max_retry_after", cls.max_retry_after_s, float, spec, 0),
        )

    def delay(self, retry: int, retry_after: float | None, rng: random.Random) -> float:
        """Wait before retry number `retry` (1-based): equal-jitter exponential backoff, at least Retry-After."""
        step = min(self.backoff_max_s, self.backoff_s * 2 ** (retry - 1))
        wait = step / 2 + rng.uniform(0, step / 2)
        return max(wait, retry_after or 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {"max_retries": self.max_retries, "backoff_s": self.backoff_s, "backoff_max_s": self.backoff_max_s,
                "timeout_s": self.timeout_s, "max_retry_after_s": self.max_retry_after_s}


class RateLimiter:
    """At most `rpm` request starts per minute, evenly spaced (no bursts), shared by every task of a backend.

    Slots are reserved without awaiting, which is atomic on an event loop, so no lock (and no loop binding)."""

    def __init__(self, rpm: float):
        self.interval = 60.0 / rpm
        self._next = 0.0

    async def acquire(self) -> None:
        now = time.monotonic()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


class AdaptiveConcurrency:
    """Requests in flight to one server, adapted to what it can take.

    Starts at the `concurrency` option. A server that queues requests (a local `transformers serve`, one
    GPU) makes waiting requests time out while it is still working on them: retrying them at once would
    multiply its load. So every attempt that times out halves the limit and leaves a *phantom* (the
    abandoned request the server is presumably still processing); each answer retires one phantom, and
    after `limit` answers in a row the limit grows by one, back toward the start. A new attempt waits while
    ours in flight + phantoms >= limit, except that one attempt may always go when none of ours is in flight.
    Each new low is announced once on stderr (`note`), naming the server and suggesting --concurrency."""

    def __init__(self, start: int, where: str = "the server", timeout_s: float | None = None):
        self.start = self.limit = self.lowest = max(1, int(start))
        self.where, self.timeout_s = where, timeout_s
        self.active = self.phantoms = self.timeouts = 0
        self._ok_run = 0
        self._waiters: list[asyncio.Future] = []

    async def acquire(self) -> None:
        while self.active and self.active + self.phantoms >= self.limit:
            fut = asyncio.get_running_loop().create_future()
            self._waiters.append(fut)
            try:
                await fut
            finally:
                if fut in self._waiters:
                    self._waiters.remove(fut)
        self.active += 1

    def release(self, outcome: str) -> None:
        """outcome: ok | timeout | error | cancelled."""
        self.active = max(0, self.active - 1)
        if outcome == "timeout":
            self.timeouts += 1
            self.phantoms += 1
            self._ok_run = 0
            old, self.limit = self.limit, max(1, self.limit // 2)
            if self.limit < self.lowest:
                self.lowest = self.limit
                self.note(old)
        elif outcome == "ok":
            self.phantoms = max(0, self.phantoms - 1)
            self._ok_run += 1
            if self._ok_run >= self.limit and self.limit < self.start:
                self.limit += 1
                self._ok_run = 0
        for fut in self._waiters:  # wake every waiter; each re-checks the limit
            if not fut.done():
                fut.set_result(None)
        self._waiters.clear()

    def note(self, old: int) -> None:
        wait = f" (timeout={self.timeout_s:g} s)" if self.timeout_s else ""
        if self.limit > 1:
            msg = (f"{self.where}: {self.timeouts} request(s) timed out{wait}; lowering requests in flight from "
                   f"{old} to {self.limit}. A server that answers one request at a time wants --concurrency 1.")
        else:
            msg = (f"{self.where}: requests time out{wait} and are now sent one at a time; if they still time "
                   "out, the server is slower than the timeout: raise --option timeout=SECONDS (and keep "
                   "--concurrency 1 for a server that answers one request at a time).")
        print(f"note: {msg}", file=sys.stderr, flush=True)

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "lowest": self.lowest, "timeouts": self.timeouts}


_URL_USERINFO = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#\s]*@(?=[^@/?#\s]*(?:[/?#\s]|$))")
_URL_QUERY_VALUE = re.compile(r"([?&][^=&#\s/]+)=[^&#\s@]*")


def scrub_urls(text: str) -> str:
    """`text` with the credentials of any URL in it hidden: user:pass@ and query-string values."""
    return _URL_QUERY_VALUE.sub(r"\1=<redacted>", _URL_USERINFO.sub(r"\1<redacted>@", text))


@dataclass(frozen=True)
class BaseUrl:
    """An API base URL split into where requests go (`url`: scheme, host, port, path) and the credentials
    it carried (user:pass@ and query parameters), which are sent with every request and never stored:
    `display` shows them as <redacted>, `secrets()` lists their values for scrubbing."""

    url: str
    query: tuple[tuple[str, str], ...] = ()
    username: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, text: str, spec: str = "") -> BaseUrl:
        from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

        where = f"model spec {spec}: " if spec else ""
        try:
            p = urlsplit(text.strip())
            port = p.port
        except ValueError as exc:
            raise SnellenError(f"{where}bad base URL {scrub_urls(text)!r} ({exc})") from None
        if p.scheme not in ("http", "https") or not p.hostname:
            raise SnellenError(f"{where}base URL {scrub_urls(text)!r} must be http(s)://host[:port]/...")
        host = f"[{p.hostname}]" if ":" in p.hostname else p.hostname
        netloc = host + (f":{port}" if port is not None else "")
        url = urlunsplit((p.scheme, netloc, p.path.rstrip("/"), "", ""))
        return cls(url=url, query=tuple(parse_qsl(p.query, keep_blank_values=True)),
                   username=unquote(p.username) if p.username else None,
                   password=unquote(p.password) if p.password else None)

    @property
    def has_credentials(self) -> bool:
        return bool(self.query or self.username or self.password)

    @property
    def display(self) -> str:
        """The URL as stored and printed: credentials shown as <redacted>."""
        if not self.has_credentials:
            return self.url
        scheme, _, rest = self.url.partition("://")
        user = "<redacted>@" if (self.username or self.password) else ""
        query = "&".join(f"{k}=<redacted>" for k, _ in self.query)
        return f"{scheme}://{user}{rest}" + (f"?{query}" if query else "")

    def headers(self) -> dict[str, str]:
        if not (self.username or self.password):
            return {}
        import base64

        token = base64.b64encode(f"{self.username or ''}:{self.password or ''}".encode()).decode("ascii")
        return {"Authorization": f"Basic {token}"}

    def secrets(self) -> list[str]:
        out = [v for _, v in self.query] + [self.username or "", self.password or ""]
        out += [h.split(" ", 1)[1] for h in self.headers().values()]
        return [v for v in out if v and len(v) >= 4]


def reachability_problem(url: str, display: str, timeout_s: float) -> str | None:
    """Why a TCP connection to `url`'s host and port fails (None when it opens). Skipped (None) when a proxy
    is configured: then the proxy, not this machine, connects."""
    import socket
    from urllib.parse import urlsplit

    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")):
        return None
    p = urlsplit(url)
    port = p.port or (443 if p.scheme == "https" else 80)
    try:
        socket.create_connection((p.hostname, port), timeout=timeout_s).close()
    except ConnectionRefusedError:
        return f"cannot reach {display}: connection refused (is the server running, on that port?)"
    except socket.gaierror:
        return f"cannot reach {display}: host {p.hostname!r} not found (check the URL, or the network)"
    except TimeoutError:
        return f"cannot reach {display}: no connection within {timeout_s:g} s (firewall, wrong host, or offline?)"
    except OSError as exc:
        return f"cannot reach {display}: {exc.strerror or exc}"
    return None


# -- images ---------------------------------------------------------------------------------------

def png_size(png: bytes) -> tuple[int, int] | None:
    """(w, h) from a PNG's IHDR chunk, or None if these bytes are not a PNG."""
    if len(png) < 24 or png[:8] != _PNG_SIGNATURE or png[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", png[16:24])


@dataclass(frozen=True)
class ImagePayload:
    png: bytes
    native_size: tuple[int, int]
    sent_size: tuple[int, int]


def prepare_image(sample: Sample, max_side: int | None = None, resize_filter: str = "lanczos") -> ImagePayload:
    """The sample's image as PNG bytes: its own PNG when it has one, else its pixels encoded losslessly;
    downscaled only when `max_side` asks for it."""
    from snellen.probes.encode import encode_png

    png = sample.png_bytes()
    size = png_size(png)
    if size is None:  # not a PNG (e.g. an external dataset's JPEG): send the decoded pixels, losslessly
        pixels = sample.pixels()
        png, size = encode_png(pixels), (pixels.shape[1], pixels.shape[0])
    if max_side is None or max(size) <= max_side:
        return ImagePayload(png, size, size)
    import numpy as np
    from PIL import Image

    scale = max_side / max(size)
    new = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
    resample = getattr(Image.Resampling, resize_filter.upper())
    resized = Image.fromarray(sample.pixels()).resize(new, resample=resample)
    return ImagePayload(encode_png(np.asarray(resized.convert("RGB"))), size, new)


def _floor(x: float) -> int:
    """floor, forgiving float error (1568/3000*3000 is 1567.99...)."""
    return max(1, math.floor(x + 1e-6))


def openai_tile_size(w: int, h: int) -> tuple[int, int]:
    """Image size OpenAI's high-detail tiling sees (documented rule, GPT-4o/4.1 family): scaled to fit within
    2048 x 2048, then scaled so the shortest side is 768 px. Our reading: both steps only shrink (the docs'
    examples only ever scale down), so a 448 x 448 image is seen at 448 x 448."""
    s = min(1.0, 2048 / max(w, h))
    w2, h2 = w * s, h * s
    s2 = min(1.0, 768 / min(w2, h2))
    return _floor(w2 * s2), _floor(h2 * s2)


def openai_patch_size(w: int, h: int, budget: int = 1536, patch: int = 32) -> tuple[int, int]:
    """Image size for OpenAI's patch-based models (gpt-4.1-mini/nano, o4-mini; documented rule): if the
    32 px patches exceed the budget, shrink to fit it, then shrink to a whole number of patches along
    the tighter side."""
    if math.ceil(w / patch) * math.ceil(h / patch) <= budget:
        return w, h
    r = math.sqrt(patch * patch * budget / (w * h))
    pw, ph = w * r / patch, h * r / patch
    r *= min(math.floor(pw) / pw, math.floor(ph) / ph)
    return _floor(w * r), _floor(h * r)


def anthropic_size(w: int, h: int) -> tuple[int, int]:
    """Size Claude sees (documented): shrunk, keeping aspect, until the long edge is <= 1568 px and the
    image is <= ~1,600 tokens (tokens ~= w*h/750); smaller images are not scaled."""
    s = min(1.0, 1568 / max(w, h), math.sqrt(1600 * 750 / (w * h)))
    return (w, h) if s >= 1.0 else (_floor(w * s), _floor(h * s))


# -- prices ---------------------------------------------------------------------------------------

# USD per 1M (input, output) tokens, standard tier, prompts <= 200k tokens. Sources: the providers' public
# pricing pages (openai.com/api/pricing, anthropic.com/pricing, ai.google.dev/gemini-api/docs/pricing) as
# of 2025-06. Exact model ids only: dated snapshots can be priced differently (gpt-4o-2024-05-13 was 5/15).
KNOWN_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-2024-08-06": (2.50, 10.00),
    "gpt-4o-2024-11-20": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "o4-mini": (1.10, 4.40),
    "claude-opus-4-20250514": (15.00, 75.00),
    "claude-sonnet-4-20250514": (3.00, 15.00),
    "claude-3-7-sonnet-20250219": (3.00, 15.00),
    "claude-3-5-haiku-20241022": (0.80, 4.00),
    "gemini-2.5-pro": (1.25, 10.00),
    "gemini-2.5-flash": (0.30, 2.50),
    "gemini-2.5-flash-lite": (0.10, 0.40),
    "gemini-2.0-flash": (0.10, 0.40),
}


# -- the shared backend ---------------------------------------------------------------------------

@dataclass
class Reply:
    """A parsed successful answer."""

    text: str
    input_tokens: int | None = None
    output_tokens: int | None = None
    finish_reason: str | None = None
    model: str | None = None  # as the server names it (often a dated snapshot)
    id: str | None = None


class ApiBackend(Backend):
    """Base of the SDK-backed API backends. Subclasses implement `_make_client`, `_call` and `_classify_sdk`."""

    is_async = True
    sdk: ClassVar[str]  # distribution name, for the manifest
    key_envs: ClassVar[tuple[str, ...]] = ()  # env vars tried in order when no api_key_env option is set
    default_base_url: ClassVar[str | None] = None

    def __init__(self, target: str, options: dict[str, Any] | None = None):
        super().__init__(target, options)
        self.endpoint: BaseUrl | None = None
        spec = self.spec
        self.model, raw_url = self._parse_target(target)
        self.endpoint = BaseUrl.parse(raw_url, spec) if raw_url else None
        self.base_url = self.endpoint.url if self.endpoint else None  # no credentials: those travel separately
        if not self.model:
            raise SnellenError(f"model spec {spec!r} names no model (e.g. {self.prefix}:<model-name>)")
        self.policy = RetryPolicy.from_options(self.options, spec)
        rpm = _opt(self.options, "rpm", None, float, spec, 0.001)
        self.limiter = RateLimiter(rpm) if rpm else None
        self.rpm = rpm
        self.max_side = _opt(self.options, "max_side", None, int, spec, 1)
        self.resize_filter = str(self.options.get("resize_filter") or "lanczos").lower()
        if self.resize_filter not in RESIZE_FILTERS:
            raise SnellenError(f"option resize_filter={self.resize_filter!r} for {spec}: choose one of "
                               f"{', '.join(RESIZE_FILTERS)}")
        self._concurrency = _opt(self.options, "concurrency", 16, int, spec, 1)
        self._price = (_opt(self.options, "price_in", None, float, spec, 0),
                       _opt(self.options, "price_out", None, float, spec, 0))
        if (self._price[0] is None) != (self._price[1] is None):
            raise SnellenError(f"{spec}: set both price_in and price_out (USD per 1M tokens), or neither")
        env = self.options.get("api_key_env")
        self.key_env_option = str(env) if env else None
        self._clients: dict[int, tuple[asyncio.AbstractEventLoop, Any]] = {}
        self._rng = random.Random()
        self.gate = AdaptiveConcurrency(self._concurrency, self.display_url, self.policy.timeout_s)

    @property
    def spec(self) -> str:
        """The spec as stored and printed: credentials in a URL in it are hidden."""
        return scrub_urls(super().spec)

    @property
    def display_url(self) -> str:
        """The endpoint as stored and printed (credentials hidden)."""
        if self.endpoint is not None:
            return self.endpoint.display
        return self.default_base_url or "the API"

    # -- spec, key -------------------------------------------------------------------------------
    def _parse_target(self, target: str) -> tuple[str, str | None]:
        base = self.options.get("base_url")
        return target.strip(), (str(base).rstrip("/") if base else None)

    def key_env(self) -> str | None:
        """The env var the key is read from (its name only; the value is never kept)."""
        if self.key_env_option:
            return self.key_env_option
        for name in self.key_envs:
            if os.environ.get(name):
                return name
        return self.key_envs[0] if self.key_envs else None

    def _api_key(self) -> str | None:
        name = self.key_env()
        return os.environ.get(name) or None if name else None

    def _missing_key(self) -> str | None:
        if self._api_key() is None:
            names = " or ".join(f"${n}" for n in ([self.key_env_option] if self.key_env_option else self.key_envs))
            return f"{self.spec} needs an API key: set {names} (or name another variable with the api_key_env option)"
        return None

    def preflight(self) -> None:
        """Raise SnellenError now if the backend cannot send requests (no key, the server does not accept
        connections), before a run starts: one line naming the URL, nothing stored."""
        problem = self._missing_key()
        if problem:
            raise SnellenError(problem)
        url = self.base_url or self.default_base_url
        if url:
            problem = reachability_problem(url, self.display_url, min(10.0, self.policy.timeout_s))
            if problem:
                raise SnellenError(f"{problem}; nothing was sent")

    def _secrets(self) -> list[str]:
        key = self._api_key()
        return ([key] if key else []) + (self.endpoint.secrets() if self.endpoint else [])

    def secrets(self) -> list[str]:
        return self._secrets()

    # -- interface -------------------------------------------------------------------------------
    @property
    def max_concurrency(self) -> int:
        return self._concurrency

    def identity(self) -> dict[str, Any]:
        out: dict[str, Any] = {"backend": self.prefix, "model": self.model}
        if self.base_url and (self.base_url != self.default_base_url or self.endpoint.has_credentials):
            out["base_url"] = self.display_url  # the values of URL credentials are no part of what the model is
        return out

    def transmission(self) -> dict[str, Any]:
        resize = None if self.max_side is None else {"max_side": self.max_side, "filter": self.resize_filter}
        return {"format": "png", "encoding": "base64", "resize": resize, "layout": "image-then-text"}

    def pricing(self) -> tuple[float, float] | None:
        if self._price[0] is not None:
            return self._price  # type: ignore[return-value]
        return KNOWN_PRICES.get(self.model)

    def manifest(self) -> dict[str, Any]:
        from importlib.metadata import PackageNotFoundError, version

        try:
            sdk_version = version(self.sdk)
        except PackageNotFoundError:
            sdk_version = None
        return {"sdk": self.sdk, "sdk_version": sdk_version, "base_url": self.display_url,
                "key_env": self.key_env(), "retry": self.policy.to_dict(), "rpm": self.rpm,
                "concurrency": self._concurrency, "concurrency_adapted": self.gate.to_dict(), "sdk_retries": 0}

    def image_tokens(self, size: tuple[int, int]) -> int:
        """Provider's documented image token count for an image of `size`, for estimates."""
        return 1000

    def estimate_tokens(self, request: Request) -> tuple[int, int]:
        size = (png_size(request.sample.png) if request.sample.png else None) or tuple(request.sample.canvas)
        if self.max_side is not None and max(size) > self.max_side:
            s = self.max_side / max(size)
            size = (max(1, round(size[0] * s)), max(1, round(size[1] * s)))
        system = request.settings.system_prompt or ""
        return (len(request.prompt + system) // 4 + 10 + self.image_tokens(size), min(request.settings.max_tokens, 64))

    def encoder_size(self, sent: tuple[int, int]) -> tuple[int, int] | None:
        """(w, h) the vision encoder sees for an image sent at `sent`, where documented; else None."""
        return None

    # -- the request loop ------------------------------------------------------------------------
    def _client(self) -> Any:
        """One SDK client per event loop (clients hold connections bound to the loop that made them)."""
        loop = asyncio.get_running_loop()
        entry = self._clients.get(id(loop))
        if entry is None or entry[0] is not loop:
            self._clients = {k: v for k, v in self._clients.items() if not v[0].is_closed()}
            entry = (loop, self._make_client(self._api_key() or ""))
            self._clients[id(loop)] = entry
        return entry[1]

    async def answer_async(self, request: Request) -> Response:
        problem = self._missing_key()
        if problem:  # nothing was sent: zero attempts
            return Response(text=None, error=ErrorInfo("auth", problem), attempts=0)
        image = prepare_image(request.sample, self.max_side, self.resize_filter)
        client = self._client()
        started = time.perf_counter()
        history: list[str] = []
        attempts = 0
        while True:
            if self.limiter is not None:
                await self.limiter.acquire()
            await self.gate.acquire()  # waiting here is not part of the attempt's timeout
            attempts += 1
            t0 = time.perf_counter()
            outcome = "cancelled"
            try:
                async with asyncio.timeout(self.policy.timeout_s):
                    reply = await self._call(client, request, image)
                outcome = "ok"
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 -- classified below; unknown errors re-raise
                caught = exc
                failure = self._classify(exc)
                outcome = "timeout" if failure is not None and failure.kind == "timeout" else "error"
            finally:
                self.gate.release(outcome)
            if outcome != "ok":
                if failure is None:  # a bug, not an API failure: surface it (scrubbed of the key)
                    raise RuntimeError(redact(f"{type(caught).__name__}: {caught}", self._secrets())) from caught
                history.append(failure.kind)
                stop = None
                if failure.kind not in RETRYABLE:
                    stop = "not retried"
                elif attempts > self.policy.max_retries:
                    stop = f"gave up after {attempts} attempts"
                elif failure.retry_after is not None and failure.retry_after > self.policy.max_retry_after_s:
                    stop = f"server asked to wait {failure.retry_after:g} s (> max_retry_after)"
                if stop is not None:
                    message = redact(f"{failure.message} ({stop})", self._secrets())
                    return Response(text=None, error=ErrorInfo(failure.kind, message),
                                    latency_s=time.perf_counter() - started, sent_size=image.sent_size,
                                    encoder_size=self.encoder_size(image.sent_size), attempts=attempts,
                                    raw={"attempt_errors": history, "status": failure.status})
                await asyncio.sleep(self.policy.delay(attempts, failure.retry_after, self._rng))
                continue
            raw: dict[str, Any] = {k: v for k, v in (("finish_reason", reply.finish_reason),
                                                      ("model", reply.model), ("id", reply.id)) if v is not None}
            if history:
                raw["attempt_errors"] = history
                raw["total_s"] = round(time.perf_counter() - started, 4)
            return Response(text=reply.text, latency_s=time.perf_counter() - t0, input_tokens=reply.input_tokens,
                            output_tokens=reply.output_tokens, sent_size=image.sent_size,
                            encoder_size=self.encoder_size(image.sent_size), attempts=attempts, raw=raw)

    def _classify(self, exc: BaseException) -> ApiFailure | None:
        """An attempt's exception as an ApiFailure; None for exceptions that are bugs (they propagate)."""
        if isinstance(exc, ApiFailure):
            return exc
        failure = self._classify_sdk(exc)
        if failure is not None:
            return failure
        if isinstance(exc, TimeoutError):
            return ApiFailure("timeout", f"no answer within {self.policy.timeout_s:g} s")
        if isinstance(exc, json.JSONDecodeError):
            return ApiFailure("malformed_response", f"response body is not JSON: {exc}")
        try:
            import pydantic

            if isinstance(exc, pydantic.ValidationError):
                return ApiFailure("malformed_response", f"response does not match the API schema: {exc}")
        except ImportError:  # pragma: no cover
            pass
        for module, names in (("aiohttp", ("ClientConnectionError", "ClientPayloadError")),
                              ("httpx", ("TransportError",)), ("httpx2", ("TransportError",))):
            mod = sys.modules.get(module)  # an exception can only come from a module already imported
            classes = tuple(c for c in (getattr(mod, n, None) for n in names) if isinstance(c, type))
            if classes and isinstance(exc, classes):
                return ApiFailure("connection", f"connection to {self.display_url} failed ({type(exc).__name__}: {exc})")
        return None

    def _classify_sdk(self, exc: BaseException) -> ApiFailure | None:
        return None

    def _make_client(self, api_key: str) -> Any:
        raise NotImplementedError

    def _client_options(self, api_key: str) -> dict[str, Any]:
        """Constructor arguments of the openai and anthropic SDK clients: the endpoint with its query and header
        credentials, our timeout, and no SDK retries (ours are counted once)."""
        endpoint = self.endpoint
        return {"api_key": api_key, "base_url": self.base_url or self.default_base_url, "max_retries": 0,
                "timeout": self.policy.timeout_s,
                "default_query": dict(endpoint.query) if endpoint and endpoint.query else None,
                "default_headers": (endpoint.headers() or None) if endpoint else None}

    async def _call(self, client: Any, request: Request, image: ImagePayload) -> Reply:
        raise NotImplementedError

    # -- cleanup ---------------------------------------------------------------------------------
    async def aclose(self) -> None:
        """Close the clients made on the running loop."""
        loop = asyncio.get_running_loop()
        entry = self._clients.pop(id(loop), None)
        if entry is not None:
            await self._close_client(entry[1])

    async def _close_client(self, client: Any) -> None:
        await client.close()

    def close(self) -> None:
        """Close clients whose loop can still run them; clients of finished loops are dropped."""
        for loop, client in list(self._clients.values()):
            if not loop.is_closed() and not loop.is_running():
                try:
                    loop.run_until_complete(self._close_client(client))
                except RuntimeError:  # loop in use elsewhere: leave it to the garbage collector
                    pass
        self._clients.clear()


def status_failure(status: int, message: str, headers: Any = None, retry_after: float | None = None) -> ApiFailure:
    """An HTTP error status as an ApiFailure, with the server's Retry-After when it sent one."""
    after = parse_retry_after(headers)
    return ApiFailure(kind_for_status(status), f"HTTP {status}: {message}",
                      retry_after=after if after is not None else retry_after, status=status)


def malformed(message: str) -> ApiFailure:
    return ApiFailure("malformed_response", message)


def server_message(body: Any) -> str | None:
    """What the server said in an error body, in the shapes servers use: OpenAI/Anthropic
    {"error": {"message": ...}}, {"error": "..."}, {"message": ...}, FastAPI {"detail": "..." or [{"msg": ...}]},
    or plain text."""
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body).decode("utf-8", "replace")
    if isinstance(body, str):
        text = body.strip()
        try:
            parsed = json.loads(text)
        except ValueError:
            return " ".join(text.split())[:_MAX_MESSAGE] or None
        body = parsed
    if isinstance(body, dict):
        for name in ("error", "message", "detail", "msg", "title", "error_description"):
            if name in body and body[name] not in (None, "", [], {}):
                found = server_message(body[name])
                if found:
                    return found
        return json.dumps(body)[:_MAX_MESSAGE]
    if isinstance(body, list) and body:
        parts = [server_message(x) for x in body[:3]]
        return "; ".join(p for p in parts if p) or None
    if body is None:
        return None
    return str(body)


def _status_text(exc: Any) -> str:
    """The server's own reason for an HTTP error of the openai/anthropic SDKs (which keep only
    error.message, dropping every other shape of body)."""
    response = getattr(exc, "response", None)
    text = None
    try:
        text = response.text if response is not None else None
    except Exception:  # noqa: BLE001 -- a body that cannot be read: fall back to the SDK's message
        text = None
    found = server_message(text) if text else None
    if not found:
        found = server_message(getattr(exc, "body", None))
    return found or "(no reason given in the response body)"


def classify_sdk_error(sdk: Any, exc: BaseException, timeout_s: float, url: str | None = None) -> ApiFailure | None:
    """An exception of the `openai` or `anthropic` SDK (`sdk`, the imported module) as an ApiFailure; None
    when it is not one of their API errors. Both SDKs define the same error classes with the same fields."""
    if isinstance(exc, sdk.APITimeoutError):
        return ApiFailure("timeout", f"no answer within {timeout_s:g} s")
    if isinstance(exc, sdk.APIConnectionError):
        cause = exc.__cause__ or exc.__context__
        why = f"{type(cause).__name__}: {cause}" if cause is not None and str(cause) else str(exc)
        return ApiFailure("connection", f"connection to {url or 'the server'} failed ({why})")
    if isinstance(exc, sdk.APIStatusError):
        return status_failure(exc.status_code, _status_text(exc), exc.response.headers)
    if isinstance(exc, sdk.APIResponseValidationError):
        return malformed(f"response does not match the API schema: {exc.message}")
    return None
