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
