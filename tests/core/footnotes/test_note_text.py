"""Note text across producers (issue 12): a note that is only a URL, a note's short last line,
link annotations attached by the text they cover. One generated fixture per failure class."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.core.footnotes import split_notes
from pipeline.core.layout import parse_document
from pipeline.core.models import NoteSplit
from tests.conftest import FIXTURES
from tests.core.footnotes.helpers import read_and_split

_spec = importlib.util.spec_from_file_location("make_cases", FIXTURES / "pdf" / "make_cases.py")
make_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_cases)
Sheet = make_cases.Sheet

NEWS = "https://www.example.org/news/2021/04/12/others-followed-later"
REPORT = "https://example.gov/reports/annual-report-2020.pdf"


def _split(tmp_path: Path, name: str, draw: Callable[[Sheet], None]) -> NoteSplit:
    path = tmp_path / f"{name}.pdf"
    sheet = Sheet(path)
    draw(sheet)
    sheet.save()
    return split_notes(parse_document(path, doc_id=name))


# ------------------------------------------------------------------ a note that is only a URL
_BODY = (
    "The ministry published its figures in spring.¹ Others followed later.² A third study came out "
    "in the autumn.³\n\n"
)


@pytest.mark.parametrize(
    ("case", "labels"),
    [
        ("url_only_note_dot_label", ("1.", "2.", "3.")),
        ("url_only_note_bracket_label", ("[1]", "[2]", "[3]")),
        ("url_only_note_paren_label", ("(1)", "(2)", "(3)")),
        ("url_only_note_plain_label", ("1", "2", "3")),
        ("url_only_note_superscript_label", ("¹", "²", "³")),
    ],
)
@pytest.mark.parametrize("ends_with_url", [False, True], ids=["after_text", "after_a_url"])
def test_a_note_that_is_only_a_url_is_its_own_note_in_text(case, labels, ends_with_url):
    first = (
        f"Ministry of Finance, Annual Report (2020), {REPORT}."
        if ends_with_url
        else ("Ministry of Finance, Annual Report (2020).")
    )
    notes = (
        f"Notes\n\n{labels[0]} {first}\n{labels[1]} {NEWS}\n"
        f"{labels[2]} Smith, J., “A Third Study,” Journal of Things 12 (2019): 33.\n"
    )
    split = read_and_split(_BODY + notes)
    assert [(n.number, [u.url for u in n.urls]) for n in split.notes] == [
        (1, [REPORT] if ends_with_url else []),
        (2, [NEWS]),
        (3, []),
    ], case
    assert split.notes[1].text == NEWS


def test_a_number_before_a_url_out_of_sequence_is_no_label_in_text():
    """Only the number the list expects next opens a URL-only note; "12 https://" within a note
    (a page number before a URL, a count) goes on with its note."""
    split = read_and_split(
        _BODY + f"Notes\n\n1. Ministry of Finance, Annual Report (2020), table\n12 {REPORT}.\n2. {NEWS}\n"
        "3. Smith, J., “A Third Study,” Journal of Things 12 (2019): 33.\n"
    )
    assert [n.number for n in split.notes] == [1, 2, 3]
    assert [u.url for u in split.notes[0].urls] == [REPORT]


def _url_only_notes_pdf(label: str) -> Callable[[Sheet], None]:
    def draw(s: Sheet) -> None:
        s.lines(
            72, 100, ["The ministry published its figures.^{1} Others followed later.^{2} A third one.^{3}"]
        )
        s.rule(72, 144, 680)
        s.lines(
            72,
            692,
            [
                label.format(1) + f"Ministry of Finance, Annual Report (2020), {REPORT}.",
                label.format(2) + NEWS,
                label.format(3) + "Smith, J., A Third Study, Journal of Things 12 (2019): 33.",
            ],
            8,
            10,
        )

    return draw


@pytest.mark.parametrize(
    ("case", "label"),
    [
        ("url_only_footnote_raised_label", "^{{{}}} "),
        ("url_only_footnote_raised_label_glued", "^{{{}}}"),
        ("url_only_footnote_dot_label", "{}. "),
        ("url_only_footnote_baseline_number", "{} "),
    ],
)
def test_a_note_that_is_only_a_url_is_its_own_note_in_a_pdf(tmp_path, case, label):
    split = _split(tmp_path, case, _url_only_notes_pdf(label))
    assert [(n.number, [u.url for u in n.urls]) for n in split.notes] == [(1, [REPORT]), (2, [NEWS]), (3, [])]


# ------------------------------------------------------------------ a note's short last line
def _short_last_lines_at_page_feet(s: Sheet) -> None:
    """A law report whose notes end, at the foot of each page, with a short line ("para 12.")
    whose shape repeats on every page, like a running footer's."""
    for page in range(3):
        a = 2 * page + 1
        s.lines(
            72,
            100,
            [f"The tribunal considered the objection.^{{{a}}} It then dismissed it.^{{{a + 1}}}"]
            + ["The body goes on with more words about the matter at hand for a while longer."] * 30,
            10,
            12,
        )
        s.rule(72, 144, 690)
        s.lines(
            72,
            705,
            [
                f"^{{{a}}} Case of Example v. Other State, App. No. 123/{page}, Judgment of 12 May 2010, at",
                f"para {35 + page}.",
                f"^{{{a + 1}}} Prosecutor v. Someone, Case No. IT-95-14, Appeal Judgment, 29 July 2004,",
                f"para {12 + page}.",
            ],
            8,
            10,
        )
        s.footer(f"{page + 1}")
        s.page()


def test_a_short_last_line_of_a_note_at_the_page_foot_stays_in_its_note(tmp_path):
    split = _split(tmp_path, "short_note_continuation_at_page_foot", _short_last_lines_at_page_feet)
    assert {n.number: n.text.rsplit(" ", 3)[-3:] for n in split.notes} == {
        1: ["at", "para", "35."],
        2: ["2004,", "para", "12."],
        3: ["at", "para", "36."],
        4: ["2004,", "para", "13."],
        5: ["at", "para", "37."],
        6: ["2004,", "para", "14."],
    }


@pytest.mark.parametrize(
    ("case", "last"),
    [
        ("year_alone_ends_the_last_note", "(2020)."),
        ("pages_alone_end_the_last_note", "35-36."),
        ("paragraph_ends_the_last_note", "para 35."),
    ],
)
def test_a_short_last_line_ending_the_page_stays_in_its_note(tmp_path, case, last):
    """On a one-page document a bare number on the last line reads like a page number; it goes
    on from the note line right above it."""

    def draw(s: Sheet) -> None:
        s.lines(72, 100, ["The tribunal considered the objection.^{1} It then dismissed it.^{2}"], 10)
        s.rule(72, 144, 720)
        s.line(72, 732, "^{1} Id.", 8)
        s.line(72, 742, "^{2} Case of Example v. Other State, App. No. 123/08, Judgment of 12 May,", 8)
        s.line(72, 752, last, 8)

    split = _split(tmp_path, case, draw)
    assert split.notes[-1].text.endswith(f"12 May, {last}")


def test_a_running_footer_set_apart_from_the_notes_is_still_dropped(tmp_path):
    def draw(s: Sheet) -> None:
        for page in range(3):
            s.lines(72, 100, [f"The tribunal considered the objection.^{{{page + 1}}} It dismissed it."], 10)
            s.rule(72, 144, 700)
            s.line(72, 712, f"^{{{page + 1}}} Case of Example v. Other State, Judgment of 12 May 2010, at", 8)
            s.line(72, 722, f"para {35 + page}.", 8)
            s.line(72, 750, f"Journal of Examples, vol. {page + 4}", 8)  # set apart: furniture
            s.page()

    path = tmp_path / "running_footer_under_notes.pdf"
    sheet = Sheet(path)
    draw(sheet)
    sheet.save()
    doc = parse_document(path, doc_id="footer")
    assert [p.dropped for p in doc.layout] == [[f"Journal of Examples, vol. {k}"] for k in (4, 5, 6)]
    assert [n.text[-8:] for n in split_notes(doc).notes] == ["para 35.", "para 36.", "para 37."]


# ------------------------------------------------------------------ link annotations
H = make_cases.H
WRAPPED = "https://news.example.com/2021/04/others-followed"
FOURTH = "https://www.example.net/fourth-report"


def _loose_link_rectangles(s: Sheet) -> None:
    """Notes whose link rectangles are drawn loosely: one rectangle across the full width of
    both lines of a wrapped URL (Word, LibreOffice), one drawn too tall, reaching into the next
    note; and a hyperlink behind a title that prints no URL."""
    s.lines(
        72, 100, ["The ministry published its figures.^{1} Others followed.^{2} A third.^{3} A fourth.^{4}"]
    )
    s.rule(72, 144, 660)
    s.lines(
        72,
        672,
        [
            "^{1} Ministry of Finance, Annual Report (2020), https://example.gov/reports/annual.pdf.",
            "^{2} Jane Doe, Others Followed, Daily News, 12 April 2021, https://news.example.com/2021/04/",
            "others-followed.",
            "^{3} Smith, A Third Study, Journal of Things 12 (2019): 33.",
            f"^{{4}} {{link:{FOURTH}|The Fourth Report}}, Example Institute (2022).",
        ],
        8,
        10,
    )
    s.c.linkURL(WRAPPED, (72, H - 703, 540, H - 684), relative=0, thickness=0)  # both lines, full width
    s.c.linkURL(REPORT.replace("annual-report-2020", "annual"), (250, H - 685, 420, H - 665), relative=0)


def test_a_link_rectangle_over_several_notes_goes_to_the_note_printing_its_url(tmp_path):
    split = _split(tmp_path, "link_rectangle_over_several_notes", _loose_link_rectangles)
    assert {n.number: [(u.url, u.source) for u in n.urls] for n in split.notes} == {
        1: [("https://example.gov/reports/annual.pdf", "both")],
        2: [(WRAPPED, "both")],
        3: [],
        4: [(FOURTH, "annotation")],
    }


def test_a_hyperlink_behind_text_that_prints_no_url_is_kept_as_link_only(tmp_path):
    split = _split(tmp_path, "link_only_url_behind_a_title", _loose_link_rectangles)
    (ref,) = split.notes[3].urls
    assert (ref.url, ref.raw_url, ref.source) == (FOURTH, "The Fourth Report,", "annotation")


def _link_over_the_gutter(s: Sheet) -> None:
    """A two-column page with its notes at the foot of each column; the annotation of a URL in
    the left column is drawn across the gutter over the right column's note on the same line."""
    left = ["The first claim of the paper is made here.^{1} It is argued at length in the text."]
    right = ["The second claim of the paper is made there.^{2} It is argued at length as well."]
    filler = ["The argument goes on in this column with more words about the matter."] * 20
    s.lines(72, 100, [left[0][:38], left[0][38:], *filler], 9, 11)
    s.lines(320, 100, [right[0][:40], right[0][40:], *filler], 9, 11)
    for x in (72, 320):
        s.rule(x, x + 80, 680)
    s.lines(
        72, 692, ["^{1} Ministry of Finance, Report,", "https://example.org/left/report", "(2020)."], 7, 9
    )
    s.lines(320, 692, ["^{2} Jane Doe, Another Report, Example", "Press (2021), 33-35."], 7, 9)
    s.c.linkURL("https://example.org/left/report", (72, H - 703, 540, H - 694), relative=0, thickness=0)


def test_a_link_rectangle_across_the_gutter_stays_with_its_column(tmp_path):
    split = _split(tmp_path, "link_rectangle_across_the_gutter", _link_over_the_gutter)
    assert {n.number: [u.url for u in n.urls] for n in split.notes} == {
        1: ["https://example.org/left/report"],
        2: [],
    }


@pytest.mark.parametrize(
    ("word", "uri", "expected"),
    [
        ("https://perma.cc/PY", "https://perma.cc/PYB8-DZPA", True),
        ("B8-DZPA].", "https://perma.cc/PYB8-DZPA", True),
        ("others-followed.", "https://news.example.com/2021/04/others-followed", True),
        ("(www.example.org/a)", "https://example.org/a", True),
        ("news", "https://news.example.com/2021/04/others-followed", False),  # too short to tell
        ("Followed,", "https://news.example.com/2021/04/others-followed", False),  # a word, not a piece
        ("Smith,", "https://example.org/smith", False),
        ("2021,", "https://news.example.com/2021/04/x", False),  # a year: the next note's date
        ("PYB8DZPA]", "https://perma.cc/PYB8DZPA", True),
        ("https://example.org/a/", "https://example.org/a/", True),  # the trailing slash
    ],
)
def test_which_words_print_part_of_a_link_target(word, uri, expected):
    from pipeline.core.layout.links import prints_part_of

    assert prints_part_of(word, uri) is expected
