"""Hostile links: private and metadata addresses, redirects to them, decompression bombs, endless
bodies, non-http schemes, Unicode/IDN hosts and very long URLs.

The checker under test is allowed to reach one loopback address, 127.0.0.2, where the test
servers run; every other loopback address counts as private, as on a real machine. Host names
resolve through an injected resolver: a fixed map, then the C library's numeric parsing
(AI_NUMERICHOST: no query is sent), so `2130706433` or `0x7f000001` mean 127.0.0.1 as they
would for the system resolver. The loopback-only guard stays on: had the checker tried to
connect to 169.254.169.254 or 10.0.0.5, the attempt would fail loudly as a guard error.
"""

from __future__ import annotations

import gzip
import socket
import time
import urllib.parse
from collections.abc import Iterator

import netguard
import pytest

from pipeline.core.models import Status, UrlCheck
from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck import UrlChecker, check_urls
from tests.robustness.servers import RawServer, endless_gzip, run_bounded

ALLOWED = "127.0.0.2"
NAMES = {
    "metadata.test": ["169.254.169.254"],
    "metadata.google.internal": ["169.254.169.254"],
    "intranet.test": ["10.0.0.5"],
    "router.test": ["192.168.1.1"],
    "cgnat.test": ["100.64.0.1"],
    "mixed.test": ["10.0.0.1", ALLOWED],
    "trusted.test": [ALLOWED],
    "site.test": [ALLOWED],
    "localhost": ["127.0.0.1"],
    "xn--bcher-kva.test": [ALLOWED],  # bücher.test
    "xn--r8jz45g.xn--zckzah": [ALLOWED],  # 例え.テスト
}


def resolver(host: str, port: int) -> list[str]:
    if host in NAMES:
        return NAMES[host]
    infos = netguard._real_getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    return list(dict.fromkeys(info[4][0] for info in infos))


def make_checker(**overrides) -> UrlChecker:
    values = {
        "allow_private": [f"{ALLOWED}/32"],
        "per_host_interval": 0,
        "retries": 0,
        "connect_timeout": 2,
        "read_timeout": 2,
        "total_timeout": 6,
        "max_body_bytes": 64 * 1024,
        "archive_lookup": False,
    }
    return UrlChecker(UrlCheckSettings(**{**values, **overrides}), resolver=resolver)


def no_guard_hit(check: UrlCheck) -> bool:
    """The checker never tried a forbidden connection (the test guard would have said so)."""
    return "only loopback is allowed in tests" not in (check.error or "")


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n"


def route(server: RawServer, conn: socket.socket) -> None:
    request = server.read_request(conn)
    target = request.split(b" ", 2)[1].decode("latin-1") if request.count(b" ") >= 2 else "/"
    path, _, query = target.partition("?")
    params = urllib.parse.parse_qs(query)
    if path == "/redirect":
        location = params["to"][0]
        # the server closes every connection, so it must say so (or a reused one races the close)
        head = f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        server.send(conn, head.encode())
    elif path == "/bomb":
        server.send(conn, HEAD + b"Content-Encoding: gzip\r\n\r\n")
        for block in endless_gzip():
            if server.stopped.is_set():
                return
            server.send(conn, block)
    elif path == "/title-after-cap":
        body = gzip.compress(b"<html><head>" + b" " * (10 << 20) + b"<title>After the cap</title>")
        server.send(conn, HEAD + b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    elif path == "/endless":
        server.send(conn, HEAD + b"\r\n<html><head><title>Endless</title></head><body>")
        while not server.stopped.is_set():
            server.send(conn, b"<p>more and more</p>" * 500)
    elif path == "/trickle":
        server.send(conn, HEAD + b"\r\n<html><head><title>Slow</title></head><body>")
        while not server.wait_stopped(0.2):
            server.send(conn, b"<p>")
    else:
        body = b"<html><head><title>Fine</title></head></html>"
        server.send(conn, HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body)


@pytest.fixture
def site() -> Iterator[RawServer]:
    with RawServer(route, host=ALLOWED) as server:
        yield server


@pytest.fixture
def internal() -> Iterator[RawServer]:
    """A service on a loopback address the checker is not allowed to reach."""
    with RawServer(route, host="127.0.0.1") as server:
        yield server


# --- private and metadata addresses ----------------------------------------------------------

PRIVATE = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://metadata.test/",
    "http://intranet.test/admin",
    "http://router.test/",
    "http://cgnat.test/",
    "http://10.0.0.5/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://[::ffff:169.254.169.254]/",
    "http://0.0.0.0:{port}/",
    "http://[::]:{port}/",
    "http://localhost:{port}/",
    "http://127.0.0.1:{port}/",
    "http://2130706433:{port}/",  # 127.0.0.1 as one decimal number
    "http://0x7f000001:{port}/",  # ... in hex
    "http://0177.0.0.1:{port}/",  # ... in octal
    "http://127.1:{port}/",  # ... abbreviated
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://trusted.test@127.0.0.1:{port}/",  # the host is after the @
]


@pytest.mark.parametrize("template", PRIVATE)
def test_private_and_metadata_addresses_are_refused_before_any_packet(internal, template):
    url = template.format(port=internal.port)
    check = make_checker().check_one(url)
    assert check.status == Status.REFUSED_PRIVATE, (check.status, check.error)
    assert "non-public" in check.error and no_guard_hit(check)
    assert internal.connections == 0


def test_a_host_with_private_and_allowed_addresses_is_contacted_only_at_the_allowed_one(site):
    check = make_checker().check_one(site.url("/", host="mixed.test"))
    assert check.status == Status.OK and no_guard_hit(check)  # 10.0.0.1 was never tried
    assert site.connections >= 1


REDIRECT_TARGETS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://metadata.test/computeMetadata/v1/",
    "http://10.0.0.5/",
    "http://127.0.0.1:{port}/secret",
    "http://0x7f000001:{port}/secret",
    "http://[::1]:{port}/secret",
]


@pytest.mark.parametrize("target", REDIRECT_TARGETS)
def test_redirects_to_private_addresses_are_refused(site, internal, target):
    hop = target.format(port=internal.port)
    url = site.url("/redirect?to=" + urllib.parse.quote(hop, safe=""))
    check = make_checker().check_one(url)
    assert check.status == Status.REFUSED_PRIVATE, (check.status, check.error)
    assert check.redirect_chain == [hop]
    assert no_guard_hit(check) and internal.connections == 0


def test_a_private_address_two_redirects_away_is_refused(site, internal):
    last = f"http://127.0.0.1:{internal.port}/secret"
    middle = site.url("/redirect?to=" + urllib.parse.quote(last, safe=""))
    check = make_checker().check_one(site.url("/redirect?to=" + urllib.parse.quote(middle, safe="")))
    assert check.status == Status.REFUSED_PRIVATE
    assert check.redirect_chain == [middle, last] and internal.connections == 0


# --- bombs and endless bodies -----------------------------------------------------------------


def test_a_decompression_bomb_is_read_only_up_to_the_cap(site):
    """An endless gzip stream (1 KB per decompressed MB): reading stops at the cap, so it ends."""
    finished, check = run_bounded(lambda: make_checker().check_one(site.url("/bomb")), 30)
    assert finished, "the checker kept reading the bomb"
    assert isinstance(check, UrlCheck) and check.status == Status.OK and check.http_status == 200
    time.sleep(0.5)
    sent = site.sent
    time.sleep(0.5)
    assert site.sent == sent  # the client hung up: the server could not send more


def test_decompressed_bytes_beyond_the_cap_are_not_read(site):
    """A 10 MB (decompressed) page with its title after the 64 KB cap: the title is not seen."""
    check = make_checker().check_one(site.url("/title-after-cap"))
    assert check.status == Status.OK and check.page_title is None
    assert make_checker().check_one(site.url("/fine")).page_title == "Fine"  # titles are read


def test_an_endless_body_is_read_up_to_the_cap(site):
    finished, check = run_bounded(lambda: make_checker().check_one(site.url("/endless")), 30)
    assert finished and isinstance(check, UrlCheck)
    assert check.status == Status.OK and check.page_title == "Endless"


def test_an_endless_trickled_body_is_bounded_by_the_total_timeout(site):
    finished, check = run_bounded(lambda: make_checker().check_one(site.url("/trickle")), 25)
    assert finished, "check_one was still reading the trickle after 25 s (total_timeout is 6 s)"
    assert isinstance(check, UrlCheck) and check.status != Status.DEAD


# --- schemes ------------------------------------------------------------------------------------

SCHEMES = [
    ("file:///etc/passwd", Status.UNSUPPORTED_SCHEME),
    ("FILE:///etc/passwd", Status.UNSUPPORTED_SCHEME),
    ("javascript:alert(document.cookie)", Status.UNSUPPORTED_SCHEME),
    ("ftp://ftp.example.test/pub/report.pdf", Status.UNSUPPORTED_SCHEME),
    ("data:text/html;base64,PHNjcmlwdD4=", Status.UNSUPPORTED_SCHEME),
    ("mailto:press@example.test", Status.UNSUPPORTED_SCHEME),
    ("gopher://example.test/1", Status.UNSUPPORTED_SCHEME),
    ("//example.test/no-scheme", Status.INVALID_URL),
    ("http://", Status.INVALID_URL),
    ("", Status.INVALID_URL),
]


@pytest.mark.parametrize("url,status", SCHEMES)
def test_non_http_schemes_are_never_fetched(url, status):
    check = make_checker().check_one(url)
    assert check.status == status
    assert check.error and check.http_status is None and no_guard_hit(check)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.test/x"])
def test_redirects_to_non_http_schemes_are_not_followed(site, target):
    check = make_checker().check_one(site.url("/redirect?to=" + urllib.parse.quote(target, safe="")))
    assert check.status == Status.UNSUPPORTED_SCHEME
    assert check.redirect_chain == [target] and "cannot be followed" in check.error


def test_check_urls_reports_every_hostile_link_without_touching_the_network(tmp_path):
    urls = ["file:///etc/passwd", "javascript:void(0)", "http://169.254.169.254/", "http://10.0.0.5/"]
    report = check_urls(urls, make_checker())
    assert {u: c.status for u, c in report.checks.items()} == {
        "file:///etc/passwd": Status.UNSUPPORTED_SCHEME,
        "javascript:void(0)": Status.UNSUPPORTED_SCHEME,
        "http://169.254.169.254/": Status.REFUSED_PRIVATE,
        "http://10.0.0.5/": Status.REFUSED_PRIVATE,
    }


# --- Unicode, IDN, odd and very long URLs -------------------------------------------------------


@pytest.mark.parametrize(
    "template,host_header",
    [
        ("http://bücher.test:{port}/katalog", b"Host: xn--bcher-kva.test"),
        ("http://例え.テスト:{port}/パス?q=値", b"Host: xn--r8jz45g.xn--zckzah"),
    ],
)
def test_idn_hosts_are_checked_under_their_ascii_name(site, template, host_header):
    check = make_checker().check_one(template.format(port=site.port))
    assert check.status == Status.OK
    assert any(host_header in request for request in site.requests)
    assert all(request.isascii() for request in site.requests)  # path and query percent-encoded


@pytest.mark.parametrize(
    "url",
    [
        "http://ｅｘａｍｐｌｅ.test/",  # fullwidth letters: not a valid IDNA 2008 label
        "http://exa mple.test/",
        "http://a..b.test/",
        "http://" + "a" * 64 + ".test/",  # a DNS label is at most 63 characters
        "http://site.test/" + "x" * 9000,  # longer than any server accepts
    ],
    ids=["fullwidth", "space", "empty-label", "long-label", "9000-chars"],
)
def test_malformed_hosts_and_overlong_urls_are_rejected_with_a_clear_status(url):
    check = make_checker().check_one(url)
    assert check.status == Status.INVALID_URL
    assert check.error and no_guard_hit(check)


def test_a_long_but_valid_url_is_checked(site):
    check = make_checker().check_one(site.url("/" + "x" * 7000))
    assert check.status == Status.OK


def test_line_breaks_in_a_url_cannot_inject_headers(site):
    # a URL with control characters is refused before any request is made
    check = make_checker().check_one(site.url("/a\r\nX-Injected: 1"))
    assert check.status == Status.INVALID_URL and check.error
    assert not any(b"X-Injected" in request for request in site.requests)
