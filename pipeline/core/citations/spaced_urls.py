"""URLs printed with spaces inside, in notes given as plain text (no layout to show line breaks).

A reference list copied from a PDF keeps the line breaks of its URLs as spaces:
``http://www. boston.com/business/...``, ``http://dx.doi.org/10.5942/ jawwa.2012.104.0071``,
``http: //www. humankinetics. com/products/showproduct. cfm?isbn=0736034625``. A piece joins the
URL when the URL so far cannot end there (after ``/``, ``.``, ``-``, ``=``, ``:``...) or the
piece cannot start a word (``/news/754336.asp``, ``-educational-improvement``), and the piece
itself reads as part of an address (a ``/``, ``.``, ``=``, ``?``, a digit), never a plain word.
"""

from __future__ import annotations

import re

from pipeline.core.models import UrlRef
from pipeline.core.text.urls import clean_url, schemed

_START = re.compile(r"(?i)^[<(\[]?(?:https?:|ftp:|www\.|(?:dx\.)?doi\.org)")
_OPEN_END = ("/", ".", "-", "=", "?", "&", "_", ":", "%", "~")
_PIECE = re.compile(r"^[a-z0-9/\-.?&=_%~#:]")


def _continues(url: str, piece: str) -> bool:
    if not _PIECE.match(piece) or _START.match(piece):
        return False  # not part of an address, or the next URL
    bare = piece.rstrip(".,;:)>]\"'")
    host_open = url.lower().endswith(("www.", "://", ":"))
    addressy = bool(re.search(r"[/.=?&_%~#\d]", bare)) or piece[0] in "/-.?&=_"
    return (url.endswith(_OPEN_END) or piece[0] in "/-.?&=_") and (addressy or host_open)


def spaced_urls(text: str) -> list[UrlRef]:
    """The URLs of ``text`` that were printed with spaces inside, joined; ``raw_url`` is the span
    as printed (spaces kept) so that it can be found in the note."""
    tokens = list(re.finditer(r"\S+", text))
    out: list[UrlRef] = []
    i = 0
    while i < len(tokens):
        if not _START.match(tokens[i].group()):
            i += 1
            continue
        j, joined = i, tokens[i].group()
        while j + 1 < len(tokens) and _continues(joined, tokens[j + 1].group()):
            j += 1
            joined += tokens[j].group()
        url = clean_url(joined) if j > i else None
        if url is not None:
            start = tokens[i].start() + (len(tokens[i].group()) - len(tokens[i].group().lstrip("<([")))
            raw = text[start : tokens[j].end()].rstrip(".,;:)>]\"'")
            out.append(UrlRef(url=schemed(re.sub(r"(?i)^(https?|ftp):/*", r"\1://", url)), raw_url=raw))
        i = j + 1
    return out


def with_spaced_urls(text: str, refs: list[UrlRef]) -> list[UrlRef]:
    """``refs`` found in the text, with the URLs printed with spaces joined in their place."""
    joined = spaced_urls(text)
    if not joined:
        return refs
    spans = [(text.find(j.raw_url), text.find(j.raw_url) + len(j.raw_url)) for j in joined]
    kept = [r for r in refs if not any(s <= text.find(r.raw_url) < e for s, e in spans if s >= 0)]
    return sorted([*kept, *joined], key=lambda r: text.find(r.raw_url))
