"""Title decisions that need the PDF's italics: title, periodical, or emphasis inside prose."""

from pipeline.core.citations import parse_citation
from pipeline.core.models import Span


def test_italics_name_the_periodical_even_without_punctuation():
    raw = 'Andrew England, "US asks Iran to stop selling drones to Russia, Financial Times, August 16, 2023'
    start = raw.index("Financial")
    italic = Span(start=start + 100, end=start + len("Financial Times") + 100)  # offsets into the note
    fields = parse_citation(raw, italics=[italic], offset=100)
    assert fields.container == "Financial Times"
    assert fields.title == "US asks Iran to stop selling drones to Russia"


def test_italic_title_and_capitals_container_bluebook():
    raw = "Joanna Ossinger, Crypto World Hits $3 Trillion Market Cap, BLOOMBERG, (November 9, 2021)"
    start, end = raw.index("Crypto"), raw.index(", BLOOMBERG")
    fields = parse_citation(raw, italics=[Span(start=start, end=end)])
    assert fields.authors == ["Joanna Ossinger"]
    assert fields.title == "Crypto World Hits $3 Trillion Market Cap"
    assert fields.container == "BLOOMBERG"
    assert fields.published == "2021-11-09"


def test_italic_title_after_a_report_number():
    raw = "CRS Report R45281, Iran Conflict and the Strait of Hormuz, coordinated by Michael Ratner."
    start, end = raw.index("Iran"), raw.index(", coordinated")
    fields = parse_citation(raw, italics=[Span(start=start, end=end)])
    assert fields.title == "Iran Conflict and the Strait of Hormuz"
    assert fields.container == "CRS Report R45281"
    assert fields.authors == []


def test_italic_emphasis_inside_prose_is_no_title():
    raw = "There was confusion about the actions the SEC did undertake in the blockchain space."
    start = raw.index("did")
    fields = parse_citation(raw, italics=[Span(start=start, end=start + 3)])
    assert fields.title is None and fields.kind == "commentary"
