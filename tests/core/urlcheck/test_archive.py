"""Archive fallback: the Wayback snapshot nearest the citing date, for rotten links only."""

import socket

import pytest
from werkzeug import Response

from pipeline.core.models import Status
from pipeline.core.urlcheck import check_urls, wayback_timestamp
from tests.core.urlcheck.servers import checker_at, http_server, wayback


def test_dead_soft_404_and_root_redirects_get_the_snapshot_nearest_the_citing_date(server, clock, history):
    calls = []
    server.expect_request("/wayback/available").respond_with_handler(wayback(calls))
    server.expect_request("/gone").respond_with_data("no", status=404)
    server.expect_request("/soft").respond_with_data(
        "<title>Page not found</title>", content_type="text/html"
    )
    server.expect_request("/deep/link").respond_with_response(Response(status=301, headers={"Location": "/"}))
    server.expect_request("/").respond_with_data("<title>Home</title>", content_type="text/html")
    server.expect_request("/fine").respond_with_data("ok", content_type="text/plain")
    base = f"http://a.test:{server.port}"
    urls = [f"{base}/gone", f"{base}/soft", f"{base}/deep/link", f"{base}/fine"]
    api = f"http://archive.test:{server.port}/wayback/available"
    checker = checker_at(clock, archive_lookup=True, wayback_api=api)
    dates = {urls[0]: "2021-03-15", urls[1]: "2019", urls[2]: None}
    report = check_urls(urls, checker, history, dates=dates)

    gone, soft, deep, fine = (report.checks[u] for u in urls)
    assert (gone.status, soft.status, deep.status, fine.status) == (
        Status.DEAD,
        Status.SOFT_404,
        Status.REDIRECT_TO_ROOT,
        Status.OK,
    )
    assert gone.archive_url == f"http://web.test/web/20210315000000/{urls[0]}"
    assert gone.archive_timestamp == "20210315000000"
    assert soft.archive_timestamp.startswith("2019")
    assert deep.archive_url is not None
    assert fine.archive_url is None and fine.archive_error is None
    looked_up = {c["url"]: c.get("timestamp") for c in calls}
    assert looked_up == {urls[0]: "20210315", urls[1]: "2019", urls[2]: None}
    # the archive fields are kept in history, so a cached result still has them
    assert history.rows(urls[0])[-1].archive_url == gone.archive_url


def test_no_snapshot_or_a_failing_archive_is_said_not_hidden(server, clock, history):
    calls = []
    server.expect_request("/wayback/available").respond_with_handler(wayback(calls))
    server.expect_request("/never-archived").respond_with_data("no", status=404)
    url = f"http://a.test:{server.port}/never-archived"
    api = f"http://archive.test:{server.port}/wayback/available"
    result = check_urls([url], checker_at(clock, archive_lookup=True, wayback_api=api), history).checks[url]
    assert result.archive_url is None
    assert result.archive_error == "no snapshot in the Wayback Machine"

    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        dead_port = s.getsockname()[1]
    clock.advance(days=8)
    down = f"http://archive.test:{dead_port}/wayback/available"
    result = check_urls([url], checker_at(clock, archive_lookup=True, wayback_api=down), history).checks[url]
    assert result.status == Status.DEAD
    assert result.archive_error.startswith("archive lookup failed")


def test_the_archive_api_is_subject_to_the_address_policy(server, clock, history):
    server.expect_request("/gone").respond_with_data("no", status=404)
    with http_server("127.0.0.3") as private:
        api = f"http://127.0.0.3:{private.port}/wayback/available"
        url = f"http://a.test:{server.port}/gone"
        result = check_urls([url], checker_at(clock, archive_lookup=True, wayback_api=api), history).checks[
            url
        ]
        assert private.log == []
    assert result.archive_error.startswith("archive lookup failed: ")
    assert result.archive_error.endswith("refused: 127.0.0.3 resolves to non-public address(es) 127.0.0.3")


@pytest.mark.parametrize(
    "date,stamp",
    [("2021-03-15", "20210315"), ("2021-03", "202103"), ("2021", "2021"), (None, None), ("n.d.", None)],
)
def test_wayback_timestamps_from_citation_dates(date, stamp):
    assert wayback_timestamp(date) == stamp
