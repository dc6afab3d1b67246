"""Archive fallback: dead, soft-404 and redirect-to-root links get the Wayback snapshot nearest
the citing document's date.

The availability API is asked like any other host: through the address policy, within the
per-host limits and the check's time budget, its answer read capped. No snapshot, or a failing
archive, is said (``error``), never hidden.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import requests

from pipeline.core.models import ROTTEN
from pipeline.core.urlcheck.fetch import UrlChecker, read_capped
from pipeline.core.urlcheck.politeness import Deadline, HostBusy, HostGate, host_of, spaced
from pipeline.core.urlcheck.status import deadline_text, error_text, url_fault

#: statuses an archive snapshot is looked up for
NEEDS_ARCHIVE = ROTTEN


@dataclass(frozen=True)
class Snapshot:
    """What the Wayback Machine gave for a URL: a snapshot and its timestamp, or why none."""

    url: str | None = None
    timestamp: str | None = None  # YYYYMMDDhhmmss
    error: str | None = None


def wayback_timestamp(date: str | None) -> str | None:
    """``YYYY[-MM[-DD]]`` (the citation date formats) -> ``YYYY[MM[DD]]`` for the Wayback API."""
    if not date:
        return None
    m = re.match(r"\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date)
    if not m or not 1990 <= int(m.group(1)) <= 2100:
        return None
    return "".join(g for g in m.groups() if g)


def lookup_archive(
    checker: UrlChecker, url: str, when: str | None, reserved: HostGate | None = None
) -> Snapshot:
    """The snapshot nearest ``when`` (``YYYY[MM[DD]]``) from the Wayback availability API."""
    s = checker.settings
    params = {"url": url}
    if when:
        params["timestamp"] = when
    api = f"{s.wayback_api}{'&' if '?' in s.wayback_api else '?'}{urlencode(params)}"
    gate = checker.gate(host_of(api))
    deadline = Deadline(s.total_timeout)
    try:
        if reserved is not gate:
            if reserved is not None:
                reserved.release()
            gate.acquire(deadline.remaining())
        try:
            with spaced(gate):
                resp = checker.session().get(
                    api, allow_redirects=False, stream=True, timeout=(s.connect_timeout, s.read_timeout)
                )
            with contextlib.closing(resp):
                if resp.status_code != 200:
                    return Snapshot(error=f"archive lookup failed: HTTP {resp.status_code}")
                data = json.loads(read_capped(resp, 64 * 1024, deadline) or b"null")
        finally:
            gate.release()
    except (HostBusy, requests.RequestException, OSError, ValueError) as exc:
        reason = deadline_text(s) if deadline.hit else error_text(exc)
        return Snapshot(error=f"archive lookup failed: {reason}")
    finally:
        deadline.cancel()
    return _closest(data)


def _closest(data: object) -> Snapshot:
    """The snapshot in the API's answer, if it is available, good and checkable."""
    closest = ((data if isinstance(data, dict) else {}).get("archived_snapshots") or {}).get("closest")
    closest = closest if isinstance(closest, dict) else {}
    snap, stamp = closest.get("url"), closest.get("timestamp")
    good = str(closest.get("status", "200"))[:1] in ("2", "3")
    if not (closest.get("available") and isinstance(snap, str) and good) or url_fault(snap) is not None:
        return Snapshot(error="no snapshot in the Wayback Machine")
    return Snapshot(url=snap, timestamp=str(stamp) if stamp and str(stamp).isdigit() else None)


_SNAPSHOT_PATH = re.compile(r"(/web/\d{1,14})(?:[a-z]{2}_)?/")


def raw_snapshot_url(snapshot: str) -> str:
    """The archive's raw-content form of a snapshot (``.../web/<stamp>id_/<url>``): the page as it
    was archived, without the archive's banner and rewritten links."""
    return _SNAPSHOT_PATH.sub(r"\1id_/", snapshot, count=1)
