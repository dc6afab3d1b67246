"""Theses, reports, books and repeats in reference lists (issue 13): what is no container, where a
title ends, and the rules that decide them exactly. One row per failure class, each a citation
written for the test in the way its style prints it."""

import pytest

from pipeline.core.citations import parse_citation
from pipeline.core.citations.genres import tex_quotes
from pipeline.core.citations.tails import trim_title

# (citation, title, container)
NO_CONTAINER = {
    "thesis_university_after_its_genre": (
        'K. Moreau, "Adaptive caching in distributed stores," Ph.D. thesis, University of Leeds, 2004.',
        "Adaptive caching in distributed stores",
        None,
    ),
    "thesis_genre_after_a_quoted_title": (
        'Lindqvist, P., "Sampling sparse graphs quickly", PhD Thesis, Uppsala, Sweden, 2001.',
        "Sampling sparse graphs quickly",
        None,
    ),
    "tex_quotes_and_an_internet_draft": (
        "R. Okafor, Editor, ``Session Resumption Option,'' Internet-Draft, Network Working Group (May 1995).",
        "Session Resumption Option",
        None,
    ),
    "report_institution_after_its_number": (
        "Lee, K. (1999). Planning under uncertainty. Tech. rep. CS-99-12, Department of Computing, "
        "Imperial College.",
        "Planning under uncertainty",
        None,
    ),
    "place_and_publisher_of_a_book": (
        "Ortiz, Ana. Historia breve del teatro. Madrid: Ediciones Siruela, 1998.",
        "Historia breve del teatro",
        None,
    ),
}


@pytest.mark.parametrize("text,title,container", NO_CONTAINER.values(), ids=NO_CONTAINER.keys())
def test_genre_institution_and_publisher_are_no_container(text, title, container):
    fields = parse_citation(text)
    assert (fields.title, fields.container) == (title, container)


# (title as read by position, title as cut)
TITLE_TAILS = {
    "publisher_after_a_comma": ("Machine Vision, MIT Press", "Machine Vision"),
    "edition_in_parentheses": ("Signals and Systems (3rd edition ed.)", "Signals and Systems"),
    "revised_edition_sentence": ("The Theory of Games. Revised Edition", "The Theory of Games"),
    "editor_after_the_title": ("The Idle Hours. Edited by Maria Stone", "The Idle Hours"),
    "genre_after_a_comma": (
        "Learning Rates for Sparse Models, Masters Thesis, Department of Statistics",
        "Learning Rates for Sparse Models",
    ),
    "proceedings_after_in": (
        "Ranking by Topic, in Proceedings of the Third Conference on Retrieval",
        "Ranking by Topic",
    ),
    "a_comma_and_a_place_stay": ("A History of the Town of Salem, Massachusetts", None),
}


@pytest.mark.parametrize("title,cut", TITLE_TAILS.values(), ids=TITLE_TAILS.keys())
def test_a_title_ends_before_what_follows_it(title, cut):
    assert trim_title(title) == (cut or title)


def test_tex_quotes_keep_every_offset():
    text = "J. Hale, ``Fast sorting on meshes,'' Report, 1991."
    out = tex_quotes(text)
    assert len(out) == len(text)
    assert "\u201cFast sorting on meshes,\u201d" in out
    assert tex_quotes("It''s odd") == "It''s odd"  # no opening mark: nothing to pair


def test_a_rule_for_the_same_authors_opens_a_work_of_its_own():
    fields = parse_citation("\u2014\u2014\u2014. The Second Book. In Collected Works, 2: 100\u2013120.")
    assert (fields.authors, fields.title, fields.container) == ([], "The Second Book", "Collected Works")
    fields = parse_citation("______. On Civil Order, trans. M. Reyes. Lisbon, 1961.")
    assert fields.authors == []
    assert fields.title == "On Civil Order"


def test_a_container_does_not_end_on_of():
    fields = parse_citation(
        "Stone, A., & Ward, B. (1994). Learning to plan from traces. In Proceedings of KDD-94, pp. 10-20."
    )
    assert fields.container == "Proceedings of KDD-94"


def test_people_read_as_the_titles_start_are_authors():
    fields = parse_citation(
        "Anna Keller, Boris Olsen, Carla Diaz, and Dmitri Volkov. Sparse models of text. "
        "Journal of Text Studies, 3(2):1-20, 1999."
    )
    assert len(fields.authors) == 4 and "Volkov" in fields.authors[-1]
    assert fields.title == "Sparse models of text"


def test_a_main_title_before_a_spaced_colon_is_kept():
    fields = parse_citation(
        "Rossi, Marco. La città invisibile : Storia urbana del Mezzogiorno moderno. Napoli: Guida, 2004."
    )
    assert fields.title == "La città invisibile : Storia urbana del Mezzogiorno moderno"


def test_people_after_edited_by_are_no_container():
    fields = parse_citation(
        "Varga, Imre. The Long Winter. Edited and translated by Susan Keane. London: Faber, 1990."
    )
    assert fields.container is None
    assert fields.title == "The Long Winter"


def test_an_organisation_before_the_year_is_the_author_not_the_title():
    fields = parse_citation(
        "Northern Council for Coastal Research. (2011). Tides and the shape of estuaries. Bergen: NCCR."
    )
    assert fields.title == "Tides and the shape of estuaries"
    assert fields.authors == ["Northern Council for Coastal Research"]


def test_a_subtitle_after_a_colon_stays_in_the_title():
    fields = parse_citation(
        "Ward, Ellen M. Rivers and Towns: Studies in Trade, Toll, and Custom. Boston: Beacon Press, 1972."
    )
    assert fields.title == "Rivers and Towns: Studies in Trade, Toll, and Custom"
    assert fields.container is None


# (citation, container): what the tagger may read as a container and is none
NOT_A_CONTAINER = {
    "a_month": "Plato. Laws. Trans. R. G. Bury. The Perseus Library. Web. 12 Apr. 2011.",
    "a_director": "The Quiet Shore. Dir. Lena Holm. Northlight Films, 2003.",
}


@pytest.mark.parametrize("text", NOT_A_CONTAINER.values(), ids=NOT_A_CONTAINER.keys())
def test_months_and_people_are_no_container(text):
    assert parse_citation(text).container is None


# physics lists print no title: the authors, the abbreviated journal, its volume
ABBREVIATED_JOURNALS = {
    "letter_and_volume": ("K. Brandt, T. Oyelaran, Nucl. Phys. B512 (1999) 44-60.", "Nucl. Phys"),
    "year_after_the_journal": ("M. Sato, J. Chem. Soc. Jpn. 1985, 40, 211.", "J. Chem. Soc. Jpn"),
}


@pytest.mark.parametrize("text,journal", ABBREVIATED_JOURNALS.values(), ids=ABBREVIATED_JOURNALS.keys())
def test_an_abbreviated_journal_after_the_authors_is_the_container(text, journal):
    fields = parse_citation(text)
    assert (fields.title, fields.container) == (None, journal)


def test_initials_before_a_dated_title_are_no_journal():
    assert (
        parse_citation("B. W. Holm. (2014) Mosaic of the reef survey. http://example.org/reef").container
        is None
    )


# (citation, container): a journal between the title and its year and volume, printed plain
JOURNAL_BEFORE_YEAR = {
    "journal_year_volume": (
        "Lund, K. Renal cysts in young adults. Nephrology, 1991, vol. 7, p. 33-40.",
        "Nephrology",
    ),
    "abbreviation_year_volume": ("Okoro, F. Screening for anaemia in schools. BMJ 2004, 329, 1120.", "BMJ"),
    "book_pages_are_no_volume": ("Hale, Tom. The Long Road North. Penguin, 2003, 320 pp.", None),
}


@pytest.mark.parametrize("text,container", JOURNAL_BEFORE_YEAR.values(), ids=JOURNAL_BEFORE_YEAR.keys())
def test_a_plain_journal_before_its_year_and_volume(text, container):
    assert parse_citation(text).container == container
