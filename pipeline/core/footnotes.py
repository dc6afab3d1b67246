"""Footnotes: split a laid-out document into body paragraphs and notes, and link the markers.

Evidence for the notes zone of a page or column (from ``layout``): a separator rule starting at
the column's left edge with nothing but note text below it, smaller font than the body, a place
at the bottom of the column, and lines that start with the next expected note number. Endnotes
are the lines after a "Notes"/"Endnotes" heading (or "References"/"Links" when the document has
no footnotes). Note numbers are read in sequence, so a year or a volume number at the start of a
continuation line is not taken for a new note. Author notes marked ``*``/``†`` are not numbered
notes; they are kept as ``other`` paragraphs.
"""

from __future__ import annotations

import heapq
import html
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.core.models import (
    MARGIN_BAND,
    Line,
    Marker,
    Note,
    NoteSplit,
    PageLayout,
    Paragraph,
    ParagraphKind,
    ParsedDocument,
    Rule,
    SequenceIssue,
    Span,
    UrlRef,
)
from pipeline.core.text.linejoin import (
    LinePiece,
    hyphen_is_real,
    hyphens_added_evidence,
    join_lines,
    joins_hyphenated_word,
    joins_without_space,
)
from pipeline.core.text.urls import find_urls, with_scheme
from pipeline.core.text.words import word_score

#: Lines at most this share of the body size count as "small" (notes, captions).
SMALL = 0.92
_HEADING_NUMBER = r"^\s*(?:\d{1,2}\.?\s+|[IVX]{1,4}\.\s+)?"
_NOTES_WORDS = (
    r"end\s*notes|notes|footnotes|notes\s+and\s+(?:references|sources)|(?:references|sources)\s+and\s+notes"
)
_ENDNOTES_HEADING = re.compile(
    _HEADING_NUMBER + rf"(?:{_NOTES_WORDS}|references|links|sources|works\s+cited)\s*:?\s*$", re.I
)
# Headings that open endnotes in any document; the others only where no footnotes came first
# (a paper with footnotes and a numbered "References" list has a bibliography, not endnotes).
_STRONG_NOTES_HEADING = re.compile(_HEADING_NUMBER + rf"(?:{_NOTES_WORDS})\s*:?\s*$", re.I)
_AFTER_NOTES_HEADING = re.compile(
    r"^\s*(?:about the authors?|bibliography|appendix\b|acknowledg(?:e)?ments?)", re.I
)
_NOTE_LABEL = re.compile(
    r"^\s*(?:\[(?P<bracket>\d{1,4})\]\s*|\((?P<paren>\d{1,4})\)\s*|(?P<dot>\d{1,4})[.)](?:\s+|(?=[A-Z\"\u201c]))"
    r"|(?P<plain>\d{1,4})(?:\s+|(?=[A-Z\"\u201c\u2018])))"
)
_SYMBOL_LABEL = re.compile(r"^\s*[*\u2020\u2021]{1,3}\s*(?=\S)")
_MARKER_TEXT = re.compile(r"^\d{1,4}(?:\s*[,\u2013\u2014-]\s*\d{1,4}|\s+\d{1,4})*$")
_BRACKET_MARKER = re.compile(r"\[(\d{1,3})\]")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4}")
_SUPERSCRIPT_MARKER = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:\s?[,\u2013-]\s?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SENTENCE_END = re.compile(r"[.!?:][\"'\u201d\u2019)]*$")
_CAPTION = re.compile(
    r"^\s*(?:(?:figure|fig\.|table|chart|exhibit|map|graph|plate)\s+[\dIVX]+[A-Za-z]?\s*[.:\u2013\u2014-]"
    r"|sources?\s*:)",
    re.I,
)


def split_notes(doc: ParsedDocument) -> NoteSplit:
    """Body paragraphs with their markers, the notes, and numbering problems."""
    if doc.kind == "txt":
        paragraphs, notes = _split_text(doc)
    else:
        paragraphs, notes = _split_pdf(doc)
    issues = link_markers(paragraphs, notes)
    return NoteSplit(
        doc_id=doc.doc_id,
        sha256=doc.sha256,
        title=doc.title,
        paragraphs=paragraphs,
        notes=notes,
        issues=issues,
    )


#: A parse is unusable when more than this share of markers (and at least 3) have no note.
MAX_ORPHAN_MARKER_SHARE = 0.2


def quality_problems(split: NoteSplit) -> list[str]:
    """Why this split should not feed later steps (empty when it is fine).

    The rule: body markers must have notes. More than 20% orphan markers (and at least 3), or
    5+ markers with no notes found at all, mean the notes zone or the markers were misread.
    Notes without a marker are normal in real articles and are not a problem here.
    """
    markers = split.markers
    orphans = [i for i in split.issues if i.kind == "marker_without_note"]
    if len(markers) >= 5 and not split.notes:
        return [f"{len(markers)} markers but no notes were found"]
    if len(orphans) >= 3 and len(orphans) > MAX_ORPHAN_MARKER_SHARE * len(markers):
        return [f"{len(orphans)} of {len(markers)} markers have no note"]
    return []


def parse_marker_label(label: str) -> list[int]:
    """``"5,6"`` -> [5, 6]; ``"7–9"`` -> [7, 8, 9]; ``"35 36"`` -> [35, 36]; anything else -> []."""
    label = label.translate(_SUPERSCRIPT_DIGITS).strip().strip(",")
    if not _MARKER_TEXT.match(label):
        return []
    label = re.sub(r"\s*([,\u2013\u2014-])\s*", r"\1", label)
    numbers: list[int] = []
    for part in re.split(r",|\s+", label):
        bounds = re.split(r"\s*[\u2013\u2014-]\s*", part)
        if len(bounds) == 2 and bounds[0] and bounds[1]:
            a, b = int(bounds[0]), int(bounds[1])
            numbers.extend(range(a, b + 1) if 0 < b - a <= 20 else [a, b])
        elif bounds[0]:
            numbers.append(int(bounds[0]))
    return numbers


def link_markers(paragraphs: Sequence[Paragraph], notes: list[Note]) -> list[SequenceIssue]:
    """Set ``Note.has_marker`` and report markers without notes, orphan notes, gaps, duplicates."""
    issues: list[SequenceIssue] = []
    by_number: dict[int, Note] = {}
    for note in notes:
        if note.number in by_number:
            issues.append(
                SequenceIssue(
                    kind="duplicate_note",
                    number=note.number,
                    detail=f"note {note.number} appears more than once",
                )
            )
            continue
        by_number[note.number] = note
    seen: Counter[int] = Counter()
    for para in paragraphs:
        for m in para.markers:
            seen[m.number] += 1
            note = by_number.get(m.number)
            if note is None:
                issues.append(
                    SequenceIssue(
                        kind="marker_without_note",
                        number=m.number,
                        detail=f"marker {m.label!r} on page {m.page} has no note",
                    )
                )
            else:
                note.has_marker = True
    for number, count in sorted(seen.items()):
        if count > 1:
            issues.append(
                SequenceIssue(
                    kind="duplicate_marker",
                    number=number,
                    detail=f"marker {number} appears {count} times in the body",
                )
            )
    for note in notes:
        if not note.has_marker:
            issues.append(
                SequenceIssue(
                    kind="note_without_marker",
                    number=note.number,
                    detail=f"note {note.number} (page {note.page}) has no marker",
                )
            )
    numbers = sorted(by_number)
    for a, b in itertools.pairwise(numbers):
        if b - a > 1:
            missing = f"{a + 1}" if b - a == 2 else f"{a + 1}-{b - 1}"
            issues.append(SequenceIssue(kind="gap", number=a + 1, detail=f"notes {missing} are missing"))
    return issues


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


@dataclass
class _Zone:
    """Lines of one column run of a page, split into body, notes and other matter."""

    page: int
    column: int
    body: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    other: list[Line] = field(default_factory=list)  # a bibliography after a "References" heading


@dataclass
class _NoteState:
    """What earlier pages said about the notes, for deciding the next zone."""

    found: bool = False  # a numbered note has been seen, so notes may continue
    next_number: int = 1  # the note number expected next
    ruled: int = 0  # notes zones found under a separator rule
    unruled: int = 0  # notes zones found by small print and labels alone
    sizes: list[float] = field(default_factory=list)  # font sizes of note lines so far
    tops: dict[int, list[float]] = field(default_factory=dict)  # page -> tops of its notes zones

    def note_size(self) -> float:
        return statistics.median(self.sizes) if self.sizes else 0.0

    def expects(self, line: Line) -> bool:
        """Does the line start with a label the notes could go on with?"""
        label = parse_note_label(line, self.next_number)
        if label is None:
            return bool(_SYMBOL_LABEL.match(line.text))
        return self.next_number <= label.number <= self.next_number + 3 or (
            self.next_number == 1 and label.number <= 3
        )

    def read(self, lines: Sequence[Line]) -> None:
        """Take in a zone's note lines: their labels move the expected number on."""
        self.sizes += [ln.size for ln in lines]
        for ln in lines:
            label = parse_note_label(ln, self.next_number)
            if label is not None and self.next_number <= label.number <= self.next_number + 3:
                self.next_number = label.number + 1
                self.found = True


@dataclass
class NoteLabel:
    """A note label: its number, how it is set, and where the note text after it starts."""

    number: int
    style: str  # "sup", "dot", "bracket", "paren" or "plain"
    end: int  # where the note text starts


@dataclass
class _Group:
    """The lines of one note, or of one unnumbered block (``number`` None) in the notes area."""

    number: int | None
    label: str
    page: int
    lines: list[tuple[_Zone, Line]] = field(default_factory=list)
    head: Line | None = None  # the first line as printed, label included


def _runs(page: PageLayout) -> list[tuple[int, list[Line]]]:
    """Consecutive lines of one column, in reading order.

    A page with two columns under a full-width title gives [title + left column], [right]; a
    full-width block after the columns (notes spanning both) is a run of its own.
    """
    runs: list[tuple[int, list[Line]]] = []
    for ln in page.lines:
        if runs and runs[-1][0] == ln.column:
            runs[-1][1].append(ln)
        else:
            runs.append((ln.column, [ln]))
    return runs


def _is_small(line: Line, body_size: float) -> bool:
    return body_size > 0 and line.size <= SMALL * body_size


def parse_note_label(line: Line, expected: int | None = None) -> NoteLabel | None:
    """The note number a line starts with, if it starts like a note.

    A label followed by another number ("3. 9 Byrd on Rome", "24. 1964 Ga. Laws") counts only
    when it is delimited (superscript, period, brackets) and is the expected next number.
    """
    text = line.text
    glyphs = _SUPERSCRIPT_RUN.match(text)
    if glyphs and len(text) > glyphs.end():  # "¹ Source": superscript digits set as characters
        end = glyphs.end() + len(text[glyphs.end() :]) - len(text[glyphs.end() :].lstrip())
        return NoteLabel(int(glyphs.group(0).translate(_SUPERSCRIPT_DIGITS)), "sup", end)
    sup = line.superscripts[0] if line.superscripts else None
    if sup is not None and sup.start == 0:
        numbers = parse_marker_label(text[sup.start : sup.end])
        if len(numbers) == 1:
            end = sup.end
            while end < len(text) and text[end] == " ":
                end += 1
            if end < len(text):
                return NoteLabel(numbers[0], "sup", end)
    m = _NOTE_LABEL.match(text)
    if not m:
        return None
    style = next(k for k, v in m.groupdict().items() if v)
    number = int(m.group(style))
    rest = text[m.end() :]
    if not rest.strip():
        return None
    if rest[:1].isdigit():
        if style == "plain" or number != expected:
            return None
    elif style == "plain" and rest[:1].islower():
        return None  # "1990 was the year": a number in running text, not a bare label
    elif not (rest[:1].isalpha() or rest[:1] in "\"\u201c'\u2018(*" or not rest[:1].isdigit()):
        return None
    return NoteLabel(number, style, m.end())


def _is_notes_zone(zone: list[Line], short: bool, share: float, body_size: float, state: _NoteState) -> bool:
    """Do the lines below a rule read as notes?"""
    if body_size and any(ln.size > 1.05 * body_size for ln in zone):
        return False  # a heading or title below the rule: the page goes on
    if heads_a_box(zone[0]):
        return False  # an author box or colophon under its own rule, not notes
    chars = sum(len(ln.text) for ln in zone) or 1
    small = sum(len(ln.text) for ln in zone if _is_small(ln, body_size)) >= 0.8 * chars
    starts = state.expects(zone[0])
    labelled = starts or any(state.expects(ln) for ln in zone)
    if small:
        return labelled or state.found
    # Notes set as large as the body (court opinions): a short rule, and the zone holds the
    # next note label or continues the notes of the previous page in the lower column.
    return short and (labelled or (state.found and share <= 0.6))


def _separator_cut(
    lines: list[Line], rules: Sequence[Rule], body_size: float, state: _NoteState
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
        if any(ln.top - 1 < rule.top < ln.bottom + 1 and ln.x0 < rule.x1 and ln.x1 > rule.x0 for ln in lines):
            continue  # an underline or strike-through, not a rule between blocks
        below = next((i for i, ln in enumerate(lines) if ln.top >= rule.top), None)
        if below is None or lines[below].top - rule.top > 3 * max(lines[below].size, 1.0):
            continue  # a separator sits right above the notes
        zone = lines[below:]
        short = rule.x1 - rule.x0 <= 0.6 * width
        if _is_notes_zone(zone, short, len(zone) / len(lines), body_size, state):
            best = below
    return best


def _small_tail(lines: list[Line], body_size: float) -> int:
    """Start of the run of small lines that closes the column, without a wide gap inside it."""
    start = len(lines)
    while start > 0 and _is_small(lines[start - 1], body_size):
        if start < len(lines) and lines[start].top - lines[start - 1].bottom > 2.0 * lines[start].size:
            break  # a caption or box above the notes, set apart by white space
        start -= 1
    return start


def _footnote_zone(
    lines: list[Line],
    rules: Sequence[Rule],
    body_size: float,
    state: _NoteState | None = None,
    page: PageLayout | None = None,
) -> tuple[int, str]:
    """Where the notes start in a column run, and by which evidence.

    Returns ``(index, how)``: ``how`` is "rule" (under a separator), "small" (small print
    with note labels), "continued" (a note running on from the previous column or page) or
    "" with ``index == len(lines)`` when the run has no notes. Notes close their column: a
    candidate zone with more text below it on the page (a table or figure in small print
    mid-column) is not a notes zone.
    """
    state = state or _NoteState()
    n = len(lines)
    if not n or (page is not None and _text_below(page, lines)):
        return n, ""
    cut = _separator_cut(lines, rules, body_size, state)
    if cut is not None:
        return cut, "rule"
    start = _small_tail(lines, body_size)
    if start == n:
        return n, ""
    zone = lines[start:]
    if heads_a_box(zone[0]):
        return n, ""
    # Where the document rules its notes off, small print without a rule is a table, a quote
    # or a box - unless it sits level with another column's notes on the same page (notes set
    # in two sub-columns under one rule).
    ruled = state.ruled > state.unruled
    level = page is not None and any(abs(zone[0].top - top) <= 2.0 for top in state.tops.get(page.number, []))
    if any(state.expects(ln) for ln in zone):
        return (start, "small") if level or not ruled else (n, "")
    # No label: a note continued from the previous column or page, in the notes' own font size
    # and set as running text (full lines), not as table cells or a caption.
    if state.found and not _CAPTION.match(zone[0].text):
        size = state.note_size()
        same_size = size > 0 and all(abs(ln.size - size) <= 0.3 for ln in zone)
        x0, x1 = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
        full = [_ends_for_lack_of_room(a, b, x0, x1) for a, b in itertools.pairwise(zone)]
        running = not full or sum(full) >= 0.7 * len(full)
        if running and (level or (same_size and not ruled)):
            return start, "continued"
    return n, ""


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
    return line.x1 + (len(words[0]) + 1) * char > x1 or _url_goes_on(line.text, nxt.text)


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
    if not text[:1].isupper() or parse_note_label(line) is not None:
        return False
    short = len(text.split()) <= 8 and not text.endswith((".", ",", ";"))
    return short and (line.bold or bool(_AFTER_NOTES_HEADING.match(text)))


def _is_heading_like(line: Line, body_size: float) -> bool:
    return line.bold or line.size >= 1.05 * body_size or line.text.strip().isupper() or len(line.text) < 20


def _is_set_apart(line: Line, body_size: float) -> bool:
    """Set as a heading by its type, not merely short."""
    return line.bold or line.size >= 1.05 * body_size or line.text.strip().isupper()


def _notes_headings(doc: ParsedDocument, body_size: float) -> dict[int, bool]:
    """Lines that head a list of notes: id -> whether a numbered list follows (in 2 lines).

    A "Notes" or "Sources" cell in a table is short and may even be bold; what makes it a
    heading of endnotes is a first label (1 to 3) right after it.
    """
    flat = [ln for page in doc.layout for ln in page.lines]
    out: dict[int, bool] = {}
    for i, ln in enumerate(flat):
        if _ENDNOTES_HEADING.match(ln.text) and _is_heading_like(ln, body_size):
            after = (parse_note_label(x) for x in flat[i + 1 : i + 3])
            out[id(ln)] = any(label is not None and label.number <= 3 for label in after)
    return out


def _split_pdf(doc: ParsedDocument) -> tuple[list[Paragraph], list[Note]]:
    body_size = doc.body_size
    zones: list[_Zone] = []
    state = _NoteState()
    headings = _notes_headings(doc, body_size)
    mode = "body"  # "body", "endnotes" (after a notes heading) or "other" (a bibliography)
    list_starts: set[int] = set()  # ids of the first line under each endnotes heading
    opening = False
    for page in doc.layout:
        for column, lines in _runs(page):
            zone = _Zone(page=page.number, column=column)
            zones.append(zone)
            pending: list[Line] = []  # body-mode lines, whose foot may hold footnotes
            for ln in lines:
                heading = _is_heading_like(ln, body_size)
                numbered = headings.get(id(ln))
                # endnotes: a numbered list after a notes heading (after "References" only where
                # there were no footnotes); a bibliography: a references heading set as one
                strong = numbered is not None and bool(_STRONG_NOTES_HEADING.match(ln.text))
                opens = numbered and (strong or not state.found)
                bibliography = (
                    numbered is not None and not opens and not strong and _is_set_apart(ln, body_size)
                )
                if mode == "body" and (opens or bibliography):
                    _flush_body(zone, pending, page, body_size, state)
                    pending = []
                    mode = "endnotes" if opens else "other"
                    opening = bool(opens)
                    zone.body.append(ln)
                elif mode != "body" and heading and _AFTER_NOTES_HEADING.match(ln.text):
                    mode = "body"
                    pending.append(ln)
                elif mode == "endnotes":
                    if opening:
                        list_starts.add(id(ln))
                        opening = False
                    zone.notes.append(ln)
                elif mode == "other":
                    zone.other.append(ln)
                else:
                    pending.append(ln)
            _flush_body(zone, pending, page, body_size, state)
            if zone.notes:
                state.read(zone.notes)
                state.tops.setdefault(page.number, []).append(zone.notes[0].top)
    groups = _group_note_lines([(z, ln) for z in zones for ln in z.notes], list_starts)
    notes = _build_notes(groups, zones)
    bracketed = bool(notes) and sum(n.label.startswith("[") for n in notes) > len(notes) / 2
    paragraphs = _paragraphs(zones, body_size, doc.title, bracket_markers=bracketed)
    for group in (g for g in groups if g.number is None):
        _append_other(paragraphs, group.page, [ln for _, ln in group.lines])
    for zone in zones:
        if zone.other:
            _append_other(paragraphs, zone.page, zone.other)
    return paragraphs, notes


def _flush_body(
    zone: _Zone, lines: list[Line], page: PageLayout, body_size: float, state: _NoteState
) -> None:
    if not lines:
        return
    cut, how = _footnote_zone(lines, page.rules, body_size, state, page)
    zone.body += lines[:cut]
    zone.notes += lines[cut:]
    state.ruled += how == "rule"
    state.unruled += how == "small"


def _append_other(paragraphs: list[Paragraph], page: int, lines: list[Line]) -> None:
    text = join_lines([LinePiece(text=ln.text) for ln in lines]).text
    if text:
        paragraphs.append(Paragraph(index=len(paragraphs), page=page, kind=ParagraphKind.OTHER, text=text))


def _group_note_lines(
    note_lines: list[tuple[_Zone, Line]], list_starts: set[int] | frozenset[int] = frozenset()
) -> list[_Group]:
    """Group note lines into notes by their labels, read in sequence.

    Lines before the first note (author notes on a title page) and symbol-marked notes become
    unnumbered groups; a line far below the previous one in its zone without a label, or a
    heading of its own ("About the author"), is not a continuation (a stray footer or box).
    ``list_starts`` are the first lines under endnotes headings: the numbering may start
    again there, whatever small print was read as notes before.
    """
    groups: list[_Group] = []
    expected = 1
    styles: Counter[str] = Counter()
    zone_left: dict[int, float] = {}
    for z, ln in note_lines:
        zone_left[id(z)] = min(zone_left.get(id(z), ln.x0), ln.x0)
    current: _Group | None = None
    prev: tuple[_Zone, Line] | None = None
    for z, ln in note_lines:
        at_left = ln.x0 <= zone_left[id(z)] + 4 * max(ln.size, 1.0)  # first-line indents reach 0.5in
        opens_list = id(ln) in list_starts
        label = parse_note_label(ln, expected) if at_left else None
        if label is None and at_left and opens_list:
            label = parse_note_label(ln, 1)  # "1. 9 Annals ..." under the heading
        if label is not None:
            in_step = label.number == expected
            skip = expected < label.number <= expected + 3 and (not styles or label.style in styles)
            first = (not styles or opens_list) and label.number <= 3
            if in_step or skip or first:
                if opens_list and label.number < expected:
                    _drop_stray_numbers(groups)
                    styles.clear()
                stripped = _shift(ln.model_copy(update={"text": ln.text[label.end :]}), -label.end)
                current = _Group(label.number, ln.text[: label.end].strip(), z.page, [(z, stripped)], ln)
                groups.append(current)
                styles[label.style] += 1
                expected = label.number + 1
                prev = (z, ln)
                continue
        far = (
            prev is not None
            and prev[0] is z
            and ln.top - prev[1].bottom > 2.5 * max(ln.size, 1.0)
            and not _SYMBOL_LABEL.match(ln.text)
        )
        box = at_left and heads_a_box(ln)
        if (at_left and _SYMBOL_LABEL.match(ln.text)) or current is None or far or box:
            current = _Group(None, "", z.page, [(z, ln)])
            groups.append(current)
        else:
            current.lines.append((z, ln))
        prev = (z, ln)
    return groups


def _drop_stray_numbers(groups: list[_Group]) -> None:
    """The notes restart at 1 under a heading: numbers read before it that did not start at 1
    themselves came from small print that only looked like notes (a box, a table); they become
    unnumbered groups, kept as printed. Footnotes that ran from 1 stay notes."""
    numbered = [g for g in groups if g.number is not None]
    if not numbered or numbered[0].number == 1:
        return
    for g in numbered:
        g.number, g.label = None, ""
        if g.head is not None:
            g.lines[0] = (g.lines[0][0], g.head)


def _build_notes(groups: list[_Group], zones: list[_Zone]) -> list[Note]:
    """Join each numbered group's lines into a note, repairing words and URLs."""
    right: dict[int, float] = {id(z): max((ln.x1 for ln in z.notes), default=0.0) for z in zones}
    left: dict[int, float] = {id(z): min((ln.x0 for ln in z.notes), default=0.0) for z in zones}

    def pieces(group: _Group) -> list[LinePiece]:
        out = []
        for z, ln in group.lines:
            edge = right[id(z)]
            out.append(
                LinePiece(
                    text=ln.text,
                    full=ln.x1 >= edge - 0.04 * max(1.0, edge - left[id(z)]),
                    links=ln.links,
                    italics=ln.italics,
                )
            )
        return out

    numbered = [g for g in groups if g.number is not None]
    joined = [join_lines(pieces(g)) for g in numbered]
    # One typesetter set every note: how it broke some URLs decides the hyphens in the others.
    evidence = hyphens_added_evidence(joined)
    if evidence is not None:
        joined = [
            join_lines(pieces(g), hyphens_added=evidence) if any(b.hyphen for b in j.breaks) else j
            for g, j in zip(numbered, joined, strict=True)
        ]
    notes = []
    for group, text in zip(numbered, joined, strict=True):
        if not text.text or group.number is None:
            continue
        notes.append(
            Note(
                number=group.number,
                label=group.label,
                text=text.text,
                page=group.page,
                urls=text.urls,
                italics=text.italics,
            )
        )
    return notes


def _shift(line: Line, delta: int) -> Line:
    def move(spans: Sequence) -> list:
        out = []
        for s in spans:
            start, end = s.start + delta, s.end + delta
            if end <= 0:
                continue
            out.append(s.model_copy(update={"start": max(0, start), "end": end}))
        return out

    return line.model_copy(
        update={
            "superscripts": move(line.superscripts),
            "italics": move(line.italics),
            "links": move(line.links),
        }
    )


# --- body paragraphs ---------------------------------------------------------------------------


def _paragraphs(
    zones: list[_Zone], body_size: float, title: str | None, *, bracket_markers: bool = False
) -> list[Paragraph]:
    """Group body lines into paragraphs, headings and captions; pull markers out of the text."""
    body = [(z, ln) for z in zones for ln in z.body if ln.text.strip()]
    if not body:
        return []
    pitches = [
        b.top - a.top
        for (za, a), (zb, b) in itertools.pairwise(body)
        if za is zb and 0 < b.top - a.top < 3 * max(a.size, 1)
    ]
    pitch = statistics.median(pitches) if pitches else 1.2 * max(body_size, 1)
    col_edges: dict[int, tuple[float, float]] = {}
    for z, ln in body:
        lo, hi = col_edges.get(id(z), (ln.x0, ln.x1))
        col_edges[id(z)] = (min(lo, ln.x0), max(hi, ln.x1))

    blocks: list[tuple[ParagraphKind, int, list[Line]]] = []
    title_norm = _norm(title or "")
    prev: tuple[_Zone, Line] | None = None
    for z, ln in body:
        kind = _line_kind(ln, body_size, title_norm, z.page)
        if (
            blocks
            and prev is not None
            and blocks[-1][0] == kind
            and not _starts_paragraph(prev, (z, ln), kind, pitch, col_edges)
        ):
            blocks[-1][2].append(ln)
        else:
            blocks.append((kind, z.page, [ln]))
        prev = (z, ln)

    paragraphs: list[Paragraph] = []
    section: str | None = None
    for kind, page, lines in blocks:
        text, markers = _join_body_lines(lines, bracket_markers=bracket_markers)
        if not text:
            continue
        if kind == ParagraphKind.HEADING:
            section = text
        para = Paragraph(index=len(paragraphs), page=page, kind=kind, section=section, text=text)
        para.markers = [
            Marker(number=n, label=label, page=mpage, paragraph=para.index, offset=offset)
            for n, label, mpage, offset in markers
        ]
        paragraphs.append(para)
    return paragraphs


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _in_title(text: str, title: str) -> bool:
    """Is this line part of the title: its whole words, and more than a single short word?"""
    if not text or not title:
        return False
    inside = f" {text} " in f" {title} "
    return inside and (len(text.split()) >= 2 or text == title)


def _line_kind(line: Line, body_size: float, title_norm: str, page: int) -> ParagraphKind:
    text = line.text.strip()
    if page == 1 and line.size >= 1.2 * body_size and _in_title(_norm(text), title_norm):
        return ParagraphKind.TITLE
    if _is_small(line, body_size) or _CAPTION.match(text):
        return ParagraphKind.CAPTION
    words = len(text.split())
    if (
        words <= 14
        and not _SENTENCE_END.search(text)
        and not line.superscripts
        and (line.size >= 1.1 * body_size or (line.bold and words >= 1))
    ):
        return ParagraphKind.HEADING
    if line.size >= 1.5 * body_size:
        return ParagraphKind.TITLE if page == 1 else ParagraphKind.HEADING
    return ParagraphKind.BODY


def _starts_paragraph(
    prev: tuple[_Zone, Line],
    cur: tuple[_Zone, Line],
    kind: ParagraphKind,
    pitch: float,
    edges: dict[int, tuple[float, float]],
) -> bool:
    (zp, a), (zc, b) = prev, cur
    if kind in (ParagraphKind.HEADING, ParagraphKind.TITLE):
        return b.top - a.bottom > 0.8 * pitch if zp is zc else True
    if kind == ParagraphKind.CAPTION and _CAPTION.match(b.text):
        return True
    lo, _hi = edges[id(zc)]
    plo, phi = edges[id(zp)]
    indent = b.x0 - lo > 0.8 * max(b.size, 1)
    prev_short = a.x1 < phi - 0.1 * (phi - plo)
    prev_ends = bool(_SENTENCE_END.search(a.text.strip())) or bool(
        a.superscripts and a.superscripts[-1].end >= len(a.text.rstrip())
    )
    if zp is zc:
        gap = b.top - a.top
        if gap > 1.45 * pitch:
            return True
        return (indent and prev_ends) or (prev_short and prev_ends)
    # A new column or page: the paragraph goes on unless the last one visibly ended.
    return (prev_short and prev_ends) or (indent and prev_ends)


def _marker_spans(line: Line, bracket_markers: bool) -> list[tuple[int, int, list[int]]]:
    """(start, end, numbers) of the note markers in a body line, in order.

    Raised, smaller digits are markers, and so are superscript digit characters (``³⁴``);
    so are ``[n]`` in documents whose notes are labelled ``[n]`` (web pages printed with a
    link list). Ordinals (``19th``) are not.
    """
    spans = []
    for sup in line.superscripts:
        numbers = parse_marker_label(line.text[sup.start : sup.end])
        if numbers:
            spans.append((sup.start, sup.end, numbers))
    for m in _SUPERSCRIPT_MARKER.finditer(line.text):  # superscript digits set as characters
        numbers = parse_marker_label(m.group(0))
        if numbers and not any(s <= m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), numbers))
    if bracket_markers:
        for m in _BRACKET_MARKER.finditer(line.text):
            if not any(s <= m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), [int(m.group(1))]))
    return sorted(spans)


def _join_body_lines(
    lines: list[Line], *, bracket_markers: bool = False
) -> tuple[str, list[tuple[int, str, int, int]]]:
    """Join lines, dehyphenating words and removing markers; returns text and markers."""
    text = ""
    markers: list[tuple[int, str, int, int]] = []  # number, label, page, offset
    for ln in lines:
        pos = 0
        line_markers: list[tuple[int, str, int]] = []  # number, label, offset-in-clean-line
        clean = ""
        for start, end, numbers in _marker_spans(ln, bracket_markers):
            if start < pos:
                continue
            label = ln.text[start:end]
            clean += ln.text[pos:start]
            line_markers += [(n, label, len(clean.rstrip())) for n in numbers]
            pos = end
        clean += ln.text[pos:]
        clean = re.sub(r" {2,}", " ", clean).strip()
        if not clean and not line_markers:
            continue
        base = len(text)
        if text:
            if re.search(r"[A-Za-z]-$", text) and re.match(r"[a-z]", clean):
                if joins_hyphenated_word(text, clean):
                    text = text[:-1]
                    base = len(text)
            elif not joins_without_space(text, clean):
                text += " "
                base = len(text)
        text += clean
        lead = len(ln.text) - len(ln.text.lstrip())
        for n, label, off in line_markers:
            markers.append((n, label, ln.page, min(len(text), base + max(0, off - lead))))
    return text.strip(), markers


def marker_spans(text: str) -> list[Span]:
    """Unicode superscript digit runs in ``text`` (used by the text-file path)."""
    return [Span(start=m.start(), end=m.end()) for m in re.finditer(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text)]


# ---------------------------------------------------------------------------------------------
# Plain text (extractions such as article-seed.txt)
# ---------------------------------------------------------------------------------------------
#
# A text extraction keeps no layout, so the structure is read from the text itself. Blocks (split
# at blank lines) and their lines are the units. A line that starts with a note label (¹², 12.,
# [12], $^{12}$, or a word such as "Table" standing in for a lost number) starts a note; labels are
# read in sequence, so a year or a count is not a note number. An unlabelled block is a note
# fragment when it reads like a citation (a URL, a quoted title with a date), else body text.
#
# Two-column interleaving puts the continuation of a note before or after it, among other notes.
# A fragment is matched to the note whose end it completes: how the note visibly stops (a hyphen,
# a comma, "Month D," without its year, a URL cut at a hyphen, a sentence left open) against how
# the fragment starts (a lowercase word, a year, a URL, the rest of a URL). A fragment that is a
# complete citation belongs to the note before the next label. URL hyphens are decided from the
# document itself first (the joined spelling printed elsewhere, "Clingendael" for
# "clingen-dael.org"), then from word frequencies; the other spelling stays an alternative.

_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TO_SUP = str.maketrans("0123456789", _SUP)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_SOFT_HYPHEN = "\u00ad"  # marks a hyphen printed at a line end inside a URL (the break is unsure)

# --- extraction debris ---------------------------------------------------------------------------

# TeX wrappers around plain text: $\underline{...}$, \emph{...}
_TEX_WRAPPER = re.compile(r"\$?\\(?:underline|textit|emph|textbf|mathrm|text|url)\{([^{}$]*)\}\$?")
# Superscripts written as TeX ($^{17}$, $^{\rm 17}$, ^{2023,}), HTML or Markdown note references.
_MARKUP_SUP = re.compile(
    r"\$\^\{(.{1,24}?)\}\$|\^\{([^{}\n]{1,12})\}|<sup>([^<]{1,12})</sup>|\[\^(\d{1,4})\]:?", re.I
)
_TEX_ESCAPE = re.compile(r"\\([$%&_#])")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,7});", re.I)


def _normalize_line(text: str) -> str:
    """Undo the markup debris of text extractions: TeX, HTML entities, Markdown note references."""
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text)  # Markdown heading marks
    text = _TEX_WRAPPER.sub(lambda m: m.group(1), text)
    text = _MARKUP_SUP.sub(_superscript_from_markup, text)
    text = _TEX_ESCAPE.sub(r"\1", text)
    text = text.replace("[&]", "&")
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def _superscript_from_markup(m: re.Match) -> str:
    body = next(g for g in m.groups() if g is not None)
    body = re.sub(r"\\[A-Za-z]+|[\\{}^$]", " ", body)
    body = re.sub(r"(?<![A-Za-z])(?:rm|mathrm|textsuperscript)(?![A-Za-z])", " ", body)
    digits = re.fullmatch(r"\s*(\d{1,4})\s*(\S*)\s*", body)
    if digits is None:
        return body.strip()  # 20$^{th}$ -> 20th
    return digits.group(1).translate(_TO_SUP) + digits.group(2)


# --- reading blocks into pieces -------------------------------------------------------------------


@dataclass
class _TextLine:
    page: int
    text: str


@dataclass
class _Piece:
    """A run of text of one kind: a labelled note, an unlabelled note fragment, or body text."""

    kind: str  # "note", "fragment" or "body"
    page: int
    block: int
    parts: list[str] = field(default_factory=list)
    number: int | None = None  # None for a note whose label is a word ("Table") until it is placed
    label: str = ""


@dataclass
class _Labels:
    """Note numbers read so far: a label is plausible only near the sequence."""

    seen: set[int] = field(default_factory=set)
    high: int = 0

    def plausible(self, n: int, *, first_max: int) -> bool:
        if n <= 0 or n in self.seen:
            return False
        if not self.seen:
            return n <= first_max
        return self.high - 15 <= n <= self.high + 10

    def take(self, n: int) -> None:
        self.seen.add(n)
        self.high = max(self.high, n)


@dataclass
class _Label:
    number: int | None
    text: str
    start: int
    end: int


_FROM_SUP = str.maketrans(_SUP, "0123456789")
_START_SUP = re.compile(rf"([{_SUP}]{{1,4}})(?![{_SUP}])\s*(?=\S)")
_START_NUMBER = re.compile(r"(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)]?)\s+(?=[\"“‘'*(]?[A-Z])")
_START_WORD = re.compile(r"(Table|Figure)\s+(?=[\"“‘'*]?[A-Z])")
_MID_SUP = re.compile(rf"(?<=\s)([{_SUP}]{{1,4}})(?![{_SUP}])\s*(?=[\"“‘'*(]?[A-Z])")
_MID_NUMBER = re.compile(r"(?<=\S )(\d{1,3}) (?=[\"“]?[A-Z])")
_URL_START = re.compile(r"(?:https?|ftp)://|www\.", re.I)
_CITE_START = re.compile(
    r"[\"“‘]\S"  # a quoted title
    # authors (one or several, comma-separated), then an opening quote or an italic title
    r"|(?:[A-Z][\w.'’-]*(?:\s+[\w.'’&-]+){0,6}?,\s*){1,4}?(?:(?<=\s)[\"“‘*]|[“‘])\S"
)
_YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
_TITLE_END = re.compile(r"[,.?!][\"”’]\s+(?:\*|[A-Z])")


def _is_url_path(token: str) -> bool:
    """The rest of a URL cut at a line end: ``news.com/articles/...``, ``ports/documents/x.pdf``."""
    return (
        len(token) >= 10
        and bool(re.search(r"[a-z]", token, re.I))
        and (bool(re.match(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/", token, re.I)) or token.count("/") >= 2)
    )


def _is_url_rest(text: str) -> bool:
    """A lone token ending a URL cut at a line end: ``lation-06012022.html``, ``index.php?id=3``."""
    return (
        len(text) >= 4
        and not re.search(r"\s", text)
        and bool(re.search(r"/|\.(?:s?html?|pdf|php|aspx?|jsp|cfm)\b|[?=&#]", text, re.I))
    )


def _reads_like_citation(text: str) -> bool:
    s = text.strip()
    if not s:
        return False
    first = s.split(None, 1)[0]
    if _URL_START.match(s) or _is_url_path(first) or _is_url_rest(s):
        return True
    words = len(s.split())
    urls = find_urls(s)
    if urls:
        share = sum(m.end - m.start for m in urls) / len(s)
        return share >= 0.15 or words <= 60
    if words <= 60 and _CITE_START.match(s) and _YEAR.search(s):
        return True
    # the end of a citation: a title closed by a quote, then a container, and a year
    return words <= 40 and bool(_TITLE_END.search(s)) and bool(_YEAR.search(s))


def _start_label(text: str, logical: str, labels: _Labels, *, trusted: bool, in_note: bool) -> _Label | None:
    """The note label a line starts with, if any.

    ``logical`` is the line with its wrapped continuation lines (up to the next label-like line);
    ``trusted``: the line starts a block or follows a note line; ``in_note``: it follows a note line.
    """
    m = _START_SUP.match(text)
    if m:
        n = int(m.group(1).translate(_FROM_SUP))
        rest = logical[m.end() :]
        if labels.plausible(n, first_max=20) and (trusted or _reads_like_citation(rest)):
            return _Label(n, m.group(1), 0, m.end())
        return None
    m = _START_NUMBER.match(text)
    if m:
        n = int(next(g for g in m.groups() if g))
        next_in_list = in_note and n == labels.high + 1
        if labels.plausible(n, first_max=5) and (next_in_list or _reads_like_citation(logical[m.end() :])):
            return _Label(n, m.group(0).strip(), 0, m.end())
        return None
    m = _START_WORD.match(text)
    if m and (_reads_like_citation(logical[m.end() :]) or _CITE_START.match(text[m.end() :])):
        return _Label(None, m.group(1), 0, m.end())
    return None


def _logical_line(block: list[_TextLine], i: int) -> str:
    """Line ``i`` with the lines that wrap on from it (up to the next line that starts like a note).

    A few lines are enough to see a citation; the cap keeps long wrapped blocks linear.
    """
    out = [block[i].text]
    for line in block[i + 1 : i + 8]:
        if _START_SUP.match(line.text) or _START_NUMBER.match(line.text) or _START_WORD.match(line.text):
            break
        out.append(line.text)
    return " ".join(out)


def _mid_labels(text: str, labels: _Labels, current: int | None) -> list[_Label]:
    """Labels inside a note line (notes run together), read in sequence after ``current``."""
    found = sorted(
        [(m, True) for m in _MID_SUP.finditer(text)] + [(m, False) for m in _MID_NUMBER.finditer(text)],
        key=lambda x: x[0].start(),
    )
    out: list[_Label] = []
    seen = set(labels.seen)
    for m, sup in found:
        n = int(m.group(1).translate(_FROM_SUP))
        if n in seen or (out and m.start() < out[-1].end):
            continue
        before = text[: m.start()].split()[-1:] or [""]
        if not sup and not (_URL_START.search(before[0]) or before[0][-1:] in '.;)]"”/'):
            continue  # a plain number ends a citation only after a URL or a full stop
        last = out[-1].number if out else current
        if last is not None:
            ok = last < n <= last + (3 if sup else 1)
        else:
            ok = labels.plausible(n, first_max=20 if sup else 5) and (sup or n == labels.high + 1)
        if ok:
            out.append(_Label(n, m.group(1), m.start(), m.end()))
            seen.add(n)
    return out


def _split_after_urls(text: str) -> list[str]:
    """Cut a fragment where a URL is followed by text that cannot follow it in one citation.

    In an interleaved extraction the end of one note and the middle of another can share a line:
    ``…/officialgazette Vol. 18, Issue 100, …``. After a URL a citation ends, or a new one starts.
    """
    cuts = []
    for match in find_urls(text):
        end = match.end
        rest = text[end:]
        m = re.match(r"\s+(?=[A-Z])", rest)
        if not m:
            continue
        after = rest[m.end() :]
        if _CITE_START.match(after) or re.match(r"(?:Accessed|Retrieved|Archived|Last|Viewed)\b", after):
            continue
        if "," not in after and not find_urls(after):
            continue  # a run of words, not citation details: the URL's own words (lost underscores)
        cuts.append(end + m.end())
    pieces = []
    prev = 0
    for cut in cuts:
        pieces.append(text[prev:cut].strip())
        prev = cut
    pieces.append(text[prev:].strip())
    return [p for p in pieces if p]


def _read_pieces(blocks: list[list[_TextLine]], labels: _Labels) -> list[_Piece]:
    pieces: list[_Piece] = []
    for b, block in enumerate(blocks):
        current: _Piece | None = None
        for i, line in enumerate(block):
            text = line.text
            in_note = current is not None and current.kind != "body"
            logical = _logical_line(block, i)
            label = _start_label(text, logical, labels, trusted=i == 0 or in_note, in_note=in_note)
            if label is not None:
                if label.number is not None:
                    labels.take(label.number)
                current = _Piece("note", line.page, b, number=label.number, label=label.text)
                pieces.append(current)
                text = text[label.end :]
            elif current is None:
                # a superscript number that is no label is text: "²⁰²³," continues a date
                text = re.sub(rf"^[{_SUP}]+", lambda m: m.group(0).translate(_FROM_SUP), text)
                mids = _mid_labels(text, labels, None)
                head = text[: mids[0].start] if mids else logical
                current = _Piece("fragment" if _reads_like_citation(head) else "body", line.page, b)
                pieces.append(current)
            if current.kind == "body":
                current.parts.append(text)
                continue
            pos = 0
            for mid in _mid_labels(text, labels, current.number):
                _add_note_text(pieces, current, text[pos : mid.start])
                if mid.number is not None:
                    labels.take(mid.number)
                current = _Piece("note", line.page, b, number=mid.number, label=mid.text)
                pieces.append(current)
                pos = mid.end
            current = _add_note_text(pieces, current, text[pos:])
    return pieces


def _add_note_text(pieces: list[_Piece], piece: _Piece, text: str) -> _Piece:
    """Add a line to a note or fragment; a fragment line may hold the ends of two notes."""
    text = text.strip()
    if not text:
        return piece
    segments = _split_after_urls(text) if piece.kind == "fragment" else [text]
    piece.parts.append(segments[0])
    for seg in segments[1:]:
        piece = _Piece("fragment", piece.page, piece.block, parts=[seg])
        pieces.append(piece)
    return piece


def _number_word_labels(pieces: list[_Piece], labels: _Labels) -> None:
    """Give notes labelled by a word ("Table") the missing numbers between their neighbours."""
    for i, piece in enumerate(pieces):
        if piece.kind != "note" or piece.number is not None:
            continue
        before = max((p.number for p in pieces[:i] if p.kind == "note" and p.number), default=0)
        after = min((p.number for p in pieces[i + 1 :] if p.kind == "note" and p.number), default=None)
        free = [n for n in range(before + 1, (after or before + 2)) if n not in labels.seen]
        if free:
            piece.number = free[0]
            labels.take(free[0])
        else:
            piece.kind = "fragment"
            piece.parts[:1] = [f"{piece.label} {piece.parts[0]}" if piece.parts else piece.label]


# --- matching fragments to notes -----------------------------------------------------------------


def _head_kind(text: str) -> str:
    """How a fragment starts: url, urlpath, year, lower, cite or detail."""
    s = text.lstrip()
    if _URL_START.match(s):
        return "url"
    if _is_url_path(s.split(None, 1)[0] if s else "") or _is_url_rest(s):
        return "urlpath"
    if re.match(r"(?:1[6-9]|20)\d\d\b", s):
        return "year"
    if s[:1].islower():
        return "lower"
    if _CITE_START.match(s):
        return "cite"
    return "detail"


def _tail_kind(text: str) -> str:
    """How a note or fragment ends: url_open, hyphen, month, dated, comma, semicolon, open, complete."""
    s = text.rstrip()
    last = s.rsplit(None, 1)[-1] if s else ""
    if _URL_START.search(last) or _is_url_path(last):
        if s.endswith(("-", _SOFT_HYPHEN)):
            return "url_open"
        # cut after a character where typesetting breaks URLs: "https://www." + "gov.gd/…"
        return "url_break" if re.search(r"(?:[._=?&#%~]|://|[^/]/)$", last) else "complete"
    if _URL_WORDS.search(s):
        return "complete"  # words run on from a URL: its own words, printed without underscores
    if re.search(r"[A-Za-z]-$", s):
        return "hyphen"
    if re.search(rf"\b{_MONTH}(?:\s+\d{{1,2}})?,$", s):
        return "month"  # a date still missing its year
    if re.search(r"\b(?:1[6-9]|20)\d\d,$", s):
        return "dated"  # details given; a URL may follow
    if s.endswith(";"):
        return "semicolon"
    if s.endswith((",", ":")):
        return "comma"
    if _SENTENCE_END.search(s) or s.endswith(("*", '"', "\u201d")):
        return "complete"
    return "open"  # stops mid-sentence


# How well a fragment start (column 2) continues a note end (column 1).
_FIT: dict[tuple[str, str], float] = {
    ("url_open", "urlpath"): 3.0,
    ("url_break", "urlpath"): 2.5,
    ("url_open", "lower"): 2.5,
    ("hyphen", "lower"): 2.5,
    ("month", "year"): 3.0,
    ("month", "url"): 0.5,
    ("month", "detail"): 0.5,
    ("dated", "url"): 2.5,
    ("dated", "detail"): 1.0,
    ("dated", "lower"): 0.5,
    ("comma", "url"): 2.0,
    ("comma", "detail"): 2.0,
    ("comma", "lower"): 1.5,
    ("comma", "year"): 1.5,
    ("semicolon", "cite"): 2.0,
    ("semicolon", "detail"): 1.0,
    ("open", "lower"): 2.5,
    ("open", "detail"): 2.0,
    ("open", "year"): 1.5,
    ("open", "url"): 1.0,
}
#: Fit lost per block between a note and a fragment; below MIN_FIT the fragment is not a continuation.
_FIT_PER_BLOCK = 0.1
_MIN_FIT = 1.0
_WINDOW = int((max(_FIT.values()) + 0.5 - _MIN_FIT) / _FIT_PER_BLOCK) + 1  # farthest block that can fit


def _fit(note_text: str, fragment: str, vocab: _Vocabulary) -> float:
    tail, head = _tail_kind(note_text), _head_kind(fragment)
    score = _FIT.get((tail, head), 0.0)
    if tail == "hyphen" and head == "lower":
        a = re.search(r"([A-Za-z]+)-$", note_text.rstrip())
        b = re.match(r"[A-Za-z]+", fragment.lstrip())
        if a and b and _drops_line_hyphen(a.group(1), b.group(0), vocab):
            score += 0.5
    return score


@dataclass
class _FragmentGroup:
    """Consecutive fragments that read as one stretch of note text."""

    first: int  # index of its first piece
    block: int
    parts: list[str]


def _fragment_groups(pieces: list[_Piece], vocab: _Vocabulary) -> list[_FragmentGroup]:
    groups: list[_FragmentGroup] = []
    prev: int | None = None
    for i, piece in enumerate(pieces):
        if piece.kind != "fragment":
            continue
        text = " ".join(piece.parts)
        if groups and prev == i - 1:
            g = groups[-1]
            tail = _tail_kind(g.parts[-1])
            if _fit(_join_note_parts(g.parts, vocab), text, vocab) >= 2.0 or (
                _head_kind(text) == "cite" and tail in ("complete", "url_break", "dated", "semicolon")
            ):
                g.parts.extend(piece.parts)
                prev = i
                continue
        groups.append(_FragmentGroup(first=i, block=piece.block, parts=list(piece.parts)))
        prev = i
    return groups


def _attach_fragments(pieces: list[_Piece], vocab: _Vocabulary) -> list[_Piece]:
    """Give every fragment to a note; returns the notes. No text is dropped.

    Best fits first; a note's end changes when it takes a fragment, so its fits are re-scored.
    Only receivers within ``_WINDOW`` blocks can reach ``_MIN_FIT``, which keeps this near-linear.
    """
    notes = [p for p in pieces if p.kind == "note"]
    groups = _fragment_groups(pieces, vocab)
    if not notes:
        return []
    index = {id(p): i for i, p in enumerate(pieces)}
    # Receivers: notes, and complete citations (they may have continuations of their own).
    receivers: list[tuple[int, int, list[str]]] = [(index[id(n)], n.block, n.parts) for n in notes]
    receivers += [(g.first, g.block, g.parts) for g in groups if _head_kind(g.parts[0]) == "cite"]
    pending = [g for g in groups if _head_kind(g.parts[0]) != "cite"]
    by_block: dict[int, list[int]] = {}
    for r, (_, block, _) in enumerate(receivers):
        by_block.setdefault(block, []).append(r)
    tails = [_join_note_parts(parts, vocab) for _, _, parts in receivers]
    version = [0] * len(receivers)
    heap: list[tuple[float, int, int, int, int]] = []  # -score, group, receiver, receiver version

    def push(gi: int, r: int) -> None:
        g = pending[gi]
        at, block, _ = receivers[r]
        if block == g.block and at > g.first:
            return  # within a block, text runs forward
        score = _fit(tails[r], g.parts[0], vocab) - _FIT_PER_BLOCK * abs(block - g.block)
        if score >= _MIN_FIT:
            heapq.heappush(heap, (-score, gi, r, version[r]))

    def nearby(block: int) -> Iterator[int]:
        for b in range(block - _WINDOW, block + _WINDOW + 1):
            yield from by_block.get(b, ())

    for gi, g in enumerate(pending):
        for r in nearby(g.block):
            push(gi, r)
    done: set[int] = set()
    while heap:
        _, gi, r, seen_version = heapq.heappop(heap)
        if gi in done:
            continue
        if seen_version != version[r]:
            push(gi, r)  # the receiver's end changed since this fit was scored
            continue
        receivers[r][2].extend(pending[gi].parts)
        done.add(gi)
        tails[r] = _join_note_parts(receivers[r][2], vocab)
        version[r] += 1
        for gj, g in enumerate(pending):
            if gj not in done and abs(g.block - receivers[r][1]) <= _WINDOW:
                push(gj, r)
    leftovers = [g for gi, g in enumerate(pending) if gi not in done]
    leftovers += [g for g in groups if _head_kind(g.parts[0]) == "cite"]
    by_number = {n.number: n for n in notes}
    next_note: list[_Piece | None] = [None] * (len(pieces) + 1)
    for k in range(len(pieces) - 1, -1, -1):
        next_note[k] = pieces[k] if pieces[k].kind == "note" else next_note[k + 1]
    prev_note: list[_Piece | None] = [None] * (len(pieces) + 1)
    for k in range(1, len(pieces) + 1):
        prev_note[k] = pieces[k - 1] if pieces[k - 1].kind == "note" else prev_note[k - 1]
    for g in sorted(leftovers, key=lambda g: g.first):
        # a complete citation between notes continues the note numbered just before the next label
        following = next_note[g.first]
        if following is not None and following.number is not None and following.number - 1 in by_number:
            target = by_number[following.number - 1]
        else:
            target = prev_note[g.first] or notes[0]
        target.parts.extend(g.parts)
    return notes


# --- note text and URLs --------------------------------------------------------------------------


@dataclass
class _Vocabulary:
    """Spellings the document itself prints: the evidence for repairing its broken words and URLs."""

    words: set[str]  # words of the prose (outside URLs), lowercase
    url_tokens: set[str]  # alphanumeric runs of the URLs
    names: set[str]  # runs of capitalised words, squashed ("Tehran Times" -> "tehrantimes"): host names
    hyphenated: set[str]  # hyphenated words of the prose ("al-monitor")
    # Paragraphs printed on single lines: the extraction removed the line breaks, so a hyphen
    # inside a line may be a former line-end hyphen. In wrapped text such hyphens are printed.
    unwrapped: bool = True


def _build_vocabulary(text: str) -> _Vocabulary:
    urls = find_urls(text)
    url_tokens: set[str] = set()
    for url in (m.url for m in urls):
        # runs between hyphens may be halves of a broken word: only whole runs are evidence
        runs = re.split(r"[^a-z0-9-]+", url.lower().replace(_SOFT_HYPHEN, "-"))
        url_tokens.update(t for t in runs if t and "-" not in t)
    prose = text
    for m in reversed(urls):
        prose = prose[: m.start] + " " + prose[m.end :]
    found = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", prose)
    words = {p.lower() for w in found for p in w.split("-")}
    # slugs drop apostrophes: "Thailand's" is printed "thailands"
    words.update(m.replace("'", "").replace("’", "").lower() for m in re.findall(r"[A-Za-z]+['’]s\b", prose))
    hyphenated = {w.lower() for w in found if "-" in w}
    names: set[str] = set()
    for run in re.findall(r"(?:\b[A-Z][A-Za-z]*\b ?){2,5}", prose):
        caps = run.split()
        for i in range(len(caps)):
            for j in range(i + 2, min(len(caps), i + 4) + 1):
                names.add("".join(caps[i:j]).lower())
    lines = [ln for ln in text.splitlines() if ln.strip()]
    unwrapped = sum(len(ln) > 120 for ln in lines) >= 0.3 * len(lines)
    return _Vocabulary(
        words=words, url_tokens=url_tokens, names=names, hyphenated=hyphenated, unwrapped=unwrapped
    )


def _drops_line_hyphen(left: str, right: str, vocab: _Vocabulary) -> bool:
    """A word broken at a line end by a hyphen: drop the hyphen (True) or keep it (False)."""
    joined = (left + right).lower()
    if word_score(joined) >= 2.0 or (len(joined) >= 5 and joined in vocab.words):
        return True
    if f"{left}-{right}".lower() in vocab.hyphenated:
        return False
    return not (word_score(left) >= 3.0 and word_score(right) >= 3.0)


def _join_note_parts(parts: list[str], vocab: _Vocabulary) -> str:
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not text:
            text = part
            continue
        tail, head = _tail_kind(text), _head_kind(part)
        if tail == "url_open" and head in ("urlpath", "lower"):
            text = text[:-1] + _SOFT_HYPHEN + part  # decided with the URL's other hyphens
        elif (tail == "url_break" and head == "urlpath") or _url_goes_on(text, part):
            text += part
        elif tail == "hyphen" and head == "lower":
            a = re.search(r"([A-Za-z]+)-$", text)
            b = re.match(r"[A-Za-z]+", part)
            drop = a is not None and b is not None and _drops_line_hyphen(a.group(1), b.group(0), vocab)
            text = (text[:-1] if drop else text) + part
        elif head == "cite" and tail in ("complete", "url_break", "dated"):
            text += (" " if text.endswith((".", ";")) else "; ") + part
        else:
            text += " " + part
    return text


def _url_goes_on(text: str, part: str) -> bool:
    """Does ``part`` start with the rest of a URL that ``text`` ends with (cut at a full line)?"""
    last = text.rsplit(None, 1)[-1] if text.strip() else ""
    first = part.split(None, 1)[0]
    if not _URL_START.search(last) or _URL_START.match(first) or last.endswith((",", ";", ")")):
        return False
    if not re.fullmatch(r"[\w%~.\-/?&=#:+,;!*'()@]+", first):
        return False
    # cut inside a word: "….h" + "tml", "…and-ir" + "an;", "…5aa58" + "58e"
    a = re.search(r"[A-Za-z0-9]*$", last)
    b = re.match(r"[A-Za-z0-9]+(?=[.,;)]?$)", first)
    if a and b:
        joined = (a.group(0) + b.group(0)).lower()
        if last[: a.start()].endswith(".") and re.fullmatch(r"s?html?|pdf|php|aspx?|jsp|docx?|xlsx?", joined):
            return True
        word_cut = a.group(0).isalpha() and b.group(0).isalpha() and b.group(0).islower()
        if word_cut and word_score(joined) >= max(3.0, word_score(a.group(0)) + 0.5):
            return True
        ids = [x for x in (a.group(0), b.group(0)) if re.search(r"\d", x) and re.search(r"[a-z]", x, re.I)]
        if len(ids) == 2 or (ids and len(b.group(0)) <= 4 and re.search(r"\d", b.group(0))):
            return True
    if re.search(r"[/._=?&#%~:]$", last) and re.fullmatch(r"[\w%-]*\d[\w%-]*[.,;]?", first):
        return True  # an ID after a break character: ".../en/" + "202306182196"
    inner = len(re.findall(r"[/._=?&#%~-]", first.rstrip(".,;")))
    if first[:1].isupper():
        return inner >= 2 and len(first) >= 8  # "Ukraine-The-geopolitical-…"
    return inner >= 1 and bool(re.search(r"/|%|=|\.(?:s?html?|pdf|php|aspx?)\b|\w-\w", first))


_FILE_TAIL = re.compile(
    r"((?: [A-Za-z0-9][\w.-]*){1,8}?\.(?:pdf|html?|aspx?|php|docx?|xlsx?|pptx?))(?=[\s;,)]|$)", re.I
)
_ANCHOR_LEAK = re.compile(r"((?:https?|ftp)://[^\s\"<>]+)\"\s*>\s*((?:https?|ftp)://[^\s\"<>]+)")


# A URL followed, up to the end, by words without punctuation: a link underline hid underscores
# ("…/publication/353315426 Hezbollah Symbolism and Its activities in Azerbaijan").
_URL_WORDS = re.compile(
    r"(?:https?://|www\.)\S*[A-Za-z0-9]((?: (?!(?:accessed|retrieved)\b)[A-Za-z][a-z]*){2,10})$", re.I
)


def _repair_note_text(text: str) -> str:
    """Text-level damage around URLs: a leaked HTML anchor, underscores printed as spaces, and
    citations run together after a URL with no separator."""
    text = _ANCHOR_LEAK.sub(
        lambda m: (
            m.group(1) + m.group(2)[len(m.group(1)) :] if m.group(2).startswith(m.group(1)) else m.group(0)
        ),
        text,
    )
    out = text
    for match in reversed(find_urls(text)):
        end, url = match.end, match.url
        if re.search(r"\.[a-z]{2,4}$", url.rsplit("/", 1)[-1], re.I) and "/" in url.split("//", 1)[-1]:
            continue  # the URL already ends with a file name
        m = _FILE_TAIL.match(text, end)
        if m:  # "…/2017C24 wis zbv.pdf": a link underline hid the underscores
            out = out[:end] + m.group(1).replace(" ", "_") + out[m.end() :]
        elif _CITE_START.match(text, end + 1) and text[end : end + 1] == " ":
            out = out[:end] + ";" + out[end:]  # "…#xj4y7vzkg Natalia Bagirova, "…"
    words = _URL_WORDS.search(out)
    if words and sum(w[:1].isupper() for w in words.group(1).split()) * 2 >= len(words.group(1).split()):
        out = out[: words.start(1)] + words.group(1).replace(" ", "_") + out[words.end(1) :]
    return out


def _hyphen_added(
    left: str, right: str, *, line_end: bool, where: str, context: str, vocab: _Vocabulary
) -> tuple[bool, bool]:
    """Was the hyphen between two URL fragments added by the layout?

    Returns (added, doubtful); when doubtful the other spelling is worth a try. ``where`` is "host",
    "slug" (a path segment of hyphenated words: a title or names, whose hyphens are real unless
    the joined word says otherwise) or "path". Evidence, strongest first: the note's own words
    (``next in line`` for ``next-in-line``); hyphenation rules (a typesetter leaves at least 2
    letters before a break and 3 after); the joined spelling printed elsewhere in the document
    (``Clingendael`` for ``clingen-dael.org``, ``Tehran Times`` for the host ``teh-rantimes.com``);
    a hyphenated spelling printed elsewhere; word frequencies. A hyphen printed at a line end was
    more likely added than one inside a line.
    """
    a = re.search(r"[A-Za-z0-9]+$", left)
    b = re.match(r"[A-Za-z0-9]+", right)
    if not a or not b or not a.group(0).isalpha() or not b.group(0).isalpha():
        # digits beside it: a date or an ID; only an ID (idUK-TRE51G1VR) may have been broken
        ids = bool(a and b) and all(
            re.search(r"[A-Za-z]", x) and re.search(r"\d|[a-z][A-Z]", x) for x in (a.group(0), b.group(0))
        )
        return False, ids
    lw, rw = a.group(0).lower(), b.group(0).lower()
    joined = lw + rw
    if not line_end and not vocab.unwrapped:
        return False, False
    if f" {lw} {rw} " in context:
        return False, False
    if len(lw) < 2 or len(rw) < 3:
        return False, False
    if len(joined) >= 5 and (
        joined in vocab.words or joined in vocab.url_tokens or (where == "host" and joined in vocab.names)
    ):
        return True, False
    if f"{lw}-{rw}" in vocab.hyphenated:
        return False, False
    both_words = word_score(lw) >= 3.0 and word_score(rw) >= 3.0
    if word_score(joined) >= 2.0:
        return True, both_words  # "salva-tion" is clear; "high-lights" could be either
    if line_end:
        segment = left.rsplit("/", 1)[-1] + right.split("/", 1)[0]
        return not hyphen_is_real(lw + "-", rw, segment), True
    if where == "slug":
        return False, False
    return not (word_score(lw) >= 3.0 or (word_score(rw) >= 3.0 and len(rw) >= 4)), not both_words


def _split_compound(token: str, context: str, vocab: _Vocabulary) -> int | None:
    """Where a hyphen was lost inside a slug word ("defiestrump" -> "defies-trump"), if anywhere.

    Extractions drop a real hyphen at a line end (some join hyphenated words on purpose).
    """
    camel = re.fullmatch(r"([a-z]{2,})([A-Z][a-z]{2,})", token)  # "ofUkraine"
    if camel and min(word_score(camel.group(1)), word_score(camel.group(2))) >= 3.0:
        return camel.end(1)
    mixed = re.fullmatch(r"([A-Za-z]{3,})(\d+)|(\d+)([A-Za-z]{3,})", token)  # "purchasing24", "11months"
    if mixed and word_score(mixed.group(1) or mixed.group(4)) >= 3.0:
        return len(mixed.group(1) or mixed.group(3))
    low = token.lower()
    if len(low) < 7 or not low.isalpha() or word_score(low) >= 1.5 or low in vocab.words:
        return None
    if low.endswith("s") and (word_score(low[:-1]) >= 3.0 or low[:-1] in vocab.words):
        return None  # a possessive without its apostrophe: "thailands"
    best: tuple[float, int] | None = None
    for i in range(3, len(low) - 2):
        a, b = low[:i], low[i:]
        score = 9.0 if f" {a} {b} " in context else min(word_score(a), word_score(b))
        if score >= 3.0 and (best is None or score > best[0]):
            best = (score, i)
    return best[1] if best else None


def _url_part(url: str, i: int, host_end: int) -> str:
    """Where position ``i`` of a URL lies: "host", "slug" (a segment of hyphenated words) or "path"."""
    if host_end < 0 or i < host_end:
        return "host"
    start = url.rfind("/", 0, i) + 1
    end = url.find("/", i)
    segment = url[start : end if end >= 0 else len(url)]
    return "slug" if sum(segment.count(h) for h in ("-", _SOFT_HYPHEN)) >= 2 else "path"


def _repair_url(printed: str, context: str, vocab: _Vocabulary) -> tuple[str, list[str]]:
    """The best reading of a printed URL and the other likely readings."""
    scheme = re.match(r"(?i)^(?:[a-z]+://)?", printed)
    host_end = printed.find("/", scheme.end() if scheme else 0)
    decisions: list[tuple[int, bool, bool]] = []  # position, added, doubtful
    for i, ch in enumerate(printed):
        if ch not in "-" + _SOFT_HYPHEN or i == 0:
            continue
        if printed[i - 1] in "-" + _SOFT_HYPHEN or printed[i + 1 : i + 2] in ("-", _SOFT_HYPHEN):
            continue  # "Visa--Free": a double hyphen is the author's
        added, doubtful = _hyphen_added(
            printed[:i],
            printed[i + 1 :],
            line_end=ch == _SOFT_HYPHEN,
            where=_url_part(printed, i, host_end),
            context=context,
            vocab=vocab,
        )
        decisions.append((i, added, doubtful))
    # Two added hyphens around a short fragment: only the likelier of the two joins is real.
    for (i, a1, _), (j, a2, _) in itertools.pairwise(list(decisions)):
        middle = printed[i + 1 : j]
        if a1 and a2 and len(middle) <= 3 and middle.isalpha():
            left = re.search(r"[A-Za-z]*$", printed[:i])
            right = re.match(r"[A-Za-z]*", printed[j + 1 :])
            left_word = (left.group(0) if left else "") + middle
            right_word = middle + (right.group(0) if right else "")
            weaker = i if word_score(right_word) > word_score(left_word) else j
            decisions = [(p, added and p != weaker, doubt) for p, added, doubt in decisions]

    def spell(added: dict[int, bool]) -> str:
        return "".join(
            ("" if added.get(i) else "-") if ch in "-" + _SOFT_HYPHEN else ch for i, ch in enumerate(printed)
        )

    chosen = {i: added for i, added, _ in decisions}
    best = spell(chosen)
    # the printed spelling first (its hyphens restored), then other doubtful readings
    alternatives = [spell({**chosen, i: False}) for i, added, doubt in decisions if added and doubt]
    alternatives += [spell({**chosen, i: True}) for i, added, doubt in decisions if not added and doubt]
    # A hyphen lost at a line end inside a slug ("europe_erdogan-defiestrump-over-iran-sanctions").
    path_start = best.find("/", (scheme.end() if scheme else 0))
    if path_start > 0 and host_end > 0:
        rebuilt = best[:path_start]
        for segment in re.split(r"(/)", best[path_start:]):
            if segment.count("-") >= 2:
                tokens = re.split(r"([-_])", segment)
                for k, tok in enumerate(tokens):
                    cut = _split_compound(tok, context, vocab) if tok not in "-_" else None
                    if cut:
                        tokens[k] = tok[:cut] + "-" + tok[cut:]
                segment = "".join(tokens)
            rebuilt += segment
        if rebuilt != best:
            alternatives.insert(0, best)
            best = rebuilt
    alternatives = [a for a in dict.fromkeys(alternatives) if a != best]
    return best, alternatives[:4]


_ITALIC = re.compile(r"\*([^*\n]{1,300}?)\*")


def _note_from_parts(piece: _Piece, vocab: _Vocabulary) -> Note | None:
    text = _join_note_parts(piece.parts, vocab).translate(_FROM_SUP)
    text = _repair_note_text(text)
    found = find_urls(text)
    prose = text
    for start, end in ((m.start, m.end) for m in reversed(found)):
        prose = prose[:start] + " " + prose[end:]
    context = " " + " ".join(re.findall(r"[a-z0-9]+", prose.lower())) + " "
    refs: list[UrlRef] = []
    seen: set[str] = set()
    for start, end, url in ((m.start, m.end, m.url) for m in reversed(found)):
        best, alternatives = _repair_url(url, context, vocab)
        text = text[:start] + best + text[end:]
        full = best if _URL_START.match(best) and not best.lower().startswith("www.") else with_scheme(best)
        key = re.sub(r"(?i)^[a-z]+://(www\.)?", "", full).rstrip("/").lower()
        if key in seen:
            continue
        seen.add(key)
        refs.append(
            UrlRef(
                url=full,
                raw_url=url.replace(_SOFT_HYPHEN, "-"),
                alternatives=[
                    a if _URL_START.match(a) and not a.lower().startswith("www.") else with_scheme(a)
                    for a in alternatives
                ],
            )
        )
    refs.reverse()
    text = text.replace(_SOFT_HYPHEN, "")
    italics: list[Span] = []
    plain = ""
    pos = 0
    for m in _ITALIC.finditer(text):
        plain += text[pos : m.start()]
        italics.append(Span(start=len(plain), end=len(plain) + len(m.group(1))))
        plain += m.group(1)
        pos = m.end()
    plain = re.sub(r"\s+", " ", plain + text[pos:]).strip()
    if not plain or piece.number is None:
        return None
    return Note(
        number=piece.number, label=piece.label, text=plain, page=piece.page, urls=refs, italics=italics
    )


# --- body ---------------------------------------------------------------------------------------

_BODY_MARKER = re.compile(
    rf"(?P<sup>\s?[{_SUP}]{{1,4}}(?:[,\u2013-][{_SUP}]{{1,4}})*)"
    r"|(?<=[A-Za-z%)\]][.,;:!?])(?P<punct>\d{1,3})(?=\s|$)"
    r"|(?<=[A-Za-z][.,;:!?][\"'\u201d\u2019)])(?P<quoted>\d{1,3})(?=\s|$)"
    r"|(?P<spaced>\s\d{1,3})(?=[\s.,;:!?]|$)(?!,\d)"
    r"|(?<=\b(?:1[89]|20)\d\d)(?P<year>\d{1,3})(?=[\s.,;:!?]|$)"
    r"|(?<=\b(?:1[89]|20)\d\d[.,;:])(?P<yearpunct>\d{1,3})(?=\s|$)"
    r"|(?<=[a-z]{3})(?P<glued>\d{1,3})(?=[\s.,;:!?]|$)"
)
# Words after which a number is a quantity or a reference, not a note marker.
_COUNT_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as one string
        "a an the of in on at by to for from with than and or over under about around nearly almost "
        "some all these those its their his her our article section chapter page pages no vol issue "
        "paragraph resolution law act item table figure fig top first last only just least most every "
        "each per were was are is be been had has have among between into after before since until "
        "during within without more less fewer"
    ).split()
)
_QUANTITY_AFTER = re.compile(
    r"\s*(?:%|percent|per\b|million|billion|thousand|hundred|years?\b|months?\b|weeks?\b|days?\b|"
    r"hours?\b|km\b|miles?\b|times\b|people\b)",
    re.I,
)


def _marker_fits(kind: str, numbers: list[int], expected: int, text: str, m: re.Match) -> bool:
    n = numbers[0]
    if kind == "sup":
        return expected - 10 <= n <= expected + 30
    # After a full stop and before a new sentence a number is most likely a marker, so the
    # sequence may have skipped a few (markers missing from the body, as in the seed).
    ends_sentence = bool(re.search(r"[.!?][\"'\u201d\u2019)]?\s*$", text[: m.start()])) and bool(
        re.match(r"\s+[\"\u201c]?[A-Z]|\s*$", text[m.end() :])
    )
    if kind in ("punct", "quoted"):
        return expected <= n <= expected + (6 if ends_sentence else 3)
    if kind in ("year", "glued"):
        return n == expected
    if kind == "yearpunct":  # "by 2028.4": a year, then the marker
        return n == expected and not _QUANTITY_AFTER.match(text, m.end())
    if _QUANTITY_AFTER.match(text, m.end()):
        return False
    before = text[: m.start()].rstrip()
    if before[-1:] in ".,;:!?\"'\u201d\u2019)":
        return expected <= n <= expected + (6 if ends_sentence else 2)
    word = before.rsplit(None, 1)[-1] if before else ""
    return (
        n == expected
        and word.isalpha()
        and word.lower() not in _COUNT_WORDS
        and not re.fullmatch(_MONTH, word)
    )


def _strip_text_markers(text: str, expected: int) -> tuple[str, list[tuple[int, str, int]], int]:
    """Take note markers out of body text; plain digits count only where the sequence expects them.

    Returns the clean text, (number, label, offset) per marker, and the next expected number.
    """
    out = ""
    found: list[tuple[int, str, int]] = []
    pos = 0
    # A superscript is a marker for sure: a plain number with the same value is then a count.
    sure = {n for m in re.finditer(rf"[{_SUP}]+", text) for n in parse_marker_label(m.group(0))}
    for m in _BODY_MARKER.finditer(text):
        kind = next(k for k, v in m.groupdict().items() if v is not None)
        label = m.group(kind).strip()
        numbers = parse_marker_label(label)
        if not numbers or not _marker_fits(kind, numbers, expected, text, m):
            continue
        if kind != "sup" and numbers[0] in sure:
            continue
        out += text[pos : m.start()]
        found += [(n, label, len(out)) for n in numbers]
        pos = m.end()
        expected = max(expected, numbers[-1] + 1)
    return out + text[pos:], found, expected


def _join_body(text: str, part: str, vocab: _Vocabulary) -> str:
    """Join body text broken at a line, block or column end."""
    if not text:
        return part
    a = re.search(r"([A-Za-z]+)[-\u00ad]$", text)
    if a and part[:1].islower():
        b = re.match(r"[A-Za-z]+", part)
        drop = b is not None and _drops_line_hyphen(a.group(1), b.group(0), vocab)
        return (text[:-1] if drop or text.endswith(_SOFT_HYPHEN) else text) + part
    if a and part[:1].isupper() and text.endswith("-"):
        return text + part  # "counter-" + "Iranian": a compound before a name keeps its hyphen
    return text + " " + part


# What credits a picture or names a figure: such a short block inside a paragraph is a caption.
_TEXT_CAPTION = re.compile(
    r"^(?:Figure|Fig\.|Map|Chart|Photo|Image|Graph)\s*\d*\b|\((?:Photo|Image|Picture|Source|Credit)s?\b"
    r"|\bvia (?:Wiki|Getty|Reuters|AP|AFP|Flickr|Shutterstock)",
    re.I,
)


def _unfinished(text: str) -> bool:
    return not _SENTENCE_END.search(text.rstrip()) or text.rstrip().endswith(("-", _SOFT_HYPHEN))


def _is_title(text: str, title: str | None) -> bool:
    """The document's title line (as the layout guessed it), unless it reads as running text."""
    return (
        bool(title)
        and text.strip() == (title or "").strip()
        and len(text.split()) <= 25
        and text[:1].isupper()
        and not re.search(r"[.!?]\s|[-,;]$", text)
    )


def _assemble_body(pieces: list[_Piece], title: str | None, vocab: _Vocabulary) -> list[Paragraph]:
    body = [p for p in pieces if p.kind == "body"]
    texts = []
    for piece in body:
        text = ""
        for part in piece.parts:
            text = _join_body(text, part.strip(), vocab)
        texts.append(re.sub(r"\*([^*\n]+)\*", r"\1", text))
    paragraphs: list[Paragraph] = []
    section: str | None = None
    expected = 1
    flow: Paragraph | None = None  # the paragraph body text may still continue
    for k, (piece, text) in enumerate(zip(body, texts, strict=True)):
        if not text:
            continue
        words = text.split()
        nxt = texts[k + 1] if k + 1 < len(texts) else ""
        # a heading: a short line that ends no sentence and is not continued by the next block
        short = (
            len(words) <= 12
            and not _SENTENCE_END.search(text)
            and not text.endswith((",", ";", "-", _SOFT_HYPHEN))
            and not nxt[:1].islower()
            and not _strip_text_markers(text, expected)[1]
        )
        if _is_title(text, title):
            paragraphs.append(
                Paragraph(index=len(paragraphs), page=piece.page, kind=ParagraphKind.TITLE, text=text)
            )
            continue
        if short and text[:1].isupper() and (flow is None or not _unfinished(flow.text)):
            front = not any(p.kind == ParagraphKind.BODY for p in paragraphs)
            kind = ParagraphKind.OTHER if front else ParagraphKind.HEADING
            if not front:
                section = text
            paragraphs.append(
                Paragraph(index=len(paragraphs), page=piece.page, kind=kind, section=section, text=text)
            )
            flow = None
            continue
        clean, found, expected = _strip_text_markers(text, expected)
        lead = len(clean) - len(clean.lstrip())
        clean = clean.strip()
        found = [(n, lab, min(max(0, off - lead), len(clean))) for n, lab, off in found]
        if (
            flow is not None
            and _unfinished(flow.text)
            and not found
            and len(words) <= 30
            and clean[:1].isupper()
            and (nxt[:1].islower() or nxt[:1].isdigit() or _TEXT_CAPTION.search(clean))
        ):
            # a caption or pull quote set inside a paragraph that goes on after it
            paragraphs.append(
                Paragraph(
                    index=len(paragraphs),
                    page=piece.page,
                    kind=ParagraphKind.CAPTION,
                    section=section,
                    text=clean,
                )
            )
            continue
        if flow is not None and (clean[:1].islower() or _unfinished(flow.text)):
            joined = _join_body(flow.text, clean, vocab)
            base = len(joined) - len(clean)
            flow.text = joined
            flow.markers += [
                Marker(number=n, label=lab, page=piece.page, paragraph=flow.index, offset=base + off)
                for n, lab, off in found
            ]
            continue
        flow = Paragraph(
            index=len(paragraphs), page=piece.page, kind=ParagraphKind.BODY, section=section, text=clean
        )
        flow.markers = [
            Marker(number=n, label=lab, page=piece.page, paragraph=flow.index, offset=off)
            for n, lab, off in found
        ]
        paragraphs.append(flow)
    return paragraphs


_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]", re.I)


def _restore_label_column(lines: list[str]) -> list[str]:
    """Put back note numbers that the extraction printed apart from their notes.

    Hanging labels come out as lines of their own: each before its note (``1`` / ``Andrea…``), or
    all together before the notes of the page (``1 2 3`` / three notes). A run of consecutive
    numbers is matched to as many note starts: the first line, then the lines most likely to begin
    a note (the line before ends a citation or stops short of the full width; a citation starts).
    """
    out = list(lines)
    i = 0
    while i < len(out):
        run: list[int] = []  # indexes of the label lines
        j = i
        while j < len(out) and (not out[j] or re.fullmatch(r"\d{1,3}", out[j])):
            if out[j] and (not run or int(out[j]) == int(out[run[-1]]) + 1):
                run.append(j)
            elif out[j]:
                break
            j += 1
        if not run:
            i += 1
            continue
        body = []  # the text lines after the labels, up to a blank line or another label
        k = j
        while k < len(out) and out[k] and not re.fullmatch(r"\d{1,3}", out[k]):
            body.append(k)
            k += 1
        if body and len(body) >= len(run) and _reads_like_citation(" ".join(out[x] for x in body[:3])):
            starts = _note_starts(out, body, len(run))
            for label_at, start in zip(run, starts, strict=True):
                out[start] = f"{out[label_at]} {out[start]}"
                out[label_at] = ""
        i = max(j, i + 1)
    return out


def _note_starts(lines: list[str], body: list[int], count: int) -> list[int]:
    """The ``count`` lines of ``body`` most likely to start a note, in order.

    The first line usually starts one, unless the notes of the page open with the end of a note
    from the page before (a URL, a lowercase word).
    """
    width = max(len(lines[k]) for k in body)
    scored = []
    for n, b in enumerate(body):
        prev, line = (lines[body[n - 1]] if n else ""), lines[b]
        score = 3.0 if n == 0 else 0.0
        if n and _tail_kind(prev) in ("complete", "url_break"):
            score += 1.5
        if n and len(prev) < 0.85 * width:
            score += 1.5
        if _CITE_START.match(line) or re.match(r"[A-Z][\w.'’-]+ [A-Z][\w.'’-]+,", line):
            score += 1.0
        if line[:1].islower() or (n and _tail_kind(prev) in ("hyphen", "url_open", "comma", "month", "open")):
            score -= 2.0
        if _URL_START.match(line) or prev.rstrip().endswith((";", ",", ',"', ",”")):
            score -= 2.0  # a URL or another citation goes on with the note before
        if prev.count('"') % 2 or prev.count("“") > prev.count("”"):
            score -= 2.0  # the line before stops inside a quoted title
        scored.append((score, b))
    best = sorted(scored, key=lambda x: -x[0])[:count]
    return sorted(b for _, b in best)


def _mask_digits(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def _running_lines(doc: ParsedDocument) -> set[str]:
    """Running headers and footers: short lines (digits masked) at the top or foot of most pages."""
    pages = [[ln.text.strip() for ln in page.lines if ln.text.strip()] for page in doc.layout]
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_mask_digits(t) for t in lines[:3] + lines[-3:] if len(t.split()) <= 20 and not t.isdigit()}
        counts.update(edge)
    return {t for t, n in counts.items() if n >= 3 and n >= 0.4 * len(pages)}


def _split_text(doc: ParsedDocument) -> tuple[list[Paragraph], list[Note]]:
    """Recover body and notes from a text extraction that interleaves them (see the banner above)."""
    blocks: list[list[_TextLine]] = []
    running = _running_lines(doc)
    for page in doc.layout:
        current: list[_TextLine] = []
        texts = [_normalize_line(ln.text).strip() for ln in page.lines]
        texts = _restore_label_column([t for t in texts if _mask_digits(t) not in running])
        for text in texts:
            if _PAGE_NUMBER.fullmatch(text):
                continue  # a running header, footer or page number ("12", "Page 2 of 9", "- 3 -")
            if text:
                current.append(_TextLine(page.number, text))
            elif current:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
    vocab = _build_vocabulary("\n".join(ln.text for block in blocks for ln in block))
    labels = _Labels()
    pieces = _read_pieces(blocks, labels)
    _number_word_labels(pieces, labels)
    note_pieces = _attach_fragments(pieces, vocab)
    if not note_pieces:  # no note labels at all: what looked like citations stays in the body
        for p in pieces:
            p.kind = "body"
    notes = [n for n in (_note_from_parts(p, vocab) for p in note_pieces) if n is not None]
    notes.sort(key=lambda n: n.number)
    paragraphs = _assemble_body(pieces, doc.title, vocab)
    return paragraphs, notes
