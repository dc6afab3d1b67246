"""Drift: the page title scored against the cited title, and each URL's citation context.

A link that still answers may now hold something else (a domain sold, an article replaced):
``score_title`` says how well the page title still matches the title it was cited under, and
``apply_citation`` flags ``possible_drift`` below the threshold. ``collect_citation_context``
gives, per cited URL, that title and the date to look for an archive snapshot near.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from rapidfuzz import fuzz
from rapidfuzz import utils as fuzz_utils

from pipeline.core.models import Citation, Status, UrlCheck
from pipeline.core.urlcheck.archive import wayback_timestamp

#: words of titles that name a kind of page, not a page ("Home", "Latest news", "Welcome to ..."):
#: such a title matches any cited title and proves nothing
_GENERIC_WORDS = frozenset(
    """home homepage page start startseite accueil inicio main front welcome index default news latest
    top stories story breaking articles article blog blogs posts search results login log sign register
    subscribe untitled document error not found access denied loading redirecting archive archives
    categories category tags topics press releases room media newsroom publications reports resources
    about us contact official website site web portal online the of to and for a an in on at""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W_]+")
#: statuses whose page is not the cited page (an error page, a home page, nothing): no title score
_NOT_THE_PAGE = frozenset(Status) - {Status.OK, Status.REDIRECTED, Status.PAYWALLED}


def is_generic_title(title: str | None, url: str | None = None) -> bool:
    """A title made only of generic words and the site's own name ("Home", "News", "Reuters")."""
    words = _WORD.findall((title or "").lower())
    host = ""
    if url:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
    labels = [label for label in host.split(".") if label and label != "www"]
    site = "".join(labels[:-1]) if len(labels) > 1 else "".join(labels)
    rest = [w for w in words if w not in _GENERIC_WORDS and not (len(w) >= 3 and site and w in site)]
    return not rest


def score_title(page_title: str | None, cited_title: str | None, url: str | None = None) -> float | None:
    """0-100: how well the page title still matches the cited title (None if either is missing,
    or the page title is generic: "Home" would match "Home ministers meet" perfectly).

    token_set_ratio ignores word order and extra words such as a site name ("... | Reuters").
    """
    if not page_title or not cited_title or is_generic_title(page_title, url):
        return None
    a, b = fuzz_utils.default_process(page_title), fuzz_utils.default_process(cited_title)
    if not a or not b:
        return None
    return round(fuzz.token_set_ratio(a, b), 1)


def apply_citation(check: UrlCheck, cited_title: str | None, threshold: float) -> UrlCheck:
    """The check with the cited title, its similarity to the page title, and the drift flag.

    Only a page that is the cited page is scored: an error page, a home page or no page is not.
    """
    page = check.final_url or check.url
    score = None if check.status in _NOT_THE_PAGE else score_title(check.page_title, cited_title, page)
    return check.model_copy(
        update={
            "cited_title": cited_title,
            "title_score": score,
            "possible_drift": None if score is None else score < threshold,
        }
    )


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
