"""One URL: HEAD first, GET when HEAD is refused or cannot tell, redirects walked hop by hop.

Only http(s), at most ``max_redirects`` hops (each vetted by the address policy), at most
``max_body_bytes`` read, a clear User-Agent. GET follows HEAD for HTML pages (whose title we
need) and for anything HEAD was refused. 429 and 5xx are retried with capped backoff (urllib3
``Retry``), ``Retry-After`` honoured host-wide; a host asking for more than ``backoff_cap`` is left
alone. What was seen goes into an ``Outcome``; ``classify`` decides the status.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import requests
import urllib3
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from pipeline.core.models import REACHABLE, Status, UrlCheck
from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck.addresses import (
    AddressPolicy,
    Resolver,
    make_session,
    strip_credentials,
    system_resolver,
)
from pipeline.core.urlcheck.limiter import SharedLimits
from pipeline.core.urlcheck.pagetext import PageStore, decode_body, extract_page
from pipeline.core.urlcheck.paywall import is_paywalled
from pipeline.core.urlcheck.politeness import Deadline, DeadlineExceeded, HostBusy, HostGate, host_of, spaced
from pipeline.core.urlcheck.status import (
    Outcome,
    classify,
    deadline_text,
    error_text,
    explain,
    is_challenge,
    url_fault,
)

Clock = Callable[[], datetime]

#: statuses urllib3's Retry may retry (with backoff, Retry-After honoured)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class _Walk:
    """Where one check stands: the URL asked now, the method, the retries left, the slots held."""

    current: str
    seen: set[str]
    retry: Retry
    method: str = "HEAD"
    holding: HostGate | None = None
    reserved: HostGate | None = None  # the slot the scheduler took for us, until used

    def take(self, gate: HostGate, deadline: Deadline) -> HostGate | None:
        """Hold ``gate`` for the next request; the gate itself when this is a new start on the host."""
        if self.holding is gate:
            return None
        if self.holding is not None:
            self.holding.release()
            self.holding = None
        if self.reserved is gate:
            self.reserved = None
        else:
            gate.acquire(deadline.remaining())
        self.holding = gate
        return gate

    def let_go(self) -> None:
        """Release every slot still held, the reserved one included."""
        if self.holding is not None:
            self.holding.release()
        if self.reserved is not None:
            self.reserved.release()


class UrlChecker:
    """Checks URLs with per-thread sessions, per-host politeness and address pinning."""

    def __init__(
        self,
        settings: UrlCheckSettings | None = None,
        *,
        resolver: Resolver = system_resolver,
        clock: Clock = lambda: datetime.now(UTC),
        verify: bool | str = True,
        pages: PageStore | None = None,
        limits: SharedLimits | None = None,
    ) -> None:
        self.settings = settings or UrlCheckSettings()
        #: per-host limits shared with other processes (None: this process's own gates)
        self.limits = limits
        #: where the main text of each page found is kept (None: the text is not kept)
        self.pages = pages
        self.policy = AddressPolicy(allow=self.settings.allow_private, resolver=resolver)
        self.clock = clock
        self._verify = verify
        self._local = threading.local()
        self._gates: dict[str, HostGate] = {}
        self._gates_lock = threading.Lock()

    def session(self) -> requests.Session:
        """This thread's session (requests.Session is not thread-safe), reused for keep-alive."""
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
                if self.limits is not None:
                    gate = self.limits.gate(
                        host, s.per_host_limit, s.per_host_interval, s.backoff_cap, s.total_timeout
                    )
                else:
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
        fault = url_fault(url)
        if fault is not None:
            if reserved is not None:
                reserved.release()
            outcome = Outcome(url=url, unusable=fault)
            status = classify(outcome)
            return UrlCheck(
                url=url,
                status=status,
                error=explain(status, outcome),
                checked_at=self.clock(),
                elapsed_ms=0,
                tried=[url],
            )
        deadline = Deadline(self.settings.total_timeout)
        try:
            outcome = self._fetch(url, deadline, reserved)
        finally:
            deadline.cancel()
        outcome.elapsed = time.monotonic() - started
        status = classify(outcome)
        kept = outcome.page if outcome.page is not None and status in REACHABLE - {Status.PAYWALLED} else None
        return UrlCheck(
            url=url,
            status=status,
            http_status=outcome.http_status,
            final_url=outcome.final_url,
            redirect_chain=outcome.chain,
            content_type=outcome.content_type,
            page_title=outcome.title,
            error=explain(status, outcome),
            elapsed_ms=int(outcome.elapsed * 1000),
            checked_at=self.clock(),
            tried=[url],
            content_hash=self.pages.save(kept) if kept is not None and self.pages is not None else None,
            page_date=kept.date if kept is not None else None,
        )

    def _fetch(self, url: str, deadline: Deadline, reserved: HostGate | None) -> Outcome:
        """Ask until the answer is known: redirects followed, GET after HEAD, retries after waits."""
        out = Outcome(url=url)
        current = strip_credentials(url)
        walk = _Walk(current=current, seen={current}, retry=self._retry(), reserved=reserved)
        try:
            while self._request(walk, out, deadline):
                pass
        except HostBusy as exc:
            out.exception, out.error = exc, str(exc)
        finally:
            walk.let_go()
        return out

    def _request(self, walk: _Walk, out: Outcome, deadline: Deadline) -> bool:
        """Send one request and read its answer; True when another request must follow."""
        s = self.settings
        gate = self.gate(host_of(walk.current))
        starting = walk.take(gate, deadline)  # a new start on this host: keep the interval
        try:
            with spaced(starting):
                resp = self.session().request(
                    walk.method,
                    walk.current,
                    allow_redirects=False,
                    stream=True,
                    timeout=(s.connect_timeout, s.read_timeout),
                )
        except Exception as exc:
            self._failed(out, exc, deadline)
            return False
        try:
            return self._answered(walk, out, resp, gate, deadline)
        except Exception as exc:
            self._failed(out, exc, deadline)
            return False
        finally:
            resp.close()

    def _failed(self, out: Outcome, exc: Exception, deadline: Deadline) -> None:
        """Record an error; one raised after the deadline cut the sockets is the deadline's."""
        out.exception = DeadlineExceeded(deadline_text(self.settings)) if deadline.hit else exc
        out.error = error_text(out.exception)

    def _answered(
        self, walk: _Walk, out: Outcome, resp: requests.Response, gate: HostGate, deadline: Deadline
    ) -> bool:
        """Record an answer; True when it asks for another request (redirect, GET, retry)."""
        code = resp.status_code
        out.http_status, out.final_url = code, walk.current
        out.content_type = resp.headers.get("Content-Type")
        out.challenge_header = resp.headers.get("cf-mitigated", "").lower() == "challenge"
        location = resp.headers.get("Location")
        if 300 <= code < 400 and code != 304 and location:
            return self._redirected(walk, out, location)
        slow_down = code == 429 or "Retry-After" in resp.headers
        if walk.method == "HEAD" and not slow_down:
            if 200 <= code < 300 and not _needs_body(out.content_type):
                return False  # HEAD told us everything (a PDF, an image...)
            walk.method = "GET"  # refused (405, 403, 404, 5xx...) or an HTML page whose title we need
            return True
        if walk.method == "GET" and _is_html(out.content_type):
            self._read_page(out, resp, code, deadline)
        if code in RETRY_STATUSES and not is_challenge(out):
            return self._retry_later(walk, out, code, resp, gate, deadline)
        return False

    def _read_page(self, out: Outcome, resp: requests.Response, code: int, deadline: Deadline) -> None:
        """Title, first heading and paywall markup; with page text on (and a store), the whole body to
        its cap and the main text."""
        s = self.settings
        if not s.page_text or self.pages is None:  # no store to keep the text in: title and markup only
            body = read_capped(resp, s.max_body_bytes, deadline)
            out.title, out.heading = extract_title(body, resp.encoding, out.content_type)
            out.paywalled = is_paywalled(body, None)
            return
        body = read_capped(resp, max(s.max_body_bytes, s.text_max_bytes), deadline, stop_early=False)
        out.title, out.heading = extract_title(body[: s.max_body_bytes], resp.encoding, out.content_type)
        if 200 <= code < 300:
            out.page = extract_page(decode_body(body, resp.encoding, out.content_type), out.final_url)
        out.paywalled = is_paywalled(body, out.page.text if out.page else None)

    def _redirected(self, walk: _Walk, out: Outcome, location: str) -> bool:
        """Follow a Location unless it loops, goes too far or cannot be checked; True to follow."""
        s = self.settings
        nxt = strip_credentials(urljoin(walk.current, location.strip()))
        out.chain.append(nxt)
        if nxt in walk.seen:
            out.loop, out.error = True, f"redirect loop at {nxt[:200]}"
            return False
        if len(out.chain) > s.max_redirects:
            out.too_many_redirects = True
            out.error = f"more than {s.max_redirects} redirects"
            return False
        fault = url_fault(nxt)
        if fault is not None:
            out.unusable, out.final_url = fault, nxt
            out.error = f"redirect to a URL that cannot be followed: {nxt[:200]}"
            return False
        walk.seen.add(nxt)
        walk.current = nxt
        return True

    def _retry_later(
        self,
        walk: _Walk,
        out: Outcome,
        code: int,
        resp: requests.Response,
        gate: HostGate,
        deadline: Deadline,
    ) -> bool:
        """A 429 or 5xx: wait (slot released, host deferred) and retry with GET; True to retry."""
        nxt_retry, wait_s, why = self._plan_retry(walk.retry, walk.method, code, resp, deadline)
        if nxt_retry is not None:
            walk.retry, walk.method = nxt_retry, "GET"  # GET: some servers fail HEAD only
            gate.release()
            walk.holding = None
            gate.defer(time.monotonic() + wait_s)
            return True
        out.error = why
        return False

    def _plan_retry(
        self, retry: Retry, method: str, code: int, resp: requests.Response, deadline: Deadline
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
            self.gate(host_of(resp.url)).defer(time.monotonic() + after, throttled=True)
            why = f"HTTP {code}: Retry-After {after:.0f}s is longer than we wait ({s.backoff_cap:g}s)"
            return None, 0.0, why
        wait_s = min(s.backoff_cap, after if after is not None else nxt.get_backoff_time())
        if wait_s + 0.5 > deadline.remaining():
            return None, 0.0, f"HTTP {code}: no time left to retry within {s.total_timeout:g}s"
        return nxt, wait_s, None


def _needs_body(content_type: str | None) -> bool:
    return content_type is None or _is_html(content_type)


def _is_html(content_type: str | None) -> bool:
    ct = (content_type or "").lower()
    return "html" in ct or "xml" in ct


_HEAD_END = re.compile(rb"</title\s*>.*?</h1\s*>|<body[^>]*>.*?</h1\s*>", re.I | re.S)


def read_capped(
    resp: requests.Response, cap: int, deadline: Deadline | None = None, *, stop_early: bool = True
) -> bytes:
    """At most ``cap`` decoded bytes (huge bodies, decompression bombs); stop once title and h1 are in
    (``stop_early``; the page text needs the whole body).

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
        if stop_early and _HEAD_END.search(buf):
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
