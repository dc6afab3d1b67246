"""Real loopback servers, a test resolver and a fake clock for the URL checker tests.

Test host names (``*.test``) resolve, through an injected resolver, to 127.0.0.x addresses; no
test ever asks the system resolver. Servers listen on 127.0.0.2, 127.0.0.3, ... so that one can
be allow-listed and another not (the security tests redirect from one to the other).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck import UrlChecker

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
HTML = "text/html; charset=utf-8"
#: test host names of the history, archive and batch tests, all on the allow-listed server
NAMES = {f"{h}.test": "127.0.0.2" for h in ("a", "b", "c", "archive")}


def mapping_resolver(names: dict[str, str]) -> Callable[[str, int], list[str]]:
    """Resolve test names to loopback addresses; IP literals to themselves; anything else fails."""

    def resolve(host: str, port: int) -> list[str]:
        host = host.lower().rstrip(".")
        if host in names:
            return [names[host]]
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: Name or service not known") from None

    return resolve


def page(title: str, body: str = "") -> str:
    """A small HTML page with a title."""
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def methods(srv: HTTPServer, path: str) -> list[str]:
    """The methods of the requests ``srv`` got for ``path``, in order."""
    return [req.method for req, _ in srv.log if req.path == path]


def settings(**overrides) -> UrlCheckSettings:
    """Fast, allow-listed settings: servers on 127.0.0.2 are admitted, 127.0.0.3 is not."""
    base = {
        "allow_private": ["127.0.0.2/32"],
        "per_host_interval": 0,
        "retries": 0,
        "connect_timeout": 2,
        "read_timeout": 2,
        "total_timeout": 5,
        "backoff_cap": 2,
        "archive_lookup": False,
    }
    base.update(overrides)
    return UrlCheckSettings(**base)


def make_checker(names: dict[str, str] | None = None, **overrides) -> UrlChecker:
    return UrlChecker(settings(**overrides), resolver=mapping_resolver(names or {}))


class FakeClock:
    """A clock that moves only when told: runs days apart in a moment."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def checker_at(clock, **overrides) -> UrlChecker:
    """A fast checker on ``clock`` that knows the ``NAMES`` hosts."""
    return UrlChecker(settings(**overrides), resolver=mapping_resolver(NAMES), clock=clock)


def wayback(calls: list) -> Callable[[Request], Response]:
    """A Wayback availability API: a snapshot at the asked timestamp, none for */never-archived."""

    def handler(request: Request) -> Response:
        calls.append(dict(request.args))
        url = request.args["url"]
        if url.endswith("/never-archived"):
            body = {"url": url, "archived_snapshots": {}}
        else:
            stamp = request.args.get("timestamp", "2024").ljust(14, "0")
            snap = {
                "available": True,
                "status": "200",
                "timestamp": stamp,
                "url": f"http://web.test/web/{stamp}/{url}",
            }
            body = {"url": url, "archived_snapshots": {"closest": snap}}
        return Response(json.dumps(body), content_type="application/json")

    return handler


@contextlib.contextmanager
def http_server(host: str = "127.0.0.2", **kwargs) -> Iterator[HTTPServer]:
    server = HTTPServer(host=host, port=0, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()


class _RawHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.server.behaviour(self.request)  # type: ignore[attr-defined]


class _RawServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def raw_server(behaviour: Callable[[socket.socket], None], host: str = "127.0.0.2") -> Iterator[int]:
    """A TCP server whose ``behaviour(conn)`` misbehaves at the socket level; yields its port."""
    server = _RawServer((host, 0), _RawHandler)
    server.behaviour = behaviour  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def read_request(conn: socket.socket) -> bytes:
    data = b""
    conn.settimeout(5)
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def reset_connection(conn: socket.socket) -> None:
    """Read the request, then abort the connection (RST instead of FIN)."""
    read_request(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()


def trickle_body(conn: socket.socket, seconds: float = 8.0) -> None:
    """Answer 200 at once, then send the body one byte every 0.2 s (per-read timeouts never fire)."""
    while True:
        request = read_request(conn)
        if not request:
            return
        if request.startswith(b"HEAD"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
            continue
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        end = time.monotonic() + seconds
        with contextlib.suppress(OSError):
            while time.monotonic() < end:
                conn.sendall(b" ")
                time.sleep(0.2)
        return
