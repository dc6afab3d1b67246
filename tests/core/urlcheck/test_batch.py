"""Many URLs: offline mode, an offline machine and outages never overwrite history; URLs that
need no network; other readings of a failing URL; URL lists."""

import socket

import pytest

from pipeline.core.models import Status
from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck import UrlChecker, UrlEntry, check_urls, network_is_down, read_url_list
from pipeline.core.urlcheck.batch import not_checked
from tests.core.urlcheck.servers import T0, checker_at, http_server, make_checker, mapping_resolver, settings

# --- outages never overwrite history ----------------------------------------------------------------


def test_offline_marks_unverified_never_dead():
    def no_dns(host, port):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    c = UrlChecker(UrlCheckSettings(), resolver=no_dns)
    report = check_urls(["https://example.org/a", "https://example.com/b"], c)
    assert report.offline
    assert {r.status for r in report.checks.values()} == {Status.UNVERIFIED}
    assert {r.error for r in report.checks.values()} == {"offline: no host could be resolved"}
    assert report.note == "offline: none of the 2 hosts probed resolved; statuses kept"


@pytest.mark.parametrize(
    "urls,down",
    [
        (["https://no-such-host.invalid/a", "https://other.invalid/b"], True),  # .invalid never resolves
        (["https://no-such-host.invalid/a", "http://127.0.0.1:9/x"], False),  # one address answers
        (["not a url", "mailto:a@b.org"], False),  # nothing to probe: no evidence of an outage
    ],
)
def test_network_is_down_probes_the_hosts_without_checking_a_url(urls, down):
    assert network_is_down(urls, settings()) is down


def test_offline_keeps_the_last_known_status_and_records_nothing(server, clock, history):
    server.expect_request("/page").respond_with_data("fine", content_type="text/plain")
    url = server.url_for("/page").replace("127.0.0.2", "a.test")
    assert check_urls([url], checker_at(clock), history).checks[url].status == Status.OK

    def no_dns(host, port):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    clock.advance(days=30)
    offline = UrlChecker(settings(), resolver=no_dns, clock=clock)
    report = check_urls([url, "https://never-seen.test/x"], offline, history)
    assert report.offline and report.note == "offline: none of the 2 hosts probed resolved; statuses kept"
    kept = report.checks[url]
    assert kept.status == Status.OK and kept.checked_at == T0
    assert kept.error == "offline: no host could be resolved; showing the check of 2025-03-03"
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


# --- other readings of a URL, and results nothing was tried on ---------------------------------


def test_a_failing_url_is_replaced_by_the_first_reading_that_answers(server):
    server.expect_request("/report-on-ports").respond_with_data("fine", content_type="text/plain")
    server.expect_request("/reporton-ports").respond_with_data("no", status=404)
    broken, other = server.url_for("/reporton-ports"), server.url_for("/nowhere")
    good = server.url_for("/report-on-ports")
    server.expect_request("/nowhere").respond_with_data("no", status=404)
    report = check_urls([broken], make_checker(), alternatives={broken: [other, good]})
    result = report.checks[broken]
    assert result.status == Status.OK
    assert (result.url, result.final_url, result.tried) == (broken, good, [broken, good])


def test_a_url_that_answers_is_not_replaced_by_another_reading(server):
    server.expect_request("/fine").respond_with_data("fine", content_type="text/plain")
    url, alt = server.url_for("/fine"), server.url_for("/other")
    result = check_urls([url], make_checker(), alternatives={url: [alt]}).checks[url]
    assert (result.status, result.tried) == (Status.OK, [url])
    assert [req.path for req, _ in server.log] == ["/fine"]  # the other reading was never asked


def test_a_url_nothing_was_tried_on_is_unverified_with_the_reason():
    check = not_checked("https://a.test/x", "checker failed: RuntimeError('bug')")
    assert (check.status, check.error, check.checked_at) == (
        Status.UNVERIFIED,
        "checker failed: RuntimeError('bug')",
        None,
    )


# --- URL lists ----------------------------------------------------------------------------------


def test_a_url_list_keeps_every_line_with_its_optional_title_and_date():
    text = "# cited\nhttps://a.test/1\tFirst title\t2021-02-03\n\n  https://a.test/2  \nnot a url\tT\n"
    assert read_url_list(text) == [
        UrlEntry("https://a.test/1", "First title", "2021-02-03"),
        UrlEntry("https://a.test/2"),
        UrlEntry("not a url", "T"),
    ]
