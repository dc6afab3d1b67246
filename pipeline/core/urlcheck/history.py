"""Memory across runs: every check goes to a SQLite history, appended, never rewritten.

A URL checked within the TTL is not checked again (sooner for checks that could not tell);
``dead`` is confirmed only after repeated failures days apart, and a check that found the page
resets the count; ``last_ok_at`` is the latest check that found the page. An outage writes
nothing (see ``batch``), so what is known is never overwritten by our own network's failure.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pipeline.core.errors import DatasetError
from pipeline.core.models import REACHABLE, Status, UrlCheck
from pipeline.core.settings import UrlCheckSettings


class History:
    """Every check ever made, in SQLite (safe across processes). Append-only.

    The latest row of a URL is its status; older rows serve the confirmed-dead rule and
    ``last_ok_at``. Rows are only ever added, so nothing known is lost.
    """

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.path = path
            with contextlib.closing(self._connect()) as db, db:
                db.execute(
                    """CREATE TABLE IF NOT EXISTS checks (
                        url TEXT NOT NULL, status TEXT NOT NULL, http_status INTEGER, final_url TEXT,
                        checked_at TEXT NOT NULL, record TEXT NOT NULL)"""
                )
                db.execute("CREATE INDEX IF NOT EXISTS checks_url ON checks (url, checked_at)")
        except (sqlite3.Error, OSError) as exc:
            raise DatasetError(f"URL history {path} cannot be opened: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    @staticmethod
    def _stamp(when: datetime) -> str:
        # fixed width, so text order is time order
        return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def add(self, check: UrlCheck) -> None:
        self.add_many([check])

    def add_many(self, checks: Sequence[UrlCheck]) -> None:
        rows = [
            (
                c.url,
                c.status.value,
                c.http_status,
                c.final_url,
                self._stamp(c.checked_at or datetime.now(UTC)),
                c.model_dump_json(),
            )
            for c in checks
        ]
        if not rows:
            return
        try:
            with contextlib.closing(self._connect()) as db, db:
                db.executemany("INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise DatasetError(f"URL history {self.path} cannot be written: {exc}") from exc

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[UrlCheck]:
        try:
            with contextlib.closing(self._connect()) as db:
                return [UrlCheck.model_validate_json(r[0]) for r in db.execute(sql, args).fetchall()]
        except sqlite3.Error as exc:
            raise DatasetError(f"URL history {self.path} cannot be read: {exc}") from exc

    def rows(self, url: str) -> list[UrlCheck]:
        """Every check of ``url``, oldest first."""
        return self._query("SELECT record FROM checks WHERE url = ? ORDER BY checked_at, rowid", (url,))

    def rows_for(self, urls: Iterable[str]) -> dict[str, list[UrlCheck]]:
        out: dict[str, list[UrlCheck]] = {}
        for url in dict.fromkeys(urls):
            rows = self.rows(url)
            if rows:
                out[url] = rows
        return out

    def latest(self, urls: Iterable[str]) -> dict[str, UrlCheck]:
        return {url: rows[-1] for url, rows in self.rows_for(urls).items()}

    def all_rows(self) -> list[UrlCheck]:
        return self._query("SELECT record FROM checks ORDER BY url, checked_at, rowid")


#: statuses that say something lasting about the link; others are retried sooner
CONCLUSIVE = frozenset(
    {
        Status.OK,
        Status.REDIRECTED,
        Status.PAYWALLED,
        Status.REDIRECT_TO_ROOT,
        Status.SOFT_404,
        Status.DEAD,
        Status.BLOCKED,
        Status.INVALID_URL,
        Status.UNSUPPORTED_SCHEME,
        Status.REFUSED_PRIVATE,
    }
)


def confirm_dead(check: UrlCheck, past: Sequence[UrlCheck], settings: UrlCheckSettings) -> UrlCheck:
    """``dead`` is confirmed after N failures in a row, each at least D days after the last counted.

    A check that found the page resets the count; checks that could not tell (timeouts...) do not.
    """
    if check.status != Status.DEAD:
        return check
    streak: list[datetime] = []
    for row in [*past, check]:
        if row.checked_at is None:
            continue
        if row.status in REACHABLE:
            streak = []
        elif row.status == Status.DEAD and (
            not streak or row.checked_at - streak[-1] >= timedelta(days=settings.dead_min_days_apart)
        ):
            streak.append(row.checked_at)
    return check.model_copy(update={"confirmed": len(streak) >= settings.dead_after_failures})


def is_fresh(prev: UrlCheck, now: datetime, settings: UrlCheckSettings) -> bool:
    """True when ``prev`` is recent enough not to check the URL again."""
    if prev.checked_at is None:
        return False
    age = now - prev.checked_at
    if prev.status in CONCLUSIVE:
        return age < timedelta(days=settings.ttl_days)
    if prev.status == Status.UNVERIFIED:
        return False
    return age < timedelta(hours=settings.recheck_failed_hours)


def with_last_ok(check: UrlCheck, past: Sequence[UrlCheck]) -> UrlCheck:
    """The check with ``last_ok_at``: its own time if it found the page, else the latest that did."""
    if check.status in REACHABLE:
        return check.model_copy(update={"last_ok_at": check.checked_at})
    oks = [r.checked_at for r in past if r.status in REACHABLE and r.checked_at]
    return check.model_copy(update={"last_ok_at": max(oks) if oks else None})
