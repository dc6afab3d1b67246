"""Page furniture is no claim: bylines, copyright lines, navigation and table crumbs."""

import pytest

from pipeline.core.nlp import extract_claims, is_furniture
from tests.core.nlp.helpers import paragraph

FURNITURE = [
    pytest.param("by Ilya Roubanis", id="byline-lowercase-by"),
    pytest.param("By Ilya Roubanis and Jane Doe", id="byline-two-authors"),
    pytest.param("By:", id="byline-label-alone"),
    pytest.param("Written by Laurence Broers", id="byline-written-by"),
    pytest.param("All Rights Reserved.", id="copyright-all-rights-reserved"),
    pytest.param("\u00a9 2024 Middle East Institute.", id="copyright-sign"),
    pytest.param("Copyright 2023 The Authors", id="copyright-word"),
    pytest.param("|:", id="crumb-table-rule"),
    pytest.param("-- 12 --", id="crumb-page-number"),
    pytest.param("Home | Analysis | South Caucasus", id="crumb-navigation"),
    pytest.param("Home \u00bb Regions \u00bb Iran", id="crumb-breadcrumb"),
]
NOT_FURNITURE = [
    pytest.param("By 2020, trade had doubled.", id="by-a-year"),
    pytest.param("By Monday, Ankara had replied to Tehran.", id="by-a-day-then-a-clause"),
    pytest.param("By contrast, Iran stayed out.", id="by-contrast"),
    pytest.param(
        "Copyright law protects the authors of the reports cited by the court in that case.",
        id="copyright-law",
    ),
    pytest.param("Trade rose 42% | exports fell.", id="a-pipe-inside-a-claim"),
]


@pytest.mark.parametrize("text", FURNITURE)
def test_furniture_is_recognised(text):
    assert is_furniture(text)


@pytest.mark.parametrize("text", NOT_FURNITURE)
def test_claims_are_not_furniture(text):
    assert not is_furniture(text)


@pytest.mark.parametrize("text", FURNITURE)
def test_furniture_paragraphs_give_no_claims(nlp_model, text):
    assert extract_claims(paragraph(text), nlp_model) == []


def test_a_byline_sentence_is_dropped_but_the_claims_around_it_stay(nlp_model):
    claims = extract_claims(paragraph("All Rights Reserved. Trade with Iran rose by 42% in 2023."), nlp_model)
    assert [c.text for c in claims] == ["Trade with Iran rose by 42% in 2023."]
