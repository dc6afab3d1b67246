"""Scanned documents with an OCR text layer (issue 12): what the recognition engine does to note
markers and fonts, one generated PDF per failure class.

``OcrSheet`` draws a page the way a scanner's OCR step leaves it: an image covering the page,
and the words as invisible text (render mode 3) over it, in fonts and boxes the engine chose.
``~{17}`` in a line is a marker the engine boxed smaller but on the baseline (its raise lost).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from pipeline.core.footnotes import split_notes
from pipeline.core.layout import parse_document
from pipeline.core.layout.ocr import is_ocr_page
from pipeline.core.models import NoteSplit, ParagraphKind
from tests.core.footnotes.helpers import Sheet, make_cases

H = make_cases.H
W = make_cases.W
_ON_BASELINE = re.compile(r"~\{([^}]*)\}")


class OcrSheet(Sheet):
    """A ``Sheet`` whose pages are scans: a page image under invisible text (or, with
    ``scanned=False``, the same words printed visibly on a born-digital page)."""

    def __init__(self, path: Path, *, scanned: bool = True) -> None:
        super().__init__(path)
        self.scanned = scanned
        self._has_image = False

    def _page_image(self) -> None:
        if self._has_image or not self.scanned:
            return
        buf = io.BytesIO()
        Image.new("1", (153, 198), 1).save(buf, format="PNG")  # a blank bilevel scan
        buf.seek(0)
        self.c.drawImage(ImageReader(buf), 0, 0, W, H)
        self._has_image = True

    def _run(self, x: float, base: float, text: str, font: str, size: float) -> float:
        self._page_image()
        t = self.c.beginText(x, base)
        t.setTextRenderMode(3 if self.scanned else 0)
        t.setFont(font, size)
        t.textOut(text)
        self.c.drawText(t)
        return x + stringWidth(text, font, size)

    def line(self, x: float, y: float, text: str, size: float = 10.0, font: str = "Times-Roman") -> float:
        pos = 0
        for m in [*_ON_BASELINE.finditer(text), None]:
            plain = text[pos : m.start() if m else len(text)]
            if plain:
                x = super().line(x, y, plain, size, font)
            if m is None:
                return x
            x = self._run(x, H - y, m.group(1), font, 0.72 * size)  # smaller, on the baseline
            pos = m.end()
        return x

    def page(self) -> None:
        super().page()
        self._has_image = False


def _draw_and_split(tmp_path: Path, name: str, draw, *, scanned: bool = True) -> NoteSplit:
    path = tmp_path / f"{name}.pdf"
    sheet = OcrSheet(path, scanned=scanned)
    draw(sheet)
    sheet.save()
    return split_notes(parse_document(path, doc_id=name))


_SOURCES = [
    "See Laura Little, Regulating Funny: Humor and the Law, Cornell Law Review (2009).",
    "Id.",
    "See generally Scott Woodard, Who Owns a Joke?, Vanderbilt Journal (2019).",
    "Pepsico, supra, at the page cited.",
    "See infra Section II.",
    "But see the talk on stand-up comedy, supra.",
]


def _notes(s: Sheet, last: int, y: float = 600.0) -> None:
    """Notes 1 to ``last`` under a short rule."""
    s.rule(72, 144, y - 14)
    for n in range(1, last + 1):
        s.line(72, y + 10 * (n - 1), f"{n}. {_SOURCES[(n - 1) % len(_SOURCES)]}", 8)


def _marker_on_the_baseline(s: Sheet) -> None:
    """A raised marker that the OCR layer boxed at its smaller size on the baseline."""
    s.line(72, 100, "For example, the comedian made a joke about the alleged assault.^{1} While he")
    s.line(72, 112, "seemed to mispronounce the name on stage, he kept to the facts. ~{2} He said")
    s.line(72, 124, "that the events had discrepancies, which the trial later confirmed.^{3}")
    _notes(s, 3)


def test_a_smaller_number_on_the_baseline_of_a_scanned_page_is_a_marker(tmp_path):
    split = _draw_and_split(tmp_path, "ocr_marker_boxed_on_the_baseline", _marker_on_the_baseline)
    para = split.paragraphs[0]
    assert [(m.number, para.text[: m.offset][-6:]) for m in para.markers] == [
        (1, "sault."),
        (2, "facts."),
        (3, "irmed."),
    ]
    assert "facts. He said" in para.text


def test_a_smaller_number_on_the_baseline_of_a_born_digital_page_stays_text(tmp_path):
    # a printed page has exact boxes: a marker there is raised, and a smaller digit on the
    # baseline is something else
    split = _draw_and_split(
        tmp_path, "born_digital_small_digit_on_baseline", _marker_on_the_baseline, scanned=False
    )
    assert [m.number for m in split.markers] == [1, 3]


def test_a_scanned_page_is_told_by_its_page_image_and_invisible_text(tmp_path):
    scanned, printed = tmp_path / "scan.pdf", tmp_path / "printed.pdf"
    for path, flag in ((scanned, True), (printed, False)):
        sheet = OcrSheet(path, scanned=flag)
        sheet.line(72, 100, "A line of words.")
        sheet.save()
    # a born-digital page with a full-page background image and visible text is no scan
    background = tmp_path / "background.pdf"
    sheet = OcrSheet(background)
    sheet._page_image()
    sheet.scanned = False
    sheet.line(72, 100, "A line of words over a background picture.")
    sheet.save()
    with pdfplumber.open(scanned) as a, pdfplumber.open(printed) as b, pdfplumber.open(background) as c:
        assert [is_ocr_page(a.pages[0]), is_ocr_page(b.pages[0]), is_ocr_page(c.pages[0])] == [
            True,
            False,
            False,
        ]


def _bold_lines_in_a_paragraph(s: Sheet) -> None:
    """The OCR engine guessed bold for some lines of plain running text; one real heading."""
    s.line(72, 80, "Retelling of Current Events", 10, "Times-Bold")
    rows = [
        ("Another method of presenting jokes is through the retelling of the", "Times-Roman"),
        ("factual circumstances or current events. As audience members, many", "Times-Bold"),
        ("have experienced comedians taking narrative stances in their jokes and", "Times-Roman"),
        ("with the decision of whether to treat the commercial as an offer the", "Times-Bold"),
        ("court had to explain why it is funny.^{1} That was a daunting task.", "Times-Roman"),
    ]
    for k, (text, font) in enumerate(rows):
        s.line(72, 100 + 12 * k, text, 10, font)
    _notes(s, 1)


def test_bold_lines_that_a_sentence_runs_through_are_body_text(tmp_path):
    split = _draw_and_split(tmp_path, "ocr_bold_lines_inside_a_paragraph", _bold_lines_in_a_paragraph)
    kinds = [(p.kind, p.text.split()[0]) for p in split.paragraphs]
    assert kinds == [(ParagraphKind.HEADING, "Retelling"), (ParagraphKind.BODY, "Another")]
    assert "many have experienced" in split.paragraphs[1].text
    assert [n.number for n in split.notes if n.has_marker] == [1]


def _bold_paragraph(s: Sheet) -> None:
    """Four lines the OCR engine set in bold, holding sentences, between plain paragraphs."""
    s.line(72, 80, "Description", 10, "Times-Bold")
    rows = [
        "Sometimes, a comedian can create humor by illustrating descriptive",
        "details of the world around him. This can include the people the",
        "performer sees, the attitudes and statements of these people, and",
        "the location in which he or she is present. For example, comedian",
    ]
    for k, text in enumerate(rows):
        s.line(72, 100 + 12 * k, text, 10, "Times-Bold")
    rows = [
        "Sebastian Maniscalco tells jokes about the discount stores of his town,^{1}",
        "about the restaurants where he eats and about the family he grew up in,",
        "and about the people who serve him there. Such illustration can be done",
        "through visual effects or the use of props, which comedians also like.^{2}",
    ]
    for k, text in enumerate(rows):
        s.line(72, 148 + 12 * k, text, 10)
    _notes(s, 2)


def test_three_bold_lines_holding_sentences_are_a_paragraph_not_a_heading(tmp_path):
    split = _draw_and_split(tmp_path, "ocr_bold_paragraph_with_sentences", _bold_paragraph)
    kinds = [(p.kind, p.text.split()[0]) for p in split.paragraphs]
    assert kinds == [(ParagraphKind.HEADING, "Description"), (ParagraphKind.BODY, "Sometimes,")]


def _glued_markers(s: Sheet) -> None:
    """Markers read as text-size digits glued to the punctuation before them (``improvise.10``),
    and one that lost a digit (``1`` for 11): the note sequence places both."""
    rows = [
        "Early work set out the terms.^{1} Later work refined them.^{2} Critics disagreed.^{3} Some",
        "agreed.^{4} Others wrote books.^{5} A court ruled.^{6} A second court agreed.^{7} Then",
        "a third court ruled against it.^{8} The comedian can add material in response.^{9} So,",
        "when a heckler disturbs the flow of the show, he may improvise.10 As audience members,",
        'many have experienced stances in their jokes."^{1} See Vol.3 of the series for the',
        "stores,^{12} and the restaurants.^{13} Nothing else is cited.",
    ]
    for k, text in enumerate(rows):
        s.line(72, 100 + 12 * k, text)
    _notes(s, 13)


def test_digits_glued_to_a_word_are_the_marker_the_sequence_expects(tmp_path):
    split = _draw_and_split(tmp_path, "ocr_marker_glued_to_punctuation", _glued_markers)
    para = split.paragraphs[0]
    assert [m.number for m in para.markers] == list(range(1, 14))
    assert [para.text[: m.offset][-10:] for m in para.markers[8:11]] == [
        " response.",
        "improvise.",
        'ir jokes."',
    ]
    assert "improvise. As audience" in para.text
    assert "See Vol.3 of" in para.text  # 3 is cited already: text


def _glued_in_a_cited_document(s: Sheet) -> None:
    """Every marker raised and found: digits glued to a word are left as text."""
    s.line(72, 100, "The review of Vol.2 found the harbour closed.^{1} It reopened in May.^{2} The")
    s.line(72, 112, "ships came back in June, as the report of page.2 said.^{3}")
    _notes(s, 3)


def test_glued_digits_stay_text_where_every_note_is_cited(tmp_path):
    split = _draw_and_split(
        tmp_path, "glued_digits_with_all_notes_cited", _glued_in_a_cited_document, scanned=False
    )
    assert [m.number for m in split.markers] == [1, 2, 3]
    assert "Vol.2 found" in split.paragraphs[0].text and "page.2 said" in split.paragraphs[0].text


def _split_tens(s: Sheet) -> None:
    """A raised 10 whose digits the OCR layer set apart (``1 0``): no note is numbered 0."""
    rows = [
        "Early work set out the terms.^{1} Later work refined them.^{2} Critics disagreed.^{3} Some",
        "agreed.^{4} Others wrote books.^{5} A court ruled.^{6} A second court agreed.^{7} Then",
        "a third court ruled against it.^{8} The recordings can be protected by law.^{9} It is",
        "harder to say whether the jokes themselves are protectable works.^{1 0} The problem is old.",
    ]
    for k, text in enumerate(rows):
        s.line(72, 100 + 12 * k, text)
    _notes(s, 10)


def test_a_raised_number_split_before_its_zero_is_one_number(tmp_path):
    split = _draw_and_split(tmp_path, "ocr_split_marker_ending_in_zero", _split_tens)
    assert [m.number for m in split.markers] == list(range(1, 11))


def _markers_set_off_by_spaces(s: Sheet) -> None:
    """OCR text puts spaces on both sides of a marker (``Martin, 2 and``)."""
    s.line(72, 100, "Examples include Nick Thune,^{1} Demetri Martin, ^{2} and Steven Wright.^{3} As")
    s.line(72, 112, "Thune said, it is not delivery.^{4}")
    _notes(s, 4)


def test_a_marker_after_a_marker_set_off_by_spaces_keeps_its_offset(tmp_path):
    split = _draw_and_split(tmp_path, "markers_set_off_by_spaces", _markers_set_off_by_spaces, scanned=False)
    para = split.paragraphs[0]
    assert [(m.number, para.text[: m.offset][-8:]) for m in para.markers] == [
        (1, "k Thune,"),
        (2, " Martin,"),
        (3, " Wright."),
        (4, "elivery."),
    ]
    assert "Martin, and Steven" in para.text


def _raised_lookalikes_of_one(s: Sheet) -> None:
    """Raised markers whose 1s the OCR engine read as ``l`` and ``I`` (``l`` for 1, ``1l`` for 11)."""
    rows = [
        "Early work set out the terms.^{l} Later work refined them.^{2} Critics disagreed.^{3} Some",
        "agreed.^{4} Others wrote books.^{5} A court ruled.^{6} A second court agreed.^{7} Then",
        "a third court ruled against it.^{8} The comedian can add material in response.^{9} So,",
        "when a heckler disturbs the flow of the show, he may improvise.^{10} As audience members,",
        "many have experienced stances in their jokes.^{1I} That is all there is to it.",
    ]
    for k, text in enumerate(rows):
        s.line(72, 100 + 12 * k, text)
    _notes(s, 11)


def test_raised_lookalikes_of_one_on_a_scanned_page_are_digits(tmp_path):
    split = _draw_and_split(tmp_path, "ocr_raised_l_and_I_for_1", _raised_lookalikes_of_one)
    assert [m.number for m in split.markers] == list(range(1, 12))
    assert "terms. Later" in split.paragraphs[0].text


def test_a_raised_letter_on_a_born_digital_page_stays_a_letter(tmp_path):
    # a printed page's raised "l" is what it shows (an index in a formula, say), not a 1
    split = _draw_and_split(tmp_path, "born_digital_raised_l", _raised_lookalikes_of_one, scanned=False)
    assert [m.number for m in split.markers] == list(range(2, 11))
