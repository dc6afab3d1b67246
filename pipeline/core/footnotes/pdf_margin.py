"""Notes set in the margin beside the text (sidenotes: tufte-book, kaobook, marginpar notes).

A column of small print beside a column of body text is a column of notes when its labels
name markers of the body lines beside them: each note starts at the height of its marker's line
(or lower, pushed down by the note before it, never higher). That holds for sidenotes in the
outer margin on either side of the page, whatever the producer; a small-print column that is a
table, a pull quote or a figure's caption does not start its lines with the numbers of the
markers they stand beside.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.core.footnotes.markers import parse_marker_label, parse_note_label
from pipeline.core.footnotes.pdf_zones import SMALL
from pipeline.core.models import Line

#: A note starts at most one of its line heights above its marker's line (both sit on one
#: baseline), and at most this many of its line heights below it (pushed down by the notes
#: before it).
_BELOW = 12


def margin_note_runs(runs: Sequence[list[Line]], body_size: float) -> set[int]:
    """Indexes of the column runs of one page that are margin notes beside the body.

    A run is margin notes when most of its text is small print, it sits beside (not above or
    below) body text of another run, and at least half of its labelled lines (two at least, or
    the only one) start with the number of a marker on a body line beside them, in ascending
    order, at their marker's height or below it.
    """
    if body_size <= 0 or len(runs) < 2:
        return set()
    out: set[int] = set()
    for i, run in enumerate(runs):
        chars = sum(len(ln.text) for ln in run) or 1
        if sum(len(ln.text) for ln in run if ln.size <= SMALL * body_size) < 0.8 * chars:
            continue
        beside = [ln for j, other in enumerate(runs) if j != i for ln in other if _beside(ln, run, body_size)]
        if beside and _labels_at_markers(run, beside):
            out.add(i)
    return out


def _beside(line: Line, run: Sequence[Line], body_size: float) -> bool:
    """A body-size line level with the run and left or right of it, not over or under it."""
    if line.size <= SMALL * body_size:
        return False
    top, bottom = min(ln.top for ln in run), max(ln.bottom for ln in run)
    x0, x1 = min(ln.x0 for ln in run), max(ln.x1 for ln in run)
    level = line.bottom > top - 2 * line.size and line.top < bottom
    return level and (line.x1 <= x0 or line.x0 >= x1)


def _markers(lines: Sequence[Line]) -> list[tuple[int, float]]:
    """(number, line top) of the raised note markers on body lines."""
    out = []
    for ln in lines:
        for sup in ln.superscripts:
            out += [(n, ln.top) for n in parse_marker_label(ln.text[sup.start : sup.end])]
    return out


def _labels_at_markers(run: Sequence[Line], beside: Sequence[Line]) -> bool:
    markers = _markers(beside)
    if not markers:
        return False
    labelled: list[tuple[int, Line]] = []
    for ln in run:
        label = parse_note_label(ln)
        if label is not None:
            labelled.append((label.number, ln))
    if not labelled:
        return False
    numbers = [n for n, _ in labelled]
    if numbers != sorted(numbers):
        return False
    aligned = 0
    for number, ln in labelled:
        pitch = max(ln.bottom - ln.top, 1.0)
        aligned += any(n == number and top - pitch <= ln.top <= top + _BELOW * pitch for n, top in markers)
    return aligned >= max(1, min(2, len(labelled)), len(labelled) / 2)
