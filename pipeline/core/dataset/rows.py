"""Rows: the step records of each document become the rows of every table of the dataset.

A step record is used only if it was made from the same file content as the parsed document
(same sha256), so stale results of an older version never mix with new ones. A URL's status in
``claim_sources`` is its latest check in any document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from pipeline.core.dataset.store import DocumentRecords
from pipeline.core.errors import DocumentErrorCode
from pipeline.core.models import (
    TABLES,
    Citation,
    CitationRow,
    CitationSet,
    ClaimRow,
    ClaimSet,
    ClaimSourceRow,
    DocumentRow,
    DocumentStatus,
    EntityIndexRow,
    EntityRow,
    FootnoteRow,
    IssueRow,
    NoteSplit,
    ParagraphKind,
    ParsedDocument,
    SourceEvidence,
    UrlCheck,
    UrlCheckRow,
    UrlCheckSet,
    UrlHistoryRow,
)

#: tables whose rows each belong to one document (``doc_id``): one Parquet part per document
PER_DOCUMENT = (
    "documents",
    "footnotes",
    "citations",
    "claims",
    "entities",
    "issues",
    "claim_sources",
    "entity_index",
)
#: tables of the whole corpus (one row per URL, per check): one part, rebuilt from every document's
CORPUS = ("url_checks", "url_history")


def empty_reason(doc: ParsedDocument) -> tuple[DocumentErrorCode, str] | None:
    """Why a document that was read has no line left to work on (None when it has some).

    A record without pages at all (not made by the layout step) is not judged here.
    """
    if doc.status == DocumentStatus.FAILED or not doc.layout or any(page.lines for page in doc.layout):
        return None
    dropped = [text for page in doc.layout for text in page.dropped]
    if dropped:
        return DocumentErrorCode.ONLY_FURNITURE, (
            f"every line of the {doc.pages} page(s) was dropped as a running header or footer "
            f"(such as {dropped[0][:60]!r}); no text is left to read"
        )
    return DocumentErrorCode.NO_TEXT, f"no text was found on any of the {doc.pages} page(s)"


def body_words(split: NoteSplit) -> int:
    """Words of body text (not notes, not headings): a document without any was misread."""
    return sum(len(p.text.split()) for p in split.paragraphs if p.kind == ParagraphKind.BODY)


def stop_reason(
    doc: ParsedDocument, split: NoteSplit | None, claims: ClaimSet | None
) -> tuple[DocumentErrorCode, str] | None:
    """Why the blocking checks stopped this document before its claims, as code and sentence.

    One rule for the checks (``text_extracted``, ``document_not_empty``, ``markers_have_notes``)
    and for the row in documents.parquet, so both say the same thing.
    """
    if doc.status == DocumentStatus.FAILED:
        return None
    if (empty := empty_reason(doc)) is not None:
        return empty
    if split is None or claims is not None:
        return None
    if split.problems:
        detail = "; ".join(split.problems)
        return DocumentErrorCode.MARKERS_WITHOUT_NOTES, (
            f"the note markers do not match the notes ({detail}), so the notes zone was probably "
            "misread; claims were not extracted"
        )
    if body_words(split) == 0:
        return DocumentErrorCode.NO_BODY_TEXT, (
            "no body text was found (only notes, headings or nothing); claims were not extracted"
        )
    return None


def document_rows(
    doc: ParsedDocument, split: NoteSplit | None, claims: ClaimSet | None, links: UrlCheckSet | None = None
) -> DocumentRow:
    status, error, code = doc.status, doc.error, doc.error_code
    stopped = stop_reason(doc, split, claims)
    if stopped is not None:
        code, reason = stopped[0].value, stopped[1]
        status = DocumentStatus.FAILED if stopped[0] in _NOTHING_READ else DocumentStatus.DEGRADED
        error = f"{error}; {reason}" if error else reason
    elif status != DocumentStatus.FAILED and (split is None or claims is None):
        status = DocumentStatus.DEGRADED
        reason = "a later step has not run for this version"
        error = f"{error}; {reason}" if error else reason
    return DocumentRow(
        doc_id=doc.doc_id,
        source_path=doc.source_path,
        sha256=doc.sha256,
        title=doc.title,
        pages=doc.pages,
        status=status,
        error=error,
        error_code=code,
        kind=doc.kind,
        footnotes=len(split.notes) if split else 0,
        markers=len(split.markers) if split else 0,
        claims=len(claims.claims) if claims else 0,
        warnings=[*doc.warnings, *(claims.warnings if claims else [])],
        links_checked_at=max((c.checked_at for c in links.checks if c.checked_at), default=None)
        if links
        else None,
        links_offline=links.offline if links else None,
    )


#: nothing of the document could be used at all: the row is 'failed', not 'degraded'
_NOTHING_READ = frozenset({DocumentErrorCode.ONLY_FURNITURE, DocumentErrorCode.NO_TEXT})


def footnote_rows(split: NoteSplit) -> list[FootnoteRow]:
    return [
        FootnoteRow(
            doc_id=split.doc_id,
            number=n.number,
            text=n.text,
            page=n.page,
            urls=[u.url for u in n.urls],
            raw_urls=[u.raw_url for u in n.urls],
            url_alternatives=[a for u in n.urls for a in u.alternatives],
            has_marker=n.has_marker,
            link_only_urls=[u.url for u in n.urls if u.source == "annotation"],
        )
        for n in split.notes
    ]


def issue_rows(split: NoteSplit) -> list[IssueRow]:
    return [
        IssueRow(doc_id=split.doc_id, kind=i.kind, number=i.number, detail=i.detail) for i in split.issues
    ]


def citation_rows(cits: CitationSet) -> list[CitationRow]:
    return [CitationRow(doc_id=cits.doc_id, **c.model_dump()) for c in cits.citations]


def claim_rows(claims: ClaimSet) -> tuple[list[ClaimRow], list[EntityRow]]:
    """Claims, and their entity mentions linked to the document's entity index."""
    names = {r.entity_id: r.text for r in claims.entity_index}
    rows, ents = [], []
    for c in claims.claims:
        data = c.model_dump(exclude={"entities"})
        rows.append(ClaimRow(doc_id=claims.doc_id, **data))
        for e in c.entities:
            ents.append(
                EntityRow(
                    doc_id=claims.doc_id,
                    claim_id=c.claim_id,
                    **e.model_dump(),
                    canonical=names.get(e.entity_id or ""),
                )
            )
    return rows, ents


def entity_index_rows(claims: ClaimSet) -> list[EntityIndexRow]:
    """The document's named entities, variants merged, with the claims that mention them."""
    return claims.entity_index


def claim_source_rows(
    claims: ClaimSet,
    cits: CitationSet | None,
    checks: Mapping[str, UrlCheck | UrlCheckRow],
    evidence: Iterable[SourceEvidence] = (),
) -> list[ClaimSourceRow]:
    """One row per (cited claim, citation, URL), with the URL's latest status and what the page
    holds of the claim (``evidence``, by claim and URL; ``not_checked`` where there is none).

    Repeats (Ibid., supra, short forms) without URLs of their own lead to the URLs of the full
    citation they repeat. A cited claim keeps a row when its citations have no URL (url null)
    and when its note was not found (citation null): nothing a fact-checker should see is dropped.
    """
    by_note: dict[int, list[Citation]] = {}
    by_id: dict[str, Citation] = {}
    for c in cits.citations if cits else []:
        by_note.setdefault(c.footnote_number, []).append(c)
        by_id[c.citation_id] = c
    found = {(e.claim_id, e.url): e for e in evidence}
    rows: list[ClaimSourceRow] = []
    for claim in claims.claims:
        for number in claim.footnote_numbers:
            base = {
                "doc_id": claims.doc_id,
                "claim_id": claim.claim_id,
                "claim_text": claim.text,
                "page": claim.page,
                "footnote_number": number,
            }
            notes = by_note.get(number, [])
            if not notes:
                rows.append(
                    ClaimSourceRow(
                        **base,
                        citation_id=None,
                        citation_position=None,
                        citation_kind=None,
                        source_citation_id=None,
                        citation_text=None,
                    )
                )
            for cit in notes:
                source = by_id.get(cit.refers_to or "", cit) if not cit.urls else cit
                fields = {
                    "citation_id": cit.citation_id,
                    "citation_position": cit.position,
                    "citation_kind": cit.kind,
                    "source_citation_id": source.citation_id if source.kind == "full" else None,
                    "citation_text": cit.raw_text,
                    "authors": source.authors,
                    "title": source.title,
                    "container": source.container,
                    "published": source.published,
                }
                for url in source.urls or [None]:
                    check = checks.get(url) if url else None
                    ev = found.get((claim.claim_id, url)) if url else None
                    rows.append(
                        ClaimSourceRow(
                            **base,
                            **fields,
                            url=url,
                            url_status=check.status.value if check else None,
                            http_status=check.http_status if check else None,
                            final_url=check.final_url if check else None,
                            checked_at=check.checked_at if check else None,
                            archive_url=check.archive_url if check else None,
                            **_evidence_fields(ev),
                        )
                    )
    return rows


def _evidence_fields(ev: SourceEvidence | None) -> dict[str, object]:
    if ev is None:
        return {}
    return {
        "evidence": ev.evidence,
        "evidence_source": ev.source,
        "evidence_score": ev.score,
        "evidence_snippet": ev.snippet,
    }


def url_check_rows(checks: Iterable[UrlCheck]) -> list[UrlCheckRow]:
    fields = set(UrlCheckRow.model_fields)
    return [UrlCheckRow(**{k: v for k, v in c.model_dump().items() if k in fields}) for c in checks]


def url_history_rows(checks: Iterable[UrlCheck]) -> list[UrlHistoryRow]:
    """One row per recorded check (unchecked results have no time and are left out), by URL and time."""
    fields = set(UrlHistoryRow.model_fields)
    unique = {(c.url, c.checked_at): c for c in checks if c.checked_at is not None}
    return [
        UrlHistoryRow(**{k: v for k, v in c.model_dump().items() if k in fields})
        for _, c in sorted(unique.items(), key=lambda kv: (kv[0][0], kv[0][1]))
    ]


@dataclass
class DocumentTables:
    """One document's share of the dataset: its rows of the per-document tables (all but
    ``claim_sources``, which needs every document's URL checks), and what the rest is made from."""

    tables: dict[str, list[BaseModel]]
    #: what its ``claim_sources`` rows are made from, when it has claims
    cited: tuple[ClaimSet, CitationSet | None, list[SourceEvidence]] | None
    #: its URL checks and their history (current content only), in record order
    checks: list[UrlCheck] = field(default_factory=list)
    history: list[UrlCheck] = field(default_factory=list)


def document_tables(record: DocumentRecords) -> DocumentTables:
    """The rows of one document. A step record is used only if it was made from the same file
    content as the parsed document (same sha256): stale results never mix with new ones."""
    doc, urls = record.doc, record.url_checks
    split = record.split if record.split and record.split.sha256 == doc.sha256 else None
    cits = record.citations if record.citations and record.citations.sha256 == doc.sha256 else None
    claims = record.claims if record.claims and record.claims.sha256 == doc.sha256 else None
    links = urls if urls and urls.sha256 == doc.sha256 else None
    tables: dict[str, list[BaseModel]] = {name: [] for name in PER_DOCUMENT}
    tables["documents"].append(document_rows(doc, split, claims, links))
    if split:
        tables["footnotes"] += footnote_rows(split)
        tables["issues"] += issue_rows(split)
    if cits:
        tables["citations"] += citation_rows(cits)
    cited = None
    if claims:
        rows, ents = claim_rows(claims)
        tables["claims"] += rows
        tables["entities"] += ents
        tables["entity_index"] += entity_index_rows(claims)
        cited = (claims, cits, links.evidence if links else [])
    return DocumentTables(
        tables, cited, list(links.checks) if links else [], list(links.history) if links else []
    )


def latest_checks(checks: Iterable[UrlCheck], into: dict[str, UrlCheck] | None = None) -> dict[str, UrlCheck]:
    """The latest check of each URL; on a tie (or no time at all) the first one seen."""
    out = {} if into is None else into
    for c in checks:
        prev = out.get(c.url)
        if prev is None or (c.checked_at and (prev.checked_at is None or c.checked_at > prev.checked_at)):
            out[c.url] = c
    return out


def build_tables(records: Iterable[DocumentRecords]) -> dict[str, list[BaseModel]]:
    """All rows of every table from the step records of each document, in memory (the reference
    the incremental roll-up, ``publish``, must equal)."""
    tables: dict[str, list[BaseModel]] = {name: [] for name in TABLES}
    checks: dict[str, UrlCheck] = {}
    history: list[UrlCheck] = []
    cited: list[tuple[ClaimSet, CitationSet | None, list[SourceEvidence]]] = []
    for record in records:
        part = document_tables(record)
        for name, rows in part.tables.items():
            tables[name] += rows
        if part.cited:
            cited.append(part.cited)
        latest_checks(part.checks, checks)
        history += part.history
    tables["url_checks"] = url_check_rows(sorted(checks.values(), key=lambda c: c.url))
    tables["url_history"] = url_history_rows(history)
    for claims, cits, evidence in cited:  # after every document: a URL's status is its latest check anywhere
        tables["claim_sources"] += claim_source_rows(claims, cits, checks, evidence)
    tables["documents"].sort(key=lambda r: r.doc_id)
    return tables
