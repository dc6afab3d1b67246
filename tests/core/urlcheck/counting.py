"""A loopback HTTP server that counts, per host, the requests in flight and when each arrived.

A request is in flight from its arrival until the server starts answering it (a client that has
its answer may send the next one at once, before the server's thread has run on).

Used to show that per-host limits hold across processes: the count is the server's own, so it
sees every process's requests, whoever sent them.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Counts:
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: dict[str, int] = field(default_factory=dict)
    max_in_flight: dict[str, int] = field(default_factory=dict)
    #: per host: (arrival time, path, method)
    arrivals: dict[str, list[tuple[float, str, str]]] = field(default_factory=dict)

    def min_gap(self, host: str) -> float:
        """Smallest gap between the first requests of two paths of ``host`` (a check's GET after
        its HEAD is the same check)."""
        first: dict[str, float] = {}
        for at, path, _ in self.arrivals.get(host, []):
            first.setdefault(path, at)
        times = sorted(first.values())
        return min((b - a for a, b in itertools.pairwise(times)), default=float("inf"))

    def span(self, host: str, prefix: str) -> tuple[float, float]:
        """When the first and the last request of paths starting with ``prefix`` arrived."""
        times = [at for at, path, _ in self.arrivals.get(host, []) if path.startswith(prefix)]
        return min(times), max(times)


@contextlib.contextmanager
def counting_server(address: str = "127.0.0.2", delay: float = 0.2) -> Iterator[tuple[int, Counts]]:
    """(port, counts) of a server on ``address`` that answers every request after ``delay`` s
    with a small HTML page titled after its path; the host is the request's Host name."""
    counts = Counts()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, body: bool) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            with counts.lock:
                counts.in_flight[host] = counts.in_flight.get(host, 0) + 1
                counts.max_in_flight[host] = max(counts.max_in_flight.get(host, 0), counts.in_flight[host])
                counts.arrivals.setdefault(host, []).append((time.monotonic(), self.path, self.command))
            time.sleep(delay)
            with counts.lock:  # answered from here on: the client may send its next request
                counts.in_flight[host] -= 1
            page = f"<html><head><title>Page {self.path}</title></head><body>text</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            if body:
                self.wfile.write(page)

        def do_HEAD(self) -> None:
            self._answer(False)

        def do_GET(self) -> None:
            self._answer(True)

    server = ThreadingHTTPServer((address, 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], counts
    finally:
        server.shutdown()
        server.server_close()
