"""Where the work appeared: the periodical, site, publisher or series after the title.

Evidence, strongest first: an italic run after the title, a segment printed in capitals (Bluebook
periodicals, small capitals printed as capitals), else the first segment that can name a
publication (not a date, a locator or a lowercase phrase). The title search itself may already
have named the container (``titles.Found.container``): italics after a roman title, the segment
before the date. Legal and reference-list styles name theirs in ``legal`` and ``academic``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.core.citations.segments import (
    LOCATOR,
    clean,
    has_sentence_break,
    is_caps,
    segments,
    strip_trailing_parens,
)
from pipeline.core.text.dates import DateMatch


def container_from(segs: Sequence[tuple[int, int]], text: str, dates: Sequence[DateMatch]) -> str | None:
    """The first segment that can name a publication (not a date, locator, lowercase phrase)."""
    for s, e in segs:
        if any(d.start <= s < d.end for d in dates):
            continue
        seg = clean(strip_trailing_parens(text[s:e])) or ""
        if not seg or LOCATOR.match(seg) or not re.search(r"[A-Za-z]{2}", seg):
            continue
        first = seg.split()[0]
        if not (first[:1].isupper() or (" " not in seg and len(seg) > 2)):
            return None  # "press release", "coordinated by ...": no publication named here
        if len(seg.split()) > 12 or has_sentence_break(seg):
            return None  # a sentence, not a publication
        return seg
    return None


def container_after(
    raw: str,
    text: str,
    after: int | None,
    title: tuple[int, int] | None,
    italic: Sequence[tuple[int, int]],
    dates: Sequence[DateMatch],
) -> str | None:
    """The periodical after the title (which ends before ``after``): italics, else capitals
    (Bluebook), else the next segment."""
    if after is None:
        return None
    run = next(((s, e) for s, e in italic if s >= after and (s, e) != title), None)
    if run is not None:
        return clean(raw[run[0] : run[1]])
    segs = segments(text, after, len(text), dates)
    caps = next(((s, e) for s, e in segs if is_caps(text[s:e]) and not LOCATOR.match(text[s:e])), None)
    if caps is not None and title is not None:
        return clean(strip_trailing_parens(text[caps[0] : caps[1]]))
    return container_from(segs, text, dates)
