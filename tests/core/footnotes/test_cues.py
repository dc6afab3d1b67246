"""How a stretch of text starts and ends: the cues that match a fragment to the note it continues."""

import pytest

from pipeline.core.footnotes.cues import head_kind, tail_kind, url_goes_on

HEADS = [
    ("https://a.org", "url"),
    ("news.com/articles/x-y", "urlpath"),
    ("lation-06012022.html", "urlpath"),
    ("1999, p. 3", "year"),
    # a note's years run from 1600 (text.dates.NOTE_YEAR): an earlier number is a detail
    ("1550 copies", "detail"),
    ("and more", "lower"),
    ("“A Title,” 2020", "cite"),
    ("Vol. 3", "detail"),
]


@pytest.mark.parametrize("text,kind", HEADS)
def test_head_kind(text, kind):
    assert head_kind(text) == kind


TAILS = [
    ("see https://a.org/x-", "url_open"),
    ("see https://www.", "url_break"),
    ("see https://a.org/x", "complete"),
    ("Counting the Bi-", "hyphen"),
    ("Review, March 2,", "month"),
    ("Review, Sept. 2,", "month"),
    ("Review, 2021,", "dated"),
    ("Review, 1550,", "comma"),
    ("x;", "semicolon"),
    ("x,", "comma"),
    ("x.", "complete"),
    ("x and", "open"),
]


@pytest.mark.parametrize("text,kind", TAILS)
def test_tail_kind(text, kind):
    assert tail_kind(text) == kind


URL_CUTS = [
    ("see https://a.org/the-riot.h", "tml", True),
    ("see https://a.org/en/", "202306182196", True),
    ("see https://a.org/x", "and more", False),
    ("see https://a.org/x,", "y/z", False),
]


@pytest.mark.parametrize("text,part,goes_on", URL_CUTS)
def test_url_goes_on(text, part, goes_on):
    assert url_goes_on(text, part) is goes_on
