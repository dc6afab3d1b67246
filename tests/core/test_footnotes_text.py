"""Plain-text input: notes, markers and URLs recovered from messy text extractions.

Fixtures under tests/fixtures/text/ are synthetic articles with the kinds of damage the seed
extraction shows (different content); each has a hand-written JSON of what should be read.
"""

import json
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.errors import DocumentError
from pipeline.core.footnotes import split_notes
from pipeline.core.layout import read_text
from tests.conftest import FIXTURES, RAW

TEXT_FIXTURES = FIXTURES / "text"
# A body line long enough that the document reads as "one paragraph per line" (unwrapped), the
# shape of extractions that turned line-end hyphens into hyphens inside lines.
LONG = (
    "Officials said the review would take months and that nothing had been decided, while critics "
    "argued that the delay itself was a decision."
)


def _split(text: str):
    doc = read_text(text.encode(), doc_id="t", source_path="t.txt", sha256="0" * 64)
    return split_notes(doc)


def _marked(split) -> list[tuple[int, str]]:
    return [(m.number, p.text[: m.offset]) for p in split.paragraphs for m in p.markers]


# --- the synthetic articles -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mekong-interleaved", "wrapped-pages", "markdown-html"])
def test_synthetic_articles_are_read_as_annotated(name):
    gold = json.loads((TEXT_FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    path = TEXT_FIXTURES / f"{name}.txt"
    split = split_notes(read_text(path.read_bytes(), doc_id=name, source_path=path.name, sha256="0" * 64))

    notes = {n.number: n for n in split.notes}
    assert sorted(notes) == sorted(int(k) for k in gold["notes"])
    for number, (text, urls) in gold["notes"].items():
        note = notes[int(number)]
        assert note.text == text, f"note {number}"
        assert [u.url for u in note.urls] == urls, f"note {number}"
    for number, page in gold.get("note_pages", {}).items():
        assert notes[int(number)].page == page

    marked = _marked(split)
    assert [n for n, _ in marked] == [n for n, _ in gold["markers"]]
    for (n, before), (_, want) in zip(marked, gold["markers"], strict=True):
        assert before.endswith(want), f"marker {n}: …{before[-40:]!r}"
    assert not [i for i in split.issues if i.kind == "marker_without_note"]

    body = " ".join(p.text for p in split.paragraphs if p.kind == "body")
    for phrase in gold["body_contains"]:
        assert phrase in body
    assert [p.text for p in split.paragraphs if p.kind == "caption"] == gold["captions"]
    assert [p.text for p in split.paragraphs if p.kind == "heading"] == gold["headings"]


def test_seed_text_gives_all_83_notes_and_77_markers():
    path = RAW / "article-seed.txt"
    split = split_notes(read_text(path.read_bytes(), doc_id="seed", source_path=path.name, sha256="0" * 64))
    assert [n.number for n in split.notes] == list(range(1, 84))
    assert len(split.markers) == 77
    orphans = sorted(i.number for i in split.issues if i.kind == "note_without_marker")
    assert orphans == [10, 11, 12, 56, 57, 58]  # the seed's known gaps (article.json notes)
    assert not [i for i in split.issues if i.kind == "marker_without_note"]
    # the word "Table" stood for two lost numbers between 71 and 74
    assert [n.label for n in split.notes if n.number in (72, 73)] == ["Table", "Table"]


@pytest.mark.parametrize("name", ["article-libreoffice.pdf", "article-endnotes.pdf"])
def test_other_extractions_of_the_seed_are_read(name):
    """pdfplumber's plain extract_text() of the seed PDFs: a different, unseen kind of damage
    (hard-wrapped lines, running headers, plain-digit markers, URLs cut at a full line)."""
    import pdfplumber

    with pdfplumber.open(RAW / name) as pdf:
        text = "\f".join(page.extract_text() or "" for page in pdf.pages)
    split = _split(text)
    assert [n.number for n in split.notes] == list(range(1, 84))
    assert len(split.markers) == 77
    assert not [i for i in split.issues if i.kind == "marker_without_note"]
    gold = json.loads((FIXTURES / "seed" / "article.json").read_text(encoding="utf-8"))

    def norm(url: str) -> str:
        return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")

    found = {norm(u.url) for n in split.notes for u in n.urls}
    wanted = {norm(u) for u in gold["urls"]}
    assert len(found & wanted) >= 0.95 * len(wanted)
    assert len(found & wanted) >= 0.95 * len(found)


# --- markers in body text (eyecite style: input, expected markers) ---------------------------

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
    split = _split(f"Prices and Wages\n\n{body}\n\n{notes}\n")
    assert _marked(split) == expected


# --- note labels --------------------------------------------------------------------------------

LABELS = [
    # (notes text, expected [(number, label, text starts with)])
    ("¹ Ann Lee, “A Title,” 2020.\n² Bo Ma, “B Title,” 2021.", [(1, "¹", "Ann Lee"), (2, "²", "Bo Ma")]),
    ("1. Ann Lee, “A Title,” 2020.\n2. Bo Ma, “B Title,” 2021.", [(1, "1.", "Ann Lee"), (2, "2.", "Bo Ma")]),
    (
        "[1] Ann Lee, “A Title,” 2020.\n[2] Bo Ma, “B Title,” 2021.",
        [(1, "[1]", "Ann Lee"), (2, "[2]", "Bo Ma")],
    ),
    (
        "$^{1}$ Ann Lee, “A Title,” 2020.\n$^{\\rm 2}$ Bo Ma, “B Title,” 2021.",
        [(1, "¹", "Ann"), (2, "²", "Bo")],
    ),
    ('^{1 &}quot;A Title," 2020.\n[&]quot;B Title," 2021.', [(1, "¹", '"A Title," 2020. "B Title," 2021.')]),
    # notes run together on one line, with a superscript and with a plain number after a URL
    (
        "¹ Ann Lee, “A,” 2020, https://a.org/x ² Bo Ma, “B,” 2021, https://b.org/y 3 Cy Do, “C,” 2022.",
        [(1, "¹", "Ann Lee"), (2, "²", "Bo Ma"), (3, "3", "Cy Do")],
    ),
    # a word standing in for a lost number fills the gap in the sequence
    (
        "¹ Ann Lee, “A,” 2020.\n\nTable Bo Ma, “B,” 2021.\n\n³ Cy Do, “C,” 2022.",
        [(1, "¹", "Ann"), (2, "Table", "Bo Ma"), (3, "³", "Cy")],
    ),
    # a superscript year is not a label: it completes the date of the note before
    (
        "¹ Ann Lee, “A Title,” Publisher, May 5,\n\n^{2020,} https://a.org/x",
        [(1, "¹", "Ann Lee, “A Title,” Publisher, May 5, 2020, https://a.org/x")],
    ),
]


@pytest.mark.parametrize("notes,expected", LABELS)
def test_note_labels(notes, expected):
    split = _split(f"{LONG}\n\n{notes}\n")
    got = [(n.number, n.label, n.text) for n in split.notes]
    assert [(n, lab) for n, lab, _ in got] == [(n, lab) for n, lab, _ in expected]
    for (_, _, text), (_, _, start) in zip(got, expected, strict=True):
        assert text.startswith(start), text


# --- continuations of notes displaced by the interleaving ----------------------------------

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
        {2: "Bo Ma, “Reboot our ties with Rome and Paris,” Courier, 2021."},
        id="closing-quote-after-a-comma-is-no-citation-start",
    ),
]


@pytest.mark.parametrize("notes,expected", CONTINUATIONS)
def test_displaced_continuations(notes, expected):
    split = _split(f"{LONG}¹ {LONG}² {LONG}³\n\n{notes}\n")
    got = {n.number: n.text for n in split.notes}
    for number, text in expected.items():
        assert got[number] == text


# --- URL repair ---------------------------------------------------------------------------------

URLS = [
    # (citation text, expected url, an expected alternative or None)
    (
        "Tehran Times, May 1, 2020, https://www.teh-rantimes.com/news/1",
        "https://www.tehrantimes.com/news/1",
        None,
    ),
    (
        "Clingendael, May 1, 2020, https://www.clingen-dael.org/pub/x",
        "https://www.clingendael.org/pub/x",
        None,
    ),
    ("“Find Peace,” 2020, https://x.org/find-salva-tion-now", "https://x.org/find-salvation-now", None),
    (
        "Wire, 2020, https://x.org/sergey-markedonov-the-caucasus",
        "https://x.org/sergey-markedonov-the-caucasus",
        None,
    ),
    (
        "“Next in line,” 2020, https://x.org/fidan-next-in-line-after",
        "https://x.org/fidan-next-in-line-after",
        None,
    ),
    ("Wire, 2020, https://x.org/iran-s-perceptions-of-war", "https://x.org/iran-s-perceptions-of-war", None),
    ("Wire, 2020, https://www.swp-berlin.org/pub/x", "https://www.swp-berlin.org/pub/x", None),
    (
        "“Defies Trump,” 2020, https://x.org/europe_erdogan-defiestrump-over-iran",
        "https://x.org/europe_erdogan-defies-trump-over-iran",
        "https://x.org/europe_erdogan-defiestrump-over-iran",
    ),
    (
        "Wire, 2020, https://x.org/thailands-power-purchases-now",
        "https://x.org/thailands-power-purchases-now",
        None,
    ),
    (
        "Wire, 2009, https://www.wire.com/article/us-israel-idUK-TRE51G1VR",
        "https://www.wire.com/article/us-israel-idUK-TRE51G1VR",
        "https://www.wire.com/article/us-israel-idUKTRE51G1VR",
    ),
    ("Report, 2017, https://x.org/pub/2017C24 wis zbv.pdf", "https://x.org/pub/2017C24_wis_zbv.pdf", None),
    ('Cables, 2020, https://x.org/a/cables/">https://x.org/a/cables/', "https://x.org/a/cables/", None),
    (
        "Wire, 2021, https://www.reuters.com/world/middle-east/talks-2021/ Natalia Bo, “B,” 2021.",
        "https://www.reuters.com/world/middle-east/talks-2021/",
        None,
    ),
]


@pytest.mark.parametrize("citation,url,alternative", URLS)
def test_url_repair_in_unwrapped_text(citation, url, alternative):
    split = _split(f"{LONG}¹\n\n¹ {citation}\n")
    (note,) = split.notes
    assert note.urls[0].url == url
    assert note.urls[0].raw_url.replace("_", " ") in citation.replace("_", " ")
    if alternative is not None:
        assert alternative in note.urls[0].alternatives


def test_hyphens_inside_lines_of_wrapped_text_are_printed_ones():
    body = "Officials said the review\nwould take months.¹\n"
    note = "¹ Clingendael, May 1, 2020, https://www.clingen-dael.org/pub/find-salva-tion\n"
    (parsed,) = _split(f"{body}\n{note}").notes
    assert parsed.urls[0].url == "https://www.clingen-dael.org/pub/find-salva-tion"


def test_citations_run_together_after_a_url_are_separated():
    (note,) = _split(f"{LONG}¹\n\n¹ Ann Lee, “A,” 2020, https://a.org/x#k Bo Ma, “B,” 2021.\n").notes
    assert note.text == "Ann Lee, “A,” 2020, https://a.org/x#k; Bo Ma, “B,” 2021."


# --- body ----------------------------------------------------------------------------------------


def test_paragraph_broken_by_notes_and_a_caption_is_rejoined():
    text = (
        "The river feeds sixty million people and the commis-\n\n"
        "¹ Ann Lee, “A,” 2020, https://a.org/x\n\n"
        "Boats on the lake at dawn. (Photo: Jo Kim)\n\n"
        "sion says its data are incomplete.¹\n\nThe Next Part\n\nA new paragraph starts here.\n"
    )
    split = _split(text)
    kinds = [(p.kind.value, p.text) for p in split.paragraphs]
    assert kinds == [
        ("body", "The river feeds sixty million people and the commission says its data are incomplete."),
        ("caption", "Boats on the lake at dawn. (Photo: Jo Kim)"),
        ("heading", "The Next Part"),
        ("body", "A new paragraph starts here."),
    ]
    assert split.paragraphs[-1].section == "The Next Part"


def test_running_headers_and_footers_are_not_text():
    pages = [
        f"Page {n} of 3 Fiscal Rules · May 2021\n{body}\n"
        for n, body in enumerate(["Rules were meant", "to restrain the", "drift.¹"], 1)
    ]
    split = _split("\f".join(pages) + "\n¹ Ann Lee, “A,” 2020.\n")
    assert [p.text for p in split.paragraphs if p.kind == "body"] == [
        "Rules were meant to restrain the drift."
    ]


def test_a_compound_broken_before_a_name_keeps_its_hyphen():
    split = _split("Review\n\nTurkey targets counter-\nIranian activity.¹\n\n¹ Ann Lee, “A,” 2020.\n")
    assert split.paragraphs[-1].text == "Turkey targets counter-Iranian activity."


WRAPPED_URLS = [
    # a URL cut where the line was full, with no hyphen added (fpdf2, pdftotext)
    (
        "https://a.org/report/involvement-development-proj\nects/",
        "https://a.org/report/involvement-development-projects/",
    ),
    (
        "https://a.org/interviews/the-riot-of-the-middle-powers.h\ntml",
        "https://a.org/interviews/the-riot-of-the-middle-powers.html",
    ),
    ("https://a.org/news/docid/51dfc0524.\nhtml", "https://a.org/news/docid/51dfc0524.html"),
    (
        "https://a.org/the-scapegoat-for-turkey-and-ir\nan; Bo Ma, “B,” 2021.",
        "https://a.org/the-scapegoat-for-turkey-and-iran",
    ),
    (
        "https://a.org/article/civilians-killed-a9a82a4432c9abd15443c31b5aa58\n58e",
        "https://a.org/article/civilians-killed-a9a82a4432c9abd15443c31b5aa5858e",
    ),
    (
        "https://www.a.org/content/\nd8347bd0-cc4f-4c3b-9225-0ccd272330a6",
        "https://www.a.org/content/d8347bd0-cc4f-4c3b-9225-0ccd272330a6",
    ),
    ("https://a.org/en/\n202306182196", "https://a.org/en/202306182196"),
    (
        "https://a.org/uploads/2023/07/Russias-invasion-of\nUkraine-The-geopolitical-significance.pdf",
        "https://a.org/uploads/2023/07/Russias-invasion-of-Ukraine-The-geopolitical-significance.pdf",
    ),
    # and what does not go on
    ("https://a.org/report/x\nand more words follow here.", "https://a.org/report/x"),
    ("https://a.org/report/x\nIbid.", "https://a.org/report/x"),
]


@pytest.mark.parametrize("printed,url", WRAPPED_URLS)
def test_urls_cut_at_a_full_line(printed, url):
    (note,) = _split(
        f"Officials said the review\nwould take months.¹\n\n¹ Ann Lee, “A,” 2020,\n{printed}\n"
    ).notes
    assert note.urls[0].url == url


LABEL_COLUMNS = [
    pytest.param(
        "1\n     Ann Lee, “A Title,” Publisher, 2020, https://a.org/x\n2\n     Bo Ma, “B Title,” 2021.",
        id="each-label-on-the-line-before-its-note",
    ),
    pytest.param(
        "1\n\n2\n\nAnn Lee, “A Title,” Publisher, Kingston, Jamaica, a long line that fills the width,\n"
        "2020, https://a.org/x\nBo Ma, “B Title,” 2021.",
        id="all-labels-before-the-notes-of-the-page",
    ),
    pytest.param(
        "1\n\n2\n\nhttps://a.org/end-of-a-note-from-the-page-before\n"
        "Ann Lee, “A Title,” Publisher, 2020, https://a.org/x\nBo Ma, “B Title,” 2021.",
        id="labels-then-the-end-of-an-earlier-note",
    ),
]


@pytest.mark.parametrize("notes", LABEL_COLUMNS)
def test_labels_printed_apart_from_their_notes(notes):
    split = _split(
        f"Review\n\nOfficials said the review would take months.¹ Nothing was decided.²\n\n{notes}\n"
    )
    got = {n.number: n.text for n in split.notes}
    assert sorted(got) == [1, 2]
    assert got[1].startswith("Ann Lee, “A Title,” Publisher") and "https://a.org/x" in got[1]
    assert got[2] == "Bo Ma, “B Title,” 2021."


def test_page_numbers_are_not_text():
    split = _split("Review\n\nOfficials said the review would take\n\f2\nmonths.¹\n\n¹ Ann Lee, “A,” 2020.\n")
    assert [p.text for p in split.paragraphs if p.kind == "body"] == [
        "Officials said the review would take months."
    ]
    assert split.markers[0].page == 2


def test_a_text_without_note_labels_keeps_everything_in_the_body():
    text = f"{LONG}\n\nAnn Lee, “A Title,” 2020, https://a.org/x\n"
    split = _split(text)
    assert split.notes == []
    assert "https://a.org/x" in " ".join(p.text for p in split.paragraphs)


# --- property tests: no string crashes the splitting, no letter is lost ---------------------

_PIECES = [
    "¹",
    "²³",
    "12",
    "2023,",
    "$^{4}$",
    "^{5 ",
    "Table ",
    "https://ex-",
    "ample.org/a-b",
    "www.",
    "“",
    "”",
    '"',
    ", ",
    ". ",
    "-",
    "\n",
    "\n\n",
    "\f",
    "*",
    "May 3,",
    " 7 ",
    "Ann Lee, “",
]
_TEXT = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=40).map("".join)
# One page (no form feeds): running headers repeated across pages are dropped on purpose.
_LETTERS_ONLY = st.lists(
    st.one_of(
        st.sampled_from([p for p in _PIECES if not re.search(r"[$^&\\<>#\f]", p)]),
        st.text(alphabet=string.ascii_letters + " ,.;:-\n", max_size=12),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_no_string_crashes_the_plain_text_splitting(text):
    try:
        doc = read_text(text.encode(), doc_id="t", source_path="t.txt", sha256="0" * 64)
    except DocumentError:
        return  # blank or binary input: a clear error by design, not a crash
    split = split_notes(doc)
    for para in split.paragraphs:
        for m in para.markers:
            assert 0 <= m.offset <= len(para.text)
    assert all(n.number > 0 and n.text for n in split.notes)


_PAGE_LINE = re.compile(
    r"(?i)\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*|\s*[-–—]\s*\d{1,4}\s*[-–—]\s*"
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LETTERS_ONLY)
def test_no_letter_is_lost(text):
    if not text.strip():
        return
    split = _split(text)
    kept = [ln for page in text.split("\f") for ln in page.split("\n") if not _PAGE_LINE.fullmatch(ln)]
    want = sorted(ch for ch in "".join(kept) if ch.isalpha())
    out = [p.text for p in split.paragraphs] + [n.text for n in split.notes] + [n.label for n in split.notes]
    assert sorted(ch for ch in "".join(out) if ch.isalpha()) == want
