"""The store: step records saved and read back, and each document's records read together."""

from pipeline.core import dataset
from pipeline.core.models import DocumentStatus, NoteSplit, ParsedDocument
from tests.core.dataset.example import records


def test_a_saved_record_is_read_back_and_removed_with_its_document(tmp_path):
    store = dataset.DocumentStore(tmp_path)
    split = NoteSplit(doc_id="d", sha256="s")
    assert store.save("footnotes", "d", split) == tmp_path / "docs" / "d" / "footnotes.json"
    assert store.load("footnotes", "d", NoteSplit) == split
    assert store.load("claims", "d", NoteSplit) is None
    assert store.doc_ids() == ["d"]
    store.remove("d")
    assert store.doc_ids() == [] and not (tmp_path / "docs" / "d").exists()


def test_read_records_reads_each_document_without_its_lines_and_names_the_unparsed(tmp_path):
    store = dataset.DocumentStore(tmp_path)
    (example,) = records("b")
    store.save("parsed_document", "b", example.doc)
    store.save("claims", "b", example.claims)
    missing: list[str] = []
    (got,) = dataset.read_records(store, ["c", "b"], missing)
    assert missing == ["c"]
    assert (got.doc, got.split, got.citations, got.claims, got.url_checks) == (
        example.doc,
        None,
        None,
        example.claims,
        None,
    )
    assert got.doc.layout == []


def test_a_failed_document_is_a_record_with_its_reason():
    doc = dataset.failed_document("x.doc", "x.doc", "0", "doc", "unsupported", "not a PDF")
    assert doc == ParsedDocument(
        doc_id="x.doc",
        source_path="x.doc",
        sha256="0",
        kind="txt",
        status=DocumentStatus.FAILED,
        error="not a PDF",
        error_code="unsupported",
    )
