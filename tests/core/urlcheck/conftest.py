"""Fixtures shared by the URL checker tests: loopback servers, a fake clock, a history."""

import ssl

import pytest
import trustme

from pipeline.core.urlcheck import History
from tests.core.urlcheck.servers import HTML, FakeClock, http_server, page


@pytest.fixture(scope="module")
def shared_server():
    """One allow-listed loopback server (127.0.0.2) per test module."""
    with http_server("127.0.0.2") as srv:
        yield srv


@pytest.fixture
def server(shared_server):
    """The module's server with no expectations left from the test before."""
    shared_server.clear()
    yield shared_server
    shared_server.clear()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def history(tmp_path):
    return History(tmp_path / "state" / "url_history.sqlite")


@pytest.fixture(scope="module")
def tls_ca():
    return trustme.CA()


@pytest.fixture
def https_server(tls_ca):
    """An HTTPS server on 127.0.0.2 whose certificate (from ``tls_ca``) is for secure.test."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls_ca.issue_cert("secure.test").configure_cert(ctx)
    with http_server("127.0.0.2", ssl_context=ctx) as srv:
        srv.expect_request("/").respond_with_data(page("Secure"), content_type=HTML)
        yield srv
