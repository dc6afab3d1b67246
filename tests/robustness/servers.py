"""Small real servers on 127.0.0.1 for fault tests: they misbehave at the socket level.

pytest-httpserver covers ordinary HTTP; these cover what a well-behaved HTTP server cannot do:
reset a connection, stall, trickle a body, stream forever. Each connection is served by
``handle(conn)`` in its own daemon thread; ``sent`` counts bytes written through ``send``.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import zlib
from collections.abc import Callable, Iterator


class RawServer:
    def __init__(self, handle: Callable[[RawServer, socket.socket], None], host: str = "127.0.0.1") -> None:
        self.handle = handle
        self.sock = socket.create_server((host, 0))
        self.sock.settimeout(0.2)
        self.host, self.port = self.sock.getsockname()[:2]
        self.connections = 0
        self.sent = 0
        self.requests: list[bytes] = []
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            self.handle(self, conn)

    def read_request(self, conn: socket.socket) -> bytes:
        """Read up to the end of the request head (enough for HEAD/GET without a body)."""
        conn.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        with self._lock:
            self.requests.append(data)
        return data

    def send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        with self._lock:
            self.sent += len(data)

    def wait_stopped(self, seconds: float) -> bool:
        return self.stopped.wait(seconds)

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.sock.close()
        self._thread.join(timeout=5)


def reset(conn: socket.socket) -> None:
    """Close with RST instead of FIN (SO_LINGER 0): the client sees 'connection reset by peer'."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def endless_gzip(block: int = 1 << 20) -> Iterator[bytes]:
    """A gzip stream of zeros that never ends: about 1 KB on the wire per MB once decompressed.

    After a full flush the compressor forgets its history, so one compressed block can be
    repeated forever (the client gives up long before the CRC trailer would matter).
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    yield comp.compress(b"<html><head>") + comp.flush(zlib.Z_FULL_FLUSH)
    repeated = comp.compress(b"\0" * block) + comp.flush(zlib.Z_FULL_FLUSH)
    while True:
        yield repeated


def run_bounded(fn: Callable[[], object], seconds: float) -> tuple[bool, object]:
    """Run ``fn`` in a thread; returns (finished, result or exception). Hangs are a failure."""
    box: dict = {}

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:
            box["result"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive(), box.get("result")
