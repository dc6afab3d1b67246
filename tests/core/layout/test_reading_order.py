"""Reading order: columns left then right, superscripts, drop caps and raised labels on their lines."""

from pipeline.core.layout import parse_document
from tests.conftest import FIXTURES


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
    lines = [(ln.text, ln.size) for ln in doc.layout[0].lines]
    # the large "I" starts the first line beside it, in that line's type
    assert ("Iran does not have a sphere of influence in the South Cauca-", 9.4) in lines
    assert not any(text == "I" for text, _ in lines)


def test_a_raised_label_touching_its_note_line_only_partly_joins_it():
    doc = parse_document(FIXTURES / "pdf" / "raised_label.pdf", doc_id="r")
    notes = [ln for ln in doc.layout[0].lines if ln.size < 8]
    assert [ln.text for ln in notes] == ["1 Best results are shown in italics.", "2 See www.example.org/data"]
    assert all(ln.superscripts and ln.superscripts[0].start == 0 for ln in notes)
