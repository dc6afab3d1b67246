"""URL checker against real HTTP servers on 127.0.0.1 (pytest-httpserver)."""

import socket

import pytest
from werkzeug import Response

from pipeline.core.models import Status
from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck import AddressPolicy, UrlChecker, check_urls


def checker(**overrides) -> UrlChecker:
    settings = UrlCheckSettings(
        allow_private=["127.0.0.1/32"],
        per_host_interval=0,
        retries=0,
        connect_timeout=2,
        read_timeout=2,
        total_timeout=5,
        **overrides,
    )
    return UrlChecker(settings)


def test_200_is_ok_and_keeps_the_title(httpserver):
    httpserver.expect_request("/page").respond_with_data(
        "<html><head><title>Iran and Russia</title></head></html>", content_type="text/html"
    )
    result = checker().check_one(httpserver.url_for("/page"))
    assert result.status == Status.OK
    assert result.http_status == 200
    assert result.page_title == "Iran and Russia"
    assert result.checked_at is not None


def test_301_to_200_is_redirected_with_the_final_url(httpserver):
    httpserver.expect_request("/old").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/new/article")})
    )
    httpserver.expect_request("/new/article").respond_with_data("fine", content_type="text/plain")
    result = checker().check_one(httpserver.url_for("/old"))
    assert result.status == Status.REDIRECTED
    assert result.final_url == httpserver.url_for("/new/article")
    assert result.redirect_chain == [httpserver.url_for("/new/article")]


def test_404_is_dead(httpserver):
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    result = checker().check_one(httpserver.url_for("/gone"))
    assert result.status == Status.DEAD
    assert result.http_status == 404


def test_connection_refused_is_a_connection_error_not_dead():
    with socket.socket() as s:  # find a free port, then close it: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = checker().check_one(f"http://127.0.0.1:{port}/x")
    assert result.status == Status.CONNECTION_ERROR
    assert result.error


def test_loopback_is_refused_without_the_allow_list(httpserver):
    httpserver.expect_request("/secret").respond_with_data("internal")
    result = UrlChecker(UrlCheckSettings(per_host_interval=0)).check_one(httpserver.url_for("/secret"))
    assert result.status == Status.REFUSED_PRIVATE
    assert httpserver.log == []  # refused before any request reached the server


@pytest.mark.parametrize(
    "address,allowed",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("93.184.216.34", True),
    ],
)
def test_address_policy_refuses_non_public_addresses(address, allowed):
    assert AddressPolicy().permitted("example.org", address) is allowed


def test_offline_marks_unverified_never_dead():
    def no_dns(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    c = UrlChecker(UrlCheckSettings(), resolver=no_dns)
    report = check_urls(["https://example.org/a", "https://example.com/b"], c)
    assert report.offline
    assert {r.status for r in report.checks.values()} == {Status.UNVERIFIED}
    assert all("offline" in r.error for r in report.checks.values())
