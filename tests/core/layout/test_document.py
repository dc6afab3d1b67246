"""parse_document: the reader is chosen by suffix; files no reader takes get their own error code."""

import hashlib

import pytest

from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.layout import parse_document
from tests.conftest import RAW

CASES = [
    ("empty.pdf", b"", DocumentErrorCode.EMPTY_FILE, "the file is empty (0 bytes)"),
    (
        "notes.docx",
        b"PK\x03\x04",
        DocumentErrorCode.UNSUPPORTED,
        "unsupported file type '.docx'; use .pdf or .txt",
    ),
]


@pytest.mark.parametrize("name,data,code,message", CASES, ids=[c[0] for c in CASES])
def test_files_no_reader_takes_raise_a_specific_document_error(tmp_path, name, data, code, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        parse_document(path, doc_id="x")
    assert err.value.code == code
    assert err.value.message == message


def test_the_record_names_the_hash_of_the_bytes_parsed_and_the_source_path():
    path = RAW / "article-seed.txt"
    doc = parse_document(path, doc_id="s", source_path="raw/article-seed.txt")
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (doc.doc_id, doc.source_path, doc.kind) == ("s", "raw/article-seed.txt", "txt")
    assert parse_document(path, doc_id="s").source_path == "article-seed.txt"
