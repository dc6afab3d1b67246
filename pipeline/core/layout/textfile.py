"""Text files: bytes -> text (UTF-8, else a detected encoding) -> one page per form feed.

A ``.txt`` document has no layout to read: each line is a ``Line`` with only its text, and the
first non-blank line is the title. The work is in the decoding, since "plain text" arrives as
UTF-8, UTF-16 from Windows, cp1252 and worse; each fallback leaves a warning on the record.
"""

from __future__ import annotations

import codecs

from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.models import DocumentStatus, Line, PageLayout, ParsedDocument


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode bytes as UTF-8, else detect the encoding. Returns (text, warning)."""
    utf16 = _utf16_codec(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), f"text decoded as {utf16.removesuffix('-sig')} (not UTF-8)"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    western = _western_text(data)
    if western is not None:
        return western, "text decoded as cp1252 (not UTF-8)"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DocumentError(
            DocumentErrorCode.ENCODING,
            "the text is not UTF-8 and its encoding could not be detected; re-save it as UTF-8",
        )
    return str(best), f"text decoded as {best.encoding} (not UTF-8)"


def _utf16_codec(data: bytes) -> str | None:
    """UTF-32/UTF-16 (Windows "Unicode" text), by byte-order mark or by the NUL bytes of ASCII.

    Such files are valid UTF-8 when mostly ASCII (NUL is a valid byte), so they are tried first.
    """
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return codec
    sample = data[:4096]
    if len(sample) >= 16 and sample.count(0) >= len(sample) // 3:
        if sample[1::2].count(0) > 0.6 * len(sample[1::2]):
            return "utf-16-le"
        if sample[0::2].count(0) > 0.6 * len(sample[0::2]):
            return "utf-16-be"
    return None


def _western_text(data: bytes) -> str | None:
    """cp1252 text, if the bytes read as Western European prose (accented letters are rare).

    Detectors often take short Latin-1 text for a Baltic or Central European code page. Text in
    another single-byte script (Cyrillic as cp1251, say) also decodes as cp1252, but then most
    letters are non-ASCII, which is how the two are told apart.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or any("\x80" <= ch <= "\x9f" for ch in text):
        return None
    high = sum(1 for ch in letters if ord(ch) > 127)
    return text if high / len(letters) < 0.3 else None


def read_text(data: bytes, *, doc_id: str, source_path: str, sha256: str) -> ParsedDocument:
    """A text file as pages (split at form feeds) of lines; its first non-blank line is the title."""
    text, warning = decode_text(data)
    if "\x00" in text[:4096]:
        raise DocumentError(DocumentErrorCode.UNSUPPORTED, "the .txt file looks binary (NUL bytes)")
    pages: list[PageLayout] = []
    for number, page_text in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\f"), 1):
        lines = [Line(page=number, text=raw.rstrip()) for raw in page_text.split("\n")]
        pages.append(PageLayout(number=number, lines=lines))
    title = next((ln.text.strip() for p in pages for ln in p.lines if ln.text.strip()), None)
    status = DocumentStatus.OK
    if not text.strip():
        raise DocumentError(DocumentErrorCode.NO_TEXT, "the text file holds only whitespace")
    return ParsedDocument(
        doc_id=doc_id,
        source_path=source_path,
        sha256=sha256,
        kind="txt",
        title=title,
        pages=len(pages),
        status=status,
        warnings=[warning] if warning else [],
        layout=pages,
    )
