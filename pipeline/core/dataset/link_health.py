"""Link health summaries (the UI's tables): which links are worst, which claims are at risk, and link
rot by domain and age (each counted in distinct URLs).

Severity orders the statuses worst first; everything from UNVERIFIED on is not evidence of rot.
The age of a citation is the time between its ``published`` date and the URL's check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from pipeline.core.models import REACHABLE, ROTTEN, ClaimSourceRow, Evidence, Status, UrlCheck, UrlCheckRow

#: how many of the documents, note numbers and claims citing a worst link it names: a link cited
#: across a large corpus would otherwise carry every citing claim into the summary and the UI
SHOWN = 10


# Summaries for people: the Dagster UI's tables (not dataset tables)
class _Summary(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorstLink(_Summary):
    """A cited link that needs attention, with the claims that rest on it."""

    url: str
    status: Status
    confirmed: bool = True
    http_status: int | None = None
    archive_url: str | None = None
    doc_ids: list[str] = Field(default_factory=list, description=f"the first {SHOWN} documents citing it")
    footnote_numbers: list[int] = Field(default_factory=list, description=f"its first {SHOWN} note numbers")
    claims: list[str] = Field(default_factory=list, description=f"text of the first {SHOWN} claims citing it")
    citing_documents: int = Field(0, description="how many documents cite it")
    citing_claims: int = Field(0, description="how many claims cite it")


class ClaimAtRisk(_Summary):
    """A cited claim none of whose linked sources still backs it: each is dead, drifted or ``not_found``."""

    doc_id: str
    claim_id: str
    claim_text: str
    page: int
    urls: list[str] = Field(default_factory=list)
    #: per URL, why it does not back the claim ("dead", "drifted", "not_found", ...)
    reasons: list[str] = Field(default_factory=list)


class LinkRotRow(_Summary):
    """Link rot of one group of cited links (a domain, or an age band of the citations).

    ``rot_share`` counts only links whose fate is known: ``undetermined`` ones (blocked,
    timeouts, unverified ...) are neither alive nor rotten, so they stay out of the share.
    """

    group: str
    links: int
    alive: int
    rotten: int = Field(description="dead, soft_404 or redirect_to_root")
    undetermined: int
    rot_share: float | None = Field(description="rotten / (alive + rotten); null when none is known")


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
    Status.PAYWALLED,
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
        docs = sorted({r.doc_id for r in rows})
        cited = CitingRows(
            doc_ids=docs[:SHOWN],
            footnote_numbers=sorted({r.footnote_number for r in rows})[:SHOWN],
            claims=list(dict.fromkeys(r.claim_text for r in rows))[:SHOWN],
            citing_documents=len(docs),
            citing_claims=len({r.claim_id for r in rows}),
        )
        out.append(worst_link(c, cited))
    return out


class CitingRows(BaseModel):
    """What a worst link names of the claim sources citing it (``SHOWN`` of each), and their counts."""

    doc_ids: list[str] = Field(default_factory=list)
    footnote_numbers: list[int] = Field(default_factory=list)
    claims: list[str] = Field(default_factory=list)
    citing_documents: int = 0
    citing_claims: int = 0


def worst_link(check: UrlCheck | UrlCheckRow, cited: CitingRows) -> WorstLink:
    """A worst link: its check, and what it names of its citations (the same field names)."""
    return WorstLink(
        url=check.url,
        status=check.status,
        confirmed=check.confirmed,
        http_status=check.http_status,
        archive_url=check.archive_url,
        **cited.model_dump(),
    )


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
    """Link rot by domain and by citation age, each URL counted once in both (one unit everywhere).

    The age of a URL is the time between its earliest ``published`` date among the citations of it
    and its check (or ``now`` if it was never checked).
    """
    now = now or datetime.now(UTC)
    by_url: dict[str, tuple[str | None, date | None, datetime | None]] = {}
    for row in sources:
        if not row.url:
            continue
        published = _published(row.published)
        _, earliest, _ = by_url.get(row.url, (None, None, None))
        if earliest is not None and (published is None or earliest < published):
            published = earliest
        by_url[row.url] = (row.url_status, published, row.checked_at)
    domains: dict[str, list[str | None]] = defaultdict(list)
    ages: dict[str, list[str | None]] = defaultdict(list)
    for url, (status, published, checked) in by_url.items():
        domains[_domain(url)].append(status)
        ages[_age_band(published, checked, now)].append(status)
    order = [name for name, _ in AGE_BANDS] + [UNKNOWN_AGE]
    return _rot_rows(domains), _rot_rows(ages, order)


def drifted_urls(checks: Iterable[UrlCheck | UrlCheckRow]) -> set[str]:
    """The URLs whose page title no longer matches the cited one, or whose text changed since its snapshot."""
    return {c.url for c in checks if c.possible_drift or c.content_changed}


def _risk(row: ClaimSourceRow, drifted: frozenset[str]) -> str | None:
    """Why this source no longer backs its claim (None: it may still): dead, drifted or not_found."""
    evidence = Evidence(row.evidence)
    if evidence == Evidence.NOT_FOUND:
        return "not_found" + (" in the archived copy" if row.evidence_source == "archive" else "")
    backed = evidence in (Evidence.FOUND, Evidence.PARTIAL)
    if row.url_status and Status(row.url_status) in ROTTEN and not backed:
        return f"{row.url_status}" + ("" if row.archive_url else ", no archived copy")
    if row.url in drifted and evidence != Evidence.FOUND:  # changed, and the claim is not all there
        return "drifted"
    return None


def claims_at_risk(sources: Iterable[ClaimSourceRow], drifted: Iterable[str] = ()) -> list[ClaimAtRisk]:
    """Cited claims every linked source of which is dead, drifted or ``not_found``, in document order.

    A source without a URL, or not checked yet, may still back the claim, so it keeps the claim off
    the list; a dead link whose archived copy holds the claim backs it too. ``drifted``: the URLs
    whose title or text drifted (``drifted_urls``).
    """
    changed = drifted if isinstance(drifted, frozenset) else frozenset(drifted)  # no copy per call
    by_claim: dict[tuple[str, str], list[ClaimSourceRow]] = defaultdict(list)
    for row in sources:
        if row.citation_kind != "commentary":
            by_claim[row.doc_id, row.claim_id].append(row)  # a claim is one document's
    out = []
    for (_, claim_id), rows in by_claim.items():
        if any(not r.url for r in rows):
            continue  # a source without a link (a book, a note not found) may still back it
        reasons = {r.url: _risk(r, changed) for r in rows if r.url}
        if any(why is None for why in reasons.values()):
            continue
        first = rows[0]
        out.append(
            ClaimAtRisk(
                doc_id=first.doc_id,
                claim_id=claim_id,
                claim_text=first.claim_text,
                page=first.page,
                urls=list(reasons),
                reasons=[reasons[u] or "" for u in reasons],
            )
        )
    return out
