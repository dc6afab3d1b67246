"""Reading order: word boxes -> lines, column by column, with their evidence.

Columns come from a recursive XY-cut over word boxes: a vertical gap wide enough, with enough
text on both sides, is a gutter; otherwise a block is cut at a horizontal gap. Inside a block,
words are grouped into lines by vertical overlap (superscripts and raised note labels join the
line they sit on, drop caps the line they start). Each line keeps its font size, the character
ranges that are raised and smaller (superscripts), italic runs and link annotations.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.core.models import Line, LinkSpan, Span

#: A vertical gap narrower than this (points) is a word space, not a column gutter.
MIN_GUTTER = 7.0
#: Each side of a column cut must be at least this wide (points): hanging note labels are not columns.
MIN_COLUMN_WIDTH = 60.0


@dataclass
class Word:
    """A word box from pdfplumber with its font; ``uri`` is the link annotation it sits in."""

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
    """Words grouped into one line, before they become a ``Line``."""

    words: list[Word] = field(default_factory=list)
    column: int = 0
    top: float = 0.0  # kept up to date by ``add``: grouping asks for them once per word and line
    bottom: float = 0.0

    @classmethod
    def of(cls, w: Word) -> _Line:
        return cls(words=[w], top=w.top, bottom=w.bottom)

    def add(self, w: Word) -> None:
        self.words.append(w)
        self.top = min(self.top, w.top)
        self.bottom = max(self.bottom, w.bottom)


def lines_in_reading_order(words: list[Word], page: int, *, scanned: bool = False) -> list[Line]:
    """The lines of one page's words: column blocks in reading order, lines top to bottom in each.

    ``scanned``: the words are an OCR layer over a page image (``ocr.is_ocr_page``).
    """
    lines: list[Line] = []
    for column, group in _xy_cut(words):
        for ln in _group_lines(group):
            ln.column = column
            lines.append(_to_line(ln, page, scanned=scanned))
    return lines


def _intervals(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _xy_cut(words: list[Word], depth: int = 0) -> list[tuple[int, list[Word]]]:
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


def _split_at(words: list[Word], y: float) -> tuple[list[Word], list[Word]]:
    return [w for w in words if w.bottom <= y], [w for w in words if w.bottom > y]


def _horizontal_cut(
    words: list[Word], gaps: list[tuple[float, float, float]], line_height: float
) -> tuple[list[Word], list[Word]] | None:
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


def _best_vertical_gap(words: list[Word]) -> float | None:
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
        # Each side needs several lines of text: a gap inside one line is a word space. A single
        # line in smaller type than a column beside it is a note in the margin (a sidenote).
        left_lines = len(_intervals((w.top, w.bottom) for w in left))
        right_lines = len(_intervals((w.top, w.bottom) for w in right))
        if min(left_lines, right_lines) < 2 and not _margin_line(left, right, left_lines, right_lines):
            continue
        if best is None or width > best[0]:
            best = (width, mid)
    return best[1] if best else None


def _margin_line(left: list[Word], right: list[Word], left_lines: int, right_lines: int) -> bool:
    """Is one side a single line in smaller type beside several lines of the other (a sidenote)?"""
    if max(left_lines, right_lines) < 2 or min(left_lines, right_lines) < 1:
        return False
    one, many = (left, right) if left_lines < right_lines else (right, left)
    return max(w.size for w in one) <= 0.92 * statistics.median(w.size for w in many)


def _group_lines(words: list[Word]) -> list[_Line]:
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


_MARKER_DIGITS = re.compile(r"^\d{1,3}(?:[,\u2013-]\d{1,3})*$")
_MISREAD_NUMBER = re.compile(r"^[0-9Il|]{1,3}$")
_ONE_LOOKALIKES = str.maketrans("Il|", "111")
_LABEL_WORD = re.compile(r"^[\[(]?\d{1,4}[\])]?[.,]?$|^[*\u2020\u2021\u00a7]{1,3}$")


def _best_line(lines: list[_Line], w: Word) -> _Line | None:
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


def _line_size(words: list[Word]) -> float:
    """The line's own font size: the size of most of its characters, unless those are raised.

    A short last line can hold more marker characters than text (``model).[3][4][5]``): the
    smaller run sits above the larger one's baseline, so the larger size is the line's.
    """
    sizes: Counter[float] = Counter()
    for w in words:
        sizes[w.size] += len(w.text)
    size = sizes.most_common(1)[0][0]
    larger = [w for w in words if w.size > size / 0.85]
    if larger:
        base = statistics.median(w.bottom for w in larger)
        big = max(w.size for w in larger)
        if all(w.bottom < base - 0.12 * big for w in words if w.size == size):
            return statistics.median(w.size for w in larger)
    return size


def _to_line(ln: _Line, page: int, *, scanned: bool = False) -> Line:
    size = _line_size(ln.words)
    normal = [w for w in ln.words if w.size >= 0.85 * size]
    baseline = statistics.median(w.bottom for w in normal) if normal else ln.bottom
    text = ""
    superscripts: list[Span] = []
    italics: list[Span] = []
    links: list[LinkSpan] = []
    prev: Word | None = None
    glued = _glued_final_hyphen(ln.words)
    for w in ln.words:
        if prev is not None:
            # pdfplumber splits same-font runs only at whitespace or real gaps, so such a boundary
            # is a space even when kerning closes it up; a font or size change needs a visible gap.
            same_run = w.font == prev.font and w.size == prev.size
            if prev.dropcap or (glued and w is ln.words[-1]):
                pass
            elif same_run or w.x0 - prev.x1 > 0.15 * min(w.size, prev.size):
                text += " "
        raised = _raised(w, baseline, size, scanned=scanned)
        start = len(text)
        text += _misread_digits(w.text) if raised and scanned else w.text
        end = len(text)
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


def _raised(w: Word, baseline: float, size: float, *, scanned: bool) -> bool:
    """Is the word raised and smaller than its line (a superscript)?

    On a scanned page a smaller number boxed on the baseline counts too: the OCR layer did not
    keep the marker's raise (a subscript would sink below the baseline).
    """
    if w.size > 0.85 * size:
        return False
    if w.bottom < baseline - 0.12 * size:
        return True
    return scanned and bool(_MARKER_DIGITS.match(w.text)) and w.bottom <= baseline + 0.05 * size


def _misread_digits(text: str) -> str:
    """A raised word on a scanned page, read with the OCR engine's lookalikes of 1 made digits:
    a small raised ``1`` comes out as ``l``, ``I`` or ``|`` (``l``, ``1l`` for 1, 11). Only a word
    of nothing but digits and those letters is read so; a raised word is a marker or a label,
    never the pronoun."""
    return text.translate(_ONE_LOOKALIKES) if _MISREAD_NUMBER.match(text) else text


def _glued_final_hyphen(words: list[Word]) -> bool:
    """Is the line's last word a hyphen set closer to the word before it than the line's word
    spaces? Then it breaks that word across lines (a justified line spread it from its word
    just past the word tolerance: "Sena -" + "tors"), not a spaced dash, which has a full space."""
    if len(words) < 4 or words[-1].text != "-":
        return False
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(words[:-1]) if a.font == b.font and a.size == b.size]
    return len(gaps) >= 2 and words[-1].x0 - words[-2].x1 < 0.7 * statistics.median(gaps)


def _extend(spans: list[Span], start: int, end: int, text: str) -> None:
    """Append a span, merging with the previous one when only spaces separate them."""
    if spans and text[spans[-1].end : start].strip() == "":
        spans[-1] = Span(start=spans[-1].start, end=end)
    else:
        spans.append(Span(start=start, end=end))
