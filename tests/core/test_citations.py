import pytest

from pipeline.core.citations import (
    LinePiece,
    clean_url,
    find_urls,
    hyphen_is_real,
    join_lines,
)
from pipeline.core.models import LinkSpan

CLEAN = [
    ("https://example.org/a.", "https://example.org/a"),
    ("(https://eu.usatoday.com/story/x/)", "https://eu.usatoday.com/story/x/"),
    ("https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("https://example.org/x;", "https://example.org/x"),
    ("https://", None),
    ("www.example.com/page,", "www.example.com/page"),
]


@pytest.mark.parametrize("raw,expected", CLEAN)
def test_clean_url(raw, expected):
    assert clean_url(raw) == expected


def test_find_urls_in_note_text():
    text = (
        'Katz, "Iran," USIP, 2015, https://iranprimer.usip.org/resource/iran-and-russia; see www.ft.com/c/1.'
    )
    assert [u for _, _, u in find_urls(text)] == [
        "https://iranprimer.usip.org/resource/iran-and-russia",
        "www.ft.com/c/1",
    ]


HYPHENS = [
    # left fragment, right fragment, segment, is the hyphen real?
    ("https://www.clingen-", "dael.org/publication", "www.clingen-dael.org", False),
    ("interviews/sergey-", "markedonov-the-caucasus", "sergey-markedonov-the-caucasus", True),
    ("east-eden-will-tehran-find-salva-", "tion-looking", "salva-tion-looking", False),
    ("wp-content/up-", "loads/2023", "up-loads", False),
    ("2023-10-", "25/", "2023-10-25", True),
]


@pytest.mark.parametrize("left,right,segment,real", HYPHENS)
def test_hyphen_at_a_url_line_break(left, right, segment, real):
    assert hyphen_is_real(left, right, segment) is real


def test_join_lines_repairs_a_url_broken_with_an_added_hyphen():
    joined = join_lines(
        [
            LinePiece(text="Azizi, Clingendael, 2023, https://www.clingen-", full=True),
            LinePiece(text="dael.org/publication/east-eden"),
        ]
    )
    assert joined.text.endswith("https://www.clingendael.org/publication/east-eden")
    (ref,) = joined.urls
    assert ref.url == "https://www.clingendael.org/publication/east-eden"
    assert ref.raw_url == "https://www.clingen-dael.org/publication/east-eden"
    assert ref.alternatives == ["https://www.clingen-dael.org/publication/east-eden"]


def test_join_lines_trusts_the_link_annotation_over_the_printed_hyphen():
    target = "https://caucasuswatch.de/en/interviews/sergey-markedonov-the-riot.html"
    first = "Watch, 2023, https://caucasuswatch.de/en/interviews/sergey-"
    second = "markedonov-the-riot.html"
    joined = join_lines(
        [
            LinePiece(text=first, links=[LinkSpan(start=13, end=len(first), uri=target)]),
            LinePiece(text=second, links=[LinkSpan(start=0, end=len(second), uri=target)]),
        ]
    )
    assert [u.url for u in joined.urls] == [target]
    assert joined.urls[0].source == "both"
    assert target in joined.text


def test_join_lines_joins_a_url_cut_without_hyphen_when_the_line_is_full():
    joined = join_lines(
        [
            LinePiece(
                text="Report, 2017, https://isis-online.org/uploads/Illicit_Transactions_3May2017_Final.",
                full=True,
            ),
            LinePiece(text='pdf; Devi Dumbadze, "Oscillation"'),
        ]
    )
    assert joined.urls[0].url == "https://isis-online.org/uploads/Illicit_Transactions_3May2017_Final.pdf"


def test_join_lines_keeps_prose_words_apart_and_dehyphenates():
    joined = join_lines([LinePiece(text="US intel officials be-"), LinePiece(text='lieve," CNN, 2022')])
    assert joined.text == 'US intel officials believe," CNN, 2022'
