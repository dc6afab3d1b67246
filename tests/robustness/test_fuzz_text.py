"""Property-based tests (hypothesis) over the text-level parsers: nothing crashes on any string.

Strings are drawn two ways: any Unicode at all, and text assembled from the fragments these
parsers look for (note labels, TeX and entity debris, URL pieces, hyphenated line breaks, DOIs,
dates, Ibid.), which reaches far deeper into them. Runs are derandomized, so a failure
reproduces on every machine, and each property also states what its output must look like.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.citations import CitationFields, parse_citation, parse_citations, split_citations
from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.footnotes import parse_marker_label, quality_problems, split_notes
from pipeline.core.layout import decode_text, read_text
from pipeline.core.models import LinkSpan, Note
from pipeline.core.text import LinePiece, clean_url, extract_url_refs, find_urls, join_lines, parse_date

FRAGMENTS = [
    "¹", "²³", "⁴⁵", "1", "12", "123", "2023", ". ", ", ", "; ", " ", "\n", "\n\n", "\f", "\t", "\r\n",
    "Notes", "Endnotes", "NOTES\n", "$^{17}$", "$^{\\rm 17}$", "^{2023,}", "[&]quot;", "&amp;", "&quot;",
    "https://", "http://www.", "www.", "example.org", "/report-", "2019", ".pdf", "?q=1&a=b", "#frag",
    "-\n", "- ", "\u00ad", "\u200b", "\ufeff", "\x00", "(", ")", "[", "]", "“", "”", "'", '"', "—", "–",
    "doi:10.1234/abc", "10.1000/xyz.5", "Ibid.", "Id. at 5", "supra note 3", "op. cit.",
    "accessed 12 March 2020", "March 12, 2020", "12/03/2020", "2020-03-12", "(2007)", "550 U.S. 544",
    "Vol. 3", "pp. 1–2", "J. Smith and A. Jones,", "The Economist,", "Table", "Figure 2",
    "ﬁ", "Ⅻ", "٣", "𝟙𝟚", "\U0001f600",
]  # fmt: skip

messy = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=80).map("".join),
)
FUZZ = settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@FUZZ
@given(messy)
def test_plain_text_note_splitting_never_crashes(text):
    try:
        doc = read_text(text.encode("utf-8"), doc_id="fuzz", source_path="fuzz.txt", sha256="x")
    except DocumentError as exc:  # whitespace only, or NUL bytes: refused with a reason
        assert exc.code in (DocumentErrorCode.NO_TEXT, DocumentErrorCode.UNSUPPORTED)
        return
    split = split_notes(doc)
    assert isinstance(quality_problems(split), list)
    for para in split.paragraphs:
        for marker in para.markers:
            assert 0 <= marker.offset <= len(para.text)
    assert all(note.number >= 0 for note in split.notes)


@FUZZ
@given(st.binary(max_size=600))
def test_text_decoding_gives_text_or_an_encoding_error(data):
    try:
        text, warning = decode_text(data)
    except DocumentError as exc:
        assert exc.code == DocumentErrorCode.ENCODING
        return
    assert isinstance(text, str) and (warning is None or "decoded as" in warning)


@FUZZ
@given(messy)
def test_citation_parsing_never_crashes(text):
    parts = split_citations(text)
    assert all(isinstance(p, str) for p in parts)
    for part in parts[:5]:
        parsed = parse_citation(part)
        assert isinstance(parsed, CitationFields)
    cits = parse_citations("fuzz", [Note(number=1, label="1", text=text, page=1)])
    assert all(c.footnote_number == 1 for c in cits)
    date = parse_date(text)
    assert date is None or ISO_DATE.match(date), date


@FUZZ
@given(messy)
def test_url_extraction_never_crashes_and_spans_stay_in_the_text(text):
    for start, end, url in ((m.start, m.end, m.url) for m in find_urls(text)):
        assert 0 <= start <= end <= len(text)
        assert url
    for ref in extract_url_refs(text):
        assert re.match(r"(?i)^[a-z][a-z0-9+.-]*://", ref.url), ref.url
    cleaned = clean_url(text)
    assert cleaned is None or isinstance(cleaned, str)


@FUZZ
@given(
    st.lists(st.tuples(messy, st.booleans()), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(-5, 500), st.integers(-5, 500), messy), max_size=3),
)
def test_url_repair_across_line_breaks_never_crashes(lines, links):
    pieces = []
    for i, (text, full) in enumerate(lines):
        spans = [
            LinkSpan(start=min(a, b), end=max(a, b), uri=uri)
            for a, b, uri in links
            if i == 0 and a >= 0 and b >= 0
        ]
        pieces.append(LinePiece(text=text, full=full, links=spans))
    joined = join_lines(pieces)
    assert isinstance(joined.text, str)
    for ref in joined.urls:
        assert ref.url and isinstance(ref.alternatives, list)


@FUZZ
@given(messy)
def test_marker_labels_parse_to_numbers_or_nothing(label):
    numbers = parse_marker_label(label)
    assert all(isinstance(n, int) for n in numbers)
