"""Reference-list styles: APA and ACM/IEEE references, read whole from their fixed order.

APA: ``Smith, J., & Lee, K. (2020). Title. Journal, 12(3), 45-67.`` ACM/IEEE: ``M. Hu and
B. Liu. Title. In Proceedings of ..., pages 1-9, 2004.`` Authors come first, then the year (APA)
or the title; the container runs to the first comma or full stop outside parentheses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.core.citations.dates import best_date
from pipeline.core.citations.segments import LOCATOR, clean
from pipeline.core.citations.titles import academic_title
from pipeline.core.text.dates import DateMatch

_INITIALS = r"(?:[A-Z]\.(?:\s?-?[A-Z]\.)*)"
_APA_NAME = rf"[A-Z][\w'\u2019\-]+(?:[ -][A-Z][\w'\u2019\-]+)*,\s+{_INITIALS}"
_APA_RE = re.compile(
    rf"(?P<authors>{_APA_NAME}(?:,?\s+(?:&\s+|and\s+)?{_APA_NAME})*),?\s+"
    r"\((?P<year>(?:1[5-9]|20)\d\d)[a-z]?(?:,\s*[^)]{1,30})?\)\.\s+(?P<title>.+?[.?!])(?:\s+|$)(?P<rest>.*)$"
)
_ACM_NAME = rf"{_INITIALS}\s?(?:(?:de|van|von|der|da|di|le|la)\s+)?[A-Z][\w'\u2019\-]+"
_ACM_RE = re.compile(
    rf"(?P<authors>{_ACM_NAME}(?:,\s+(?:and\s+)?{_ACM_NAME})*(?:,?\s+and\s+{_ACM_NAME})?)\.\s+"
    r"(?P<title>[^.]+?[.?!])\s+(?P<rest>[A-Z].*)$"
)


@dataclass(frozen=True)
class Reference:
    """The fields of an APA or ACM reference."""

    authors: list[str | None]
    title: str | None
    container: str | None
    volume: str | None
    page: str | None
    published: str | None


def read_reference(text: str, body: int, dates: Sequence[DateMatch]) -> Reference | None:
    """The fields of an APA or ACM-style reference starting at ``body``; None if it is neither."""
    apa = _APA_RE.match(text, body)
    acm = None if apa else _ACM_RE.match(text, body)
    m = apa or acm
    if m is None:
        return None
    if apa:
        authors = [clean(a) for a in re.findall(_APA_NAME, m.group("authors"))]
        published = m.group("year")
    else:
        authors = [clean(a) for a in re.split(r",\s+(?:and\s+)?|\s+and\s+", m.group("authors"))]
        published = best_date([d for d in dates if d.start >= m.start("rest")])
    rest = m.group("rest")
    rest = re.sub(r"^In\s+.{2,200}?,\s+(?:eds?\.|editors?),\s+(?:[Ii]n\s+)?", "", rest)
    rest = re.sub(r"^In:?\s+", "", rest)
    container = clean(rest[: _container_end(rest)])
    vol = re.search(r"(?:\bvol(?:ume)?\.?\s*|,\s*)(\d+)\s*(?:\((\d+)\))?,\s*(?:pp?\.\s*)?\d", rest)
    pages = re.search(r"(?:\bpages|\bpp?\.|,)\s*(\d+)\s*[\u2013\-]+\s*\d+", rest)
    return Reference(
        authors=authors,
        title=academic_title(m.group("title")),
        container=container if container and not LOCATOR.match(container) else None,
        volume=vol.group(1) if vol else None,
        page=pages.group(1) if pages else None,
        published=published,
    )


def _container_end(rest: str) -> int:
    """The container ends at the first comma or full stop outside parentheses."""
    depth = 0
    for i, ch in enumerate(rest):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and (ch == "," or (ch == "." and (i + 1 == len(rest) or rest[i + 1] == " "))):
            return i
    return len(rest)
