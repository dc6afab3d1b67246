"""Failure classes of citations in styles other than the seed's (issue 13), one table per class.

Each row is a citation as one style prints it; the expected fields are the ones the rule for that
class must get right. Author-date, bibliography, Harvard, MLA and French styles.
"""

import pytest

from pipeline.core.citations import parse_citation, parse_citations, split_citations
from pipeline.core.citations.names import find_authors
from tests.core.citations.helpers import note

# The splitter: author-date years, authors separated by semicolons, access dates after a URL.
NOT_CUT = {
    "author_date_year_after_inverted_names": "Pagallo, G., & Haussler, D. (1990). Boolean feature "
    "discovery in empirical learning. Machine Learning, 5(1), 71-99.",
    "author_date_year_after_a_compound_surname": "Rainey, S., & Guillott Miller, L. (2008). Technology: "
    "School counselor attitudes. Journal of Technology in Counseling, 5(2).",
    "author_date_year_after_an_organisation": "Alliance for Excellent Education. (2007). The high cost of "
    "high school dropouts. Washington, DC: Author.",
    "author_date_year_after_an_acronym": "AASHTO (2010). LRFD Bridge Design Specifications. Washington, DC.",
    "authors_separated_by_semicolons": "Gelman, Susan A.; Coley, John D.; & Pappas, Athina. 1998. Beyond "
    "labeling: The role of parental input. Cognitive Development 13 (1): 1-31.",
    "access_date_after_the_url": "The Guardian. 2013. Brazil's protests take to the pitch. "
    "http://www.theguardian.com/football/2013/jun/18/brazil. Accessed June 18, 2013.",
}


@pytest.mark.parametrize("text", NOT_CUT.values(), ids=NOT_CUT.keys())
def test_one_reference_stays_one_citation(text):
    assert split_citations(text) == [text]


# ... while these still split (Bluebook: a case's dated parenthetical ends it).
STILL_CUT = {
    "case_after_its_reporter_and_year": (
        "Bell Atl. Corp. v. Twombly, 550 U.S. 544 (2007). Ashcroft v. Iqbal, 556 U.S. 662 (2009).",
        2,
    ),
    "book_with_publisher_and_year": (
        "Jane Roe, A Theory of Courts (Oxford Univ. Press 2010). Ann Poe, Courts Again (Yale 2011).",
        2,
    ),
}


@pytest.mark.parametrize("text,count", STILL_CUT.values(), ids=STILL_CUT.keys())
def test_dated_sources_still_end_a_citation(text, count):
    assert len(split_citations(text)) == count


def test_a_stray_quote_after_a_url_opens_nothing_and_a_url_printed_twice_goes_to_both():
    # the seed's note 76: `…-17/"; "22 countries…`
    a = "https://caspiannews.com/news-detail/india-sends-weapons-2023-7-27-17/"
    b = "https://www.middleeastmonitor.com/20221019-22-countries-requested/"
    text = (
        f'Yaver Kazimbeyli, "India sends weapons," Caspian News, July 27, 2023, {a}; "Iranian Consul '
        f'refers to UAVs," Armenpress, October 21, 2022, {a}"; "22 countries requested to purchase drones," '
        f"Middle East Monitor, October 19, 2022, {b}"
    )
    cits = parse_citations("doc", [note(76, text)])
    assert [c.title for c in cits] == [
        "India sends weapons",
        "Iranian Consul refers to UAVs",
        "22 countries requested to purchase drones",
    ]
    assert [c.urls for c in cits] == [[a], [a], [b]]


# Quoted titles: (citation, title, authors)
QUOTED = {
    "after_an_inverted_name_and_a_full_stop": (
        "Wormald, Patrick. \u201cBede and Benedict Biscop.\u201d In Famulus Christi, edited by Gerald "
        "Bonner, 141\u201369. London: SPCK, 1976.",
        "Bede and Benedict Biscop",
        ["Wormald, Patrick"],
    ),
    "after_a_year": (
        "Jain, Narendra, 1986, \u2018A New Approach to Pricing\u2019, Journal of Finance, 41(2), 45-67.",
        "A New Approach to Pricing",
        ["Jain, Narendra"],
    ),
    "in_guillemets": (
        "Jean Dupont, \u00ab Les enjeux de la r\u00e9forme \u00bb, Le Monde, 12 mars 2019.",
        "Les enjeux de la r\u00e9forme",
        ["Jean Dupont"],
    ),
    "in_single_quotes_with_a_question_mark": (
        "Sarah Smith, \u2018Is the boom over?\u2019, The Guardian, 3 May 2020.",
        "Is the boom over?",
        ["Sarah Smith"],
    ),
    "in_single_quotes_with_an_apostrophe": (
        "Sarah Smith, \u2018The law\u2019s limits\u2019, The Guardian, 3 May 2020.",
        "The law\u2019s limits",
        ["Sarah Smith"],
    ),
    "after_inverted_names_with_initials": (
        'Card, S. K., Mackinlay, J. D. and Robertson, G. G. "The Design Space of Input Devices." '
        "Proceedings of CHI'90, ACM, 1990.",
        "The Design Space of Input Devices",
        ["Card, S. K.", "Mackinlay, J. D.", "Robertson, G. G."],
    ),
    "after_last_first_and_first_last": (
        'Michalski, Ryszard S., Robert E. Stepp, and Edwin Diday. "A Recent Advance in Data Analysis." '
        "Progress in Pattern Recognition, 1981.",
        "A Recent Advance in Data Analysis",
        ["Michalski, Ryszard S.", "Robert E. Stepp", "Edwin Diday"],
    ),
}


@pytest.mark.parametrize("text,title,authors", QUOTED.values(), ids=QUOTED.keys())
def test_quoted_titles_in_other_styles(text, title, authors):
    fields = parse_citation(text)
    assert fields.title == title
    assert [a.rstrip(".") for a in fields.authors] == [a.rstrip(".") for a in authors]


# Author lists as printed before the title
AUTHOR_LISTS = {
    "last_initials_list": ("Pagallo, G., & Haussler, D.", ["Pagallo, G.", "Haussler, D."]),
    "last_initials_list_with_and": (
        "Card, S. K., Mackinlay, J. D. and Robertson, G. G.",
        ["Card, S. K.", "Mackinlay, J. D.", "Robertson, G. G."],
    ),
    "direct_names_with_and": ("Howard Turtle and W. Bruce Croft.", ["Howard Turtle", "W. Bruce Croft"]),
    "last_first_and_first_last": (
        "Michalski, Ryszard S., Robert E. Stepp, and Edwin Diday",
        ["Michalski, Ryszard S.", "Robert E. Stepp", "Edwin Diday"],
    ),
    "vancouver_surname_initials": ("Davidson D, Gu FX.", ["Davidson D", "Gu FX."]),
    "inverted_then_year": ("Jain, Narendra, 1986,", ["Jain, Narendra"]),
}


@pytest.mark.parametrize("head,authors", AUTHOR_LISTS.values(), ids=AUTHOR_LISTS.keys())
def test_author_lists(head, authors):
    # the full stop that ends the list may go with it
    assert [a.rstrip(".") for a in find_authors(head)] == [a.rstrip(".") for a in authors]


# Plain-text references keep a URL's line breaks as spaces: (text, URL, DOI)
SPACED_URLS = {
    "break_after_www": (
        "Kerber, R. (2007). Cost of data breach. Boston Globe, http://www. boston.com/business/2007/08/15/tjx.",
        "http://www.boston.com/business/2007/08/15/tjx",
        None,
    ),
    "break_before_a_path": (
        'Levy, Steven. "Great Minds." Newsweek 27 May 2002. <http://www.msnbc.com /news/754336.asp>.',
        "http://www.msnbc.com/news/754336.asp",
        None,
    ),
    "break_before_a_hyphen": (
        "Spencer Foundation. (2011). Data use. Retrieved from http://www.spencer.org/data-use-and "
        "-educational-improvement",
        "http://www.spencer.org/data-use-and-educational-improvement",
        None,
    ),
    "break_inside_a_doi": (
        "Murphy, M., 2012. State of the Water Industry. Journal AWWA, 104:6: 44. "
        "http://dx.doi.org/10.5942/ jawwa.2012.104.0071.",
        "http://dx.doi.org/10.5942/jawwa.2012.104.0071",
        "10.5942/jawwa.2012.104.0071",
    ),
    "breaks_after_the_scheme_and_each_dot": (
        "Knudson & Morrison (2002) http: //www. humankinetics. com/products/showproduct. cfm?isbn=0736034625",
        "http://www.humankinetics.com/products/showproduct.cfm?isbn=0736034625",
        None,
    ),
}


@pytest.mark.parametrize("text,url,doi", SPACED_URLS.values(), ids=SPACED_URLS.keys())
def test_urls_printed_with_spaces_are_joined_in_plain_text_notes(text, url, doi):
    from pipeline.core.citations.cite import cite_notes

    ((result,),) = [r["citations"] for r in cite_notes([text])]
    assert result["urls"] == [url]
    assert result["doi"] == doi


@pytest.mark.parametrize(
    "text",
    [
        "See http://a.example.com/ and then the report.",
        "At http://a.example.com/x. www.b.example.com is another.",
    ],
    ids=["a_word_after_the_url", "a_second_url"],
)
def test_what_follows_a_url_is_not_joined_to_it(text):
    from pipeline.core.citations.spaced_urls import spaced_urls

    assert spaced_urls(text) == []
