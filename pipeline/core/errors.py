"""A shallow exception tree (in the manner of httpx).

Low-level library errors (pdfminer, OS, codecs) are mapped to these in one place per step,
so callers only ever catch ``PipelineError`` subclasses and every message is meant for a user.
"""

from __future__ import annotations

import re
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


# ---------------------------------------------------------------------------------------------
# Messages a person understands: internals of the libraries mapped to sentences, in one place
# ---------------------------------------------------------------------------------------------

#: an exception's name ("TypeError: ...", "(RecursionError: ...)"), where its internals begin
_INTERNAL = re.compile(r"\s*[(:;,-]?\s*\(?\b(?P<name>[A-Z]\w*(?:Error|Exception))\b(?P<detail>.*)$", re.S)
#: library phrases worth a sentence of their own, before the generic one by exception name
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"No /Root object", re.I), "it has no document catalogue (/Root)"),
    (re.compile(r"maximum recursion depth", re.I), "its objects refer to each other in a loop"),
)
#: messages of HTTP libraries that say only "the connection failed", with a pool's repr around it
_CONNECTION = re.compile(
    r"Max retries exceeded|Failed to establish a new connection|NewConnectionError|failed to connect to"
)
_BY_NAME = {
    "RecursionError": "its objects refer to each other in a loop",
    "MemoryError": "it needs more memory than is allowed",
    "UnicodeDecodeError": "its text is in an encoding that could not be read",
    "TimeoutError": "it took too long",
    "KeyError": "an entry it needs is missing",
}
#: what a library's own object looks like when it is printed: reprs, bytes, dictionaries
_REPR = re.compile(r"<[A-Za-z_.]+ [^>]*>|\bb'[^']*'|\{[^{}]*[:'][^{}]*\}|\w+\(host='[^']*'[^)]*\)|\bNone: ")


#: an exception's words that are about Python objects, not about the document
_JUNK = re.compile(r"NoneType|object is not|'\w+' object|\bb'|[{}<>]|PDFObjRef|\bNone\b|0x[0-9a-f]+|/'")


def plain_message(text: str) -> str:
    """``text`` without Python internals: an exception's name and repr become a short sentence.

    "the PDF is corrupt: its pages could not be set up (TypeError: 'NoneType' object is not
    iterable)" -> "the PDF is corrupt: its pages could not be set up (an object of the wrong kind
    where another was expected)". The full text belongs in the log, not in the dataset.
    """
    if _CONNECTION.search(text):
        host, port = re.search(r"host='([^']*)'", text), re.search(r"port=(\d+)", text)
        where = f" to {host[1]}" + (f":{port[1]}" if port else "") if host else ""
        errno = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
        return f"the connection{where} failed" + (f" ({errno[1].strip().lower()})" if errno else "")
    match = _INTERNAL.search(text)
    if match is None:
        cleaned = _REPR.sub("", text).strip(" :;,")
        return cleaned or "an unexpected error (details in the run log)"
    head, name, detail = text[: match.start()].rstrip(" :;,("), match["name"], match["detail"]
    sentence = next((s for rx, s in _PHRASES if rx.search(detail) or rx.search(name)), None)
    said = detail.strip().lstrip(":").strip().rstrip(")").strip()
    sentence = sentence or _BY_NAME.get(name)
    if not sentence and said and not _JUNK.search(said):
        sentence = said  # the exception's own words are a sentence: keep them
    sentence = sentence or "an object of the wrong kind where another was expected"
    head = _REPR.sub("", head).strip(" :;,")
    if not head:
        return sentence
    return f"{head}: {sentence}" if head.endswith(")") else f"{head} ({sentence})"
