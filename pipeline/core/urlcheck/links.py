"""The whole run as its callers make it: a document's links (the ``url_checks`` asset) or a plain
list of URLs (``python -m pipeline check-urls``), checked with history and scored against the
titles they were cited under.

The callers only wire: the asset passes the document's notes and citations and logs progress,
the command line passes the list it read and prints the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.models import CitationSet, ClaimSet, NoteSplit, UrlCheck, UrlCheckSet
from pipeline.core.settings import UrlCheckSettings
from pipeline.core.urlcheck.batch import Progress, check_urls
from pipeline.core.urlcheck.drift import apply_citation, collect_citation_context
from pipeline.core.urlcheck.evidence import lost_claims, source_evidence
from pipeline.core.urlcheck.fetch import UrlChecker
from pipeline.core.urlcheck.history import History
from pipeline.core.urlcheck.limiter import SharedLimits
from pipeline.core.urlcheck.pagetext import PageStore

#: the page store's folder, beside the URL history
PAGES_DIR = "pages"
#: the per-host limits shared by the processes checking links, beside the history
LIMITS_FILE = "host_limits.sqlite"


@dataclass(frozen=True)
class LinkRun:
    """One run's checks, in first-seen order and scored against their cited titles, and its counts."""

    checks: list[UrlCheck]
    offline: bool
    note: str | None
    checked: int  # checked now (the rest came from the history)
    cached: int


@dataclass(frozen=True)
class DocumentLinks:
    """A document's link check: the set to store, its distinct URLs, and the run's counts."""

    links: UrlCheckSet
    urls: list[str]
    checked: int
    cached: int

    @property
    def offline(self) -> bool:
        """The network was not used (offline mode, offline machine, or an outage)."""
        return self.links.offline

    @property
    def note(self) -> str | None:
        """What the run has to say about the network, if anything."""
        return self.links.note


def check_links(
    urls: Sequence[str],
    settings: UrlCheckSettings,
    history: History | None,
    *,
    titles: Mapping[str, str],
    dates: Mapping[str, str | None] | None = None,
    alternatives: Mapping[str, Sequence[str]] | None = None,
    offline: bool = False,
    progress: Progress | None = None,
    pages: PageStore | None = None,
    limits: str | Path | None = None,
) -> LinkRun:
    """Check each distinct URL (see ``check_urls``) and score its page title against ``titles``.

    With ``pages``, the main text of each page (and of the snapshots read) is kept there. The
    per-host limits are shared through ``limits`` (else ``settings.shared_limits``; neither: this
    process's own).
    """
    where = limits or settings.shared_limits
    shared = SharedLimits(where) if where else None
    try:
        report = check_urls(
            urls,
            UrlChecker(settings, pages=pages, limits=shared),
            history,
            offline=offline,
            progress=progress,
            alternatives=alternatives,
            dates=dates,
        )
    finally:
        if shared is not None:
            shared.close()
    checks = [apply_citation(c, titles.get(u), settings.drift_threshold) for u, c in report.checks.items()]
    return LinkRun(checks, report.offline, report.note, report.checked, report.cached)


def check_document_links(
    notes: NoteSplit,
    citations: CitationSet,
    settings: UrlCheckSettings,
    history_path: Path,
    *,
    claims: ClaimSet | None = None,
    offline: bool = False,
    progress: Progress | None = None,
    limits: str | Path | None = None,
) -> DocumentLinks:
    """Check every URL the document's notes cite, with the history at ``history_path``.

    Line-break repairs of a URL are tried when it fails; the citations give each URL its cited
    title (drift) and the date to find an archive snapshot near. The page texts go to the page
    store beside the history, and each cited claim is looked for in the pages it cites. The
    per-host limits hold across every process checking links at once: shared through ``limits``,
    else ``settings.shared_limits``, else a SQLite file beside the history.
    """
    pages = PageStore(history_path.parent / PAGES_DIR)
    refs = [u for n in notes.notes for u in n.urls]
    urls = list(dict.fromkeys(u.url for u in refs))
    alternatives = {u.url: u.alternatives for u in refs if u.alternatives}
    titles, dates = collect_citation_context(citations.citations)
    history = History(history_path)
    run = check_links(
        urls,
        settings,
        history,
        titles=titles,
        dates=dates,
        alternatives=alternatives,
        offline=offline,
        progress=progress,
        pages=pages,
        limits=limits or settings.shared_limits or history_path.parent / LIMITS_FILE,
    )
    checks, evidence = run.checks, []
    if claims is not None:
        by_url = {c.url: c for c in checks}
        evidence = source_evidence(claims.claims, citations.citations, by_url, pages)
        then = source_evidence(claims.claims, citations.citations, by_url, pages, baseline=True)
        # a page that no longer holds what its snapshot held of a claim changed, however slightly
        lost = lost_claims(evidence, then)
        checks = [c.model_copy(update={"content_changed": True}) if c.url in lost else c for c in checks]
    links = UrlCheckSet(
        doc_id=notes.doc_id,
        sha256=notes.sha256,
        offline=run.offline,
        note=run.note,
        checks=checks,
        history=[row for rows in history.rows_for(urls).values() for row in rows],
        evidence=evidence,
    )
    return DocumentLinks(links=links, urls=urls, checked=run.checked, cached=run.cached)
