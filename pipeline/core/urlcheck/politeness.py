"""Per-host politeness and the time budget of one check.

At most ``per_host_limit`` checks in flight to a host and ``per_host_interval`` seconds between
the starts of two checks of a host; ``Retry-After`` honoured host-wide (it is about the host, not
one URL). A check that cannot get a slot within its budget sends nothing (``HostBusy``), and a
check that overruns ``total_timeout`` is cut (``DeadlineExceeded``): ``classify`` turns both into
statuses.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

from pipeline.core.urlcheck.addresses import THREAD, thread_connections


class HostBusy(Exception):
    """A host could not take the request within the check's time budget (no request was sent)."""

    def __init__(self, host: str, wait: float, throttled: bool) -> None:
        self.host, self.wait, self.throttled = host, wait, throttled
        why = "asked us (Retry-After) to wait" if throttled else "is busy for another"
        super().__init__(f"not checked: {host} {why} {wait:.0f}s")


class DeadlineExceeded(Exception):
    """The check ran past ``total_timeout`` (slow headers or a trickling body)."""


def host_of(url: str) -> str:
    """The host a URL's checks are counted against (lower case, no trailing dot)."""
    return (urlsplit(url).hostname or "").lower().rstrip(".")


class HostGate:
    """At most ``limit`` checks in flight to one host, their starts ``interval`` seconds apart.

    A check holds a slot while it talks to the host (its GET after a HEAD, and redirect hops on
    the same host, reuse the slot and the connection). ``defer`` pushes the next start back
    for everyone (Retry-After is about the host, not one URL).
    """

    def __init__(self, host: str, limit: int, interval: float, throttle_cap: float) -> None:
        self.host = host
        self.limit = limit
        self.interval = interval
        self.throttle_cap = throttle_cap
        self._cond = threading.Condition()
        self._next = 0.0  # earliest start of the next check (monotonic)
        self._last_begin = float("-inf")
        self._not_before = 0.0  # Retry-After / backoff
        self._throttled = False
        self.in_flight = 0
        self.max_in_flight = 0
        self.starts: list[float] = []  # monotonic start times, for tests and the benchmark

    def _ready_at(self) -> float:
        return max(self._next, self._not_before)

    def try_acquire(self, now: float) -> bool:
        """Take a slot if one is free and the interval has passed (the scheduler's path)."""
        with self._cond:
            if self.in_flight >= self.limit or now < self._ready_at():
                return False
            self._take(now)
            return True

    def throttled(self, now: float) -> bool:
        """The host asked us to wait longer than we wait for (Retry-After past the cap)."""
        with self._cond:
            return self._throttled and self._not_before - now > self.throttle_cap

    def wait_hint(self, now: float) -> float | None:
        """Seconds until a slot could be free by time alone (None: when a check finishes)."""
        with self._cond:
            if self.in_flight >= self.limit:
                return None
            return max(0.0, self._ready_at() - now)

    def acquire(self, budget: float) -> None:
        """Block until a slot is free; raise ``HostBusy`` (nothing sent) if that takes > budget."""
        deadline = time.monotonic() + budget
        with self._cond:
            while True:
                now = time.monotonic()
                ready = self._ready_at()
                if self.in_flight < self.limit and now >= ready:
                    self._take(now)
                    return
                if ready > deadline or (self._throttled and ready - now > self.throttle_cap):
                    raise HostBusy(self.host, ready - now, self._throttled)
                if now >= deadline:
                    raise HostBusy(self.host, budget, False)
                self._cond.wait(timeout=max(0.001, min(deadline, ready if ready > now else deadline) - now))

    def _take(self, now: float) -> None:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self._next = max(now, self._ready_at()) + self.interval

    def begin(self) -> None:
        """Wait (briefly) so that actual starts, not only reservations, are ``interval`` apart."""
        with self._cond:
            now = time.monotonic()
            start = max(now, self._last_begin + self.interval, self._not_before)
            self._last_begin = start
            self._next = max(self._next, start + self.interval)
            self.starts.append(start)
        if start > now:
            time.sleep(start - now)

    def release(self) -> None:
        with self._cond:
            self.in_flight -= 1
            self._cond.notify_all()

    def defer(self, until: float, *, throttled: bool = False) -> None:
        with self._cond:
            self._not_before = max(self._not_before, until)
            self._throttled = self._throttled or throttled
            self._cond.notify_all()


@contextlib.contextmanager
def spaced(gate: HostGate | None) -> Iterator[None]:
    """Within the block, the first request sent waits for ``gate``'s interval (see the pinned ``send``)."""
    THREAD.before_send = gate.begin if gate is not None else None
    try:
        yield
    finally:
        THREAD.before_send = None


class Deadline:
    """Cuts the current thread's sockets when a check overruns ``total_timeout``.

    Per-read timeouts cannot stop a server that trickles a byte every few seconds; shutting the
    socket down makes the blocked read return at once.
    """

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.hit = False
        self._connections = thread_connections()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def _fire(self) -> None:
        self.hit = True
        for conn in list(self._connections):
            sock = getattr(conn, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()
