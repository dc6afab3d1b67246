"""The PDF pipeline: which part of the document each line belongs to, and the split it gives.

Page by page and column run by column run, a line is body text (whose column foot may hold
footnotes, see ``pdf_zones``), an endnote (after a notes heading: "Notes" anywhere, "References"
or "Links" only where no footnotes came first), or other matter (a bibliography under a
references heading set as one). A heading of the matter that follows notes ("About the author",
"Appendix") returns to the body. The notes are then grouped (``pdf_notes``) and the body read
into paragraphs (``pdf_body``); unnumbered note blocks and bibliographies are kept as ``other``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.core.footnotes.markers import NoteLabel
from pipeline.core.footnotes.pdf_band import band_labels, band_tail, reaches_foot
from pipeline.core.footnotes.pdf_body import body_paragraphs
from pipeline.core.footnotes.pdf_front import affiliation_lines
from pipeline.core.footnotes.pdf_inline import number_markers_by_sequence
from pipeline.core.footnotes.pdf_margin import margin_note_runs
from pipeline.core.footnotes.pdf_notes import build_notes, drop_uncited_lists, group_note_lines
from pipeline.core.footnotes.pdf_zones import (
    AFTER_NOTES_HEADING,
    STRONG_NOTES_HEADING,
    NoteState,
    Zone,
    column_runs,
    footnote_zone,
    is_heading_like,
    is_set_apart,
    notes_headings,
)
from pipeline.core.models import Line, Note, PageLayout, Paragraph, ParagraphKind, ParsedDocument
from pipeline.core.text.linejoin import LinePiece, join_lines


def split_pdf(doc: ParsedDocument) -> tuple[list[Paragraph], list[Note]]:
    """Body paragraphs and notes of a laid-out PDF."""
    first = next((page for page in doc.layout if page.lines), None)
    reader = _Reader(
        body_size=doc.body_size,
        headings=notes_headings(doc, doc.body_size),
        aside=affiliation_lines(first.lines) if first else set(),
    )
    for page, runs, margin in _pages_runs(doc):
        runs_lines = [lines for _, lines in runs]
        for k, (column, lines) in enumerate(runs):
            if k in margin:
                reader.read_notes_run(page, column, lines, placed=True)
            else:
                reader.read_page_run(page, runs_lines, k, column)
    zones = reader.zones
    groups = group_note_lines(
        [(z, ln) for z in zones for ln in z.notes],
        reader.list_starts,
        placed=reader.placed,
        out_of_sequence=reader.out_of_sequence,
    )
    labels = [g.label for g in groups if g.number is not None]
    bracketed = bool(labels) and sum(label.startswith("[") for label in labels) > len(labels) / 2
    paragraphs = body_paragraphs(zones, doc.body_size, doc.title, bracket_markers=bracketed)
    drop_uncited_lists(groups, {m.number for p in paragraphs for m in p.markers})
    notes = build_notes(groups, zones)
    number_markers_by_sequence(paragraphs, {n.number for n in notes})
    for group in (g for g in groups if g.number is None):
        _append_other(paragraphs, group.page, [ln for _, ln in group.lines])
    for zone in zones:
        if zone.other:
            _append_other(paragraphs, zone.page, zone.other)
    return paragraphs, notes


def _pages_runs(doc: ParsedDocument) -> list[tuple[PageLayout, list[tuple[int, list[Line]]], set[int]]]:
    """Each page with its column runs and the indexes of those that are notes in the margin."""
    pages_runs = [column_runs(page) for page in doc.layout]
    margins = margin_note_runs([[lines for _, lines in runs] for runs in pages_runs], doc.body_size)
    return list(zip(doc.layout, pages_runs, margins, strict=True))


@dataclass
class _Reader:
    """The document read line by line: the zones so far, and the part of the document it is in."""

    body_size: float
    headings: dict[int, bool]  # notes headings: id -> whether a numbered list follows
    state: NoteState = field(default_factory=NoteState)
    zones: list[Zone] = field(default_factory=list)
    mode: str = "body"  # "body", "endnotes" (after a notes heading) or "other" (a bibliography)
    list_starts: set[int] = field(default_factory=set)  # ids of the first line under each endnotes heading
    placed: set[int] = field(default_factory=set)  # ids of the lines of notes set beside the body
    opening: bool = False
    aside: set[int] = field(default_factory=set)  # ids of a title page's byline and affiliations
    bands: int = 0  # runs read as bands of notes under the columns (``pdf_band``)
    band_at_foot: int = 0  # the last page whose band of notes reached the page's foot
    out_of_sequence: dict[int, NoteLabel] = field(default_factory=dict)  # band labels of skipped notes

    def band(self, runs: list[list[Line]], k: int, page: PageLayout) -> bool:
        """Is run ``k`` a band of notes? Its labels of notes skipped before are kept for grouping."""
        state = self.state
        labels = band_labels(
            runs,
            k,
            state.next_number,
            page.height,
            missing=state.missing(),
            after_bands=self.bands > 0,
            carried=self.band_at_foot == page.number - 1,
        )
        if labels is None:
            return False
        self.bands += 1
        if reaches_foot(runs[k], page.height):
            self.band_at_foot = page.number
        for b in labels:
            if b.out_of_sequence:
                self.out_of_sequence[id(b.line)] = b.label
                state.numbers.add(b.label.number)
        return True

    def read_page_run(self, page: PageLayout, runs: list[list[Line]], k: int, column: int) -> None:
        """Read run ``k`` of a page: a band of notes under the columns, a column run whose foot is
        a band of short notes, or a column run (whose foot may hold footnotes)."""
        lines = runs[k]
        if self.mode == "body" and self.band(runs, k, page):
            self.read_notes_run(page, column, lines)
        elif self.mode == "body" and (tail := band_tail(runs, k, self.state.next_number, page.height)):
            self.read_run(page, column, lines[: tail[0]])
            self.read_notes_run(page, column, lines[tail[0] :])
            self.bands += 1
        else:
            self.read_run(page, column, lines)

    def read_run(self, page: PageLayout, column: int, lines: list[Line]) -> None:
        """Place the lines of one column run, then find the footnotes at its foot."""
        zone = Zone(page=page.number, column=column)
        self.zones.append(zone)
        pending: list[Line] = []  # body-mode lines, whose foot may hold footnotes
        for ln in lines:
            pending = self._place(zone, pending, ln, page)
        _flush_body(zone, pending, page, self.body_size, self.state)
        if zone.notes:
            self.state.read(zone.notes)
            self.state.tops.setdefault(page.number, []).append(zone.notes[0].top)

    def read_notes_run(self, page: PageLayout, column: int, lines: list[Line], placed: bool = False) -> None:
        """A run that is all notes: set in the margin beside the body (``pdf_margin``, ``placed``),
        or in a band under the columns (``pdf_band``)."""
        zone = Zone(page=page.number, column=column, notes=list(lines))
        self.zones.append(zone)
        self.state.read(zone.notes)
        if placed:
            self.placed.update(id(ln) for ln in lines)

    def _place(self, zone: Zone, pending: list[Line], ln: Line, page: PageLayout) -> list[Line]:
        """Put one line in the body, the endnotes or other matter; returns the body lines pending."""
        if id(ln) in self.aside:
            zone.other.append(ln)  # a byline with affiliation numbers: neither markers nor notes
            return pending
        heading = is_heading_like(ln, self.body_size)
        numbered = self.headings.get(id(ln))
        # endnotes: a numbered list after a notes heading (after "References" only where
        # there were no footnotes); a bibliography: a references heading set as one
        strong = numbered is not None and bool(STRONG_NOTES_HEADING.match(ln.text))
        opens = numbered and (strong or not self.state.found)
        bibliography = numbered is not None and not opens and not strong and is_set_apart(ln, self.body_size)
        if self.mode == "body" and (opens or bibliography):
            _flush_body(zone, pending, page, self.body_size, self.state)
            pending = []
            self.mode = "endnotes" if opens else "other"
            self.opening = bool(opens)
            zone.body.append(ln)
        elif self.mode != "body" and heading and AFTER_NOTES_HEADING.match(ln.text):
            self.mode = "body"
            pending.append(ln)
        elif self.mode == "endnotes" and numbered and is_set_apart(ln, self.body_size):
            # another notes heading with its own numbered list ("References", then "Citations")
            self.opening = True
            zone.other.append(ln)
        elif self.mode == "endnotes" and bibliography:
            # a "References" heading set as one after the notes: the bibliography follows them
            self.mode = "other"
            zone.other.append(ln)
        elif self.mode == "endnotes":
            if self.opening:
                self.list_starts.add(id(ln))
                self.opening = False
            zone.notes.append(ln)
        elif self.mode == "other":
            zone.other.append(ln)
        else:
            pending.append(ln)
        return pending


def _flush_body(zone: Zone, lines: list[Line], page: PageLayout, body_size: float, state: NoteState) -> None:
    """Split pending body lines at the foot of their run into body and footnotes."""
    if not lines:
        return
    cut, how = footnote_zone(lines, page.rules, body_size, state, page)
    zone.body += lines[:cut]
    zone.notes += lines[cut:]
    state.ruled += how == "rule"
    state.unruled += how == "small"


def _append_other(paragraphs: list[Paragraph], page: int, lines: list[Line]) -> None:
    """Keep lines that are neither body nor numbered notes as an ``other`` paragraph."""
    text = join_lines([LinePiece(text=ln.text) for ln in lines]).text
    if text:
        paragraphs.append(Paragraph(index=len(paragraphs), page=page, kind=ParagraphKind.OTHER, text=text))
