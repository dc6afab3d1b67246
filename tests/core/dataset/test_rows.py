"""Rows: the tables built from each document's step records (claim_sources, entity_index, stale records)."""

from dataclasses import replace

from pipeline.core import dataset
from pipeline.core.models import ClaimSet, DocumentStatus, NoteSplit, ParsedDocument
from tests.core.dataset.example import ALIVE, CHECKED_AT, DEAD, records


def test_stale_step_records_do_not_mix_with_a_new_version():
    doc = ParsedDocument(doc_id="d", source_path="d.pdf", sha256="new", kind="pdf", pages=1)
    old_split = NoteSplit(doc_id="d", sha256="old")
    old_claims = ClaimSet(doc_id="d", sha256="old")
    tables = dataset.build_tables([dataset.DocumentRecords(doc, old_split, None, old_claims, None)])
    (row,) = tables["documents"]
    assert row.status == DocumentStatus.DEGRADED
    assert row.error == "a later step has not run for this version"
    assert tables["claims"] == []


def test_claim_sources_has_a_row_per_claim_citation_and_url():
    rows = dataset.build_tables(records())["claim_sources"]
    key = lambda t: tuple("" if v is None else str(v) for v in t)  # noqa: E731
    got = sorted(
        ((r.claim_id, r.footnote_number, r.citation_kind, r.url, r.url_status) for r in rows), key=key
    )
    assert got == sorted(
        [
            ("dead-only", 1, "full", DEAD, "dead"),
            ("dead-via-ibid", 2, "ibid", DEAD, "dead"),  # Ibid. leads to note 1's source
            ("mixed", 1, "full", DEAD, "dead"),
            ("mixed", 3, "full", ALIVE, "ok"),
            ("mixed", 3, "full", None, None),  # a citation without a URL is still a source
            ("note-missing", 9, None, None, None),  # the note was not found: the claim still shows
            ("commentary-only", 4, "commentary", None, None),
        ],
        key=key,
    )
    ibid = next(r for r in rows if r.claim_id == "dead-via-ibid")
    full = next(r for r in rows if r.claim_id == "dead-only")
    assert ibid.source_citation_id == full.citation_id and ibid.title == "Only a dead link"
    assert ibid.citation_text == "Ibid., 4." and ibid.checked_at == CHECKED_AT and ibid.http_status == 404


def test_a_url_never_checked_has_no_status_rather_than_a_guess():
    (example,) = records()
    rows = dataset.build_tables([replace(example, url_checks=None)])["claim_sources"]
    assert [r.url_status for r in rows] == [None] * 7
    assert [r.checked_at for r in rows] == [None] * 7


def test_entity_mentions_link_to_the_entity_index():
    tables = dataset.build_tables(records())
    (index,) = tables["entity_index"]
    (mention,) = tables["entities"]
    assert (index.text, index.label, index.mentions, index.claim_ids) == ("U.S.", "GPE", 1, ["note-missing"])
    assert (mention.entity_id, mention.canonical) == (index.entity_id, "U.S.")
