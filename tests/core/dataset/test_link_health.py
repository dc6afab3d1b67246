"""Link-health summaries: which links are worst, and link rot by domain and by citation age."""

from datetime import UTC, datetime

import pytest

from pipeline.core.dataset import claims_at_risk, rank_worst_links, summarize_link_rot
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


def test_a_worst_link_names_its_first_citations_and_counts_them_all():
    from pipeline.core.dataset.link_health import SHOWN

    n = SHOWN + 5
    sources = [
        source("https://a.org/dead", "dead", claim=f"c{i:02d}", doc=f"d{i:02d}", note=i + 1) for i in range(n)
    ]
    (worst,) = rank_worst_links([check("https://a.org/dead", Status.DEAD)], sources)
    assert worst.doc_ids == [f"d{i:02d}" for i in range(SHOWN)] and worst.citing_documents == n
    assert worst.footnote_numbers == list(range(1, SHOWN + 1))
    assert worst.claims == [f"claim c{i:02d}" for i in range(SHOWN)] and worst.citing_claims == n


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


def test_age_counts_each_url_once_at_its_earliest_citation():
    # one URL cited by two different sources of different dates is one link, as in the domain table
    rows = [
        source("https://x.org/a", "dead", "2024-06-01", claim="c1", cid="s1"),
        source("https://x.org/a", "dead", "2010-06-01", claim="c2", cid="s2"),
    ]
    by_domain, by_age = summarize_link_rot(rows, now=NOW)
    assert [(r.group, r.links) for r in by_domain] == [("x.org", 1)]
    assert [(r.group, r.links, r.rotten) for r in by_age] == [("10+ years", 1, 1)]


def with_evidence(row, evidence, where=None, archive=None):
    return row.model_copy(update={"evidence": evidence, "evidence_source": where, "archive_url": archive})


@pytest.mark.parametrize(
    ("case", "rows", "drifted", "at_risk"),
    [
        (
            "only_source_not_found",
            [with_evidence(source("https://a.org/1", "ok"), "not_found", "live")],
            [],
            ["not_found"],
        ),
        ("dead_without_copy", [source("https://a.org/1", "dead")], [], ["dead, no archived copy"]),
        (
            "dead_but_copy_holds_it",
            [with_evidence(source("https://a.org/1", "dead"), "found", "archive", "https://w/1")],
            [],
            None,
        ),
        ("drifted_title_or_text", [source("https://a.org/1", "ok")], ["https://a.org/1"], ["drifted"]),
        (
            "drifted_and_only_part_left",
            [with_evidence(source("https://a.org/1", "ok"), "partial", "live")],
            ["https://a.org/1"],
            ["drifted"],
        ),
        (
            "drifted_but_still_found",
            [with_evidence(source("https://a.org/1", "ok"), "found", "live")],
            ["https://a.org/1"],
            None,
        ),
        (
            "one_good_source_is_enough",
            [
                source("https://a.org/1", "dead"),
                with_evidence(source("https://b.org/2", "ok"), "partial", "live"),
            ],
            [],
            None,
        ),
        ("paywall_is_not_risk", [source("https://a.org/1", "paywalled")], [], None),
        ("unchecked_is_not_risk", [source("https://a.org/1", "unverified")], [], None),
        (
            "a_source_without_link_may_back_it",
            [source("https://a.org/1", "dead"), source(None, None)],
            [],
            None,
        ),
    ],
)
def test_claims_at_risk(case, rows, drifted, at_risk):
    got = claims_at_risk(rows, drifted)
    assert ([r.reasons for r in got] or [None])[0] == at_risk, case
    if at_risk:
        assert got[0].claim_id == "c1" and got[0].page == 1 and got[0].urls == [r.url for r in rows]


def test_the_same_claim_id_in_two_documents_is_two_claims():
    """A claim belongs to one document: rows of two documents are never merged into one claim
    (whose good source in one document would hide the dead one in the other)."""
    rows = [source("https://a.org/1", "dead", doc="d1"), source("https://b.org/2", "ok", doc="d2")]
    got = claims_at_risk(rows)
    assert [(r.doc_id, r.claim_id, r.reasons) for r in got] == [("d1", "c1", ["dead, no archived copy"])]
