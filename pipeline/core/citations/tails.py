"""What a title read by position may run into, and where it ends instead.

Reference lists print after a title, with nothing but a comma or a full stop between: its
edition ("(2nd edition ed.)", ". Revised Edition"), its editors or translators ("Edited by",
"Trans."), its genre ("Masters Thesis"), its proceedings (", in Proceedings of ..."), its publisher
(", MIT Press"). Each is cut only on exact words (a publisher's word: Press, Verlag, Éditions,
Ltd, ...).
"""

from __future__ import annotations

import re

from pipeline.core.citations.genres import GENRE

_EDITION = re.compile(
    r"(?i)[\s.,;]*\(?\b(?:\d+(?:st|nd|rd|th)|\d+\u00aa|first|second|third|fourth|fifth|new|rev\.|revised"
    r"|enlarged|expanded)(?:\s+(?:and|&)\s+\w+\.?)?\s+(?:ed\.|edn\.?|edition)(?:\s+ed\.)?\)?\.?$"
)
_PEOPLE_CUE = re.compile(
    r"[.,]\s+(?:Edited|Translated|Trans\.|Ed\.|Eds\.|Dir\.|Directed|Introduced|Compiled)"
    r"(?:\s+(?:and\s+translated\s+)?by)?\s+[A-Z]"
)
_IN_CONTAINER = re.compile(
    r",\s+in:?\s+(?=(?:the\s+)?(?:Proc\b|Proceedings|Conference|Symposium|Workshop|Handbook|Journal|Advances)\b)",
    re.I,
)
_PUBLISHER_WORD = re.compile(
    r"(?i)\b(?:press|publishers?|publishing|verlag|books|éditions|editions|ediciones"
    r"|edizioni|editora|editorial|university\s+press)\b\.?$"
)


def trim_title(title: str | None) -> str | None:
    """The title without what followed it in the reference."""
    if not title:
        return title
    whole = title
    for cut in (_genre_cut(title), _PEOPLE_CUE.search(title), _IN_CONTAINER.search(title)):
        if cut is not None and len(title[: cut.start()].split()) >= 2:
            title = title[: cut.start()]
    edition = _EDITION.search(title)
    if edition and len(title[: edition.start()].split()) >= 2:
        title = title[: edition.start()]
    title = _without_place_or_publisher(title)
    return title if title == whole else title.rstrip(" .,;:")  # "Grp. Inc." keeps its full stop


_PEOPLE_BEFORE = re.compile(
    r"(?:\b(?:Edited|Translated|Compiled|Directed|Introduced)\s+by|\b(?:Trans|Dir|Perf)\.)\s*$", re.I
)
_MONTH = re.compile(
    r"(?i)(?:jan|feb|febr|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\.?|(?:january|february|march|april"
    r"|june|july|august|september|october|november|december)"
)


def not_a_container(raw: str, title: str | None, container: str | None) -> tuple[str | None, str | None]:
    """(title, container) without what the tagger may read as a container and is none: people
    after "Edited by", "Trans.", "Dir." (or the container opens with those words), a month, words
    inside the title. A title that ends with its container ran into it and stops before."""
    if not container:
        return title, container
    if title and title.endswith(container) and len(title) > len(container) + 10:
        return title[: -len(container)].rstrip(" .,;:"), container
    return title, _no_container(raw, title, container)


# "Int. J. Mod. Phys. A16, 707", "J. Opt. Soc. Am. 1982, 72": a journal's abbreviated name right
# after the authors' comma, then its volume (physics lists print no title)
_ABBREVIATED_JOURNAL = re.compile(
    r",\s(?=(?:[A-Z]\.\s?)*[A-Z][a-z]{2,}\.)((?:[A-Z][a-z]{0,9}\.\s?){2,6})\s*[A-Z]?\d+[,\s(]"
)


def abbreviated_journal(raw: str, title: str | None, container: str | None) -> tuple[str | None, str | None]:
    """A reference with no title whose journal is printed abbreviated after the authors: the
    abbreviation is the container, and no title was printed."""
    m = _ABBREVIATED_JOURNAL.search(raw)
    if container or m is None:
        return title, container
    journal = m.group(1).strip()
    if title and (
        title in journal or journal.rstrip(".") in title or title.endswith(journal.split()[-1].rstrip("."))
    ):
        title = None
    return title, journal.rstrip(".")


# "... (clinoril). Histopathology, 1987, vol. 11", "... reports. BMJ 2005, 330, 1347": a journal's
# name between the title and a year that a volume follows (not pages or volumes of a book)
_JOURNAL_YEAR_VOLUME = re.compile(
    r"[\s.,;\"\u201d\u2019]*(?P<journal>[A-Z][\w&'\u2019\-]*(?:\s+(?:[A-Z][\w&'\u2019\-]*|of|and|&|for|in|the|on)){0,5})"
    r"[.,]?\s+\(?(?:19|20)\d\d\)?[.,;:]?\s*(?:vol\.?\s*)?\d+\b(?!\s*(?:p\b|pp\b|p\.|pages|vols?\b))"
)


def journal_before_year(raw: str, title: str | None, container: str | None) -> str | None:
    """The container of a reference whose journal follows the title with no italics, then its
    year and volume; None where no journal is printed so."""
    if container or not title or (at := raw.find(title)) < 0:
        return container
    m = _JOURNAL_YEAR_VOLUME.match(raw, at + len(title))
    return m.group("journal") if m else None


def _no_container(raw: str, title: str | None, container: str) -> str | None:
    if re.match(r"(?:Edited|Translated|Trans\.|Dir\.|Directed|Perf\.)\s", container) or _MONTH.fullmatch(
        container
    ):
        return None
    spans = [m.start() for m in re.finditer(re.escape(container), raw)]
    if any(_PEOPLE_BEFORE.search(raw[:at]) for at in spans):
        return None
    # a statute's code opens its title ("O.C.G.A. § 21-2-50(a)"); other words in the title are no container
    code = not re.search(r"[a-z]", container)
    inside = title is not None and container in title and not code and (at := raw.find(title)) >= 0
    if inside and all(at <= s < at + len(title) for s in spans):
        return None  # a container is never a piece of the title
    return container


def _genre_cut(title: str) -> re.Match[str] | None:
    """A genre after a comma or full stop inside the title ("..., Masters Thesis, Department")."""
    for m in GENRE.finditer(title):
        if re.search(r"[.,]\s*$", title[: m.start()]):
            return m
    return None


def _without_place_or_publisher(title: str) -> str:
    """Trailing comma segments that name a publisher ("Robot Vision, MIT Press"): the title ends
    before them. (A place is no such evidence: "the Town of Hanover, New Hampshire"; nor is a
    company's "Inc.", which ends parties' names: "SEC v. Ripple Labs, Inc.")"""
    while True:
        head, comma, tail = title.rpartition(",")
        tail = tail.strip(" .")
        if not comma or len(head.split()) < 2 or not tail:
            return title
        if not _PUBLISHER_WORD.search(tail):
            return title
        title = head
