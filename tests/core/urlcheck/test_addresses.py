"""The SSRF guard: private addresses refused before any packet, on every hop; no credentials,
cookies or proxies; TLS verified against the host name through the pinned address."""

import os

import pytest
from werkzeug import Response

from pipeline.core.models import Status
from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck import AddressPolicy, UrlChecker
from tests.core.urlcheck.servers import http_server, make_checker, mapping_resolver


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
        assert result.error.endswith("refused: 127.0.0.3 resolves to non-public address(es) 127.0.0.3")
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


def test_tls_through_the_pinned_address_verifies_the_host_name(https_server, tls_ca, tmp_path):
    bundle = tmp_path / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(bundle))
    names = {"secure.test": "127.0.0.2", "other.test": "127.0.0.2"}
    s = make_checker().settings
    trusted = UrlChecker(s, resolver=mapping_resolver(names), verify=str(bundle))
    assert trusted.check_one(f"https://secure.test:{https_server.port}/").status == Status.OK
    # same address, but the certificate is not for this name
    assert trusted.check_one(f"https://other.test:{https_server.port}/").status == Status.TLS_ERROR
