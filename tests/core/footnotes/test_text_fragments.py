"""Continuations of notes displaced by the interleaving, matched to the notes they complete."""

import pytest

from tests.core.footnotes.helpers import LONG, read_and_split

CONTINUATIONS = [
    # (text after a body paragraph, {note number: text})
    pytest.param(
        "¹ Ann Lee, “Rivers and Power,” Delta Review, March 2,\n\nBody text goes on here with more words.\n\n"
        "2021, https://delta.org/rivers\n\n² Bo Ma, “B,” 2021.",
        {
            1: "Ann Lee, “Rivers and Power,” Delta Review, March 2, 2021, https://delta.org/rivers",
            2: "Bo Ma, “B,” 2021.",
        },
        id="year-completes-a-date-after-a-body-block",
    ),
    pytest.param(
        "https://lakes.org/report\n\n¹ Ann Lee, “A,” 2020.\n\n² Bo Ma, “Lakes at Risk,” Water Journal, June 3, 2021,",
        {
            1: "Ann Lee, “A,” 2020.",
            2: "Bo Ma, “Lakes at Risk,” Water Journal, June 3, 2021, https://lakes.org/report",
        },
        id="url-before-the-note-it-ends",
    ),
    pytest.param(
        "¹ Ann Lee, “Counting the Bi-\n\nBody text goes on here with more words.\n\n"
        "son,” Plains Review, 2020.\n\n² Bo Ma, “B,” 2021.",
        {1: "Ann Lee, “Counting the Bison,” Plains Review, 2020.", 2: "Bo Ma, “B,” 2021."},
        id="word-broken-by-a-hyphen-across-blocks",
    ),
    pytest.param(
        "¹ Ann Lee, “A,” 2020, https://www.intergov-\n\nernmental.org/a/b/c\n\n² Bo Ma, “B,” 2021.",
        {1: "Ann Lee, “A,” 2020, https://www.intergovernmental.org/a/b/c", 2: "Bo Ma, “B,” 2021."},
        id="url-cut-at-a-hyphen-across-blocks",
    ),
    pytest.param(
        "¹ Ann Lee, “A,” 2020, https://a.org/x\n\nBo Ma, “Another,” 2021, https://b.org/y\n\n² Cy Do, “C,” 2022.",
        {
            1: "Ann Lee, “A,” 2020, https://a.org/x; Bo Ma, “Another,” 2021, https://b.org/y",
            2: "Cy Do, “C,” 2022.",
        },
        id="complete-citation-joins-the-note-before-the-next-label",
    ),
    pytest.param(
        "¹ Ann Lee, “A,” 2020, https://a.org/x\n\n² Bo Ma, “Reboot our ties with\n\n"
        "Rome and Paris,” *Courier*, 2021.\n\n³ Cy Do, “C,” 2022.",
        {
            1: "Ann Lee, “A,” 2020, https://a.org/x",
            2: "Bo Ma, “Reboot our ties with Rome and Paris,” Courier, 2021.",
            3: "Cy Do, “C,” 2022.",
        },
        id="closing-quote-after-a-comma-is-no-citation-start",
    ),
]


@pytest.mark.parametrize("notes,expected", CONTINUATIONS)
def test_displaced_continuations(notes, expected):
    split = read_and_split(f"{LONG}¹ {LONG}² {LONG}³\n\n{notes}\n")
    assert {n.number: n.text for n in split.notes} == expected
