"""The PDF pipeline end to end on the seed PDFs."""

import pytest

from pipeline.core.footnotes import quality_problems, split_notes
from pipeline.core.layout import read_text


@pytest.mark.parametrize("name", ["article-libreoffice.pdf", "article-twocolumn.pdf", "article-endnotes.pdf"])
def test_seed_pdfs_give_all_83_notes_and_77_markers(parsed_seed, name):
    split = split_notes(parsed_seed(name))
    assert [n.number for n in split.notes] == list(range(1, 84))
    assert len(split.markers) == 77
    orphans = sorted(i.number for i in split.issues if i.kind == "note_without_marker")
    assert orphans == [10, 11, 12, 56, 57, 58]  # the seed's known gaps (article.json notes)
    assert not [i for i in split.issues if i.kind == "marker_without_note"]


def test_the_split_records_its_parse_quality_verdict(parsed_seed):
    fine = split_notes(parsed_seed("article-libreoffice.pdf"))
    assert fine.problems == quality_problems(fine) == []
    # six body markers and no notes at all: the record says why it must not feed later steps
    text = "Title\n\n" + " ".join(f"Claim number {n} is made here.{s}" for n, s in enumerate("¹²³⁴⁵⁶", 1))
    broken = split_notes(read_text(text.encode(), doc_id="d", source_path="d.txt", sha256="s"))
    assert broken.problems == quality_problems(broken) == ["6 markers but no notes were found"]
