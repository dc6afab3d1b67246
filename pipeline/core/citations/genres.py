"""Theses and reports name no container: their genre, institution, series and publisher are not
where the work appeared. And a book's place and publisher ("Rio de Janeiro: Casa de Rui
Barbosa") are not its container either.

A genre is read only where its words are exact ("Ph.D. thesis", "Doctoral dissertation", "Diss.",
"Technical Report", "Tech. rep.", "Working Paper", "Internet-Draft"); "Dissertation Abstracts
International" is a journal, so a bare "Dissertation" counts only when a comma or full stop ends it.
"""

from __future__ import annotations

import re

from pipeline.core.citations.tagger import is_place

GENRE = re.compile(
    r"(?i)\b(?:ph\.?\s?d\.?|doctoral|masters?'?|m\.?\s?sc?\.?|m\.?\s?phil\.?|b\.?\s?a\.?|honou?rs|unpublished"
    r"|diploma|bachelor'?s?)\s+(?:thesis|dissertation)\b"
    r"|\b(?:thesis|dissertation|diss)\b\.?(?=\s*(?:[,.;(]|$))"
    r"|\b(?:tech(?:nical)?\.?\s+rep(?:ort)?s?\b\.?|technical\s+(?:summary\s+)?reports?\b|research\s+reports?\b"
    r"|working\s+papers?\b|discussion\s+papers?\b|internet-drafts?\b|technical\s+memorand(?:um|a)\b"
    r"|reports?\s+(?:no\.|nr\.|number\b|#))"
)
# "Rio de Janeiro: Casa de Rui Barbosa", "Cambridge, MA: MIT Press"
_PLACE_COLON = re.compile(r"^([^:,]{2,30})(?:,\s*[A-Z][\w. ]{0,20})?\s?:\s*\S")

_TEX_OPEN = re.compile(r"``(?=\S)")
_TEX_CLOSE = re.compile(r"(?<=\S)''")


def tex_quotes(text: str) -> str:
    """TeX's quotes (``Title,'') as typographic ones, keeping every offset: "``" becomes a space
    and an opening quote, "''" a closing quote and a space. Only where both are printed."""
    if "``" not in text or "''" not in text:
        return text
    text = _TEX_OPEN.sub(" \u201c", text)
    return _TEX_CLOSE.sub("\u201d ", text)


def genre_at(raw: str, title: str | None) -> re.Match[str] | None:
    """The first genre printed outside the title."""
    span = _find(raw, title)
    for m in GENRE.finditer(raw):
        if span is None or not span[0] <= m.start() < span[1]:
            return m
    return None


def without_genre(raw: str, title: str | None, container: str | None) -> tuple[str | None, str | None]:
    """A title that ran into its genre loses it ("Incremental dependence analysis, Ph.D. thesis");
    a container that is the genre, or is printed after it (the university, the series, the
    institution), is no container."""
    if title:
        cut = re.search(rf"[\s,.;:\u201d\u2019\"']+(?:{GENRE.pattern[4:]})[\s.,]*$", title, re.I)
        if cut and cut.start() > 0:
            title = title[: cut.start()]
    if not container:
        return title, container
    genre = genre_at(raw, title)
    at = raw.rfind(
        container
    )  # the last time it is printed: "X Institute ... Report No. 3. City: X Institute"
    at = (at, at + len(container)) if at >= 0 else None
    # the genre before the container, or right after its name ("... Planning Report No. 329")
    if genre is not None and (at is None or genre.start() <= at[1] + 2):
        return title, None
    return title, container


def place_publisher(container: str | None) -> bool:
    """A container that is a place and a publisher ("New York: Penguin", "Montréal: Editions du
    Cram"): the place is one the lexicon knows."""
    if not container:
        return False
    m = _PLACE_COLON.match(container)
    return m is not None and is_place(m.group(1).strip())


def _find(raw: str, value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    at = raw.find(value)
    return (at, at + len(value)) if at >= 0 else None
