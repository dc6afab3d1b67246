"""Fields of one citation, one style per row (legal styles in test_legal, APA/ACM in test_academic).

Table-driven in the manner of eyecite: each row is a citation as printed and the fields a careful
reader would write down. Rows come from the seed article's notes and from the real PDFs in
../shared/corpus/real (bitcoin, mercer, CRS, ICAIL), plus textbook examples of each style.
"""

from dataclasses import asdict

import pytest

from pipeline.core.citations import CitationFields, parse_citation
from pipeline.core.models import Citation, CitationKind

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
    assert {k: getattr(fields, k) for k in expected} == expected


def test_parse_citation_gives_the_fields_of_a_citation_and_a_closed_kind():
    fields = parse_citation("Id. at 706.")
    assert isinstance(fields, CitationFields)
    assert fields.kind is CitationKind.IBID and fields.pinpoint == "706"
    assert set(asdict(fields)) <= set(Citation.model_fields)
