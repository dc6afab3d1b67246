"""Network faults during URL checks, against real servers on 127.0.0.1.

Only the public internet is simulated: test host names resolve through an injected resolver
to loopback (or fail, for DNS trouble). Resets, stalls and outages are real socket behaviour.
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime, timedelta

from pipeline.core.models import Status, UrlCheck
from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck import CONCLUSIVE, History, UrlChecker, check_urls
from tests.robustness.servers import RawServer, reset, run_bounded

#: statuses that mean "could not check"; none of them may ever become 'dead'
CANNOT_CHECK = {Status.UNVERIFIED, Status.TIMEOUT, Status.DNS_ERROR, Status.CONNECTION_ERROR}
PLAIN_OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


def make_checker(resolver, **overrides) -> UrlChecker:
    values = {
        "allow_private": ["127.0.0.1/32"],
        "per_host_interval": 0,
        "retries": 0,
        "connect_timeout": 2,
        "read_timeout": 2,
        "total_timeout": 6,
        "archive_lookup": False,
    }
    return UrlChecker(UrlCheckSettings(**{**values, **overrides}), resolver=resolver)


def loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def no_dns(host: str, port: int) -> list[str]:
    raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")


def answer_ok(server: RawServer, conn: socket.socket) -> None:
    server.read_request(conn)
    server.send(conn, PLAIN_OK)


def old_ok(url: str, days: int = 30) -> UrlCheck:
    return UrlCheck(
        url=url,
        status=Status.OK,
        http_status=200,
        checked_at=datetime.now(UTC) - timedelta(days=days),
        page_title="As cited",
    )


def test_a_connection_reset_is_a_connection_error_not_dead():
    def handle(server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        reset(conn)

    with RawServer(handle) as server:
        check = make_checker(loopback).check_one(server.url("/reset"))
    assert check.status == Status.CONNECTION_ERROR
    assert "reset" in check.error.lower()


def test_a_server_that_never_answers_is_a_timeout_not_dead():
    def handle(server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        server.wait_stopped(30)

    with RawServer(handle) as server:
        finished, check = run_bounded(lambda: make_checker(loopback).check_one(server.url("/stall")), 30)
    assert finished
    assert check.status == Status.TIMEOUT


def test_a_stall_in_the_middle_of_the_body_is_a_timeout():
    def handle(server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        server.send(
            conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html>"
        )
        server.wait_stopped(30)

    with RawServer(handle) as server:
        finished, check = run_bounded(lambda: make_checker(loopback).check_one(server.url("/half")), 30)
    assert finished
    assert isinstance(check, UrlCheck), f"check_one raised {check!r}"
    assert check.status == Status.TIMEOUT


def test_dns_flaps_never_make_a_link_dead_nor_replace_what_is_known(tmp_path):
    calls = {"n": 0}

    def flapping(host: str, port: int) -> list[str]:
        calls["n"] += 1
        if calls["n"] % 2 == 0:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return ["127.0.0.1"]

    history = History(tmp_path / "history.sqlite")
    with RawServer(answer_ok) as server:
        urls = [server.url(f"/p{i}", host=f"site{i}.test") for i in range(8)]
        checker = make_checker(flapping, workers=1)
        first = check_urls(urls, checker, history)
        second = check_urls(urls, checker, history)
    statuses = {c.status for c in first.checks.values()} | {c.status for c in second.checks.values()}
    assert Status.DEAD not in statuses
    assert statuses <= {Status.OK} | CANNOT_CHECK
    assert Status.OK in statuses and Status.DNS_ERROR in statuses  # the flap really happened
    for url, check in first.checks.items():
        if check.status == Status.OK:  # known good within the TTL: kept, not checked again
            assert second.checks[url].status == Status.OK
    assert all(row.status != Status.DEAD for row in history.all_rows())


def test_an_outage_from_the_start_keeps_every_known_status(tmp_path):
    history = History(tmp_path / "history.sqlite")
    known, unknown = "https://known.test/report", "https://new.test/page"
    history.add(old_ok(known))
    report = check_urls([known, unknown], make_checker(no_dns), history)
    assert report.offline
    assert report.checks[known].status == Status.OK  # the last known status stays visible
    assert "offline" in report.checks[known].error
    assert report.checks[unknown].status == Status.UNVERIFIED
    assert [r.status for r in history.rows(known)] == [Status.OK]  # nothing added by the outage
    assert history.rows(unknown) == []


class Outage:
    """A loopback 'internet' that goes away after ``after`` answers: DNS fails, connections reset."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.answered = 0
        self.down = threading.Event()

    def resolve(self, host: str, port: int) -> list[str]:
        if self.down.is_set():
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return ["127.0.0.1"]

    def handle(self, server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        if self.down.is_set():
            reset(conn)
            return
        server.send(conn, PLAIN_OK)
        self.answered += 1
        if self.answered >= self.after:
            self.down.set()


def outage_run(tmp_path, after: int = 4):
    outage = Outage(after)
    history = History(tmp_path / "history.sqlite")
    with RawServer(outage.handle) as server:
        urls = [server.url(f"/doc{i}", host=f"host{i}.test") for i in range(10)]
        known = urls[-3:]  # checked a month ago (beyond the TTL), due again in this run
        for url in known:
            history.add(old_ok(url))
        report = check_urls(urls, make_checker(outage.resolve, workers=1, per_host_limit=1), history)
    return urls, known, report, history


def test_results_finished_before_the_network_went_away_are_kept(tmp_path):
    urls, known, report, history = outage_run(tmp_path, after=4)
    ok = [u for u in urls if report.checks[u].status == Status.OK and report.checks[u].checked_at]
    assert len(ok) >= 4
    for url in ok[:4]:
        assert history.latest([url])[url].status == Status.OK  # stored as they finished
    assert all(c.status != Status.DEAD for c in report.checks.values())
    for url in known:  # the earlier rows are still there
        assert history.rows(url)[0].status == Status.OK


def test_urls_left_when_the_network_goes_away_stay_unverified_and_history_is_not_overwritten(tmp_path):
    urls, known, report, history = outage_run(tmp_path, after=4)
    unfinished = [u for u in urls if report.checks[u].status != Status.OK or not report.checks[u].checked_at]
    assert unfinished, "the outage did not happen"
    for url in unfinished:
        check = report.checks[url]
        if url in known:
            assert check.status == Status.OK  # shown as last known, with the reason
        else:
            assert check.status == Status.UNVERIFIED, (url, check.status, check.error)
    for url in known:
        assert history.latest([url])[url].status in CONCLUSIVE


def test_a_slow_network_is_bounded_by_the_total_timeout():
    """A server that accepts but answers the request line one byte per second (a 'slow loris')."""

    def handle(server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        for byte in PLAIN_OK:
            if server.wait_stopped(1.0):
                return
            server.send(conn, bytes([byte]))

    with RawServer(handle) as server:
        started = time.monotonic()
        finished, check = run_bounded(
            lambda: make_checker(loopback, read_timeout=3, total_timeout=5).check_one(server.url("/slow")), 25
        )
        took = time.monotonic() - started
    assert finished and isinstance(check, UrlCheck)
    assert check.status in CANNOT_CHECK | {Status.OK}
    assert check.status != Status.DEAD
    assert took < 20  # total_timeout (5 s) plus one read_timeout, not the 95 s of the trickle
