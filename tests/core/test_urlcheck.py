"""Every link status, each produced by a real server behaviour on loopback (no mocks of HTTP)."""

import os
import re
import socket
import ssl
import time

import pytest
import trustme
from werkzeug import Request, Response

from pipeline.core.models import Status
from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck import AddressPolicy, UrlChecker, check_urls
from tests.core.urlcheck_servers import (
    http_server,
    make_checker,
    mapping_resolver,
    raw_server,
    reset_connection,
    trickle_body,
)

HTML = "text/html; charset=utf-8"


def page(title: str, body: str = "") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def methods(srv, path: str) -> list[str]:
    return [req.method for req, _ in srv.log if req.path == path]


# --- ok, redirected, redirect_to_root ---------------------------------------------------------


def test_200_is_ok_and_keeps_title_type_time_and_checked_at(server):
    server.expect_request("/page").respond_with_data(page("Iran and Russia"), content_type=HTML)
    result = make_checker().check_one(server.url_for("/page"))
    assert result.status == Status.OK
    assert result.http_status == 200
    assert result.page_title == "Iran and Russia"
    assert result.content_type == HTML
    assert result.final_url == server.url_for("/page")
    assert result.checked_at is not None and result.elapsed_ms is not None
    assert result.error is None
    assert methods(server, "/page") == ["HEAD", "GET"]  # HTML: HEAD cannot give the title


def test_a_pdf_is_checked_with_head_alone(server):
    server.expect_request("/report.pdf").respond_with_data(b"%PDF-1.7", content_type="application/pdf")
    result = make_checker().check_one(server.url_for("/report.pdf"))
    assert result.status == Status.OK
    assert result.content_type == "application/pdf"
    assert methods(server, "/report.pdf") == ["HEAD"]


def test_405_to_head_then_200_to_get_is_ok(server):
    server.expect_request("/nohead", method="HEAD").respond_with_data("", status=405)
    server.expect_request("/nohead", method="GET").respond_with_data(page("Fine"), content_type=HTML)
    result = make_checker().check_one(server.url_for("/nohead"))
    assert result.status == Status.OK
    assert result.page_title == "Fine"
    assert methods(server, "/nohead") == ["HEAD", "GET"]


def test_301_to_another_page_is_redirected_with_chain_and_final_url(server):
    server.expect_request("/old").respond_with_response(
        Response(status=301, headers={"Location": "/new/article"})
    )
    server.expect_request("/new/article").respond_with_data(page("Moved"), content_type=HTML)
    result = make_checker().check_one(server.url_for("/old"))
    assert result.status == Status.REDIRECTED
    assert result.http_status == 200
    assert result.final_url == server.url_for("/new/article")
    assert result.redirect_chain == [server.url_for("/new/article")]
    assert result.page_title == "Moved"


def test_a_trailing_slash_redirect_is_still_ok(server):
    server.expect_request("/dir").respond_with_response(Response(status=301, headers={"Location": "/dir/"}))
    server.expect_request("/dir/").respond_with_data("listing", content_type="text/plain")
    result = make_checker().check_one(server.url_for("/dir"))
    assert result.status == Status.OK
    assert result.final_url == server.url_for("/dir/")


@pytest.mark.parametrize("home", ["/", "/en/", "/index.html"])
def test_a_deep_link_redirected_to_the_home_page_is_redirect_to_root(server, home):
    server.expect_request("/2019/05/report-on-ports").respond_with_response(
        Response(status=302, headers={"Location": home})
    )
    server.expect_request(home).respond_with_data(page("Welcome to Example"), content_type=HTML)
    result = make_checker().check_one(server.url_for("/2019/05/report-on-ports"))
    assert result.status == Status.REDIRECT_TO_ROOT
    assert result.final_url == server.url_for(home)
    assert "home page" in result.error


# --- soft 404, dead ---------------------------------------------------------------------------


def test_a_200_page_titled_page_not_found_is_soft_404(server):
    server.expect_request("/missing").respond_with_data(
        page("Page not found | Example News"), content_type=HTML
    )
    result = make_checker().check_one(server.url_for("/missing"))
    assert result.status == Status.SOFT_404
    assert result.http_status == 200
    assert result.page_title == "Page not found | Example News"
    assert "not found" in result.error


def test_a_200_page_whose_heading_says_not_found_is_soft_404(server):
    server.expect_request("/gone").respond_with_data(
        page("Example News", "<h1>Sorry, the page you requested could not be found</h1>"), content_type=HTML
    )
    assert make_checker().check_one(server.url_for("/gone")).status == Status.SOFT_404


def test_a_redirect_to_a_404_page_is_soft_404(server):
    server.expect_request("/article/77").respond_with_response(
        Response(status=302, headers={"Location": "/errors/404.html"})
    )
    server.expect_request("/errors/404.html").respond_with_data(page("Example"), content_type=HTML)
    result = make_checker().check_one(server.url_for("/article/77"))
    assert result.status == Status.SOFT_404
    assert "error page" in result.error


@pytest.mark.parametrize("code", [404, 410])
def test_404_and_410_are_dead_after_get_confirms_head(server, code):
    server.expect_request("/gone").respond_with_data("no", status=code)
    result = make_checker().check_one(server.url_for("/gone"))
    assert result.status == Status.DEAD
    assert result.http_status == code
    assert methods(server, "/gone") == ["HEAD", "GET"]  # HEAD alone is not trusted for a 404


def test_404_to_head_but_200_to_get_is_ok(server):
    server.expect_request("/quirky", method="HEAD").respond_with_data("", status=404)
    server.expect_request("/quirky", method="GET").respond_with_data(page("Here"), content_type=HTML)
    assert make_checker().check_one(server.url_for("/quirky")).status == Status.OK


# --- blocked, rate_limited, server_error -----------------------------------------------------


@pytest.mark.parametrize("code", [401, 403, 999])
def test_refusals_are_blocked_not_dead(server, code):
    server.expect_request("/members").respond_with_data("no", status=code)
    result = make_checker().check_one(server.url_for("/members"))
    assert result.status == Status.BLOCKED
    assert result.http_status == code


def test_a_challenge_page_is_blocked_and_not_retried(server):
    server.expect_request("/cf").respond_with_data(
        page("Just a moment..."), status=503, content_type=HTML, headers={"cf-mitigated": "challenge"}
    )
    result = make_checker(retries=3).check_one(server.url_for("/cf"))
    assert result.status == Status.BLOCKED
    assert methods(server, "/cf") == ["HEAD", "GET"]  # a challenge is not a 5xx worth retrying


def test_a_200_challenge_page_without_header_is_blocked(server):
    server.expect_request("/js").respond_with_data(
        page("Attention Required! | Cloudflare"), content_type=HTML
    )
    assert make_checker().check_one(server.url_for("/js")).status == Status.BLOCKED


def test_429_with_a_long_retry_after_is_rate_limited_without_waiting(server):
    server.expect_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "3600"})
    result = make_checker(retries=2, backoff_cap=1).check_one(server.url_for("/busy"))
    assert result.status == Status.RATE_LIMITED
    assert result.http_status == 429
    assert "Retry-After 3600s" in result.error
    assert len(methods(server, "/busy")) == 1  # neither retried early nor waited an hour


def test_5xx_is_server_error_after_the_retries(server):
    server.expect_request("/broken").respond_with_data("oops", status=500)
    result = make_checker(retries=2, backoff_factor=0.01).check_one(server.url_for("/broken"))
    assert result.status == Status.SERVER_ERROR
    assert result.http_status == 500
    # HEAD, then GET (HEAD may be what fails), then two retries of the GET
    assert methods(server, "/broken") == ["HEAD", "GET", "GET", "GET"]
    assert "after 2 retries" in result.error


def test_a_redirect_loop_is_blocked_not_dead(server):
    server.expect_request("/a").respond_with_response(Response(status=302, headers={"Location": "/b"}))
    server.expect_request("/b").respond_with_response(Response(status=302, headers={"Location": "/a"}))
    result = make_checker().check_one(server.url_for("/a"))
    assert result.status == Status.BLOCKED
    assert "redirect loop" in result.error
    assert result.redirect_chain == [server.url_for("/b"), server.url_for("/a")]


def test_more_than_ten_redirects_are_not_followed(server):
    def hop(request: Request) -> Response:
        n = int(request.path.rsplit("/", 1)[1])
        return Response(status=302, headers={"Location": f"/hop/{n + 1}"})

    server.expect_request(re.compile(r"/hop/\d+")).respond_with_handler(hop)
    result = make_checker().check_one(server.url_for("/hop/0"))
    assert result.status == Status.BLOCKED
    assert "more than 10 redirects" in result.error
    assert len(result.redirect_chain) == 11
    assert len(server.log) == 11  # the 11th Location is never requested


# --- timeouts and network errors ---------------------------------------------------------------


def test_a_body_trickling_past_the_total_timeout_is_timeout():
    with raw_server(trickle_body) as port:
        result = make_checker(total_timeout=1.5, read_timeout=1).check_one(f"http://127.0.0.2:{port}/slow")
    assert result.status == Status.TIMEOUT
    assert result.http_status == 200  # the headers came; the body never finished
    assert "1.5s" in result.error
    assert result.elapsed_ms < 5000  # cut at the deadline, not after the server's 8 s


def test_headers_slower_than_the_read_timeout_are_timeout(server):
    def slow(request: Request) -> Response:
        time.sleep(2)
        return Response("late")

    server.expect_request("/late").respond_with_handler(slow)
    result = make_checker(read_timeout=0.5).check_one(server.url_for("/late"))
    assert result.status == Status.TIMEOUT
    assert result.http_status is None


def test_a_reset_connection_is_a_connection_error():
    with raw_server(reset_connection) as port:
        result = make_checker().check_one(f"http://127.0.0.2:{port}/x")
    assert result.status == Status.CONNECTION_ERROR
    assert "reset" in result.error or "aborted" in result.error


def test_connection_refused_is_a_connection_error_not_dead():
    with socket.socket() as s:  # find a free port, then close it: nothing listens there
        s.bind(("127.0.0.2", 0))
        port = s.getsockname()[1]
    result = make_checker().check_one(f"http://127.0.0.2:{port}/x")
    assert result.status == Status.CONNECTION_ERROR
    assert result.error


def test_a_name_that_does_not_resolve_is_dns_error():
    result = make_checker({"known.test": "127.0.0.2"}).check_one("http://gone.test/page")
    assert result.status == Status.DNS_ERROR
    assert "could not resolve gone.test" in result.error


@pytest.fixture(scope="module")
def tls_ca():
    return trustme.CA()


@pytest.fixture
def https_server(tls_ca):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls_ca.issue_cert("secure.test").configure_cert(ctx)
    with http_server("127.0.0.2", ssl_context=ctx) as srv:
        srv.expect_request("/").respond_with_data(page("Secure"), content_type=HTML)
        yield srv


def test_a_certificate_we_do_not_trust_is_tls_error(https_server):
    checker = make_checker({"secure.test": "127.0.0.2"})
    result = checker.check_one(f"https://secure.test:{https_server.port}/")
    assert result.status == Status.TLS_ERROR
    assert "certificate" in result.error.lower()


def test_tls_through_the_pinned_address_verifies_the_host_name(https_server, tls_ca, tmp_path):
    bundle = tmp_path / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(bundle))
    names = {"secure.test": "127.0.0.2", "other.test": "127.0.0.2"}
    s = make_checker().settings
    trusted = UrlChecker(s, resolver=mapping_resolver(names), verify=str(bundle))
    assert trusted.check_one(f"https://secure.test:{https_server.port}/").status == Status.OK
    # same address, but the certificate is not for this name
    assert trusted.check_one(f"https://other.test:{https_server.port}/").status == Status.TLS_ERROR


# --- URLs that cannot be checked ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url,status",
    [
        ("ftp://ftp.example.org/pub/file.txt", Status.UNSUPPORTED_SCHEME),
        ("mailto:someone@example.org", Status.UNSUPPORTED_SCHEME),
        ("javascript:alert(1)", Status.UNSUPPORTED_SCHEME),
        ("file:///etc/passwd", Status.UNSUPPORTED_SCHEME),
        ("http://", Status.INVALID_URL),
        ("www.example.org/page", Status.INVALID_URL),
        ("http://exa mple.org/", Status.INVALID_URL),
        ("http://[::1/", Status.INVALID_URL),
        ("http://example.org:99999/", Status.INVALID_URL),
        ("", Status.INVALID_URL),
    ],
)
def test_urls_that_cannot_be_checked(url, status):
    result = make_checker().check_one(url)
    assert result.status == status
    assert result.error


# --- security -----------------------------------------------------------------------------------


def test_loopback_is_refused_without_the_allow_list():
    with http_server("127.0.0.3") as private:
        private.expect_request("/secret").respond_with_data("internal")
        result = UrlChecker(UrlCheckSettings(per_host_interval=0)).check_one(private.url_for("/secret"))
        assert result.status == Status.REFUSED_PRIVATE
        assert private.log == []  # refused before any request reached the server


def test_a_redirect_to_a_private_address_is_refused_before_connecting(server):
    with http_server("127.0.0.3") as private:
        private.expect_request("/admin").respond_with_data("internal")
        server.expect_request("/innocent").respond_with_response(
            Response(status=302, headers={"Location": private.url_for("/admin")})
        )
        result = make_checker().check_one(server.url_for("/innocent"))
        assert result.status == Status.REFUSED_PRIVATE
        assert result.redirect_chain == [private.url_for("/admin")]
        assert "127.0.0.3" in result.error
        assert private.log == []


def test_a_redirect_to_a_name_that_resolves_to_a_private_address_is_refused(server):
    with http_server("127.0.0.3") as private:
        private.expect_request("/meta").respond_with_data("internal")
        server.expect_request("/r").respond_with_response(
            Response(status=301, headers={"Location": f"http://metadata.test:{private.port}/meta"})
        )
        checker = make_checker({"metadata.test": "127.0.0.3"})
        result = checker.check_one(server.url_for("/r"))
        assert result.status == Status.REFUSED_PRIVATE
        assert private.log == []


def test_a_redirect_to_another_scheme_is_not_followed(server):
    server.expect_request("/f").respond_with_response(
        Response(status=302, headers={"Location": "file:///etc/passwd"})
    )
    result = make_checker().check_one(server.url_for("/f"))
    assert result.status == Status.UNSUPPORTED_SCHEME
    assert result.final_url == "file:///etc/passwd"


@pytest.mark.parametrize(
    "address,allowed",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("172.31.255.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:10.0.0.1", False),
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
    ],
)
def test_address_policy_refuses_non_public_addresses(address, allowed):
    assert AddressPolicy().permitted("example.org", address) is allowed


def test_the_allow_list_admits_networks_and_host_names():
    policy = AddressPolicy(allow=["127.0.0.2/32", "intranet.test"])
    assert policy.permitted("a.test", "127.0.0.2")
    assert not policy.permitted("a.test", "127.0.0.3")
    assert policy.permitted("intranet.test", "127.0.0.9")


def test_no_credentials_no_cookies_no_proxy_and_our_user_agent(server, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.9:9")  # would fail the check if it were used
    monkeypatch.setenv("http_proxy", "http://127.0.0.9:9")
    server.expect_request("/login").respond_with_response(
        Response(status=302, headers={"Location": "/home-of-article", "Set-Cookie": "session=abc; Path=/"})
    )
    server.expect_request("/home-of-article").respond_with_data("fine", content_type="text/plain")
    url = server.url_for("/login").replace("http://", "http://alice:secret@")
    result = make_checker(user_agent="test-agent/1.0 (+mailto:x@example.org)").check_one(url)
    assert result.status == Status.REDIRECTED
    assert len(server.log) == 2
    for request, _ in server.log:
        assert "Authorization" not in request.headers
        assert "Cookie" not in request.headers
        assert request.headers["User-Agent"] == "test-agent/1.0 (+mailto:x@example.org)"
    assert os.environ["HTTP_PROXY"]


def test_a_huge_body_is_read_only_up_to_the_cap(server):
    sent = []

    def huge(request: Request) -> Response:
        def body():
            yield b"<html><head>" + b"<!-- padding -->" * 20000  # 320 KB before the title
            yield b"<title>Too late</title></head><body>"
            for _ in range(800):  # 50 MB more
                sent.append(1)
                yield b"x" * 65536

        return Response(body(), content_type="text/html", direct_passthrough=True)

    server.expect_request("/huge").respond_with_handler(huge)
    result = make_checker(max_body_bytes=256 * 1024).check_one(server.url_for("/huge"))
    assert result.status == Status.OK
    assert result.page_title is None  # the title lies past the cap
    assert len(sent) < 400  # far less than the 800 chunks: we hung up early


def test_offline_marks_unverified_never_dead():
    def no_dns(host, port):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    c = UrlChecker(UrlCheckSettings(), resolver=no_dns)
    report = check_urls(["https://example.org/a", "https://example.com/b"], c)
    assert report.offline
    assert {r.status for r in report.checks.values()} == {Status.UNVERIFIED}
    assert all("offline" in r.error for r in report.checks.values())
