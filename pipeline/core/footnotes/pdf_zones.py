"""The notes zone of a PDF page: where the notes of a column run start, and by which evidence.

Evidence for the notes zone of a page or column (from ``layout``): a separator rule starting at
the column's left edge with nothing but note text below it, smaller font than the body, a place
at the bottom of the column, and lines that start with the next expected note number. What
earlier pages showed (ruled notes or not, the notes' font size, where their zones start) decides
the doubtful cases. A line heading a box of its own ("About the author") never opens notes.
Endnotes are the lines after a "Notes"/"Endnotes" heading (or "References"/"Links" when the
document has no footnotes): the headings are found here too.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.core.footnotes.cues import url_goes_on
from pipeline.core.footnotes.markers import SYMBOL_LABEL, parse_label_alone, parse_note_label
from pipeline.core.models import MARGIN_BAND, Line, PageLayout, ParsedDocument, Rule
from pipeline.core.text.urls import URL_START

#: Lines at most this share of the body size count as "small" (notes, captions).
SMALL = 0.92
_HEADING_NUMBER = r"^\s*(?:\d{1,2}\.?\s+|[IVX]{1,4}\.\s+)?"
_NOTES_WORDS = (
    r"end\s*notes|notes|footnotes|notes\s+and\s+(?:references|sources)|(?:references|sources)\s+and\s+notes"
)
_ENDNOTES_HEADING = re.compile(
    _HEADING_NUMBER + rf"(?:{_NOTES_WORDS}|references|citations|links|sources|works\s+cited)\s*:?\s*$", re.I
)
# Headings that open endnotes in any document; the others only where no footnotes came first
# (a paper with footnotes and a numbered "References" list has a bibliography, not endnotes).
STRONG_NOTES_HEADING = re.compile(_HEADING_NUMBER + rf"(?:{_NOTES_WORDS})\s*:?\s*$", re.I)
AFTER_NOTES_HEADING = re.compile(
    r"^\s*(?:about the authors?|bibliography|appendix\b|acknowledg(?:e)?ments?)", re.I
)
CAPTION = re.compile(
    r"^\s*(?:(?:figure|fig\.|table|chart|exhibit|map|graph|plate)\s+[\dIVX]+[A-Za-z]?\s*[.:\u2013\u2014-]"
    r"|sources?\s*:)",
    re.I,
)


@dataclass
class Zone:
    """Lines of one column run of a page, split into body, notes and other matter."""

    page: int
    column: int
    body: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    other: list[Line] = field(default_factory=list)  # a bibliography after a "References" heading


@dataclass
class NoteState:
    """What earlier pages said about the notes, for deciding the next zone."""

    found: bool = False  # a numbered note has been seen, so notes may continue
    next_number: int = 1  # the note number expected next
    ruled: int = 0  # notes zones found under a separator rule
    unruled: int = 0  # notes zones found by small print and labels alone
    sizes: list[float] = field(default_factory=list)  # font sizes of note lines so far
    tops: dict[int, list[float]] = field(default_factory=dict)  # page -> tops of its notes zones
    numbers: set[int] = field(default_factory=set)  # note labels read so far

    def missing(self) -> set[int]:
        """Note numbers below the one expected next that no label has taken (skipped notes)."""
        return set(range(1, self.next_number)) - self.numbers

    def note_size(self) -> float:
        """The usual font size of the note lines so far (0 before any)."""
        return statistics.median(self.sizes) if self.sizes else 0.0

    def expects(self, line: Line) -> bool:
        """Does the line start with a label the notes could go on with?"""
        label = parse_note_label(line, self.next_number)
        if label is None:
            return bool(SYMBOL_LABEL.match(line.text))
        return self.next_number <= label.number <= self.next_number + 3 or (
            self.next_number == 1 and label.number <= 3
        )

    def read(self, lines: Sequence[Line]) -> None:
        """Take in a zone's note lines: their labels move the expected number on."""
        self.sizes += [ln.size for ln in lines]
        for ln in lines:
            label = parse_note_label(ln, self.next_number) or parse_label_alone(ln)
            if label is not None and self.next_number <= label.number <= self.next_number + 3:
                self.next_number = label.number + 1
                self.numbers.add(label.number)
                self.found = True


def column_runs(page: PageLayout) -> list[tuple[int, list[Line]]]:
    """Consecutive lines of one column, in reading order.

    A page with two columns under a full-width title gives [title + left column], [right]; a
    full-width block after the columns (notes spanning both) is a run of its own.
    """
    out: list[tuple[int, list[Line]]] = []
    for ln in page.lines:
        if out and out[-1][0] == ln.column:
            out[-1][1].append(ln)
        else:
            out.append((ln.column, [ln]))
    return out


def is_small(line: Line, body_size: float) -> bool:
    """Is the line set in small print (notes, captions)?"""
    return body_size > 0 and line.size <= SMALL * body_size


def _is_notes_zone(zone: list[Line], short: bool, share: float, body_size: float, state: NoteState) -> bool:
    """Do the lines below a rule read as notes?"""
    if body_size and any(ln.size > 1.05 * body_size for ln in zone):
        return False  # a heading or title below the rule: the page goes on
    if heads_a_box(zone[0]):
        return False  # an author box or colophon under its own rule, not notes
    chars = sum(len(ln.text) for ln in zone) or 1
    small = sum(len(ln.text) for ln in zone if is_small(ln, body_size)) >= 0.8 * chars
    starts = state.expects(zone[0])
    labelled = starts or any(state.expects(ln) for ln in zone)
    if small:
        return labelled or state.found
    # Notes set as large as the body (court opinions): a short rule, and the zone holds the
    # next note label or continues the notes of the previous page in the lower column.
    return short and (labelled or (state.found and share <= 0.6))


def _separator_cut(
    lines: list[Line], rules: Sequence[Rule], body_size: float, state: NoteState
) -> int | None:
    """Index of the first line below the lowest rule that separates notes from the body."""
    x0 = min(ln.x0 for ln in lines)
    x1 = max(ln.x1 for ln in lines)
    width = max(1.0, x1 - x0)
    em = statistics.median(ln.size for ln in lines) or 10.0
    margin = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]  # where most lines start
    best: int | None = None
    for rule in rules:
        if rule.x1 < x0 or rule.x0 > x1:
            continue  # another column's rule
        if min(abs(rule.x0 - x0), abs(rule.x0 - margin)) > 1.5 * em or rule.x1 > x1 + em:
            continue  # separators start at the column's left edge and stay inside the column
        if _underlines(rule, lines):
            continue  # an underline or strike-through, not a rule between blocks
        below = next((i for i, ln in enumerate(lines) if ln.top >= rule.top), None)
        if below is None or lines[below].top - rule.top > 3 * max(lines[below].size, em, 1.0):
            continue  # a separator sits right above the notes (within three body lines)
        zone = lines[below:]
        if any(_same_grid(rule, o, zone[-1].bottom + em) and not _underlines(o, lines) for o in rules):
            continue  # rules of its width between or under the lines below: a table's grid
        short = rule.x1 - rule.x0 <= 0.6 * width
        if _is_notes_zone(zone, short, len(zone) / len(lines), body_size, state):
            best = below
    return best


def _same_grid(rule: Rule, other: Rule, bottom: float) -> bool:
    """Is ``other`` another row rule of the table ``rule`` belongs to (same span, lower down)?"""
    same_span = abs(other.x0 - rule.x0) < 2 and abs(other.x1 - rule.x1) < 2
    return other is not rule and same_span and rule.top < other.top < bottom


def _underlines(rule: Rule, lines: Sequence[Line]) -> bool:
    """Is the rule drawn across a line's text (an underline or strike-through)?"""
    return any(ln.top - 1 < rule.top < ln.bottom + 1 and ln.x0 < rule.x1 and ln.x1 > rule.x0 for ln in lines)


def _small_tail(lines: list[Line], body_size: float) -> int:
    """Start of the run of small lines that closes the column, without a wide gap inside it."""
    start = len(lines)
    while start > 0 and is_small(lines[start - 1], body_size):
        if start < len(lines) and lines[start].top - lines[start - 1].bottom > 2.0 * lines[start].size:
            break  # a caption or box above the notes, set apart by white space
        start -= 1
    return start


def footnote_zone(
    lines: list[Line],
    rules: Sequence[Rule],
    body_size: float,
    state: NoteState | None = None,
    page: PageLayout | None = None,
) -> tuple[int, str]:
    """Where the notes start in a column run, and by which evidence.

    Returns ``(index, how)``: ``how`` is "rule" (under a separator), "small" (small print
    with note labels), "continued" (a note running on from the previous column or page) or
    "" with ``index == len(lines)`` when the run has no notes. Notes close their column: a
    candidate zone with more text below it on the page (a table or figure in small print
    mid-column) is not a notes zone.
    """
    state = state or NoteState()
    n = len(lines)
    if not n or (page is not None and _text_below(page, lines)):
        return n, ""
    cut = _separator_cut(lines, rules, body_size, state)
    if cut is not None:
        return cut, "rule"
    start = _small_tail(lines, body_size)
    if start == n:
        return n, ""
    if heads_a_box(lines[start]):
        return n, ""
    return _unruled_zone(lines, start, state, page)


def _unruled_zone(
    lines: list[Line], start: int, state: NoteState, page: PageLayout | None
) -> tuple[int, str]:
    """Small print closing the column without a rule: notes with labels, a note continued, or none."""
    n = len(lines)
    zone = lines[start:]
    # Where the document rules its notes off, small print without a rule is a table, a quote
    # or a box - unless it sits level with another column's notes on the same page (notes set
    # in two sub-columns under one rule).
    ruled = state.ruled > state.unruled
    level = page is not None and any(abs(zone[0].top - top) <= 2.0 for top in state.tops.get(page.number, []))
    if any(state.expects(ln) for ln in zone):
        return (start, "small") if level or not ruled else (n, "")
    # No label: a note continued from the previous column or page, in the notes' own font size
    # and set as running text (full lines), not as table cells or a caption.
    if state.found and not CAPTION.match(zone[0].text):
        size = state.note_size()
        same_size = size > 0 and all(abs(ln.size - size) <= 0.3 for ln in zone)
        running = _runs_as_text(zone, lines)
        if running and (level or (same_size and not ruled)):
            return start, "continued"
    return n, ""


def _runs_as_text(zone: list[Line], lines: list[Line]) -> bool:
    """Are the zone's lines set as running text (most of them end for lack of room)?"""
    x0, x1 = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    full = [_ends_for_lack_of_room(a, b, x0, x1) for a, b in itertools.pairwise(zone)]
    return not full or sum(full) >= 0.7 * len(full)


def _ends_for_lack_of_room(line: Line, nxt: Line, x0: float, x1: float) -> bool:
    """Does the line end where running text would, for want of room?

    A line of running text is full, or the next line's first word would not have fitted after
    it, or it breaks inside a URL (typesetters cut URLs only at a slash or a hyphen, so such
    lines are often short). Table cells and captions break lines where there was room.
    """
    if line.x1 - line.x0 >= 0.8 * (x1 - x0):
        return True
    words = nxt.text.split()
    if not words:
        return False
    char = (nxt.x1 - nxt.x0) / max(1, len(nxt.text))
    return line.x1 + (len(words[0]) + 1) * char > x1 or url_goes_on(line.text, nxt.text)


def _text_below(page: PageLayout, lines: list[Line]) -> bool:
    """Is there more text under this run on its page (page numbers and footers aside)?

    Footers that were not recognised as running lines (a one-page document's copyright line)
    sit in the bottom margin band; they do not count.
    """
    x0, x1 = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    bottom = lines[-1].bottom
    footer = page.height * (1 - MARGIN_BAND) if page.height else float("inf")
    return any(
        bottom < ln.top < footer and ln.x0 < x1 and ln.x1 > x0 and len(ln.text.split()) > 3
        for ln in page.lines
    )


def heads_a_box(line: Line) -> bool:
    """Does this line head a block of its own ("About the author", "Contact us")?

    Notes never open with such a heading: a notes zone starts with a label or goes on with the
    text of a note. A short bold line that starts with a capital and has no label or final
    punctuation is a heading; so is a short line naming the matter that follows notes (author,
    acknowledgements, appendix). A note's last line goes on in lower case or ends like text.
    """
    text = line.text.strip()
    if not text[:1].isupper() or parse_note_label(line) is not None or URL_START.search(text):
        return False  # a heading prints no URL: "YouTube (Jan. 2015), https://..." goes on a note
    short = len(text.split()) <= 8 and not text.endswith((".", ",", ";"))
    return short and (line.bold or bool(AFTER_NOTES_HEADING.match(text)))


def is_heading_like(line: Line, body_size: float) -> bool:
    """Might the line be a heading: bold, large, in capitals, or short?"""
    return line.bold or line.size >= 1.05 * body_size or line.text.strip().isupper() or len(line.text) < 20


def is_set_apart(line: Line, body_size: float) -> bool:
    """Set as a heading by its type, not merely short."""
    return line.bold or line.size >= 1.05 * body_size or line.text.strip().isupper()


def notes_headings(doc: ParsedDocument, body_size: float) -> dict[int, bool]:
    """Lines that head a list of notes: id -> whether a numbered list follows (in 2 lines).

    A "Notes" or "Sources" cell in a table is short and may even be bold; what makes it a
    heading of endnotes is a first label (1 to 3) right after it.
    """
    flat = [ln for page in doc.layout for ln in page.lines]
    out: dict[int, bool] = {}
    for i, ln in enumerate(flat):
        if _ENDNOTES_HEADING.match(ln.text) and is_heading_like(ln, body_size):
            after = (parse_note_label(x) for x in flat[i + 1 : i + 3])
            out[id(ln)] = any(label is not None and label.number <= 3 for label in after)
    return out
