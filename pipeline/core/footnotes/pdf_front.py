"""Author affiliations on a title page: raised numbers after names that are not note markers.

``Anna Berg¹, Jonas Lind²`` with ``¹ University of Bergen`` and ``² University of Lund`` listed
right under the names: the list answers the raised numbers at once, above the text, where no
note ever stands (a footnote is set at the foot of its column or after a notes heading, below
the text that cites it). A run of lines with raised numbers followed at once by lines labelled
with every one of those numbers, on the first page with text and before its running text, is
a byline and its affiliations when the raised numbers follow names (mostly capitalised words,
no sentence): neither markers nor notes. They are kept as ``other`` matter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.core.footnotes.cues import SENTENCE_END
from pipeline.core.footnotes.markers import parse_marker_label, parse_note_label
from pipeline.core.models import Line

#: Lines of names and of affiliations follow one another at most this many line heights apart.
_GAP = 2.5
#: Bylines are short: at most this many words on a line of names.
_BYLINE_WORDS = 24
_PARTICLES = {"and", "van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "y", "et", "al"}


def affiliation_lines(lines: Sequence[Line]) -> set[int]:
    """Ids of the byline and affiliation lines among the first page's lines (reading order)."""
    out: set[int] = set()
    i = 0
    while i < len(lines):
        if _running_text(lines[i]):
            break  # the text has begun: what follows is no title block
        names = _byline_run(lines, i)
        if not names:
            i += 1
            continue
        marks = {n for ln in names for n in _raised(ln)}
        k = i + len(names)
        listed: list[Line] = []
        while k < len(lines) and _follows(lines[k - 1], lines[k]):
            label = parse_note_label(lines[k])
            if label is None and not listed:
                break
            if label is not None and label.number not in marks:
                break
            listed.append(lines[k])
            k += 1
        labels = {label.number for ln in listed if (label := parse_note_label(ln)) is not None}
        if marks and labels >= marks:
            out |= {id(ln) for ln in [*names, *listed]}
        i = k
    return out


def _plain(line: Line) -> str:
    """The line's text without its raised runs."""
    text, pos = "", 0
    for s in line.superscripts:
        text += line.text[pos : s.start]
        pos = s.end
    return (text + line.text[pos:]).strip()


def _running_text(line: Line) -> bool:
    """A line of the text: many words and a sentence's end."""
    plain = _plain(line)
    return len(plain.split()) >= 8 and bool(SENTENCE_END.search(plain) or re.search(r"[.!?] [A-Z]", plain))


def _raised(line: Line) -> list[int]:
    return [n for s in line.superscripts for n in parse_marker_label(line.text[s.start : s.end])]


def _byline_run(lines: Sequence[Line], i: int) -> list[Line]:
    """Consecutive short lines with raised numbers and no sentence end, starting at ``i``."""
    run: list[Line] = []
    for ln in lines[i:]:
        if run and not _follows(run[-1], ln):
            break
        plain = _plain(ln)
        byline = (
            _raised(ln)
            and len(plain.split()) <= _BYLINE_WORDS
            and not SENTENCE_END.search(plain)
            and _names_like(plain)
        )
        if not byline or parse_note_label(ln) is not None:
            break
        run.append(ln)
    return run


def _names_like(text: str) -> bool:
    """Mostly capitalised words, as names are (particles like "and", "van", "de" aside)."""
    words = [w for w in re.findall(r"[^\W\d_][\w'.-]*", text) if w.lower() not in _PARTICLES]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _follows(a: Line, b: Line) -> bool:
    """Is ``b`` the next line right under ``a`` (same column, a line's gap at most)?"""
    return b.column == a.column and 0 <= b.top - a.bottom <= _GAP * max(a.bottom - a.top, 1.0)
