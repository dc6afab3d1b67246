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
* Evidence: the main text of each page (and of snapshots, read raw) is kept by hash, each cited
  claim is looked for in it, and a live page is compared with its snapshot.

Where each decision lives:

* ``status``: the status of a link (``classify``) and the sentence in its error column.
* ``addresses``: which addresses may be contacted, and connections pinned to them.
* ``politeness``: per-host limits and intervals, Retry-After, a check's time budget.
* ``fetch``: one URL (HEAD/GET, redirects, retries, capped body, page title).
* ``history``: the SQLite history, the TTL, confirmed dead.
* ``archive``: the Wayback snapshot of a rotten link.
* ``drift``: the page title against the cited title (generic titles, error pages: no score);
  each URL's citation context.
* ``pagetext``: a page's main text, title and date, and the page store; ``paywall``: not free to read.
* ``figures``: numbers, amounts, percentages and dates, normalised; ``evidence``: what a page
  (live or archived) holds of a claim, and whether a live page lost what its snapshot held.
* ``batch``: many URLs (scheduling, offline and outage detection, recording); URL lists.
* ``links``: the run as the pipeline and the command line make it.
"""

from __future__ import annotations

from pipeline.core.urlcheck.addresses import AddressPolicy, RefusedAddress, ResolveFailed, system_resolver
from pipeline.core.urlcheck.archive import NEEDS_ARCHIVE, Snapshot, lookup_archive, wayback_timestamp
from pipeline.core.urlcheck.batch import RunReport, UrlEntry, check_urls, network_is_down, read_url_list
from pipeline.core.urlcheck.drift import apply_citation, collect_citation_context, score_title
from pipeline.core.urlcheck.fetch import UrlChecker, extract_title
from pipeline.core.urlcheck.history import CONCLUSIVE, History, confirm_dead, is_fresh
from pipeline.core.urlcheck.links import DocumentLinks, LinkRun, check_document_links, check_links
from pipeline.core.urlcheck.politeness import HostGate
from pipeline.core.urlcheck.status import Outcome, UrlFault, classify

__all__ = [
    "CONCLUSIVE",
    "NEEDS_ARCHIVE",
    "AddressPolicy",
    "DocumentLinks",
    "History",
    "HostGate",
    "LinkRun",
    "Outcome",
    "RefusedAddress",
    "ResolveFailed",
    "RunReport",
    "Snapshot",
    "UrlChecker",
    "UrlEntry",
    "UrlFault",
    "apply_citation",
    "check_document_links",
    "check_links",
    "check_urls",
    "classify",
    "collect_citation_context",
    "confirm_dead",
    "extract_title",
    "is_fresh",
    "lookup_archive",
    "network_is_down",
    "read_url_list",
    "score_title",
    "system_resolver",
    "wayback_timestamp",
]
