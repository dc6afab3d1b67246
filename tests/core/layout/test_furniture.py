"""Page furniture: running headers, footers and page numbers are dropped; note text that looks alike stays."""

import pytest

from pipeline.core.layout import drop_running_lines
from pipeline.core.models import Line, PageLayout


def test_running_header_and_page_footer_are_dropped(parsed_seed):
    doc = parsed_seed("article-libreoffice.pdf")
    page2 = doc.layout[1]
    assert page2.dropped == [
        "Iran\u2019s Security Posture in the South Caucasus Feature Article \u00b7 May 30, 2024",
        "Page 2 of 11",
    ]
    assert not any(ln.text.startswith("Page 2 of") for ln in page2.lines)


def _page(number: int, *rows: tuple[float, str]) -> PageLayout:
    lines = [
        Line(page=number, x0=72, x1=300, top=top, bottom=top + 10, text=text, size=10) for top, text in rows
    ]
    return PageLayout(number=number, width=612, height=792, lines=lines)


def test_page_numbers_must_follow_the_page_sequence():
    # Page numbers 109, 110, 111 (offset 108, the second and third inside running headers);
    # "2024." alone at the top of page 3 is the end of a note, not a page number.
    pages = [
        _page(1, (100, "Title"), (300, "Body text of the first page."), (620, "109")),
        _page(2, (40, "110 LAW REVIEW Vol. 77"), (100, "Body text."), (300, "1. A note.")),
        _page(3, (40, "2024."), (100, "LAW REVIEW 111"), (300, "Body text.")),
        _page(4, (40, "112 LAW REVIEW Vol. 77"), (100, "Body text.")),
    ]
    drop_running_lines(pages)
    assert pages[0].dropped == ["109"]
    assert pages[1].dropped == ["110 LAW REVIEW Vol. 77"]
    assert pages[2].dropped == []
    assert [ln.text for ln in pages[2].lines] == ["2024.", "LAW REVIEW 111", "Body text."]
    assert pages[3].dropped == ["112 LAW REVIEW Vol. 77"]


def test_a_footer_that_changes_on_the_last_page_is_matched_by_its_first_words():
    pages = [_page(n, (100, "Body text."), (750, f"Congressional Research Service {n}")) for n in range(1, 6)]
    pages.append(
        _page(6, (100, "Body text."), (750, "Congressional Research Service R48903 · VERSION 3 · NEW 6"))
    )
    # a body line that starts with the same words, in the body's type, stays
    last = _page(7, (100, "Body text."))
    body = Line(
        page=7,
        x0=72,
        x1=300,
        top=740,
        bottom=752,
        text="Congressional Research Service staff said so.",
        size=12,
    )
    last.lines.append(body)
    pages.append(last)
    drop_running_lines(pages)
    assert [p.dropped for p in pages[:5]] == [[f"Congressional Research Service {n}"] for n in range(1, 6)]
    assert pages[5].dropped == ["Congressional Research Service R48903 · VERSION 3 · NEW 6"]
    assert all([ln.text for ln in p.lines] == ["Body text."] for p in pages[:6])
    assert last.dropped == [] and body in last.lines


@pytest.mark.parametrize(
    "case,texts,kept",
    [
        # the only line of every page, the same words: the document's content, not a running head
        ("same_unnumbered_line_alone_on_every_page", ["Hello world"] * 4, ["Hello world"] * 4),
        # the only line of every page counts the pages: furniture, and nothing is left
        ("numbered_running_line_alone_on_every_page", [f"Potato {n}" for n in range(4)], []),
        ("print_slug_alone_on_every_page", [f"p20.qxd 10/02/2012 Page {n}" for n in (12, 13, 14)], []),
    ],
)
def test_a_running_line_is_content_only_when_nothing_else_is_and_it_counts_no_pages(case, texts, kept):
    pages = [_page(n, (50, text)) for n, text in enumerate(texts, start=1)]
    drop_running_lines(pages)
    assert [ln.text for p in pages for ln in p.lines] == kept, case


def test_a_running_head_is_dropped_when_the_pages_hold_other_text():
    pages = [_page(n, (50, "Hello world"), (300, f"Body text of page {n}.")) for n in range(1, 5)]
    drop_running_lines(pages)
    assert [p.dropped for p in pages] == [["Hello world"]] * 4
