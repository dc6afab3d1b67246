"""PDF files: pages, title and link annotations of the seed PDFs; opening errors with their codes."""

import pytest

from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.layout import parse_document
from pipeline.core.models import DocumentStatus

SWP = "https://www.swp-berlin.org/publications/products/comments/2017C24_wis_zbv.pdf"


@pytest.mark.parametrize(
    "name,pages",
    [("article-libreoffice.pdf", 11), ("article-twocolumn.pdf", 7), ("article-endnotes.pdf", 15)],
)
def test_seed_pdfs_parse_with_their_page_counts(parsed_seed, name, pages):
    doc = parsed_seed(name)
    assert doc.status == DocumentStatus.OK
    assert doc.pages == pages
    assert doc.title == "Iran's Security Posture in the South Caucasus After the War in Ukraine"


def test_link_annotations_are_attached_to_words(parsed_seed):
    doc = parsed_seed("article-libreoffice.pdf")
    links = [(ln.text[lk.start : lk.end], lk.uri) for ln in doc.layout[1].lines for lk in ln.links]
    assert len(links) == 16 and len({uri for _, uri in links}) == 11  # long URLs run over two lines
    assert (SWP, SWP) in links  # the link covers exactly the printed URL


CASES = [
    (
        "notpdf.pdf",
        b"<html><body>hello</body></html>" * 10,
        DocumentErrorCode.NOT_PDF,
        "not a PDF: the file starts like HTML, not '%PDF-'",
    ),
    (
        "random.pdf",
        bytes(range(256)) * 8,
        DocumentErrorCode.NOT_PDF,
        "not a PDF: the file starts like binary data, not '%PDF-'",
    ),
    (
        "garbage.pdf",
        b"%PDF-1.7\n" + b"\x00\x01garbage" * 50 + b"\n%%EOF\n",
        DocumentErrorCode.CORRUPT,
        "the PDF is corrupt: PDFSyntaxError: No /Root object! - Is this really a PDF?",
    ),
]


@pytest.mark.parametrize("name,data,code,message", CASES, ids=[c[0] for c in CASES])
def test_bad_files_raise_a_specific_document_error(tmp_path, name, data, code, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        parse_document(path, doc_id="x")
    assert err.value.code == code
    assert err.value.message == message
