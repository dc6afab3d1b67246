"""Text input read into pieces: note labels read in sequence."""

import pytest

from tests.core.footnotes.helpers import LONG, read_and_split

LABELS = [
    # (notes text, expected [(number, label, text starts with)])
    ("¹ Ann Lee, “A Title,” 2020.\n² Bo Ma, “B Title,” 2021.", [(1, "¹", "Ann Lee"), (2, "²", "Bo Ma")]),
    ("1. Ann Lee, “A Title,” 2020.\n2. Bo Ma, “B Title,” 2021.", [(1, "1.", "Ann Lee"), (2, "2.", "Bo Ma")]),
    (
        "[1] Ann Lee, “A Title,” 2020.\n[2] Bo Ma, “B Title,” 2021.",
        [(1, "[1]", "Ann Lee"), (2, "[2]", "Bo Ma")],
    ),
    (
        "$^{1}$ Ann Lee, “A Title,” 2020.\n$^{\\rm 2}$ Bo Ma, “B Title,” 2021.",
        [(1, "¹", "Ann"), (2, "²", "Bo")],
    ),
    ('^{1 &}quot;A Title," 2020.\n[&]quot;B Title," 2021.', [(1, "¹", '"A Title," 2020. "B Title," 2021.')]),
    # notes run together on one line, with a superscript and with a plain number after a URL
    (
        "¹ Ann Lee, “A,” 2020, https://a.org/x ² Bo Ma, “B,” 2021, https://b.org/y 3 Cy Do, “C,” 2022.",
        [(1, "¹", "Ann Lee"), (2, "²", "Bo Ma"), (3, "3", "Cy Do")],
    ),
    # a word standing in for a lost number fills the gap in the sequence
    (
        "¹ Ann Lee, “A,” 2020.\n\nTable Bo Ma, “B,” 2021.\n\n³ Cy Do, “C,” 2022.",
        [(1, "¹", "Ann"), (2, "Table", "Bo Ma"), (3, "³", "Cy")],
    ),
    # a superscript year is not a label: it completes the date of the note before
    (
        "¹ Ann Lee, “A Title,” Publisher, May 5,\n\n^{2020,} https://a.org/x",
        [(1, "¹", "Ann Lee, “A Title,” Publisher, May 5, 2020, https://a.org/x")],
    ),
]


@pytest.mark.parametrize("notes,expected", LABELS)
def test_note_labels(notes, expected):
    split = read_and_split(f"{LONG}\n\n{notes}\n")
    got = [(n.number, n.label, n.text) for n in split.notes]
    assert [(n, lab) for n, lab, _ in got] == [(n, lab) for n, lab, _ in expected]
    for (_, _, text), (_, _, start) in zip(got, expected, strict=True):
        assert text.startswith(start), text
