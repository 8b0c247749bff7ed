"""Test-only backends (imported by conftest and by the eval subprocesses of the kill tests)."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

from snellen.models.base import Backend, ErrorInfo, Response, register_backend

CALLS: list[str] = []  # (in-process) sample ids every test backend was asked, in order


def _bad(sample_id: str, mod: int) -> bool:
    return mod > 0 and int(sample_id, 16) % mod == 0


@register_backend("t-echo")
class EchoBackend(Backend):
    """Answers the truth. Options: variant (identity), detail (transmission), sleep (s per batch),
    calls_file (append answered ids), fail_mod + fail_file (while fail_file exists, ids with
    int(id) % fail_mod == 0 get a rate_limit error), raise_mod (a batch holding such an id raises)."""

    def identity(self):
        return {"backend": "t-echo", "model": "echo", "variant": str(self.options.get("variant", "a"))}

    def transmission(self):
        return {"format": "png", "detail": str(self.options.get("detail", "high")), "resize": None}

    def answer(self, requests):
        time.sleep(float(self.options.get("sleep", 0)))
        ids = [r.sample_id for r in requests]
        CALLS.extend(ids)
        if self.options.get("calls_file"):
            with open(self.options["calls_file"], "a") as fh:
                fh.write("".join(f"{i}\n" for i in ids))
        raise_mod = int(self.options.get("raise_mod", 0))
        if any(_bad(i, raise_mod) for i in ids):
            raise RuntimeError("simulated backend crash")
        fail_mod = int(self.options.get("fail_mod", 0))
        failing = fail_mod and Path(str(self.options.get("fail_file", ""))).exists()
        out = []
        for r in requests:
            if failing and _bad(r.sample_id, fail_mod):
                out.append(Response(text=None, error=ErrorInfo("rate_limit", "429 too many requests"), attempts=3))
            else:
                out.append(Response(text=json.dumps(r.sample.answer), latency_s=0.001, input_tokens=10, output_tokens=5,
                                    sent_size=(448, 448), encoder_size=(224, 224)))
        return out


@register_backend("t-digits")
class DigitsOnlyBackend(EchoBackend):
    families = frozenset({"digit"})


@register_backend("t-async")
class AsyncBackend(Backend):
    is_async = True
    in_flight = 0
    peak = 0

    async def answer_async(self, request):
        cls = type(self)
        cls.in_flight += 1
        cls.peak = max(cls.peak, cls.in_flight)
        try:
            await asyncio.sleep(0.005)
            CALLS.append(request.sample_id)
            if _bad(request.sample_id, int(self.options.get("raise_mod", 0))):
                raise ConnectionError("simulated connection reset")
            return Response(text=json.dumps(request.sample.answer))
        finally:
            cls.in_flight -= 1


@register_backend("t-leaky")
class LeakyBackend(Backend):
    """Puts credentials everywhere a careless backend might: identity, transmission, manifest, text,
    error messages and raw payloads."""

    def identity(self):
        return {"backend": "t-leaky", "model": "leak", "api_key": self.options.get("api_key"),
                "client": {"base_url": "https://example.invalid", "auth_token": os.environ.get("SNELLEN_TEST_API_KEY")}}

    def transmission(self):
        return {"format": "png", "headers": {"Authorization": f"Bearer {self.options.get('api_key')}"}}

    def manifest(self):
        return {"sdk": "1.0", "env_key": os.environ.get("SNELLEN_TEST_API_KEY"), "password": "hunter2hunter2"}

    def answer(self, requests):
        env = os.environ.get("SNELLEN_TEST_API_KEY", "")
        out = []
        for i, r in enumerate(requests):
            if i % 2:
                out.append(Response(text=None, error=ErrorInfo("bad_request", f"invalid key {self.options.get('api_key')} / {env}"),
                                    raw={"request": {"headers": {"x-api-key": env}, "note": f"sent with {env}"}}))
            else:
                out.append(Response(text=json.dumps(r.sample.answer) + f" (key {env})", raw={"token": env}))
        return out


@register_backend("t-priced")
class PricedBackend(EchoBackend):
    """$1 per million input tokens; every request is estimated (and reported) at 100k tokens: $0.10."""

    def pricing(self):
        return (1.0, 2.0)

    def estimate_tokens(self, request):
        return (100_000, 0)

    def answer(self, requests):
        out = super().answer(requests)
        for r in out:
            r.input_tokens, r.output_tokens = 100_000, 0
        return out


@register_backend("t-slow-async")
class SlowAsyncBackend(Backend):
    """An API-like backend: each answer takes `sleep` seconds; `started_file` gets every id when its request
    starts (what a server would have been sent and billed), CALLS too (in-process)."""

    is_async = True

    async def answer_async(self, request):
        STARTED.append(request.sample_id)
        if self.options.get("started_file"):
            with open(self.options["started_file"], "a") as fh:
                fh.write(f"{request.sample_id}\n")
        await asyncio.sleep(float(self.options.get("sleep", 0.1)))
        return Response(text=json.dumps(request.sample.answer), latency_s=0.1)


STARTED: list[str] = []


from snellen.models.backends.sim import SimulatedObserver  # noqa: E402


@register_backend("t-sim-flaky")
class FlakySim(SimulatedObserver):
    """sim:T whose batches after the first `fail_after` (in this process) are server errors; identity = sim's."""

    def identity(self):
        return {**super().identity(), "backend": "sim"}

    def answer(self, requests):
        self.calls = getattr(self, "calls", 0) + 1
        limit = int(self.options.get("fail_after", 0))
        if limit and self.calls > limit:
            return [Response(text=None, error=ErrorInfo("server_error", "HTTP 503")) for _ in requests]
        return super().answer(requests)


@register_backend("t-sim-slow")
class SlowSim(SimulatedObserver):
    """sim:9 that takes 0.05 s per batch (so a SIGKILL lands mid-run)."""

    def __init__(self, target, options=None):
        super().__init__(target or "9", options)

    def answer(self, requests):
        time.sleep(0.05)
        return super().answer(requests)
