"""No input crashes the citation parser or the URL extractor."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.citations import parse_citation, parse_citations, split_citations
from pipeline.core.models import CitationKind, LinkSpan, Note, Span, UrlRef
from pipeline.core.text import LinePiece, extract_url_refs, find_dates, find_urls, join_lines

_CHARS = list("abcXYZ019 .,;:()[]\"'\u201c\u201d\u2018\u2019/-\u2013\u00a7&@#?=%")
_PIECES = [
    "https://",
    "www.",
    "Id.",
    "supra note 3",
    "Ibid",
    " v. ",
    "U.S.",
    " 2020",
    "July ",
    "et al.",
    "See ",
]
_CITATION_ALPHABET = st.sampled_from(_CHARS + _PIECES)
_texts = st.lists(_CITATION_ALPHABET, max_size=60).map("".join) | st.text(max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts, start=st.integers(0, 50), length=st.integers(0, 50))
def test_no_string_crashes_the_citation_parser(text, start, length):
    fields = parse_citation(text, italics=[Span(start=start, end=start + length)], offset=3)
    assert isinstance(fields.kind, CitationKind)
    for part in split_citations(text):
        assert part and part in text
    for d in find_dates(text):
        assert 0 <= d.start < d.end <= len(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_texts, min_size=1, max_size=4))
def test_no_notes_crash_parse_citations(texts):
    notes = [
        Note(number=i, label=str(i), text=t, page=1, urls=[UrlRef(url="https://a.org/x", raw_url=t[:10])])
        for i, t in enumerate(texts, 1)
    ]
    cits = parse_citations("doc", notes)
    ids = {c.citation_id for c in cits}
    assert all(c.refers_to is None or c.refers_to in ids for c in cits)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts, cut=st.integers(0, 200), uri=st.text(max_size=40))
def test_no_string_crashes_the_url_extractor(text, cut, uri):
    for start, end, url in ((m.start, m.end, m.url) for m in find_urls(text)):
        assert 0 <= start < end <= len(text) and url
    links = [LinkSpan(start=0, end=min(cut, len(text)), uri="https://" + uri)]
    for ref in extract_url_refs(text, links):
        assert ref.url
    join_lines([LinePiece(text=text[:cut], full=True, links=links), LinePiece(text=text[cut:])])
