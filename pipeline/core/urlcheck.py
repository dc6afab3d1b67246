"""URL checking: polite, concurrent, and honest about what could not be checked.

* One closed ``Status`` enum (in ``models``) and one ``classify()`` that maps every outcome,
  HTTP or low-level, to it. "Could not check" (timeouts, DNS, TLS, offline) is never ``dead``.
* Security: PDFs are untrusted. Every connection resolves the host itself, refuses private,
  loopback, link-local, multicast and reserved addresses (unless allow-listed), and connects to
  the address it checked, so a redirect or a DNS rebind cannot reach an internal service.
* Politeness: a per-host limit on requests in flight and a minimum interval between them, a
  clear User-Agent, ``Retry-After`` honoured, HEAD first with a GET fallback.
* Memory: results go to a SQLite history; a URL checked within the TTL is not checked again,
  ``dead`` is confirmed only after repeated failures days apart, and an outage never
  overwrites what was known.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from pipeline.core.models import Status, UrlCheck
from pipeline.core.settings import UrlCheckSettings

Resolver = Callable[[str, int], list[str]]
Clock = Callable[[], datetime]

_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
_SOFT_404_TITLE = re.compile(
    r"\b(page not found|not found|404|no longer available|does not exist|doesn't exist|"
    r"page (?:cannot|can't|could not) be found|error 404|nothing (?:was )?found)\b",
    re.I,
)
_SOFT_404_PATH = re.compile(r"(?:^|/)(?:404|not[-_]?found|error|page[-_]?not[-_]?found)(?:\.html?|/|$)", re.I)
_CHALLENGE = re.compile(
    r"(just a moment|attention required|access denied|are you a robot|captcha|"
    r"verify you are human|checking your browser)",
    re.I,
)


def system_resolver(host: str, port: int) -> list[str]:
    """Addresses for a host via the system resolver (numeric hosts resolve without a query)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


# ---------------------------------------------------------------------------------------------
# Address policy
# ---------------------------------------------------------------------------------------------


class RefusedAddress(NewConnectionError):
    """The host resolved only to addresses the policy refuses. Raised before any packet is sent."""

    def __init__(self, host: str, addresses: Sequence[str]) -> None:
        self.host = host
        self.addresses = list(addresses)
        super().__init__(None, f"refused: {host} resolves to non-public address(es) {', '.join(addresses)}")  # type: ignore[arg-type]


class ResolveFailed(NewConnectionError):
    def __init__(self, host: str, reason: str) -> None:
        self.host = host
        super().__init__(None, f"could not resolve {host}: {reason}")  # type: ignore[arg-type]


@dataclass
class AddressPolicy:
    """Which addresses may be contacted. Public addresses always; others only if allow-listed."""

    allow: Sequence[str] = ()
    resolver: Resolver = system_resolver

    def __post_init__(self) -> None:
        self._nets = []
        self._hosts = set()
        for item in self.allow:
            try:
                self._nets.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self._hosts.add(item.lower())

    def permitted(self, host: str, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if any(ip in net for net in self._nets) or host.lower() in self._hosts:
            return True
        return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_private or ip.is_loopback)

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


def _pinned_classes(policy: AddressPolicy) -> tuple[type, type]:
    """HTTP(S) connection classes that connect only to addresses the policy admits."""

    def new_conn(self: HTTPConnection) -> socket.socket:
        host = self._dns_host  # type: ignore[attr-defined]
        addresses = policy.resolve(host, self.port or 0)
        last: OSError | None = None
        for address in addresses:
            try:
                sock = socket.create_connection((address, self.port), timeout=self.timeout)  # type: ignore[arg-type]
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return sock
            except OSError as exc:
                last = exc
        raise NewConnectionError(self, f"failed to connect to {host}: {last}") from last  # type: ignore[arg-type]

    http = type("PinnedHTTPConnection", (HTTPConnection,), {"_new_conn": new_conn})
    https = type("PinnedHTTPSConnection", (HTTPSConnection,), {"_new_conn": new_conn})
    return http, https


class _PinnedAdapter(HTTPAdapter):
    def __init__(self, policy: AddressPolicy, **kwargs: Any) -> None:
        self._http_cls, self._https_cls = _pinned_classes(policy)
        super().__init__(max_retries=0, **kwargs)

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
# One URL
# ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """Everything observed while checking a URL; ``classify`` turns it into a ``Status``."""

    url: str
    http_status: int | None = None
    final_url: str | None = None
    chain: list[str] = field(default_factory=list)
    content_type: str | None = None
    title: str | None = None
    error: str | None = None
    exception: BaseException | None = None
    elapsed: float = 0.0
    loop: bool = False
    too_many_redirects: bool = False
    retry_after: float | None = None
    body_sample: bytes = b""


def classify(outcome: Outcome) -> Status:
    """The single place that decides a link's status."""
    exc = outcome.exception
    if exc is not None:
        return _classify_exception(exc)
    if outcome.loop or outcome.too_many_redirects:
        return Status.SERVER_ERROR
    code = outcome.http_status
    if code is None:
        return Status.UNVERIFIED
    if code in (404, 410):
        return Status.DEAD
    if code in (401, 403, 999) or (code == 503 and _CHALLENGE.search(outcome.title or "")):
        return Status.BLOCKED
    if code == 429:
        return Status.RATE_LIMITED
    if 500 <= code < 600:
        return Status.SERVER_ERROR
    if code == 408:
        return Status.TIMEOUT
    if 400 <= code < 500:
        # Only 404 and 410 say the page is gone; other refusals say nothing about the page.
        return Status.BLOCKED
    if 200 <= code < 300:
        final = outcome.final_url or outcome.url
        if outcome.title and _SOFT_404_TITLE.search(outcome.title):
            return Status.SOFT_404
        if outcome.title and _CHALLENGE.search(outcome.title):
            return Status.BLOCKED
        if outcome.chain:
            if _SOFT_404_PATH.search(urlsplit(final).path):
                return Status.SOFT_404
            if _is_root(final) and not _is_root(outcome.url):
                return Status.REDIRECT_TO_ROOT
            if _same_resource(outcome.url, final):
                return Status.OK
            return Status.REDIRECTED
        return Status.OK
    return Status.UNVERIFIED


def _classify_exception(exc: BaseException) -> Status:
    """Map low-level errors, wherever they were wrapped, to a status. One place for all of them."""
    for err in _chain(exc):
        if isinstance(err, RefusedAddress):
            return Status.REFUSED_PRIVATE
        if isinstance(err, ResolveFailed):
            return Status.DNS_ERROR
        if isinstance(err, NewConnectionError):
            # urllib3 derives this from ConnectTimeoutError; only its cause says if it timed out
            cause = err.__cause__ or err.__context__
            timed_out = isinstance(cause, TimeoutError | socket.timeout)
            return Status.TIMEOUT if timed_out else Status.CONNECTION_ERROR
    for err in _chain(exc):
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
    return parts.path in ("", "/") and not parts.query


def _same_resource(a: str, b: str) -> bool:
    """http->https, www. added/removed or a trailing slash is not a meaningful redirect."""

    def key(u: str) -> str:
        p = urlsplit(u)
        host = (p.hostname or "").removeprefix("www.")
        return f"{host}{p.path.rstrip('/')}?{p.query}"

    return key(a) == key(b)


def validate_url(url: str) -> Status | None:
    """A status for URLs that cannot be checked at all, before any network access."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        return Status.INVALID_URL
    if parts.scheme.lower() not in ("http", "https"):
        return Status.UNSUPPORTED_SCHEME if parts.scheme else Status.INVALID_URL
    if not host or len(url) > 8192:
        return Status.INVALID_URL
    try:
        host.encode("idna")
    except UnicodeError:
        return Status.INVALID_URL
    return None


class UrlChecker:
    """Checks URLs with one shared session, per-host politeness and a SQLite history."""

    def __init__(
        self,
        settings: UrlCheckSettings | None = None,
        *,
        resolver: Resolver = system_resolver,
        clock: Clock = lambda: datetime.now(UTC),
        verify: bool | str = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or UrlCheckSettings()
        self.policy = AddressPolicy(allow=self.settings.allow_private, resolver=resolver)
        self.clock = clock
        self.sleep = sleep
        self._local = threading.local()
        self._verify = verify
        self._hosts: dict[str, _HostGate] = {}
        self._hosts_lock = threading.Lock()

    # --- sessions are per thread: requests.Session is not thread-safe -----------------------
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = make_session(self.settings, self.policy, self._verify)
            self._local.session = session
        return session

    def _gate(self, host: str) -> _HostGate:
        with self._hosts_lock:
            gate = self._hosts.get(host)
            if gate is None:
                gate = self._hosts[host] = _HostGate(
                    self.settings.per_host_limit, self.settings.per_host_interval
                )
            return gate

    def check_one(self, url: str) -> UrlCheck:
        """Check one URL now (no history), following redirects by hand to vet every hop."""
        started = time.monotonic()
        bad = validate_url(url)
        if bad is not None:
            return UrlCheck(
                url=url,
                status=bad,
                error=f"{bad.value}: cannot check {url[:200]!r}",
                checked_at=self.clock(),
                elapsed_ms=0,
            )
        outcome = self._fetch(url, started)
        status = classify(outcome)
        return UrlCheck(
            url=url,
            status=status,
            http_status=outcome.http_status,
            final_url=outcome.final_url,
            redirect_chain=outcome.chain,
            content_type=outcome.content_type,
            page_title=outcome.title,
            error=outcome.error,
            elapsed_ms=int(outcome.elapsed * 1000),
            checked_at=self.clock(),
            tried=[url],
        )

    def _fetch(self, url: str, started: float) -> Outcome:
        s = self.settings
        out = Outcome(url=url)
        current = url
        seen = {url}
        attempt = 0
        method = "HEAD"
        while True:
            if time.monotonic() - started > s.total_timeout:
                out.exception = requests.exceptions.Timeout(f"gave up after {s.total_timeout:.0f}s in total")
                out.error = str(out.exception)
                break
            host = (urlsplit(current).hostname or "").lower()
            gate = self._gate(host)
            try:
                with gate.slot(self.sleep):
                    resp = self._session().request(
                        method,
                        current,
                        allow_redirects=False,
                        stream=True,
                        timeout=(s.connect_timeout, s.read_timeout),
                    )
            except Exception as exc:
                out.exception = exc
                out.error = _error_text(exc)
                break
            try:
                code = resp.status_code
                if method == "HEAD" and (
                    code in (400, 403, 405, 406, 429, 500, 501, 502, 503) or code >= 500 or code == 404
                ):
                    # many servers refuse or mishandle HEAD: ask again with GET before judging
                    method = "GET"
                    continue
                if code in (301, 302, 303, 307, 308) and resp.headers.get("Location"):
                    nxt = urljoin(current, resp.headers["Location"])
                    out.chain.append(nxt)
                    if nxt in seen:
                        out.loop = True
                        out.http_status = code
                        out.error = f"redirect loop at {nxt}"
                        break
                    if len(out.chain) > s.max_redirects:
                        out.too_many_redirects = True
                        out.http_status = code
                        out.error = f"more than {s.max_redirects} redirects"
                        break
                    bad = validate_url(nxt)
                    if bad is not None:
                        out.http_status = code
                        out.exception = requests.exceptions.InvalidSchema(f"redirect to {nxt[:200]}")
                        out.error = f"redirect to a URL that cannot be followed: {nxt[:200]}"
                        break
                    seen.add(nxt)
                    current = nxt
                    method = "HEAD" if method == "HEAD" else "GET"
                    continue
                if code in (429, 500, 502, 503, 504) and attempt < s.retries:
                    attempt += 1
                    wait = min(s.backoff_cap, _retry_after(resp) or (2**attempt) * 0.5)
                    if time.monotonic() - started + wait > s.total_timeout:
                        out.http_status = code
                        break
                    self.sleep(wait)
                    continue
                out.http_status = code
                out.final_url = current
                out.content_type = resp.headers.get("Content-Type")
                if method == "HEAD" and code < 300 and _is_html(out.content_type):
                    method = "GET"  # the title (soft 404s, drift) is only in the body
                    continue
                if method == "GET" and _is_html(out.content_type):
                    body = _read_capped(resp, s.max_body_bytes, started, s.total_timeout)
                    out.body_sample = body
                    out.title = extract_title(body)
                break
            finally:
                resp.close()
        out.elapsed = time.monotonic() - started
        if out.final_url is None and out.chain:
            out.final_url = out.chain[-1]
        return out


def _retry_after(resp: requests.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    with contextlib.suppress(Exception):
        from email.utils import parsedate_to_datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    return None


def _is_html(content_type: str | None) -> bool:
    return bool(content_type) and ("html" in content_type.lower() or "xml" in content_type.lower())  # type: ignore[union-attr]


def _read_capped(resp: requests.Response, cap: int, started: float, total: float) -> bytes:
    """At most ``cap`` decoded bytes, within the total time budget (endless bodies, bombs)."""
    buf = bytearray()
    for chunk in resp.iter_content(chunk_size=16384):
        buf += chunk
        if len(buf) >= cap or time.monotonic() - started > total:
            break
    return bytes(buf[:cap])


def extract_title(body: bytes) -> str | None:
    m = _TITLE_RE.search(body)
    if not m:
        return None
    import html

    raw = m.group(1).decode("utf-8", "replace")
    title = re.sub(r"\s+", " ", html.unescape(raw)).strip()
    return title[:500] or None


def _error_text(exc: BaseException) -> str:
    for err in _chain(exc):
        if isinstance(err, RefusedAddress | ResolveFailed):
            return str(err).split(": ", 1)[-1] if str(err).startswith("None") else str(err)
    text = str(exc)
    return re.sub(r"<urllib3[^>]*>", "", text)[:500] or exc.__class__.__name__


class _HostGate:
    """At most ``limit`` requests in flight to a host, starting at least ``interval`` s apart."""

    def __init__(self, limit: int, interval: float) -> None:
        self._sem = threading.BoundedSemaphore(limit)
        self._interval = interval
        self._lock = threading.Lock()
        self._next = 0.0
        self.in_flight = 0
        self.max_in_flight = 0

    @contextlib.contextmanager
    def slot(self, sleep: Callable[[float], None]) -> Any:
        with self._sem:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next)
                self._next = start + self._interval
            if start > now:
                sleep(start - now)
            with self._lock:
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                yield
            finally:
                with self._lock:
                    self.in_flight -= 1

    @property
    def ready_at(self) -> float:
        return self._next


# ---------------------------------------------------------------------------------------------
# Many URLs, with history
# ---------------------------------------------------------------------------------------------


class History:
    """Every check ever made, in SQLite (safe across processes). The latest row is the status."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(
                """CREATE TABLE IF NOT EXISTS checks (
                    url TEXT NOT NULL, status TEXT NOT NULL, http_status INTEGER, final_url TEXT,
                    checked_at TEXT NOT NULL, record TEXT NOT NULL)"""
            )
            db.execute("CREATE INDEX IF NOT EXISTS checks_url ON checks (url, checked_at)")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def add(self, check: UrlCheck) -> None:
        with self._lock, contextlib.closing(self._connect()) as db, db:
            db.execute(
                "INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?)",
                (
                    check.url,
                    check.status.value,
                    check.http_status,
                    check.final_url,
                    (check.checked_at or datetime.now(UTC)).isoformat(),
                    check.model_dump_json(),
                ),
            )

    def rows(self, url: str) -> list[UrlCheck]:
        with contextlib.closing(self._connect()) as db:
            cur = db.execute("SELECT record FROM checks WHERE url = ? ORDER BY checked_at", (url,))
            return [UrlCheck.model_validate_json(r[0]) for r in cur.fetchall()]

    def latest(self, urls: Iterable[str]) -> dict[str, UrlCheck]:
        out: dict[str, UrlCheck] = {}
        with contextlib.closing(self._connect()) as db:
            for url in urls:
                row = db.execute(
                    "SELECT record FROM checks WHERE url = ? ORDER BY checked_at DESC LIMIT 1", (url,)
                ).fetchone()
                if row:
                    out[url] = UrlCheck.model_validate_json(row[0])
        return out

    def all_rows(self) -> list[UrlCheck]:
        with contextlib.closing(self._connect()) as db:
            cur = db.execute("SELECT record FROM checks ORDER BY url, checked_at")
            return [UrlCheck.model_validate_json(r[0]) for r in cur.fetchall()]


#: statuses that say something about the link (as opposed to about our ability to check it)
CONCLUSIVE = {
    Status.OK,
    Status.REDIRECTED,
    Status.REDIRECT_TO_ROOT,
    Status.SOFT_404,
    Status.DEAD,
    Status.BLOCKED,
    Status.SERVER_ERROR,
    Status.INVALID_URL,
    Status.UNSUPPORTED_SCHEME,
    Status.REFUSED_PRIVATE,
}


@dataclass
class RunReport:
    checks: dict[str, UrlCheck]
    offline: bool = False
    note: str | None = None
    checked: int = 0
    cached: int = 0


def confirm_dead(check: UrlCheck, history: Sequence[UrlCheck], settings: UrlCheckSettings) -> UrlCheck:
    """``dead`` is confirmed after N failures, the first and last at least D days apart."""
    if check.status != Status.DEAD:
        return check
    failures = [h for h in history if h.status == Status.DEAD and h.checked_at] + [check]
    first = min(h.checked_at for h in failures if h.checked_at)
    span = (check.checked_at or first) - first
    confirmed = len(failures) >= settings.dead_after_failures and span >= timedelta(
        days=settings.dead_min_days_apart
    )
    return check.model_copy(update={"confirmed": confirmed})


def check_urls(
    urls: Sequence[str],
    checker: UrlChecker,
    history: History | None = None,
    *,
    offline: bool = False,
    progress: Callable[[int, int], None] | None = None,
    alternatives: dict[str, list[str]] | None = None,
) -> RunReport:
    """Check each distinct URL once, skipping those checked within the TTL."""
    s = checker.settings
    unique = list(dict.fromkeys(urls))
    now = checker.clock()
    known = history.latest(unique) if history else {}
    result: dict[str, UrlCheck] = {}
    todo: list[str] = []
    for url in unique:
        prev = known.get(url)
        fresh = prev is not None and prev.checked_at and now - prev.checked_at < timedelta(days=s.ttl_days)
        if fresh and prev is not None and prev.status in CONCLUSIVE:
            result[url] = prev
        else:
            todo.append(url)
    report = RunReport(checks=result, cached=len(result))
    if offline:
        for url in todo:
            result[url] = _unverified(url, known.get(url), "not checked: offline mode (--offline)", now)
        report.offline, report.note = True, "offline mode: no URL was checked"
        return report
    if todo and _network_down(todo, checker):
        for url in todo:
            result[url] = _unverified(url, known.get(url), "offline: no host could be resolved", now)
        report.offline = True
        report.note = (
            f"offline: none of the {len({urlsplit(u).hostname for u in todo})} hosts resolved; statuses kept"
        )
        return report

    def work(url: str) -> UrlCheck:
        check = checker.check_one(url)
        for alt in (alternatives or {}).get(url, []):
            if check.status not in (Status.DEAD, Status.DNS_ERROR, Status.SOFT_404):
                break
            second = checker.check_one(alt)
            if second.status in (Status.OK, Status.REDIRECTED):
                check = second.model_copy(
                    update={"url": url, "final_url": second.final_url or alt, "tried": [url, alt]}
                )
                break
        return check

    for done, (url, check) in enumerate(run_scheduled(todo, work, checker), 1):
        if history is not None:
            past = history.rows(url)
            check = confirm_dead(check, past, s)
            if check.status in CONCLUSIVE or check.status in (
                Status.TIMEOUT,
                Status.TLS_ERROR,
                Status.DNS_ERROR,
                Status.CONNECTION_ERROR,
                Status.RATE_LIMITED,
            ):
                history.add(check)
        result[url] = check
        report.checked += 1
        if progress:
            progress(done, len(todo))
    return report


def _unverified(url: str, prev: UrlCheck | None, reason: str, now: datetime) -> UrlCheck:
    """An outage keeps the last known status visible; unknown URLs stay unverified."""
    if prev is not None:
        return prev.model_copy(update={"error": f"{reason}; showing the check of {prev.checked_at:%Y-%m-%d}"})
    return UrlCheck(url=url, status=Status.UNVERIFIED, error=reason, checked_at=None)


#: how many distinct hosts the offline probe tries, and how long it waits for any answer
PROBE_HOSTS = 8
PROBE_DEADLINE = 3.0


def _network_down(urls: Sequence[str], checker: UrlChecker) -> bool:
    """True when none of a sample of hosts resolves within a few seconds: the machine is offline.

    Some resolvers take 5 s to fail a name, one name after another, so the probe samples a few
    hosts in parallel and stops at the first that resolves (online) or at the deadline.
    """
    hosts = list(dict.fromkeys((urlsplit(u).hostname or "") for u in urls if validate_url(u) is None))
    hosts = [h for h in hosts if h][:PROBE_HOSTS]
    if not hosts:
        return False
    pool = ThreadPoolExecutor(max_workers=len(hosts))
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
        checker.policy.resolver(host, 443)
        return True
    except (OSError, UnicodeError):
        return False


def run_scheduled(
    urls: Sequence[str], work: Callable[[str], UrlCheck], checker: UrlChecker
) -> Iterable[tuple[str, UrlCheck]]:
    """Run ``work`` over URLs so no worker idles behind a busy host.

    URLs are queued per host; a URL is handed to the pool only when its host has a free slot,
    so the pool's threads are spent on hosts that can take a request now.
    """
    s = checker.settings
    queues: dict[str, deque[str]] = {}
    for url in urls:
        queues.setdefault((urlsplit(url).hostname or "").lower(), deque()).append(url)
    in_flight: dict[str, int] = dict.fromkeys(queues, 0)
    pending: set[Future] = set()
    owner: dict[Future, tuple[str, str]] = {}
    lock = threading.Condition()

    with ThreadPoolExecutor(max_workers=s.workers) as pool:

        def finished(fut: Future) -> None:
            with lock:
                lock.notify_all()

        remaining = len(urls)
        while remaining:
            with lock:
                for host, q in queues.items():
                    while q and in_flight[host] < s.per_host_limit and len(pending) < s.workers * 2:
                        url = q.popleft()
                        fut = pool.submit(work, url)
                        owner[fut] = (host, url)
                        in_flight[host] += 1
                        pending.add(fut)
                        fut.add_done_callback(finished)
                done = [f for f in pending if f.done()]
                if not done:
                    lock.wait(timeout=0.5)
                    continue
            for fut in done:
                pending.discard(fut)
                host, url = owner.pop(fut)
                with lock:
                    in_flight[host] -= 1
                remaining -= 1
                try:
                    yield url, fut.result()
                except Exception as exc:  # a bug in one check must not lose the others
                    yield url, UrlCheck(url=url, status=Status.UNVERIFIED, error=f"checker failed: {exc!r}")
