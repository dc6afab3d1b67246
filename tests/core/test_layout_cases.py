"""Regression tests on small PDFs, one per layout case (tests/fixtures/pdf, made by make_cases.py)."""

import importlib.util
from functools import cache

import pytest

from pipeline.core.footnotes import quality_problems, split_notes
from pipeline.core.layout import parse_document
from pipeline.core.models import NoteSplit, ParagraphKind, ParsedDocument
from tests.conftest import FIXTURES

CASES = FIXTURES / "pdf"


@cache
def parsed(name: str) -> ParsedDocument:
    return parse_document(CASES / f"{name}.pdf", doc_id=name)


@cache
def split(name: str) -> NoteSplit:
    return split_notes(parsed(name))


def notes(name: str) -> dict[int, str]:
    return {n.number: n.text for n in split(name).notes}


def note(name: str, number: int):
    return next(n for n in split(name).notes if n.number == number)


def body(name: str) -> list[str]:
    return [p.text for p in split(name).paragraphs if p.kind == ParagraphKind.BODY]


def test_committed_fixtures_are_what_the_generator_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_cases", CASES / "make_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path)
    assert sorted(p.name for p in built) == sorted(p.name for p in CASES.glob("*.pdf"))
    for path in built:
        assert path.read_bytes() == (CASES / path.name).read_bytes(), (
            f"{path.name} is stale: rerun make_cases.py"
        )


def test_two_column_reads_left_column_then_right_with_notes_under_each():
    texts = body("two_column")
    assert texts[0].startswith("The first column opens")
    assert texts[-1] == "Governments responded with emergency stocks."
    left_end = next(i for i, t in enumerate(texts) if t.startswith("Several carriers"))
    right_start = next(i for i, t in enumerate(texts) if t.startswith("The second column"))
    assert left_end < right_start
    assert notes("two_column") == {
        1: "Port Authority, Annual Report 2023, p. 4.",
        2: "Insurance Journal, Gulf premiums rise, 2023.",
        3: "Port Authority, Annual Report 2023, p. 4.",
        4: "Insurance Journal, Gulf premiums rise, 2023.",
    }
    assert [m.number for m in split("two_column").markers] == [1, 2, 3, 4]
    assert not split("two_column").issues


def test_three_columns_under_a_title_are_read_column_by_column():
    # The paragraph gaps line up across the three columns: cutting there would interleave them.
    words = " ".join(body("three_column")).split()
    firsts = [w for w in words if w.lower() in {"alpha", "beta", "gamma"}]
    assert firsts == ["Alpha"] + ["alpha"] * 2 + ["Alpha"] + ["alpha"] + ["Beta"] + ["beta"] * 2 + [
        "Beta"
    ] + ["beta"] + ["Gamma"] + ["gamma"] * 2 + ["Gamma"] + ["gamma"]
    assert split("three_column").paragraphs[0].kind == ParagraphKind.TITLE
    assert notes("three_column") == {1: "First source, 2021.", 2: "Second source, 2022."}


def test_a_note_continued_on_the_next_page_keeps_its_text_and_page_footers_are_dropped():
    assert note("continued_note", 2).text == (
        "Regional Authority, Counter-Study on Transport Costs, with a long annex on the methods used "
        "to estimate the freight volumes of the smaller ports in the region, published as Report 12 (2022)."
    )
    assert note("continued_note", 2).page == 1
    assert note("continued_note", 3).page == 2
    doc = parsed("continued_note")
    assert doc.layout[0].dropped == ["Page 1 of 2"] and doc.layout[1].dropped == ["Page 2 of 2"]
    assert [m.number for m in split("continued_note").markers] == [1, 2, 3]


def test_endnotes_after_a_notes_heading_with_numbered_labels():
    assert [(n.number, n.label) for n in split("endnotes").notes] == [
        (1, "1."),
        (2, "2."),
        (3, "3."),
        (4, "4."),
    ]
    # a label followed by a volume number is still a label
    assert note("endnotes", 3).text == "9 Annals of Diplomacy 128 (2011)."
    assert note("endnotes", 4).urls[0].url == "https://archives.example.org/treaty/1995/index.html"
    kinds = {p.text: p.kind for p in split("endnotes").paragraphs}
    assert kinds["Notes"] == ParagraphKind.HEADING
    # the author box after the notes is body text again, not part of note 4
    assert "The author teaches diplomatic history and has written on treaties." in body("endnotes")
    assert "author" not in note("endnotes", 4).text


def test_bracketed_markers_link_to_a_links_list():
    result = split("bracketed_markers")
    assert [(n.number, n.label) for n in result.notes] == [(1, "[1]"), (2, "[2]"), (3, "[3]"), (4, "[4]")]
    assert note("bracketed_markers", 2).urls[0].url == "http://news.example.org/kc/category/tags/school-lunch"
    assert [m.number for m in result.markers] == [1, 2, 3, 4]
    assert "Reported by Jane Doe for the conference." in body("bracketed_markers")
    assert not result.issues
    # the page header and the "Source URL" line carry URLs but are not notes
    urls = {u.url for n in result.notes for u in n.urls}
    assert not any("states-try-many-answers" in u or u.endswith("/kc") for u in urls)


URL_CASES = [
    # case, note, url, raw_url as printed, alternatives, source
    (
        "hyphenated_url",
        1,
        "https://www.clingendael.org/publication/east-eden",
        "https://www.clingen-dael.org/publication/east-eden",
        ["https://www.clingen-dael.org/publication/east-eden"],
        "text",
    ),
    (
        "hyphenated_url",
        2,
        "https://caucasuswatch.de/en/interviews/sergey-markedonov-the-riot-of-the-middle-powers.html",
        "https://caucasuswatch.de/en/interviews/sergey-markedonov-the-riot-of-the-middle-powers.html",
        ["https://caucasuswatch.de/en/interviews/sergeymarkedonov-the-riot-of-the-middle-powers.html"],
        "text",
    ),
    (
        "hyphenated_url",
        3,
        "https://maps.example.org/gulf/ports/2023/overview.pdf",
        "https://maps.example.org/gulf/ports/2023/overview.pdf",
        [],
        "text",
    ),
    (
        "url_cut_mid_word",
        1,
        "http://docapp.example.gov/servlet/page?_pageid=394&_schema=PORTAL30&doc_num=489669",
        "http://docapp.example.gov/servlet/page?_pageid=394&_schema=PORTAL30&doc_num=489669",
        [],
        "text",
    ),
    (
        # this typesetter cuts URLs without hyphens, so the hyphen before "Out" is real
        "url_cut_mid_word",
        2,
        "http://www.courts.example.gov/News/02-02-01/2002_a_Break-Out_Year_for_Electronic_Filing.aspx",
        "http://www.courts.example.gov/News/02-02-01/2002_a_Break-Out_Year_for_Electronic_Filing.aspx",
        ["http://www.courts.example.gov/News/02-02-01/2002_a_BreakOut_Year_for_Electronic_Filing.aspx"],
        "text",
    ),
    (
        "link_annotation",
        1,
        "https://www.clingendael.org/publication/east-eden",
        "https://www.clingen-dael.org/publication/east-eden",
        ["https://www.clingen-dael.org/publication/east-eden"],
        "both",
    ),
    (
        "link_annotation",
        2,
        "https://caucasuswatch.de/en/interviews/sergey-markedonov-the-riot.html",
        "https://caucasuswatch.de/en/interviews/sergey-markedonov-the-riot.html",
        ["https://caucasuswatch.de/en/interviews/sergeymarkedonov-the-riot.html"],
        "both",
    ),
    ("link_annotation", 3, "https://reports.example.org/full.pdf", "the full report", [], "annotation"),
    (
        # the annotation adds a tracking query: the printed URL is the citation, the target a fallback
        "link_annotation",
        4,
        "https://clerk.example.org/View/32-ORDER",
        "https://clerk.example.org/View/32-ORDER",
        ["https://clerk.example.org/View/32-ORDER?bidId="],
        "both",
    ),
]


@pytest.mark.parametrize("case,number,url,raw,alternatives,source", URL_CASES)
def test_note_urls_are_repaired_with_raw_form_and_alternatives(case, number, url, raw, alternatives, source):
    (ref,) = note(case, number).urls
    assert (ref.url, ref.raw_url, ref.alternatives, ref.source) == (url, raw, alternatives, source)


def test_url_prose_after_a_line_break_is_not_glued_to_the_url():
    assert note("hyphenated_url", 1).text.endswith("/publication/east-eden (last visited May 1, 2024).")


def test_court_opinion_notes_as_large_as_the_body_under_a_short_rule():
    result = split("court_opinion")
    assert [n.number for n in result.notes] == [1, 2]
    first = note("court_opinion", 1)
    assert first.text.endswith(
        "refer to the date the juvenile is charged, not to the date of the offense. See "
        "http://docapp.example.gov/page?_id=3"
    )
    assert [u.url for u in first.urls] == ["http://docapp.example.gov/page?_id=3"]
    # the * note is an author note: kept, but not a numbered note
    other = [p.text for p in result.paragraphs if p.kind == ParagraphKind.OTHER]
    assert other == [
        "* This order is not binding precedent except under the doctrines of law of the case and claim "
        "preclusion."
    ]
    assert [m.number for m in result.markers] == [1, 2] and not result.issues


def test_small_print_table_and_caption_mid_column_are_not_notes():
    assert notes("caption_and_table") == {1: "Freight Index, 2023.", 2: "Ministry of Trade, 2024."}
    paragraphs = split("caption_and_table").paragraphs
    caption = next(p for p in paragraphs if p.text.startswith("Figure 1"))
    assert caption.kind == ParagraphKind.CAPTION
    assert any("Q1 2.1 2.4" in p.text and p.kind == ParagraphKind.CAPTION for p in paragraphs)
    assert body("caption_and_table")[-1].startswith("After the table the text goes on")


def test_markers_after_punctuation_lists_ranges_and_runs_but_not_ordinals():
    result = split("markers_in_a_row")
    assert [(m.number, m.label) for m in result.markers] == [
        (1, "1"),
        (2, "2,3"),
        (3, "2,3"),
        (4, "4–6"),
        (5, "4–6"),
        (6, "4–6"),
        (7, "7"),
        (8, "8 9"),
        (9, "8 9"),
    ]
    paras = {m.number: p for p in result.paragraphs for m in p.markers}
    first = paras[1]
    marker = next(m for m in first.markers if m.number == 1)
    assert first.text[: marker.offset].endswith("rests on one source.")
    quoted = paras[7]
    assert quoted.text[: next(m.offset for m in quoted.markers if m.number == 7)].endswith(
        "\u201cquoted\u201d"
    )
    assert "In the 19th century it began." in paras[8].text
    assert not result.issues


def test_labels_set_above_their_note_line_still_start_the_note():
    assert notes("raised_label") == {1: "Best results are shown in italics.", 2: "See www.example.org/data"}
    assert note("raised_label", 2).urls[0].url == "http://www.example.org/data"


def test_every_case_has_its_notes_in_sequence_without_orphans():
    for path in sorted(CASES.glob("*.pdf")):
        result = split(path.stem)
        numbers = [n.number for n in result.notes]
        assert numbers == list(range(1, len(numbers) + 1)), path.name
        assert not [i for i in result.issues if i.kind == "marker_without_note"], path.name


def test_notes_spanning_the_page_under_two_columns():
    assert body("full_width_notes") == [
        "The left column states the claim and cites its source.",
        "It ends here.",
        "The right column adds a second claim with a source.",
        "It ends too.",
    ]
    assert (
        note("full_width_notes", 1).urls[0].url
        == "https://ports.example.gov/statistics/2023/annual-report.pdf"
    )
    assert notes("full_width_notes")[2] == "Shipping Council, Container Volumes, 2024."


def test_a_sideways_margin_stamp_is_not_read_into_the_text():
    text = " ".join(p.text for p in split("rotated_margin_stamp").paragraphs)
    assert "arxiv" not in text.lower() and "2101" not in text
    assert body("rotated_margin_stamp")[0] == "Left column first line of text left column second line."
    assert notes("rotated_margin_stamp") == {1: "First source, 2020.", 2: "Second source, 2021."}


def test_small_print_without_a_rule_in_a_ruled_document_is_not_a_continued_note():
    assert notes("quote_at_page_foot") == {1: "Report on the claim, 2020."}
    quote = next(p for p in split("quote_at_page_foot").paragraphs if p.page == 2)
    assert quote.text.startswith("We find that the ports were congested")


def test_numbered_small_print_without_a_rule_in_a_ruled_document_is_not_notes():
    assert notes("table_at_page_foot") == {1: "Report on the claim, 2020.", 2: "Second report, 2021."}
    assert any(p.text.startswith("3 Rotterdam") for p in split("table_at_page_foot").paragraphs)


def test_a_notes_cell_in_a_table_does_not_open_endnotes():
    assert notes("notes_word_in_table") == {1: "Port Authority, 2023.", 2: "Strike Monitor, 2023."}
    assert "After the table the argument continues with a second claim." in body("notes_word_in_table")
    assert [m.number for m in split("notes_word_in_table").markers] == [1, 2]


def test_superscript_digit_characters_are_markers_and_labels():
    assert notes("superscript_characters") == {
        1: "First report, 2021.",
        2: "Second report, 2022.",
        3: "Third report, 2023.",
    }
    result = split("superscript_characters")
    assert [(m.number, m.label) for m in result.markers] == [
        (1, "\u00b9"),
        (2, "\u00b2,\u00b3"),
        (3, "\u00b2,\u00b3"),
    ]
    assert body("superscript_characters") == ["The first claim has a source. The second has two."]


def test_endnotes_on_a_new_page_are_found_after_an_author_box_under_a_rule():
    # The box under the rule on page 1 is small print with a line starting "1 Whitehall Place":
    # it must neither be read as note 1 nor swallow the real note 1 under the "Notes" heading.
    name = "endnotes_heading_on_new_page_after_author_box"
    result = split(name)
    assert notes(name) == {
        1: "Treaty Series, vol. 1, p. 12.",
        2: "Second Protocol, Official Journal, 2005.",
        3: "9 Annals of Diplomacy 128 (2011).",
        4: "National Archives, https://archives.example.org/treaty/1995/index.html",
    }
    assert {n.page for n in result.notes} == {2}
    assert [m.number for m in result.markers] == [1, 2, 3, 4]
    assert all(n.has_marker for n in result.notes) and not result.issues
    assert quality_problems(result) == []
    box = next(p for p in result.paragraphs if p.text.startswith("About the author"))
    assert box.page == 1 and box.kind != ParagraphKind.HEADING
    assert "1 Whitehall Place, London." in box.text


def test_numbered_small_print_before_an_endnotes_page_does_not_take_a_note_number():
    # No heading on the box, and "2 Marsham Street" reads like label 2: the notes restart at 1
    # under the "Notes" heading, and the stray "2" is kept as printed, not as a note.
    name = "endnotes_heading_on_new_page_after_numbered_small_print"
    result = split(name)
    assert notes(name) == {1: "Treaty Series, vol. 1, p. 12.", 2: "Second Protocol, Official Journal, 2005."}
    assert [m.number for m in result.markers] == [1, 2]
    assert all(n.has_marker for n in result.notes) and not result.issues
    other = [p.text for p in result.paragraphs if p.kind == ParagraphKind.OTHER]
    assert "2 Marsham Street, London, together with the editors of this series." in other


def test_author_and_contact_boxes_are_not_glued_to_the_last_footnote():
    name = "author_box_after_footnotes"
    result = split(name)
    assert notes(name) == {
        1: "Treaty Series, vol. 1, p. 12.",
        2: "Second Protocol, Official Journal, 2005.",
        3: "Port Authority, Annual Report 2006.",
    }
    assert [m.number for m in result.markers] == [1, 2, 3] and not result.issues
    boxes = {p.text: p.page for p in result.paragraphs if p.text.startswith(("About the author", "Contact"))}
    assert boxes == {
        "About the author Amara Okafor is a senior fellow at the Institute for Transit Studies.": 2,
        "Contact Institute for Transit Studies, press office, press@transit.example.org": 3,
    }


def test_a_note_running_on_into_the_next_column_keeps_its_url_broken_lines():
    # The right column's lines are cut short where the URLs break; they are still the note.
    got = note("note_continued_in_next_column", 2)
    assert got.text.endswith(
        "\u201cCarriers Reroute Around the Cape,\u201d June 1, 2023, "
        "https://www.lloydslist.example.com/news/LL1145007/carriers-reroute/; Freight Weekly, "
        "\u201cRates Double in Two Months,\u201d July 4, 2023, "
        "https://freightweekly.example.org/2023/07/rates-double-in-two-months.html"
    )
    assert [u.url for u in got.urls][1:] == [
        "https://www.lloydslist.example.com/news/LL1145007/carriers-reroute/",
        "https://freightweekly.example.org/2023/07/rates-double-in-two-months.html",
    ]
    paragraphs = split("note_continued_in_next_column").paragraphs
    assert not [p.text for p in paragraphs if "Freight Weekly" in p.text]
    assert (
        body("note_continued_in_next_column")[-1]
        == "The second column closes the argument with the costs borne by the importers."
    )
