"""The nine real-world PDFs (../shared/corpus/real, read in place): notes, numbers, text and URLs checked by eye.

Every expectation below was read off the rendered pages (pdftoppm); see the fixtures' README for
what makes each document hard. There is no gold file for these: the facts are the test.
"""

from functools import cache

import pytest

from pipeline.core.footnotes import split_notes
from pipeline.core.layout import parse_document
from pipeline.core.models import Note, NoteSplit, ParagraphKind, ParsedDocument
from tests.conftest import REAL_PDFS

REAL = REAL_PDFS


@cache
def parsed(name: str) -> ParsedDocument:
    return parse_document(REAL / f"{name}.pdf", doc_id=name)


@cache
def split(name: str) -> NoteSplit:
    return split_notes(parsed(name))


def note(name: str, number: int) -> Note:
    return next(n for n in split(name).notes if n.number == number)


def urls(name: str, number: int) -> list[str]:
    return [u.url for u in note(name, number).urls]


def all_urls(name: str) -> set[str]:
    return {u.url for n in split(name).notes for u in n.urls}


# file, notes (numbered 1..n in order), markers found in the body, notes carrying URLs
COUNTS = [
    ("bitcoin_securities_legal_article", 67, 67, 27),
    ("ca10_2010_habeas_opinion", 13, 13, 1),
    ("crs_r48903_hormuz_shipping", 40, 40, 31),
    ("csg_obesity_news_article", 8, 8, 8),
    ("icail2007_opinion_mining_legal_blogs", 14, 15, 11),
    ("malamud_twelve_tables_speech", 20, 20, 2),
    ("martin_rewiring_old_architecture", 132, 132, 60),
    ("martin_universalcitation_proposal", 8, 8, 3),
    ("mercer_lawrev_ga_election_2025", 339, 339, 3),
]


@pytest.mark.parametrize("name,count,markers,with_urls", COUNTS, ids=[c[0] for c in COUNTS])
def test_every_note_is_found_once_in_order_and_linked(name, count, markers, with_urls):
    result = split(name)
    assert [n.number for n in result.notes] == list(range(1, count + 1))
    assert len(result.markers) == markers
    assert sum(1 for n in result.notes if n.urls) == with_urls
    kinds = {i.kind for i in result.issues}
    assert "marker_without_note" not in kinds and "gap" not in kinds and "duplicate_note" not in kinds
    assert all(n.text and not n.text[0].isspace() for n in result.notes)


def test_bitcoin_article():
    name = "bitcoin_securities_legal_article"
    # "(last visited" glued to the URL by the line break is not part of it
    assert urls(name, 3) == ["https://bitcoin.org/bitcoin.pdf"]
    assert note(name, 3).text.endswith("https://bitcoin.org/bitcoin.pdf (last visited October 12, 2022).")
    # a bracketed archive link printed with a space inside
    assert urls(name, 19) == [
        "https://github.com/ethereum/EIPs/blob/master/EIPS/eip-20.md",
        "https://perma.cc/4GZA-EFMP",
    ]
    # a Wayback URL with a second http://; its annotation drops a slash, so it is only an alternative
    (wayback, _) = note(name, 47).urls
    assert wayback.url == (
        "https://web.archive.org/web/20100427033445/http://newlibertystandard.wetpaint.com/page/Exchange+Rate"
    )
    assert wayback.alternatives == [
        "https://web.archive.org/web/20100427033445/http:/newlibertystandard.wetpaint.com/page/Exchange+Rate"
    ]
    # URLs wrapped at their own hyphens keep them (the link annotation agrees)
    assert (
        "https://www.cnbc.com/2017/10/27/bitcoins-origin-story-remains-shrouded-in-mystery-heres-why-it-matters.html"
        in urls(name, 37)
    )
    # "35 36" set as one raised run is two markers
    para = next(p for p in split(name).paragraphs if any(m.number == 35 for m in p.markers))
    assert [m.number for m in para.markers if m.number in (35, 36)] == [35, 36]
    # the * note under note 5 is an author note, not part of note 5
    assert note(name, 5).text.endswith("(Showing market prices for 21,293 distinct cryptocurrencies).")
    other = [p.text for p in split(name).paragraphs if p.kind == ParagraphKind.OTHER]
    assert other == ["*Updated on July 25, 2023 to reflect new developments in relevant case law"]


def test_court_opinion_with_notes_as_large_as_the_body():
    name = "ca10_2010_habeas_opinion"
    # note 8 continues onto page 13 without a label; its URL is cut mid-word with no hyphen
    assert note(name, 8).page == 12
    assert urls(name, 8) == [
        "http://docapp065p.doc.state.ok.us/servlet/page?_pageid=394&_dad=portal30&_schema=PORTAL30"
        "&doc_num=489669&offender_book_id=286523"
    ]
    assert note(name, 8).text.endswith(
        "Triplet had already served his attempted escape sentence at the time he filed his § 2254 petition."
    )
    assert note(name, 1).text.startswith(
        "For this discussion only, we cite to the 2000 version of the Oklahoma Code"
    )
    other = [p.text for p in split(name).paragraphs if p.kind == ParagraphKind.OTHER]
    assert len(other) == 1 and other[0].startswith("* This order and judgment is an unpublished decision")


def test_crs_report():
    name = "crs_r48903_hormuz_shipping"
    # the cover and contents pages give no notes
    assert note(name, 1).page == 3
    assert urls(name, 8) == [
        "https://www.marines.mil/Portals/1/Publications/MCTP%2011-10B.pdf?ver=9Qihccgl32_Cwik1rnU0oQ%3D%3D",
        "https://www.tandfonline.com/doi/full/10.1080/00908320.2022.2096158#abstract",
    ]
    assert urls(name, 11) == [
        "https://maritime-executive.com/article/iran-publishes-redrawn-traffic-scheme-for-strait-of-hormuz"
    ]
    assert urls(name, 3) == ["https://www.ukmto.org/recent-incidents"]
    # the last page's footer differs from the others but is still a footer, not part of note 40
    assert note(name, 40).text.endswith("crowley-managed-cs-anthem-joins-tanker-security-program/.")
    assert sum(1 for n in split(name).notes if "https://usatrade.census.gov/" in urls(name, n.number)) == 13
    # pdfplumber's page.hyperlinks recurses forever on page 1's form widget; our reader does not
    assert parsed(name).warnings == []


def test_csg_web_page_with_bracketed_markers_and_a_links_list():
    name = "csg_obesity_news_article"
    assert [n.label for n in split(name).notes] == [f"[{n}]" for n in range(1, 9)]
    assert urls(name, 8) == [
        "http://knowledgecenter.csg.org/kc/category/policy-area/health/prevention-and-public-health/obesity"
    ]
    assert [m.number for m in split(name).markers] == list(range(1, 9))
    # the header and the "Source URL:" line are URLs but not notes
    assert not any(u.rstrip("/").endswith("/kc") or "/content/" in u for u in all_urls(name))


def test_icail_two_column_paper():
    name = "icail2007_opinion_mining_legal_blogs"
    # scheme-less URL in typewriter font; the annotation restores underscores the text layer lost
    (ref,) = note(name, 2).urls
    assert ref.url == "http://3lepiphany.typepad.com/3l_epiphany/a_taxonomy_of_legal_blogs/index.html"
    assert ref.raw_url == "3lepiphany.typepad.com/3l epiphany/ a taxonomy of legal blogs/index.html"
    assert urls(name, 1) == ["http://www.clairvoyancecorp.com/research/workshops/AAAI-EAAT-2004/home.html"]
    assert urls(name, 9) == [
        "http://www.technorati.com",
        "http://www.blogpulse.com",
        "http://www.icerocket.com",
        "http://www.blog-search.com",
        "http://www.blogsearchengine.com",
        "http://blogsearch.google.com",
    ]
    # a small-print table above note 13's column foot is not part of the note
    assert note(name, 13).text.endswith("corpus enhancement project [26, 28, 29].")
    # the numbered bibliography is not a list of notes; the URL in a figure box is not a note URL
    assert not any("lorenzen" in u for u in all_urls(name))
    refs = [p for p in split(name).paragraphs if p.kind == ParagraphKind.OTHER]
    assert refs and refs[0].text.startswith("[1] M. Baroni and S. Vegnaduzzo.")
    # the stray second marker 2 is reported, not dropped
    assert [(i.kind, i.number) for i in split(name).issues] == [("duplicate_marker", 2)]


def test_malamud_speech_with_period_labels():
    name = "malamud_twelve_tables_speech"
    # notes that begin with a volume number
    assert note(name, 3).text == "9 Byrd on Rome, July 13, 1993, page 128."
    assert note(name, 14).text == "2 Byrd on Rome, May 11, 1993, p. 25."
    assert note(name, 17).text == "11 Byrd on Rome, July 11, 1993, p. 133."
    # a URL split right after "http://"; "C-" + "SPAN" keeps its hyphen
    assert urls(name, 2) == ["http://www.youtube.com/user/LawResourceOrg#g/c/1E1633114E0E358F"]
    assert "Video from C-SPAN with closed captions" in note(name, 2).text


def test_rewiring_working_paper():
    name = "martin_rewiring_old_architecture"
    # the repository cover sheet and the SSRN title page carry URLs but no notes
    assert note(name, 1).page == 4 and note(name, 1).text.startswith("Vivienne Jupp, An Online Government")
    assert not any("scholarship.law.cornell.edu" in u or "1807188" in u for u in all_urls(name))
    # broken right after a "." that belongs to the URL
    assert urls(name, 15)[0].endswith("/research/citation/resolution.html")
    # this document cuts URLs mid-word without hyphens, so its break hyphens are real
    assert urls(name, 27) == [
        "http://www.uscourts.gov/News/TheThirdBranch/02-02-01/2002_a_Break-Out_Year_for_CM_ECF_Implementation_in_Federal_Courts.aspx"
    ]
    assert urls(name, 56) == ["http://www.access-to-law.com/elaw/ct_CALR/contracts.htm"]
    assert (
        urls(name, 129)[1]
        == "http://www.oasis-open.org/committees/tc_home.php?wg_abbrev=legalxml-courtfiling"
    )
    # a doubled scheme is repaired; the printed form stays in raw_url
    americanbar = note(name, 51).urls[1]
    assert americanbar.url.startswith("http://www.americanbar.org/content/dam/aba/migrated/")
    assert americanbar.raw_url.startswith("http://http://www.americanbar.org/")
    assert "http://www.hyperlaw.com//jccite/jconf.htm" in urls(name, 47)
    other = [p.text[:2] for p in split(name).paragraphs if p.kind == ParagraphKind.OTHER]
    assert other == ["* ", "† "]


def test_universal_citation_proposal():
    name = "martin_universalcitation_proposal"
    assert [n.page for n in split(name).notes] == [1, 1, 1, 1, 5, 5, 5, 5]
    assert urls(name, 2) == [
        "http://ssrn.com/abstract=1743756",
        "http://www.aallnet.org/Archived/Publications/AALL-Publications/universal-citation-guide.pdf",
    ]
    # URLs in the body and the appendix are not note URLs; "19th" and "1st" are not markers
    assert not any("westlaw" in u or "lexis" in u or "supct-cgi" in u for u in all_urls(name))
    assert [m.number for m in split(name).markers] == list(range(1, 9))


def test_mercer_law_review():
    name = "mercer_lawrev_ga_election_2025"
    assert note(name, 1).page == 1 and note(name, 1).text.startswith(
        "While there are a number of federal cases"
    )
    # labels followed by a volume number or a year
    assert note(name, 24).text.startswith("1964 Ga. Laws, Ex. Sess., p. 26")
    assert note(name, 114).text == "313 Ga. 375, 870 S.E.2d 430."
    assert urls(name, 37) == [
        "https://voter.chathamcountyga.gov/",
        "https://perma.cc/7ZVC-BG73",
        "https://elections.chathamcountyga.gov/",
        "https://perma.cc/T3S9-YR3M",
    ]
    # wrapped at its own hyphen; the annotation adds a query, so it is the first alternative
    order = note(name, 272).urls[0]
    assert order.url == "https://www.fultonclerk.org/DocumentCenter/View/10139/32-DISMISSAL-ORDER-10-04-2024"
    assert order.alternatives[0] == order.url + "?bidId="
    # *, ** and *** author notes are kept apart from note 1
    other = [p.text[:4] for p in split(name).paragraphs if p.kind == ParagraphKind.OTHER]
    assert other == ["*Mem", "**Me", "***S"]
    # the galley header and the first page's folio are furniture
    assert "109" in parsed(name).layout[0].dropped
