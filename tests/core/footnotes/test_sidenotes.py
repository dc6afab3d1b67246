"""Sidenotes that do not stand level with their markers (issue 12): where a margin-notes class
(tufte-book, kaobook with marginfix) puts a note when the margin beside its marker is full.

Each case is a small book drawn with the fixture generator's ``Sheet`` by ``_margin_book``, which
places notes as those classes do: a note starts at its marker's line, or lower when the note
before it is still running; a note that would run past the foot of the page waits for the top
of the next page's margin, before that page's own notes; notes with no marker follow the last
note. One generated PDF per failure class.
"""

from __future__ import annotations

import re
import textwrap

from pipeline.core.footnotes import quality_problems
from pipeline.core.models import NoteSplit
from tests.core.footnotes.helpers import Sheet, draw_and_split

_TOP, _FOOT = 110.0, 720.0  # baselines of the first and the lowest line of a page
_LEAD, _NOTE_LEAD, _GAP = 13.0, 10.0, 4.0
_MARK = re.compile(r"\^\{(\d+)\}")


def _note_rows(text: str) -> list[str]:
    return textwrap.wrap(text, 34)


def _margin_book(
    s: Sheet,
    pages: list[list[str]],
    notes: dict[int, str],
    unmarked: tuple[int, ...] = (),
    text_x: float = 72,
    note_x: float = 370,
) -> dict[int, int]:
    """Body lines at 10 pt page by page (``^{n}`` marks note n), the notes at 8 pt in the right
    margin, labels raised, placed as described in the module's docstring; returns the page of
    each note."""
    free = _TOP
    waiting: list[int] = []
    placed: dict[int, int] = {}
    page = 1

    def place(n: int, at: float) -> float:
        placed[n] = page
        y = at
        for k, row in enumerate(_note_rows(notes[n])):
            s.line(note_x, y, f"^{{{n}}}{row}" if k == 0 else row, 8)
            y += _NOTE_LEAD
        return y + _GAP

    def height(n: int) -> float:
        return len(_note_rows(notes[n])) * _NOTE_LEAD

    for page, lines in enumerate(pages, start=1):
        if page > 1:
            s.page()
        free = _TOP
        carried, waiting = waiting, []
        for n in carried:
            if waiting or free + height(n) > _FOOT:
                waiting.append(n)
            else:
                free = place(n, free)
        y = _TOP
        for text in lines:
            s.line(text_x, y, text, 10)
            for n in map(int, _MARK.findall(text)):
                at = max(y, free)
                if not waiting and at + height(n) <= _FOOT:
                    free = place(n, at)
                else:
                    waiting.append(n)
            y += _LEAD
        s.footer(str(page))
    for n in [*waiting, *unmarked]:
        if free + height(n) > _FOOT:
            s.page()
            page += 1
            free = _TOP
        free = place(n, free)
    return placed


def _body(markers: dict[int, int], count: int) -> list[str]:
    """``count`` body lines of a page, line i ending with the marker ``markers[i]`` if any."""
    words = "the survey of the old harbour walls went on all winter"
    out = []
    for i in range(count):
        text = f"{words.capitalize()} {i}" if i % 5 == 0 else words
        out.append(f"{text}.^{{{markers[i]}}}" if i in markers else text)
    return out


def _source(n: int, rows: int) -> str:
    """A note of about ``rows`` lines at the margin's width, with a URL of its own."""
    filler = " ".join(["Harbour Board minutes and letters,"] * (rows - 2))
    return f"Source {n}: {filler} https://archive.example.org/harbour/{n}"


def _split(tmp_path, draw) -> tuple[NoteSplit, dict[int, int]]:
    """The book ``draw`` draws, split, and the page it set each note on."""
    pages: dict[int, int] = {}
    split = draw_and_split(tmp_path, draw.__name__, lambda s: pages.update(draw(s)))
    return split, pages


def _check(split: NoteSplit, notes: dict[int, str], pages: dict[int, int]) -> None:
    """Every note whole, with its URL and on the page it was set on; none of it in the body."""
    assert {n.number: n.text for n in split.notes} == notes
    assert {n.number: [u.url for u in n.urls] for n in split.notes} == {
        n: [f"https://archive.example.org/harbour/{n}"] for n in notes
    }
    assert {n.number: n.page for n in split.notes} == pages
    assert quality_problems(split) == []
    body = " ".join(p.text for p in split.paragraphs)
    assert "Harbour Board minutes" not in body and "archive.example.org" not in body


def _pushed_notes() -> dict[int, str]:
    return {n: _source(n, 8 if n < 7 else 3) for n in range(1, 8)}


def sidenotes_pushed_far_below_their_markers(s: Sheet) -> dict[int, int]:
    """Six markers on six consecutive lines, each note eight lines long: every note but the first
    is pushed below the one before, the sixth some thirty body lines below its marker; a seventh
    note stands beside its marker further down, after a gap in the margin."""
    markers = {i: i + 1 for i in range(6)} | {42: 7}
    return _margin_book(s, [_body(markers, 46)], _pushed_notes())


def test_sidenotes_pushed_far_below_their_markers_are_still_their_notes(tmp_path):
    split, pages = _split(tmp_path, sidenotes_pushed_far_below_their_markers)
    _check(split, _pushed_notes(), pages)
    assert [m.number for m in split.markers] == list(range(1, 8))


def _carried_notes() -> dict[int, str]:
    return {n: _source(n, 12 if n <= 5 else 4) for n in range(1, 8)}


def sidenotes_carried_to_the_next_page(s: Sheet) -> dict[int, int]:
    """Five long notes on the first page do not all fit: the last three wait for the top of the
    second page's margin, and the notes of that page's markers 6 and 7 stand beside them further
    down, after a gap."""
    first = _body({4: 1, 6: 2, 40: 3, 42: 4, 44: 5}, 46)
    second = _body({34: 6, 38: 7}, 40)
    return _margin_book(s, [first, second], _carried_notes())


def test_sidenotes_carried_to_the_top_of_the_next_page_are_notes_there(tmp_path):
    split, pages = _split(tmp_path, sidenotes_carried_to_the_next_page)
    assert sorted(pages.values()) == [1, 1, 2, 2, 2, 2, 2]  # the case drawn: 3 notes carried over
    _check(split, _carried_notes(), pages)


def _column_notes() -> dict[int, str]:
    return {n: _source(n, 14 if n < 9 else 4) for n in range(1, 13)}


def sidenotes_beside_pages_without_markers(s: Sheet) -> dict[int, int]:
    """Long notes of markers close together on the first page: those that do not fit fill the
    margin of the second page, whose body has no marker at all, and a third page of notes alone;
    notes 9 and 11, which have no marker, follow the last note there, out of order."""
    first = _body({2 + 4 * k: n for k, n in enumerate((1, 2, 3, 4, 5, 6, 7, 8, 10, 12))}, 46)
    return _margin_book(s, [first, _body({}, 46)], _column_notes(), unmarked=(9, 11))


def test_the_margin_column_of_a_book_holds_notes_on_pages_without_markers(tmp_path):
    split, pages = _split(tmp_path, sidenotes_beside_pages_without_markers)
    assert set(pages.values()) == {1, 2, 3} and pages[9] == pages[11] == 3  # the case drawn
    _check(split, _column_notes(), pages)
    assert {n.number for n in split.notes if not n.has_marker} == {9, 11}


def _unmarked_notes() -> dict[int, str]:
    # a line of note 7 starts "5 May": a date, not the label of note 5, set raised further down
    seven = "Source 7: Harbour Board minutes of 5 May 1990, https://archive.example.org/harbour/7"
    return {n: _source(n, 3) for n in range(1, 7)} | {7: seven}


def unmarked_sidenotes_after_the_last_one(s: Sheet) -> dict[int, int]:
    """Notes 3 and 5 have no marker in the body; the book sets them after note 7, the last note
    with a marker, out of the order of their numbers."""
    body = _body({3: 1, 9: 2, 15: 4, 21: 6, 27: 7}, 34)
    return _margin_book(s, [body], _unmarked_notes(), unmarked=(3, 5))


def test_unmarked_sidenotes_set_after_the_last_one_are_notes_of_their_own(tmp_path):
    assert _note_rows(_unmarked_notes()[7])[1].startswith("5 May")  # the case drawn
    split, pages = _split(tmp_path, unmarked_sidenotes_after_the_last_one)
    _check(split, _unmarked_notes(), pages)
    assert [n.number for n in split.notes] == [1, 2, 4, 6, 7, 3, 5]
    assert {n.number for n in split.notes if not n.has_marker} == {3, 5}


_LAST_COLUMN = [
    "The harbour board met for the very last time in the",
    "early spring, when the town took over all its duties.^{1}",
    "Its archive went to the county record office in the city,",
    "where the minutes are now kept in forty grey boxes.^{2}",
    "The engineers' drawings were lost in a fire at the port,",
    "but copies of most survive in the port's own files.^{3}",
    "The board's seal hangs in the town hall to this day.",
]
_LAST_NOTES = {
    1: "Town Council, Minutes of the Harbour Committee, 4 April 1962, with the transfer deed and "
    "the inventory of the board's property, https://archive.example.org/harbour/1",
    2: "County Record Office, Harbour Board papers, boxes 1-40, catalogued in 1970 by the county "
    "archivist and the board's last clerk, https://archive.example.org/harbour/2",
    3: "Port Authority, Drawings Register, https://archive.example.org/harbour/3",
}


def footnotes_at_the_foot_of_both_columns(s: Sheet) -> dict[int, int]:
    """The last page of a two-column article: the body ends high in the left column, and the
    page's footnotes fill the foot of both columns, note 2 running on into the right one, which
    holds nothing but the running header and small print, label 3 far below its marker."""
    s.line(400, 40, "THE HARBOUR BOARD", 7.5)
    s.lines(46, 70, _LAST_COLUMN, 10, 13)
    s.rule(46, 116, 650)
    rows = [(n, k, row) for n, text in _LAST_NOTES.items() for k, row in enumerate(textwrap.wrap(text, 60))]
    for i, (n, k, row) in enumerate(rows):
        x, y = (46, 664 + 9 * i) if i < 5 else (306, 664 + 9 * (i - 5))
        s.line(x if k == 0 else x + 8, y, f"^{{{n}}} {row}" if k == 0 else row, 7)
    s.footer("6")
    return dict.fromkeys(_LAST_NOTES, 1)


def test_small_print_filling_the_second_of_two_equal_columns_is_footnotes_not_a_margin(tmp_path):
    split, _ = _split(tmp_path, footnotes_at_the_foot_of_both_columns)
    assert {n.number: n.text for n in split.notes} == _LAST_NOTES
    assert {n.number: [u.url for u in n.urls] for n in split.notes} == {
        n: [f"https://archive.example.org/harbour/{n}"] for n in _LAST_NOTES
    }
    assert "HARBOUR BOARD" not in " ".join(n.text for n in split.notes)
