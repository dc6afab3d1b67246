"""Per-host limits shared by every process that checks links.

With several documents checked at once (``python -m pipeline run --workers N``, or runs of the UI
and the daemon side by side) each process has its own scheduler; per-process gates would let N
processes send N times the requests to one host. ``SharedLimits`` keeps each host's state in one
store that every process reads and writes in short transactions: the slots in flight (one row per
check, with its holder and a lease, so a killed process cannot hold a host forever), the earliest
next start, the last actual start, and Retry-After. A SQLite file (``BEGIN IMMEDIATE``: one writer
at a time, file-locked) serves the processes of one machine; a PostgreSQL database (a
transaction-scoped advisory lock per host) serves many machines, as the production Dagster
instance does.

Times are wall-clock seconds in the store (processes do not share a monotonic clock); the gates
take and give monotonic times like ``HostGate`` and convert.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline.core.fileio import pid_alive
from pipeline.core.urlcheck.politeness import HostBusy, HostGate

#: how often a process looks again at a host whose slots other processes hold (seconds)
POLL = 0.02
#: a slot is reclaimed this long after its check's time budget ran out (its holder died)
LEASE_GRACE = 10.0

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS host_limits (host TEXT PRIMARY KEY, next_start DOUBLE PRECISION NOT NULL,"
    " last_begin DOUBLE PRECISION NOT NULL, not_before DOUBLE PRECISION NOT NULL,"
    " throttled INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS host_slots (token TEXT PRIMARY KEY, host TEXT NOT NULL,"
    " machine TEXT NOT NULL, pid INTEGER NOT NULL, expires DOUBLE PRECISION NOT NULL)",
    "CREATE INDEX IF NOT EXISTS host_slots_host ON host_slots (host)",
)


class _Tx:
    """One transaction's cursor, with ``?`` placeholders whatever the database."""

    def __init__(self, cursor: Any, pg: bool) -> None:
        self.cursor, self.pg = cursor, pg

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self.cursor.execute(sql.replace("?", "%s") if self.pg else sql, tuple(params))
        return list(self.cursor.fetchall()) if self.cursor.description else []


class SharedLimits:
    """The store of per-host limits: ``path`` (a SQLite file) or ``postgresql://...`` (a database)."""

    def __init__(self, where: str | Path) -> None:
        self.where = str(where)
        self.pg = self.where.startswith(("postgresql://", "postgres://"))
        self.machine = socket.gethostname()
        self._lock = threading.Lock()  # one connection per process, its transactions one at a time
        self._conn: Any = None
        self._pid = -1

    def _connect(self) -> Any:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if self.pg:
            import psycopg2

            conn = psycopg2.connect(self.where)
        else:
            Path(self.where).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.where, timeout=60, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")  # readers never wait; one fsync-light writer
            conn.execute("PRAGMA synchronous=NORMAL")
        self._conn, self._pid = conn, os.getpid()
        with self._atomic(conn, None) as tx:
            for statement in _SCHEMA:
                tx.rows(statement)
        return conn

    @contextlib.contextmanager
    def _atomic(self, conn: Any, host: str | None) -> Iterator[_Tx]:
        cursor = conn.cursor()
        try:
            if self.pg:
                # serialise on the host (or on the schema): its row may not exist yet
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (host or "host_limits schema",))
            else:
                cursor.execute("BEGIN IMMEDIATE")
            yield _Tx(cursor, self.pg)
        except BaseException:
            conn.rollback() if self.pg else cursor.execute("ROLLBACK")
            raise
        else:
            conn.commit() if self.pg else cursor.execute("COMMIT")
        finally:
            cursor.close()

    @contextlib.contextmanager
    def transaction(self, host: str) -> Iterator[_Tx]:
        """One atomic step on ``host``'s limits (every process waits for the one inside)."""
        with self._lock, self._atomic(self._connect(), host) as tx:
            yield tx

    def gate(
        self, host: str, limit: int, interval: float, throttle_cap: float, lease: float
    ) -> SharedHostGate:
        return SharedHostGate(host, limit, interval, throttle_cap, self, lease)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None


class SharedHostGate(HostGate):
    """``HostGate`` whose state lives in ``SharedLimits``: the limits hold across processes.

    ``in_flight``, ``max_in_flight`` and ``starts`` count this process's checks only.
    """

    def __init__(
        self, host: str, limit: int, interval: float, throttle_cap: float, store: SharedLimits, lease: float
    ) -> None:
        super().__init__(host, limit, interval, throttle_cap)
        self.store = store
        self.lease = lease + LEASE_GRACE
        self._tokens: list[str] = []  # slots this process holds
        self._offset = time.time() - time.monotonic()
        self._not_until = 0.0  # monotonic: the host cannot be ready before (ready times only grow)
        self._full_seen = float("-inf")  # monotonic: when the host was last seen full
        self._released_at = float("-inf")  # monotonic: when this process last gave a slot back

    def _state(self, tx: _Tx, wall: float) -> tuple[float, float, float, bool, int]:
        """(next_start, last_begin, not_before, throttled, slots in flight), dead holders dropped."""
        tx.rows(
            "INSERT INTO host_limits VALUES (?, 0, ?, 0, 0) ON CONFLICT (host) DO NOTHING", (self.host, -1e18)
        )
        tx.rows("DELETE FROM host_slots WHERE host = ? AND expires < ?", (self.host, wall))
        mine = tx.rows(
            "SELECT token, pid FROM host_slots WHERE host = ? AND machine = ?",
            (self.host, self.store.machine),
        )
        for token, pid in mine:
            if not pid_alive(int(pid)):
                tx.rows("DELETE FROM host_slots WHERE token = ?", (token,))
        ((next_start, last_begin, not_before, throttled),) = tx.rows(
            "SELECT next_start, last_begin, not_before, throttled FROM host_limits WHERE host = ?",
            (self.host,),
        )
        ((count,),) = tx.rows("SELECT count(*) FROM host_slots WHERE host = ?", (self.host,))
        return float(next_start), float(last_begin), float(not_before), bool(throttled), int(count)

    def _try(self, now: float) -> tuple[bool, float, bool]:
        """Take a slot if one is free and the interval has passed: (taken, ready at, throttled)."""
        wall = now + self._offset
        with self.store.transaction(self.host) as tx:
            next_start, _, not_before, throttled, count = self._state(tx, wall)
            ready = max(next_start, not_before)
            if count >= self.limit or wall < ready:
                taken = False
            else:
                token = uuid.uuid4().hex
                tx.rows(
                    "INSERT INTO host_slots VALUES (?, ?, ?, ?, ?)",
                    (token, self.host, self.store.machine, os.getpid(), wall + self.lease),
                )
                tx.rows(
                    "UPDATE host_limits SET next_start = ? WHERE host = ?",
                    (max(wall, ready) + self.interval, self.host),
                )
                taken = True
        with self._cond:
            self._not_before, self._throttled = not_before - self._offset, throttled
            if taken:
                self._tokens.append(token)
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            elif count >= self.limit:
                self._full_seen = now
            else:
                self._not_until = max(self._not_until, ready - self._offset)
        return taken, ready - self._offset, throttled

    def try_acquire(self, now: float) -> bool:
        with self._cond:
            if now < self._not_until or now - self._full_seen < POLL:
                return False  # known without asking the store: ready times only move later
            if now - self._released_at < POLL:
                return False  # fairness: a process waiting on this host gets one look first
        return self._try(now)[0]

    def wait_hint(self, now: float) -> float | None:
        with self._cond:
            if now - self._released_at < POLL:
                return POLL
            if now - self._full_seen < POLL:
                # full: this process's own checks finishing wake it; others' need a look again
                return None if self.in_flight >= self.limit else POLL
            return max(0.0, self._not_until - now)

    def acquire(self, budget: float) -> None:
        deadline = time.monotonic() + budget
        while True:
            now = time.monotonic()
            taken, ready, throttled = self._try(now)
            if taken:
                return
            if ready > deadline or (throttled and ready - now > self.throttle_cap):
                raise HostBusy(self.host, ready - now, throttled)
            if now >= deadline:
                raise HostBusy(self.host, budget, False)
            time.sleep(max(0.001, min(deadline, ready if ready > now else now + POLL) - now))

    def begin(self) -> None:
        now = time.monotonic()
        wall = now + self._offset
        with self.store.transaction(self.host) as tx:
            next_start, last_begin, not_before, _, _ = self._state(tx, wall)
            start = max(wall, last_begin + self.interval, not_before)
            tx.rows(
                "UPDATE host_limits SET last_begin = ?, next_start = ? WHERE host = ?",
                (start, max(next_start, start + self.interval), self.host),
            )
        with self._cond:
            self.starts.append(start - self._offset)
        if start > wall:
            time.sleep(start - wall)

    def release(self) -> None:
        with self._cond:
            token = self._tokens.pop() if self._tokens else None
            self.in_flight -= 1
            self._full_seen = float("-inf")
            self._released_at = time.monotonic()
            self._cond.notify_all()
        if token is not None:
            with self.store.transaction(self.host) as tx:
                tx.rows("DELETE FROM host_slots WHERE token = ?", (token,))

    def defer(self, until: float, *, throttled: bool = False) -> None:
        with self.store.transaction(self.host) as tx:
            self._state(tx, time.time())
            tx.rows(
                "UPDATE host_limits SET not_before = CASE WHEN not_before > ? THEN not_before ELSE ? END,"
                " throttled = CASE WHEN ? = 1 THEN 1 ELSE throttled END WHERE host = ?",
                (until + self._offset, until + self._offset, int(throttled), self.host),
            )
        with self._cond:
            self._not_until = max(self._not_until, until)
            self._not_before = max(self._not_before, until)
            self._throttled = self._throttled or throttled
            self._cond.notify_all()
