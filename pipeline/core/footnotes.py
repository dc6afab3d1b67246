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

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.core.citations import (
    LinePiece,
    hyphens_added_evidence,
    join_lines,
    joins_hyphenated_word,
    joins_without_space,
)
from pipeline.core.layout import MARGIN_BAND
from pipeline.core.models import (
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
)

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
        full = [ln.x1 - ln.x0 >= 0.8 * (x1 - x0) for ln in zone[:-1]]
        running = not full or sum(full) >= 0.7 * len(full)
        if running and (level or (same_size and not ruled)):
            return start, "continued"
    return n, ""


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
                    zone.body.append(ln)
                elif mode != "body" and heading and _AFTER_NOTES_HEADING.match(ln.text):
                    mode = "body"
                    pending.append(ln)
                elif mode == "endnotes":
                    zone.notes.append(ln)
                elif mode == "other":
                    zone.other.append(ln)
                else:
                    pending.append(ln)
            _flush_body(zone, pending, page, body_size, state)
            if zone.notes:
                state.read(zone.notes)
                state.tops.setdefault(page.number, []).append(zone.notes[0].top)
    groups = _group_note_lines([(z, ln) for z in zones for ln in z.notes])
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


def _group_note_lines(note_lines: list[tuple[_Zone, Line]]) -> list[_Group]:
    """Group note lines into notes by their labels, read in sequence.

    Lines before the first note (author notes on a title page) and symbol-marked notes become
    unnumbered groups; a line far below the previous one in its zone without a label is not a
    continuation (a stray footer or box).
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
        label = parse_note_label(ln, expected) if at_left else None
        if label is not None:
            in_step = label.number == expected
            skip = expected < label.number <= expected + 3 and (not styles or label.style in styles)
            first = not styles and label.number <= 3
            if in_step or skip or first:
                stripped = _shift(ln.model_copy(update={"text": ln.text[label.end :]}), -label.end)
                current = _Group(label.number, ln.text[: label.end].strip(), z.page, [(z, stripped)])
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
        if (at_left and _SYMBOL_LABEL.match(ln.text)) or current is None or far:
            current = _Group(None, "", z.page, [(z, ln)])
            groups.append(current)
        else:
            current.lines.append((z, ln))
        prev = (z, ln)
    return groups


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

_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A note label at the start of a block or after whitespace: ¹²  $^{17}$  $^{\rm 17}$  ^{80 ...
_TEXT_LABEL = re.compile(
    rf"(?:(?<=\s)|^)(?:([{_SUP}]+)|\$\^\{{(?:\\rm\s*)?(\d{{1,4}})\}}\$|\^\{{(\d{{1,4}})\s)\s*"
)
# Markers inside body text: superscripts, TeX fragments, or digits glued to a word or punctuation.
_TEXT_MARKER = re.compile(
    rf"\s?([{_SUP}]+(?:[,\u2013-][{_SUP}]+)*)|\s?\$\^\{{(?:\\rm\s*)?(\d{{1,4}})\}}\$|(?<=[A-Za-z.,;:!?\"\u201d')])(\d{{1,4}})(?=[\s.,;:]|$)"
    r"|(?<=[a-z]) (\d{1,3})(?=[\s.,;:]|$)"
)
_ENTITY_DEBRIS = re.compile(r"\[&\]quot;|&quot;|\$?\\underline\{|\}\$")


def _text_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def _split_text(doc: ParsedDocument) -> tuple[list[Paragraph], list[Note]]:
    """Recover body and notes from a text extraction that interleaves them.

    Blocks are split at note labels; unlabelled blocks that read like citations (a URL, a quoted
    title with a date, a lowercase continuation) join the note they most plausibly continue.
    """
    text = "\n".join(ln.text for page in doc.layout for ln in page.lines)
    text = _ENTITY_DEBRIS.sub(lambda m: '"' if "quot" in m.group(0) else "", text)
    blocks = _text_blocks(text)
    title = doc.title
    paragraphs: list[Paragraph] = []
    notes: list[tuple[int, str, list[str]]] = []  # number, label, parts
    section: str | None = None
    expected_marker = 1
    last_note = 0
    for block_no, block in enumerate(blocks):
        segments = _split_labels(block)
        for label, number, seg in segments:
            if number is not None and (last_note < number <= last_note + 6 or (not notes and number <= 3)):
                notes.append((number, label, [seg]))
                last_note = number
                continue
            if number is None and label == "Table":
                # extractions replace some note numbers with a word; number them by position
                notes.append((last_note + 1, label, [seg]))
                last_note += 1
                continue
            kind = _text_block_kind(seg, block_no, title)
            if kind == "note":
                _attach_continuation(notes, seg)
                continue
            if kind == "heading":
                section = seg
                paragraphs.append(
                    Paragraph(
                        index=len(paragraphs), page=1, kind=ParagraphKind.HEADING, section=section, text=seg
                    )
                )
                continue
            para_kind = ParagraphKind.TITLE if kind == "title" else ParagraphKind.BODY
            clean, found, expected_marker = _strip_text_markers(seg, expected_marker)
            para = Paragraph(index=len(paragraphs), page=1, kind=para_kind, section=section, text=clean)
            para.markers = [
                Marker(number=n, label=lab, page=1, paragraph=para.index, offset=off) for n, lab, off in found
            ]
            if paragraphs and para_kind == ParagraphKind.BODY and _continues(paragraphs[-1], clean):
                prev = paragraphs[-1]
                base = len(prev.text) + 1
                prev.text = prev.text + " " + clean
                prev.markers += [
                    m.model_copy(update={"paragraph": prev.index, "offset": m.offset + base})
                    for m in para.markers
                ]
            else:
                paragraphs.append(para)
    out: list[Note] = []
    for number, label, parts in notes:
        pieces = [LinePiece(text=p) for p in parts]
        joined = join_lines(pieces)
        out.append(Note(number=number, label=label, text=joined.text, page=1, urls=joined.urls))
    return paragraphs, out


def _split_labels(block: str) -> list[tuple[str, int | None, str]]:
    """Cut a block at note labels: [(label, number or None, text)]."""
    if block.startswith("Table "):
        return [("Table", None, block[6:].strip())]
    cuts = [m for m in _TEXT_LABEL.finditer(block) if m.start() == 0 or _label_context_ok(block, m)]
    if not cuts:
        return [("", None, block)]
    out: list[tuple[str, int | None, str]] = []
    if cuts[0].start() > 0:
        out.append(("", None, block[: cuts[0].start()].strip()))
    for i, m in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(block)
        raw = next(g for g in m.groups() if g)
        out.append(
            (m.group(0).strip(), int(raw.translate(_SUPERSCRIPT_DIGITS)), block[m.end() : end].strip())
        )
    return out


def _label_context_ok(block: str, m: re.Match) -> bool:
    """A label inside a block only when a citation starts after it (names or a quote)."""
    after = block[m.end() : m.end() + 3]
    before = block[max(0, m.start() - 2) : m.start()]
    return bool(after[:1].isupper() or after[:1] in '"\u201c') and not before.strip()[-1:].isalpha()


def _text_block_kind(seg: str, block_no: int, title: str | None) -> str:
    if title and seg.strip() == title.strip():
        return "title"
    words = seg.split()
    if re.match(r"^(https?://|www\.)", seg) or (
        seg[:1].islower()
        and re.search(r"https?://|\b(19|20)\d\d\b", seg)
        and len(words) < 60
        and not re.search(r"[.!?]\s+[A-Z][a-z]+\s+[a-z]+\s+[a-z]+", seg)
    ):
        return "note"
    if len(words) <= 10 and not _SENTENCE_END.search(seg) and "http" not in seg:
        return "heading" if block_no > 1 else "title"
    citation_like = (
        bool(re.search(r"https?://", seg))
        and len(words) < 80
        and bool(re.search(r"[\"\u201c]|\*[^*]+\*", seg))
    )
    if citation_like or (re.match(r"^[A-Z][\w.]+ [A-Z][\w.]+,? [\"\u201c]", seg) and len(words) < 80):
        return "note"
    return "body"


def _attach_continuation(notes: list[tuple[int, str, list[str]]], seg: str) -> None:
    if not notes:
        return
    # Prefer the most recent note that visibly stops mid-way (a hyphen, a comma, an open URL).
    for _number, _label, parts in reversed(notes[-6:]):
        tail = parts[-1].rstrip()
        if tail.endswith("-") and seg[:1].islower():
            parts.append(seg)
            return
    for _number, _label, parts in reversed(notes[-6:]):
        tail = parts[-1].rstrip()
        if tail.endswith(",") and seg.startswith("http"):
            parts.append(seg)
            return
    notes[-1][2].append(seg)


def _continues(prev: Paragraph, text: str) -> bool:
    return (
        prev.kind == ParagraphKind.BODY
        and (not _SENTENCE_END.search(prev.text.rstrip()) or prev.text.rstrip().endswith("-"))
        and (text[:1].islower() or prev.text.rstrip().endswith(","))
    )


def _strip_text_markers(seg: str, expected: int) -> tuple[str, list[tuple[int, str, int]], int]:
    """Remove markers from body text; plain digits count only near the expected number."""
    out = ""
    found: list[tuple[int, str, int]] = []
    pos = 0
    for m in _TEXT_MARKER.finditer(seg):
        sup, tex, glued, spaced = m.groups()
        label = sup or tex or glued or spaced
        numbers = parse_marker_label(label)
        if not numbers:
            continue
        if (glued or spaced) and not (expected <= numbers[0] <= expected + 4):
            continue
        out += seg[pos : m.start()]
        found += [(n, label, len(out)) for n in numbers]
        pos = m.end()
        expected = max(expected, numbers[-1] + 1)
    out += seg[pos:]
    # year + marker glued ("of 201669"): split when the tail is the expected number
    return re.sub(r" {2,}", " ", out).strip(), found, expected
