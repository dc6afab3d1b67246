"""Notes -> citations: repaired URLs, italics at the right offset, positions, the seed article's notes."""

import json

import pytest

from pipeline.core.citations import parse_citations
from pipeline.core.models import Citation, Note, Span, UrlRef
from pipeline.core.text import LinePiece, join_lines
from tests.conftest import SEED_GOLD
from tests.core.citations.helpers import note as make_note


def test_citations_carry_the_notes_repaired_urls():
    text = (
        'Azizi, "East of Eden," Clingendael, 2023, https://www.clingendael.org/publication/east-eden; '
        'Katz, "Iran and Russia," USIP, 2015, see the link.'
    )
    repaired = UrlRef(
        url="https://www.clingendael.org/publication/east-eden",
        raw_url="https://www.clingen-dael.org/publication/east-eden",
        alternatives=["https://www.clingen-dael.org/publication/east-eden"],
    )
    annotation_only = UrlRef(url="https://iranprimer.usip.org/r", raw_url="see the link", source="annotation")
    note = Note(number=4, label="4", text=text, page=2, urls=[repaired, annotation_only])
    first, second = parse_citations("doc", [note])
    assert first.urls == ["https://www.clingendael.org/publication/east-eden"]
    assert second.urls == ["https://iranprimer.usip.org/r"]
    assert (first.position, second.position) == (0, 1)
    assert first.citation_id != second.citation_id


def test_note_italics_are_used_at_the_right_offset():
    text = (
        'Sullivan, "A BRICS currency," Foreign Policy, April 24, 2023; '
        'Alim, "BRICS creator slams idea," Financial Times, 2023'
    )
    spans = [
        Span(start=text.index(s), end=text.index(s) + len(s)) for s in ("Foreign Policy", "Financial Times")
    ]
    cits = parse_citations("doc", [make_note(8, text, italics=spans)])
    assert [c.container for c in cits] == ["Foreign Policy", "Financial Times"]


def test_a_citation_continued_across_a_page_break_is_joined_and_parsed_whole():
    # the layout step hands over one line per printed line; the note runs onto the next page
    pieces = [
        LinePiece(
            text='Vasili Rukhadze, "Georgian Government Revokes Visa-Free Travel Rules with', full=True
        ),
        LinePiece(
            text='Iran," Eurasia Daily Monitor, 10 July 2013, https://www.refworld.org/docid/51dfc0524.html'
        ),
    ]
    joined = join_lines(pieces)
    note = Note(number=37, label="37", text=joined.text, page=9, urls=joined.urls)
    (cit,) = parse_citations("doc", [note])
    assert cit.title == "Georgian Government Revokes Visa-Free Travel Rules with Iran"
    assert cit.container == "Eurasia Daily Monitor"
    assert cit.urls == ["https://www.refworld.org/docid/51dfc0524.html"]


# ---------------------------------------------------------------------------------------------
# The seed article's notes (gold) and the notes the pipeline reads from a real legal PDF
# ---------------------------------------------------------------------------------------------


def _gold_notes() -> list[Note]:
    gold = json.loads(SEED_GOLD.read_text())
    return [make_note(f["number"], f["text"]) for f in gold["footnotes"]]


def _assert_seed_quality(notes: list[Note], cits: list[Citation]) -> None:
    assert {c.footnote_number for c in cits} == {n.number for n in notes}  # every note parses
    with_url = [c for c in cits if c.urls]
    described = [c for c in with_url if c.title or c.container]
    assert len(described) / len(with_url) >= 0.9
    assert sum(1 for c in cits if c.published) / len(cits) >= 0.9


def test_every_gold_seed_note_parses_and_url_citations_are_described():
    notes = _gold_notes()
    _assert_seed_quality(notes, parse_citations("seed", notes))


@pytest.mark.parametrize("name", ["article-libreoffice.pdf", "article-twocolumn.pdf", "article-endnotes.pdf"])
def test_every_seed_pdf_note_parses_and_url_citations_are_described(parsed_seed, name):
    from pipeline.core.footnotes import split_notes

    split = split_notes(parsed_seed(name))
    cits = parse_citations(split.doc_id, split.notes)
    _assert_seed_quality(split.notes, cits)
    by_note = {(c.footnote_number, c.position): c for c in cits}
    assert by_note[(13, 0)].container == "Financial Times"  # italics, despite the unclosed quote
    assert by_note[(77, 1)].title.startswith("Old enemies make new friends")


@pytest.mark.parametrize("number", [46, 82])
def test_seed_citations_that_run_across_a_page_break_are_whole(parsed_seed, number):
    # In article-libreoffice.pdf notes 46 (pp. 6-7) and 82 (pp. 10-11) continue on the next page.
    from pipeline.core.footnotes import split_notes

    split = split_notes(parsed_seed("article-libreoffice.pdf"))
    gold = {int(n.number): n for n in _gold_notes()}[number]
    (cit,) = [c for c in parse_citations(split.doc_id, split.notes) if c.footnote_number == number]
    (expected,) = parse_citations("gold", [gold])
    assert (cit.title, cit.container, cit.published, cit.urls) == (
        expected.title,
        expected.container,
        expected.published,
        expected.urls,
    )
    assert cit.urls and cit.title and cit.container
