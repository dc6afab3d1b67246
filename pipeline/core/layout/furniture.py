"""Page furniture: running headers, footers and page numbers are dropped, so later steps see content.

A line is furniture when it is among the outermost lines of its page and either repeats on other
pages in the top or bottom band or as their first line in small type (digits ignored, or its first
three words in the same type), or is a bare page number that agrees with the page sequence; when
that would leave the document no line at all, the lines that count no pages are its content after
all. Also decided here from the cleaned pages: the body font size, and the title when the PDF's
metadata gives none.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.core.models import MARGIN_BAND, Line, PageLayout

_PAGE_NUMBER = re.compile(
    r"^\W*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$|^\W*[ivxlc]{1,6}\W*$", re.IGNORECASE
)


@dataclass(frozen=True)
class _Margins:
    """The lines of every page where furniture can be, each with its page."""

    candidates: list[tuple[PageLayout, Line]]  # outermost lines inside the top/bottom bands
    outer: dict[int, tuple[PageLayout, Line]]  # those plus the first and last line of each page
    in_band: set[int]  # ids of the candidates


def drop_running_lines(pages: list[PageLayout]) -> None:
    """Remove running headers, footers and page numbers, in place.

    A line counts when it is among the outermost lines of its page and either repeats (digits
    ignored, or its first three words) on other pages in the top or bottom band, or is a bare
    page number. A bare number must agree with the page sequence (printed number minus page
    index seen on two pages or more), so a year alone on the last line of a note is kept.
    """
    margins = _margin_lines(pages)
    drop: dict[int, set[int]] = {}  # page number -> ids of the lines to drop
    # a page's first line in smaller type than the page's text counts too, where the header sits
    # below the band (a scan's wide margin)
    tops = [
        (page, ln)
        for page in pages
        if page.lines
        and id(ln := min(page.lines, key=lambda x: x.top)) not in margins.in_band
        and ln.size <= 0.92 * statistics.median(x.size for x in page.lines)
    ]
    _mark_repeated_lines([*margins.candidates, *tops], len(pages), drop)
    _mark_page_numbers(margins, len(pages), drop)
    _keep_continuations(pages, drop)
    _keep_unnumbered_when_nothing_else(pages, drop)
    _remove_marked(pages, drop)


def _keep_unnumbered_when_nothing_else(pages: list[PageLayout], drop: dict[int, set[int]]) -> None:
    """When every line of the document would go, keep those that print no page number.

    A running line accompanies content. A document whose every page holds only the same
    line ("Hello world", a title on rotated sheets) has that line as its content, unless the
    line counts pages ("Potato 7", "… Page 12"): then it is furniture and nothing is left.
    """
    if any(id(ln) not in drop.get(page.number, set()) for page in pages for ln in page.lines):
        return
    for page in pages:
        ids = drop.get(page.number, set())
        ids -= {id(ln) for ln in page.lines if _folio(ln.text) is None}


def _keep_continuations(pages: list[PageLayout], drop: dict[int, set[int]]) -> None:
    """Unmark a line that goes on with the text right above it (a note's short last line).

    Furniture is set apart from the text; a line at the text's own leading under a line of
    its type that does not end a sentence ("… 29 July 2004," / "para 12.") is that text's end,
    however often its shape repeats at the foot of other pages.
    """
    for page in pages:
        ids = drop.get(page.number)
        if not ids:
            continue
        for ln in [ln for ln in page.lines if id(ln) in ids]:
            # the nearest line above it in its column (horizontally overlapping)
            above = max(
                (a for a in page.lines if a.bottom <= ln.top + 1 and a.x0 < ln.x1 and a.x1 > ln.x0),
                key=lambda a: a.bottom,
                default=None,
            )
            if above is not None and id(above) not in ids and _goes_on_from(above, ln):
                ids.discard(id(ln))


def _goes_on_from(above: Line, line: Line) -> bool:
    """Is ``line`` the next line of the text block ``above`` belongs to?"""
    size = max(line.size, 1.0)
    same_type = abs(above.size - line.size) <= 0.3 and above.bold == line.bold
    leading = 0 <= line.top - above.bottom <= 0.8 * size
    aligned = abs(line.x0 - above.x0) <= 2 * size  # flush left, or a hanging indent
    return same_type and leading and aligned and not above.text.rstrip().endswith((".", "!", "?", ":"))


def _margin_lines(pages: list[PageLayout]) -> _Margins:
    """Up to three lines inside each margin band of every page, and each page's first and last line."""
    candidates: list[tuple[PageLayout, Line]] = []
    outer: dict[int, tuple[PageLayout, Line]] = {}
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
    return _Margins(candidates=candidates, outer=outer, in_band={id(ln) for _, ln in candidates})


def _mark_repeated_lines(
    candidates: list[tuple[PageLayout, Line]], page_count: int, drop: dict[int, set[int]]
) -> None:
    """Mark the band lines that repeat on enough pages, or start like a repeated line in its type."""
    counts = Counter(_furniture_key(ln.text) for _, ln in candidates)
    min_repeats = 2 if page_count <= 6 else max(2, page_count // 4)
    repeated = {k for k, n in counts.items() if n >= min_repeats}
    prefixes = _repeated_prefixes(candidates, repeated)
    for page, ln in candidates:
        key = _furniture_key(ln.text)
        sizes = prefixes.get(_furniture_prefix(key) or "", set())
        if _opens_with_raised_number(ln):
            continue  # a short note ("¹² Id.") repeats on many pages; furniture is not raised
        if key in repeated or round(ln.size, 1) in sizes:
            drop.setdefault(page.number, set()).add(id(ln))


def _opens_with_raised_number(line: Line) -> bool:
    """Does the line open with a raised number, the label of a footnote?"""
    first = line.superscripts[0] if line.superscripts else None
    return first is not None and first.start == 0 and line.text[: first.end].strip().isdigit()


def _repeated_prefixes(
    candidates: list[tuple[PageLayout, Line]], repeated: set[str]
) -> dict[str, set[float]]:
    """The first three words of repeated lines, with their font sizes.

    A footer whose ending changes on one page ("... R48903 · VERSION 3 · NEW 6") is matched by
    its start and its type.
    """
    prefixes: dict[str, set[float]] = {}
    for _, ln in candidates:
        prefix = _furniture_prefix(_furniture_key(ln.text))
        if prefix and _furniture_key(ln.text) in repeated:
            prefixes.setdefault(prefix, set()).add(round(ln.size, 1))
    return prefixes


def _folio_offsets(outer: Iterable[tuple[PageLayout, Line]]) -> Counter[int]:
    """Printed page number minus page index, counted once per page."""
    folios = {(page.number, _folio(ln.text)) for page, ln in outer}
    return Counter(number - index for index, number in folios if number is not None)


def _mark_page_numbers(margins: _Margins, page_count: int, drop: dict[int, set[int]]) -> None:
    """Mark the bare page numbers that follow the page sequence (roman numerals: inside the bands)."""
    offsets = _folio_offsets(margins.outer.values())
    for page, ln in margins.outer.values():
        text = ln.text.strip()
        if not _PAGE_NUMBER.match(text):
            continue
        number = _folio(text)
        # a roman numeral is trusted only inside the margin bands
        in_sequence = number is not None and (offsets[number - page.number] >= 2 or page_count <= 2)
        if in_sequence or (number is None and id(ln) in margins.in_band):
            drop.setdefault(page.number, set()).add(id(ln))


def _remove_marked(pages: list[PageLayout], drop: dict[int, set[int]]) -> None:
    """Move the marked lines of each page to its ``dropped`` list."""
    for page in pages:
        ids = drop.get(page.number)
        if ids:
            page.dropped.extend(ln.text for ln in page.lines if id(ln) in ids)
            page.lines = [ln for ln in page.lines if id(ln) not in ids]


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


def body_size(pages: list[PageLayout]) -> float:
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


def title_from_layout(pages: list[PageLayout], body_size: float) -> str | None:
    """The largest type in the top half of the first page with text, if well above the body size."""
    first = next((p for p in pages if p.lines), None)
    if first is None:
        return None
    upper = [ln for ln in first.lines if ln.top < first.height / 2 and ln.size >= 1.25 * body_size]
    if not upper:
        return None
    biggest = max(ln.size for ln in upper)
    title = " ".join(ln.text for ln in upper if abs(ln.size - biggest) < 0.5)
    return title.strip() or None


# A dateline or kicker carries a date ("Feature Article May 30, 2024", "2024-05-30", "30/05/2024").
_DATED = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|"
    r"apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    re.IGNORECASE,
)


def title_from_text_lines(lines: Iterable[str]) -> str | None:
    """The title of a plain text: the first headline-like line of its opening, not a dateline.

    Looked at: the non-blank lines before the first paragraph-length one (at most six). A headline
    has at most 25 words, no date and no note marker, is no byline, starts with a capital and does
    not end in a full stop; the first such line wins (a one-word "Review" too: a kicker or a
    dateline is skipped for its date, not for its length), else the first non-blank line.
    """
    opening = []
    for line in lines:
        text = " ".join(line.split())
        if not text:
            continue
        if len(text.split()) > 30 or len(opening) == 6:
            break
        opening.append(text)
    for text in opening:
        words = text.split()
        # a line that carries a note marker (a raised digit) is body text, whatever its length
        marked = any(ch in "⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in text)
        headline = len(words) <= 25 and text[0].isupper() and not text.endswith(".") and not marked
        if headline and not _DATED.search(text) and words[0].lower() not in {"by", "by:"}:
            return text
    return opening[0] if opening else None
