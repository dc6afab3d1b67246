"""Classification: one function decides every status, and the sentences that explain it.

One closed ``Status`` enum (in ``models``) and one ``classify()`` that maps every outcome to it:
an HTTP answer, a low-level error (wherever it was wrapped), a URL or a redirect target that
cannot be checked at all, or a URL that nothing was tried on (offline, an outage, a crash in the
checker). "Could not check" (timeouts, DNS, TLS, offline) is never ``dead``. The other modules
observe and record in an ``Outcome``; only this one turns observations into statuses.

The error column says why a status is what it is: ``error_text`` makes a short reason from a
wrapped low-level error and ``explain`` picks the sentence for a classified outcome.
"""

from __future__ import annotations

import enum
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import requests
import urllib3
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from pipeline.core.errors import plain_message
from pipeline.core.models import Status
from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck.addresses import RefusedAddress, ResolveFailed
from pipeline.core.urlcheck.pagetext import PageText
from pipeline.core.urlcheck.politeness import DeadlineExceeded, HostBusy


class UrlFault(enum.Enum):
    """Why a URL (or a redirect's target) cannot be checked at all, seen before any request."""

    MALFORMED = "malformed"  # empty, too long, spaces, no host, a bad port or host name
    SCHEME = "scheme"  # a scheme other than http(s)


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
    #: the URL itself, or the target of a redirect, cannot be checked (nothing was sent to it)
    unusable: UrlFault | None = None
    #: nothing was tried: offline, an outage, or a crash in the checker (``error`` says why)
    not_checked: bool = False
    challenge_header: bool = False
    #: the page says it is not free to read (JSON-LD, content tier, a subscription teaser)
    paywalled: bool = False
    #: the main text of a 2xx HTML page (page text on)
    page: PageText | None = None


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

_UNUSABLE = {UrlFault.MALFORMED: Status.INVALID_URL, UrlFault.SCHEME: Status.UNSUPPORTED_SCHEME}


# ---------------------------------------------------------------------------------------------
# classify and its steps
# ---------------------------------------------------------------------------------------------


def classify(outcome: Outcome) -> Status:
    """The single place that decides a link's status."""
    exc = outcome.exception
    if exc is not None:
        return classify_exception(exc)
    if outcome.unusable is not None:
        return _UNUSABLE[outcome.unusable]
    if outcome.not_checked:
        return Status.UNVERIFIED
    if outcome.loop or outcome.too_many_redirects:
        # Sites that need cookies (we send none) loop like this: they refuse us, the page may be fine.
        return Status.BLOCKED
    code = outcome.http_status
    if code is None:
        return Status.UNVERIFIED
    if _shows_challenge(outcome, code):
        return Status.BLOCKED
    return _classify_code(outcome, code)


def _shows_challenge(outcome: Outcome, code: int) -> bool:
    """A bot challenge: the cf-mitigated header, or a challenge title or heading on a likely code."""
    text = " ".join(t for t in (outcome.title, outcome.heading) if t)
    return outcome.challenge_header or (
        code in (200, 202, 403, 429, 503) and bool(_CHALLENGE_TEXT.search(text))
    )


def _classify_code(outcome: Outcome, code: int) -> Status:
    """The status an HTTP code gives (2xx looks further, at the page and the redirects)."""
    if code in (404, 410):
        return Status.DEAD
    if code == 402:  # Payment Required: the page is there, behind a payment
        return Status.PAYWALLED
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
        return _classify_success(outcome)
    # 5xx after retries, a 3xx without a usable Location, or a code outside HTTP's range
    return Status.SERVER_ERROR


def _classify_success(outcome: Outcome) -> Status:
    """A 2xx answer: a page that says it is not found, a redirect that tells, or ok."""
    final = outcome.final_url or outcome.url
    if (outcome.title and _SOFT_404_TEXT.search(outcome.title)) or (
        outcome.heading and _SOFT_404_TEXT.search(outcome.heading)
    ):
        return Status.SOFT_404
    status = _classify_redirect(outcome.url, final) if outcome.chain else Status.OK
    if outcome.paywalled and status in (Status.OK, Status.REDIRECTED):
        return Status.PAYWALLED  # reachable, but not free to read: never dead, not evidence
    return status


def _classify_redirect(url: str, final: str) -> Status:
    """Where a redirect that ended in a 2xx landed: an error page, the home page, or elsewhere."""
    if is_error_page(final):
        return Status.SOFT_404
    if _is_root(final) and not _is_root(url):
        return Status.REDIRECT_TO_ROOT
    if _same_resource(url, final):
        return Status.OK
    return Status.REDIRECTED


def classify_exception(exc: BaseException) -> Status:
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


def is_error_page(url: str) -> bool:
    """The URL's path or query names an error page ("/errors/404.html", "?aspxerrorpath=")."""
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


def url_fault(url: str) -> UrlFault | None:
    """Why a URL cannot be checked at all, before any network access (None: it can be)."""
    if not url or len(url) > 8192 or any(c.isspace() or ord(c) < 32 for c in url):
        return UrlFault.MALFORMED
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        return UrlFault.MALFORMED
    if parts.scheme.lower() not in ("http", "https"):
        return UrlFault.SCHEME if parts.scheme else UrlFault.MALFORMED
    if not host or host.startswith(".") or ".." in host:
        return UrlFault.MALFORMED
    try:
        host.encode("idna")
    except UnicodeError:
        return UrlFault.MALFORMED
    return None


def is_challenge(outcome: Outcome) -> bool:
    """A bot challenge answered (header or title): not a server error worth retrying."""
    return outcome.challenge_header or bool(_CHALLENGE_TEXT.search(outcome.title or ""))


# ---------------------------------------------------------------------------------------------
# The error column: errors mapped to sentences
# ---------------------------------------------------------------------------------------------


def deadline_text(s: UrlCheckSettings) -> str:
    """Why a check that overran its total budget was cut."""
    return f"gave up after {s.total_timeout:g}s in total (slow or trickling response)"


def error_text(exc: BaseException) -> str:
    """A short, readable reason from a wrapped low-level error, without Python internals (reprs
    of connection pools, "None: " prefixes: ``errors.plain_message``); the run log keeps the rest."""
    return plain_message(_error_text(exc))


def _error_text(exc: BaseException) -> str:
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


def explain(status: Status, outcome: Outcome) -> str | None:
    """The error column: why the status is what it is (None for a plain success)."""
    if outcome.error:
        return outcome.error
    if outcome.unusable is not None:
        return f"{status.value}: cannot check {outcome.url[:200]!r}"
    code = outcome.http_status
    if status == Status.SOFT_404:
        if outcome.chain and is_error_page(outcome.final_url or ""):
            return f"redirected to an error page: {(outcome.final_url or '')[:200]}"
        said = next(
            (t for t in (outcome.title, outcome.heading) if t and _SOFT_404_TEXT.search(t)), outcome.title
        )
        return f"HTTP {code} but the page says it is not found: {said!r}"
    if status == Status.PAYWALLED:
        return f"HTTP {code}: the page says it is not free to read (paywall)"
    if status == Status.REDIRECT_TO_ROOT:
        return f"a deep link now lands on the home page {(outcome.final_url or '')[:200]}"
    if status == Status.BLOCKED and (outcome.challenge_header or (code and 200 <= code < 300)):
        return f"HTTP {code}: a bot challenge page ({outcome.title or 'cf-mitigated'!s})"
    if status in (Status.OK, Status.REDIRECTED):
        return None
    return f"HTTP {code}" if code else None
