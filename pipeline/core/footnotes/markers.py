"""Markers and labels: how a printed number is read as a note marker or a note label, and how
markers and notes are linked.

A marker in the body ("5,6", "7–9", a raised "³⁴") names one or more notes; a label at the start
of a note line ("12.", "[4]", "(3)", a raised "1") names one note. A label followed by another
number counts only when it is delimited and is the number expected next, so a year or a volume
number at the start of a continuation line is not taken for a new note (the callers read labels
in sequence). Author notes marked ``*``/``†`` are not numbered notes.

The rule for a usable split lives here too: body markers must have notes.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.core.models import Line, Note, NoteSplit, Paragraph, SequenceIssue, Span
from pipeline.core.text.urls import URL_START

#: Superscript digits set as characters, and the tables between them and ASCII digits.
SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
FROM_SUP = str.maketrans(SUP, "0123456789")
TO_SUP = str.maketrans("0123456789", SUP)
_MARKER_TEXT = re.compile(r"^\d{1,4}(?:\s*[,\u2013\u2014-]\s*\d{1,4}|\s+\d{1,4})*$")
_NOTE_LABEL = re.compile(
    r"^\s*(?:\[(?P<bracket>\d{1,4})\]\s*|\((?P<paren>\d{1,4})\)\s*|(?P<dot>\d{1,4})[.)](?:\s+|(?=[A-Z\"\u201c]))"
    r"|(?P<plain>\d{1,4})(?:\s+|(?=[A-Z\"\u201c\u2018])))"
)
SYMBOL_LABEL = re.compile(r"^\s*[*\u2020\u2021]{1,3}\s*(?=\S)")
#: a delimited label printed alone on its line: "2.", "2)", "[2]", "(2)"
_LABEL_ALONE = re.compile(r"\s*(?:(?P<dot>\d{1,3})[.)]|\[(?P<bracket>\d{1,3})\]|\((?P<paren>\d{1,3})\))\s*")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4}")

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
    label = label.translate(FROM_SUP).strip().strip(",")
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


def marker_spans(text: str) -> list[Span]:
    """Unicode superscript digit runs in ``text`` (used by the text-file path)."""
    return [Span(start=m.start(), end=m.end()) for m in re.finditer(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text)]


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


@dataclass
class NoteLabel:
    """A note label: its number, how it is set, and where the note text after it starts."""

    number: int
    style: str  # "sup", "dot", "bracket", "paren" or "plain"
    end: int  # where the note text starts


def parse_note_label(line: Line, expected: int | None = None) -> NoteLabel | None:
    """The note number a line starts with, if it starts like a note.

    A label followed by another number ("3. 9 Byrd on Rome", "24. 1964 Ga. Laws") counts only
    when it is delimited (superscript, period, brackets) and is the expected next number.
    """
    text = line.text
    glyphs = _SUPERSCRIPT_RUN.match(text)
    if glyphs and len(text) > glyphs.end():  # "¹ Source": superscript digits set as characters
        end = glyphs.end() + len(text[glyphs.end() :]) - len(text[glyphs.end() :].lstrip())
        return NoteLabel(int(glyphs.group(0).translate(FROM_SUP)), "sup", end)
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
    elif style == "plain" and rest[:1].islower() and not URL_START.match(rest):
        # "1990 was the year": a number in running text, not a bare label; "4 https://..." is
        # a note that is nothing but its URL
        return None
    elif not (rest[:1].isalpha() or rest[:1] in "\"\u201c'\u2018(*" or not rest[:1].isdigit()):
        return None
    return NoteLabel(number, style, m.end())


def parse_label_alone(line: Line) -> NoteLabel | None:
    """The label of a line that holds nothing but a delimited label ("2.", "[2]").

    Some producers set a note's label on a line of its own when the note opens with a word or
    a URL too long for the rest of the line: the note's text starts on the next line. The label
    must be delimited (a bare "2" is a page number or a figure); the callers read it in
    sequence, like any label.
    """
    m = _LABEL_ALONE.fullmatch(line.text)
    if m is None:
        return None
    style = next(k for k, v in m.groupdict().items() if v)
    return NoteLabel(int(m.group(style)), style, len(line.text))
