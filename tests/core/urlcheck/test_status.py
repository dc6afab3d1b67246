"""Every link status, each produced by a real server behaviour on loopback (no mocks of HTTP),
and ``classify`` as the one producer of statuses."""

import ast
import re
import socket
import time
from pathlib import Path

import pytest
from werkzeug import Request, Response

import pipeline.core.urlcheck as urlcheck
from pipeline.core.models import Status
from pipeline.core.urlcheck import Outcome, classify
from pipeline.core.urlcheck.politeness import DeadlineExceeded, HostBusy
from pipeline.core.urlcheck.status import UrlFault, explain, url_fault
from tests.core.urlcheck.servers import (
    HTML,
    make_checker,
    methods,
    page,
    raw_server,
    reset_connection,
    trickle_body,
)

# --- ok, redirected, redirect_to_root ---------------------------------------------------------------


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
    assert result.error == f"a deep link now lands on the home page {server.url_for(home)}"


# --- soft 404, dead ---------------------------------------------------------------------------------


def test_a_200_page_titled_page_not_found_is_soft_404(server):
    server.expect_request("/missing").respond_with_data(
        page("Page not found | Example News"), content_type=HTML
    )
    result = make_checker().check_one(server.url_for("/missing"))
    assert result.status == Status.SOFT_404
    assert result.http_status == 200
    assert result.page_title == "Page not found | Example News"
    assert result.error == "HTTP 200 but the page says it is not found: 'Page not found | Example News'"


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
    assert result.error == f"redirected to an error page: {server.url_for('/errors/404.html')}"


@pytest.mark.parametrize("code", [404, 410])
def test_404_and_410_are_dead_after_get_confirms_head(server, code):
    server.expect_request("/gone").respond_with_data("no", status=code)
    result = make_checker().check_one(server.url_for("/gone"))
    assert result.status == Status.DEAD
    assert result.http_status == code
    assert methods(server, "/gone") == ["HEAD", "GET"]  # HEAD alone is not trusted for a 404


# --- blocked, rate_limited, server_error ------------------------------------------------------------


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
    assert result.error == "HTTP 429: Retry-After 3600s is longer than we wait (1s)"
    assert len(methods(server, "/busy")) == 1  # neither retried early nor waited an hour


def test_5xx_is_server_error_after_the_retries(server):
    server.expect_request("/broken").respond_with_data("oops", status=500)
    result = make_checker(retries=2, backoff_factor=0.01).check_one(server.url_for("/broken"))
    assert result.status == Status.SERVER_ERROR
    assert result.http_status == 500
    # HEAD, then GET (HEAD may be what fails), then two retries of the GET
    assert methods(server, "/broken") == ["HEAD", "GET", "GET", "GET"]
    assert result.error == "HTTP 500 after 2 retries"


def test_a_redirect_loop_is_blocked_not_dead(server):
    server.expect_request("/a").respond_with_response(Response(status=302, headers={"Location": "/b"}))
    server.expect_request("/b").respond_with_response(Response(status=302, headers={"Location": "/a"}))
    result = make_checker().check_one(server.url_for("/a"))
    assert result.status == Status.BLOCKED
    assert result.error == f"redirect loop at {server.url_for('/a')}"
    assert result.redirect_chain == [server.url_for("/b"), server.url_for("/a")]


def test_more_than_ten_redirects_are_not_followed(server):
    def hop(request: Request) -> Response:
        n = int(request.path.rsplit("/", 1)[1])
        return Response(status=302, headers={"Location": f"/hop/{n + 1}"})

    server.expect_request(re.compile(r"/hop/\d+")).respond_with_handler(hop)
    result = make_checker().check_one(server.url_for("/hop/0"))
    assert result.status == Status.BLOCKED
    assert result.error == "more than 10 redirects"
    assert len(result.redirect_chain) == 11
    assert len(server.log) == 11  # the 11th Location is never requested


# --- timeouts and network errors --------------------------------------------------------------------


def test_a_body_trickling_past_the_total_timeout_is_timeout():
    with raw_server(trickle_body) as port:
        result = make_checker(total_timeout=1.5, read_timeout=1).check_one(f"http://127.0.0.2:{port}/slow")
    assert result.status == Status.TIMEOUT
    assert result.http_status == 200  # the headers came; the body never finished
    assert result.error == "gave up after 1.5s in total (slow or trickling response)"
    assert result.elapsed_ms < 5000  # cut at the deadline, not after the server's 8 s


def test_headers_slower_than_the_read_timeout_are_timeout(server):
    def slow(request: Request) -> Response:
        time.sleep(2)
        return Response("late")

    server.expect_request("/late").respond_with_handler(slow)
    result = make_checker(read_timeout=0.5).check_one(server.url_for("/late"))
    assert result.status == Status.TIMEOUT
    assert result.http_status is None
    assert result.error == "read timed out"


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
    # a sentence, not the connection pool's repr (errors.plain_message)
    assert result.error == f"the connection to 127.0.0.2:{port} failed (connection refused)"


def test_a_name_that_does_not_resolve_is_dns_error():
    result = make_checker({"known.test": "127.0.0.2"}).check_one("http://gone.test/page")
    assert result.status == Status.DNS_ERROR
    # urllib3 prefixes the (absent) connection: "None: could not resolve ..."
    assert result.error.endswith(
        "could not resolve gone.test: [Errno -2] gone.test: Name or service not known"
    )


def test_a_certificate_we_do_not_trust_is_tls_error(https_server):
    checker = make_checker({"secure.test": "127.0.0.2"})
    result = checker.check_one(f"https://secure.test:{https_server.port}/")
    assert result.status == Status.TLS_ERROR
    assert "certificate" in result.error.lower()


# --- URLs that cannot be checked --------------------------------------------------------------------


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
    assert result.error == f"{status.value}: cannot check {url!r}"
    assert (result.http_status, result.elapsed_ms, result.tried) == (None, 0, [url])


# --- classify: the one producer of statuses ---------------------------------------------------------


@pytest.mark.parametrize(
    "outcome,status",
    [
        (Outcome(url="u", unusable=UrlFault.MALFORMED), Status.INVALID_URL),
        (Outcome(url="u", unusable=UrlFault.SCHEME), Status.UNSUPPORTED_SCHEME),
        (Outcome(url="u", not_checked=True, error="offline"), Status.UNVERIFIED),
        (Outcome(url="u", exception=HostBusy("a.test", 900, throttled=True)), Status.RATE_LIMITED),
        (Outcome(url="u", exception=HostBusy("a.test", 9, throttled=False)), Status.UNVERIFIED),
        (Outcome(url="u", exception=DeadlineExceeded("late")), Status.TIMEOUT),
        (Outcome(url="u", exception=socket.gaierror(socket.EAI_NONAME, "unknown")), Status.DNS_ERROR),
        (Outcome(url="u", exception=TimeoutError()), Status.TIMEOUT),
        (Outcome(url="u", exception=ConnectionResetError()), Status.CONNECTION_ERROR),
        # an error wins over everything else that was seen
        (Outcome(url="u", http_status=200, exception=DeadlineExceeded("late")), Status.TIMEOUT),
        (Outcome(url="u"), Status.UNVERIFIED),  # no answer and no error: nothing to say
        (Outcome(url="u", http_status=302, loop=True), Status.BLOCKED),
        (Outcome(url="u", http_status=302, too_many_redirects=True), Status.BLOCKED),
        (
            Outcome(url="u", http_status=302, chain=["file:///x"], unusable=UrlFault.SCHEME),
            Status.UNSUPPORTED_SCHEME,
        ),
        (Outcome(url="u", http_status=451), Status.BLOCKED),
        (Outcome(url="u", http_status=408), Status.TIMEOUT),
        (Outcome(url="u", http_status=418), Status.BLOCKED),
        (Outcome(url="u", http_status=304), Status.SERVER_ERROR),
        (Outcome(url="u", http_status=503, title="Just a moment..."), Status.BLOCKED),
        (Outcome(url="u", http_status=503), Status.SERVER_ERROR),
        (
            Outcome(
                url="http://a.test/x",
                http_status=200,
                chain=["https://www.a.test/x/"],
                final_url="https://www.a.test/x/",
            ),
            Status.OK,
        ),
        (
            Outcome(
                url="http://a.test/x", http_status=200, chain=["http://a.test/y"], final_url="http://a.test/y"
            ),
            Status.REDIRECTED,
        ),
    ],
)
def test_classify_maps_each_observation_to_one_status(outcome, status):
    assert classify(outcome) == status


@pytest.mark.parametrize(
    "url,fault",
    [
        ("https://example.org/a?b=c", None),
        ("HTTP://EXAMPLE.ORG/", None),
        ("ftp://example.org/x", UrlFault.SCHEME),
        ("mailto:someone@example.org", UrlFault.SCHEME),
        ("www.example.org/page", UrlFault.MALFORMED),
        ("http://.example.org/", UrlFault.MALFORMED),
        ("http://example..org/", UrlFault.MALFORMED),
        ("http://example.org/" + "a" * 8200, UrlFault.MALFORMED),
        ("http://example.org/\tx", UrlFault.MALFORMED),
    ],
)
def test_url_fault_says_why_a_url_cannot_be_checked(url, fault):
    assert url_fault(url) is fault


def test_the_error_column_of_an_unusable_url_names_its_status_and_the_url():
    outcome = Outcome(url="gopher://x.test/", unusable=UrlFault.SCHEME)
    assert explain(classify(outcome), outcome) == "unsupported_scheme: cannot check 'gopher://x.test/'"
    told = Outcome(url="u", not_checked=True, error="offline: no host could be resolved")
    assert explain(classify(told), told) == "offline: no host could be resolved"


def _decided_statuses(tree: ast.AST) -> list[int]:
    """Lines where a ``Status.X`` is returned, assigned or passed as ``status=`` (not compared or listed)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Return | ast.Assign | ast.AnnAssign) or (
            isinstance(node, ast.keyword) and node.arg == "status"
        ):
            value = node.value
        else:
            continue
        stack = [value] if value is not None else []
        while stack:
            item = stack.pop()
            if isinstance(item, ast.Compare | ast.Set):
                continue  # a test of a status, or a set of them: no decision
            if (
                isinstance(item, ast.Attribute)
                and isinstance(item.value, ast.Name)
                and item.value.id == "Status"
            ):
                found.append(item.lineno)
            stack += list(ast.iter_child_nodes(item))
    return found


def test_no_module_but_status_decides_a_status():
    package = Path(urlcheck.__file__).parent
    decided = {
        path.name: lines
        for path in sorted(package.glob("*.py"))
        if path.name != "status.py" and (lines := _decided_statuses(ast.parse(path.read_text())))
    }
    assert decided == {}
    # the probe does see a decision
    assert _decided_statuses(ast.parse("def f():\n    return Status.DEAD if x else Status.OK\n")) == [2, 2]
    assert _decided_statuses(ast.parse("UrlCheck(url=u, status=Status.UNVERIFIED)")) == [1]
