"""API backend concurrency: achieved requests/s against the ideal C/L.

A local emulating server (tests/models/api_server.py, in its own process) answers every request after a
fixed latency L. The backend's `answer_async` is driven under an asyncio.Semaphore(C), as the runner does,
with a real probe image (448 px PNG). With C requests always in flight, the ideal rate is C/L; the ratio
achieved/ideal shows what the SDK client, our retry loop, image encoding and the event loop cost.
Target: ratio >= 0.95 where the client's CPU is not the bottleneck. Each request costs the client ~2-3 ms
of CPU in the SDK (more on a loaded machine), so once C/L x cpu_ms approaches one core the run is
CPU-bound, not concurrency-bound: the last grid point shows that regime on purpose.

The `raw` row is a control (bare aiohttp, no SDK): where it also falls short, the machine is the limit.

    .venv/bin/python benchmarks/bench_api_concurrency.py [--backends openai,anthropic,gemini,raw]
        [--grid 8x0.2,16x0.5,32x1.0,64x2.0,128x4.0,64x0.5] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from snellen.models.base import GenerationSettings, Request, load_backend
from snellen.probes.suite import load_suite

# The letters-and-digits fixture suite (the built-in `quick` covers every family and is larger).
GLYPHS = str(Path(__file__).resolve().parents[1] / "tests" / "glyphs.yaml")

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "tests" / "models" / "api_server.py"


def start_server(latency: float) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, str(SERVER), "--latency", str(latency), "--lifetime", "900",
                             "--no-decode"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.kill()
        raise RuntimeError(f"test server did not start (said {line!r})")
    return proc, int(line.split()[1])


class RawAiohttpClient:
    """Control: the same OpenAI request body POSTed with bare aiohttp (no SDK, no retry loop), to separate
    what the machine costs from what the backend costs."""

    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}/v1/chat/completions"
        self.session = None

    async def answer_async(self, request: Request):
        import base64

        import aiohttp

        from snellen.models.base import Response

        if self.session is None:
            self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        url = "data:image/png;base64," + base64.b64encode(request.sample.png_bytes()).decode()
        body = {"model": "bench-model", "max_tokens": 64, "messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": url, "detail": "high"}},
            {"type": "text", "text": request.prompt}]}]}
        async with self.session.post(self.url, json=body) as resp:
            data = await resp.json()
        return Response(text=data["choices"][0]["message"]["content"])

    async def aclose(self):
        if self.session is not None:
            await self.session.close()


def make_backend(kind: str, port: int, concurrency: int):
    if kind == "raw":
        return RawAiohttpClient(port)
    opts = {"concurrency": concurrency, "timeout": 60, "max_retries": 0, "api_key_env": "SNELLEN_BENCH_KEY"}
    url = f"http://127.0.0.1:{port}"
    if kind == "openai":
        return load_backend("openai-compatible:" + url + "/v1@bench-model", opts)
    return load_backend(f"{kind}:bench-model", {**opts, "base_url": url})


async def drive(backend, requests: list[Request], concurrency: int) -> tuple[float, int]:
    sem = asyncio.Semaphore(concurrency)

    async def one(r: Request):
        async with sem:
            return await backend.answer_async(r)

    t0 = time.perf_counter()
    responses = await asyncio.gather(*(one(r) for r in requests))
    elapsed = time.perf_counter() - t0
    failed = sum(not r.ok for r in responses)
    return elapsed, failed


async def measure(kind: str, port: int, c: int, rounds: int, requests: list[Request]) -> tuple[float, float, int]:
    """(requests/s, client CPU ms per request, failed requests)."""
    backend = make_backend(kind, port, c)
    try:
        await drive(backend, requests[:c], c)  # warm-up: open the connections
        n = c * rounds
        work = [requests[i % len(requests)] for i in range(n)]
        cpu0 = time.process_time()
        elapsed, failed = await drive(backend, work, c)
        return n / elapsed, (time.process_time() - cpu0) * 1000 / n, failed
    finally:
        await backend.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="openai,anthropic,gemini,raw",
                        help="raw = control: bare aiohttp POSTs of the same body, no SDK")
    parser.add_argument("--grid", default="8x0.2,16x0.5,32x1.0,64x2.0,128x4.0,64x0.5",
                        help="comma-separated CxL pairs (concurrency x latency in seconds)")
    parser.add_argument("--rounds", type=int, default=5, help="requests per run = C x rounds")
    args = parser.parse_args()
    os.environ.setdefault("SNELLEN_BENCH_KEY", "bench-not-a-key")

    samples = list(load_suite(GLYPHS, per_cell=1).samples())
    requests = [Request(s, s.prompts["json"], GenerationSettings(max_tokens=64)) for s in samples]
    grid = [(int(c), float(lat)) for c, lat in (pair.split("x") for pair in args.grid.split(","))]
    print(f"{'backend':10s} {'C':>5s} {'L (s)':>6s} {'ideal/s':>8s} {'got/s':>8s} {'ratio':>6s} {'cpu ms/req':>10s} "
          f"{'failed':>6s}")
    ratios = []  # of the backends only, not the control
    for latency in sorted({lat for _, lat in grid}):
        proc, port = start_server(latency)
        try:
            for c in [c for c, lat in grid if lat == latency]:
                for kind in args.backends.split(","):
                    rate, cpu_ms, failed = asyncio.run(measure(kind, port, c, args.rounds, requests))
                    ideal = c / latency
                    if kind != "raw":
                        ratios.append(rate / ideal)
                    print(f"{kind:10s} {c:5d} {latency:6.2f} {ideal:8.1f} {rate:8.1f} {rate / ideal:6.3f} {cpu_ms:10.2f} "
                          f"{failed:6d}", flush=True)
        finally:
            proc.stdin.close()
            proc.wait(10)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"min ratio {min(ratios):.3f}, median {sorted(ratios)[len(ratios) // 2]:.3f} "
          f"(target >= 0.95; {os.cpu_count()} CPUs, load average {load:.1f})")


if __name__ == "__main__":
    main()
