"""Page text through the checker on loopback servers: paywalls, the byte cap, snapshots read raw as
evidence of dead links and as the baseline of live ones."""

from __future__ import annotations

import json
import re

import pytest
from werkzeug import Request, Response

from pipeline.core.models import REACHABLE, Status
from pipeline.core.urlcheck import check_urls
from pipeline.core.urlcheck.archive import raw_snapshot_url
from pipeline.core.urlcheck.pagetext import PageStore
from pipeline.core.urlcheck.status import Outcome, classify
from tests.core.urlcheck.servers import HTML, checker_at

ARTICLE = (
    "<html><head><title>Trade climbs</title>{head}</head><body><article><h1>Trade climbs</h1>"
    "<p>Trade between Iran and Turkey climbed to 600m dollars in 2023, a rise of 42 per cent, the "
    "ministry said.</p><p>{extra}</p></article></body></html>"
)
JSON_LD = '<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false}</script>'
TIER = '<meta property="article:content_tier" content="locked">'


@pytest.fixture
def pages(tmp_path):
    return PageStore(tmp_path / "pages")


@pytest.mark.parametrize(
    ("case", "body", "code", "expected"),
    [
        ("json_ld_not_free", ARTICLE.format(head=JSON_LD, extra=""), 200, Status.PAYWALLED),
        ("content_tier_locked", ARTICLE.format(head=TIER, extra=""), 200, Status.PAYWALLED),
        ("teaser", ARTICLE.format(head="", extra="Subscribe to continue reading."), 200, Status.PAYWALLED),
        ("payment_required", "<title>Pay</title>", 402, Status.PAYWALLED),
        (
            "free_with_a_newsletter_box",
            ARTICLE.format(head="", extra="Subscribe to our newsletter."),
            200,
            Status.OK,
        ),
        ("free_says_so", ARTICLE.format(head='{"isAccessibleForFree": true}', extra=""), 200, Status.OK),
    ],
)
def test_paywalls_are_reachable_never_dead_and_not_evidence(server, clock, pages, case, body, code, expected):
    server.expect_request("/a").respond_with_data(body, status=code, content_type=HTML)
    checker = checker_at(clock)
    checker.pages = pages
    check = checker.check_one(f"http://a.test:{server.port}/a")
    assert check.status == expected, (case, check)
    if expected == Status.PAYWALLED:
        assert check.status in REACHABLE
        assert check.content_hash is None  # a teaser is not the article: no text kept as evidence
        assert "not free to read" in (check.error or "")
    else:
        assert "Trade between Iran and Turkey climbed" in pages.load(check.content_hash).text


def test_paywall_status_comes_from_classify():
    assert classify(Outcome(url="u", http_status=200, paywalled=True)) == Status.PAYWALLED
    # an error page stays what it is, paywall or not
    assert classify(Outcome(url="u", http_status=404, paywalled=True)) == Status.DEAD
    assert (
        classify(Outcome(url="u", http_status=200, title="Page not found", paywalled=True)) == Status.SOFT_404
    )


def test_the_text_is_read_up_to_its_own_cap_not_the_titles(server, clock, pages):
    paras = "".join(
        f"<p>In month {i} trade between Iran and Turkey grew by {i} per cent again.</p>" for i in range(3000)
    )
    body = "<html><head><title>Long</title></head><body><h1>Long</h1><article>" + paras
    server.expect_request("/long").respond_with_data(body + "</article></body></html>", content_type=HTML)
    checker = checker_at(clock, max_body_bytes=4096, text_max_bytes=64 * 1024)
    checker.pages = pages
    check = checker.check_one(f"http://a.test:{server.port}/long")
    assert check.status == Status.OK and check.page_title == "Long"
    text = pages.load(check.content_hash).text
    assert 4096 < len(text) <= 64 * 1024  # more than the title's cap, never more than the text's


def test_raw_snapshot_url():
    snap = "http://web.archive.org/web/20200101000000/http://example.com/a"
    assert raw_snapshot_url(snap) == "http://web.archive.org/web/20200101000000id_/http://example.com/a"
    assert raw_snapshot_url(snap.replace("000/http", "000if_/http")) == raw_snapshot_url(snap)


OLD = "<html><head><title>Rate</title></head><body><article><p>{}</p></article></body></html>"
RATE = "Armenia's central bank raised its key interest rate to 10.75% in January 2023 to fight inflation."
MUSEUM = "A new museum of historic coins opened its doors to visitors this spring, with guided tours."


def archive(port: int, seen: list[str]):
    """A Wayback stand-in: the lookup API, and raw snapshots of /gone, /same and /changed."""

    def handler(request: Request) -> Response:
        seen.append(request.full_path)
        if request.path == "/wayback/available":
            url = request.args["url"]
            stamp = "20230301000000"
            snap = f"http://archive.test:{port}/web/{stamp}/{url}"
            closest = {"available": True, "status": "200", "timestamp": stamp, "url": snap}
            return Response(json.dumps({"archived_snapshots": {"closest": closest}}))
        if "id_/" in request.path and request.path.endswith(("/gone", "/same", "/changed")):
            return Response(OLD.format(RATE), content_type=HTML)
        return Response("not archived", status=404)

    return handler


def test_snapshots_are_read_raw_for_dead_links_and_compared_with_live_pages(server, clock, pages, history):
    seen: list[str] = []
    server.expect_request("/gone").respond_with_data("no", status=404)
    server.expect_request("/same").respond_with_data(OLD.format(RATE), content_type=HTML)
    server.expect_request("/changed").respond_with_data(OLD.format(MUSEUM), content_type=HTML)
    server.expect_request("/unarchived").respond_with_data(OLD.format(MUSEUM), content_type=HTML)
    server.expect_request("/wayback/available").respond_with_handler(archive(server.port, seen))
    server.expect_request(re.compile("^/web/.*")).respond_with_handler(archive(server.port, seen))
    api = f"http://archive.test:{server.port}/wayback/available"
    checker = checker_at(clock, archive_lookup=True, wayback_api=api)
    checker.pages = pages
    base = f"http://a.test:{server.port}"
    urls = [f"{base}/gone", f"{base}/same", f"{base}/changed", f"{base}/unarchived"]
    report = check_urls(urls, checker, history, dates={u: "2023-03-01" for u in urls})
    gone, same, changed, unarchived = (report.checks[u] for u in urls)

    assert gone.status == Status.DEAD and pages.load(gone.archive_content_hash).text == RATE
    assert any("20230301000000id_/" in p for p in seen)  # the raw form, not the archive's page
    assert (same.content_similarity, same.content_changed) == (1.0, False)
    assert changed.content_changed is True and changed.content_similarity < 0.6
    assert unarchived.content_similarity is None and unarchived.content_changed is None
    assert unarchived.archive_error.startswith("snapshot could not be read")
