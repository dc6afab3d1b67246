"""Fixtures shared by the URL checker tests."""

import pytest

from tests.core.urlcheck_servers import http_server


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
