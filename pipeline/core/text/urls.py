"""URLs and DOIs in running text: find them, trim what surrounds them, give them a scheme."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that may appear inside a URL as printed in a note.
_URL_BODY = r"[^\s<>\"{}|\\^`\u201c\u201d\u2018\u2019\u2026]"
# Scheme-less URLs need a known top-level domain (or a country code) followed by a path.
_TLD = r"(?:com|org|net|edu|gov|int|mil|info|biz|io|ai|app|dev|law|news|media|online|site|[a-z]{2})"
URL_RE = re.compile(
    rf"(?:(?:https?|ftp)://|www\.){_URL_BODY}+"
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+{_TLD}/{_URL_BODY}*",
    re.IGNORECASE,
)
URL_START = re.compile(r"(?:https?|ftp)://|www\.", re.IGNORECASE)
TRAILING = ".,;:!?'\"\u2019\u201d*\u2026"
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}
# Where typesetting breaks URLs: after these characters nothing is added.
BREAK_AFTER = "/-._?&=#%~:+"
_DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
ELLIPSIS = re.compile(r"^(?:\.{3}|\u2026)")


@dataclass(frozen=True)
class UrlMatch:
    """A URL in running text: ``text[start:end]`` as printed, ``url`` cleaned."""

    start: int
    end: int
    url: str


def clean_url(candidate: str) -> str | None:
    """Strip what surrounds a URL in prose; return None if nothing URL-like is left."""
    url = candidate.strip().lstrip("(<[{'\"\u201c\u2018")
    url = _cut_unclosed_bracket(url)
    while url:
        last = url[-1]
        if last in TRAILING or (last in _PAIRS and url.count(_PAIRS[last]) < url.count(last)):
            url = url[:-1]
        else:
            break
    match = re.match(r"(?i)^(?:(https?|ftp)://)?([^/?#]*)", url)
    if not match:
        return None
    host = match.group(2)
    if not re.search(r"[a-z0-9]", host, re.IGNORECASE) or len(url) < 8:
        return None
    if not match.group(1) and "." not in host:
        return None
    return url


def _cut_unclosed_bracket(url: str) -> str:
    """``x.pdf(last`` -> ``x.pdf``: a bracket that opens before a word and never closes is prose."""
    for m in re.finditer(r"[(\[]", url):
        closer = ")" if m.group(0) == "(" else "]"
        if m.start() > 0 and closer not in url[m.end() :] and url[m.end() : m.end() + 1].isalpha():
            return url[: m.start()]
    return url


def _cut_at_closer(url: str) -> str:
    """``x/).site.com`` -> ``x/``: in ``(URL)`` the first ``)`` the URL did not open closes it."""
    depth = 0
    for i, ch in enumerate(url):
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return url[:i]
    return url


def with_scheme(url: str) -> str:
    return url if re.match(r"(?i)^[a-z][a-z0-9+.-]*://", url) else "http://" + url


def find_urls(text: str) -> list[UrlMatch]:
    """Each URL in running text, in order.

    ``text[start:end]`` is the URL as printed; the cleaned URL differs from it only where it
    was printed with a stray space inside (``[https://perma.cc/4GZA- EFMP]``,
    ``https://x.com/article_34083_ carrot-top.html``).
    """
    out: list[UrlMatch] = []
    spaced = _spaced_scheme_urls(text)
    for m in _candidates(text):
        if any(t.start <= m.start() < t.end for t in spaced):
            continue  # the host of a URL printed with a space after its scheme
        url = clean_url(m.group(0))
        if not url:
            continue
        start = m.start() + m.group(0).find(url[:8])
        if text[start - 1 : start] == "(":
            url = _cut_at_closer(url)
        end = start + len(url)
        bracketed = text[start - 1 : start] == "["
        rest = _bracket_rest(url, text[end:]) if bracketed else _slug_rest(url, text[end:])
        if rest:
            url += rest.group(1) + rest.group(2)
            end += rest.end() - (1 if bracketed else 0)
        if out and start < out[-1].end:
            continue  # the tail of a bracketed link that was already taken whole
        out.append(UrlMatch(start, end, url))
    return sorted(out + spaced, key=lambda u: u.start)


# A URL that runs straight into the next, bracketed one: ``…/report[https://perma.cc/…]``.
_NEXT_BRACKETED = re.compile(r"[\[(](?=(?:https?|ftp)://)", re.IGNORECASE)


def _candidates(text: str) -> list[re.Match[str]]:
    """URL_RE's matches, each cut where a bracketed URL starts inside it (then matched on its own)."""
    out: list[re.Match[str]] = []
    pos = 0
    while (m := URL_RE.search(text, pos)) is not None:
        cut = _NEXT_BRACKETED.search(m.group(0), 1)
        if cut is not None:
            m = URL_RE.match(text[: m.start() + cut.start()], m.start()) or m
        out.append(m)
        pos = max(m.end(), pos + 1)
    return out


# A scheme printed with a space after it (``https:// apnews.com/…``), the host perhaps cut by a
# line break as well (``https:// ap`` + ``news.com/…``): a scheme alone is never the whole URL.
_SPACED_SCHEME = re.compile(r"\b(?:https?|ftp)://(?=\s)", re.IGNORECASE)
_HOST_AFTER_SPACE = re.compile(r"\s+(?:([a-z0-9-]{1,30})\s+)?(?=[a-z0-9-]+\.[a-z0-9])", re.IGNORECASE)


def _spaced_scheme_urls(text: str) -> list[UrlMatch]:
    """URLs printed with a stray space after the scheme, their host pieces joined."""
    out = []
    for m in _SPACED_SCHEME.finditer(text):
        gap = _HOST_AFTER_SPACE.match(text, m.end())
        if gap is None:
            continue
        piece = gap.group(1) or ""
        rest = URL_RE.match(text, gap.end())
        url = clean_url(m.group(0) + piece + rest.group(0)) if rest else None
        if not url:
            continue
        out.append(UrlMatch(m.start(), gap.end() + len(url) - len(m.group(0)) - len(piece), url))
    return out


# A bare host name (``ldc.upenn.edu``): lower case, one label of three or more characters.
_BARE_HOST = re.compile(rf"(?<![\w@./-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+{_TLD})\.?\s*$")


def bare_host_at_end(text: str) -> UrlMatch | None:
    """A host name that ends the text (``See ocrdata.ed.gov.``): the site a note sends one to.

    Only at the very end: a site name inside a sentence (``cisecurity.org maintains``) or before
    a date in a reference is a name, not a cited address.
    """
    m = _BARE_HOST.search(text)
    if not m or not any(len(part) >= 3 for part in m.group(1).split(".")[:-1]):
        return None
    return UrlMatch(m.start(1), m.end(1), m.group(1))


def _bracket_rest(url: str, after: str) -> re.Match[str] | None:
    """The rest of a bracketed link printed with a stray space (``[https://perma.cc /K5YV-Q2EP]``).

    Inside ``[...]`` the link runs on to the closing bracket when it was cut at a URL break
    (``-``, ``/``, a host's ``.``), or what follows reads as part of a URL (a path, ``cc/R8HJ``)
    or an identifier (capitals and digits, ``Q2EP``), not a word of prose.
    """
    rest = re.match(r"([./-]?)\s([^\s\[\]]+)\]", after)
    if not rest:
        return None
    tail = rest.group(2)
    ident = bool(re.fullmatch(r"[A-Z0-9][A-Z0-9-]*", tail)) and bool(re.search(r"\d", tail))
    if url.endswith(("-", "/")) or rest.group(1) or "/" in tail or tail.startswith((".", "-")) or ident:
        return rest
    return None


def _slug_rest(url: str, after: str) -> re.Match[str] | None:
    """The rest of a URL printed with a stray space after a path break (``https://x.com/ a-b-c/``).

    Only after ``/``, ``_`` or ``-`` inside the path, and only a slug: lower case, joined by
    hyphens or underscores, or ending like a path (``/``, ``.html``); prose words are not slugs.
    """
    if not re.search(r"://[^/\s]+/(?:.*[/_-])?$", url):
        return None
    slug = r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}(?:/|\.[a-z]{2,4})?|[a-z0-9]+(?:[-_][a-z0-9]+)*(?:/|\.[a-z]{2,4})"
    return re.match(rf"()\s({slug})(?=[\s\[,;)]|\.?$|\.\s)", after)


def find_dois(text: str) -> list[str]:
    return [d.rstrip(TRAILING + ")]") for d in _DOI_RE.findall(text)]


def repair_url(url: str) -> str:
    """Fix what is certainly a typo: a doubled scheme (``http://http://host``)."""
    return re.sub(r"(?i)^(?:(?:https?|ftp)://)+(?=(?:https?|ftp)://)", "", url)


def schemed(url: str) -> str:
    """``url`` with ``http://`` added unless it starts with http or ftp."""
    return url if url.lower().startswith(("http", "ftp")) else with_scheme(url)


def is_web(uri: str) -> bool:
    return uri.lower().startswith(("http://", "https://", "www."))


def norm_url(url: str) -> str:
    """A URL without scheme, ``www.`` and trailing slash, lower-cased: for comparing spellings."""
    url = re.sub(r"(?i)^[a-z]+://", "", url.strip())
    url = re.sub(r"(?i)^www\.", "", url)
    return url.rstrip("/").lower()


def squash_url(url: str) -> str:
    """``norm_url`` without hyphens, spaces and doubled slashes: for URLs cut by the text layer."""
    return re.sub(r"[-\s]|/+$", "", re.sub(r"/{2,}", "/", norm_url(url)))
