"""Link health summaries (the UI's tables): which links are worst, and link rot by domain and age.

Severity orders the statuses worst first; everything from UNVERIFIED on is not evidence of rot.
The age of a citation is the time between its ``published`` date and the URL's check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from pipeline.core.models import (
    REACHABLE,
    ROTTEN,
    ClaimSourceRow,
    LinkRotRow,
    Status,
    UrlCheck,
    UrlCheckRow,
    WorstLink,
)

#: worst first. Everything from UNVERIFIED on is not evidence of rot.
SEVERITY: tuple[Status, ...] = (
    Status.DEAD,
    Status.SOFT_404,
    Status.REDIRECT_TO_ROOT,
    Status.SERVER_ERROR,
    Status.DNS_ERROR,
    Status.CONNECTION_ERROR,
    Status.TLS_ERROR,
    Status.TIMEOUT,
    Status.BLOCKED,
    Status.RATE_LIMITED,
    Status.INVALID_URL,
    Status.UNSUPPORTED_SCHEME,
    Status.REFUSED_PRIVATE,
    Status.UNVERIFIED,
    Status.REDIRECTED,
    Status.OK,
)
AGE_BANDS: tuple[tuple[str, float], ...] = (
    ("under 1 year", 1),
    ("1-2 years", 2),
    ("2-5 years", 5),
    ("5-10 years", 10),
    ("10+ years", float("inf")),
)
UNKNOWN_AGE = "date unknown"


def rank_worst_links(
    checks: Iterable[UrlCheck | UrlCheckRow], sources: Iterable[ClaimSourceRow], limit: int = 10
) -> list[WorstLink]:
    """The links that are not known to be alive, worst first, with the claims citing them.

    Confirmed deaths come before unconfirmed ones; within a status, the most cited first.
    """
    citing: dict[str, list[ClaimSourceRow]] = defaultdict(list)
    for row in sources:
        if row.url:
            citing[row.url].append(row)
    bad = [c for c in checks if Status(c.status) not in REACHABLE]

    def key(c: UrlCheck | UrlCheckRow) -> tuple[int, bool, int, str]:
        claims = {r.claim_id for r in citing.get(c.url, [])}
        return SEVERITY.index(Status(c.status)), not c.confirmed, -len(claims), c.url

    out = []
    for c in sorted(bad, key=key)[:limit]:
        rows = citing.get(c.url, [])
        out.append(
            WorstLink(
                url=c.url,
                status=c.status,
                confirmed=c.confirmed,
                http_status=c.http_status,
                archive_url=c.archive_url,
                doc_ids=sorted({r.doc_id for r in rows}),
                footnote_numbers=sorted({r.footnote_number for r in rows}),
                claims=list(dict.fromkeys(r.claim_text for r in rows)),
            )
        )
    return out


def _domain(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    host = host.lower().removeprefix("www.")
    return host or "(no host)"


def _published(value: str | None) -> date | None:
    """The first day of an ISO date that may give only a year or a month."""
    if not value:
        return None
    parts = value.split("-")
    try:
        return date(
            int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
        )
    except (ValueError, IndexError):
        return None


def _age_band(published: date | None, checked: datetime | None, now: datetime) -> str:
    if published is None:
        return UNKNOWN_AGE
    years = ((checked or now).date() - published).days / 365.25
    return next(name for name, upper in AGE_BANDS if years < upper)


def _rot_rows(
    groups: Mapping[str, Sequence[str | None]], order: Sequence[str] | None = None
) -> list[LinkRotRow]:
    rows = []
    for group, statuses in groups.items():
        known = [Status(s) if s else Status.UNVERIFIED for s in statuses]
        alive = sum(1 for s in known if s in REACHABLE)
        rotten = sum(1 for s in known if s in ROTTEN)
        rows.append(
            LinkRotRow(
                group=group,
                links=len(known),
                alive=alive,
                rotten=rotten,
                undetermined=len(known) - alive - rotten,
                rot_share=round(rotten / (alive + rotten), 3) if alive + rotten else None,
            )
        )
    if order is not None:
        return sorted(rows, key=lambda r: order.index(r.group))
    return sorted(rows, key=lambda r: (-r.rotten, -r.links, r.group))


def summarize_link_rot(
    sources: Iterable[ClaimSourceRow], now: datetime | None = None
) -> tuple[list[LinkRotRow], list[LinkRotRow]]:
    """Link rot by domain (each URL once) and by citation age (each cited source and URL once).

    The age of a citation is the time between its ``published`` date and the URL's check
    (or ``now`` if it was never checked).
    """
    now = now or datetime.now(UTC)
    by_url: dict[str, str | None] = {}
    by_source: dict[tuple[str, str], tuple[str | None, date | None, datetime | None]] = {}
    for row in sources:
        if not row.url:
            continue
        by_url[row.url] = row.url_status
        source = row.source_citation_id or row.citation_id or row.claim_id
        by_source[(source, row.url)] = (row.url_status, _published(row.published), row.checked_at)
    domains: dict[str, list[str | None]] = defaultdict(list)
    for url, status in by_url.items():
        domains[_domain(url)].append(status)
    ages: dict[str, list[str | None]] = defaultdict(list)
    for status, published, checked in by_source.values():
        ages[_age_band(published, checked, now)].append(status)
    order = [name for name, _ in AGE_BANDS] + [UNKNOWN_AGE]
    return _rot_rows(domains), _rot_rows(ages, order)
