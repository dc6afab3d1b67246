"""Memory across runs (TTL, confirmed dead) and the history file itself.

Runs are separated by a fake clock; the servers are real.
"""

import socket
import sqlite3
from datetime import timedelta

import pyarrow.parquet as pq
import pytest
from werkzeug import Response

from pipeline.core import dataset
from pipeline.core.errors import DatasetError
from pipeline.core.models import ParsedDocument, Status, UrlCheck, UrlCheckSet
from pipeline.core.urlcheck import History, check_urls
from tests.core.urlcheck.servers import T0, checker_at


def fetches(srv) -> int:
    return sum(1 for req, _ in srv.log if req.method == "HEAD")


# --- TTL --------------------------------------------------------------------------------------------


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


# --- confirmed dead ---------------------------------------------------------------------------------


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


# --- the history file -------------------------------------------------------------------------------


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
