"""Body of text input: markers in the text (eyecite style: input, expected markers), paragraphs."""

import pytest

from tests.core.footnotes.helpers import marked, read_and_split

MARKERS = [
    # (body text, [(number, text the marker follows)])
    ("Prices rose.¹ Wages fell.²", [(1, "Prices rose."), (2, "Prices rose. Wages fell.")]),
    ("Prices rose.1 Wages fell,2 and rents rose.", [(1, "Prices rose."), (2, "Prices rose. Wages fell,")]),
    ("Prices rose. 1 Wages fell.", [(1, "Prices rose.")]),
    ("Prices rose in Paris 1 and in Rome.", [(1, "Prices rose in Paris")]),
    ("The war of 20161 ended quickly.", [(1, "The war of 2016")]),
    ("Debt will fall by 2028.1 Growth may not.", [(1, "Debt will fall by 2028.")]),
    ("Their common¹ mistrust grew.", [(1, "Their common")]),
    ("It rose by an impressive 42%.1 For years", [(1, "It rose by an impressive 42%.")]),
    ("Prices rose.$^{1}$ Wages fell.<sup>2</sup>", [(1, "Prices rose."), (2, "Prices rose. Wages fell.")]),
    ("Prices rose.[^1] Wages fell.", [(1, "Prices rose.")]),
    ("Prices rose.¹–³ Wages fell.", [(1, "Prices rose."), (2, "Prices rose."), (3, "Prices rose.")]),
    # numbers that are not markers
    ("It was topic 1 and more words.¹ Then", [(1, "It was topic 1 and more words.")]),
    ("In 2019, 12 states signed the pact.", []),
    ("Growth was 3.5 percent and 42% of firms grew.", []),
    ("Under Article 4, paragraph 2 applies to the 1 state left.", []),
    ("Output rose by 1 percent in the first year.", []),
]


@pytest.mark.parametrize("body,expected", MARKERS)
def test_body_markers(body, expected):
    notes = "\n".join(
        f"{n}. Author Name, “Title {n},” Publisher, 2020, https://example.org/{n}" for n in (1, 2, 3)
    )
    split = read_and_split(f"Prices and Wages\n\n{body}\n\n{notes}\n")
    assert marked(split) == expected


def test_paragraph_broken_by_notes_and_a_caption_is_rejoined():
    text = (
        "The river feeds sixty million people and the commis-\n\n"
        "¹ Ann Lee, “A,” 2020, https://a.org/x\n\n"
        "Boats on the lake at dawn. (Photo: Jo Kim)\n\n"
        "sion says its data are incomplete.¹\n\nThe Next Part\n\nA new paragraph starts here.\n"
    )
    split = read_and_split(text)
    kinds = [(p.kind.value, p.text) for p in split.paragraphs]
    assert kinds == [
        ("body", "The river feeds sixty million people and the commission says its data are incomplete."),
        ("caption", "Boats on the lake at dawn. (Photo: Jo Kim)"),
        ("heading", "The Next Part"),
        ("body", "A new paragraph starts here."),
    ]
    assert split.paragraphs[-1].section == "The Next Part"


def test_a_compound_broken_before_a_name_keeps_its_hyphen():
    split = read_and_split("Review\n\nTurkey targets counter-\nIranian activity.¹\n\n¹ Ann Lee, “A,” 2020.\n")
    assert split.paragraphs[-1].text == "Turkey targets counter-Iranian activity."
