"""The PDF pipeline end to end on the seed PDFs."""

import pytest

from pipeline.core.footnotes import split_notes


@pytest.mark.parametrize("name", ["article-libreoffice.pdf", "article-twocolumn.pdf", "article-endnotes.pdf"])
def test_seed_pdfs_give_all_83_notes_and_77_markers(parsed_seed, name):
    split = split_notes(parsed_seed(name))
    assert [n.number for n in split.notes] == list(range(1, 84))
    assert len(split.markers) == 77
    orphans = sorted(i.number for i in split.issues if i.kind == "note_without_marker")
    assert orphans == [10, 11, 12, 56, 57, 58]  # the seed's known gaps (article.json notes)
    assert not [i for i in split.issues if i.kind == "marker_without_note"]
