"""A shallow exception tree (in the manner of httpx).

Low-level library errors (pdfminer, OS, codecs) are mapped to these in one place per step,
so callers only ever catch ``PipelineError`` subclasses and every message is meant for a user.
"""

from __future__ import annotations

from enum import StrEnum


class PipelineError(Exception):
    """Base of every error this package raises on purpose."""


class SettingsError(PipelineError):
    """A setting is missing or invalid."""


class DocumentErrorCode(StrEnum):
    """Why a document could not be (fully) read. Stable values: they land in the dataset."""

    # the file itself: reading it again gives the same answer
    EMPTY_FILE = "empty_file"
    NOT_PDF = "not_pdf"
    CORRUPT = "corrupt"
    TRUNCATED = "truncated"
    ENCRYPTED = "encrypted"
    NO_TEXT = "no_text"
    ENCODING = "encoding"
    UNSUPPORTED = "unsupported"
    UNREADABLE = "unreadable"
    # the entry of raw/ is not read at all (sources.source_problem)
    NOT_A_FILE = "not_a_file"
    OUTSIDE_RAW = "symlink_outside_raw"
    BROKEN_LINK = "broken_link"
    # read, but nothing was left to work on (the footnotes step's verdict)
    ONLY_FURNITURE = "only_page_furniture"
    NO_BODY_TEXT = "no_body_text"
    MARKERS_WITHOUT_NOTES = "markers_without_notes"
    # degraded, not failed: the document is processed with what could be read
    TOO_MANY_PAGES = "too_many_pages"
    PAGES_WITHOUT_TEXT = "pages_without_text"
    # the parser process: worth retrying on the next run
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    PARSER_CRASHED = "parser_crashed"
    INTERNAL = "internal_error"


#: failures that say nothing final about the file; the next run tries such a document again
RETRYABLE_CODES = frozenset(
    {DocumentErrorCode.TIMEOUT, DocumentErrorCode.PARSER_CRASHED, DocumentErrorCode.INTERNAL}
)


class DocumentError(PipelineError):
    """A document could not be read. ``code`` says why; the message says what to do."""

    def __init__(self, code: DocumentErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code.value}: {self.message}"


class DatasetError(PipelineError):
    """The dataset could not be written or read back."""
