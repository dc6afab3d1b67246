"""The one contract: every record that moves between steps or lands in ``extracted/``.

Two kinds of model live here:

* step records (``ParsedDocument``, ``NoteSplit``, ``CitationSet``, ``ClaimSet``, ``UrlCheckSet``):
  what one step hands to the next for one document;
* table rows (``*Row``): one class per Parquet table of the dataset. Their field order is the
  column order, and ``extracted/schema/<table>.json`` is generated from them.

Bump ``SCHEMA_VERSION`` when a table row changes: major for removals/renames, minor for additions
(and for a new layout of the same tables: 1.4 made each table a folder of per-document parts).
Rows of some tables live in ``models_<table>.py`` beside this file (re-exported here), so the
contract can grow without this file outgrowing the size limit.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.core.models_footnotes import FootnoteRow

SCHEMA_VERSION = "1.5.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------------------------
# Enumerations
# ---------------------------------------------------------------------------------------------


class DocumentStatus(StrEnum):
    OK = "ok"
    DEGRADED = "degraded"  # read, but something is missing (e.g. page limit hit, no text on some pages)
    FAILED = "failed"


class Status(StrEnum):
    """The closed set of link statuses. ``pipeline.core.urlcheck.classify`` is the only producer."""

    OK = "ok"
    REDIRECTED = "redirected"
    REDIRECT_TO_ROOT = "redirect_to_root"
    SOFT_404 = "soft_404"
    DEAD = "dead"
    BLOCKED = "blocked"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    DNS_ERROR = "dns_error"
    TLS_ERROR = "tls_error"
    CONNECTION_ERROR = "connection_error"
    INVALID_URL = "invalid_url"
    UNSUPPORTED_SCHEME = "unsupported_scheme"
    REFUSED_PRIVATE = "refused_private"
    UNVERIFIED = "unverified"
    #: reachable, but the page says it is not free to read (JSON-LD, paywall markers, HTTP 402):
    #: never dead, and its text is not evidence
    PAYWALLED = "paywalled"


#: statuses that found the page
REACHABLE = frozenset({Status.OK, Status.REDIRECTED, Status.PAYWALLED})
#: statuses that say the cited page is gone or no longer there: link rot
ROTTEN = frozenset({Status.DEAD, Status.SOFT_404, Status.REDIRECT_TO_ROOT})


class ParagraphKind(StrEnum):
    TITLE = "title"
    HEADING = "heading"
    BODY = "body"
    CAPTION = "caption"
    OTHER = "other"  # author boxes, bylines, front matter


# ---------------------------------------------------------------------------------------------
# Layout: pdfplumber (or a text file) -> positioned lines
# ---------------------------------------------------------------------------------------------


#: Share of the page height, at top and bottom, where running headers and footers live (the
#: layout drops them there; the notes zone ends above the bottom band).
MARGIN_BAND = 0.12


class Span(_Model):
    """A half-open character range ``[start, end)`` in the text it belongs to."""

    start: int
    end: int


class LinkSpan(Span):
    """A run of characters covered by a PDF link annotation."""

    uri: str


class Line(_Model):
    """One line of text in reading order, with the evidence later steps need.

    Offsets in ``superscripts``, ``italics`` and ``links`` index ``text``.
    Text files have no geometry: their coordinates are 0 and ``size`` is 0.
    """

    page: int = Field(description="1-based page number")
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    text: str
    size: float = Field(0.0, description="dominant font size of the line in points")
    bold: bool = False
    column: int = Field(0, description="0-based column index on its page")
    superscripts: list[Span] = Field(default_factory=list, description="raised, smaller runs")
    italics: list[Span] = Field(default_factory=list)
    links: list[LinkSpan] = Field(default_factory=list)


class Rule(_Model):
    """A horizontal rule drawn on a page (footnote separators are short ones)."""

    page: int
    x0: float
    x1: float
    top: float


class PageLayout(_Model):
    number: int
    width: float = 0.0
    height: float = 0.0
    lines: list[Line] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    dropped: list[str] = Field(default_factory=list, description="running headers/footers removed")


class ParsedDocument(_Model):
    """Output of the layout step for one document."""

    doc_id: str
    source_path: str
    sha256: str
    kind: Literal["pdf", "txt"]
    title: str | None = None
    pages: int = 0
    status: DocumentStatus = DocumentStatus.OK
    error: str | None = None
    error_code: str | None = None
    warnings: list[str] = Field(default_factory=list)
    body_size: float = Field(0.0, description="most common font size of running text")
    layout: list[PageLayout] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Footnotes: body vs. notes, markers
# ---------------------------------------------------------------------------------------------


class UrlRef(_Model):
    """A URL found in a note. ``url`` is the best repair; ``alternatives`` the other readings."""

    url: str
    raw_url: str
    alternatives: list[str] = Field(default_factory=list)
    source: Literal["text", "annotation", "both"] = "text"


class Marker(_Model):
    """A note marker in the body: ``offset`` indexes the paragraph's (marker-free) text."""

    number: int
    label: str
    page: int
    paragraph: int
    offset: int


class Paragraph(_Model):
    index: int
    page: int
    kind: ParagraphKind = ParagraphKind.BODY
    section: str | None = None
    text: str = Field(description="text with note markers removed; markers keep their offsets")
    markers: list[Marker] = Field(default_factory=list)


class Note(_Model):
    number: int
    label: str
    text: str
    page: int
    urls: list[UrlRef] = Field(default_factory=list)
    italics: list[Span] = Field(default_factory=list, description="italic runs in text (container hints)")
    has_marker: bool = False


class SequenceIssue(_Model):
    """A problem in note numbering, reported as data rather than raised."""

    kind: Literal[
        "marker_without_note",
        "note_without_marker",
        "gap",
        "duplicate_note",
        "duplicate_marker",
    ]
    number: int
    detail: str = ""


class NoteSplit(_Model):
    """Output of the footnotes step for one document."""

    doc_id: str
    sha256: str
    title: str | None = None
    paragraphs: list[Paragraph] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    issues: list[SequenceIssue] = Field(default_factory=list)
    #: why this split should not feed later steps (the footnotes step's parse-quality rule)
    problems: list[str] = Field(default_factory=list)

    @property
    def markers(self) -> list[Marker]:
        return [m for p in self.paragraphs for m in p.markers]


# ---------------------------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------------------------


class CitationKind(StrEnum):
    """What a citation is: a source in its own right, a repeat of one, or no source at all.

    ``pipeline.core.citations`` decides it: ``parse_citation`` reads it from the text (a reporter
    cited ``at`` a page is a short form), ``resolve_references`` turns a citation that repeats an
    earlier one into a short form.
    """

    FULL = "full"  # a source in its own right
    IBID = "ibid"  # Ibid./Id.: the preceding citation
    SUPRA = "supra"  # supra note N
    OP_CIT = "op_cit"  # op. cit., loc. cit.: the latest citation by the named author
    SHORT_FORM = "short_form"  # a shortened repeat of an earlier full citation
    INFRA = "infra"  # a cross-reference within the document
    COMMENTARY = "commentary"  # explanatory text with no source


#: the description of ``kind`` in the step record and the citations table
_CITATION_KIND_HELP = (
    "full (a source in its own right), ibid (Ibid./Id.: the preceding citation), supra (supra note N), "
    "op_cit, short_form (a shortened repeat of an earlier full citation), infra (a cross-reference "
    "within the document), commentary (explanatory text with no source)"
)


class Citation(_Model):
    citation_id: str
    footnote_number: int
    position: int = Field(description="0-based order of the citation within its note")
    raw_text: str
    authors: list[str] = Field(default_factory=list)
    title: str | None = None
    container: str | None = None
    published: str | None = Field(None, description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    accessed: str | None = None
    urls: list[str] = Field(default_factory=list)
    doi: str | None = None
    kind: CitationKind | None = Field(None, description=_CITATION_KIND_HELP)
    refers_to: str | None = Field(None, description="citation_id this one repeats (Ibid., short forms)")
    updated: str | None = Field(None, description="ISO date after 'last updated' (not the publication date)")
    signal: str | None = Field(None, description="introductory signal as printed: See, See also, Cf. ...")
    volume: str | None = Field(None, description="volume of a reporter, journal or code (legal styles)")
    page: str | None = Field(None, description="first page in that volume")
    pinpoint: str | None = Field(None, description="the page(s) cited within the source")


class CitationSet(_Model):
    doc_id: str
    sha256: str
    citations: list[Citation] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Claims and entities
# ---------------------------------------------------------------------------------------------


class Entity(_Model):
    text: str
    label: str
    start: int
    end: int
    #: the document's entity index row of this mention (named entities only; set by the claims step)
    entity_id: str | None = None


class Claim(_Model):
    claim_id: str
    text: str
    page: int
    section: str | None = None
    paragraph: int
    sentence: int = Field(description="0-based sentence index within the document body")
    footnote_numbers: list[int] = Field(default_factory=list)
    cited: bool = False
    checkworthy: float = Field(0.0, ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list)
    speaker: str | None = None
    quote: str | None = None
    entities: list[Entity] = Field(default_factory=list)


class ClaimSet(_Model):
    doc_id: str
    sha256: str
    claims: list[Claim] = Field(default_factory=list)
    #: the document's named entities, variants merged (the claims step's entity index)
    entity_index: list[EntityIndexRow] = Field(default_factory=list)
    #: input kept away from spaCy (giant tokens, giant paragraphs); shown in documents.warnings
    warnings: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# URL checks
# ---------------------------------------------------------------------------------------------


class UrlCheck(_Model):
    """The outcome of checking one URL once (or the last known outcome, when it was not re-checked)."""

    url: str
    status: Status
    http_status: int | None = None
    final_url: str | None = None
    redirect_chain: list[str] = Field(default_factory=list)
    content_type: str | None = None
    page_title: str | None = Field(None, description="<title> from at most the first max_body_bytes")
    error: str | None = Field(None, description="why the status is what it is, for anything but ok")
    elapsed_ms: int | None = None
    checked_at: datetime | None = None
    confirmed: bool = Field(True, description="for 'dead': failed often enough, far enough apart")
    archive_url: str | None = None
    archive_timestamp: str | None = Field(None, description="YYYYMMDDhhmmss of the Wayback snapshot")
    tried: list[str] = Field(default_factory=list, description="spellings tried, in order")
    archive_error: str | None = Field(None, description="why no snapshot is given, when one was looked up")
    last_ok_at: datetime | None = Field(None, description="latest check that found the page (ok/redirected)")
    cited_title: str | None = Field(None, description="title of the citation that cites this URL")
    title_score: float | None = Field(None, description="0-100 page/cited title similarity")
    possible_drift: bool | None = Field(None, description="title_score below the drift threshold")
    content_hash: str | None = None  # the page's main text is in the page store under this hash
    page_date: str | None = None
    archive_content_hash: str | None = None
    content_similarity: float | None = None
    content_changed: bool | None = None


class Evidence(StrEnum):
    """Whether the cited page holds what the claim took from it (``urlcheck.evidence`` decides)."""

    FOUND = "found"  # a quotation of the claim, or its figures with its key entities, are on the page
    PARTIAL = "partial"  # some of them are
    NOT_FOUND = "not_found"  # the page has text, and nothing of the claim is on it
    NOT_CHECKED = "not_checked"  # no page text: not fetched, offline, not HTML, paywalled, no snapshot


class SourceEvidence(_Model):
    """What one cited page (live, or its archived copy) holds of one claim."""

    claim_id: str
    url: str
    evidence: Evidence
    source: Literal["live", "archive"] | None = None
    score: float | None = Field(None, ge=0.0, le=1.0)
    snippet: str | None = Field(None, max_length=300)


class UrlCheckSet(_Model):
    doc_id: str
    sha256: str
    offline: bool = False
    note: str | None = None
    checks: list[UrlCheck] = Field(default_factory=list)
    history: list[UrlCheck] = Field(
        default_factory=list, description="every recorded check of this document's URLs, oldest first"
    )
    evidence: list[SourceEvidence] = Field(
        default_factory=list, description="per cited claim and URL: what the page holds of the claim"
    )


# ---------------------------------------------------------------------------------------------
# Dataset rows: one class per Parquet table in extracted/
# ---------------------------------------------------------------------------------------------


class DocumentRow(_Model):
    doc_id: str = Field(description="stable id from the file name under raw/ (the Dagster partition key)")
    source_path: str = Field(description="path of the file relative to raw/")
    sha256: str = Field(description="SHA-256 of the file's bytes")
    title: str | None = Field(description="document title, when one was found")
    pages: int = Field(description="pages read (0 for text files and unreadable PDFs)")
    status: DocumentStatus = Field(description="ok, degraded (read, but something is missing) or failed")
    error: str | None = Field(description="why the document is degraded or failed")
    error_code: str | None = Field(None, description="machine-readable kind of the error (errors.py)")
    kind: str = Field(description="pdf or txt")
    footnotes: int = Field(0, description="notes found")
    markers: int = Field(0, description="note markers found in the body")
    claims: int = Field(0, description="claim sentences extracted")
    warnings: list[str] = Field(default_factory=list, description="problems that did not stop the document")
    schema_version: str = Field(SCHEMA_VERSION, description="version of this contract that wrote the row")
    links_checked_at: datetime | None = Field(None, description="latest check of the document's links (UTC)")
    links_offline: bool | None = Field(None, description="the last link check did not use the network")


class CitationRow(_Model):
    doc_id: str = Field(description="the document (documents.doc_id)")
    footnote_number: int = Field(description="the note this citation is in")
    position: int = Field(description="0-based order of the citation within its note")
    raw_text: str = Field(description="the citation as printed")
    authors: list[str] = Field(description="author names (people or organisations)")
    title: str | None = Field(description="title of the cited work")
    container: str | None = Field(description="publication, journal, site or court the work appeared in")
    published: str | None = Field(description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    urls: list[str] = Field(description="repaired URLs of this citation")
    doi: str | None = Field(description="DOI, without the https://doi.org/ prefix")
    citation_id: str = Field(description="stable id: doc_id, note number and position")
    accessed: str | None = Field(None, description="ISO date the author accessed the source")
    kind: CitationKind | None = Field(None, description=_CITATION_KIND_HELP)
    refers_to: str | None = Field(None, description="citation_id of the full citation this one repeats")
    updated: str | None = Field(None, description="ISO date after 'last updated'")
    signal: str | None = Field(None, description="introductory signal as printed: See, See also, Cf. ...")
    volume: str | None = Field(None, description="volume of a reporter, journal or code (legal styles)")
    page: str | None = Field(None, description="first page in that volume")
    pinpoint: str | None = Field(None, description="the page(s) cited within the source")


class ClaimRow(_Model):
    claim_id: str = Field(description="stable across runs: from doc_id and the sentence's text")
    doc_id: str = Field(description="the document (documents.doc_id)")
    text: str = Field(description="the sentence, note markers removed")
    page: int = Field(description="page where the sentence starts")
    section: str | None = Field(description="heading of the section the sentence is in")
    footnote_numbers: list[int] = Field(description="notes the sentence's markers point to")
    cited: bool = Field(description="the sentence carries at least one note marker")
    checkworthy: float = Field(description="0-1 score from the listed reasons (uncited sentences)")
    reasons: list[str] = Field(description="why the sentence is worth checking: numbers, dates, quotes ...")
    paragraph: int = Field(0, description="0-based paragraph index within the body")
    sentence: int = Field(0, description="0-based sentence index within the body")
    speaker: str | None = Field(None, description="who is quoted, when spaCy finds the speaker")
    quote: str | None = Field(None, description="the quoted words, for attributed speech")


class EntityRow(_Model):
    doc_id: str = Field(description="the document (documents.doc_id)")
    claim_id: str = Field(description="the claim (claims.claim_id)")
    text: str = Field(description="the mention as it appears in the claim")
    label: str = Field(description="spaCy label: PERSON, ORG, GPE, DATE ...")
    start: int = Field(description="character offset of the mention in the claim text")
    end: int = Field(description="end offset (exclusive): claim.text[start:end] == text")
    entity_id: str | None = Field(
        None, description="the entity_index row of this mention (named entities only)"
    )
    canonical: str | None = Field(None, description="the entity's canonical text in entity_index")


class EntityIndexRow(_Model):
    """One named entity of a document, its obvious variants merged ("the U.S." / "U.S.")."""

    doc_id: str = Field(description="the document (documents.doc_id)")
    entity_id: str
    text: str = Field(description="canonical text: the commonest mention, without 'the' or possessive")
    label: str = Field(description="the commonest spaCy label of its mentions")
    mentions: int
    claim_ids: list[str] = Field(default_factory=list, description="claims that mention it, in order")
    variants: list[str] = Field(default_factory=list, description="every form it is mentioned in")
    labels: list[str] = Field(default_factory=list, description="every label spaCy gave its mentions")


class ClaimSourceRow(_Model):
    """One row per (cited claim, citation, URL): what a fact-checker opens first.

    A cited claim whose citations give no URL still has a row (``url`` null), and a footnote that
    was not found still has one (``citation_id`` null). Repeats (Ibid., supra, short forms) lead
    to the source they repeat: ``source_citation_id`` is that full citation, ``url`` its URL.
    ``url_status`` is null only when the URL has not been checked yet; 'unverified' means a check
    ran but could not decide (for instance offline), never that the link is dead.
    """

    doc_id: str = Field(description="the document (documents.doc_id)")
    claim_id: str = Field(description="the claim (claims.claim_id)")
    claim_text: str
    page: int
    footnote_number: int
    citation_id: str | None
    citation_position: int | None
    citation_kind: str | None
    source_citation_id: str | None = Field(description="the full citation whose source this row points at")
    citation_text: str | None
    authors: list[str] = Field(default_factory=list)
    title: str | None = None
    container: str | None = None
    published: str | None = None
    url: str | None = None
    url_status: str | None = None
    http_status: int | None = None
    final_url: str | None = None
    checked_at: datetime | None = None
    archive_url: str | None = None
    evidence: Evidence = Field(
        Evidence.NOT_CHECKED,
        description="found, partial, not_found (text, none of the claim), not_checked (no text)",
    )
    evidence_source: str | None = Field(
        None, description="the text looked at: live (the page now) or archive (its archived copy)"
    )
    evidence_score: float | None = Field(None, description="0-1: how much of the claim the page holds")
    evidence_snippet: str | None = Field(None, description="the best passage of the page (≤ 300 characters)")


class UrlCheckRow(_Model):
    url: str = Field(description="the cited URL (repaired)")
    status: Status = Field(description="ok, redirected, dead, blocked, unverified ... (see README)")
    http_status: int | None = Field(description="HTTP status of the last response")
    final_url: str | None = Field(description="where the redirects ended")
    checked_at: datetime | None = Field(description="when the status was found (UTC); null if never")
    error: str | None = Field(description="why the status is what it is, for anything but ok")
    page_title: str | None = Field(description="<title> of the page")
    archive_url: str | None = Field(description="Wayback Machine snapshot nearest the citing date")
    archive_timestamp: str | None = Field(None, description="YYYYMMDDhhmmss of the snapshot")
    confirmed: bool = Field(True, description="for 'dead': failed often enough, far enough apart")
    content_type: str | None = Field(None, description="Content-Type of the final response")
    redirect_chain: list[str] = Field(default_factory=list, description="every URL visited, in order")
    elapsed_ms: int | None = Field(None, description="time the check took")
    archive_error: str | None = Field(None, description="why no snapshot is given, when one was looked up")
    last_ok_at: datetime | None = Field(None, description="latest check that found the page")
    cited_title: str | None = Field(None, description="title of the citation that cites this URL")
    title_score: float | None = Field(None, description="0-100 similarity of page and cited titles")
    possible_drift: bool | None = Field(None, description="title_score below the drift threshold")
    content_hash: str | None = Field(None, description="SHA-256 of the page's main text")
    page_date: str | None = Field(None, description="the page's own date (ISO)")
    archive_content_hash: str | None = Field(None, description="SHA-256 of the archived snapshot's main text")
    content_similarity: float | None = Field(None, description="0-1 similarity of live and archived text")
    content_changed: bool | None = Field(None, description="content_similarity below the change threshold")


class UrlHistoryRow(_Model):
    """One check of one URL. Append-only: ``url_checks`` is the latest row per URL."""

    url: str
    checked_at: datetime
    status: Status
    http_status: int | None = None
    final_url: str | None = None
    page_title: str | None = None
    error: str | None = None
    confirmed: bool = True
    elapsed_ms: int | None = None


class IssueRow(_Model):
    doc_id: str = Field(description="the document (documents.doc_id)")
    kind: str = Field(description="marker_without_note, note_without_marker, gap, duplicate_note ...")
    number: int = Field(description="the note number concerned")
    detail: str = Field(description="what was seen")


#: table name -> row model; the dataset writer and the schema generator both read this.
TABLES: dict[str, type[BaseModel]] = {
    "documents": DocumentRow,
    "footnotes": FootnoteRow,
    "citations": CitationRow,
    "claims": ClaimRow,
    "entities": EntityRow,
    "url_checks": UrlCheckRow,
    "issues": IssueRow,
    "url_history": UrlHistoryRow,
    "claim_sources": ClaimSourceRow,
    "entity_index": EntityIndexRow,
}
