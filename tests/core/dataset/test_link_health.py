"""Link-health summaries: which links are worst, and link rot by domain and by citation age."""

from datetime import UTC, datetime

import pytest

from pipeline.core.dataset import rank_worst_links, summarize_link_rot
from pipeline.core.models import ClaimSourceRow, Status, UrlCheckRow

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def source(url, status, published=None, claim="c1", cid=None, checked=NOW, doc="d", note=1):
    return ClaimSourceRow(
        doc_id=doc,
        claim_id=claim,
        claim_text=f"claim {claim}",
        page=1,
        footnote_number=note,
        citation_id=cid or f"{doc}:{url}",
        citation_position=0,
        citation_kind="full",
        source_citation_id=cid or f"{doc}:{url}",
        citation_text="...",
        published=published,
        url=url,
        url_status=status,
        checked_at=checked,
    )


def check(url, status, confirmed=True):
    return UrlCheckRow(
        url=url,
        status=status,
        http_status=None,
        final_url=None,
        checked_at=NOW,
        error=None,
        page_title=None,
        archive_url=None,
        confirmed=confirmed,
    )


def test_worst_links_rank_confirmed_deaths_first_and_leave_live_links_out():
    checks = [
        check("https://a.org/ok", Status.OK),
        check("https://a.org/blocked", Status.BLOCKED),
        check("https://a.org/maybe-dead", Status.DEAD, confirmed=False),
        check("https://a.org/dead", Status.DEAD),
        check("https://a.org/soft", Status.SOFT_404),
        check("https://a.org/moved", Status.REDIRECTED),
        check("https://a.org/unknown", Status.UNVERIFIED),
    ]
    sources = [
        source("https://a.org/dead", "dead", claim="c1", note=1),
        source("https://a.org/dead", "dead", claim="c2", note=4),
        source("https://a.org/soft", "soft_404", claim="c3", note=2),
    ]
    worst = rank_worst_links(checks, sources)
    assert [(w.url.rsplit("/", 1)[1], w.status.value) for w in worst] == [
        ("dead", "dead"),
        ("maybe-dead", "dead"),
        ("soft", "soft_404"),
        ("blocked", "blocked"),
        ("unknown", "unverified"),
    ]
    assert worst[0].claims == ["claim c1", "claim c2"] and worst[0].footnote_numbers == [1, 4]
    assert worst[1].claims == [] and not worst[1].confirmed
    assert len(rank_worst_links(checks, sources, limit=2)) == 2


@pytest.mark.parametrize(
    "published,band",
    [
        ("2026-06-01", "under 1 year"),
        ("2025-06", "1-2 years"),
        ("2022", "2-5 years"),
        ("2019-01-01", "5-10 years"),
        ("2001", "10+ years"),
        (None, "date unknown"),
        ("not a date", "date unknown"),
    ],
)
def test_citation_age_bands(published, band):
    _, by_age = summarize_link_rot([source("https://x.org/a", "dead", published)], now=NOW)
    assert [(r.group, r.links, r.rotten) for r in by_age] == [(band, 1, 1)]


def test_rot_by_domain_counts_each_url_once_and_keeps_undetermined_out_of_the_share():
    rows = [
        source("https://www.news.org/1", "dead", claim="c1"),
        source("https://www.news.org/1", "dead", claim="c2"),  # the same URL cited twice
        source("https://news.org/2", "ok"),
        source("https://news.org/3", "blocked"),
        source("https://news.org/4", None),  # not checked yet
        source("https://gov.example/a", "unverified"),
    ]
    by_domain, _ = summarize_link_rot(rows, now=NOW)
    got = {r.group: (r.links, r.alive, r.rotten, r.undetermined, r.rot_share) for r in by_domain}
    assert got == {"news.org": (4, 1, 1, 2, 0.5), "gov.example": (1, 0, 0, 1, None)}
    assert [r.group for r in by_domain] == ["news.org", "gov.example"]


def test_age_uses_the_check_time_and_each_source_once():
    checked = datetime(2020, 1, 1, tzinfo=UTC)
    rows = [
        source("https://x.org/a", "ok", "2018-06-01", claim="c1", cid="s1", checked=checked),
        source("https://x.org/a", "ok", "2018-06-01", claim="c2", cid="s1", checked=checked),
    ]
    _, by_age = summarize_link_rot(rows, now=NOW)
    assert [(r.group, r.links, r.alive) for r in by_age] == [("1-2 years", 1, 1)]
