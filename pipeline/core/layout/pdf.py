"""PDF files: open with pdfplumber, read each page's words, links and rules, say what went wrong.

Opening failures of every kind (not a PDF, encrypted, truncated, corrupt) become a
``DocumentError`` with a specific code in one place (``_open_error``); a page that cannot be read
is kept empty with a warning, so one bad page does not lose the document. A readable PDF that was
only partly read is ``degraded``, with the reasons listed (``pdf_problems``).

Words come from pdfplumber (upright text only: rotated margin stamps are not read), link
annotations are read directly from the page's annotation objects and attached to the words that
print them (``links``), and short horizontal strokes are kept as rules (a footnote separator). The
words then go to ``reading_order`` and the pages to ``furniture``.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.layout.furniture import body_size, drop_running_lines, title_from_layout
from pipeline.core.layout.links import attach_links
from pipeline.core.layout.ocr import is_ocr_page
from pipeline.core.layout.reading_order import Word, lines_in_reading_order
from pipeline.core.models import DocumentStatus, PageLayout, ParsedDocument, Rule


def open_pdf(path: Path, data: bytes, password: str | None) -> Any:
    """Open with pdfplumber, mapping every low-level failure to a ``DocumentError``.

    ``data`` (the bytes that were hashed) is parsed, not the file again, so the record always
    describes the content its sha256 names.
    """
    import pdfplumber

    head = data[:1024]
    if b"%PDF-" not in head:
        kind = "HTML" if b"<html" in head.lower() else "text" if _looks_textual(head) else "binary data"
        raise DocumentError(DocumentErrorCode.NOT_PDF, f"not a PDF: the file starts like {kind}, not '%PDF-'")
    # The empty password first: PDFs with only an owner password (print/copy restrictions)
    # open with it, and pdfminer does not fall back to it when given another password.
    candidates = ["", password] if password else [""]
    for attempt, candidate in enumerate(candidates, 1):
        try:
            pdf = pdfplumber.open(io.BytesIO(data), password=candidate)
            break
        except Exception as exc:
            error = _open_error(exc, data, password)
            if error.code != DocumentErrorCode.ENCRYPTED or attempt == len(candidates):
                raise error from exc
    try:
        pages = pdf.pages  # forces the page tree, where truncation and encryption surface
    except Exception as exc:
        _close_quietly(pdf)
        raise _open_error(exc, data, password) from exc
    if not pages:
        _close_quietly(pdf)
        if is_truncated(data):
            raise DocumentError(
                DocumentErrorCode.TRUNCATED, "the PDF is truncated (no %%EOF marker): no page could be found"
            )
        raise DocumentError(DocumentErrorCode.CORRUPT, "the PDF is corrupt: its page tree holds no pages")
    return pdf


def _close_quietly(pdf: Any) -> None:
    """``pdf.close()`` walks the page tree again, so on a broken tree it raises the same error."""
    with contextlib.suppress(Exception):
        pdf.close()


def _open_error(exc: Exception, data: bytes, password: str | None) -> DocumentError:
    """The one place where pdfminer's and pdfplumber's opening errors become document errors."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    cause: BaseException = exc.__cause__ or exc.__context__ or exc
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else cause
    if isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError) or isinstance(exc, PDFPasswordIncorrect):
        hint = "the password setting is wrong" if password else "set PIPELINE_PDF_PASSWORD"
        return DocumentError(DocumentErrorCode.ENCRYPTED, f"the PDF is encrypted ({hint})")
    if is_truncated(data):
        return DocumentError(
            DocumentErrorCode.TRUNCATED, f"the PDF is truncated (no %%EOF marker): {_describe(inner)}"
        )
    if isinstance(inner, MemoryError) or isinstance(exc, MemoryError):
        return DocumentError(
            DocumentErrorCode.UNREADABLE, "the PDF needs more memory to open than is available"
        )
    if isinstance(inner, PDFSyntaxError | PSException | PdfminerException):
        return DocumentError(DocumentErrorCode.CORRUPT, f"the PDF is corrupt: {_describe(inner)}")
    # pdfplumber raises plain TypeErrors and the like on malformed page dictionaries
    return DocumentError(
        DocumentErrorCode.CORRUPT, f"the PDF is corrupt: its pages could not be set up ({_describe(inner)})"
    )


def is_truncated(data: bytes) -> bool:
    """No ``%%EOF`` near the end (padding ignored): the file was cut off in transfer or writing."""
    return b"%%EOF" not in data.rstrip(b"\x00\x1a \t\r\n")[-2048:]


def pdf_problems(
    data: bytes,
    pages: Sequence[PageLayout],
    total: int,
    max_pages: int,
    ink: Mapping[int, str] | None = None,
) -> list[tuple[DocumentErrorCode, str]]:
    """Why a readable PDF was only partly read; each problem makes the document ``degraded``.

    ``ink`` says what a page without text holds (``page_ink``): a page with no ink at all is
    blank on purpose (the back of a title page) and no problem; an image is a scan whose text
    was not read.
    """
    ink = ink or {}
    problems: list[tuple[DocumentErrorCode, str]] = []
    if is_truncated(data):  # first: content may be missing anywhere
        problems.append(
            (
                DocumentErrorCode.TRUNCATED,
                "the PDF is truncated (no %%EOF marker); what could be read was kept",
            )
        )
    if total > max_pages:
        problems.append(
            (
                DocumentErrorCode.TOO_MANY_PAGES,
                f"page limit: read {max_pages} of {total} pages (setting PIPELINE_MAX_PAGES)",
            )
        )
    empty = [p.number for p in pages if not p.lines and ink.get(p.number) != "none"]
    if empty:
        images = [n for n in empty if ink.get(n) == "image"]
        why = (
            "image only (scanned; OCR is not supported)"
            if len(images) == len(empty)
            else "image-only or unreadable (OCR is not supported)"
        )
        if images and len(images) < len(empty):
            why += f"; image-only: page(s) {_ranges(images)}"
        problems.append(
            (
                DocumentErrorCode.PAGES_WITHOUT_TEXT,
                f"no text on page(s) {_ranges(empty)} of {len(pages)}: {why}",
            )
        )
    return problems


def page_ink(page: Any) -> str:
    """What a page holds besides words: "image", "drawing", "text" (characters that gave no
    upright words) or "none" (no ink at all: white fills and an empty page are blank)."""
    if page.chars:
        return "text"
    if page.images:
        return "image"
    for obj in [*page.rects, *page.lines, *page.curves]:
        if obj.get("stroke") or (obj.get("fill") and not _white(obj.get("non_stroking_color"))):
            return "drawing"
    return "none"


def _white(color: object) -> bool:
    """Is a fill colour white (gray 1, RGB 1,1,1 or CMYK 0,0,0,0)?"""
    values = list(color) if isinstance(color, list | tuple) else [color]
    if not values or not all(isinstance(v, int | float) for v in values):
        return False
    return all(v >= 0.99 for v in values) if len(values) in (1, 3) else all(v <= 0.01 for v in values)


def no_text_error(data: bytes, pages: int, unreadable: Sequence[int]) -> DocumentError:
    """The error for a PDF where no page gave any text, naming the likeliest reason."""
    if is_truncated(data):
        return DocumentError(
            DocumentErrorCode.TRUNCATED,
            f"the PDF is truncated (no %%EOF marker): no text on its {pages} page(s)",
        )
    if len(unreadable) == pages:
        return DocumentError(
            DocumentErrorCode.CORRUPT, f"the PDF is corrupt: none of its {pages} page(s) could be read"
        )
    return DocumentError(
        DocumentErrorCode.NO_TEXT,
        f"no text layer on any of {pages} page(s): the PDF is image-only (scanned) or blank; "
        "OCR is not supported",
    )


def _describe(exc: BaseException | object) -> str:
    if isinstance(exc, BaseException):
        text = str(exc) or exc.__class__.__name__
        return f"{exc.__class__.__name__}: {text}" if text != exc.__class__.__name__ else text
    return str(exc)


def _looks_textual(head: bytes) -> bool:
    return bool(head) and sum(32 <= b < 127 or b in (9, 10, 13) for b in head) / len(head) > 0.9


def read_pdf(
    path: Path,
    data: bytes,
    *,
    doc_id: str,
    source_path: str,
    sha256: str,
    max_pages: int,
    password: str | None,
) -> ParsedDocument:
    """Every page's lines in reading order, running lines dropped; a page that fails is kept empty."""
    pdf = open_pdf(path, data, password)
    warnings: list[str] = []
    try:
        total = len(pdf.pages)
        if total == 0:
            raise DocumentError(DocumentErrorCode.CORRUPT, "the PDF has no pages")
        pages: list[PageLayout] = []
        unreadable: list[int] = []
        ink: dict[int, str] = {}
        for page in pdf.pages[:max_pages]:
            try:
                pages.append(_read_page(page, warnings))
                if not pages[-1].lines:
                    ink[page.page_number] = page_ink(page)
            except DocumentError:
                raise
            except Exception as exc:  # one bad page must not lose the document
                unreadable.append(page.page_number)
                warnings.append(f"page {page.page_number}: could not be read ({_describe(exc)})")
                pages.append(
                    PageLayout(number=page.page_number, width=float(page.width), height=float(page.height))
                )
            finally:
                page.close()  # pdfplumber caches layout objects per page; release them
        metadata_title = _clean_title(pdf.metadata.get("Title"))
    finally:
        pdf.close()

    if not any(p.lines for p in pages):
        raise no_text_error(data, len(pages), unreadable)
    problems = pdf_problems(data, pages, total, max_pages, ink)
    warnings += [message for _, message in problems]

    drop_running_lines(pages)
    size = body_size(pages)
    title = metadata_title or title_from_layout(pages, size)
    return ParsedDocument(
        doc_id=doc_id,
        source_path=source_path,
        sha256=sha256,
        kind="pdf",
        title=title,
        pages=total,
        status=DocumentStatus.DEGRADED if problems else DocumentStatus.OK,
        error="; ".join(message for _, message in problems) or None,
        error_code=problems[0][0].value if problems else None,
        warnings=warnings,
        body_size=size,
        layout=pages,
    )


def _clean_title(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = value.strip()
    # Word and Acrobat often leave file names or "Microsoft Word - x.docx" as the title, and
    # sometimes a fragment ("Peter W") or a slug ("twelve.tables"): the layout knows better.
    if not value or re.search(r"\.(docx?|pdf|indd|tex)$|^Microsoft Word|^untitled", value, re.I):
        return None
    if " " not in value or len(value) < 10:
        return None
    return value


def _ranges(numbers: Sequence[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def _in_reading_orientation(page: Any) -> Any:
    """The page as its text reads: a /Rotate 90 or 270 page whose words all lie sideways, a
    /Rotate 180 page whose glyphs stand upside down.

    Turning a page only for display leaves its text sideways (or upside down) in the turned
    frame, where none of it is upright (or each glyph is turned over); read in the frame it
    was written in, the text is upright again. A page whose text was drawn turned to read
    upright on display is left as it is.
    """
    if page.rotation not in (90, 180, 270):
        return page
    chars = page.chars
    if not chars:
        return page
    if page.rotation == 180:
        if not _upside_down(chars):
            return page
    elif sum(bool(c.get("upright", True)) for c in chars) > 0.2 * len(chars):
        return page
    from pdfplumber.page import Page  # imported where used, like pdfplumber in open_pdf

    obj = page.page_obj
    obj.attrs = {**obj.attrs, "Rotate": 0}
    obj.rotate = 0
    return Page(page.pdf, obj, page_number=page.page_number, initial_doctop=page.initial_doctop)


def _upside_down(chars: Sequence[dict[str, Any]]) -> bool:
    """Are most glyphs drawn upside down in the displayed frame (a text matrix turned 180°)?

    The glyphs' own matrix says so, whatever the script's direction (right-to-left text runs
    backwards too, but stands upright).
    """
    turned = sum(1 for c in chars if len(m := c.get("matrix") or ()) >= 4 and m[0] < 0 and m[3] < 0)
    return turned > 0.8 * len(chars)


def _read_page(page: Any, warnings: list[str]) -> PageLayout:
    page = _in_reading_orientation(page)
    raw = page.extract_words(
        extra_attrs=["size", "fontname"],
        keep_blank_chars=False,
        use_text_flow=False,
        x_tolerance=1.5,
    )
    links = _page_links(page, warnings)
    words = []
    for w in raw:
        if not w.get("upright", True):
            continue  # rotated margin text (repository stamps, line numbers) is not read
        font = w.get("fontname", "")
        words.append(
            Word(
                text=w["text"],
                x0=float(w["x0"]),
                x1=float(w["x1"]),
                top=float(w["top"]),
                bottom=float(w["bottom"]),
                size=round(float(w["size"]), 2),
                font=font,
                italic=bool(re.search(r"Italic|Oblique|-It\b|It$", font)),
                bold=bool(re.search(r"Bold|Black|Heavy|Semibold", font)),
            )
        )
    if links:
        attach_links(words, links)
    lines = lines_in_reading_order(words, page.page_number, scanned=bool(words) and is_ocr_page(page))
    rules = _page_rules(page)
    return PageLayout(
        number=page.page_number,
        width=float(page.width),
        height=float(page.height),
        lines=lines,
        rules=rules,
    )


def _page_links(page: Any, warnings: list[str]) -> list[tuple[float, float, float, float, str]]:
    """(x0, top, x1, bottom, uri) of the page's URI link annotations.

    Read directly, one object at a time: pdfplumber's ``page.hyperlinks`` resolves every object
    an annotation points to, which is slow and recurses forever on some files (a CRS report's
    annotations point back at their page tree).
    """
    from pdfminer.pdftypes import resolve1

    try:
        annots = resolve1(page.page_obj.annots) or []
        out = []
        for ref in annots if isinstance(annots, list) else []:
            annot = resolve1(ref)
            if not isinstance(annot, dict) or _pdf_name(resolve1(annot.get("Subtype"))) != "Link":
                continue
            action = resolve1(annot.get("A"))
            uri = resolve1(action.get("URI")) if isinstance(action, dict) else None
            if isinstance(uri, bytes):
                uri = _decode_pdf_string(uri)
            if not isinstance(uri, str) or not uri.strip():
                continue
            rect = [float(resolve1(v)) for v in resolve1(annot.get("Rect"))]
            x0, top, x1, bottom = _annotation_box(page, rect)
            out.append((x0, top, x1, bottom, uri.strip()))
        return out
    except Exception as exc:  # malformed annotation objects lose the links, not the page
        warnings.append(f"page {page.page_number}: link annotations unreadable ({_describe(exc)})")
        return []


def _pdf_name(value: object) -> str:
    return str(getattr(value, "name", value) or "")


def _decode_pdf_string(raw: bytes) -> str:
    if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        return raw.decode("utf-16", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _annotation_box(page: Any, rect: list[float]) -> tuple[float, float, float, float]:
    """An annotation rectangle in page coordinates (top-down), as pdfplumber places chars."""
    a, b, c, d = rect

    def rotate(x: float, y: float) -> tuple[float, float]:
        for i in range(page.rotation // 90):
            comp = page.width if i == (page.rotation // 90) % 2 else page.height
            x, y = y, comp - x
        return x, y

    (x0, y0), (x1, y1) = rotate(a, b), rotate(c, d)
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    height = float(page.height)
    return x0, height - y1, x1, height - y0


def _page_rules(page: Any) -> list[Rule]:
    rules = []
    for obj in [*page.lines, *page.rects]:
        height = abs(float(obj["bottom"]) - float(obj["top"]))
        width = float(obj["x1"]) - float(obj["x0"])
        if height <= 2.0 and width >= 20:
            rules.append(
                Rule(page=page.page_number, x0=float(obj["x0"]), x1=float(obj["x1"]), top=float(obj["top"]))
            )
    return sorted(rules, key=lambda r: r.top)
