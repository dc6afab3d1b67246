"""Which date of a citation is what: published, accessed, updated, or a year inside prose."""

import pytest

from pipeline.core.citations.dates import date_roles
from pipeline.core.citations.segments import paren_depths
from pipeline.core.text import find_dates

ROLES = [
    (
        "Benjamin Wallace, WIRED, (Nov. 23, 2011) https://x (last visited August 9, 2022).",
        [
            ("published", "2011-11-23", "Nov. 23, 2011"),
            ("accessed", "2022-08-09", "(last visited August 9, 2022"),
        ],
    ),
    ("NATO, Last Updated April 12, 2023", [("updated", "2023-04-12", "Last Updated April 12, 2023")]),
    ("forked on multiple occasions since 2017.", [("prose", "2017", "2017")]),
    ("Valdai Club, 2022", [("published", "2022", "2022")]),
]


@pytest.mark.parametrize("text,roles", ROLES)
def test_date_roles(text, roles):
    # each role with its date and the text masked with it (the cue and the date)
    got = date_roles(text, find_dates(text), paren_depths(text))
    assert [(r.role, r.date.iso, text[r.cue : r.date.end]) for r in got] == roles
