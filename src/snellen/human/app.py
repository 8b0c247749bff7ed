"""The local web app (Starlette): the exam page, its two static files, and a four-route JSON API.

Routes: GET / (the page), GET /static/app.js|app.css, GET /api/trial (the trial on show, under a fresh
token), GET /api/image/<token>.png (only the image of the trial on show), POST /api/answer, POST
/api/continue (after a break). Nothing else is served: no file system paths, no other probes.

`Guard` refuses, before any route runs: a Host header that is not this server's (DNS rebinding), a
request a browser marks as cross-site (Sec-Fetch-Site), and any POST whose Origin is not this server's
or whose body is not JSON (so another web page cannot submit answers, even as a "simple" form post).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import asynccontextmanager
from importlib import resources

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from snellen.human.answers import MalformedAnswer
from snellen.human.session import Refused, Session

MAX_BODY = 64 * 1024
STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "cross-origin-resource-policy": "same-origin",
}


def _asset(name: str) -> bytes:
    return resources.files("snellen.human").joinpath("static", name).read_bytes()


class Guard:
    """ASGI middleware: same-host, same-origin, JSON-only POSTs; security headers on every response."""

    def __init__(self, app, allowed_hosts: set[str] | None):
        self.app = app
        self.allowed_hosts = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        reason = self.refusal(scope["method"], headers)
        if reason is not None:
            return await _secured(PlainTextResponse(reason, status_code=403))(scope, receive, send)

        async def send_secured(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in have]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_secured)

    def refusal(self, method: str, headers: dict[str, str]) -> str | None:
        host = headers.get("host", "").lower()
        if not host or (self.allowed_hosts is not None and host not in self.allowed_hosts):
            return f"refused: host {host!r} is not this exam's address"
        if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return "refused: request from another site"
        if method not in ("GET", "HEAD"):
            origin = headers.get("origin")
            if origin is None or origin.lower() != f"http://{host}":
                return f"refused: origin {origin!r} is not this exam's page"
            if headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
                return "refused: answers are sent as application/json"
        return None


def _secured(resp: Response) -> Response:
    for k, v in SECURITY_HEADERS.items():
        resp.headers.setdefault(k, v)
    return resp


async def _json_body(request: Request):
    body = await request.body()
    if len(body) > MAX_BODY:
        raise MalformedAnswer(f"request too large ({len(body)} bytes)")
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise MalformedAnswer("the request body is not JSON") from None


def create_app(open_session: Callable[[], Session], allowed_hosts: set[str], on_ready: Callable[[Session], None] | None = None) -> Guard:
    """The ASGI app. The session is opened inside the server's event loop (the store's SQLite connection
    then lives in the thread that serves every request) and closed, manifest written, at shutdown."""
    holder: dict[str, Session] = {}

    @asynccontextmanager
    async def lifespan(app):
        holder["s"] = open_session()
        if on_ready is not None:
            on_ready(holder["s"])
        try:
            yield
        finally:
            holder.pop("s").close()

    def session() -> Session:
        return holder["s"]

    async def index(request: Request) -> Response:
        return Response(_asset("index.html"), media_type="text/html; charset=utf-8")

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found", status_code=404)
        return Response(_asset(name), media_type=STATIC[name])

    async def trial(request: Request) -> Response:
        return JSONResponse(session().state())

    async def image(request: Request) -> Response:
        png = session().image(request.path_params["token"])
        if png is None:
            return PlainTextResponse("not the trial on show", status_code=404)
        return Response(png, media_type="image/png")

    async def answer(request: Request) -> Response:
        try:
            return JSONResponse(session().answer(await _json_body(request)))
        except MalformedAnswer as exc:
            return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)
        except Refused as exc:
            return JSONResponse({"ok": False, "error": exc.message}, status_code=exc.status)

    async def resume(request: Request) -> Response:
        session().resume()
        return JSONResponse({"ok": True})

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/favicon.ico", favicon, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/api/trial", trial, methods=["GET"]),
        Route("/api/image/{token}.png", image, methods=["GET"]),
        Route("/api/answer", answer, methods=["POST"]),
        Route("/api/continue", resume, methods=["POST"]),
    ]
    return Guard(Starlette(routes=routes, lifespan=lifespan), allowed_hosts)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def allowed_hosts_for(host: str, port: int) -> set[str] | None:
    """Host headers this server answers to. On loopback (the default) only its own address and localhost
    names, so a web page cannot reach it through DNS rebinding; bound elsewhere (--host, to examine on
    another device) any name, still with same-origin POSTs only."""
    if host not in LOOPBACK:
        return None
    return {f"{n}:{port}" for n in ("127.0.0.1", "localhost", "[::1]")}
