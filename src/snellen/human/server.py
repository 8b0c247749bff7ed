"""Serving the exam: bind the socket first (so the printed URL is the real one, port 0 included), then
run uvicorn until Ctrl-C. Every answer is already in the store when it is acknowledged, so stopping
loses nothing; the manifest is written once more at shutdown."""

from __future__ import annotations

import socket
from collections.abc import Callable

from snellen.human.app import allowed_hosts_for, create_app
from snellen.human.session import Session
from snellen.schema import SnellenError


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SnellenError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); pick another --port") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def make_server(session: Session, sock: socket.socket, on_ready: Callable[[Session], None] | None = None):
    """A uvicorn server for `session` (released by the caller's thread; reacquired in the server's loop)."""
    import uvicorn

    host, port = sock.getsockname()[:2]

    def opened() -> Session:
        session.acquire()
        return session

    app = create_app(opened, allowed_hosts_for(host, port), on_ready=on_ready)
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                         timeout_graceful_shutdown=5))


def serve(session: Session, sock: socket.socket, on_ready: Callable[[Session], None] | None = None) -> None:
    """Serve until Ctrl-C (or SIGTERM); the session's manifest is written at shutdown."""
    server = make_server(session, sock, on_ready)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it handled, after a clean shutdown
        pass
    finally:
        sock.close()
