"""Notes of text input: URLs repaired from the document's own spellings, URLs cut at a line end."""

import pytest

from tests.core.footnotes.helpers import LONG, read_and_split

URLS = [
    # (citation text, expected url, the other readings offered)
    (
        "Tehran Times, May 1, 2020, https://www.teh-rantimes.com/news/1",
        "https://www.tehrantimes.com/news/1",
        [],
    ),
    (
        "Clingendael, May 1, 2020, https://www.clingen-dael.org/pub/x",
        "https://www.clingendael.org/pub/x",
        [],
    ),
    ("“Find Peace,” 2020, https://x.org/find-salva-tion-now", "https://x.org/find-salvation-now", []),
    (
        "Wire, 2020, https://x.org/sergey-markedonov-the-caucasus",
        "https://x.org/sergey-markedonov-the-caucasus",
        [],
    ),
    (
        "“Next in line,” 2020, https://x.org/fidan-next-in-line-after",
        "https://x.org/fidan-next-in-line-after",
        [],
    ),
    ("Wire, 2020, https://x.org/iran-s-perceptions-of-war", "https://x.org/iran-s-perceptions-of-war", []),
    (
        "Wire, 2020, https://www.swp-berlin.org/pub/x",
        "https://www.swp-berlin.org/pub/x",
        ["https://www.swpberlin.org/pub/x"],
    ),
    (
        "“Defies Trump,” 2020, https://x.org/europe_erdogan-defiestrump-over-iran",
        "https://x.org/europe_erdogan-defies-trump-over-iran",
        ["https://x.org/europe_erdogan-defiestrump-over-iran"],
    ),
    (
        "Wire, 2020, https://x.org/thailands-power-purchases-now",
        "https://x.org/thailands-power-purchases-now",
        [],
    ),
    (
        "Wire, 2009, https://www.wire.com/article/us-israel-idUK-TRE51G1VR",
        "https://www.wire.com/article/us-israel-idUK-TRE51G1VR",
        ["https://www.wire.com/article/us-israel-idUKTRE51G1VR"],
    ),
    ("Report, 2017, https://x.org/pub/2017C24 wis zbv.pdf", "https://x.org/pub/2017C24_wis_zbv.pdf", []),
    ('Cables, 2020, https://x.org/a/cables/">https://x.org/a/cables/', "https://x.org/a/cables/", []),
    (
        "Wire, 2021, https://www.reuters.com/world/middle-east/talks-2021/ Natalia Bo, “B,” 2021.",
        "https://www.reuters.com/world/middle-east/talks-2021/",
        [],
    ),
]


@pytest.mark.parametrize("citation,url,alternatives", URLS)
def test_url_repair_in_unwrapped_text(citation, url, alternatives):
    split = read_and_split(f"{LONG}¹\n\n¹ {citation}\n")
    (note,) = split.notes
    assert note.urls[0].url == url
    assert note.urls[0].raw_url.replace("_", " ") in citation.replace("_", " ")
    assert note.urls[0].alternatives == alternatives


def test_hyphens_inside_lines_of_wrapped_text_are_printed_ones():
    body = "Officials said the review\nwould take months.¹\n"
    note = "¹ Clingendael, May 1, 2020, https://www.clingen-dael.org/pub/find-salva-tion\n"
    (parsed,) = read_and_split(f"{body}\n{note}").notes
    assert parsed.urls[0].url == "https://www.clingen-dael.org/pub/find-salva-tion"


def test_citations_run_together_after_a_url_are_separated():
    (note,) = read_and_split(f"{LONG}¹\n\n¹ Ann Lee, “A,” 2020, https://a.org/x#k Bo Ma, “B,” 2021.\n").notes
    assert note.text == "Ann Lee, “A,” 2020, https://a.org/x#k; Bo Ma, “B,” 2021."


WRAPPED_URLS = [
    # a URL cut where the line was full, with no hyphen added (fpdf2, pdftotext)
    (
        "https://a.org/report/involvement-development-proj\nects/",
        "https://a.org/report/involvement-development-projects/",
    ),
    (
        "https://a.org/interviews/the-riot-of-the-middle-powers.h\ntml",
        "https://a.org/interviews/the-riot-of-the-middle-powers.html",
    ),
    ("https://a.org/news/docid/51dfc0524.\nhtml", "https://a.org/news/docid/51dfc0524.html"),
    (
        "https://a.org/the-scapegoat-for-turkey-and-ir\nan; Bo Ma, “B,” 2021.",
        "https://a.org/the-scapegoat-for-turkey-and-iran",
    ),
    (
        "https://a.org/article/civilians-killed-a9a82a4432c9abd15443c31b5aa58\n58e",
        "https://a.org/article/civilians-killed-a9a82a4432c9abd15443c31b5aa5858e",
    ),
    (
        "https://www.a.org/content/\nd8347bd0-cc4f-4c3b-9225-0ccd272330a6",
        "https://www.a.org/content/d8347bd0-cc4f-4c3b-9225-0ccd272330a6",
    ),
    ("https://a.org/en/\n202306182196", "https://a.org/en/202306182196"),
    (
        "https://a.org/uploads/2023/07/Russias-invasion-of\nUkraine-The-geopolitical-significance.pdf",
        "https://a.org/uploads/2023/07/Russias-invasion-of-Ukraine-The-geopolitical-significance.pdf",
    ),
    # and what does not go on
    ("https://a.org/report/x\nand more words follow here.", "https://a.org/report/x"),
    ("https://a.org/report/x\nIbid.", "https://a.org/report/x"),
]


@pytest.mark.parametrize("printed,url", WRAPPED_URLS)
def test_urls_cut_at_a_full_line(printed, url):
    (note,) = read_and_split(
        f"Officials said the review\nwould take months.¹\n\n¹ Ann Lee, “A,” 2020,\n{printed}\n"
    ).notes
    assert note.urls[0].url == url
