"""Body paragraphs of a PDF: markers taken out at the right offsets, words dehyphenated."""

from pipeline.core.footnotes import split_notes


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
