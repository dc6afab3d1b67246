"""Layout: a PDF (via pdfplumber) or a text file -> lines in reading order, with evidence.

Columns come from a recursive XY-cut over word boxes; each line keeps its font size, the
character ranges that are raised and smaller (superscripts), italic runs and link annotations.
Running headers, footers and page numbers are dropped here, so later steps see content only.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import hashlib
import io
import itertools
import multiprocessing
import multiprocessing.context
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.models import (
    MARGIN_BAND,
    DocumentStatus,
    Line,
    LinkSpan,
    PageLayout,
    ParsedDocument,
    Rule,
    Span,
)

#: A vertical gap narrower than this (points) is a word space, not a column gutter.
MIN_GUTTER = 7.0
#: Each side of a column cut must be at least this wide (points): hanging note labels are not columns.
MIN_COLUMN_WIDTH = 60.0

_PAGE_NUMBER = re.compile(
    r"^\W*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$|^\W*[ivxlc]{1,6}\W*$", re.IGNORECASE
)


def parse_document(
    path: Path,
    *,
    doc_id: str,
    source_path: str | None = None,
    max_pages: int = 500,
    password: str | None = None,
) -> ParsedDocument:
    """Read one document. Raises ``DocumentError`` with a specific code when it cannot."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    source = source_path or path.name
    suffix = path.suffix.lower()
    if not data:
        raise DocumentError(DocumentErrorCode.EMPTY_FILE, "the file is empty (0 bytes)")
    if suffix == ".txt":
        return read_text(data, doc_id=doc_id, source_path=source, sha256=sha)
    if suffix == ".pdf":
        return read_pdf(
            path, data, doc_id=doc_id, source_path=source, sha256=sha, max_pages=max_pages, password=password
        )
    raise DocumentError(DocumentErrorCode.UNSUPPORTED, f"unsupported file type {suffix!r}; use .pdf or .txt")


# ---------------------------------------------------------------------------------------------
# Text files
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# PDF files
# ---------------------------------------------------------------------------------------------


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    italic: bool
    bold: bool
    uri: str | None = None
    dropcap: bool = False

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Line:
    words: list[_Word] = field(default_factory=list)
    column: int = 0
    top: float = 0.0  # kept up to date by ``add``: grouping asks for them once per word and line
    bottom: float = 0.0

    @classmethod
    def of(cls, w: _Word) -> _Line:
        return cls(words=[w], top=w.top, bottom=w.bottom)

    def add(self, w: _Word) -> None:
        self.words.append(w)
        self.top = min(self.top, w.top)
        self.bottom = max(self.bottom, w.bottom)


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
    data: bytes, pages: Sequence[PageLayout], total: int, max_pages: int
) -> list[tuple[DocumentErrorCode, str]]:
    """Why a readable PDF was only partly read; each problem makes the document ``degraded``."""
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
    empty = [p.number for p in pages if not p.lines]
    if empty:
        problems.append(
            (
                DocumentErrorCode.PAGES_WITHOUT_TEXT,
                f"no text on page(s) {_ranges(empty)} of {len(pages)}: image-only or unreadable "
                "(OCR is not supported)",
            )
        )
    return problems


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
    pdf = open_pdf(path, data, password)
    warnings: list[str] = []
    try:
        total = len(pdf.pages)
        if total == 0:
            raise DocumentError(DocumentErrorCode.CORRUPT, "the PDF has no pages")
        pages: list[PageLayout] = []
        unreadable: list[int] = []
        for page in pdf.pages[:max_pages]:
            try:
                pages.append(_read_page(page, warnings))
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
    problems = pdf_problems(data, pages, total, max_pages)
    warnings += [message for _, message in problems]

    drop_running_lines(pages)
    body_size = _body_size(pages)
    title = metadata_title or _title_from_layout(pages, body_size)
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
        body_size=body_size,
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


def _read_page(page: Any, warnings: list[str]) -> PageLayout:
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
            _Word(
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
        for w in words:
            cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
            for x0, top, x1, bottom, uri in links:
                if x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1:
                    w.uri = uri
                    break
    lines: list[Line] = []
    for column, group in _xy_cut(words):
        for ln in _group_lines(group):
            ln.column = column
            lines.append(_to_line(ln, page.page_number))
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


# --- reading order --------------------------------------------------------------------------


def _intervals(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _xy_cut(words: list[_Word], depth: int = 0) -> list[tuple[int, list[_Word]]]:
    """Split words into blocks in reading order; returns (column, words) pairs.

    A vertical cut (a gutter) is preferred when one exists with enough on both sides;
    otherwise the block is cut at a horizontal gap (see ``_horizontal_cut``). Classic XY-cut.
    """
    if len(words) < 4 or depth > 24:
        return [(0, words)]
    vertical = _best_vertical_gap(words)
    if vertical is not None:
        left = [w for w in words if (w.x0 + w.x1) / 2 < vertical]
        right = [w for w in words if (w.x0 + w.x1) / 2 >= vertical]
        out = _xy_cut(left, depth + 1)
        shift = max(c for c, _ in out) + 1
        out += [(c + shift, g) for c, g in _xy_cut(right, depth + 1)]
        return out
    y_spans = _intervals((w.top, w.bottom) for w in words)
    gaps = [(b2 - a1 - 0.0, a1, b2) for (_, a1), (b2, _) in itertools.pairwise(y_spans)]
    if not gaps:
        return [(0, words)]
    line_height = statistics.median(w.height for w in words)
    cut = _horizontal_cut(words, gaps, line_height)
    if cut is None:
        return [(0, words)]
    top, bottom = cut
    return _xy_cut(top, depth + 1) + _xy_cut(bottom, depth + 1)


def _split_at(words: list[_Word], y: float) -> tuple[list[_Word], list[_Word]]:
    return [w for w in words if w.bottom <= y], [w for w in words if w.bottom > y]


def _horizontal_cut(
    words: list[_Word], gaps: list[tuple[float, float, float]], line_height: float
) -> tuple[list[_Word], list[_Word]] | None:
    """Cut a block that has no gutter (something spans it) at a horizontal gap.

    The widest gap wider than ordinary leading is the usual cut. But when columns continue on
    both sides of it (paragraph gaps that line up across columns under a full-width title),
    cutting there would read the tops of all columns before their bottoms; then the cut that
    peels the spanning part off (the highest gap with no columns above it, or the lowest with
    none below) is taken instead.
    """
    wide = sorted((g for g in gaps if g[0] >= 0.6 * line_height), key=lambda g: g[1])
    if not wide:
        return None
    _, a, b = max(wide)
    top, bottom = _split_at(words, (a + b) / 2)
    # Columns run across the cut when the lines just above and just below it both have a gutter.
    reach = 4 * line_height
    near_above = [w for w in top if w.bottom >= a - reach]
    near_below = [w for w in bottom if w.top <= b + reach]
    if _best_vertical_gap(near_above) is None or _best_vertical_gap(near_below) is None:
        return top, bottom
    for _, a, b in wide[:4]:
        above, below = _split_at(words, (a + b) / 2)
        if _best_vertical_gap(above) is None and _best_vertical_gap(below) is not None:
            return above, below
    for _, a, b in reversed(wide[-4:]):
        above, below = _split_at(words, (a + b) / 2)
        if _best_vertical_gap(below) is None and _best_vertical_gap(above) is not None:
            return above, below
    return top, bottom


def _best_vertical_gap(words: list[_Word]) -> float | None:
    x_spans = _intervals((w.x0, w.x1) for w in words)
    best: tuple[float, float] | None = None
    for (_, a1), (b2, _) in itertools.pairwise(x_spans):
        width = b2 - a1
        if width < MIN_GUTTER:
            continue
        mid = (a1 + b2) / 2
        left = [w for w in words if w.x1 <= mid]
        right = [w for w in words if w.x0 >= mid]
        if not left or not right:
            continue
        if (
            min(w.x0 for w in left) > a1 - MIN_COLUMN_WIDTH
            or max(w.x1 for w in right) < b2 + MIN_COLUMN_WIDTH
        ):
            continue
        # Each side needs several lines of text: a gap inside one line is a word space.
        if (
            len(_intervals((w.top, w.bottom) for w in left)) < 2
            or len(_intervals((w.top, w.bottom) for w in right)) < 2
        ):
            continue
        if best is None or width > best[0]:
            best = (width, mid)
    return best[1] if best else None


def _group_lines(words: list[_Word]) -> list[_Line]:
    """Cluster words into lines by vertical overlap; superscripts join the line they sit on.

    Words much larger than their neighbours (drop caps) are placed after ordinary lines exist,
    so a three-line drop cap does not fuse the lines beside it.
    """
    typical = statistics.median(w.size for w in words) if words else 0.0
    ordinary = [w for w in words if w.size <= 1.6 * typical]
    big = [w for w in words if w.size > 1.6 * typical]
    lines: list[_Line] = []
    for w in sorted(ordinary, key=lambda w: (-w.size, w.top)):
        best = _best_line(lines, w)
        if best is not None:
            best.add(w)
        else:
            lines.append(_Line.of(w))
    for w in sorted(big, key=lambda w: w.top):
        overlapping = [ln for ln in lines if min(w.bottom, ln.bottom) - max(w.top, ln.top) > 0]
        small = [ln for ln in overlapping if max(x.size for x in ln.words) < 0.6 * w.size]
        if len(w.text) == 1 and small:
            # a drop cap: it starts the first line it stands beside ("I" + "ran does not ...")
            target = min(small, key=lambda ln: ln.top)
            w.size = max(x.size for x in target.words)
            w.dropcap = True
            target.add(w)
            continue
        best = _best_line([ln for ln in lines if ln not in small], w)
        if best is not None:
            best.add(w)
        else:
            lines.append(_Line.of(w))
    lines.sort(key=lambda ln: ln.top)
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
    return lines


_LABEL_WORD = re.compile(r"^[\[(]?\d{1,4}[\])]?[.,]?$|^[*\u2020\u2021\u00a7]{1,3}$")


def _best_line(lines: list[_Line], w: _Word) -> _Line | None:
    best, best_overlap = None, 0.0
    for ln in lines:
        overlap = min(w.bottom, ln.bottom) - max(w.top, ln.top)
        if overlap <= 0:
            continue
        share = overlap / max(0.1, min(w.height, ln.bottom - ln.top))
        if share > best_overlap:
            best, best_overlap = ln, share
    if best_overlap >= 0.5:
        return best
    # A raised note label or marker set smaller than its line overlaps it only partly (a 6pt
    # "11" above a 7pt note line); it still belongs to the line it touches, beside its words.
    if best is not None and best_overlap >= 0.15 and _LABEL_WORD.match(w.text):
        size = max(x.size for x in best.words)
        near = min(min(abs(w.x0 - x.x1), abs(x.x0 - w.x1)) for x in best.words)
        if w.size <= 0.9 * size and w.top < best.top and near <= 1.5 * size:
            return best
    return None


def _to_line(ln: _Line, page: int) -> Line:
    sizes = Counter()
    for w in ln.words:
        sizes[w.size] += len(w.text)
    size = sizes.most_common(1)[0][0]
    normal = [w for w in ln.words if w.size >= 0.85 * size]
    baseline = statistics.median(w.bottom for w in normal) if normal else ln.bottom
    text = ""
    superscripts: list[Span] = []
    italics: list[Span] = []
    links: list[LinkSpan] = []
    prev: _Word | None = None
    for w in ln.words:
        if prev is not None:
            # pdfplumber splits same-font runs only at whitespace or real gaps, so such a boundary
            # is a space even when kerning closes it up; a font or size change needs a visible gap.
            same_run = w.font == prev.font and w.size == prev.size
            if prev.dropcap:
                pass
            elif same_run or w.x0 - prev.x1 > 0.15 * min(w.size, prev.size):
                text += " "
        start = len(text)
        text += w.text
        end = len(text)
        raised = w.size <= 0.85 * size and w.bottom < baseline - 0.12 * size
        if raised:
            _extend(superscripts, start, end, text)
        if w.italic:
            _extend(italics, start, end, text)
        if w.uri:
            if links and links[-1].uri == w.uri and text[links[-1].end : start].strip() == "":
                links[-1] = LinkSpan(start=links[-1].start, end=end, uri=w.uri)
            else:
                links.append(LinkSpan(start=start, end=end, uri=w.uri))
        prev = w
    return Line(
        page=page,
        x0=round(min(w.x0 for w in ln.words), 2),
        x1=round(max(w.x1 for w in ln.words), 2),
        top=round(ln.top, 2),
        bottom=round(ln.bottom, 2),
        text=text,
        size=size,
        bold=sum(len(w.text) for w in ln.words if w.bold) > 0.6 * len(text.replace(" ", "")),
        column=ln.column,
        superscripts=superscripts,
        italics=italics,
        links=links,
    )


def _extend(spans: list[Span], start: int, end: int, text: str) -> None:
    """Append a span, merging with the previous one when only spaces separate them."""
    if spans and text[spans[-1].end : start].strip() == "":
        spans[-1] = Span(start=spans[-1].start, end=end)
    else:
        spans.append(Span(start=start, end=end))


# --- page furniture ---------------------------------------------------------------------------


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _furniture_prefix(key: str) -> str | None:
    """The first three words of a furniture key, when they say enough to identify it."""
    words = [w for w in key.split() if re.search(r"[a-z]", w)][:3]
    prefix = " ".join(words)
    return prefix if len(words) == 3 and len(prefix) >= 12 else None


def _folio(text: str) -> int | None:
    """The page number printed at the start or end of a header or footer line, if any."""
    m = re.match(r"^\W{0,3}(?:page\s+)?(\d{1,4})\b", text.strip(), re.I) or re.search(
        r"\b(\d{1,4})(?:\s*(?:of|/)\s*\d{1,4})?\W{0,3}$", text.strip(), re.I
    )
    return int(m.group(1)) if m else None


def drop_running_lines(pages: list[PageLayout]) -> None:
    """Remove running headers, footers and page numbers, in place.

    A line counts when it is among the outermost lines of its page and either repeats (digits
    ignored, or its first three words) on other pages in the top or bottom band, or is a bare
    page number. A bare number must agree with the page sequence (printed number minus page
    index seen on two pages or more), so a year alone on the last line of a note is kept.
    """
    candidates: list[tuple[PageLayout, Line]] = []  # outermost lines inside the top/bottom bands
    outer: dict[int, tuple[PageLayout, Line]] = {}  # those plus the first and last line of each page
    for page in pages:
        if not page.lines or not page.height:
            continue
        ordered = sorted(page.lines, key=lambda ln: ln.top)
        band = MARGIN_BAND * page.height
        candidates += [(page, ln) for ln in ordered[:3] if ln.bottom <= band]
        candidates += [(page, ln) for ln in ordered[-3:] if ln.top >= page.height - band]
        for ln in [ordered[0], max(ordered, key=lambda ln: ln.bottom)]:
            outer[id(ln)] = (page, ln)
    outer.update({id(ln): (page, ln) for page, ln in candidates})
    in_band = {id(ln) for _, ln in candidates}

    counts = Counter(_furniture_key(ln.text) for _, ln in candidates)
    min_repeats = 2 if len(pages) <= 6 else max(2, len(pages) // 4)
    repeated = {k for k, n in counts.items() if n >= min_repeats}
    # first three words of repeated lines, with their font sizes: a footer whose ending changes
    # on one page ("... R48903 · VERSION 3 · NEW 6") is matched by its start and its type
    prefixes: dict[str, set[float]] = {}
    for _, ln in candidates:
        prefix = _furniture_prefix(_furniture_key(ln.text))
        if prefix and _furniture_key(ln.text) in repeated:
            prefixes.setdefault(prefix, set()).add(round(ln.size, 1))
    # printed page number minus page index, counted once per page
    folios = {(page.number, _folio(ln.text)) for page, ln in outer.values()}
    offsets = Counter(number - index for index, number in folios if number is not None)

    drop: dict[int, set[int]] = {}
    for page, ln in candidates:
        key = _furniture_key(ln.text)
        sizes = prefixes.get(_furniture_prefix(key) or "", set())
        if key in repeated or round(ln.size, 1) in sizes:
            drop.setdefault(page.number, set()).add(id(ln))
    for page, ln in outer.values():
        text = ln.text.strip()
        if not _PAGE_NUMBER.match(text):
            continue
        number = _folio(text)
        # a roman numeral is trusted only inside the margin bands
        in_sequence = number is not None and (offsets[number - page.number] >= 2 or len(pages) <= 2)
        if in_sequence or (number is None and id(ln) in in_band):
            drop.setdefault(page.number, set()).add(id(ln))
    for page in pages:
        ids = drop.get(page.number)
        if ids:
            page.dropped.extend(ln.text for ln in page.lines if id(ln) in ids)
            page.lines = [ln for ln in page.lines if id(ln) not in ids]


def _body_size(pages: list[PageLayout]) -> float:
    """Font size of running text: the largest size that carries a fair share of the characters.

    The plain mode is wrong for heavily annotated papers, where small footnote text outweighs
    the body; headings are larger than the body but carry a small share.
    """
    sizes: Counter[float] = Counter()
    for page in pages:
        for ln in page.lines:
            sizes[round(ln.size, 1)] += len(ln.text)
    total = sum(sizes.values())
    if not total:
        return 0.0
    common = [size for size, n in sizes.items() if n >= 0.2 * total]
    return max(common) if common else sizes.most_common(1)[0][0]


def _title_from_layout(pages: list[PageLayout], body_size: float) -> str | None:
    first = next((p for p in pages if p.lines), None)
    if first is None:
        return None
    upper = [ln for ln in first.lines if ln.top < first.height / 2 and ln.size >= 1.25 * body_size]
    if not upper:
        return None
    biggest = max(ln.size for ln in upper)
    title = " ".join(ln.text for ln in upper if abs(ln.size - biggest) < 0.5)
    return title.strip() or None


# ---------------------------------------------------------------------------------------------
# Isolation: a time limit that can stop a spinning parser
# ---------------------------------------------------------------------------------------------

#: imported once by the fork server, so each parse starts from a warm copy in milliseconds
_PRELOAD = ["pipeline.core.layout", "pdfplumber", "pdfminer.high_level", "charset_normalizer"]
#: seconds of CPU beyond the time limit after which an orphaned child stops itself
_CPU_GRACE = 5


@functools.cache
def _parser_context() -> multiprocessing.context.BaseContext:
    """Fork server where available (a fork of a preloaded server, safe with threads), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def parse_document_isolated(
    path: Path,
    *,
    doc_id: str,
    source_path: str | None = None,
    max_pages: int = 500,
    password: str | None = None,
    timeout: float = 300.0,
) -> ParsedDocument:
    """``parse_document`` in a child process that is killed when ``timeout`` seconds pass.

    pdfminer is pure Python and can spin for hours on a hostile PDF (millions of operators in a
    small compressed stream), or die outright; a thread cannot be stopped, a process can.
    Raises ``DocumentError``: the parser's own, ``timeout`` at the deadline, ``parser_crashed``
    when the child died, ``internal_error`` for any other exception in the child (a bug).
    """
    ctx = _parser_context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_parse_in_child,
        args=(sender, path, doc_id, source_path, max_pages, password, timeout),
        name=f"parse {doc_id}",
    )
    child.start()
    sender.close()  # the child holds the only write end, so its death reads as EOF here
    try:
        if not receiver.poll(timeout):
            raise DocumentError(
                DocumentErrorCode.TIMEOUT,
                f"reading the document took longer than {timeout:g} s and was stopped "
                "(setting PIPELINE_DOC_TIMEOUT)",
            )
        try:
            message = receiver.recv()
        except EOFError:
            child.join()
            raise DocumentError(
                DocumentErrorCode.PARSER_CRASHED,
                f"the parser process died ({_exit_reason(child.exitcode)}) while reading the document",
            ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    kind, *payload = message
    if kind == "ok":
        return payload[0]
    if kind == "error":
        code, text = payload
        raise DocumentError(DocumentErrorCode(code), text)
    name, text, trace = payload
    error = DocumentError(DocumentErrorCode.INTERNAL, f"unexpected {name} in the parser: {text}")
    error.add_note(trace)
    raise error


def _parse_in_child(
    sender: Any,
    path: Path,
    doc_id: str,
    source_path: str | None,
    max_pages: int,
    password: str | None,
    timeout: float,
) -> None:
    import signal
    import traceback

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _limit_own_cpu(timeout)
    try:
        doc = parse_document(
            path, doc_id=doc_id, source_path=source_path, max_pages=max_pages, password=password
        )
        message: tuple[Any, ...] = ("ok", doc)
    except DocumentError as exc:
        message = ("error", exc.code.value, exc.message)
    except Exception as exc:
        message = ("internal", exc.__class__.__name__, str(exc)[:1000], traceback.format_exc(limit=20))
    try:
        sender.send(message)
    finally:
        sender.close()


def _limit_own_cpu(timeout: float) -> None:
    """If the parent dies without killing this child, the kernel still stops a spin."""
    try:
        import resource
    except ImportError:  # not on Windows: the parent's kill is the only limit there
        return
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(timeout) + _CPU_GRACE
    if hard == resource.RLIM_INFINITY or hard > soft:
        new_hard = soft + _CPU_GRACE if hard == resource.RLIM_INFINITY else min(hard, soft + _CPU_GRACE)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, new_hard))


def _exit_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"signal {signal_name(-exitcode)}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit code {exitcode}"


def signal_name(number: int) -> str:
    import signal

    return signal.Signals(number).name
