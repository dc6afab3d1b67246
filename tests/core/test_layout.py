import pytest

from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.layout import drop_running_lines, parse_document
from pipeline.core.models import DocumentStatus, Line, PageLayout
from tests.conftest import FIXTURES


@pytest.mark.parametrize(
    "name,pages",
    [("article-libreoffice.pdf", 11), ("article-twocolumn.pdf", 7), ("article-endnotes.pdf", 15)],
)
def test_seed_pdfs_parse_with_their_page_counts(parsed_seed, name, pages):
    doc = parsed_seed(name)
    assert doc.status == DocumentStatus.OK
    assert doc.pages == pages
    assert doc.title == "Iran's Security Posture in the South Caucasus After the War in Ukraine"


def test_running_header_and_page_footer_are_dropped(parsed_seed):
    doc = parsed_seed("article-libreoffice.pdf")
    page2 = doc.layout[1]
    assert "Page 2 of 11" in page2.dropped
    assert not any(ln.text.startswith("Page 2 of") for ln in page2.lines)


def test_superscript_markers_are_marked_on_their_line(parsed_seed):
    doc = parsed_seed("article-libreoffice.pdf")
    line = next(ln for ln in doc.layout[1].lines if "compared to Turkey, Russia, or the EU" in ln.text)
    assert [line.text[s.start : s.end] for s in line.superscripts] == ["1"]


def test_two_columns_are_read_left_then_right(parsed_seed):
    doc = parsed_seed("article-twocolumn.pdf")
    page = doc.layout[1]
    body = [ln for ln in page.lines if ln.size > 9]
    columns = [ln.column for ln in body]
    assert columns == sorted(columns)  # all of column 0 before column 1
    assert len(set(columns)) == 2


def test_drop_cap_joins_its_word(parsed_seed):
    doc = parsed_seed("article-twocolumn.pdf")
    text = " ".join(ln.text for ln in doc.layout[0].lines)
    assert "Iran does not have a sphere of influence" in text


def test_link_annotations_are_attached_to_words(parsed_seed):
    doc = parsed_seed("article-libreoffice.pdf")
    uris = {lk.uri for ln in doc.layout[1].lines for lk in ln.links}
    assert "https://www.swp-berlin.org/publications/products/comments/2017C24_wis_zbv.pdf" in uris


CASES = [
    ("empty.pdf", b"", DocumentErrorCode.EMPTY_FILE),
    ("notpdf.pdf", b"<html><body>hello</body></html>" * 10, DocumentErrorCode.NOT_PDF),
    ("random.pdf", bytes(range(256)) * 8, DocumentErrorCode.NOT_PDF),
    ("garbage.pdf", b"%PDF-1.7\n" + b"\x00\x01garbage" * 50 + b"\n%%EOF\n", DocumentErrorCode.CORRUPT),
    ("notes.docx", b"PK\x03\x04", DocumentErrorCode.UNSUPPORTED),
]


@pytest.mark.parametrize("name,data,code", CASES, ids=[c[0] for c in CASES])
def test_bad_files_raise_a_specific_document_error(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        parse_document(path, doc_id="x")
    assert err.value.code == code
    assert err.value.message


def test_text_files_are_read_as_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nBody text.¹\n\n¹ A note, https://example.org/x\n", encoding="utf-8")
    doc = parse_document(path, doc_id="a")
    assert doc.kind == "txt" and doc.title == "Title"
    assert [ln.text for ln in doc.layout[0].lines][:3] == ["Title", "", "Body text.¹"]


def test_latin1_text_is_detected_with_a_warning(tmp_path):
    path = tmp_path / "b.txt"
    path.write_bytes("Café society, façade and naïveté in Zürich.\n".encode("latin-1") * 20)
    doc = parse_document(path, doc_id="b")
    assert "Café" in doc.layout[0].lines[0].text
    assert any("not UTF-8" in w for w in doc.warnings)


def _page(number: int, *rows: tuple[float, str]) -> PageLayout:
    lines = [
        Line(page=number, x0=72, x1=300, top=top, bottom=top + 10, text=text, size=10) for top, text in rows
    ]
    return PageLayout(number=number, width=612, height=792, lines=lines)


def test_page_numbers_must_follow_the_page_sequence():
    # Page numbers 109, 110, 111 (offset 108, the second and third inside running headers);
    # "2024." alone at the top of page 3 is the end of a note, not a page number.
    pages = [
        _page(1, (100, "Title"), (300, "Body text of the first page."), (620, "109")),
        _page(2, (40, "110 LAW REVIEW Vol. 77"), (100, "Body text."), (300, "1. A note.")),
        _page(3, (40, "2024."), (100, "LAW REVIEW 111"), (300, "Body text.")),
        _page(4, (40, "112 LAW REVIEW Vol. 77"), (100, "Body text.")),
    ]
    drop_running_lines(pages)
    assert pages[0].dropped == ["109"]
    assert pages[1].dropped == ["110 LAW REVIEW Vol. 77"]
    assert "2024." in [ln.text for ln in pages[2].lines]
    assert pages[3].dropped == ["112 LAW REVIEW Vol. 77"]


def test_a_footer_that_changes_on_the_last_page_is_matched_by_its_first_words():
    pages = [_page(n, (100, "Body text."), (750, f"Congressional Research Service {n}")) for n in range(1, 6)]
    pages.append(
        _page(6, (100, "Body text."), (750, "Congressional Research Service R48903 · VERSION 3 · NEW 6"))
    )
    # a body line that starts with the same words, in the body's type, stays
    last = _page(7, (100, "Body text."))
    body = Line(
        page=7,
        x0=72,
        x1=300,
        top=740,
        bottom=752,
        text="Congressional Research Service staff said so.",
        size=12,
    )
    last.lines.append(body)
    pages.append(last)
    drop_running_lines(pages)
    footers = pages[:6]
    assert all(
        len(p.dropped) == 1 and p.dropped[0].startswith("Congressional Research Service") for p in footers
    )
    assert all([ln.text for ln in p.lines] == ["Body text."] for p in footers)
    assert last.dropped == [] and body in last.lines


def test_a_raised_label_touching_its_note_line_only_partly_joins_it():
    doc = parse_document(FIXTURES / "pdf" / "raised_label.pdf", doc_id="r")
    notes = [ln for ln in doc.layout[0].lines if ln.size < 8]
    assert [ln.text for ln in notes] == ["1 Best results are shown in italics.", "2 See www.example.org/data"]
    assert all(ln.superscripts and ln.superscripts[0].start == 0 for ln in notes)
