"""The SSRF guard: resolve, vet, then connect to the vetted address (every hop).

PDFs are untrusted. Every connection resolves the host itself, refuses private, loopback,
link-local, multicast and reserved addresses (unless allow-listed), and connects to the address
it checked, so a redirect or a DNS rebind cannot reach an internal service. TLS still verifies
the certificate against the host name: only the TCP target is pinned. The session sends no
cookies and no credentials (not even those written into a URL), and takes no proxies or .netrc
from the environment.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from pipeline.core.settings import UrlCheckSettings

Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Addresses for a host via the system resolver (numeric hosts resolve without a query)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class RefusedAddress(NewConnectionError):
    """The host resolved only to addresses the policy refuses. Raised before any packet is sent."""

    def __init__(self, host: str, addresses: Sequence[str]) -> None:
        self.host = host
        self.addresses = list(addresses)
        super().__init__(None, f"refused: {host} resolves to non-public address(es) {', '.join(addresses)}")  # type: ignore[arg-type]


class ResolveFailed(NewConnectionError):
    """The host name could not be resolved."""

    def __init__(self, host: str, reason: str) -> None:
        self.host = host
        super().__init__(None, f"could not resolve {host}: {reason}")  # type: ignore[arg-type]


@dataclass
class AddressPolicy:
    """Which addresses may be contacted. Public addresses always; others only if allow-listed."""

    allow: Sequence[str] = ()
    resolver: Resolver = system_resolver

    def __post_init__(self) -> None:
        self._nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self._hosts: set[str] = set()
        for item in self.allow:
            try:
                self._nets.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self._hosts.add(item.lower().rstrip("."))

    def permitted(self, host: str, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if any(ip in net for net in self._nets) or host.lower().rstrip(".") in self._hosts:
            return True
        return ip.is_global and not (
            ip.is_multicast or ip.is_reserved or ip.is_private or ip.is_loopback or ip.is_link_local
        )

    def resolve(self, host: str, port: int) -> list[str]:
        """Addresses that may be contacted; raises ``ResolveFailed`` or ``RefusedAddress``."""
        try:
            addresses = self.resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise ResolveFailed(host, str(exc) or exc.__class__.__name__) from exc
        if not addresses:
            raise ResolveFailed(host, "no addresses")
        allowed = [a for a in addresses if self.permitted(host, a)]
        if not allowed:
            raise RefusedAddress(host, addresses)
        return allowed


#: per thread: the connections it opened (so a check's deadline can cut a trickling response),
#: and ``before_send``, the hook that keeps a host's interval between requests leaving
THREAD = threading.local()


def thread_connections() -> weakref.WeakSet[HTTPConnection]:
    """The connections the current thread has opened (weakly held)."""
    conns = getattr(THREAD, "connections", None)
    if conns is None:
        conns = THREAD.connections = weakref.WeakSet()
    return conns


def _pinned_classes(policy: AddressPolicy) -> tuple[type, type]:
    """HTTP(S) connection classes that connect only to addresses the policy admits.

    TLS still verifies the certificate against the host name: only the TCP target is pinned.
    """

    def new_conn(self: HTTPConnection) -> socket.socket:
        host = self._dns_host  # type: ignore[attr-defined]
        addresses = policy.resolve(host, self.port or 0)
        last: OSError | None = None
        for address in addresses:
            try:
                sock = socket.create_connection((address, self.port), timeout=self.timeout)  # type: ignore[arg-type]
            except TimeoutError as exc:
                msg = f"connection to {host} timed out after {self.timeout}s"
                raise ConnectTimeoutError(self, msg) from exc
            except OSError as exc:
                last = exc
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            thread_connections().add(self)  # its .sock becomes the TLS socket later
            return sock
        raise NewConnectionError(self, f"failed to connect to {host}: {last}") from last  # type: ignore[arg-type]

    def send(self: HTTPConnection, data: Any) -> None:
        # The per-host interval is kept between requests leaving, not between decisions to send:
        # connecting (and thread scheduling) would otherwise shift one start against the next.
        hook = getattr(THREAD, "before_send", None)
        if hook is not None:
            THREAD.before_send = None
            if self.sock is None:
                self.connect()
            hook()
        http.client.HTTPConnection.send(self, data)

    attrs = {"_new_conn": new_conn, "send": send}
    http_cls = type("PinnedHTTPConnection", (HTTPConnection,), attrs)
    https_cls = type("PinnedHTTPSConnection", (HTTPSConnection,), attrs)
    return http_cls, https_cls


class _PinnedAdapter(HTTPAdapter):
    def __init__(self, policy: AddressPolicy, **kwargs: Any) -> None:
        self._http_cls, self._https_cls = _pinned_classes(policy)
        super().__init__(max_retries=0, **kwargs)  # retries are decided by the checker, politely

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block=block, **kwargs)
        http_cls, https_cls = self._http_cls, self._https_cls
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("PinnedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_cls}),
            "https": type("PinnedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_cls}),
        }


def make_session(
    settings: UrlCheckSettings, policy: AddressPolicy, verify: bool | str = True
) -> requests.Session:
    """A session that sends no cookies or credentials, ignores proxies/.netrc, and pins addresses."""
    session = requests.Session()
    session.trust_env = False  # no proxies, no .netrc credentials from the environment
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    session.verify = verify
    session.headers.update(
        {
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
            "Accept-Language": "en;q=0.9,*;q=0.5",
        }
    )
    adapter = _PinnedAdapter(policy, pool_connections=64, pool_maxsize=settings.per_host_limit * 2)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def strip_credentials(url: str) -> str:
    """The URL without ``user:password@``: credentials found in a PDF are never sent."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
