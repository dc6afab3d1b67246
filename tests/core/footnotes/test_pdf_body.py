"""Body paragraphs of a PDF: markers taken out at the right offsets, words dehyphenated."""

from pathlib import Path

import pytest

from pipeline.core.footnotes import split_notes
from pipeline.core.layout import parse_document
from tests.core.footnotes.helpers import Sheet


def test_marker_offsets_point_after_the_cited_text(parsed_seed):
    split = split_notes(parsed_seed("article-libreoffice.pdf"))
    para = next(p for p in split.paragraphs if any(m.number == 1 for m in p.markers))
    marker = next(m for m in para.markers if m.number == 1)
    assert para.text[: marker.offset].endswith("compared to Turkey, Russia, or the EU.")


def test_body_text_has_no_marker_digits_and_is_dehyphenated(parsed_seed):
    split = split_notes(parsed_seed("article-libreoffice.pdf"))
    text = " ".join(p.text for p in split.paragraphs)
    assert "the EU. The lifting" in text
    assert "uncontested" in text and "uncon-tested" not in text


def _kinds(tmp_path: Path, name: str, body_font: str) -> list[tuple[str, str]]:
    """The kind of each paragraph of a page: a bold line, then two lines in ``body_font``."""
    path = tmp_path / f"{name}.pdf"
    sheet = Sheet(path)
    sheet.line(72, 80, "Harbour Report", 10, "Times-Bold")
    sheet.line(72, 110, "The harbour reopened in May after the storm", 10, body_font)
    sheet.line(72, 140, "Ships came back in June and July", 10, body_font)
    sheet.save()
    paragraphs = split_notes(parse_document(path, doc_id=name)).paragraphs
    return [(p.kind.value, " ".join(p.text.split()[:2])) for p in paragraphs]


@pytest.mark.parametrize(
    "name,body_font,kinds",
    [
        # bold above roman text stands out: a heading
        (
            "bold_line_over_roman_body",
            "Times-Roman",
            [("heading", "Harbour Report"), ("body", "The harbour")],
        ),
        # every line bold (a page that only says "Hello world" in bold): bold sets nothing apart
        ("body_set_in_bold", "Times-Bold", [("body", "Harbour Report")]),
    ],
)
def test_bold_is_a_heading_only_against_a_body_that_is_not(tmp_path, name, body_font, kinds):
    assert _kinds(tmp_path, name, body_font) == kinds
