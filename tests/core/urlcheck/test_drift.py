"""Title drift, and each cited URL's title and archive date from the citations."""

import pytest

from pipeline.core.models import Citation, Status, UrlCheck
from pipeline.core.urlcheck import apply_citation, collect_citation_context, score_title


@pytest.mark.parametrize(
    "page,cited,drift",
    [
        ("Iran and Russia deepen military ties | Reuters", "Iran and Russia deepen military ties", False),
        ("Iran, Russia Deepen Military Ties", "Iran and Russia deepen military ties", False),
        ("The Strait of Hormuz: shipping risks - CRS Reports", "The Strait of Hormuz: Shipping Risks", False),
        ("Welcome to Example Corp", "Iran and Russia deepen military ties", True),
        ("Domain for sale", "Annual report on port security 2019", True),
    ],
)
def test_title_drift_is_flagged_below_the_threshold(page, cited, drift):
    check = UrlCheck(url="https://x.test/a", status=Status.OK, page_title=page)
    scored = apply_citation(check, cited, threshold=60)
    assert scored.cited_title == cited
    assert scored.possible_drift is drift
    assert scored.title_score == score_title(page, cited)
    assert 0 <= scored.title_score <= 100 and (scored.title_score < 60) is drift


@pytest.mark.parametrize("page,cited", [(None, "A title"), ("A title", None), ("!!!", "A title")])
def test_no_drift_verdict_without_two_titles(page, cited):
    assert score_title(page, cited) is None
    check = apply_citation(UrlCheck(url="u", status=Status.OK, page_title=page), cited, 60)
    assert check.possible_drift is None


def test_citation_context_prefers_the_access_date_then_the_documents_latest_date():
    cits = [
        Citation(
            citation_id="c1",
            footnote_number=1,
            position=0,
            raw_text="...",
            title="First",
            published="2018-01-02",
            urls=["https://a.test/1"],
        ),
        Citation(
            citation_id="c2",
            footnote_number=2,
            position=0,
            raw_text="...",
            title="Second",
            published="2020-05",
            accessed="2021-02-03",
            urls=["https://a.test/2"],
        ),
        Citation(citation_id="c3", footnote_number=3, position=0, raw_text="...", urls=["https://a.test/3"]),
    ]
    titles, dates = collect_citation_context(cits)
    assert titles == {"https://a.test/1": "First", "https://a.test/2": "Second"}
    assert dates == {
        "https://a.test/1": "2021-02-03",
        "https://a.test/2": "2021-02-03",
        "https://a.test/3": "2021-02-03",
    }


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("Home", "https://x.test/a"),
        ("News", "https://x.test/a"),
        ("Welcome to the official website", "https://x.test/a"),
        ("Reuters", "https://www.reuters.com/world/x"),
        ("BBC News - Home", "https://www.bbc.co.uk/news/x"),
        ("The Washington Post", "https://www.washingtonpost.com/x"),
    ],
)
def test_generic_titles_are_not_scored(title, url):
    assert score_title(title, "Home ministers meet in Brussels", url) is None
    check = apply_citation(UrlCheck(url=url, status=Status.OK, page_title=title), "Home ministers meet", 60)
    assert check.title_score is None and check.possible_drift is None


def test_a_real_title_that_starts_like_a_generic_one_is_scored():
    assert score_title("Home ministers meet in Brussels | Site", "Home ministers meet in Brussels") == 100


@pytest.mark.parametrize("status", [Status.SOFT_404, Status.DEAD, Status.REDIRECT_TO_ROOT, Status.BLOCKED])
def test_error_pages_are_not_scored(status):
    check = UrlCheck(url="https://x.test/a", status=status, page_title="Iran and Russia deepen military ties")
    scored = apply_citation(check, "Iran and Russia deepen military ties", 60)
    assert scored.title_score is None and scored.possible_drift is None
