"""Memory across runs (TTL, confirmed dead, outages), archive fallback and title drift.

Runs are separated by a fake clock; the servers are real.
"""

import json
import socket
import sqlite3
from datetime import UTC, datetime, timedelta

import pyarrow.parquet as pq
import pytest
from werkzeug import Request, Response

from pipeline.core import dataset
from pipeline.core.errors import DatasetError
from pipeline.core.models import Citation, ParsedDocument, Status, UrlCheck, UrlCheckSet
from pipeline.core.urlcheck import (
    History,
    UrlChecker,
    apply_citation,
    check_urls,
    collect_citation_context,
    score_title,
    wayback_timestamp,
)
from tests.core.urlcheck_servers import http_server, mapping_resolver, settings

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def history(tmp_path):
    return History(tmp_path / "state" / "url_history.sqlite")


NAMES = {f"{h}.test": "127.0.0.2" for h in ("a", "b", "c", "archive")}


def checker_at(clock, **overrides) -> UrlChecker:
    return UrlChecker(settings(**overrides), resolver=mapping_resolver(NAMES), clock=clock)


def fetches(srv) -> int:
    return sum(1 for req, _ in srv.log if req.method == "HEAD")


# --- TTL ------------------------------------------------------------------------------------------


def test_a_url_checked_within_the_ttl_is_not_checked_again(server, clock, history):
    server.expect_request("/page").respond_with_data("fine", content_type="text/plain")
    url = server.url_for("/page")
    first = check_urls([url], checker_at(clock), history)
    assert first.checked == 1 and first.checks[url].status == Status.OK
    assert fetches(server) == 1

    clock.advance(days=6)
    second = check_urls([url], checker_at(clock), history)
    assert second.cached == 1 and second.checked == 0
    assert second.checks[url].checked_at == T0
    assert fetches(server) == 1  # not fetched again

    clock.advance(days=2)  # 8 days after the first check: past the 7-day TTL
    third = check_urls([url], checker_at(clock), history)
    assert third.checked == 1
    assert third.checks[url].checked_at == T0 + timedelta(days=8)
    assert fetches(server) == 2
    assert [r.checked_at for r in history.rows(url)] == [T0, T0 + timedelta(days=8)]


def test_a_url_that_could_not_be_checked_is_tried_again_sooner(clock, history):
    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.2:{port}/down"  # nothing listens: connection_error
    assert check_urls([url], checker_at(clock), history).checks[url].status == Status.CONNECTION_ERROR
    clock.advance(minutes=30)
    assert check_urls([url], checker_at(clock), history).cached == 1  # within recheck_failed_hours
    clock.advance(hours=1)
    assert check_urls([url], checker_at(clock), history).checked == 1  # not 7 days later


# --- confirmed dead -----------------------------------------------------------------------------


def test_dead_is_confirmed_only_after_two_failures_days_apart(server, clock, history):
    server.expect_request("/gone").respond_with_data("no", status=404)
    url = server.url_for("/gone")

    first = check_urls([url], checker_at(clock), history).checks[url]
    assert first.status == Status.DEAD and first.confirmed is False

    clock.advance(days=8)  # past the TTL: checked again, 8 days >= 3 days after the first failure
    second = check_urls([url], checker_at(clock), history).checks[url]
    assert second.status == Status.DEAD and second.confirmed is True
    assert [r.confirmed for r in history.rows(url)] == [False, True]


def test_failures_closer_than_the_minimum_do_not_confirm(server, clock, history):
    server.expect_request("/gone").respond_with_data("no", status=410)
    url = server.url_for("/gone")
    check = checker_at(clock, ttl_days=0)  # re-check at every run
    assert check_urls([url], check, history).checks[url].confirmed is False
    clock.advance(days=1)
    assert check_urls([url], checker_at(clock, ttl_days=0), history).checks[url].confirmed is False
    clock.advance(days=2)  # 3 days after the first failure
    assert check_urls([url], checker_at(clock, ttl_days=0), history).checks[url].confirmed is True


def test_a_page_that_comes_back_resets_the_count(server, clock, history):
    state = {"code": 404}
    server.expect_request("/flaky").respond_with_handler(lambda r: Response("x", status=state["code"]))
    url = server.url_for("/flaky")
    for code, days in ((404, 0), (200, 4), (404, 4)):
        state["code"] = code
        clock.advance(days=days)
        result = check_urls([url], checker_at(clock, ttl_days=0), history).checks[url]
    assert result.status == Status.DEAD and result.confirmed is False
    assert result.last_ok_at == T0 + timedelta(days=4)


# --- outages never overwrite history ----------------------------------------------------------


def test_offline_keeps_the_last_known_status_and_records_nothing(server, clock, history):
    server.expect_request("/page").respond_with_data("fine", content_type="text/plain")
    url = server.url_for("/page").replace("127.0.0.2", "a.test")
    assert check_urls([url], checker_at(clock), history).checks[url].status == Status.OK

    def no_dns(host, port):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    clock.advance(days=30)
    offline = UrlChecker(settings(), resolver=no_dns, clock=clock)
    report = check_urls([url, "https://never-seen.test/x"], offline, history)
    assert report.offline and "offline" in report.note
    kept = report.checks[url]
    assert kept.status == Status.OK and kept.checked_at == T0
    assert "offline" in kept.error and "2025-03-03" in kept.error
    assert report.checks["https://never-seen.test/x"].status == Status.UNVERIFIED
    assert len(history.rows(url)) == 1  # nothing was written


def test_no_host_answering_at_all_is_an_outage_not_a_verdict(clock, history):
    names = {"a.test": "127.0.0.2", "b.test": "127.0.0.2", "c.test": "127.0.0.2"}
    with http_server("127.0.0.2") as srv:
        srv.expect_request("/p").respond_with_data("fine", content_type="text/plain")
        urls = [f"http://{h}:{srv.port}/p" for h in names]
        checker = UrlChecker(settings(), resolver=mapping_resolver(names), clock=clock)
        assert {c.status for c in check_urls(urls, checker, history).checks.values()} == {Status.OK}
    # the server is gone: every host refuses the connection, as when our own network is down
    clock.advance(days=8)
    checker = UrlChecker(settings(), resolver=mapping_resolver(names), clock=clock)
    report = check_urls(urls, checker, history)
    assert report.offline and report.note.startswith("outage")
    assert {c.status for c in report.checks.values()} == {Status.OK}
    assert all(len(history.rows(u)) == 1 for u in urls)


def test_one_host_failing_is_recorded_as_what_it_is(clock, history):
    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        port = s.getsockname()[1]
    url = f"http://a.test:{port}/p"
    report = check_urls([url], checker_at(clock), history)
    assert not report.offline
    assert report.checks[url].status == Status.CONNECTION_ERROR
    assert len(history.rows(url)) == 1


def test_a_corrupt_history_file_is_a_clear_error(tmp_path):
    path = tmp_path / "url_history.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatasetError, match="URL history"):
        History(path)


def test_history_is_append_only_and_ordered(history):
    for day in (3, 1, 2):
        history.add(UrlCheck(url="u", status=Status.OK, checked_at=T0 + timedelta(days=day)))
    assert [r.checked_at.day for r in history.rows("u")] == [4, 5, 6]
    with sqlite3.connect(history.path) as db:
        assert db.execute("SELECT COUNT(*) FROM checks").fetchone() == (3,)


# --- archive fallback ---------------------------------------------------------------------------


def wayback(calls):
    def handler(request: Request) -> Response:
        calls.append(dict(request.args))
        url = request.args["url"]
        if url.endswith("/never-archived"):
            body = {"url": url, "archived_snapshots": {}}
        else:
            stamp = request.args.get("timestamp", "2024").ljust(14, "0")
            snap = {
                "available": True,
                "status": "200",
                "timestamp": stamp,
                "url": f"http://web.test/web/{stamp}/{url}",
            }
            body = {"url": url, "archived_snapshots": {"closest": snap}}
        return Response(json.dumps(body), content_type="application/json")

    return handler


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
    assert "refused" in result.archive_error


# --- drift and citation context ----------------------------------------------------------------


@pytest.mark.parametrize(
    "page,cited,drift",
    [
        ("Iran and Russia deepen military ties | Reuters", "Iran and Russia deepen military ties", False),
        ("Iran, Russia Deepen Military Ties", "Iran and Russia deepen military ties", False),
        ("The Strait of Hormuz: shipping risks - CRS Reports", "The Strait of Hormuz: Shipping Risks", False),
        ("Welcome to Example Corp", "Iran and Russia deepen military ties", True),
        ("Domain for sale", "Annual report on port security 2019", True),
    ],
)
def test_title_drift_is_flagged_below_the_threshold(page, cited, drift):
    check = UrlCheck(url="https://x.test/a", status=Status.OK, page_title=page)
    scored = apply_citation(check, cited, threshold=60)
    assert scored.cited_title == cited
    assert scored.possible_drift is drift
    assert 0 <= scored.title_score <= 100


@pytest.mark.parametrize("page,cited", [(None, "A title"), ("A title", None), ("!!!", "A title")])
def test_no_drift_verdict_without_two_titles(page, cited):
    assert score_title(page, cited) is None
    check = apply_citation(UrlCheck(url="u", status=Status.OK, page_title=page), cited, 60)
    assert check.possible_drift is None


@pytest.mark.parametrize(
    "date,stamp",
    [("2021-03-15", "20210315"), ("2021-03", "202103"), ("2021", "2021"), (None, None), ("n.d.", None)],
)
def test_wayback_timestamps_from_citation_dates(date, stamp):
    assert wayback_timestamp(date) == stamp


def test_citation_context_prefers_the_access_date_then_the_documents_latest_date():
    cits = [
        Citation(
            citation_id="c1",
            footnote_number=1,
            position=0,
            raw_text="...",
            title="First",
            published="2018-01-02",
            urls=["https://a.test/1"],
        ),
        Citation(
            citation_id="c2",
            footnote_number=2,
            position=0,
            raw_text="...",
            title="Second",
            published="2020-05",
            accessed="2021-02-03",
            urls=["https://a.test/2"],
        ),
        Citation(citation_id="c3", footnote_number=3, position=0, raw_text="...", urls=["https://a.test/3"]),
    ]
    titles, dates = collect_citation_context(cits)
    assert titles == {"https://a.test/1": "First", "https://a.test/2": "Second"}
    assert dates == {
        "https://a.test/1": "2021-02-03",
        "https://a.test/2": "2021-02-03",
        "https://a.test/3": "2021-02-03",
    }


# --- history in the dataset -----------------------------------------------------------------------


def test_the_dataset_exports_every_recorded_check(tmp_path):
    doc = ParsedDocument(doc_id="d", source_path="d.pdf", sha256="s", kind="pdf")
    older = UrlCheck(url="https://a.test/x", status=Status.OK, checked_at=T0)
    newer = UrlCheck(
        url="https://a.test/x", status=Status.DEAD, checked_at=T0 + timedelta(days=8), confirmed=False
    )
    never = UrlCheck(url="https://a.test/y", status=Status.UNVERIFIED)
    urls = UrlCheckSet(doc_id="d", sha256="s", checks=[newer, never], history=[older, newer])
    other = UrlCheckSet(doc_id="e", sha256="t", checks=[newer], history=[older, newer])
    doc_e = ParsedDocument(doc_id="e", source_path="e.pdf", sha256="t", kind="pdf")
    tables = dataset.build_tables(
        [dataset.DocumentRecords(doc, url_checks=urls), dataset.DocumentRecords(doc_e, url_checks=other)]
    )
    paths = dataset.write_dataset(tmp_path, tables)
    rows = pq.read_table(paths["url_history"]).to_pylist()
    assert [(r["url"], r["status"], r["confirmed"]) for r in rows] == [
        ("https://a.test/x", "ok", True),
        ("https://a.test/x", "dead", False),
    ]  # shared URLs once, unchecked results not at all
    latest = pq.read_table(paths["url_checks"]).to_pylist()
    assert {(r["url"], r["status"]) for r in latest} == {
        ("https://a.test/x", "dead"),
        ("https://a.test/y", "unverified"),
    }


def test_offline_mode_checks_nothing_at_all(server, clock, history):
    server.expect_request("/page").respond_with_data("fine", content_type="text/plain")
    urls = [server.url_for("/page"), "ftp://files.test/x"]
    report = check_urls(urls, checker_at(clock), history, offline=True)
    assert report.offline and report.note.startswith("offline mode")
    assert {c.status for c in report.checks.values()} == {Status.UNVERIFIED}
    assert server.log == [] and history.all_rows() == []


def test_urls_that_need_no_network_are_judged_even_when_offline(clock, history):
    def no_dns(host, port):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    checker = UrlChecker(settings(), resolver=no_dns, clock=clock)
    report = check_urls(["https://a.test/x", "mailto:someone@a.test"], checker, history)
    assert report.offline
    assert report.checks["https://a.test/x"].status == Status.UNVERIFIED
    assert report.checks["mailto:someone@a.test"].status == Status.UNSUPPORTED_SCHEME
