"""Footnotes: split a laid-out document into body paragraphs and notes, and link the markers.

Evidence for the notes zone of a page or column (from ``layout``): smaller font than the body,
a short separator rule above it, a place at the bottom of the column, and lines that start with
the next expected note number. Endnotes are the lines after a "Notes"/"Endnotes"/"References"
heading. Note numbers are read in sequence, so a year or a volume number at the start of a
continuation line is not taken for a new note.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.core.citations import LinePiece, join_lines, word_score
from pipeline.core.models import (
    Line,
    Marker,
    Note,
    NoteSplit,
    Paragraph,
    ParagraphKind,
    ParsedDocument,
    SequenceIssue,
    Span,
)

#: Lines at most this share of the body size count as "small" (notes, captions).
SMALL = 0.92
_ENDNOTES_HEADING = re.compile(r"^\s*(?:end\s*notes|notes|footnotes|references|links)\s*:?\s*$", re.I)
_AFTER_NOTES_HEADING = re.compile(
    r"^\s*(?:about the authors?|bibliography|appendix\b|acknowledg(?:e)?ments?)", re.I
)
_LABEL = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})(?:[.)]\s*|\s+|(?=[A-Z\"\u201c]))|\((\d{1,4})\)\s+)")
_MARKER_TEXT = re.compile(r"^\d{1,4}(?:\s*[,\u2013\u2014-]\s*\d{1,4})*$")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SENTENCE_END = re.compile(r"[.!?:][\"'\u201d\u2019)]*$")


def split_notes(doc: ParsedDocument) -> NoteSplit:
    """Body paragraphs with their markers, the notes, and numbering problems."""
    if doc.kind == "txt":
        paragraphs, notes = _split_text(doc)
    else:
        paragraphs, notes = _split_pdf(doc)
    issues = link_markers(paragraphs, notes)
    return NoteSplit(
        doc_id=doc.doc_id,
        sha256=doc.sha256,
        title=doc.title,
        paragraphs=paragraphs,
        notes=notes,
        issues=issues,
    )


#: A parse is unusable when more than this share of markers (and at least 3) have no note.
MAX_ORPHAN_MARKER_SHARE = 0.2


def quality_problems(split: NoteSplit) -> list[str]:
    """Why this split should not feed later steps (empty when it is fine).

    The rule: body markers must have notes. More than 20% orphan markers (and at least 3), or
    5+ markers with no notes found at all, mean the notes zone or the markers were misread.
    Notes without a marker are normal in real articles and are not a problem here.
    """
    markers = split.markers
    orphans = [i for i in split.issues if i.kind == "marker_without_note"]
    if len(markers) >= 5 and not split.notes:
        return [f"{len(markers)} markers but no notes were found"]
    if len(orphans) >= 3 and len(orphans) > MAX_ORPHAN_MARKER_SHARE * len(markers):
        return [f"{len(orphans)} of {len(markers)} markers have no note"]
    return []


def parse_marker_label(label: str) -> list[int]:
    """``"5,6"`` -> [5, 6]; ``"7–9"`` -> [7, 8, 9]; anything else -> []."""
    label = label.translate(_SUPERSCRIPT_DIGITS).strip().strip(",")
    if not _MARKER_TEXT.match(label):
        return []
    numbers: list[int] = []
    for part in re.split(r"\s*,\s*", label):
        bounds = re.split(r"\s*[\u2013\u2014-]\s*", part)
        if len(bounds) == 2 and bounds[0] and bounds[1]:
            a, b = int(bounds[0]), int(bounds[1])
            numbers.extend(range(a, b + 1) if 0 < b - a <= 20 else [a, b])
        elif bounds[0]:
            numbers.append(int(bounds[0]))
    return numbers


def link_markers(paragraphs: Sequence[Paragraph], notes: list[Note]) -> list[SequenceIssue]:
    """Set ``Note.has_marker`` and report markers without notes, orphan notes, gaps, duplicates."""
    issues: list[SequenceIssue] = []
    by_number: dict[int, Note] = {}
    for note in notes:
        if note.number in by_number:
            issues.append(
                SequenceIssue(
                    kind="duplicate_note",
                    number=note.number,
                    detail=f"note {note.number} appears more than once",
                )
            )
            continue
        by_number[note.number] = note
    seen: Counter[int] = Counter()
    for para in paragraphs:
        for m in para.markers:
            seen[m.number] += 1
            note = by_number.get(m.number)
            if note is None:
                issues.append(
                    SequenceIssue(
                        kind="marker_without_note",
                        number=m.number,
                        detail=f"marker {m.label!r} on page {m.page} has no note",
                    )
                )
            else:
                note.has_marker = True
    for number, count in sorted(seen.items()):
        if count > 1:
            issues.append(
                SequenceIssue(
                    kind="duplicate_marker",
                    number=number,
                    detail=f"marker {number} appears {count} times in the body",
                )
            )
    for note in notes:
        if not note.has_marker:
            issues.append(
                SequenceIssue(
                    kind="note_without_marker",
                    number=note.number,
                    detail=f"note {note.number} (page {note.page}) has no marker",
                )
            )
    numbers = sorted(by_number)
    for a, b in itertools.pairwise(numbers):
        if b - a > 1:
            missing = f"{a + 1}" if b - a == 2 else f"{a + 1}-{b - 1}"
            issues.append(SequenceIssue(kind="gap", number=a + 1, detail=f"notes {missing} are missing"))
    return issues


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


@dataclass
class _Zone:
    """Lines of one page column, split into body and notes."""

    page: int
    column: int
    body: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)


def _columns(doc: ParsedDocument) -> Iterator[tuple[int, int, list[Line]]]:
    for page in doc.layout:
        by_col: dict[int, list[Line]] = {}
        for ln in page.lines:
            by_col.setdefault(ln.column, []).append(ln)
        for col in sorted(by_col):
            yield page.number, col, by_col[col]


def _is_small(line: Line, body_size: float) -> bool:
    return body_size > 0 and line.size <= SMALL * body_size


def _starts_with_label(line: Line) -> int | None:
    """The note number a line starts with, if it starts like a note."""
    sup = line.superscripts[0] if line.superscripts else None
    if sup is not None and sup.start == 0:
        numbers = parse_marker_label(line.text[sup.start : sup.end])
        if len(numbers) == 1:
            return numbers[0]
    m = _LABEL.match(line.text)
    if m:
        value = next(g for g in m.groups() if g)
        rest = line.text[m.end() :]
        if rest[:1].isalpha() or rest[:1] in "\"\u201c'\u2018(*" or (rest and not rest[:1].isdigit()):
            return int(value)
    return None


def _footnote_zone(lines: list[Line], rules: list, body_size: float) -> int:
    """Index of the first note line in a column's lines (``len(lines)`` if it has none)."""
    n = len(lines)
    start = n
    while start > 0 and _is_small(lines[start - 1], body_size):
        start -= 1
    if start == n:
        return n
    if start == 0 and not any(_is_small(ln, body_size) is False for ln in lines):
        # A column made only of small text: notes continued from the previous column, or a caption.
        pass
    # A separator rule just above a line moves the start to that line.
    x0 = min(ln.x0 for ln in lines)
    x1 = max(ln.x1 for ln in lines)
    for rule in rules:
        if rule.x1 < x0 - 5 or rule.x0 > x1 + 5:
            continue
        below = [i for i, ln in enumerate(lines) if ln.top >= rule.top - 1]
        if below and below[0] >= start - 1 and _is_small(lines[below[0]], body_size):
            return below[0]
    zone = lines[start:]
    if any(_starts_with_label(ln) is not None for ln in zone):
        # Skip leading small lines that are captions rather than notes: keep from the first
        # labelled line unless the zone begins right at a page top (a continued note).
        return start
    return n


def _split_pdf(doc: ParsedDocument) -> tuple[list[Paragraph], list[Note]]:
    body_size = doc.body_size
    zones: list[_Zone] = []
    endnote_mode = False
    for page in doc.layout:
        by_col: dict[int, list[Line]] = {}
        for ln in page.lines:
            by_col.setdefault(ln.column, []).append(ln)
        for col in sorted(by_col):
            lines = by_col[col]
            zone = _Zone(page=page.number, column=col)
            if endnote_mode:
                zone.notes = lines
            else:
                heading = next(
                    (
                        i
                        for i, ln in enumerate(lines)
                        if _ENDNOTES_HEADING.match(ln.text) and _is_heading_like(ln, body_size)
                    ),
                    None,
                )
                if heading is not None:
                    endnote_mode = True
                    zone.body = lines[:heading]
                    zone.notes = lines[heading + 1 :]
                else:
                    cut = _footnote_zone(lines, page.rules, body_size)
                    zone.body, zone.notes = lines[:cut], lines[cut:]
            zones.append(zone)
    # Lines after the endnotes that belong to an author box or appendix return to the body.
    note_lines: list[tuple[_Zone, Line]] = [(z, ln) for z in zones for ln in z.notes]
    notes = _parse_note_lines(note_lines)
    paragraphs = _paragraphs(zones, body_size, doc.title)
    return paragraphs, notes


def _is_heading_like(line: Line, body_size: float) -> bool:
    return line.bold or line.size >= 1.05 * body_size or line.text.strip().isupper() or len(line.text) < 20


def _parse_note_lines(note_lines: list[tuple[_Zone, Line]]) -> list[Note]:
    """Group note lines into notes by their labels, read in sequence."""
    groups: list[tuple[int, str, int, list[Line]]] = []  # number, label, page, lines
    expected = 1
    zone_left: dict[tuple[int, int], float] = {}
    for z, ln in note_lines:
        key = (z.page, z.column)
        zone_left[key] = min(zone_left.get(key, ln.x0), ln.x0)
    for z, ln in note_lines:
        if _AFTER_NOTES_HEADING.match(ln.text) and ln.bold:
            break
        number = _starts_with_label(ln)
        at_left = ln.x0 <= zone_left[(z.page, z.column)] + 2.5 * max(ln.size, 1)
        plausible = (
            number is not None
            and at_left
            and (number == expected or (expected < number <= expected + 3) or (not groups and number <= 3))
        )
        if plausible and number is not None:
            label_end = _label_end(ln)
            stripped = ln.model_copy(update={"text": ln.text[label_end:]})
            stripped = _shift(stripped, -label_end)
            groups.append((number, ln.text[:label_end].strip(), z.page, [stripped]))
            expected = number + 1
        elif groups:
            groups[-1][3].append(ln)
    notes = []
    for number, label, page, lines in groups:
        right = max(ln.x1 for ln in lines)
        pieces = [
            LinePiece(
                text=ln.text,
                full=ln.x1 >= right - 0.04 * max(1.0, right - ln.x0),
                links=ln.links,
                italics=ln.italics,
            )
            for ln in lines
        ]
        joined = join_lines(pieces)
        if not joined.text:
            continue
        notes.append(
            Note(
                number=number,
                label=label,
                text=joined.text,
                page=page,
                urls=joined.urls,
                italics=joined.italics,
            )
        )
    return notes


def _label_end(line: Line) -> int:
    sup = line.superscripts[0] if line.superscripts else None
    if sup is not None and sup.start == 0:
        end = sup.end
    else:
        m = _LABEL.match(line.text)
        end = m.end() if m else 0
    while end < len(line.text) and line.text[end] == " ":
        end += 1
    return end


def _shift(line: Line, delta: int) -> Line:
    def move(spans: Sequence) -> list:
        out = []
        for s in spans:
            start, end = s.start + delta, s.end + delta
            if end <= 0:
                continue
            out.append(s.model_copy(update={"start": max(0, start), "end": end}))
        return out

    return line.model_copy(
        update={
            "superscripts": move(line.superscripts),
            "italics": move(line.italics),
            "links": move(line.links),
        }
    )


# --- body paragraphs ---------------------------------------------------------------------------


def _paragraphs(zones: list[_Zone], body_size: float, title: str | None) -> list[Paragraph]:
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
    col_edges: dict[tuple[int, int], tuple[float, float]] = {}
    for z, ln in body:
        key = (z.page, z.column)
        lo, hi = col_edges.get(key, (ln.x0, ln.x1))
        col_edges[key] = (min(lo, ln.x0), max(hi, ln.x1))

    blocks: list[tuple[ParagraphKind, int, list[Line]]] = []
    title_norm = _norm(title or "")
    prev: tuple[_Zone, Line] | None = None
    for z, ln in body:
        kind = _line_kind(ln, body_size, title_norm, z.page)
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
        text, markers = _join_body_lines(lines)
        if not text:
            continue
        if kind == ParagraphKind.HEADING:
            section = text
        para = Paragraph(index=len(paragraphs), page=page, kind=kind, section=section, text=text)
        para.markers = [
            Marker(number=n, label=label, page=mpage, paragraph=para.index, offset=offset)
            for n, label, mpage, offset in markers
        ]
        paragraphs.append(para)
    return paragraphs


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _line_kind(line: Line, body_size: float, title_norm: str, page: int) -> ParagraphKind:
    text = line.text.strip()
    if page == 1 and title_norm and line.size >= 1.2 * body_size and _norm(text) in title_norm:
        return ParagraphKind.TITLE
    if _is_small(line, body_size):
        return ParagraphKind.CAPTION
    words = len(text.split())
    if (
        words <= 14
        and not _SENTENCE_END.search(text)
        and not line.superscripts
        and (line.size >= 1.1 * body_size or (line.bold and words >= 1))
    ):
        return ParagraphKind.HEADING
    if line.size >= 1.5 * body_size:
        return ParagraphKind.TITLE if page == 1 else ParagraphKind.HEADING
    return ParagraphKind.BODY


def _starts_paragraph(
    prev: tuple[_Zone, Line],
    cur: tuple[_Zone, Line],
    kind: ParagraphKind,
    pitch: float,
    edges: dict[tuple[int, int], tuple[float, float]],
) -> bool:
    (zp, a), (zc, b) = prev, cur
    if kind in (ParagraphKind.HEADING, ParagraphKind.TITLE):
        return b.top - a.bottom > 0.8 * pitch if zp is zc else True
    lo, _hi = edges[(zc.page, zc.column)]
    plo, phi = edges[(zp.page, zp.column)]
    indent = b.x0 - lo > 0.8 * max(b.size, 1)
    prev_short = a.x1 < phi - 0.1 * (phi - plo)
    prev_ends = bool(_SENTENCE_END.search(a.text.strip())) or bool(
        a.superscripts and a.superscripts[-1].end >= len(a.text.rstrip())
    )
    if zp is zc:
        gap = b.top - a.top
        if gap > 1.45 * pitch:
            return True
        return (indent and prev_ends) or (prev_short and prev_ends)
    # A new column or page: the paragraph goes on unless the last one visibly ended.
    return (prev_short and prev_ends) or (indent and prev_ends)


def _join_body_lines(lines: list[Line]) -> tuple[str, list[tuple[int, str, int, int]]]:
    """Join lines, dehyphenating words and removing markers; returns text and markers."""
    text = ""
    markers: list[tuple[int, str, int, int]] = []  # number, label, page, offset
    for ln in lines:
        pieces: list[str] = []
        pos = 0
        line_markers: list[tuple[int, str, int]] = []  # number, label, offset-in-clean-line
        clean = ""
        for sup in ln.superscripts:
            label = ln.text[sup.start : sup.end]
            numbers = parse_marker_label(label)
            if not numbers:
                continue
            clean += ln.text[pos : sup.start]
            line_markers += [(n, label, len(clean.rstrip())) for n in numbers]
            pos = sup.end
        clean += ln.text[pos:]
        del pieces
        clean = re.sub(r" {2,}", " ", clean).strip()
        if not clean and not line_markers:
            continue
        base = len(text)
        if text:
            if re.search(r"[A-Za-z]-$", text) and re.match(r"[a-z]", clean):
                a = re.search(r"[A-Za-z]+-$", text)
                b = re.match(r"[A-Za-z]+", clean)
                joined = (a.group(0)[:-1] if a else "") + (b.group(0) if b else "")
                if (
                    word_score(joined) >= 2.0
                    or (a and word_score(a.group(0)[:-1]) < 2.0 and word_score(joined) > 0)
                    or (a and word_score(a.group(0)[:-1]) < 1.5 and b and word_score(b.group(0)) < 1.5)
                ):
                    text = text[:-1]
                    base = len(text)
            else:
                text += " "
                base = len(text)
        text += clean
        lead = len(ln.text) - len(ln.text.lstrip())
        for n, label, off in line_markers:
            markers.append((n, label, ln.page, min(len(text), base + max(0, off - lead))))
    return text.strip(), markers


def marker_spans(text: str) -> list[Span]:
    """Unicode superscript digit runs in ``text`` (used by the text-file path)."""
    return [Span(start=m.start(), end=m.end()) for m in re.finditer(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text)]


# ---------------------------------------------------------------------------------------------
# Plain text (extractions such as article-seed.txt)
# ---------------------------------------------------------------------------------------------

_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A note label at the start of a block or after whitespace: ¹²  $^{17}$  $^{\rm 17}$  ^{80 ...
_TEXT_LABEL = re.compile(
    rf"(?:(?<=\s)|^)(?:([{_SUP}]+)|\$\^\{{(?:\\rm\s*)?(\d{{1,4}})\}}\$|\^\{{(\d{{1,4}})\s)\s*"
)
# Markers inside body text: superscripts, TeX fragments, or digits glued to a word or punctuation.
_TEXT_MARKER = re.compile(
    rf"\s?([{_SUP}]+(?:[,\u2013-][{_SUP}]+)*)|\s?\$\^\{{(?:\\rm\s*)?(\d{{1,4}})\}}\$|(?<=[A-Za-z.,;:!?\"\u201d')])(\d{{1,4}})(?=[\s.,;:]|$)"
    r"|(?<=[a-z]) (\d{1,3})(?=[\s.,;:]|$)"
)
_ENTITY_DEBRIS = re.compile(r"\[&\]quot;|&quot;|\$?\\underline\{|\}\$")


def _text_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def _split_text(doc: ParsedDocument) -> tuple[list[Paragraph], list[Note]]:
    """Recover body and notes from a text extraction that interleaves them.

    Blocks are split at note labels; unlabelled blocks that read like citations (a URL, a quoted
    title with a date, a lowercase continuation) join the note they most plausibly continue.
    """
    text = "\n".join(ln.text for page in doc.layout for ln in page.lines)
    text = _ENTITY_DEBRIS.sub(lambda m: '"' if "quot" in m.group(0) else "", text)
    blocks = _text_blocks(text)
    title = doc.title
    paragraphs: list[Paragraph] = []
    notes: list[tuple[int, str, list[str]]] = []  # number, label, parts
    section: str | None = None
    expected_marker = 1
    last_note = 0
    for block_no, block in enumerate(blocks):
        segments = _split_labels(block)
        for label, number, seg in segments:
            if number is not None and (last_note < number <= last_note + 6 or (not notes and number <= 3)):
                notes.append((number, label, [seg]))
                last_note = number
                continue
            if number is None and label == "Table":
                # extractions replace some note numbers with a word; number them by position
                notes.append((last_note + 1, label, [seg]))
                last_note += 1
                continue
            kind = _text_block_kind(seg, block_no, title)
            if kind == "note":
                _attach_continuation(notes, seg)
                continue
            if kind == "heading":
                section = seg
                paragraphs.append(
                    Paragraph(
                        index=len(paragraphs), page=1, kind=ParagraphKind.HEADING, section=section, text=seg
                    )
                )
                continue
            para_kind = ParagraphKind.TITLE if kind == "title" else ParagraphKind.BODY
            clean, found, expected_marker = _strip_text_markers(seg, expected_marker)
            para = Paragraph(index=len(paragraphs), page=1, kind=para_kind, section=section, text=clean)
            para.markers = [
                Marker(number=n, label=lab, page=1, paragraph=para.index, offset=off) for n, lab, off in found
            ]
            if paragraphs and para_kind == ParagraphKind.BODY and _continues(paragraphs[-1], clean):
                prev = paragraphs[-1]
                base = len(prev.text) + 1
                prev.text = prev.text + " " + clean
                prev.markers += [
                    m.model_copy(update={"paragraph": prev.index, "offset": m.offset + base})
                    for m in para.markers
                ]
            else:
                paragraphs.append(para)
    out: list[Note] = []
    for number, label, parts in notes:
        pieces = [LinePiece(text=p) for p in parts]
        joined = join_lines(pieces)
        out.append(Note(number=number, label=label, text=joined.text, page=1, urls=joined.urls))
    return paragraphs, out


def _split_labels(block: str) -> list[tuple[str, int | None, str]]:
    """Cut a block at note labels: [(label, number or None, text)]."""
    if block.startswith("Table "):
        return [("Table", None, block[6:].strip())]
    cuts = [m for m in _TEXT_LABEL.finditer(block) if m.start() == 0 or _label_context_ok(block, m)]
    if not cuts:
        return [("", None, block)]
    out: list[tuple[str, int | None, str]] = []
    if cuts[0].start() > 0:
        out.append(("", None, block[: cuts[0].start()].strip()))
    for i, m in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(block)
        raw = next(g for g in m.groups() if g)
        out.append(
            (m.group(0).strip(), int(raw.translate(_SUPERSCRIPT_DIGITS)), block[m.end() : end].strip())
        )
    return out


def _label_context_ok(block: str, m: re.Match) -> bool:
    """A label inside a block only when a citation starts after it (names or a quote)."""
    after = block[m.end() : m.end() + 3]
    before = block[max(0, m.start() - 2) : m.start()]
    return bool(after[:1].isupper() or after[:1] in '"\u201c') and not before.strip()[-1:].isalpha()


def _text_block_kind(seg: str, block_no: int, title: str | None) -> str:
    if title and seg.strip() == title.strip():
        return "title"
    words = seg.split()
    if re.match(r"^(https?://|www\.)", seg) or (
        seg[:1].islower()
        and re.search(r"https?://|\b(19|20)\d\d\b", seg)
        and len(words) < 60
        and not re.search(r"[.!?]\s+[A-Z][a-z]+\s+[a-z]+\s+[a-z]+", seg)
    ):
        return "note"
    if len(words) <= 10 and not _SENTENCE_END.search(seg) and "http" not in seg:
        return "heading" if block_no > 1 else "title"
    citation_like = (
        bool(re.search(r"https?://", seg))
        and len(words) < 80
        and bool(re.search(r"[\"\u201c]|\*[^*]+\*", seg))
    )
    if citation_like or (re.match(r"^[A-Z][\w.]+ [A-Z][\w.]+,? [\"\u201c]", seg) and len(words) < 80):
        return "note"
    return "body"


def _attach_continuation(notes: list[tuple[int, str, list[str]]], seg: str) -> None:
    if not notes:
        return
    # Prefer the most recent note that visibly stops mid-way (a hyphen, a comma, an open URL).
    for _number, _label, parts in reversed(notes[-6:]):
        tail = parts[-1].rstrip()
        if tail.endswith("-") and seg[:1].islower():
            parts.append(seg)
            return
    for _number, _label, parts in reversed(notes[-6:]):
        tail = parts[-1].rstrip()
        if tail.endswith(",") and seg.startswith("http"):
            parts.append(seg)
            return
    notes[-1][2].append(seg)


def _continues(prev: Paragraph, text: str) -> bool:
    return (
        prev.kind == ParagraphKind.BODY
        and (not _SENTENCE_END.search(prev.text.rstrip()) or prev.text.rstrip().endswith("-"))
        and (text[:1].islower() or prev.text.rstrip().endswith(","))
    )


def _strip_text_markers(seg: str, expected: int) -> tuple[str, list[tuple[int, str, int]], int]:
    """Remove markers from body text; plain digits count only near the expected number."""
    out = ""
    found: list[tuple[int, str, int]] = []
    pos = 0
    for m in _TEXT_MARKER.finditer(seg):
        sup, tex, glued, spaced = m.groups()
        label = sup or tex or glued or spaced
        numbers = parse_marker_label(label)
        if not numbers:
            continue
        if (glued or spaced) and not (expected <= numbers[0] <= expected + 4):
            continue
        out += seg[pos : m.start()]
        found += [(n, label, len(out)) for n in numbers]
        pos = m.end()
        expected = max(expected, numbers[-1] + 1)
    out += seg[pos:]
    # year + marker glued ("of 201669"): split when the tail is the expected number
    return re.sub(r" {2,}", " ", out).strip(), found, expected
