"""Marker and note labels, linking markers to notes, and the quality rule."""

import pytest

from pipeline.core.footnotes import link_markers, parse_marker_label, parse_note_label, quality_problems
from pipeline.core.models import Line, Marker, Note, NoteSplit, Paragraph, Span

LABELS = [
    ("3", [3]),
    ("5,6", [5, 6]),
    ("7–9", [7, 8, 9]),
    ("7-9", [7, 8, 9]),
    ("12, 13", [12, 13]),
    ("³⁴", [34]),
    # a raised run with a space in it: two markers set one after the other
    ("35 36", [35, 36]),
    ("4 – 6", [4, 5, 6]),
    ("8, 9", [8, 9]),
    ("th", []),
    ("st", []),
    ("1a", []),
    ("*", []),
    ("", []),
]


@pytest.mark.parametrize("label,numbers", LABELS)
def test_parse_marker_label(label, numbers):
    assert parse_marker_label(label) == numbers


def _para(*numbers: int) -> Paragraph:
    return Paragraph(
        index=0,
        page=1,
        text="x" * 10,
        markers=[Marker(number=n, label=str(n), page=1, paragraph=0, offset=1) for n in numbers],
    )


def _note(n: int) -> Note:
    return Note(number=n, label=str(n), text=f"note {n}", page=1)


def test_sequence_problems_are_reported_as_data():
    notes = [_note(1), _note(2), _note(2), _note(5)]
    issues = link_markers([_para(1, 1, 3)], notes)
    assert [(i.kind, i.number, i.detail) for i in issues] == [
        ("duplicate_note", 2, "note 2 appears more than once"),
        ("marker_without_note", 3, "marker '3' on page 1 has no note"),
        ("duplicate_marker", 1, "marker 1 appears 2 times in the body"),
        ("note_without_marker", 2, "note 2 (page 1) has no marker"),
        ("note_without_marker", 2, "note 2 (page 1) has no marker"),  # the duplicate is reported too
        ("note_without_marker", 5, "note 5 (page 1) has no marker"),
        ("gap", 3, "notes 3-4 are missing"),
    ]
    assert [n.has_marker for n in notes] == [True, False, False, False]


def test_quality_rule_tolerates_a_few_orphan_markers_but_not_many():
    notes = [_note(n) for n in range(1, 11)]
    few = NoteSplit(doc_id="d", sha256="s", paragraphs=[_para(*range(1, 11), 11)], notes=notes)
    few.issues = link_markers(few.paragraphs, few.notes)
    assert quality_problems(few) == []
    many = NoteSplit(doc_id="d", sha256="s", paragraphs=[_para(*range(1, 16))], notes=notes[:5])
    many.issues = link_markers(many.paragraphs, many.notes)
    assert quality_problems(many) == ["10 of 15 markers have no note"]


def _line(text: str, sup: str | None = None) -> Line:
    spans = [Span(start=0, end=len(sup))] if sup else []
    return Line(page=1, text=text, superscripts=spans)


NOTE_LABELS = [
    # line text, raised label at its start, expected next number -> (number, style, note text) or None
    ("1 See Robert C. Byrd", "1", None, (1, "sup", "See Robert C. Byrd")),
    ("23lepiphany.typepad.com/", "2", None, (2, "sup", "3lepiphany.typepad.com/")),
    ("12. Livy, Book III.", None, None, (12, "dot", "Livy, Book III.")),
    (
        "[4] http://knowledgecenter.csg.org/kc",
        None,
        None,
        (4, "bracket", "http://knowledgecenter.csg.org/kc"),
    ),
    ("(3) Treaty Series, vol. 1", None, None, (3, "paren", "Treaty Series, vol. 1")),
    ("5 Andrew Lintott, The Roman Republic", None, None, (5, "plain", "Andrew Lintott, The Roman Republic")),
    ("7“Quoted title,” Journal", None, None, (7, "plain", "“Quoted title,” Journal")),
    # a delimited label may be followed by a volume number or a year, if it is the next one
    ("3. 9 Byrd on Rome, July 13, 1993", None, 3, (3, "dot", "9 Byrd on Rome, July 13, 1993")),
    ("24. 1964 Ga. Laws, Ex. Sess.", None, 24, (24, "dot", "1964 Ga. Laws, Ex. Sess.")),
    ("24. 1964 Ga. Laws, Ex. Sess.", None, 30, None),
    # a continuation line that starts with numbers is not a note
    ("2004), available at http://x.org", None, 5, None),
    ("§ 21-2-2(7), (39) (2024).", None, 7, None),
    ("1990 was the year", None, 3, None),
    ("* This order is not binding", "*", None, None),
    ("17", None, 17, None),
]


@pytest.mark.parametrize("text,sup,expected,result", NOTE_LABELS)
def test_parse_note_label(text, sup, expected, result):
    label = parse_note_label(_line(text, sup), expected)
    got = None if label is None else (label.number, label.style, text[label.end :])
    assert got == result
