"""Notes in a full-width band under two columns, labelled ``1.`` at the baseline in body-size
type (issue 12): the failure classes seen on band-notes documents, one generated PDF each.

Each case is drawn with the fixture generator's ``Sheet`` (tests/fixtures/pdf/make_cases.py) into
the test's own folder, so the layout under test is exactly what the test name says.
"""

from __future__ import annotations

import textwrap

from pipeline.core.footnotes import quality_problems
from tests.core.footnotes.helpers import TWO_COLUMNS_LEFT, TWO_COLUMNS_RIGHT, Sheet, draw_and_split


def band_note_label_alone_on_its_line(s: Sheet) -> None:
    """A band of notes whose second and fourth notes are nothing but a URL too long for the
    label's line: the label ``2.`` stands alone and the URL starts the next line."""
    s.line(72, 80, "The Harbour and Its Town", 18, "Times-Bold")
    s.lines(72, 120, TWO_COLUMNS_LEFT, 10, 13)
    s.lines(320, 120, TWO_COLUMNS_RIGHT, 10, 13)
    s.rule(72, 540, 262)
    band = [
        "1. Harbour Board, Report on the Storm Damage of 1953 (Harbour Board, 1954), pp. 3-9.",
        "2.",
        "https://archive.example.org/fishermen/union/letters/1961/letter-to-the-harbour-board",
        "3. Minutes of the Town Council, 4 April 1962, Town Archive, with the vote on the pontoon.",
        "4.",
        "https://tourism.example.org/regional-office/marinas-of-the-northern-coast-survey-1994",
        "5. Museum of the Harbour, Guide to the Collection, https://museum.example.org/guide.",
    ]
    s.lines(72, 280, band, 10, 13)
    s.footer("7")


def test_a_band_note_whose_label_stands_alone_starts_at_its_label(tmp_path):
    split = draw_and_split(tmp_path, "band_note_label_alone_on_its_line", band_note_label_alone_on_its_line)
    assert [n.number for n in split.notes] == [1, 2, 3, 4, 5]
    assert (
        split.notes[0].text
        == "Harbour Board, Report on the Storm Damage of 1953 (Harbour Board, 1954), pp. 3-9."
    )
    assert [(n.number, [u.url for u in n.urls]) for n in split.notes if n.urls] == [
        (2, ["https://archive.example.org/fishermen/union/letters/1961/letter-to-the-harbour-board"]),
        (4, ["https://tourism.example.org/regional-office/marinas-of-the-northern-coast-survey-1994"]),
        (5, ["https://museum.example.org/guide"]),
    ]
    assert all(n.has_marker for n in split.notes) and quality_problems(split) == []


#: body text of the harbour report, a different stretch on each page (repeated lines are page furniture)
_STORY = textwrap.wrap(
    "The quays were repaired again in the eighties, and the town paid for the work out of the harbour "
    "dues that the leisure craft brought in every summer. The old cranes were kept as a reminder of "
    "the trade that the harbour lived on for three hundred years, and visitors photograph them more "
    "than anything else. A ferry to the islands started in 1991 and stopped two years later, when "
    "the company that ran it went bankrupt in the recession. The town bought its boat and used it "
    "for school trips until the engine failed. Since then the islands are reached only by the mail "
    "boat, which leaves twice a week from the northern quay and takes passengers if there is room. "
    "The fishermen who stayed moved their boats to the inner basin, where the water is calmer and "
    "the berths cost less. Their catch is sold at the hall on the edge of the town each morning, "
    "and the restaurants of the front buy most of it before the tourists wake up. In winter the "
    "harbour is quiet, the leisure craft are lifted out onto the hard, and the wind has the quays "
    "to itself. The harbour master keeps a log of the storms, as his predecessors did, in the same "
    "kind of bound book that the archive holds for every year since the harbour board was founded.",
    48,
)


#: the notes of the harbour report: number -> text
_NOTES = {
    1: "Harbour Board, Report on the Storm Damage of 1953 (Harbour Board, 1954), pp. 3-9.",
    2: "Letter of the Fishermen's Union to the Harbour Board, 12 March 1961, Town Archive.",
    3: "Survey of the harbour walls, https://archive.example.org/survey/walls-1958 (no marker).",
    4: "Minutes of the Town Council, 4 April 1962, https://archive.example.org/council/62.",
    5: "Regional Tourism Office, Marinas of the Coast (1994), with a survey of the berths.",
    6: "Photographs of the pontoon, https://photos.example.org/pontoon (cited by no marker).",
    7: "Museum of the Harbour, Guide to the Collection, https://museum.example.org/guide.",
    8: "Harbour dues of 1985-1990, Harbour Board accounts, https://archive.example.org/dues.",
    9: "Interview with the last crane driver, 2001, https://voices.example.org/crane-driver.",
}


def _columns(s: Sheet, page: int, markers: tuple[int, ...]) -> None:
    """Two columns of body text, the given markers at the ends of every other line."""
    slots = [(column, i) for column in (0, 1) for i in (1, 3, 5)]
    marked = dict(zip(slots, markers, strict=False))
    for column, x in ((0, 72), (1, 320)):
        start = (2 * page + column) * 6 % (len(_STORY) - 6)
        filler = _STORY[start : start + 6]
        text = [f"{t}^{{{marked[column, i]}}}" if (column, i) in marked else t for i, t in enumerate(filler)]
        s.lines(x, 120, text, 10, 13)


def _band(s: Sheet, numbers: tuple[int, ...]) -> None:
    s.rule(72, 540, 500)
    s.lines(72, 520, [f"{n}. {_NOTES[n]}" for n in numbers], 10, 13)


def band_notes_printed_out_of_sequence(s: Sheet) -> None:
    """A report whose notes 3 and 6 are cited by no marker: the typesetter prints note 6 in its
    page's band after note 7, and note 3 in the last band, with note 8 that the last page
    cites nowhere either; the last page holds nothing but its band."""
    _columns(s, 0, (1, 2, 4))
    _band(s, (1, 2, 4))
    s.page()
    _columns(s, 1, (5, 7))
    _band(s, (5, 7, 6))
    s.page()
    _columns(s, 2, ())
    _band(s, (3, 8))
    s.page()
    _band(s, (9,))


def test_band_notes_printed_out_of_sequence_are_read_at_their_labels(tmp_path):
    split = draw_and_split(tmp_path, "band_notes_printed_out_of_sequence", band_notes_printed_out_of_sequence)
    assert {n.number: n.text for n in split.notes} == _NOTES
    assert {n.number: n.page for n in split.notes} == {1: 1, 2: 1, 4: 1, 5: 2, 7: 2, 6: 2, 3: 3, 8: 3, 9: 4}
    assert [m.number for m in split.markers] == [1, 2, 4, 5, 7]
    assert not any("Harbour dues" in p.text or "crane driver" in p.text for p in split.paragraphs)


def numbered_list_on_the_last_page_after_bands(s: Sheet) -> None:
    """A report with notes in a band on page 1, and on page 2 a numbered list of steps under
    the columns: its numbers are neither the next note's nor skipped ones, so it is text."""
    _columns(s, 0, (1, 2))
    _band(s, (1, 2))
    s.page()
    _columns(s, 1, ())
    s.rule(72, 540, 500)
    s.lines(
        72,
        520,
        [
            "1. Visitors buy a ticket at the old fish market and walk down to the first quay of all.",
            "2. The tour goes on along the pontoon, where the small boats of the town are moored.",
        ],
        10,
        13,
    )


def test_a_numbered_list_after_bands_of_notes_stays_text(tmp_path):
    split = draw_and_split(tmp_path, "numbered_list_after_bands", numbered_list_on_the_last_page_after_bands)
    assert [n.number for n in split.notes] == [1, 2]
    body = " ".join(p.text for p in split.paragraphs)
    assert "1. Visitors buy a ticket" in body and "2. The tour goes on" in body


def band_note_running_on_across_pages(s: Sheet) -> None:
    """A band at the foot of page 1 whose last note does not fit: its text runs on at the top
    of page 2's band, before that band's first label."""
    _columns(s, 0, (1, 2, 3))
    s.rule(72, 540, 640)
    s.lines(
        72,
        660,
        [
            f"1. {_NOTES[1]}",
            f"2. {_NOTES[2]}",
            "3. Minutes of the Town Council, 4 April 1962, with the vote on the pontoon and the letters of",
            "the fishermen who asked for it, the answers of the board, and the engineer's report on the",
        ],
        10,
        13,
    )
    s.page()
    _columns(s, 1, (4, 5))
    s.rule(72, 540, 500)
    s.lines(
        72,
        520,
        ["costs, https://archive.example.org/council/62.", f"4. {_NOTES[4]}", f"5. {_NOTES[5]}"],
        10,
        13,
    )


def test_a_band_note_running_on_across_pages_keeps_its_rest_and_the_next_band(tmp_path):
    split = draw_and_split(tmp_path, "band_note_running_on_across_pages", band_note_running_on_across_pages)
    notes = {n.number: n for n in split.notes}
    assert sorted(notes) == [1, 2, 3, 4, 5]
    assert notes[3].text.endswith(
        "the engineer's report on the costs, https://archive.example.org/council/62."
    )
    assert [u.url for u in notes[3].urls] == ["https://archive.example.org/council/62"]
    assert (notes[4].text, notes[5].text) == (_NOTES[4], _NOTES[5])
    assert [m.number for m in split.markers] == [1, 2, 3, 4, 5]
    assert not any("Regional Tourism Office" in p.text for p in split.paragraphs)


def body_paragraph_over_a_band_after_a_band_at_the_foot(s: Sheet) -> None:
    """Page 1's band reaches the page's foot; page 2 closes with a full-width paragraph under the
    columns, set apart from its band by a gap and a rule: it is body text, not the rest of page
    1's last note."""
    _columns(s, 0, (1, 2, 3))
    s.rule(72, 540, 640)
    s.lines(72, 660, [f"{n}. {_NOTES[n]}" for n in (1, 2, 3)], 10, 13)
    s.page()
    _columns(s, 1, (4,))
    s.lines(
        72,
        220,
        [
            "In short, the harbour that the storm destroyed was rebuilt three times in fifty years, each",
            "time for a different trade, and each time the town paid for the work itself.",
        ],
        10,
        13,
    )
    s.rule(72, 540, 500)
    s.lines(72, 520, [f"4. {_NOTES[4]}"], 10, 13)


def test_a_body_paragraph_over_a_band_is_not_the_rest_of_a_note(tmp_path):
    split = draw_and_split(
        tmp_path, "body_paragraph_over_a_band", body_paragraph_over_a_band_after_a_band_at_the_foot
    )
    assert {n.number: n.text for n in split.notes if n.number <= 3} == {n: _NOTES[n] for n in (1, 2, 3)}
    assert [m.number for m in split.markers] == [1, 2, 3, 4]
    assert any("rebuilt three times in fifty years" in p.text for p in split.paragraphs)


def band_of_short_notes_within_the_first_column(s: Sheet) -> None:
    """Short notes ("Ibid., p. 4.") in the band under two columns: no line reaches the second
    column, so the page's gutter runs down through the band and it ends the first column's run."""
    _columns(s, 0, (1, 2))
    s.lines(72, 520, ["1. Ibid., p. 4.", "2. Harbour Board, Report (1954), p. 9."], 10, 13)


def test_a_band_of_short_notes_within_the_first_column_is_notes(tmp_path):
    split = draw_and_split(tmp_path, "band_of_short_notes", band_of_short_notes_within_the_first_column)
    assert [(n.number, n.text) for n in split.notes] == [
        (1, "Ibid., p. 4."),
        (2, "Harbour Board, Report (1954), p. 9."),
    ]
    assert all(n.has_marker for n in split.notes) and quality_problems(split) == []
    assert not any("Ibid." in p.text for p in split.paragraphs)


def short_numbered_list_within_the_first_column(s: Sheet) -> None:
    """A short numbered list under two columns that cite no note: it is text."""
    _columns(s, 0, ())
    s.lines(72, 520, ["1. Buy a ticket at the market.", "2. Walk down to the quay."], 10, 13)


def test_a_short_numbered_list_naming_no_marker_stays_text(tmp_path):
    split = draw_and_split(tmp_path, "short_numbered_list", short_numbered_list_within_the_first_column)
    assert split.notes == []
    body = " ".join(p.text for p in split.paragraphs)
    assert "1. Buy a ticket at the market." in body and "2. Walk down to the quay." in body


def band_notes_crossing_the_gutter_only_a_little(s: Sheet) -> None:
    """A band of notes with hanging labels whose longest line ends just past the gutter."""
    _columns(s, 0, (1, 2))
    s.line(72, 520, "1.", 10)
    s.line(90, 520, "Harbour Board, Report on the Storm Damage", 10)
    s.line(90, 533, "of 1953 (Harbour Board, 1954), pp. 3-9.", 10)
    s.line(72, 546, "2.", 10)
    s.line(90, 546, "Minutes of the Town", 10)
    s.line(90, 559, "Council, 4 April 1962, https://archive.example.org/council/62.", 10)


def test_band_notes_crossing_the_gutter_only_a_little_are_notes(tmp_path):
    split = draw_and_split(tmp_path, "band_crossing_the_gutter", band_notes_crossing_the_gutter_only_a_little)
    assert [(n.number, n.text) for n in split.notes] == [
        (1, "Harbour Board, Report on the Storm Damage of 1953 (Harbour Board, 1954), pp. 3-9."),
        (2, "Minutes of the Town Council, 4 April 1962, https://archive.example.org/council/62."),
    ]
    assert [u.url for u in split.notes[1].urls] == ["https://archive.example.org/council/62"]
