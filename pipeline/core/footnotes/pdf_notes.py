"""Notes of a PDF: the lines of the notes zones grouped into notes, and each note's text.

Note numbers are read in sequence, so a year or a volume number at the start of a continuation
line is not taken for a new note. Lines before the first note (author notes on a title page)
and notes marked ``*``/``†`` are not numbered notes: they become unnumbered groups, kept as
``other`` paragraphs. A note's lines are joined with their words and URLs repaired; how the
typesetter broke some URLs decides the hyphens in the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.core.footnotes.markers import SYMBOL_LABEL, NoteLabel, parse_label_alone, parse_note_label
from pipeline.core.footnotes.pdf_zones import Zone, heads_a_box
from pipeline.core.models import Line, Note
from pipeline.core.text.linejoin import LinePiece, hyphens_added_evidence, join_lines


@dataclass
class Group:
    """The lines of one note, or of one unnumbered block (``number`` None) in the notes area."""

    number: int | None
    label: str
    page: int
    lines: list[tuple[Zone, Line]] = field(default_factory=list)
    head: Line | None = None  # the first line as printed, label included


def group_note_lines(
    note_lines: list[tuple[Zone, Line]],
    list_starts: set[int] | frozenset[int] = frozenset(),
    placed: set[int] | frozenset[int] = frozenset(),
    out_of_sequence: Mapping[int, NoteLabel] | None = None,
) -> list[Group]:
    """Group note lines into notes by their labels, read in sequence.

    Lines before the first note (author notes on a title page) and symbol-marked notes become
    unnumbered groups; a line far below the previous one in its zone without a label, or a
    heading of its own ("About the author"), is not a continuation (a stray footer or box).
    ``list_starts`` are the first lines under endnotes headings: the numbering may start
    again there, whatever small print was read as notes before. ``placed`` are the lines of
    notes set beside the text (``pdf_margin``): they follow where the notes found room, not
    their numbers, so a label there may also name an earlier number that no note has yet
    (a note with no marker, set after the last one that had room). ``out_of_sequence`` are
    labels (by line id) that the layout read as notes printed after later ones (``pdf_band``).
    """
    zone_left: dict[int, float] = {}
    for z, ln in note_lines:
        zone_left[id(z)] = min(zone_left.get(id(z), ln.x0), ln.x0)
    reading = _Reading(list_starts, placed, dict(out_of_sequence or {}))
    for z, ln in note_lines:
        at_left = ln.x0 <= zone_left[id(z)] + 4 * max(ln.size, 1.0)  # first-line indents reach 0.5in
        if not _opens_note(reading, z, ln, at_left):
            _goes_on(reading, z, ln, at_left)
        reading.prev = (z, ln)
    return reading.groups


@dataclass
class _Reading:
    """How far the grouping has come: the groups, the label expected next, the label styles seen."""

    list_starts: set[int] | frozenset[int]
    placed: set[int] | frozenset[int]
    out_of_sequence: dict[int, NoteLabel]
    groups: list[Group] = field(default_factory=list)
    expected: int = 1
    styles: Counter[str] = field(default_factory=Counter)
    current: Group | None = None
    prev: tuple[Zone, Line] | None = None


def _opens_note(reading: _Reading, z: Zone, ln: Line, at_left: bool) -> bool:
    """Start a new note when the line opens with a label the sequence allows (False if it does not)."""
    opens_list = id(ln) in reading.list_starts
    skipped = reading.out_of_sequence.get(id(ln))
    if skipped is not None:  # a note the band prints after later ones: the sequence goes on after
        _open(reading, z, ln, skipped)
        reading.expected = max(reading.expected, skipped.number + 1)
        return True
    label = parse_note_label(ln, reading.expected) if at_left else None
    if label is None and at_left and opens_list:
        label = parse_note_label(ln, 1)  # "1. 9 Annals ..." under the heading
    if label is None and at_left:
        label = parse_label_alone(ln)  # "2." alone, the note's text (a URL) on the next line
    if label is None:
        return False
    expected, styles = reading.expected, reading.styles
    in_step = label.number == expected
    skip = expected < label.number <= expected + 3 and (not styles or label.style in styles)
    first = (not styles or opens_list) and label.number <= 3
    earlier = not (in_step or skip or first) and _placed_earlier(reading, ln, label)
    if not (in_step or skip or first or earlier):
        return False
    if opens_list and label.number < expected:
        _drop_stray_numbers(reading.groups)
        styles.clear()
    _open(reading, z, ln, label)
    styles[label.style] += 1
    if not earlier:  # a note placed late leaves the sequence where it was
        reading.expected = label.number + 1
    return True


def _placed_earlier(reading: _Reading, ln: Line, label: NoteLabel) -> bool:
    """A label set beside the text, in the style of the labels so far (a note's line that starts
    "5 May 1990" among raised labels is none), that names an earlier number no note has taken."""
    if id(ln) not in reading.placed or label.number >= reading.expected or label.style not in reading.styles:
        return False
    return all(g.number != label.number for g in reading.groups)


def _open(reading: _Reading, z: Zone, ln: Line, label: NoteLabel) -> None:
    """Start the group of a note at its labelled line, the label cut off."""
    stripped = _shift(ln.model_copy(update={"text": ln.text[label.end :]}), -label.end)
    reading.current = Group(label.number, ln.text[: label.end].strip(), z.page, [(z, stripped)], ln)
    reading.groups.append(reading.current)


def _goes_on(reading: _Reading, z: Zone, ln: Line, at_left: bool) -> None:
    """Add an unlabelled line to the current note, or start an unnumbered group with it."""
    prev = reading.prev
    far = (
        prev is not None
        and prev[0] is z
        and ln.top - prev[1].bottom > 2.5 * max(ln.size, 1.0)
        and not SYMBOL_LABEL.match(ln.text)
    )
    box = at_left and heads_a_box(ln)
    if (at_left and SYMBOL_LABEL.match(ln.text)) or reading.current is None or far or box:
        reading.current = Group(None, "", z.page, [(z, ln)])
        reading.groups.append(reading.current)
    else:
        reading.current.lines.append((z, ln))


def _drop_stray_numbers(groups: list[Group]) -> None:
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


def drop_uncited_lists(groups: list[Group], cited: set[int]) -> None:
    """Of two numbered lists whose numbers collide, the one the body does not cite is not notes.

    A report may print a numbered "References" list (1-39, no markers) just before its
    "Citations" (1-10, the markers' notes). Lists are read apart where the numbering restarts;
    a list with more numbers that no marker cites than numbers cited, beside a colliding list
    that is mostly cited, is a bibliography: its groups become unnumbered, kept as printed.
    """
    lists: list[list[Group]] = []
    for g in (g for g in groups if g.number is not None):
        if not lists or g.number is None or g.number <= (lists[-1][-1].number or 0):
            lists.append([])
        lists[-1].append(g)
    if len(lists) < 2:
        return

    def mostly_cited(lst: list[Group]) -> bool:
        numbers = {g.number for g in lst}
        return len(numbers & cited) >= len(numbers - cited)

    for lst in lists:
        numbers = {g.number for g in lst}
        rivals = [o for o in lists if o is not lst and numbers & {g.number for g in o}]
        if not mostly_cited(lst) and any(mostly_cited(o) for o in rivals):
            for g in lst:
                g.number, g.label = None, ""
                if g.head is not None:
                    g.lines[0] = (g.lines[0][0], g.head)


def build_notes(groups: list[Group], zones: list[Zone]) -> list[Note]:
    """Join each numbered group's lines into a note, repairing words and URLs."""
    right: dict[int, float] = {id(z): max((ln.x1 for ln in z.notes), default=0.0) for z in zones}
    left: dict[int, float] = {id(z): min((ln.x0 for ln in z.notes), default=0.0) for z in zones}

    def pieces(group: Group) -> list[LinePiece]:
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
    """The line with its spans moved by ``delta`` characters (its label cut off)."""

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
