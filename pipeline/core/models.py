"""The one contract: every record that moves between steps or lands in ``extracted/``.

Two kinds of model live here:

* step records (``ParsedDocument``, ``NoteSplit``, ``CitationSet``, ``ClaimSet``, ``UrlCheckSet``):
  what one step hands to the next for one document;
* table rows (``*Row``): one class per Parquet table of the dataset. Their field order is the
  column order, and ``extracted/schema/<table>.json`` is generated from them.

Bump ``SCHEMA_VERSION`` when a table row changes: major for removals/renames, minor for additions.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.2.0"


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


class ParagraphKind(StrEnum):
    TITLE = "title"
    HEADING = "heading"
    BODY = "body"
    CAPTION = "caption"
    OTHER = "other"  # author boxes, bylines, front matter


# ---------------------------------------------------------------------------------------------
# Layout: pdfplumber (or a text file) -> positioned lines
# ---------------------------------------------------------------------------------------------


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

    @property
    def markers(self) -> list[Marker]:
        return [m for p in self.paragraphs for m in p.markers]


# ---------------------------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------------------------


CITATION_KINDS = (
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
    kind: str | None = Field(None, description=CITATION_KINDS)
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


class UrlCheckSet(_Model):
    doc_id: str
    sha256: str
    offline: bool = False
    note: str | None = None
    checks: list[UrlCheck] = Field(default_factory=list)
    history: list[UrlCheck] = Field(
        default_factory=list, description="every recorded check of this document's URLs, oldest first"
    )


# ---------------------------------------------------------------------------------------------
# Dataset rows: one class per Parquet table in extracted/
# ---------------------------------------------------------------------------------------------


class DocumentRow(_Model):
    doc_id: str
    source_path: str
    sha256: str
    title: str | None
    pages: int
    status: DocumentStatus
    error: str | None
    error_code: str | None = None
    kind: str
    footnotes: int = 0
    markers: int = 0
    claims: int = 0
    warnings: list[str] = Field(default_factory=list)
    schema_version: str = SCHEMA_VERSION


class FootnoteRow(_Model):
    doc_id: str
    number: int
    text: str
    page: int
    urls: list[str]
    raw_urls: list[str] = Field(default_factory=list)
    url_alternatives: list[str] = Field(default_factory=list)
    has_marker: bool = False


class CitationRow(_Model):
    doc_id: str
    footnote_number: int
    position: int
    raw_text: str
    authors: list[str]
    title: str | None
    container: str | None
    published: str | None
    urls: list[str]
    doi: str | None
    citation_id: str
    accessed: str | None = None
    kind: str | None = Field(None, description=CITATION_KINDS)
    refers_to: str | None = Field(None, description="citation_id of the full citation this one repeats")
    updated: str | None = None
    signal: str | None = None
    volume: str | None = None
    page: str | None = None
    pinpoint: str | None = None


class ClaimRow(_Model):
    claim_id: str
    doc_id: str
    text: str
    page: int
    section: str | None
    footnote_numbers: list[int]
    cited: bool
    checkworthy: float
    reasons: list[str]
    paragraph: int = 0
    sentence: int = 0
    speaker: str | None = None
    quote: str | None = None


class EntityRow(_Model):
    doc_id: str
    claim_id: str
    text: str
    label: str
    start: int
    end: int
    entity_id: str | None = Field(
        None, description="the entity_index row of this mention (named entities only)"
    )
    canonical: str | None = Field(None, description="the entity's canonical text in entity_index")


class EntityIndexRow(_Model):
    """One named entity of a document, its obvious variants merged ("the U.S." / "U.S.")."""

    doc_id: str
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

    doc_id: str
    claim_id: str
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


class UrlCheckRow(_Model):
    url: str
    status: Status
    http_status: int | None
    final_url: str | None
    checked_at: datetime | None
    error: str | None
    page_title: str | None
    archive_url: str | None
    archive_timestamp: str | None = None
    confirmed: bool = True
    content_type: str | None = None
    redirect_chain: list[str] = Field(default_factory=list)
    elapsed_ms: int | None = None
    archive_error: str | None = None
    last_ok_at: datetime | None = None
    cited_title: str | None = None
    title_score: float | None = None
    possible_drift: bool | None = None


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
    doc_id: str
    kind: str
    number: int
    detail: str


#: table name -> row model; the dataset writer and the schema generator both read this.
TABLES: dict[str, type[_Model]] = {
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
