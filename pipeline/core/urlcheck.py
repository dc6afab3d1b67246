"""URL checking: polite, concurrent, and honest about what could not be checked.

* One closed ``Status`` enum (in ``models``) and one ``classify()`` that maps every outcome,
  HTTP or low-level, to it. "Could not check" (timeouts, DNS, TLS, offline) is never ``dead``.
* Security: PDFs are untrusted. Every connection resolves the host itself, refuses private,
  loopback, link-local, multicast and reserved addresses (unless allow-listed), and connects to
  the address it checked, so a redirect or a DNS rebind cannot reach an internal service.
  Only http(s), at most ``max_redirects`` hops, at most ``max_body_bytes`` read, no cookies,
  no credentials (not even those written into a URL), no proxies or .netrc from the environment.
* Politeness: at most ``per_host_limit`` checks in flight to a host and ``per_host_interval``
  seconds between the starts of two checks of a host; a clear User-Agent; ``Retry-After``
  honoured host-wide; 429 and 5xx retried with capped backoff (urllib3 ``Retry``); HEAD first,
  GET when HEAD is refused or cannot tell (HTML pages, whose title we need).
* Memory: every check goes to a SQLite history; a URL checked within the TTL is not checked
  again; ``dead`` is confirmed only after repeated failures days apart; an outage (offline
  machine, or no host answering at all) writes nothing and keeps the last known statuses.
* Archive fallback: dead, soft-404 and redirect-to-root links get the Wayback snapshot nearest
  the citing document's date. Drift: the page title is scored against the cited title.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import re
import socket
import sqlite3
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
import urllib3
from rapidfuzz import fuzz
from rapidfuzz import utils as fuzz_utils
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError
from urllib3.util.retry import Retry

from pipeline.core.errors import DatasetError
from pipeline.core.models import REACHABLE, ROTTEN, Citation, Status, UrlCheck
from pipeline.core.settings import UrlCheckSettings

Resolver = Callable[[str, int], list[str]]
Clock = Callable[[], datetime]

#: statuses urllib3's Retry may retry (with backoff, Retry-After honoured)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def system_resolver(host: str, port: int) -> list[str]:
    """Addresses for a host via the system resolver (numeric hosts resolve without a query)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# ---------------------------------------------------------------------------------------------
# Address policy: resolve, vet, then connect to the vetted address (every hop)
# ---------------------------------------------------------------------------------------------


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


#: connections opened by the current thread, so a check's deadline can cut a trickling response
_THREAD = threading.local()


def _thread_connections() -> weakref.WeakSet[HTTPConnection]:
    conns = getattr(_THREAD, "connections", None)
    if conns is None:
        conns = _THREAD.connections = weakref.WeakSet()
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
            _thread_connections().add(self)  # its .sock becomes the TLS socket later
            return sock
        raise NewConnectionError(self, f"failed to connect to {host}: {last}") from last  # type: ignore[arg-type]

    def send(self: HTTPConnection, data: Any) -> None:
        # The per-host interval is kept between requests leaving, not between decisions to send:
        # connecting (and thread scheduling) would otherwise shift one start against the next.
        hook = getattr(_THREAD, "before_send", None)
        if hook is not None:
            _THREAD.before_send = None
            if self.sock is None:
                self.connect()
            hook()
        http.client.HTTPConnection.send(self, data)

    attrs = {"_new_conn": new_conn, "send": send}
    http_cls = type("PinnedHTTPConnection", (HTTPConnection,), attrs)
    https_cls = type("PinnedHTTPSConnection", (HTTPSConnection,), attrs)
    return http_cls, https_cls


@contextlib.contextmanager
def _spaced(gate: HostGate | None) -> Iterator[None]:
    """Within the block, the first request sent waits for ``gate``'s interval (see ``send``)."""
    _THREAD.before_send = gate.begin if gate is not None else None
    try:
        yield
    finally:
        _THREAD.before_send = None


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


# ---------------------------------------------------------------------------------------------
# Classification: one function decides every status
# ---------------------------------------------------------------------------------------------


class HostBusy(Exception):
    """A host could not take the request within the check's time budget (no request was sent)."""

    def __init__(self, host: str, wait: float, throttled: bool) -> None:
        self.host, self.wait, self.throttled = host, wait, throttled
        why = "asked us (Retry-After) to wait" if throttled else "is busy for another"
        super().__init__(f"not checked: {host} {why} {wait:.0f}s")


class DeadlineExceeded(Exception):
    """The check ran past ``total_timeout`` (slow headers or a trickling body)."""


@dataclass
class Outcome:
    """Everything observed while checking a URL; ``classify`` turns it into a ``Status``."""

    url: str
    http_status: int | None = None
    final_url: str | None = None
    chain: list[str] = field(default_factory=list)
    content_type: str | None = None
    title: str | None = None
    heading: str | None = None
    error: str | None = None
    exception: BaseException | None = None
    elapsed: float = 0.0
    loop: bool = False
    too_many_redirects: bool = False
    bad_redirect: Status | None = None
    challenge_header: bool = False


_SOFT_404_TEXT = re.compile(
    r"""
    ^\W*(?:error\W*)?404\W*$                                   # "404", "Error 404"
    | ^\W*404\s*[-|:–—]                                        # "404 - Site", "404 | Site"
    | \b(?:error|http|status|code)\W{0,3}404\b                 # "Error 404", "HTTP 404"
    | \b404\W{0,3}(?:error|not\s+found|page\s+not)\b           # "404 error", "404 Not Found"
    | ^\W*(?:not|nothing)\s+found\b                            # "Not Found", "Nothing found"
    | \b(?:page|file|document|article|resource|content|post|item|url)s?\W+
      (?:you\s+(?:requested|were\s+looking\s+for|are\s+looking\s+for)\s+)?
      (?:was\s+|is\s+|has\s+been\s+)?
      (?:not\s+found|no\s+longer\s+(?:available|exists?)|removed|deleted
        |(?:could|can)\s*(?:not|n't)\s+be\s+found|(?:does\s+not|doesn't|did\s+not)\s+exist)\b
    | \bwe\s+(?:could|can)(?:n't|not)\s+find\s+(?:that|the|this|your)\s+page\b
    | \bseite\s+(?:wurde\s+)?nicht\s+gefunden\b | \bpage\s+introuvable\b
    | \bp[áa]gina\s+no\s+encontrada\b | \bpagina\s+non\s+trovata\b
    """,
    re.I | re.X,
)
_CHALLENGE_TEXT = re.compile(
    r"""
    ^\W*(?:just\s+a\s+moment|attention\s+required|checking\s+your\s+browser|one\s+more\s+step
        |are\s+you\s+a\s+robot|verify\s+you\s+are\s+(?:a\s+)?human|pardon\s+our\s+interruption
        |robot\s+or\s+human|security\s+check|ddos-guard|please\s+verify)\b
    | ^\W*access\s+denied\s*(?:$|[|\-–—]\s)
    | \bcaptcha\b
    """,
    re.I | re.X,
)
#: final-URL path segments that mean "you were sent to an error page"
_SOFT_404_SEGMENT = re.compile(
    r"(?:404|410|error|errors|error[-_]?404|404[-_]?error|not[-_]?found|page[-_]?not[-_]?found|"
    r"pagenotfound|missing|gone)(?:\.(?:html?|php|aspx?|jsp))?",
    re.I,
)
_SOFT_404_QUERY = re.compile(r"(?:^|&)(?:aspxerrorpath=|error=404\b|status=404\b)", re.I)
#: paths of a site's home page: "/", "/en/", "/index.html", "/home"
_ROOT_PATH = re.compile(
    r"/?(?:(?:[a-z]{2}(?:[-_][a-z]{2})?|home|index|default|start|welcome)(?:\.(?:html?|php|aspx?|jsp))?/?)?",
    re.I,
)
_NON_CONTENT_PARAMS = re.compile(r"(?:utm_\w+|lang|locale|ref|from|source|fbclid|gclid)", re.I)


def classify(outcome: Outcome) -> Status:
    """The single place that decides a link's status."""
    exc = outcome.exception
    if exc is not None:
        return _classify_exception(exc)
    if outcome.bad_redirect is not None:
        return outcome.bad_redirect
    if outcome.loop or outcome.too_many_redirects:
        # Sites that need cookies (we send none) loop like this: they refuse us, the page may be fine.
        return Status.BLOCKED
    code = outcome.http_status
    if code is None:
        return Status.UNVERIFIED
    text = " ".join(t for t in (outcome.title, outcome.heading) if t)
    if outcome.challenge_header or (code in (200, 202, 403, 429, 503) and _CHALLENGE_TEXT.search(text)):
        return Status.BLOCKED
    if code in (404, 410):
        return Status.DEAD
    if code in (401, 403, 451, 999):
        return Status.BLOCKED
    if code == 429:
        return Status.RATE_LIMITED
    if code == 408:
        return Status.TIMEOUT
    if 400 <= code < 500:
        # Only 404 and 410 say the page is gone; other refusals say nothing about the page.
        return Status.BLOCKED
    if 200 <= code < 300:
        final = outcome.final_url or outcome.url
        if (outcome.title and _SOFT_404_TEXT.search(outcome.title)) or (
            outcome.heading and _SOFT_404_TEXT.search(outcome.heading)
        ):
            return Status.SOFT_404
        if outcome.chain:
            if _is_error_page(final):
                return Status.SOFT_404
            if _is_root(final) and not _is_root(outcome.url):
                return Status.REDIRECT_TO_ROOT
            if _same_resource(outcome.url, final):
                return Status.OK
            return Status.REDIRECTED
        return Status.OK
    # 5xx after retries, a 3xx without a usable Location, or a code outside HTTP's range
    return Status.SERVER_ERROR


def _classify_exception(exc: BaseException) -> Status:
    """Map low-level errors, wherever they were wrapped, to a status. One place for all of them."""
    chain = list(_chain(exc))
    for err in chain:
        if isinstance(err, HostBusy):
            return Status.RATE_LIMITED if err.throttled else Status.UNVERIFIED
        if isinstance(err, DeadlineExceeded):
            return Status.TIMEOUT
        if isinstance(err, RefusedAddress):
            return Status.REFUSED_PRIVATE
        if isinstance(err, ResolveFailed):
            return Status.DNS_ERROR
        if isinstance(err, NewConnectionError):  # urllib3 derives it from ConnectTimeoutError: test first
            return Status.CONNECTION_ERROR
        if isinstance(err, ConnectTimeoutError):
            return Status.TIMEOUT
    for err in chain:
        if isinstance(err, requests.exceptions.InvalidSchema):
            return Status.UNSUPPORTED_SCHEME
        if isinstance(err, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema | UnicodeError):
            return Status.INVALID_URL
        if isinstance(err, requests.exceptions.SSLError | urllib3.exceptions.SSLError):
            return Status.TLS_ERROR
        if isinstance(
            err, requests.exceptions.Timeout | urllib3.exceptions.TimeoutError | socket.timeout | TimeoutError
        ):
            return Status.TIMEOUT
        if isinstance(err, socket.gaierror):
            return Status.DNS_ERROR
    return Status.CONNECTION_ERROR


def _chain(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    stack = [exc]
    while stack:
        err = stack.pop()
        if id(err) in seen:
            continue
        seen.add(id(err))
        yield err
        stack += [
            e
            for e in (err.__cause__, err.__context__, getattr(err, "reason", None))
            if isinstance(e, BaseException)
        ]
        stack += [a for a in getattr(err, "args", ()) if isinstance(a, BaseException)]


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    if not _ROOT_PATH.fullmatch(parts.path or "/"):
        return False
    return all(_NON_CONTENT_PARAMS.fullmatch(k) for k, _ in parse_qsl(parts.query, keep_blank_values=True))


def _is_error_page(url: str) -> bool:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    return any(_SOFT_404_SEGMENT.fullmatch(s) for s in segments) or bool(_SOFT_404_QUERY.search(parts.query))


def _same_resource(a: str, b: str) -> bool:
    """http->https, www. added/removed or a trailing slash is not a meaningful redirect."""

    def key(u: str) -> str:
        p = urlsplit(u)
        host = (p.hostname or "").removeprefix("www.")
        return f"{host}{p.path.rstrip('/')}?{p.query}"

    return key(a) == key(b)


def validate_url(url: str) -> Status | None:
    """A status for URLs that cannot be checked at all, before any network access."""
    if not url or len(url) > 8192 or any(c.isspace() or ord(c) < 32 for c in url):
        return Status.INVALID_URL
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        return Status.INVALID_URL
    if parts.scheme.lower() not in ("http", "https"):
        return Status.UNSUPPORTED_SCHEME if parts.scheme else Status.INVALID_URL
    if not host or host.startswith(".") or ".." in host:
        return Status.INVALID_URL
    try:
        host.encode("idna")
    except UnicodeError:
        return Status.INVALID_URL
    return None


def strip_credentials(url: str) -> str:
    """The URL without ``user:password@``: credentials found in a PDF are never sent."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


# ---------------------------------------------------------------------------------------------
# Per-host politeness
# ---------------------------------------------------------------------------------------------


class HostGate:
    """At most ``limit`` checks in flight to one host, their starts ``interval`` seconds apart.

    A check holds a slot while it talks to the host (its GET after a HEAD, and redirect hops on
    the same host, reuse the slot and the connection). ``defer`` pushes the next start back
    for everyone (Retry-After is about the host, not one URL).
    """

    def __init__(self, host: str, limit: int, interval: float, throttle_cap: float) -> None:
        self.host = host
        self.limit = limit
        self.interval = interval
        self.throttle_cap = throttle_cap
        self._cond = threading.Condition()
        self._next = 0.0  # earliest start of the next check (monotonic)
        self._last_begin = float("-inf")
        self._not_before = 0.0  # Retry-After / backoff
        self._throttled = False
        self.in_flight = 0
        self.max_in_flight = 0
        self.starts: list[float] = []  # monotonic start times, for tests and the benchmark

    def _ready_at(self) -> float:
        return max(self._next, self._not_before)

    def try_acquire(self, now: float) -> bool:
        """Take a slot if one is free and the interval has passed (the scheduler's path)."""
        with self._cond:
            if self.in_flight >= self.limit or now < self._ready_at():
                return False
            self._take(now)
            return True

    def throttled(self, now: float) -> bool:
        """The host asked us to wait longer than we wait for (Retry-After past the cap)."""
        with self._cond:
            return self._throttled and self._not_before - now > self.throttle_cap

    def wait_hint(self, now: float) -> float | None:
        """Seconds until a slot could be free by time alone (None: when a check finishes)."""
        with self._cond:
            if self.in_flight >= self.limit:
                return None
            return max(0.0, self._ready_at() - now)

    def acquire(self, budget: float) -> None:
        """Block until a slot is free; raise ``HostBusy`` (nothing sent) if that takes > budget."""
        deadline = time.monotonic() + budget
        with self._cond:
            while True:
                now = time.monotonic()
                ready = self._ready_at()
                if self.in_flight < self.limit and now >= ready:
                    self._take(now)
                    return
                if ready > deadline or (self._throttled and ready - now > self.throttle_cap):
                    raise HostBusy(self.host, ready - now, self._throttled)
                if now >= deadline:
                    raise HostBusy(self.host, budget, False)
                self._cond.wait(timeout=max(0.001, min(deadline, ready if ready > now else deadline) - now))

    def _take(self, now: float) -> None:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self._next = max(now, self._ready_at()) + self.interval

    def begin(self) -> None:
        """Wait (briefly) so that actual starts, not only reservations, are ``interval`` apart."""
        with self._cond:
            now = time.monotonic()
            start = max(now, self._last_begin + self.interval, self._not_before)
            self._last_begin = start
            self._next = max(self._next, start + self.interval)
            self.starts.append(start)
        if start > now:
            time.sleep(start - now)

    def release(self) -> None:
        with self._cond:
            self.in_flight -= 1
            self._cond.notify_all()

    def defer(self, until: float, *, throttled: bool = False) -> None:
        with self._cond:
            self._not_before = max(self._not_before, until)
            self._throttled = self._throttled or throttled
            self._cond.notify_all()


class _Deadline:
    """Cuts the current thread's sockets when a check overruns ``total_timeout``.

    Per-read timeouts cannot stop a server that trickles a byte every few seconds; shutting the
    socket down makes the blocked read return at once.
    """

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.hit = False
        self._connections = _thread_connections()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def _fire(self) -> None:
        self.hit = True
        for conn in list(self._connections):
            sock = getattr(conn, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


# ---------------------------------------------------------------------------------------------
# One URL
# ---------------------------------------------------------------------------------------------


class UrlChecker:
    """Checks URLs with per-thread sessions, per-host politeness and address pinning."""

    def __init__(
        self,
        settings: UrlCheckSettings | None = None,
        *,
        resolver: Resolver = system_resolver,
        clock: Clock = lambda: datetime.now(UTC),
        verify: bool | str = True,
    ) -> None:
        self.settings = settings or UrlCheckSettings()
        self.policy = AddressPolicy(allow=self.settings.allow_private, resolver=resolver)
        self.clock = clock
        self._verify = verify
        self._local = threading.local()
        self._gates: dict[str, HostGate] = {}
        self._gates_lock = threading.Lock()

    def _session(self) -> requests.Session:
        # requests.Session is not thread-safe: one per thread, reused for keep-alive
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = make_session(self.settings, self.policy, self._verify)
        return session

    def gates(self) -> list[HostGate]:
        """Every host gate used so far (their ``starts`` show when checks began)."""
        with self._gates_lock:
            return list(self._gates.values())

    def gate(self, host: str) -> HostGate:
        with self._gates_lock:
            gate = self._gates.get(host)
            if gate is None:
                s = self.settings
                gate = HostGate(host, s.per_host_limit, s.per_host_interval, s.backoff_cap)
                self._gates[host] = gate
            return gate

    def _retry(self) -> Retry:
        s = self.settings
        return Retry(
            total=s.retries,
            connect=0,
            read=0,
            redirect=0,
            other=0,
            status=s.retries,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"HEAD", "GET"}),
            backoff_factor=s.backoff_factor,
            backoff_max=s.backoff_cap,
            respect_retry_after_header=True,
            raise_on_status=False,
            retry_after_max=10**9,  # we compare it with the cap ourselves
        )

    def check_one(self, url: str, reserved: HostGate | None = None) -> UrlCheck:
        """Check one URL now (no history). ``reserved``: a slot the scheduler already took."""
        started = time.monotonic()
        bad = validate_url(url)
        if bad is not None:
            if reserved is not None:
                reserved.release()
            return UrlCheck(
                url=url,
                status=bad,
                error=f"{bad.value}: cannot check {url[:200]!r}",
                checked_at=self.clock(),
                elapsed_ms=0,
                tried=[url],
            )
        deadline = _Deadline(self.settings.total_timeout)
        try:
            outcome = self._fetch(url, deadline, reserved)
        finally:
            deadline.cancel()
        outcome.elapsed = time.monotonic() - started
        status = classify(outcome)
        return UrlCheck(
            url=url,
            status=status,
            http_status=outcome.http_status,
            final_url=outcome.final_url,
            redirect_chain=outcome.chain,
            content_type=outcome.content_type,
            page_title=outcome.title,
            error=_explain(status, outcome),
            elapsed_ms=int(outcome.elapsed * 1000),
            checked_at=self.clock(),
            tried=[url],
        )

    def _fetch(self, url: str, deadline: _Deadline, reserved: HostGate | None) -> Outcome:
        s = self.settings
        out = Outcome(url=url)
        current = strip_credentials(url)
        seen = {current}
        method = "HEAD"
        retry = self._retry()
        holding: HostGate | None = None
        try:
            while True:
                gate = self.gate(_host(current))
                starting: HostGate | None = None  # a new start on this host: keep the interval
                if holding is not gate:
                    if holding is not None:
                        holding.release()
                        holding = None
                    if reserved is gate:
                        reserved = None
                    else:
                        gate.acquire(deadline.remaining())
                    holding = starting = gate
                try:
                    with _spaced(starting):
                        resp = self._session().request(
                            method,
                            current,
                            allow_redirects=False,
                            stream=True,
                            timeout=(s.connect_timeout, s.read_timeout),
                        )
                except Exception as exc:
                    out.exception = DeadlineExceeded(_deadline_text(s)) if deadline.hit else exc
                    out.error = _error_text(out.exception)
                    break
                try:
                    code = resp.status_code
                    out.http_status, out.final_url = code, current
                    out.content_type = resp.headers.get("Content-Type")
                    out.challenge_header = resp.headers.get("cf-mitigated", "").lower() == "challenge"
                    location = resp.headers.get("Location")
                    if 300 <= code < 400 and code != 304 and location:
                        nxt = strip_credentials(urljoin(current, location.strip()))
                        out.chain.append(nxt)
                        if nxt in seen:
                            out.loop, out.error = True, f"redirect loop at {nxt[:200]}"
                            break
                        if len(out.chain) > s.max_redirects:
                            out.too_many_redirects = True
                            out.error = f"more than {s.max_redirects} redirects"
                            break
                        bad = validate_url(nxt)
                        if bad is not None:
                            out.bad_redirect, out.final_url = bad, nxt
                            out.error = f"redirect to a URL that cannot be followed: {nxt[:200]}"
                            break
                        seen.add(nxt)
                        current = nxt
                        continue
                    slow_down = code == 429 or "Retry-After" in resp.headers
                    if method == "HEAD" and not slow_down:
                        if 200 <= code < 300 and not _needs_body(out.content_type):
                            break  # HEAD told us everything (a PDF, an image...)
                        method = "GET"  # refused (405, 403, 404, 5xx...) or an HTML page whose title we need
                        continue
                    if method == "GET" and _is_html(out.content_type):
                        body = _read_capped(resp, s.max_body_bytes, deadline)
                        out.title, out.heading = extract_title(body, resp.encoding, out.content_type)
                    if code in RETRY_STATUSES and not _is_challenge(out):
                        nxt_retry, wait_s, why = self._plan_retry(retry, method, code, resp, deadline)
                        if nxt_retry is not None:
                            retry, method = nxt_retry, "GET"  # GET: some servers fail HEAD only
                            gate.release()
                            holding = None
                            gate.defer(time.monotonic() + wait_s)
                            continue
                        out.error = why
                    break
                except Exception as exc:
                    out.exception = DeadlineExceeded(_deadline_text(s)) if deadline.hit else exc
                    out.error = _error_text(out.exception)
                    break
                finally:
                    resp.close()
        except HostBusy as exc:
            out.exception, out.error = exc, str(exc)
        finally:
            if holding is not None:
                holding.release()
            if reserved is not None:
                reserved.release()
        return out

    def _plan_retry(
        self, retry: Retry, method: str, code: int, resp: requests.Response, deadline: _Deadline
    ) -> tuple[Retry | None, float, str | None]:
        """(the Retry after this attempt and the wait before it) or (None, 0, why not to retry)."""
        s = self.settings
        if not retry.is_retry(method, code, "Retry-After" in resp.headers):
            return None, 0.0, None
        try:
            nxt = retry.increment(method, resp.url, response=resp.raw)  # type: ignore[arg-type]
        except MaxRetryError:
            return None, 0.0, f"HTTP {code} after {s.retries} retries"
        after: float | None = None
        with contextlib.suppress(urllib3.exceptions.InvalidHeader):
            after = nxt.get_retry_after(resp.raw)  # type: ignore[arg-type]
        if after is not None and after > s.backoff_cap:
            # Waiting would break the run; asking earlier would be rude. Tell, and leave the host be.
            self.gate(_host(resp.url)).defer(time.monotonic() + after, throttled=True)
            why = f"HTTP {code}: Retry-After {after:.0f}s is longer than we wait ({s.backoff_cap:g}s)"
            return None, 0.0, why
        wait_s = min(s.backoff_cap, after if after is not None else nxt.get_backoff_time())
        if wait_s + 0.5 > deadline.remaining():
            return None, 0.0, f"HTTP {code}: no time left to retry within {s.total_timeout:g}s"
        return nxt, wait_s, None

    def lookup_archive(
        self, url: str, when: str | None, reserved: HostGate | None = None
    ) -> tuple[str | None, str | None, str | None]:
        """(snapshot URL, its timestamp, why none) from the Wayback availability API."""
        s = self.settings
        params = {"url": url}
        if when:
            params["timestamp"] = when
        api = f"{s.wayback_api}{'&' if '?' in s.wayback_api else '?'}{urlencode(params)}"
        gate = self.gate(_host(api))
        deadline = _Deadline(s.total_timeout)
        try:
            if reserved is not gate:
                if reserved is not None:
                    reserved.release()
                gate.acquire(deadline.remaining())
            try:
                with _spaced(gate):
                    resp = self._session().get(
                        api, allow_redirects=False, stream=True, timeout=(s.connect_timeout, s.read_timeout)
                    )
                with contextlib.closing(resp):
                    if resp.status_code != 200:
                        return None, None, f"archive lookup failed: HTTP {resp.status_code}"
                    data = json.loads(_read_capped(resp, 64 * 1024, deadline) or b"null")
            finally:
                gate.release()
        except (HostBusy, requests.RequestException, OSError, ValueError) as exc:
            reason = _deadline_text(s) if deadline.hit else _error_text(exc)
            return None, None, f"archive lookup failed: {reason}"
        finally:
            deadline.cancel()
        closest = ((data if isinstance(data, dict) else {}).get("archived_snapshots") or {}).get("closest")
        closest = closest if isinstance(closest, dict) else {}
        snap, stamp = closest.get("url"), closest.get("timestamp")
        good = str(closest.get("status", "200"))[:1] in ("2", "3")
        if not (closest.get("available") and isinstance(snap, str) and good) or validate_url(snap):
            return None, None, "no snapshot in the Wayback Machine"
        return snap, str(stamp) if stamp and str(stamp).isdigit() else None, None


def _is_challenge(out: Outcome) -> bool:
    return out.challenge_header or bool(_CHALLENGE_TEXT.search(out.title or ""))


def _deadline_text(s: UrlCheckSettings) -> str:
    return f"gave up after {s.total_timeout:g}s in total (slow or trickling response)"


def _needs_body(content_type: str | None) -> bool:
    return content_type is None or _is_html(content_type)


def _is_html(content_type: str | None) -> bool:
    ct = (content_type or "").lower()
    return "html" in ct or "xml" in ct


_HEAD_END = re.compile(rb"</title\s*>.*?</h1\s*>|<body[^>]*>.*?</h1\s*>", re.I | re.S)


def _read_capped(resp: requests.Response, cap: int, deadline: _Deadline | None = None) -> bytes:
    """At most ``cap`` decoded bytes (huge bodies, decompression bombs); stop once title and h1 are in.

    ``read1`` returns whatever has arrived instead of waiting for a full chunk, so a server that
    trickles its body cannot hold the check past the deadline, and a title in the first bytes is
    seen at once.
    """
    buf = bytearray()
    raw = resp.raw
    while len(buf) < cap and not (deadline is not None and deadline.remaining() <= 0):
        chunk = raw.read1(min(16384, cap - len(buf)), decode_content=True)
        if not chunk:
            break
        buf += chunk
        if _HEAD_END.search(buf):
            break
    return bytes(buf[:cap])


_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.I)


def extract_title(
    body: bytes, encoding: str | None = None, content_type: str | None = None
) -> tuple[str | None, str | None]:
    """(page title, first <h1>) of an HTML body, whitespace-normalised, at most 500 characters."""
    from selectolax.lexbor import LexborHTMLParser

    if not body:
        return None, None
    declared = encoding if content_type and "charset=" in content_type.lower() else None
    meta = _META_CHARSET.search(body[:4096])
    text = None
    for enc in (declared, meta.group(1).decode("ascii", "ignore") if meta else None, "utf-8"):
        if not enc:
            continue
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            text = body.decode(enc)
            break
    if text is None:
        text = body.decode("cp1252", "replace")
    tree = LexborHTMLParser(text)

    def clean(node: Any) -> str | None:
        if node is None:
            return None
        value = re.sub(r"\s+", " ", node.text(separator=" ")).strip()
        return value[:500] or None

    return clean(tree.css_first("head > title") or tree.css_first("title")), clean(tree.css_first("h1"))


def _error_text(exc: BaseException) -> str:
    """A short, readable reason from a wrapped low-level error."""
    for err in _chain(exc):
        if isinstance(err, RefusedAddress | ResolveFailed | HostBusy | DeadlineExceeded):
            return str(err.args[-1] if isinstance(err, NewConnectionError) else err)
        if isinstance(err, ConnectTimeoutError) and not isinstance(err, NewConnectionError):
            return str(err.args[-1]) if err.args else "connection timed out"
    for err in _chain(exc):
        if isinstance(err, urllib3.exceptions.SSLError | requests.exceptions.SSLError):
            inner = [e for e in _chain(err) if e.__class__.__name__.startswith("SSL") and e is not err]
            return "TLS: " + str(inner[-1] if inner else err)[:300]
        if isinstance(err, urllib3.exceptions.ReadTimeoutError):
            return "read timed out"
        if isinstance(err, ConnectionResetError):
            return "connection reset by the server"
        if isinstance(err, urllib3.exceptions.ProtocolError) and len(err.args) > 1:
            return f"{err.args[0]} {err.args[1]}"[:300]
    text = re.sub(r"<urllib3[^>]*>|\(Caused by [^)]*\)?", "", str(exc)).strip()
    return text[:500] or exc.__class__.__name__


def _explain(status: Status, outcome: Outcome) -> str | None:
    """The error column: why the status is what it is (None for a plain success)."""
    if outcome.error:
        return outcome.error
    code = outcome.http_status
    if status == Status.SOFT_404:
        if outcome.chain and _is_error_page(outcome.final_url or ""):
            return f"redirected to an error page: {(outcome.final_url or '')[:200]}"
        said = next(
            (t for t in (outcome.title, outcome.heading) if t and _SOFT_404_TEXT.search(t)), outcome.title
        )
        return f"HTTP {code} but the page says it is not found: {said!r}"
    if status == Status.REDIRECT_TO_ROOT:
        return f"a deep link now lands on the home page {(outcome.final_url or '')[:200]}"
    if status == Status.BLOCKED and (outcome.challenge_header or (code and 200 <= code < 300)):
        return f"HTTP {code}: a bot challenge page ({outcome.title or 'cf-mitigated'!s})"
    if status in (Status.OK, Status.REDIRECTED):
        return None
    return f"HTTP {code}" if code else None


# ---------------------------------------------------------------------------------------------
# Drift and archive dates
# ---------------------------------------------------------------------------------------------


def score_title(page_title: str | None, cited_title: str | None) -> float | None:
    """0-100: how well the page title still matches the cited title (None if either is missing).

    token_set_ratio ignores word order and extra words such as a site name ("... | Reuters").
    """
    if not page_title or not cited_title:
        return None
    a, b = fuzz_utils.default_process(page_title), fuzz_utils.default_process(cited_title)
    if not a or not b:
        return None
    return round(fuzz.token_set_ratio(a, b), 1)


def apply_citation(check: UrlCheck, cited_title: str | None, threshold: float) -> UrlCheck:
    """The check with the cited title, its similarity to the page title, and the drift flag."""
    score = score_title(check.page_title, cited_title)
    return check.model_copy(
        update={
            "cited_title": cited_title,
            "title_score": score,
            "possible_drift": None if score is None else score < threshold,
        }
    )


def wayback_timestamp(date: str | None) -> str | None:
    """``YYYY[-MM[-DD]]`` (the citation date formats) -> ``YYYY[MM[DD]]`` for the Wayback API."""
    if not date:
        return None
    m = re.match(r"\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date)
    if not m or not 1990 <= int(m.group(1)) <= 2100:
        return None
    return "".join(g for g in m.groups() if g)


def collect_citation_context(citations: Iterable[Citation]) -> tuple[dict[str, str], dict[str, str]]:
    """Per cited URL: (the cited title, the date to find a snapshot near).

    The date is the citation's access date, else the citing document's date; the document
    carries none, so the latest date among its citations stands in for it (a document is
    written after everything it cites).
    """
    titles: dict[str, str] = {}
    accessed: dict[str, str] = {}
    known: list[str] = []
    for c in citations:
        known += [d for d in (c.accessed, c.published) if d and wayback_timestamp(d)]
        for url in c.urls:
            if c.title:
                titles.setdefault(url, c.title)
            if c.accessed and wayback_timestamp(c.accessed):
                accessed.setdefault(url, c.accessed)
    latest = max(known, key=lambda d: wayback_timestamp(d) or "") if known else None
    dates: dict[str, str] = {}
    for c in citations:
        for url in c.urls:
            when = accessed.get(url) or latest
            if when:
                dates[url] = when
    return titles, dates


@dataclass
class UrlEntry:
    """One line of a URL list: the URL, and optionally the cited title and date."""

    url: str
    title: str | None = None
    date: str | None = None


def read_url_list(text: str) -> list[UrlEntry]:
    """``URL[<TAB>cited title[<TAB>date]]`` per line; blank lines and ``#`` comments are skipped.

    Lines are kept as written (even when they are not URLs): each becomes a result.
    """
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        url, title, date = ([*line.split("\t")[:3], None, None])[:3]
        entries.append(UrlEntry(url.strip(), (title or "").strip() or None, (date or "").strip() or None))
    return entries


# ---------------------------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------------------------


class History:
    """Every check ever made, in SQLite (safe across processes). Append-only.

    The latest row of a URL is its status; older rows serve the confirmed-dead rule and
    ``last_ok_at``. Rows are only ever added, so nothing known is lost.
    """

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.path = path
            with contextlib.closing(self._connect()) as db, db:
                db.execute(
                    """CREATE TABLE IF NOT EXISTS checks (
                        url TEXT NOT NULL, status TEXT NOT NULL, http_status INTEGER, final_url TEXT,
                        checked_at TEXT NOT NULL, record TEXT NOT NULL)"""
                )
                db.execute("CREATE INDEX IF NOT EXISTS checks_url ON checks (url, checked_at)")
        except (sqlite3.Error, OSError) as exc:
            raise DatasetError(f"URL history {path} cannot be opened: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    @staticmethod
    def _stamp(when: datetime) -> str:
        # fixed width, so text order is time order
        return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def add(self, check: UrlCheck) -> None:
        self.add_many([check])

    def add_many(self, checks: Sequence[UrlCheck]) -> None:
        rows = [
            (
                c.url,
                c.status.value,
                c.http_status,
                c.final_url,
                self._stamp(c.checked_at or datetime.now(UTC)),
                c.model_dump_json(),
            )
            for c in checks
        ]
        if not rows:
            return
        try:
            with contextlib.closing(self._connect()) as db, db:
                db.executemany("INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise DatasetError(f"URL history {self.path} cannot be written: {exc}") from exc

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[UrlCheck]:
        try:
            with contextlib.closing(self._connect()) as db:
                return [UrlCheck.model_validate_json(r[0]) for r in db.execute(sql, args).fetchall()]
        except sqlite3.Error as exc:
            raise DatasetError(f"URL history {self.path} cannot be read: {exc}") from exc

    def rows(self, url: str) -> list[UrlCheck]:
        """Every check of ``url``, oldest first."""
        return self._query("SELECT record FROM checks WHERE url = ? ORDER BY checked_at, rowid", (url,))

    def rows_for(self, urls: Iterable[str]) -> dict[str, list[UrlCheck]]:
        out: dict[str, list[UrlCheck]] = {}
        for url in dict.fromkeys(urls):
            rows = self.rows(url)
            if rows:
                out[url] = rows
        return out

    def latest(self, urls: Iterable[str]) -> dict[str, UrlCheck]:
        return {url: rows[-1] for url, rows in self.rows_for(urls).items()}

    def all_rows(self) -> list[UrlCheck]:
        return self._query("SELECT record FROM checks ORDER BY url, checked_at, rowid")


#: statuses that say something lasting about the link; others are retried sooner
CONCLUSIVE = frozenset(
    {
        Status.OK,
        Status.REDIRECTED,
        Status.REDIRECT_TO_ROOT,
        Status.SOFT_404,
        Status.DEAD,
        Status.BLOCKED,
        Status.INVALID_URL,
        Status.UNSUPPORTED_SCHEME,
        Status.REFUSED_PRIVATE,
    }
)
#: statuses an archive snapshot is looked up for
NEEDS_ARCHIVE = ROTTEN


def confirm_dead(check: UrlCheck, past: Sequence[UrlCheck], settings: UrlCheckSettings) -> UrlCheck:
    """``dead`` is confirmed after N failures in a row, each at least D days after the last counted.

    A check that found the page resets the count; checks that could not tell (timeouts...) do not.
    """
    if check.status != Status.DEAD:
        return check
    streak: list[datetime] = []
    for row in [*past, check]:
        if row.checked_at is None:
            continue
        if row.status in REACHABLE:
            streak = []
        elif row.status == Status.DEAD and (
            not streak or row.checked_at - streak[-1] >= timedelta(days=settings.dead_min_days_apart)
        ):
            streak.append(row.checked_at)
    return check.model_copy(update={"confirmed": len(streak) >= settings.dead_after_failures})


def is_fresh(prev: UrlCheck, now: datetime, settings: UrlCheckSettings) -> bool:
    """True when ``prev`` is recent enough not to check the URL again."""
    if prev.checked_at is None:
        return False
    age = now - prev.checked_at
    if prev.status in CONCLUSIVE:
        return age < timedelta(days=settings.ttl_days)
    if prev.status == Status.UNVERIFIED:
        return False
    return age < timedelta(hours=settings.recheck_failed_hours)


# ---------------------------------------------------------------------------------------------
# Many URLs: scheduling, offline and outage detection, history
# ---------------------------------------------------------------------------------------------


@dataclass
class RunReport:
    checks: dict[str, UrlCheck]
    offline: bool = False
    note: str | None = None
    checked: int = 0
    cached: int = 0


@dataclass
class _Task:
    host: str
    kind: str  # "check" or "archive"
    url: str
    run: Callable[[HostGate | None], UrlCheck]


class _Scheduler:
    """Hands a task to the pool only when its host can take it now, so no thread sleeps politely.

    Each host has a queue. A task is submitted when a worker is free and the host's gate grants
    a slot (free slot and interval passed); the slot is handed to the task. Otherwise the loop
    sleeps until the earliest host is ready or a task finishes.
    """

    def __init__(self, checker: UrlChecker) -> None:
        self.checker = checker
        self.queues: dict[str, deque[_Task]] = {}

    def add(self, task: _Task) -> None:
        self.queues.setdefault(task.host, deque()).append(task)

    def results(self) -> Iterator[tuple[_Task, UrlCheck]]:
        workers = self.checker.settings.workers
        pending: dict[Future[UrlCheck], _Task] = {}
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="urlcheck") as pool:
            while self.queues or pending:
                now = time.monotonic()
                wake: float | None = None
                for host in list(self.queues):
                    queue = self.queues[host]
                    gate = self.checker.gate(host)
                    while queue and len(pending) < workers:
                        if gate.try_acquire(now):
                            slot: HostGate | None = gate
                        elif gate.throttled(now):
                            slot = None  # the task answers rate_limited at once, sending nothing
                        else:
                            hint = gate.wait_hint(now)
                            if hint is not None:
                                wake = hint if wake is None else min(wake, hint)
                            break
                        task = queue.popleft()
                        pending[pool.submit(task.run, slot)] = task
                    if not queue:
                        del self.queues[host]
                    if len(pending) >= workers:
                        wake = None
                        break
                if not pending:
                    time.sleep(min(wake if wake is not None else 0.01, 0.5))
                    continue
                done, _ = wait(
                    pending, timeout=None if wake is None else max(0.001, wake), return_when=FIRST_COMPLETED
                )
                for fut in done:
                    task = pending.pop(fut)
                    try:
                        result = fut.result()
                    except Exception as exc:  # a bug in one check must not lose the others
                        result = UrlCheck(
                            url=task.url, status=Status.UNVERIFIED, error=f"checker failed: {exc!r}"
                        )
                    yield task, result


#: how many distinct hosts the offline probe tries, and how long it waits for any answer
PROBE_HOSTS = 8
PROBE_DEADLINE = 3.0
#: a run in which this many hosts (or more) were tried and none answered at all is an outage
OUTAGE_MIN_HOSTS = 3
_NO_ANSWER = frozenset({Status.DNS_ERROR, Status.CONNECTION_ERROR, Status.TIMEOUT})


def check_urls(
    urls: Sequence[str],
    checker: UrlChecker,
    history: History | None = None,
    *,
    offline: bool = False,
    progress: Callable[[int, int], None] | None = None,
    alternatives: Mapping[str, Sequence[str]] | None = None,
    dates: Mapping[str, str | None] | None = None,
) -> RunReport:
    """Check each distinct URL once, skipping those checked within the TTL.

    ``dates``: per URL, the citing document's date (``YYYY[-MM[-DD]]``) for the archive lookup.
    ``alternatives``: other readings of a URL (line-break repairs), tried when it fails.
    """
    s = checker.settings
    unique = list(dict.fromkeys(urls))
    now = checker.clock()
    past = history.rows_for(unique) if history else {}
    result: dict[str, UrlCheck] = {}
    todo: list[str] = []
    for url in unique:
        prev = past[url][-1] if url in past else None
        if prev is not None and is_fresh(prev, now, s):
            result[url] = prev
        else:
            todo.append(url)
    report = RunReport(checks=result, cached=len(result))
    if offline:
        _keep_known(todo, past, result, "not checked: offline mode (--offline)")
        report.offline, report.note = True, "offline mode: no URL was checked; statuses kept"
        return _ordered(report, unique)
    unusable = [checker.check_one(u) for u in todo if validate_url(u) is not None]  # no network needed
    for check in unusable:
        result[check.url] = check
    report.checked = len(unusable)
    if history is not None:
        history.add_many(unusable)
    todo = [u for u in todo if u not in result]
    if todo and _network_down(todo, checker):
        _keep_known(todo, past, result, "offline: no host could be resolved")
        hosts = len({_host(u) for u in todo})
        report.offline = True
        report.note = f"offline: none of the {min(hosts, PROBE_HOSTS)} hosts probed resolved; statuses kept"
        return _ordered(report, unique)

    sched = _Scheduler(checker)
    alts = alternatives or {}

    def check_task(url: str) -> Callable[[HostGate | None], UrlCheck]:
        def run(slot: HostGate | None) -> UrlCheck:
            check = checker.check_one(url, slot)
            for alt in alts.get(url, ()):
                if check.status not in (Status.DEAD, Status.DNS_ERROR, Status.SOFT_404):
                    break
                second = checker.check_one(alt)
                if second.status in REACHABLE:
                    check = second.model_copy(
                        update={"url": url, "final_url": second.final_url or alt, "tried": [url, alt]}
                    )
            return check

        return run

    def archive_task(check: UrlCheck) -> Callable[[HostGate | None], UrlCheck]:
        def run(slot: HostGate | None) -> UrlCheck:
            when = wayback_timestamp((dates or {}).get(check.url))
            snap, stamp, why = checker.lookup_archive(check.url, when, slot)
            found = {"archive_url": snap, "archive_timestamp": stamp, "archive_error": why}
            return check.model_copy(update=found)

        return run

    for url in todo:
        sched.add(_Task(_host(url), "check", url, check_task(url)))
    archive_host = _host(s.wayback_api)
    answered = False  # did any server answer at all in this run?
    buffered: list[UrlCheck] = []
    silent: list[UrlCheck] = []  # no answer at the network level: recorded only once we know why
    trailing: list[str] = []  # URLs that got no answer after the last answer of the run
    done = 0
    for task, check in sched.results():
        if task.kind == "check":
            if check.http_status is not None:
                answered = True
                trailing = []
            if s.archive_lookup and check.status in NEEDS_ARCHIVE:
                sched.add(_Task(archive_host, "archive", task.url, archive_task(check)))
                continue
        rows = past.get(task.url, [])
        if check.checked_at is not None:
            check = confirm_dead(check, rows, s)
            check = _with_last_ok(check, rows)
        result[task.url] = check
        if check.status in _NO_ANSWER:
            silent.append(check)
            trailing.append(task.url)
        else:
            buffered.append(check)
        done += 1
        report.checked += 1
        if history is not None and answered and len(buffered) >= 50:
            history.add_many([c for c in buffered if c.status != Status.UNVERIFIED])  # online: write as we go
            buffered = []
        if progress:
            progress(done, len(todo))
    outage = _outage(silent, trailing, answered, checker)
    if outage:
        # Our network failed, not the links: keep what was known, record nothing for these.
        _keep_known(sorted(outage), past, result, "outage: the network went away during the run")
        report.offline = True
        hosts = len({_host(u) for u in outage})
        report.note = (
            f"outage: {len(outage)} URLs on {hosts} hosts got no answer; their statuses kept, not recorded"
        )
    if history is not None:
        keep = buffered + [c for c in silent if c.url not in outage]
        history.add_many([c for c in keep if c.status != Status.UNVERIFIED])
    return _ordered(report, unique)


def _outage(
    silent: Sequence[UrlCheck], trailing: Sequence[str], answered: bool, checker: UrlChecker
) -> set[str]:
    """URLs whose failure was our network's, not the sites': none to keep as evidence.

    Either no host answered all run (and at least OUTAGE_MIN_HOSTS were tried), or every URL
    after the last answer failed at the network level, on several hosts, and no host resolves
    now: the network went away half-way.
    """
    if not answered:
        urls = {c.url for c in silent}
        return urls if len({_host(u) for u in urls}) >= OUTAGE_MIN_HOSTS else set()
    tail = set(trailing)
    if len({_host(u) for u in tail}) >= OUTAGE_MIN_HOSTS and _network_down(sorted(tail), checker):
        return tail
    return set()


def _with_last_ok(check: UrlCheck, past: Sequence[UrlCheck]) -> UrlCheck:
    if check.status in REACHABLE:
        return check.model_copy(update={"last_ok_at": check.checked_at})
    oks = [r.checked_at for r in past if r.status in REACHABLE and r.checked_at]
    return check.model_copy(update={"last_ok_at": max(oks) if oks else None})


def _keep_known(
    todo: Sequence[str], past: Mapping[str, Sequence[UrlCheck]], result: dict[str, UrlCheck], reason: str
) -> None:
    """An outage keeps the last known status visible; unknown URLs stay unverified."""
    for url in todo:
        rows = past.get(url)
        prev = rows[-1] if rows else None
        if prev is not None and prev.checked_at is not None:
            result[url] = prev.model_copy(
                update={"error": f"{reason}; showing the check of {prev.checked_at:%Y-%m-%d}"}
            )
        else:
            result[url] = UrlCheck(url=url, status=Status.UNVERIFIED, error=reason, checked_at=None)


def _ordered(report: RunReport, order: Sequence[str]) -> RunReport:
    report.checks = {u: report.checks[u] for u in order if u in report.checks}
    return report


def _network_down(urls: Sequence[str], checker: UrlChecker) -> bool:
    """True when none of a sample of hosts resolves within a few seconds: the machine is offline.

    Some resolvers take 5 s to fail a name, one name after another, so the probe samples a few
    hosts in parallel and stops at the first that resolves (online) or at the deadline.
    """
    hosts = list(dict.fromkeys(_host(u) for u in urls if validate_url(u) is None))
    hosts = [h for h in hosts if h][:PROBE_HOSTS]
    if not hosts:
        return False
    pool = ThreadPoolExecutor(max_workers=len(hosts), thread_name_prefix="urlprobe")
    try:
        futures = [pool.submit(_resolves, h, checker) for h in hosts]
        deadline = time.monotonic() + PROBE_DEADLINE
        pending = set(futures)
        while pending and time.monotonic() < deadline:
            done, pending = wait(
                pending, timeout=max(0.0, deadline - time.monotonic()), return_when=FIRST_COMPLETED
            )
            if any(f.result() for f in done):
                return False
        return True
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _resolves(host: str, checker: UrlChecker) -> bool:
    try:
        return bool(checker.policy.resolver(host, 443))
    except (OSError, UnicodeError):
        return False
