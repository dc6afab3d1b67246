"""Page layouts of real PDFs from other producers (issue 12): where the notes sit on the page,
how their labels are set, and which pages count as read. One generated PDF per failure class.

Each case is drawn with the fixture generator's ``Sheet`` (tests/fixtures/pdf/make_cases.py) into
the test's own folder, so the layout under test is exactly what the test name says.
"""

from __future__ import annotations

import io
import struct
import textwrap

import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from pipeline.core.footnotes import quality_problems, split_notes
from pipeline.core.layout import parse_document
from pipeline.core.models import ParagraphKind
from tests.core.footnotes.helpers import (
    TWO_COLUMNS_LEFT,
    TWO_COLUMNS_RIGHT,
    Sheet,
    draw_and_split,
    make_cases,
)

_split = draw_and_split


_SIDE_BODY = [
    # (text of a body line, note set beside it or None)
    ("The archive of the river authority holds the gauge", None),
    ("readings of a century, kept by hand until 1970.^{1} They", "Authority Yearbook, vol. 3, 1971, p. 12."),
    ("show a slow rise of the winter floods and a sharp fall", None),
    ("of the summer lows, which the engineers blamed on the", None),
    ("new weirs upstream.^{2} The weirs were built in the", "Report of the Weir Commission, 1958."),
    ("decade after the war, when shipping was still the main", None),
    ("use of the river and the towns along it wanted deeper", None),
    (
        "channels for their ports and quays.^{3} Farmers objected",
        "Minutes of the Lower Valley Council, 14 May 1952.",
    ),
    ("from the start, for the meadows depended on the floods", None),
    ("that the weirs now held back in the upper reaches.", None),
    (
        "Their petitions fill two boxes of the archive.^{4} The",
        "See https://archive.example.org/river/petitions for a list.",
    ),
    ("authority answered each of them in the same words and", None),
    ("promised a study that was never made. Only in 1977 did", None),
    ("the courts order the gates opened in spring.^{5}", "Valley Farmers v. River Authority, 1977."),
]
_SIDE_BODY_2 = [
    ("After the ruling the floods returned, but smaller than", None),
    ("before, because the channel had been deepened.^{6} The", "Hydrology of the lower river, 1985, ch. 2."),
    ("meadows recovered only in part. Birds came back first,", None),
    ("then the fish, and last the farmers, who had sold much", None),
    ("of their land in the meantime to the towns.^{7} Today", "Land Register extracts, 1960-1990."),
    ("the authority manages the river for its wildlife as much", None),
    (
        "as for its ships.^{8} Its new charter says so in its first",
        "Charter of the River Authority, 2004, art. 1.",
    ),
    (
        "article, and its reports measure both.^{9} The gauges",
        "Annual reports, https://river.example.org/reports.",
    ),
    ("are read by machines now, every ten minutes.^{10}", "Gauge network description, 2019."),
    ("The handwritten books are kept in a cool room.", None),
]


def _draw_sidenotes(s: Sheet, lines: list[tuple[str, str | None]], text_x: float, note_x: float) -> None:
    """Body lines at 10 pt in a narrow column, each note at 8 pt in the margin at its marker's
    height (pushed down below the note before when they would collide), its label raised."""
    y, free = 120.0, 0.0
    for text, note in lines:
        s.line(text_x, y, text, 10)
        if note is not None:
            number = text.rsplit("^{", 1)[1].split("}")[0]
            ny = max(y, free)
            for k, part in enumerate(textwrap.wrap(note, 34)):
                s.line(note_x, ny, f"^{{{number}}}{part}" if k == 0 else part, 8)
                ny += 10
            free = ny + 4
        y += 13


def sidenotes_in_the_outer_margin(s: Sheet) -> None:
    """A tufte-book/kaobook page pair: numbered notes in the wide outer margin (right on the odd
    page, left on the even one), each beside the line of its marker, in smaller type."""
    s.line(72, 84, "The River Archive", 18, "Times-Bold")
    _draw_sidenotes(s, _SIDE_BODY, 72, 370)
    s.footer("1")
    s.page()
    _draw_sidenotes(s, _SIDE_BODY_2, 252, 72)
    s.footer("2")


def one_sidenote_on_a_page(s: Sheet) -> None:
    """A page of a sidenote book whose margin holds a single one-line note."""
    _draw_sidenotes(
        s,
        [
            ("The last chapter of the archive tells of the gauges", None),
            ("that were lost in the great flood of 1995.^{1} Their books", "Flood report, 1996."),
            ("were found downstream, dried and bound again by the", None),
            ("volunteers of the town library over two winters.", None),
        ],
        72,
        370,
    )


_BAND = [
    "1. Harbour Board, Report on the Storm Damage of 1953 (Harbour Board, 1954), pp. 3-9.",
    "2. Letter of the Fishermen's Union to the Harbour Board, 12 March 1961, Town Archive.",
    "3. Minutes of the Town Council, 4 April 1962, https://archive.example.org/council/62.",
    "4. Regional Tourism Office, Marinas of the Coast (1994), with a survey of berths and",
    "their users in the summer season.",
    "5. Museum of the Harbour, Guide to the Collection, https://museum.example.org/guide.",
]


def baseline_labels_in_a_full_width_band(s: Sheet, rule: bool) -> None:
    """Two columns of body text over a full-width band of notes labelled ``1.`` at the baseline,
    set as large as the body (a report's or a magazine's notes under both columns)."""
    s.line(72, 80, "The Harbour and Its Town", 18, "Times-Bold")
    s.lines(72, 120, TWO_COLUMNS_LEFT, 10, 13)
    s.lines(320, 120, TWO_COLUMNS_RIGHT, 10, 13)
    if rule:
        s.rule(72, 200, 262)
    s.lines(72, 280, _BAND, 10, 13)
    s.footer("7")


def numbered_list_under_two_columns(s: Sheet) -> None:
    """A numbered list of steps in a full-width band under two columns that cite notes printed
    elsewhere: its numbers are not those of the markers above it, so it is text."""
    s.lines(72, 120, TWO_COLUMNS_LEFT, 10, 13)
    s.lines(320, 120, TWO_COLUMNS_RIGHT, 10, 13)
    s.lines(
        72,
        280,
        [
            "1. Visitors buy a ticket at the old fish market and walk down to the first quay of all.",
            "2. The tour goes on along the pontoon, where the small boats of the town are moored.",
            "3. It ends at the museum, which keeps the logbooks of the harbour since the storm.",
        ],
        10,
        13,
    )


def test_sidenotes_in_the_outer_margin_are_the_notes_of_the_markers_beside_them(tmp_path):
    split = _split(tmp_path, "sidenotes_in_the_outer_margin", sidenotes_in_the_outer_margin)
    notes = {n.number: n.text for n in split.notes}
    assert notes == {
        int(text.rsplit("^{", 1)[1].split("}")[0]): note
        for text, note in _SIDE_BODY + _SIDE_BODY_2
        if note is not None
    }
    assert [n.page for n in split.notes] == [1] * 5 + [2] * 5
    assert [(n.number, [u.url for u in n.urls]) for n in split.notes if n.urls] == [
        (4, ["https://archive.example.org/river/petitions"]),
        (9, ["https://river.example.org/reports"]),
    ]
    assert [m.number for m in split.markers] == list(range(1, 11))
    assert all(n.has_marker for n in split.notes) and split.issues == []
    assert quality_problems(split) == []
    body = " ".join(p.text for p in split.paragraphs)
    assert "Authority Yearbook" not in body and "Gauge network" not in body
    assert "kept by hand until 1970. They show a slow rise" in body


def test_a_one_line_sidenote_is_not_read_into_the_body_line_beside_it(tmp_path):
    split = _split(tmp_path, "one_line_sidenote", one_sidenote_on_a_page)
    assert [(n.number, n.text) for n in split.notes] == [(1, "Flood report, 1996.")]
    assert [m.number for m in split.markers] == [1]
    assert "Flood report" not in split.paragraphs[0].text
    assert "great flood of 1995. Their books were found" in split.paragraphs[0].text


@pytest.mark.parametrize("rule", [False, True], ids=["no_rule", "short_rule"])
def test_body_size_baseline_labels_in_a_band_under_two_columns_are_notes(tmp_path, rule):
    split = _split(
        tmp_path,
        f"baseline_labels_full_width_band_{rule}",
        lambda s: baseline_labels_in_a_full_width_band(s, rule),
    )
    assert [n.number for n in split.notes] == [1, 2, 3, 4, 5]
    assert split.notes[3].text.endswith("with a survey of berths and their users in the summer season.")
    assert [(n.number, [u.url for u in n.urls]) for n in split.notes if n.urls] == [
        (3, ["https://archive.example.org/council/62"]),
        (5, ["https://museum.example.org/guide"]),
    ]
    assert all(n.has_marker for n in split.notes) and quality_problems(split) == []
    assert not any("Harbour Board, Report" in p.text for p in split.paragraphs)


def test_a_numbered_list_under_two_columns_naming_no_marker_stays_text(tmp_path):
    split = _split(tmp_path, "numbered_list_under_two_columns", numbered_list_under_two_columns)
    assert split.notes == []
    assert any(p.text.startswith("1. Visitors buy a ticket") for p in split.paragraphs)


def affiliations_on_a_title_page(s: Sheet, raised_list: bool) -> None:
    """A paper's title page: authors with raised affiliation numbers (``Name¹, Name²``), the
    affiliations listed under them (``¹ University of ...``), then the text with its footnotes."""
    s.line(150, 80, "Tides and Trade on the Northern Coast", 18, "Times-Bold")
    s.line(170, 110, "Anna Berg^{1}, Jonas Lind^{2}, Maria Holm^{1,3}", 12)
    labels = ("^{1}", "^{2}", "^{3}") if raised_list else ("1 ", "2 ", "3 ")
    s.lines(
        170,
        128,
        [
            f"{labels[0]}Department of Geography, University of Bergen, Norway",
            f"{labels[1]}Institute of Maritime History, University of Lund, Sweden",
            f"{labels[2]}Coastal Research Centre, Aarhus, Denmark",
        ],
        9,
        11,
    )
    s.lines(
        72,
        190,
        [
            "Ports on the northern coast grew with the herring trade of the sixteenth century.^{1}",
            "Their fortunes followed the fish, which left the coast for long periods without warning.",
            "Merchants answered by trading grain and timber instead, with mixed results.^{2}",
        ],
        10,
        13,
    )
    s.rule(72, 200, 680)
    s.line(72, 696, "^{1} H. Nilsson, The Herring Ports (Bergen, 1988), pp. 10-14.", 8)
    s.line(72, 708, "^{2} See the customs ledgers at https://ledgers.example.org/grain.", 8)


@pytest.mark.parametrize("raised_list", [True, False], ids=["raised_labels", "baseline_labels"])
def test_affiliation_numbers_on_a_title_page_are_neither_markers_nor_notes(tmp_path, raised_list):
    split = _split(
        tmp_path,
        f"affiliation_superscripts_on_title_page_{raised_list}",
        lambda s: affiliations_on_a_title_page(s, raised_list),
    )
    assert [(m.number, m.paragraph) for m in split.markers] == [(1, 1), (2, 2)]
    assert split.paragraphs[1].text.startswith("Ports on the northern coast")
    assert [n.number for n in split.notes] == [1, 2] and split.issues == []
    other = [p.text for p in split.paragraphs if p.kind == ParagraphKind.OTHER]
    assert len(other) == 1 and other[0].startswith("Anna Berg") and "Coastal Research Centre" in other[0]


def marker_line_right_above_its_note(s: Sheet) -> None:
    """A short first page whose last line of text, with its marker, sits right above its note."""
    s.line(72, 80, "A Short Notice", 16, "Times-Bold")
    s.lines(
        72,
        110,
        [
            "The council meets on the first Monday of every month in the town hall, and its",
            "minutes are published a week later in the library and online^{1}",
        ],
    )
    s.line(72, 138, "^{1} Minutes of the council, https://town.example.org/minutes.", 8)


def test_a_marker_line_right_above_its_note_is_no_byline(tmp_path):
    split = _split(tmp_path, "marker_line_right_above_its_note", marker_line_right_above_its_note)
    assert [m.number for m in split.markers] == [1]
    assert [n.number for n in split.notes] == [1]


def _text_page(s: Sheet, number: int) -> None:
    s.lines(
        72, 100, [f"Page {number} of the report says what the council decided in its session.", "It goes on."]
    )


def test_a_page_without_any_ink_is_no_problem(tmp_path):
    """An intentionally blank page (nothing drawn, or only a white background) is not a page
    whose text could not be read: the document stays ``ok``."""
    path = tmp_path / "intentionally_blank_pages.pdf"
    s = Sheet(path)
    _text_page(s, 1)
    s.page()
    s.page()  # nothing at all
    s.c.setFillColorRGB(1, 1, 1)
    s.c.rect(0, 0, make_cases.W, make_cases.H, stroke=0, fill=1)  # a white background only
    s.page()
    _text_page(s, 4)
    s.save()
    doc = parse_document(path, doc_id="blank")
    assert (doc.status, doc.error, doc.warnings) == ("ok", None, [])
    assert [bool(p.lines) for p in doc.layout] == [True, False, False, True]


def test_an_image_only_page_degrades_the_document_and_is_named(tmp_path):
    path = tmp_path / "image_only_page_between_text_and_blank.pdf"
    s = Sheet(path)
    _text_page(s, 1)
    s.page()
    s.c.setFillColorRGB(0.2, 0.2, 0.2)
    s.c.drawImage(ImageReader(_gray_image()), 72, 300, width=400, height=100)  # a scanned page
    s.page()
    s.page()  # blank
    _text_page(s, 4)
    s.save()
    doc = parse_document(path, doc_id="scan")
    assert doc.status == "degraded" and doc.error_code == "pages_without_text"
    assert doc.warnings == ["no text on page(s) 2 of 4: image only (scanned; OCR is not supported)"]


def _gray_image() -> io.BytesIO:
    """A small PNG (a gray square), drawn as a scanned page would be."""
    import zlib

    width = height = 8
    raw = b"".join(b"\x00" + bytes([90]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return io.BytesIO(png)


def test_a_page_turned_upside_down_for_display_is_read_in_its_reading_orientation(tmp_path):
    path = tmp_path / "rotate_180.pdf"
    s = Sheet(path)
    s.c.setPageRotation(180)
    s.lines(
        72,
        100,
        ["Turned upside down for display, the page still reads.^{1} The text is upright.", "It goes on."],
    )
    s.rule(72, 144, 680)
    s.line(72, 700, "^{1} A note on a turned page, {link:https://example.org/turned/180|Turned page}.", 8)
    s.save()
    doc = parse_document(path, doc_id="rotated180")
    assert doc.status == "ok" and not doc.warnings
    assert doc.layout[0].lines[0].text.startswith("Turned upside down for display, the page still reads.")
    split = split_notes(doc)
    assert [(n.number, n.text) for n in split.notes] == [(1, "A note on a turned page, Turned page.")]
    assert [m.number for m in split.markers] == [1]
    assert [link.uri for link in doc.layout[0].lines[-1].links] == ["https://example.org/turned/180"]


def _justified(s: Sheet, y: float, words: list[str], size: float, space: float, hyphen_gap: float) -> None:
    """One justified line drawn word by word with ``space`` between words; a final ``-`` is set
    ``hyphen_gap`` after the word before it (a justified line spreads it just past the word
    tolerance, as LibreOffice does)."""
    x = 72.0
    for k, word in enumerate(words):
        if word == "-" and k == len(words) - 1:
            x += hyphen_gap - space
        s.c.setFont("Times-Roman", size)
        s.c.drawString(x, make_cases.H - y, word)
        x += stringWidth(word, "Times-Roman", size) + space


def lede_under_a_title(s: Sheet) -> None:
    """A feature article: a title, a byline, a lede of several lines set larger than the body,
    none of whose lines ends a sentence on its own (so each one alone looks like a heading),
    then the body; one body line ends in a hyphen spread from its word."""
    s.line(72, 70, "Water Rights on the Upper River", 22, "Times-Bold")
    s.line(72, 100, "Karin Moss", 10, "Times-Bold")
    s.lines(
        72,
        126,
        [
            "The upper river needs a new charter for its water. The drought of last summer",
            "reframes the way the towns, the farms and the mills share the river between",
            "them. For the towns the drought is a chance to move from the edge of the old",
            "agreements to the centre of a new one, as the makers of its rules",
        ],
        12,
        17,
    )
    s.lines(
        72,
        210,
        ["The towns have no claim on the river in law. Their wells were enough until the drought."],
        10.5,
        15,
    )
    _justified(
        s,
        225,
        ["In", "the", "spring", "the", "council", "wrote", "to", "the", "two", "Sena", "-"],
        10.5,
        2.7,
        1.6,
    )
    s.lines(
        72,
        240,
        [
            "tors of the region, who promised a hearing in the autumn. The hearing was held in the",
            "old mill by the weir, where the farmers and the millers had met for a century to settle",
            "their quarrels over the water, and it lasted three days. The senators listened to all",
            "sides and took the papers away with them. Nothing was heard from them until winter.",
            *["The mills kept their old rights to the water through the whole of that long season."] * 10,
        ],
        10.5,
        15,
    )


def test_a_lede_in_larger_type_under_a_title_is_body_text(tmp_path):
    split = _split(tmp_path, "lede_lines_in_larger_type_under_title", lede_under_a_title)
    kinds = [(p.kind, p.text[:30]) for p in split.paragraphs]
    assert kinds[:3] == [
        (ParagraphKind.TITLE, "Water Rights on the Upper Rive"),
        (ParagraphKind.HEADING, "Karin Moss"),
        (ParagraphKind.BODY, "The upper river needs a new ch"),
    ]
    assert split.paragraphs[2].text.endswith("as the makers of its rules")
    assert not any(p.kind == ParagraphKind.HEADING and "reframes" in p.text for p in split.paragraphs)


def test_a_line_end_hyphen_spread_from_its_word_joins_the_word(tmp_path):
    split = _split(tmp_path, "hyphen_spread_from_word_at_line_end", lede_under_a_title)
    body = split.paragraphs[-1].text
    assert "the two Senators of the region" in body and "Sena -" not in body


def spaced_dash_at_a_line_end(s: Sheet) -> None:
    """A hyphen used as a dash, a full word space before it, ends a justified line."""
    _justified(
        s,
        100,
        ["The", "council", "met", "in", "the", "spring", "and", "agreed", "on", "the", "terms", "-"],
        10.5,
        2.7,
        2.7,
    )
    s.lines(72, 115, ["which the towns then signed in the autumn of that year."], 10.5, 15)


def test_a_spaced_dash_at_a_line_end_stays_a_dash(tmp_path):
    split = _split(tmp_path, "spaced_dash_at_line_end", spaced_dash_at_a_line_end)
    assert "agreed on the terms - which the towns" in split.paragraphs[0].text


def ocr_dropped_marker_digit(s: Sheet) -> None:
    """An OCR text layer that dropped a digit of two raised markers: ``1`` for 11 between 10 and
    12 (only note 11 fits), and ``1`` for 15 or 16 between 14 and 17 (two notes fit)."""
    labels = [str(n) for n in range(1, 18)]
    labels[10] = "1"  # 11
    labels[14] = "1"  # 15 (16 lost entirely)
    labels[15] = ""
    body = [f"The witness described the stage and the audience in detail.^{{{label}}}" for label in labels]
    s.lines(72, 80, [b.replace("^{}", "") for b in body], 10, 13)
    s.rule(72, 144, 320)
    s.lines(72, 336, [f"{n}. Transcript of the hearing, day {n}, p. {3 * n}." for n in range(1, 18)], 8, 10)


def test_a_marker_missing_a_digit_is_the_one_note_its_digits_spell(tmp_path):
    split = _split(tmp_path, "ocr_dropped_marker_digit", ocr_dropped_marker_digit)
    assert [n.number for n in split.notes] == list(range(1, 18))
    # 11 restored from "1"; the "1" between 14 and 17 could be 15 or 16 and is left as read
    assert [m.number for m in split.markers] == [*range(1, 15), 1, 17]


def header_below_the_top_band(s: Sheet) -> None:
    """A scanned law review: a small running header on every page, set lower than the usual
    header band (a wide top margin), over a sentence that runs on from the page before."""
    for page in range(1, 5):
        header = (
            f"2023] DEAD FROGS AND THIN COPYRIGHT {118 + page}" if page % 2 else f"{118 + page} LAW REVIEW"
        )
        s.line(72, 110, header, 6)
        s.lines(
            72,
            130,
            [
                "the comedians of the circuit tell jokes about the stores and restaurants they know,",
                "and their audiences recognise the places at once. Some of them are mentioned by name",
                f"in the jokes, such as the chains discussed on page {page}, and others only by the",
            ],
            11,
            14,
        )
        s.page()


def test_a_running_header_below_the_top_band_is_dropped_and_the_sentence_goes_on(tmp_path):
    split = _split(tmp_path, "running_header_below_the_top_band", header_below_the_top_band)
    text = " ".join(p.text for p in split.paragraphs)
    assert "DEAD FROGS" not in text and "LAW REVIEW" not in text
    assert "others only by the the comedians of the circuit" in text


def band_notes_running_on_to_the_next_page(s: Sheet) -> None:
    """A report's band of notes at the foot of each page, under two columns opened by a
    full-width running title: the third note does not fit on page 1 and opens page 2's band."""
    s.line(72, 60, "WORKING PAPER  ·  THE HARBOUR AND ITS TOWN  ·  NORTHERN COAST STUDIES  ·  2024", 9)
    s.lines(72, 420, TWO_COLUMNS_LEFT, 10, 13)
    s.lines(320, 420, TWO_COLUMNS_RIGHT[:2], 10, 13)
    s.lines(72, 690, _BAND[:2], 10, 13)
    s.page()
    s.lines(72, 80, TWO_COLUMNS_RIGHT[2:], 10, 13)
    s.lines(320, 80, ["The museum opened in 1999 and", "is visited by many."], 10, 13)
    s.lines(72, 690, _BAND[2:], 10, 13)


def test_a_band_of_notes_runs_on_to_the_next_page_under_a_full_width_title(tmp_path):
    split = _split(tmp_path, "band_notes_running_on_to_the_next_page", band_notes_running_on_to_the_next_page)
    assert [n.number for n in split.notes] == [1, 2, 3, 4, 5]
    assert [(n.number, [u.url for u in n.urls]) for n in split.notes if n.urls] == [
        (3, ["https://archive.example.org/council/62"]),
        (5, ["https://museum.example.org/guide"]),
    ]
