"""Citation parsing: notes -> citations -> fields, and repeats linked to what they repeat.

Table-driven in the manner of eyecite: each row is a citation as printed and the fields a careful
reader would write down. Rows come from the seed article's notes and from the real PDFs in
tests/fixtures/real (bitcoin, mercer, CRS, ICAIL), plus textbook examples of each style.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.citations import parse_citation, parse_citations, resolve_references, split_citations
from pipeline.core.models import Citation, LinkSpan, Note, Span, UrlRef
from pipeline.core.text import LinePiece, extract_url_refs, find_dates, find_urls, join_lines, parse_date
from tests.conftest import FIXTURES

# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

DATES = [
    ("Financial Times, August 15, 2023, https://x.org", "2023-08-15"),
    ("Eurasia Daily Monitor, 10 July 2013", "2013-07-10"),
    ("SWP Comments, July 2017", "2017-07"),
    ("Valdai Club, 2022", "2022"),
    ("VOA, Septemer 27, 2019", "2019-09-27"),  # misspelt month (seed note 17)
    ("COINDESK, Jul. 11, 2020", "2020-07-11"),
    ("(Jun. 27. 2022)", "2022-06-27"),
    ("BLOOMBERG, (November 9, 2021, 4:06 AM EST)", "2021-11-09"),
    ("retrieved 2023-10-25", "2023-10-25"),
    ("(S.D.N.Y. Sept. 19, 2025)", "2025-09-19"),
    ("Issue 100, no date here", None),
    ("February 30, 2020", "2020-02"),  # no such day: only the month is real
]


@pytest.mark.parametrize("text,iso", DATES)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_find_dates_gives_offsets_and_precision():
    text = "Reuters, October 1, 2012, and (2019)"
    dates = find_dates(text)
    assert [(text[d.start : d.end], d.iso, d.precision) for d in dates] == [
        ("October 1, 2012", "2012-10-01", "day"),
        ("2019", "2019", "year"),
    ]


# ---------------------------------------------------------------------------------------------
# Splitting a note into citations
# ---------------------------------------------------------------------------------------------

SPLITS = [
    # semicolons between citations
    (
        'Jones, "Erdogan defies Trump," VOA, 2019, https://voanews.com/a; Dorian Jones, "Turkey, Iran Join '
        'Forces," VOA, March 20, 2020, https://voanews.com/b',
        ["Jones,", "Dorian Jones,"],
    ),
    # a semicolon inside a title is no boundary (seed note 11: the title lost its opening quote)
    (
        'Ashish Dangwal, Iran confirms fighters from Russia; jets to arrive in March," Eurasian Times, '
        'August 19, 2023, https://a.com/x; "Iran expected consequences," Iran International, 2023',
        ["Ashish Dangwal,", '"Iran expected'],
    ),
    # a full stop after a URL ends a citation (seed note 18)
    (
        '"Iran-Turkey trade reaches 5bn," Tehran Times, 2023, https://t.com/a. "Iran\'s exports drop," '
        "Iran International, 2023, https://i.com/b",
        ['"Iran-Turkey', "\"Iran's exports"],
    ),
    # ... but not when the URL follows the full stop (seed note 56)
    (
        '"Ardabil imam addresses Azerbaijan," Farda News, April 2023. https://www.fardanews.com/x',
        ['"Ardabil'],
    ),
    # an unbalanced quote spanning a URL does not protect the next semicolon (seed note 36)
    (
        '"Georgia, Uzbekistan, Prioritize the BTK Railway, Silk Road Briefing, April 4, 2023, '
        'https://s.com/a; "Relations with Georgia," NATO, https://n.int/b',
        ['"Georgia, Uzbekistan', '"Relations'],
    ),
    # doubled semicolons (seed note 22)
    ('"A," Reuters, 2024, https://r.com/a/;; Tuvan Cumrukcu, "B," Reuters, 2023', ['"A,"', "Tuvan"]),
    # Bluebook: signals start citations; semicolons inside parentheses do not split
    (
        "See Camp, 314 Ga. 699, 879 S.E.2d 88; Barrow v. Raffensperger, 308 Ga. 660, 842 S.E.2d 884 (2020).",
        ["See Camp,", "Barrow v."],
    ),
    (
        "O.C.G.A. § 21-2-217(b); see also Fair Fight Action, Inc., 634 F. Supp. 3d at 1170.",
        ["O.C.G.A.", "see also Fair"],
    ),
    ("Cook, 291 Ga. at 70 (holding, in part; that ballots count).", ["Cook,"]),
    (
        "Id. (quoting Cohney); see also Reves v. Ernst & Young, 494 U.S. 56, 61 (1990).",
        ["Id. (quoting", "see also Reves"],
    ),
    # sections of one code after a semicolon stay together; a new volume-reporter starts a citation
    ("See O.C.G.A. §§ 15-9-30(b)(2) (2024); 21-2-2(35)(a).", ["See O.C.G.A."]),
    ("P.L. 116-283, §3511; 46 U.S.C. §53403(c).", ["P.L.", "46 U.S.C."]),
    # a full stop after a dated parenthetical, before "See also"
    (
        "The History of Ethereum, https://ethereum.org/en/history (last updated August 9, 2022). See also, "
        "Camilla Russo, Sale of The Century, COINDESK, Jul. 11, 2020",
        ["The History", "See also,"],
    ),
]


@pytest.mark.parametrize("text,starts", SPLITS)
def test_split_citations(text, starts):
    parts = split_citations(text)
    assert len(parts) == len(starts), parts
    assert all(p.startswith(s) for p, s in zip(parts, starts, strict=True)), parts


# ---------------------------------------------------------------------------------------------
# Fields, one style per row
# ---------------------------------------------------------------------------------------------

PARSES = [
    pytest.param(
        'Andrew England, Felicia Scwartz, "US asks Iran to stop selling drones to Russia," Financial Times, '
        "August 16, 2023, https://www.ft.com/content/c237c531",
        {
            "authors": ["Andrew England", "Felicia Scwartz"],
            "title": "US asks Iran to stop selling drones to Russia",
            "container": "Financial Times",
            "published": "2023-08-16",
            "urls": ["https://www.ft.com/content/c237c531"],
            "kind": "full",
        },
        id="news",
    ),
    pytest.param(
        '"Turkey says Killing of Soleimani to fuel instability," Reuters, January 3, 2020, '
        "https://www.reuters.com/article/iraq-security-blast-turkey-idUSP8N26O013",
        {
            "authors": [],
            "title": "Turkey says Killing of Soleimani to fuel instability",
            "container": "Reuters",
        },
        id="news-no-author",
    ),
    pytest.param(
        # the opening quote is missing in the seed: the title still ends at its closing quote
        "Ashish Dangwal, Iran confirms acquiring 24 Sukhoi Su-35 fighters from Russia; jets to arrive during "
        'Iranian year in March," Eurasian Times, August 19, 2023, https://www.eurasiantimes.com/x/',
        {
            "authors": ["Ashish Dangwal"],
            "title": "Iran confirms acquiring 24 Sukhoi Su-35 fighters from Russia; jets to arrive during "
            "Iranian year in March",
            "container": "Eurasian Times",
            "published": "2023-08-19",
        },
        id="news-unopened-quote",
    ),
    pytest.param(
        # ... and here the closing quote is missing: the container stands before the date
        'Raz Zimmt, "The Involvement of the Revolutionary Guards in Iranian Infrastructure, INSS Insight, '
        "No. 913, April 4, 2017, https://www.inss.org.il/publication/x/",
        {
            "authors": ["Raz Zimmt"],
            "title": "The Involvement of the Revolutionary Guards in Iranian Infrastructure",
            "container": "INSS Insight",
            "published": "2017-04-04",
        },
        id="think-tank-unclosed-quote",
    ),
    pytest.param(
        'Andrea Weiss, Yana Zabanova, "The South Caucasus and Iran in the Post-Sanctions Era," SWP Comments '
        "(German Institute for International and Security Affairs), July 2017, "
        "https://www.swp-berlin.org/publications/products/comments/2017C24_wis_zbv.pdf",
        {
            "authors": ["Andrea Weiss", "Yana Zabanova"],
            "title": "The South Caucasus and Iran in the Post-Sanctions Era",
            "container": "SWP Comments",
            "published": "2017-07",
        },
        id="think-tank",
    ),
    pytest.param(
        "Hamidreza Azizi and Erwin Van Veen, \"East of Eden: will Tehran find salvation in 'Looking "
        "Eastwards,'\" Clingendael, April 25, 2023, https://www.clingendael.org/publication/east-eden",
        {
            "authors": ["Hamidreza Azizi", "Erwin Van Veen"],
            "title": "East of Eden: will Tehran find salvation in 'Looking Eastwards'",
            "container": "Clingendael",
        },
        id="think-tank-inner-quotes",
    ),
    pytest.param(
        "Robert Beckman et al., \u201cPossible Actions by Coastal States to Protect Their Marine "
        "Environment,\u201d International Journal of Marine and Coastal Law, vol. 40 (2025), "
        "https://doi.org/10.1163/15718085-bja10178.",
        {
            "authors": ["Robert Beckman"],
            "title": "Possible Actions by Coastal States to Protect Their Marine Environment",
            "container": "International Journal of Marine and Coastal Law",
            "published": "2025",
            "doi": "10.1163/15718085-bja10178",
        },
        id="journal-chicago-doi",
    ),
    pytest.param(
        "Smith, J. A., & Lee, K. (2020). Deep learning for citations. Journal of Legal Informatics, 12(3), "
        "45\u201367. https://doi.org/10.1000/jli.2020.123",
        {
            "authors": ["Smith, J. A.", "Lee, K."],
            "title": "Deep learning for citations",
            "container": "Journal of Legal Informatics",
            "published": "2020",
            "volume": "12",
            "page": "45",
            "doi": "10.1000/jli.2020.123",
        },
        id="journal-apa-doi",
    ),
    pytest.param(
        "M. Hu and B. Lu. Mining and summarizing customer reviews. In Proceedings of the Tenth ACM SIGKDD "
        "International Conference on Knowledge Discovery and Data Mining, pages 168\u2013177, Seattle, "
        "Washington, August 2004. ACM Press.",
        {
            "authors": ["M. Hu", "B. Lu"],
            "title": "Mining and summarizing customer reviews",
            "container": "Proceedings of the Tenth ACM SIGKDD International Conference on Knowledge "
            "Discovery and Data Mining",
            "published": "2004-08",
            "page": "168",
        },
        id="journal-acm-proceedings",
    ),
    pytest.param(
        "See, Shaanan Cohney, et al., Coin-Operated Capitalism, 119 Col. L. Rev. 591, 597-98 (2019) "
        "(A study \u201cbuilt around a survey of the 50 ICOs that raised the most capital in 2017\u201d)",
        {
            "authors": ["Shaanan Cohney"],
            "title": "Coin-Operated Capitalism",
            "container": "Col. L. Rev.",
            "volume": "119",
            "page": "591",
            "pinpoint": "597-98",
            "published": "2019",
            "signal": "See",
        },
        id="journal-bluebook",
    ),
    pytest.param(
        "Bell Atl. Corp. v. Twombly, 550 U.S. 544, 570 (2007).",
        {
            "title": "Bell Atl. Corp. v. Twombly",
            "container": "U.S.",
            "volume": "550",
            "page": "544",
            "pinpoint": "570",
            "published": "2007",
            "kind": "full",
        },
        id="legal-case",
    ),
    pytest.param(
        "See, e.g. SEC v. Telegram Grp. Inc., 448 F. Supp. 3d 352, 379 (S.D.N.Y. 2020) (\u201c[T]he security "
        "in this case is not simply the Gram\u201d).",
        {
            "title": "SEC v. Telegram Grp. Inc.",
            "container": "F. Supp. 3d",
            "volume": "448",
            "page": "352",
            "published": "2020",
            "signal": "See, e.g.",
        },
        id="legal-case-parenthetical",
    ),
    pytest.param(
        "Both the SEC and the courts look to the \u201ceconomic realities underlying a transaction,\u201d "
        "United Housing Found., Inc. v. Forman, 421 U.S. 837, 849 (1975), so merely stating it will not do.",
        {"title": "United Housing Found., Inc. v. Forman", "container": "U.S.", "published": "1975"},
        id="legal-case-in-prose",
    ),
    pytest.param(
        "Securities and Exchange Commission v. Ripple Labs, Inc., et al., No. 1:20-cv-10832 "
        "(S.D.N.Y. Dec. 20, 2020)",
        {
            "title": "Securities and Exchange Commission v. Ripple Labs, Inc.",
            "container": "S.D.N.Y.",
            "published": "2020-12-20",
        },
        id="legal-docket",
    ),
    pytest.param(
        "O.C.G.A. § 21-2-50(a) (2023).",
        {"title": "O.C.G.A. § 21-2-50(a)", "container": "O.C.G.A.", "published": "2023"},
        id="legal-statute",
    ),
    pytest.param(
        "GA. CONST. art. V, § 3, para. 1.",
        {"title": "GA. CONST. art. V, § 3, para. 1", "container": "GA. CONST."},
        id="legal-constitution",
    ),
    pytest.param(
        'Council of the European Union, "Where Does the EU\'s Energy Come From?", 2020. '
        "https://www.consilium.europa.eu/en/infographics/where-does-the-eus-energy-come-from/",
        {
            "authors": ["Council of the European Union"],
            "title": "Where Does the EU's Energy Come From?",
            "published": "2020",
        },
        id="government",
    ),
    pytest.param(
        "U.S. Customs and Border Protection, \u201cUpdated Guidance: Implementation of Jones Act Waiver,\u201d "
        "CSMS # 68180454, March 17, 2026, https://content.govdelivery.com/bulletins/gd/USDHSCBP-41059e6.",
        {
            "authors": ["U.S. Customs and Border Protection"],
            "title": "Updated Guidance: Implementation of Jones Act Waiver",
            "container": "CSMS # 68180454",
            "published": "2026-03-17",
        },
        id="government-agency",
    ),
    pytest.param(
        "Turkey (T\u00fcrkiye): Major Issues and U.S. Relations, Congressional Research Service, August 10, 2023, "
        "https://sgp.fas.org/crs/mideast/R44000.pdf",
        {
            "title": "Turkey (T\u00fcrkiye): Major Issues and U.S. Relations",
            "container": "Congressional Research Service",
            "published": "2023-08-10",
        },
        id="government-report-no-quotes",
    ),
    pytest.param(
        '"Relations with Georgia," NATO, Last Updated April 12, 2023, https://www.nato.int/cps/en/natohq/x.htm.',
        {"title": "Relations with Georgia", "container": "NATO", "published": None, "updated": "2023-04-12"},
        id="government-last-updated",
    ),
    pytest.param(
        "Abodollah Ganji Twitter Account, October 1, 2021, Managing Director of the Javan Daily, affiliated "
        "with the IRGC. https://twitter.com/ab_ganji/status/1443853234079256583?s=20",
        {"authors": ["Abodollah Ganji"], "container": "Twitter", "published": "2021-10-01"},
        id="social-media-twitter",
    ),
    pytest.param(
        '@elonmusk, "The bird is freed," X, October 28, 2022, https://x.com/elonmusk/status/1585841080431321088',
        {"title": "The bird is freed", "container": "X", "published": "2022-10-28"},
        id="social-media-x",
    ),
    pytest.param(
        "Benjamin Wallace, The Rise and Fall of Bitcoin, WIRED, (Nov. 23, 2011, 2:52 PM) "
        "https://www.wired.com/2011/11/mf-bitcoin/ (last visited August 9, 2022).",
        {
            "authors": ["Benjamin Wallace"],
            "title": "The Rise and Fall of Bitcoin",
            "container": "WIRED",
            "published": "2011-11-23",
            "accessed": "2022-08-09",
        },
        id="web-bluebook-accessed",
    ),
    pytest.param(
        "See generally, Jonathan Bier, The Blocksize War: The Battle Over Who Controls Bitcoin's Protocol "
        "Rules (2021)",
        {
            "authors": ["Jonathan Bier"],
            "title": "The Blocksize War: The Battle Over Who Controls Bitcoin's Protocol Rules",
            "published": "2021",
            "signal": "See generally",
        },
        id="book",
    ),
    pytest.param(
        'Hamidreza Azizi, "Deep Dive: Has Iran decided to send missiles to Russia," Amwaj.media, '
        "February 22, 2024.",
        {"title": "Deep Dive: Has Iran decided to send missiles to Russia", "urls": [], "kind": "full"},
        id="no-url-is-still-a-citation",
    ),
    pytest.param(
        "Harbor mines are devices that explode if struck by a vessel hull.",
        {"kind": "commentary", "title": None, "authors": []},
        id="commentary",
    ),
    pytest.param(
        "The Bitcoin network has been \u201chard forked\u201d on multiple occasions since 2017.",
        {"kind": "commentary", "title": None, "published": None},
        id="commentary-scare-quotes",
    ),
]


@pytest.mark.parametrize("raw,expected", PARSES)
def test_parse_citation(raw, expected):
    fields = parse_citation(raw)
    assert {k: fields[k] for k in expected} == expected


def test_italics_name_the_periodical_even_without_punctuation():
    raw = 'Andrew England, "US asks Iran to stop selling drones to Russia, Financial Times, August 16, 2023'
    start = raw.index("Financial")
    italic = Span(start=start + 100, end=start + len("Financial Times") + 100)  # offsets into the note
    fields = parse_citation(raw, italics=[italic], offset=100)
    assert fields["container"] == "Financial Times"
    assert fields["title"] == "US asks Iran to stop selling drones to Russia"


def test_italic_title_and_capitals_container_bluebook():
    raw = "Joanna Ossinger, Crypto World Hits $3 Trillion Market Cap, BLOOMBERG, (November 9, 2021)"
    start, end = raw.index("Crypto"), raw.index(", BLOOMBERG")
    fields = parse_citation(raw, italics=[Span(start=start, end=end)])
    assert fields["authors"] == ["Joanna Ossinger"]
    assert fields["title"] == "Crypto World Hits $3 Trillion Market Cap"
    assert fields["container"] == "BLOOMBERG"
    assert fields["published"] == "2021-11-09"


def test_italic_title_after_a_report_number():
    raw = "CRS Report R45281, Iran Conflict and the Strait of Hormuz, coordinated by Michael Ratner."
    start, end = raw.index("Iran"), raw.index(", coordinated")
    fields = parse_citation(raw, italics=[Span(start=start, end=end)])
    assert fields["title"] == "Iran Conflict and the Strait of Hormuz"
    assert fields["container"] == "CRS Report R45281"
    assert fields["authors"] == []


def test_italic_emphasis_inside_prose_is_no_title():
    raw = "There was confusion about the actions the SEC did undertake in the blockchain space."
    start = raw.index("did")
    fields = parse_citation(raw, italics=[Span(start=start, end=start + 3)])
    assert fields["title"] is None and fields["kind"] == "commentary"


# ---------------------------------------------------------------------------------------------
# Repeats: Ibid., Id., supra, op. cit., short forms
# ---------------------------------------------------------------------------------------------


def _note(number: int, text: str, **extra) -> Note:
    """A note as the footnotes step makes it: URLs found in its text."""
    return Note(number=number, label=str(number), text=text, page=1, urls=extract_url_refs(text), **extra)


def _notes(*texts: str) -> list[Note]:
    return [_note(i, t) for i, t in enumerate(texts, 1)]


def _resolve(*texts: str) -> list[Citation]:
    return parse_citations("doc", _notes(*texts))


REFERENCES = [
    pytest.param(
        [
            'Mark N. Katz, "Iran and Russia," USIP, August 1, 2015, https://iranprimer.usip.org/r',
            "Ibid., 12.",
        ],
        [("full", None), ("ibid", 0)],
        id="ibid",
    ),
    pytest.param(
        [
            'Ilya Roubanis, "Russia\'s invasion of Ukraine," Foreign Policy Centre, July 28, 2023, https://f.uk/a',
            'Ilya Roubanis, "Old enemies make new friends: Caucasus and India-Pakistan rivalry," Foreign Policy '
            "Centre, February 23, 2023, https://fpc.org.uk/old-enemies",
            "Katz, 5.",
            "Roubanis, 'Old enemies', 7.",
        ],
        # "Katz, 5." has no earlier Katz to repeat: a short form left unresolved
        [("full", None), ("full", None), ("short_form", None), ("short_form", 1)],
        id="short-form-by-author-and-title",
    ),
    pytest.param(
        [
            'Mark N. Katz, "Iran and Russia," USIP, August 1, 2015, https://iranprimer.usip.org/r',
            'Dorian Jones, "Erdogan defies Trump," VOA, 2019, https://voanews.com/a',
            "Katz, op. cit., p. 4.",
            "Katz, 12.",
        ],
        [("full", None), ("full", None), ("op_cit", 0), ("short_form", 0)],
        id="op-cit-and-author-short-form",
    ),
    pytest.param(
        [
            "See, Shaanan Cohney, et al., Coin-Operated Capitalism, 119 Col. L. Rev. 591, 597-98 (2019).",
            "Russo, supra note 9.",
            "Cohney, et al., supra note 1, at 605.",
            "Id.",
            "See id. at 609.",
        ],
        [("full", None), ("supra", None), ("supra", 0), ("ibid", 0), ("ibid", 0)],
        id="supra-and-id",
    ),
    pytest.param(
        [
            "Steve Fiorillo, Bitcoin History, https://www.thestreet.com/x (last updated Jan. 2, 2020).",
            "See, Shaanan Cohney, et al., Coin-Operated Capitalism, 119 Col. L. Rev. 591, 597-98 (2019).",
            # the document says note 1, but Cohney is in note 2 (bitcoin note 17 does this)
            "ICOs entail issuance of assets. Cohney, et al., supra note 1, at 609.",
        ],
        [("full", None), ("full", None), ("supra", 1)],
        id="supra-with-a-wrong-note-number",
    ),
    pytest.param(
        [
            "Camp v. Williams, 314 Ga. 699, 705, 879 S.E.2d 88, 92 (2022).",
            "O.C.G.A. § 21-2-5(b).",
            "Camp, 314 Ga. at 700\u201301, 879 S.E.2d at 89\u201390.",
            "Id. at 706\u201307.",
            "W.J. Howey, Co., 328 U.S. 293.",
        ],
        [("full", None), ("full", None), ("short_form", 0), ("ibid", 0), ("full", None)],
        id="legal-short-form",
    ),
    pytest.param(
        [
            "Harbor mines are devices that explode if struck by a vessel hull.",
            "Id.",
        ],
        [("commentary", None), ("ibid", None)],
        id="id-with-nothing-to-repeat",
    ),
]


@pytest.mark.parametrize("texts,expected", REFERENCES)
def test_references_are_resolved(texts, expected):
    cits = _resolve(*texts)
    ids = [c.citation_id for c in cits]
    got = [(c.kind, ids.index(c.refers_to) if c.refers_to else None) for c in cits]
    assert got == expected


def test_refers_to_points_at_the_full_citation_not_at_an_intermediate_repeat():
    cits = _resolve(
        "Camp v. Williams, 314 Ga. 699, 705 (2022).",
        "Id. at 706.",
        "Id.",
        "Camp, 314 Ga. at 701.",
        "Id.",
    )
    full = cits[0].citation_id
    assert [c.refers_to for c in cits[1:]] == [full] * 4


def test_resolve_references_keeps_every_other_field():
    cits = parse_citations("d", _notes('A. Author, "T," Pub, 2020, https://a.org', "Ibid."))
    again = resolve_references(cits)
    assert again == cits


# ---------------------------------------------------------------------------------------------
# Notes -> citations: repaired URLs, italics, positions
# ---------------------------------------------------------------------------------------------


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
    cits = parse_citations("doc", [_note(8, text, italics=spans)])
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
    gold = json.loads((FIXTURES / "seed" / "article.json").read_text())
    return [_note(f["number"], f["text"]) for f in gold["footnotes"]]


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


@pytest.fixture(scope="module")
def bitcoin_citations():
    from pipeline.core.footnotes import split_notes
    from pipeline.core.layout import parse_document

    path = FIXTURES / "real" / "bitcoin_securities_legal_article.pdf"
    split = split_notes(parse_document(path, doc_id="bitcoin", source_path=path.name))
    return {(c.footnote_number, c.position): c for c in parse_citations("bitcoin", split.notes)}


def test_bluebook_repeats_in_the_bitcoin_article(bitcoin_citations):
    cits = bitcoin_citations
    by_id = {c.citation_id: c for c in cits.values()}
    howey = cits[(9, 0)]
    assert howey.title == "Securities and Exchange Commission v. W.J. Howey, Co."
    assert (howey.volume, howey.container, howey.page, howey.published) == ("328", "U.S.", "293", "1946")
    # "See, supra note 9." / "W.J. Howey, Co., 328 U.S. 293." / "Russo, supra note 18." / "Id."
    assert cits[(14, 0)].kind == "supra" and cits[(14, 0)].refers_to == howey.citation_id
    assert cits[(58, 0)].kind == "short_form" and cits[(58, 0)].refers_to == howey.citation_id
    assert by_id[cits[(50, 0)].refers_to].authors == ["Camilla Russo"]
    assert cits[(53, 0)].kind == "ibid" and cits[(53, 0)].refers_to == cits[(50, 0)].refers_to
    # "Cohney, et al., supra note 6" where Cohney is in note 7: the name wins over the number
    assert by_id[cits[(17, 0)].refers_to].authors == ["Shaanan Cohney"]
    assert cits[(3, 0)].accessed == "2022-10-12"  # "(last visited ...)" is not the publication date
    assert cits[(3, 0)].published is None


# ---------------------------------------------------------------------------------------------
# No input crashes the citation parser or the URL extractor
# ---------------------------------------------------------------------------------------------

_CHARS = list("abcXYZ019 .,;:()[]\"'\u201c\u201d\u2018\u2019/-\u2013\u00a7&@#?=%")
_PIECES = [
    "https://",
    "www.",
    "Id.",
    "supra note 3",
    "Ibid",
    " v. ",
    "U.S.",
    " 2020",
    "July ",
    "et al.",
    "See ",
]
_CITATION_ALPHABET = st.sampled_from(_CHARS + _PIECES)
_texts = st.lists(_CITATION_ALPHABET, max_size=60).map("".join) | st.text(max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts, start=st.integers(0, 50), length=st.integers(0, 50))
def test_no_string_crashes_the_citation_parser(text, start, length):
    fields = parse_citation(text, italics=[Span(start=start, end=start + length)], offset=3)
    assert fields["kind"] in {"full", "ibid", "supra", "op_cit", "short_form", "infra", "commentary"}
    for part in split_citations(text):
        assert part and part in text
    for d in find_dates(text):
        assert 0 <= d.start < d.end <= len(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_texts, min_size=1, max_size=4))
def test_no_notes_crash_parse_citations(texts):
    notes = [
        Note(number=i, label=str(i), text=t, page=1, urls=[UrlRef(url="https://a.org/x", raw_url=t[:10])])
        for i, t in enumerate(texts, 1)
    ]
    cits = parse_citations("doc", notes)
    ids = {c.citation_id for c in cits}
    assert all(c.refers_to is None or c.refers_to in ids for c in cits)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts, cut=st.integers(0, 200), uri=st.text(max_size=40))
def test_no_string_crashes_the_url_extractor(text, cut, uri):
    for start, end, url in ((m.start, m.end, m.url) for m in find_urls(text)):
        assert 0 <= start < end <= len(text) and url
    links = [LinkSpan(start=0, end=min(cut, len(text)), uri="https://" + uri)]
    for ref in extract_url_refs(text, links):
        assert ref.url
    join_lines([LinePiece(text=text[:cut], full=True, links=links), LinePiece(text=text[cut:])])
