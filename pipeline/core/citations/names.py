"""Who wrote it: authors as people or as one organisation, and the tests that tell a name from a title.

A personal name as printed in citations is 1-5 capitalised words, initials or particles; several
are split on commas, "and" and "&". An organisation writes alone: a capitalised run that holds an
organisation word ("U.S. Census Bureau", "Ministry of Defense"). A post on a social network is
written by its @handle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.core.citations.people import is_initials, split_people
from pipeline.core.citations.segments import strip_unbalanced
from pipeline.core.text.words import word_score

_PARTICLES = {"de", "van", "von", "der", "den", "al", "el", "bin", "ibn", "da", "di", "du", "la", "le", "del"}
# Words that make a capitalised run an organisation rather than a person ("and" does not split it).
_ORG_WORDS = {
    "agency", "association", "bank", "board", "bureau", "center", "centre", "commission",
    "committee", "company", "congress", "corporation", "council", "court", "customs", "department",
    "embassy", "forum", "foundation", "fund", "government", "group", "house", "inc", "institute",
    "institution", "journal", "league", "llc", "ltd", "ministry", "monitor", "nations", "navy",
    "network", "news", "office", "organisation", "organization", "parliament", "party", "press",
    "program", "programme", "project", "protection", "report", "review", "service", "society",
    "states", "times", "union", "university", "watch",
}  # fmt: skip
_NOT_NAMES = {
    "see",
    "id",
    "ibid",
    "cf",
    "compare",
    "accord",
    "contra",
    "note",
    "supra",
    "infra",
    "also",
    "in",
}
_ORG_CONNECTORS = {"of", "the", "for", "and", "on", "in", "&", "de", "du", "la", "et"}
_SOCIAL_HOSTS = {"twitter.com": "Twitter", "x.com": "X", "mobile.twitter.com": "Twitter"}
_SOCIAL_SUFFIX = re.compile(
    r"\s+(?:on\s+)?(?:Twitter|X|Facebook|Instagram|Telegram)(?:\s+(?:account|post|page))?$", re.I
)
# the year of an author-date reference after its authors ("Jain, Narendra, 1986,", "Poole, D. (1988).")
_YEAR_TAIL = re.compile(r"[,.]?\s*\(?\b(?:1[5-9]|20)\d\d[a-z]?\)?[.,:]?\s*$")
_ET_AL = re.compile(r",?\s*\bet\s+al\b\.?,?", re.I)


def looks_like_name(s: str) -> bool:
    """A personal name as printed in citations: 1-5 capitalised words, initials or particles."""
    words = s.replace("\u2019", "'").split()
    if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in s):
        return False
    if len(words) == 1 and words[0].strip(".,").lower() in _NOT_NAMES:
        return False
    if any(w.strip(".,").lower() in _ORG_WORDS for w in words):
        return False
    return all(
        (w[:1].isupper() and re.fullmatch(r"[^\W\d_][\w'.\-]*", w) is not None) or w in _PARTICLES
        for w in words
    ) and any(len(w.strip(".")) >= 2 for w in words)


def looks_like_org(s: str) -> bool:
    """A capitalised run of up to 14 words (connectors such as "of", "the" allowed)."""
    words = [w.strip(",") for w in s.split()]
    if not 1 <= len(words) <= 14 or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1] in "(&" or w.lower() in _ORG_CONNECTORS for w in words if w)


def org_name(s: str) -> bool:
    """An organisation as author: an organisation word that ends the name or heads an 'of' phrase
    ("U.S. Census Bureau", "Ministry of Defense"); "EU-Armenia Association Agreement" is a title."""
    words = [w.strip(".,()").lower() for w in s.split()]
    if not looks_like_org(s):
        return False
    return any(
        w in _ORG_WORDS and (i == len(words) - 1 or words[i + 1] in {"of", "for", "on"})
        for i, w in enumerate(words)
    )


def find_authors(head: str, *, allow_org: bool = True) -> list[str]:
    """Authors from the text before a title: people split on commas/and/&, or one organisation."""
    head = strip_unbalanced(_SOCIAL_SUFFIX.sub("", _ET_AL.sub("", _YEAR_TAIL.sub("", head)).strip(" ,")))
    if not head or len(head) > 160:
        return []
    if re.fullmatch(r"@\w{1,30}", head):  # a social-media handle
        return [head]
    words = {w.strip(".,()").lower() for w in head.split()}
    if not words & _ORG_WORDS:
        parts = [
            p.strip()
            for p in re.split(
                r"\s*,\s*(?!(?:Jr|Sr|II|III)\b\.?)(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*", head, flags=re.I
            )
            if p.strip()
        ]
        people = split_people(head)  # inverted names with initials, "and" lists, Vancouver
        if people and all(p.split(",")[0].strip(".").lower() not in _NOT_NAMES for p in people):
            return people
        if parts and all(looks_like_name(p) for p in parts):
            return parts
    return [head] if allow_org and looks_like_org(head) else []


def segment_authors(text: str, segs: Sequence[tuple[int, int]]) -> list[str]:
    """The authors named by author segments; a segment that names none is kept as printed."""
    return [a for seg in segs for a in (find_authors(text[seg[0] : seg[1]]) or [text[seg[0] : seg[1]]])]


def is_author_segment(seg: str) -> bool:
    """A comma segment that is people, an organisation as author, or the initials of an inverted
    name (``Card, S. K., Mackinlay, J. D.``: never a title)."""
    return bool(find_authors(seg, allow_org=False)) or org_name(seg) or is_initials(seg.strip())


def common_words(seg: str) -> bool:
    """Every word an everyday English word: a title ("Understanding Bitcoin Mining"), not a name."""
    words = re.findall(r"[A-Za-z]+", seg)
    return len(words) >= 2 and all(word_score(w) >= 4.0 for w in words)


def social_post(urls: Sequence[str]) -> tuple[str, str] | None:
    """(platform, @handle) of a post on a social network, from its URL."""
    for url in urls:
        m = re.match(r"(?i)^(?:https?://)?(?:www\.)?([^/]+)/([A-Za-z0-9_]{1,30})/status(?:es)?/\d+", url)
        if m and m.group(1).lower() in _SOCIAL_HOSTS:
            return _SOCIAL_HOSTS[m.group(1).lower()], "@" + m.group(2)
    return None
