"""Body paragraphs of a PDF: body lines grouped into paragraphs, headings and captions, with
the note markers taken out of the text.

A new paragraph starts at a wider line gap, or after a line that visibly ends (a sentence end
on a short line, or an indented next line); across a column or page break the paragraph goes on
unless the last one visibly ended. Markers are raised, smaller digits, superscript digit
characters, or ``[n]`` in documents whose notes are labelled ``[n]``; ordinals are not.
"""

from __future__ import annotations

import itertools
import re
import statistics

from pipeline.core.footnotes.cues import SENTENCE_END
from pipeline.core.footnotes.markers import parse_marker_label
from pipeline.core.footnotes.pdf_runon import running_bold_lines
from pipeline.core.footnotes.pdf_zones import CAPTION, Zone, is_small
from pipeline.core.models import Line, Marker, Paragraph, ParagraphKind
from pipeline.core.text.linejoin import joins_hyphenated_word, joins_without_space

_BRACKET_MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKDOWN_MARKER = re.compile(r"\[\^(\d{1,3})\]")
# A raised run of bracketed numbers (``[3][4]``, ``[5, 6]``): a browser's print of a web page.
_RAISED_BRACKETS = re.compile(r"^(?:\[\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\]\s*)+$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)]*(?:\s+(?=[A-Z\"\u201c])|$)")
_SUPERSCRIPT_MARKER = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:\s?[,\u2013-]\s?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")


def body_paragraphs(
    zones: list[Zone], body_size: float, title: str | None, *, bracket_markers: bool = False
) -> list[Paragraph]:
    """Group body lines into paragraphs, headings and captions; pull markers out of the text."""
    body = [(z, ln) for z in zones for ln in z.body if ln.text.strip()]
    if not body:
        return []
    pitches = [
        b.top - a.top
        for (za, a), (zb, b) in itertools.pairwise(body)
        if za is zb and 0 < b.top - a.top < 3 * max(a.size, 1)
    ]
    pitch = statistics.median(pitches) if pitches else 1.2 * max(body_size, 1)
    col_edges: dict[int, tuple[float, float]] = {}
    for z, ln in body:
        lo, hi = col_edges.get(id(z), (ln.x0, ln.x1))
        col_edges[id(z)] = (min(lo, ln.x0), max(hi, ln.x1))

    blocks: list[tuple[ParagraphKind, int, list[Line]]] = []
    title_norm = _norm(title or "")
    bold_body = _body_is_bold([ln for _, ln in body], body_size)
    prev: tuple[Zone, Line] | None = None
    running = _running_text_in_larger_type(body, body_size)
    kinds = [
        ParagraphKind.BODY
        if id(ln) in running
        else _line_kind(ln, body_size, title_norm, z.page, bold_body=bold_body)
        for z, ln in body
    ]
    _unmark_running_bold(body, kinds, col_edges, pitch)
    for (z, ln), kind in zip(body, kinds, strict=True):
        if (
            blocks
            and prev is not None
            and blocks[-1][0] == kind
            and not _starts_paragraph(prev, (z, ln), kind, pitch, col_edges)
        ):
            blocks[-1][2].append(ln)
        else:
            blocks.append((kind, z.page, [ln]))
        prev = (z, ln)

    paragraphs: list[Paragraph] = []
    section: str | None = None
    for kind, page, lines in blocks:
        text, markers = _join_body_lines(lines, bracket_markers=bracket_markers)
        if not text:
            continue
        if kind == ParagraphKind.HEADING:
            section = text
        if kind == ParagraphKind.CAPTION and markers:
            # small print that cites a note is cited prose: an abstract, a block quotation, a
            # caption stating a source; its sentences are claims like the body's
            kind = ParagraphKind.BODY
        para = Paragraph(index=len(paragraphs), page=page, kind=kind, section=section, text=text)
        para.markers = [
            Marker(number=n, label=label, page=mpage, paragraph=para.index, offset=offset)
            for n, label, mpage, offset in markers
        ]
        paragraphs.append(para)
    _join_split_digits(paragraphs)
    return paragraphs


def _running_text_in_larger_type(body: list[tuple[Zone, Line]], body_size: float) -> set[int]:
    """Ids of lines of running text set larger than the body: a lede or standfirst under a title.

    A heading is one line, two or three at most, and states no sentences; three or more lines
    in one larger size and weight, one under the other at a line's distance, holding two
    sentence ends or more, are a paragraph, whatever each line looks like alone.
    """
    out: set[int] = set()
    run: list[Line] = []

    def close() -> None:
        ends = sum(len(_SENTENCE_BREAK.findall(ln.text)) for ln in run)
        if len(run) >= 3 and ends >= 2:
            out.update(id(ln) for ln in run)

    prev: tuple[Zone, Line] | None = None
    for z, ln in body:
        larger = ln.size >= 1.05 * body_size
        goes_on = (
            prev is not None
            and prev[0] is z
            and abs(ln.size - prev[1].size) <= 0.2
            and ln.bold == prev[1].bold
            and 0 < ln.top - prev[1].top <= 1.6 * ln.size
        )
        if not (larger and goes_on):
            close()
            run = []
        if larger:
            run.append(ln)
        prev = (z, ln)
    close()
    return out


def _unmark_running_bold(
    body: list[tuple[Zone, Line]],
    kinds: list[ParagraphKind],
    edges: dict[int, tuple[float, float]],
    pitch: float,
) -> None:
    """Bold lines that a sentence runs through are body lines, not headings (``pdf_runon``)."""
    for i in running_bold_lines(body, kinds, edges, pitch):
        kinds[i] = ParagraphKind.BODY


def _join_split_digits(paragraphs: list[Paragraph]) -> None:
    """``2 1`` after marker 20 is marker 21 whose digits an OCR text layer set apart.

    A raised run of two single digits reads as two markers (``8 9``) when they ascend and go on
    from the markers before them; otherwise as one two-digit number.
    """
    last = before = 0  # the last marker number, and the one before it
    for para in paragraphs:
        out: list[Marker] = []
        for m in para.markers:
            split = re.fullmatch(r"(\d) (\d)", m.label)
            if split and out and out[-1].label == m.label and out[-1].offset == m.offset:
                a, b = int(split.group(1)), int(split.group(2))
                if not (b > a and abs(a - (before + 1)) <= 3):
                    out[-1] = out[-1].model_copy(update={"number": 10 * a + b})
                    last = 10 * a + b
                    continue
            out.append(m)
            before, last = last, m.number
        para.markers = out


def restore_dropped_digits(paragraphs: list[Paragraph], notes: set[int]) -> None:
    """A marker that breaks the ascending sequence is the one note its digits can still spell.

    An OCR text layer drops digits of raised markers (``1`` for 51, between markers 50 and 52).
    A marker whose number is not above the one before it is renumbered when exactly one note
    between its neighbours is uncited and holds its digits in order with more digits; with two
    or more such notes (``1`` between 9 and 12: 10 or 11) it is left as read.
    """
    markers = [m for p in paragraphs for m in p.markers]
    cited = {m.number for m in markers}
    for i, m in enumerate(markers):
        before = markers[i - 1].number if i else 0
        after = next((x.number for x in markers[i + 1 :] if x.number > before), None)
        if m.number > before or after is None:
            continue
        digits = str(m.number)
        fits = [
            k
            for k in range(before + 1, after)
            if k in notes and k not in cited and len(str(k)) > len(digits) and _spells(digits, str(k))
        ]
        if len(fits) == 1:
            m.number = fits[0]
            cited.add(fits[0])


def _spells(digits: str, number: str) -> bool:
    """Are ``digits`` the digits of ``number`` with some left out (in order)?"""
    rest = iter(number)
    return all(d in rest for d in digits)


def _norm(text: str) -> str:
    """Lowercase words separated by single spaces, for comparing a line with the title."""
    return re.sub(r"\W+", " ", text).strip().lower()


def _in_title(text: str, title: str) -> bool:
    """Is this line part of the title: its whole words, and more than a single short word?"""
    if not text or not title:
        return False
    inside = f" {text} " in f" {title} "
    return inside and (len(text.split()) >= 2 or text == title)


def _body_is_bold(lines: list[Line], body_size: float) -> bool:
    """Is the running text itself set in bold?

    It is when the lines at the body size carry most of the characters and most of theirs are
    bold. Then bold sets nothing apart: a heading must differ from the text around it. (Display
    type at two sizes, "Big Text" over "Small Text", has no running text to be bold.)
    """
    at_body = [ln for ln in lines if abs(ln.size - body_size) < 0.5]
    body_chars = sum(len(ln.text) for ln in at_body)
    if body_chars < 0.6 * sum(len(ln.text) for ln in lines):
        return False
    return sum(len(ln.text) for ln in at_body if ln.bold) > 0.5 * body_chars


def _line_kind(
    line: Line, body_size: float, title_norm: str, page: int, *, bold_body: bool = False
) -> ParagraphKind:
    """Title, caption, heading or body line, by its size, weight and words."""
    text = line.text.strip()
    if page == 1 and line.size >= 1.2 * body_size and _in_title(_norm(text), title_norm):
        return ParagraphKind.TITLE
    if is_small(line, body_size) or CAPTION.match(text):
        return ParagraphKind.CAPTION
    words = len(text.split())
    if (
        words <= 14
        and not SENTENCE_END.search(text)
        and not line.superscripts
        and (line.size >= 1.1 * body_size or (line.bold and not bold_body))
    ):
        return ParagraphKind.HEADING
    if line.size >= 1.5 * body_size:
        return ParagraphKind.TITLE if page == 1 else ParagraphKind.HEADING
    return ParagraphKind.BODY


def _starts_paragraph(
    prev: tuple[Zone, Line],
    cur: tuple[Zone, Line],
    kind: ParagraphKind,
    pitch: float,
    edges: dict[int, tuple[float, float]],
) -> bool:
    """Does ``cur`` start a new paragraph after ``prev`` (a wide gap, or a visible end)?"""
    (zp, a), (zc, b) = prev, cur
    if kind in (ParagraphKind.HEADING, ParagraphKind.TITLE):
        return b.top - a.bottom > 0.8 * pitch if zp is zc else True
    if kind == ParagraphKind.CAPTION and CAPTION.match(b.text):
        return True
    lo, _hi = edges[id(zc)]
    plo, phi = edges[id(zp)]
    indent = b.x0 - lo > 0.8 * max(b.size, 1)
    prev_short = a.x1 < phi - 0.1 * (phi - plo)
    prev_ends = bool(SENTENCE_END.search(a.text.strip())) or bool(
        a.superscripts and a.superscripts[-1].end >= len(a.text.rstrip())
    )
    if zp is zc:
        gap = b.top - a.top
        if gap > 1.45 * pitch:
            return True
        return (indent and prev_ends) or (prev_short and prev_ends)
    # A new column or page: the paragraph goes on unless the last one visibly ended.
    return (prev_short and prev_ends) or (indent and prev_ends)


def _marker_spans(line: Line, bracket_markers: bool) -> list[tuple[int, int, list[int]]]:
    """(start, end, numbers) of the note markers in a body line, in order.

    Raised, smaller digits are markers, and so are superscript digit characters (``³⁴``);
    so are ``[n]`` in documents whose notes are labelled ``[n]`` (web pages printed with a
    link list). Ordinals (``19th``) are not.
    """
    spans = []
    for sup in line.superscripts:
        numbers = _raised_numbers(line.text[sup.start : sup.end])
        if numbers:
            spans.append((sup.start, sup.end, numbers))
    for m in _SUPERSCRIPT_MARKER.finditer(line.text):  # superscript digits set as characters
        numbers = parse_marker_label(m.group(0))
        if numbers and not any(s <= m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), numbers))
    for m in _MARKDOWN_MARKER.finditer(line.text):  # "[^10]": a Markdown footnote printed as typed
        if not any(s <= m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), [int(m.group(1))]))
    if bracket_markers:
        for m in _BRACKET_MARKER.finditer(line.text):
            if not any(s <= m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), [int(m.group(1))]))
    return sorted(spans)


def _raised_numbers(label: str) -> list[int]:
    """The note numbers of a raised run: ``5,6`` or bracketed ``[5][6]`` (never ``[a]``).

    Notes are numbered from 1: a raised 0 is an exponent or an index in a formula (``W_R^0``);
    but a raised ``3 0`` is 30 whose digits an OCR text layer set apart (no note is numbered 0).
    """
    split_tens = re.fullmatch(r"([1-9]) 0", label.strip())
    if split_tens:
        return [10 * int(split_tens.group(1))]
    if _RAISED_BRACKETS.match(label.strip()):
        numbers = [n for part in re.findall(r"\[([^\]]*)\]", label) for n in parse_marker_label(part)]
    else:
        numbers = parse_marker_label(label)
    return [] if 0 in numbers else numbers


def _join_body_lines(
    lines: list[Line], *, bracket_markers: bool = False
) -> tuple[str, list[tuple[int, str, int, int]]]:
    """Join lines, dehyphenating words and removing markers; returns text and markers."""
    text = ""
    markers: list[tuple[int, str, int, int]] = []  # number, label, page, offset
    for ln in lines:
        pos = 0
        line_markers: list[tuple[int, str, int]] = []  # number, label, offset-in-clean-line
        clean = ""
        for start, end, numbers in _marker_spans(ln, bracket_markers):
            if start < pos:
                continue
            label = ln.text[start:end]
            clean = _add_piece(clean, ln.text[pos:start])
            line_markers += [(n, label, len(clean.rstrip())) for n in numbers]
            pos = end
        clean = _add_piece(clean, ln.text[pos:])
        lead = len(clean) - len(clean.lstrip())
        clean = clean.strip()
        if not clean and not line_markers:
            continue
        base = len(text)
        if text:
            if re.search(r"[A-Za-z]-$", text) and re.match(r"[a-z]", clean):
                if joins_hyphenated_word(text, clean):
                    text = text[:-1]
                    base = len(text)
            elif not joins_without_space(text, clean):
                text += " "
                base = len(text)
        text += clean
        for n, label, off in line_markers:
            markers.append((n, label, ln.page, min(len(text), base + max(0, off - lead))))
    return text.strip(), markers


def _add_piece(clean: str, piece: str) -> str:
    """Append the text between markers with runs of spaces made one, so the offsets taken as the
    line is built stay right: a marker set off by spaces on both sides (``Martin, 22 and``) leaves
    two spaces where it was."""
    piece = re.sub(r" {2,}", " ", piece)
    if clean.endswith(" "):
        piece = piece.lstrip(" ")
    return clean + piece
