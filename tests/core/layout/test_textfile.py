"""Text files: decoded (UTF-8, else detected with a warning) and read as lines."""

from pipeline.core.layout import parse_document


def test_text_files_are_read_as_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nBody text.¹\n\n¹ A note, https://example.org/x\n", encoding="utf-8")
    doc = parse_document(path, doc_id="a")
    assert doc.kind == "txt" and doc.title == "Title"
    assert doc.pages == 1 and doc.warnings == []
    assert [ln.text for ln in doc.layout[0].lines] == [
        "Title",
        "",
        "Body text.¹",
        "",
        "¹ A note, https://example.org/x",
        "",
    ]


def test_latin1_text_is_detected_with_a_warning(tmp_path):
    path = tmp_path / "b.txt"
    path.write_bytes("Café society, façade and naïveté in Zürich.\n".encode("latin-1") * 20)
    doc = parse_document(path, doc_id="b")
    assert doc.layout[0].lines[0].text == "Café society, façade and naïveté in Zürich."
    assert doc.warnings == ["text decoded as cp1252 (not UTF-8)"]
