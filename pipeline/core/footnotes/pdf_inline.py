"""Markers read as ordinary digits in the running text, placed by the note sequence.

An OCR text layer can read a raised marker as digits of the text size glued to the word or the
punctuation before it (``response.10``, ``jokes."11``, ``stores,12``, ``puppets16``); nothing in
the word boxes sets them apart then. The notes' own numbering does: markers run 1, 2, 3... in
reading order. Digits glued to the end of a word are a marker when, and only when,

- they follow a word of letters (two or more after punctuation, three or more when glued to the
  letters themselves: ``H2`` or ``mp3`` are not markers), and nothing but a space, a sentence
  mark or the end of the paragraph follows them;
- their number is a note that no marker cites yet, it comes after the marker before them and
  before the next marker above that one, and at most three notes after the one before.

Everything else stays text, so a year or a reference glued to a word in a document whose
markers are all found is left alone (its number is cited already, or out of order).
"""

from __future__ import annotations

import re

from pipeline.core.footnotes.pdf_body import restore_dropped_digits
from pipeline.core.models import Marker, Paragraph, ParagraphKind

_GLUED = re.compile(
    r"(?:(?<=[A-Za-z]{2})[.,;:!?][\"'\u201d\u2019)]*|(?<=[a-z]{3})[\"'\u201d\u2019)]*)"
    r"(?P<digits>\d{1,3})(?=[\s.,;:!?]*(?:\s|$))"
)
#: How far past the marker before it a glued number may be (notes without a marker between).
MAX_STEP = 3


def number_markers_by_sequence(paragraphs: list[Paragraph], notes: set[int]) -> None:
    """Markers the text layer misread, found again from the note sequence (in place): digits
    glued to words first, then markers that lost a digit (``pdf_body.restore_dropped_digits``),
    which needs the glued ones in place to know its neighbours (``response.10`` then ``1``
    for 11)."""
    recover_inline_markers(paragraphs, notes)
    restore_dropped_digits(paragraphs, notes)


def recover_inline_markers(paragraphs: list[Paragraph], notes: set[int]) -> None:
    """Turn digits glued to words into markers where the note sequence expects them (in place)."""
    cited = {m.number for p in paragraphs for m in p.markers}
    if not notes - cited:
        return
    for k, para in enumerate(paragraphs):
        if para.kind != ParagraphKind.BODY:
            continue
        found = False
        for match in reversed(list(_GLUED.finditer(para.text))):
            number = int(match.group("digits"))
            if number not in notes or number in cited:
                continue
            start = match.start("digits")
            before, after = _neighbours(paragraphs, k, start)
            if before < number < after and number - before <= MAX_STEP:
                _take_out(para, start, match.end("digits"), number)
                cited.add(number)
                found = True
        if found:
            para.markers.sort(key=lambda m: m.offset)


def _neighbours(paragraphs: list[Paragraph], k: int, offset: int) -> tuple[int, float]:
    """The number of the marker before ``offset`` in paragraph ``k`` (0 at the start), and of
    the first marker after it numbered above that one (infinity when there is none)."""
    earlier = [m.number for p in paragraphs[:k] for m in p.markers]
    earlier += [m.number for m in paragraphs[k].markers if m.offset <= offset]
    before = earlier[-1] if earlier else 0
    later = [m.number for m in paragraphs[k].markers if m.offset > offset]
    later += [m.number for p in paragraphs[k + 1 :] for m in p.markers]
    after = next((n for n in later if n > before), float("inf"))
    return before, after


def _take_out(para: Paragraph, start: int, end: int, number: int) -> None:
    """Remove the digits from the text and put a marker in their place."""
    width = end - start
    label = para.text[start:end]
    para.text = para.text[:start] + para.text[end:]
    for m in para.markers:
        if m.offset > start:
            m.offset -= width
    page = next((m.page for m in reversed(para.markers) if m.offset <= start), para.page)
    para.markers.append(Marker(number=number, label=label, page=page, paragraph=para.index, offset=start))
