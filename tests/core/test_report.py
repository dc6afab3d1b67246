import re

import pytest

from pipeline.core import citations, dataset, footnotes, nlp
from pipeline.core.models import CitationSet, Status, UrlCheck, UrlCheckSet
from pipeline.core.report import render_report, status_chart, write_reports


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory, parsed_seed, nlp_model):
    out = tmp_path_factory.mktemp("extracted")
    doc = parsed_seed("article-libreoffice.pdf")
    split = footnotes.split_notes(doc)
    cits = CitationSet(
        doc_id=doc.doc_id, sha256=doc.sha256, citations=citations.parse_citations(doc.doc_id, split.notes)
    )
    claims = nlp.claim_set(doc.doc_id, doc.sha256, nlp.extract_claims(split, nlp_model))
    urls = [u.url for n in split.notes for u in n.urls]
    checks = [UrlCheck(url=u, status=Status.UNVERIFIED, error="offline") for u in urls]
    checks[0] = UrlCheck(
        url=urls[0],
        status=Status.DEAD,
        http_status=404,
        confirmed=True,
        archive_url="https://web.archive.org/web/2017/" + urls[0],
    )
    urlset = UrlCheckSet(doc_id=doc.doc_id, sha256=doc.sha256, checks=checks)
    dataset.write_dataset(
        out, dataset.build_tables([dataset.DocumentRecords(doc, split, cits, claims, urlset)])
    )
    return out, doc.doc_id, urls[0]


def test_report_shows_claims_with_their_notes_and_link_statuses(seed_out):
    out, doc_id, _ = seed_out
    paths = write_reports(out)
    page = paths[doc_id].read_text()
    assert "Iran&#x27;s Security Posture" in page
    assert "compared to Turkey, Russia, or the EU." in page  # a cited claim
    assert "Andrea Weiss" in page  # its note's citation
    assert re.search(r'class="badge" style="background:#a40e26"[^>]*>dead<', page)
    assert 'href="https://web.archive.org/web/2017/' in page  # the archived copy is linked
    assert "<svg" in page and "unverified" in page


def test_untrusted_strings_are_escaped_and_only_http_links_are_clickable():
    doc = {
        "doc_id": "d",
        "title": "<script>alert(1)</script>",
        "source_path": "d.pdf",
        "pages": 1,
        "status": "ok",
    }
    claim = {
        "claim_id": "c1",
        "text": "A <b>claim</b>.",
        "cited": True,
        "footnote_numbers": [1],
        "section": None,
    }
    note = {
        "number": 1,
        "text": "x",
        "urls": ["javascript:alert(1)", "https://ok.example/a"],
        "has_marker": True,
    }
    page = render_report(doc, [claim], [note], [], {})
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page
    assert 'href="https://ok.example/a"' in page


def test_status_chart_draws_one_bar_per_status():
    svg = status_chart({"ok": 3, "dead": 1, "unverified": 0})
    assert svg.count("<rect") == 2


def test_each_section_renders_in_order_with_its_parts():
    doc = {
        "doc_id": "d",
        "title": None,
        "source_path": "d.pdf",
        "pages": 3,
        "status": "degraded",
        "error": "limit",
    }
    claims = [
        {"claim_id": "c1", "text": "First.", "cited": True, "footnote_numbers": [1, 2], "section": "Intro"},
        {"claim_id": "c2", "text": "Second.", "cited": True, "footnote_numbers": [9], "section": "Intro"},
        {"claim_id": "u1", "text": "Up 42%.", "cited": False, "checkworthy": 0.3, "reasons": ["number: 42%"]},
        {"claim_id": "u2", "text": "Up 5%.", "cited": False, "checkworthy": 0.2, "reasons": ["number: 5%"]},
    ]
    notes = [
        {"number": 1, "text": "Doe, Title", "urls": ["https://a.example/x"], "has_marker": True},
        {"number": 2, "text": "See https://b.example/y", "urls": ["https://b.example/y"], "has_marker": True},
        {"number": 4, "text": "Unmarked.", "urls": [], "has_marker": False},
    ]
    cits = [
        {
            "footnote_number": 1,
            "position": 0,
            "authors": ["Jane Doe"],
            "title": "Title",
            "container": "Journal",
        }
        | {"published": "2020", "urls": ["https://a.example/x"], "raw_text": "Doe, Title"},
    ]
    checks = {
        "https://a.example/x": {
            "status": "dead",
            "http_status": 404,
            "confirmed": False,
            "archive_url": "https://w.example/x",
        },
        "https://b.example/y": {"status": "redirected", "final_url": "https://b.example/z"},
    }
    page = render_report(doc, claims, notes, cits, checks, top_uncited=1)
    assert re.findall(r"<h[123]>(.*?)</h[123]>", page) == [
        "d.pdf",
        "Cited links",
        "Claims and their sources (2)",
        "Intro",
        "Notes no marker points to (1)",
        "Check-worthy claims without a source (top 1)",
    ]
    assert '<p class="meta">d.pdf · 3 pages · status degraded · 3 notes · 2 cited claims</p>' in page
    assert "<p><strong>Problem:</strong> limit</p>" in page
    assert '<div class="cit">Jane Doe, “Title”, <em>Journal</em>, 2020</div>' in page
    rel = 'rel="noopener noreferrer nofollow"'
    assert (
        f'<span class="reasons">HTTP 404 · <a href="https://w.example/x" {rel}>archived copy</a> · not yet confirmed'
        in page
    )
    assert (
        f'<span class="reasons">now at <a href="https://b.example/z" {rel}>https://b.example/z</a></span>'
        in page
    )
    assert '<div class="cit">See https://b.example/y</div>' in page  # no citation: the note's text
    assert '<div class="note"><span class="num">9</span><em>note not found</em></div>' in page
    assert '<div class="note"><span class="num">4</span><div class="cit">Unmarked.</div></div>' in page
    assert '<span class="reasons">check-worthiness 0.30: number: 42%</span>' in page and "Up 5%." not in page
