"""Notes set in the margin beside the text (sidenotes: tufte-book, kaobook, marginpar notes).

A column of small print beside a column of body text is a column of notes when its labels
name markers of the body lines beside it: a note starts at the height of its marker's line or
lower, pushed down by the notes before it (however far), never higher. Notes that did not fit
beside their markers are carried to the top of the next page's margin, before the notes of that
page's markers. That holds for sidenotes in the outer margin on either side of the page,
whatever the producer; a small-print column that is a table, a pull quote or a figure's caption
does not start its lines with the numbers of the markers they stand beside.

A document sets its margin notes in the same column on every page, so once some pages prove the
column, small print with note labels in that column is notes on the other pages too: a page
whose body has no markers beside its carried-over notes, or a last page that holds only the
notes that did not fit before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.core.footnotes.markers import parse_marker_label, parse_note_label
from pipeline.core.footnotes.pdf_zones import SMALL
from pipeline.core.models import Line

#: Share of a margin run's width that must lie inside a proven margin column.
_INSIDE = 0.8
#: A margin is narrower than the text beside it (tufte-book, kaobook and marginpar set notes in
#: about half the text's width); columns of equal width are a two-column page, whose small-print
#: column holds footnotes at its foot, not notes level with the text.
_NARROWER = 0.75


def margin_note_runs(pages: Sequence[Sequence[list[Line]]], body_size: float) -> list[set[int]]:
    """For each page (its column runs), the indexes of the runs that are margin notes.

    A run is margin notes when most of its text is small print and either its labels stand at
    or below the markers they name on body lines beside it (``_labels_at_markers``), or it lies
    in the margin column that such runs proved on other pages and opens notes there.
    """
    if body_size <= 0:
        return [set() for _ in pages]
    found = [_proven_runs(runs, body_size) for runs in pages]
    columns = [_span(runs[k]) for runs, ks in zip(pages, found, strict=True) for k in ks]
    if not columns:
        return found
    for runs, ks in zip(pages, found, strict=True):
        if ks:
            continue
        for i, run in enumerate(runs):
            if _small_print(run, body_size) and _in_column(run, columns) and _labelled(run):
                others = [ln for j, other in enumerate(runs) if j != i for ln in other]
                if not others or any(_beside(ln, run, body_size) for ln in others):
                    ks.add(i)
    return found


def _proven_runs(runs: Sequence[list[Line]], body_size: float) -> set[int]:
    """Runs of one page whose labels stand beside their markers."""
    out: set[int] = set()
    if len(runs) < 2:
        return out
    for i, run in enumerate(runs):
        if not _small_print(run, body_size):
            continue
        beside = [ln for j, other in enumerate(runs) if j != i for ln in other if _beside(ln, run, body_size)]
        if beside and _narrower(run, beside) and _labels_at_markers(run, beside):
            out.add(i)
    return out


def _narrower(run: Sequence[Line], beside: Sequence[Line]) -> bool:
    x0, x1 = _span(run)
    return x1 - x0 <= _NARROWER * max(ln.x1 - ln.x0 for ln in beside)


def _small_print(run: Sequence[Line], body_size: float) -> bool:
    chars = sum(len(ln.text) for ln in run) or 1
    return sum(len(ln.text) for ln in run if ln.size <= SMALL * body_size) >= 0.8 * chars


def _span(run: Sequence[Line]) -> tuple[float, float]:
    return min(ln.x0 for ln in run), max(ln.x1 for ln in run)


def _in_column(run: Sequence[Line], columns: Sequence[tuple[float, float]]) -> bool:
    x0, x1 = _span(run)
    width = max(x1 - x0, 1.0)
    return any(min(x1, c1) - max(x0, c0) >= _INSIDE * width for c0, c1 in columns)


def _labelled(run: Sequence[Line]) -> bool:
    """The run opens a note on its first line, or carries one on from the page before and opens
    another further down."""
    return parse_note_label(run[0]) is not None or sum(parse_note_label(ln) is not None for ln in run) >= 2


def _beside(line: Line, run: Sequence[Line], body_size: float) -> bool:
    """A body-size line level with the run and left or right of it, not over or under it."""
    if line.size <= SMALL * body_size:
        return False
    top, bottom = min(ln.top for ln in run), max(ln.bottom for ln in run)
    x0, x1 = _span(run)
    level = line.bottom > top - 2 * line.size and line.top < bottom
    return level and (line.x1 <= x0 or line.x0 >= x1)


def _markers(lines: Sequence[Line]) -> dict[int, float]:
    """Note number -> top of the first body line that holds its raised marker."""
    out: dict[int, float] = {}
    for ln in lines:
        for sup in ln.superscripts:
            for n in parse_marker_label(ln.text[sup.start : sup.end]):
                out.setdefault(n, ln.top)
    return out


def _labels_at_markers(run: Sequence[Line], beside: Sequence[Line]) -> bool:
    """At least two labels (or the only one) stand level with or below the markers they name,
    in the order of their numbers, and fewer than half of the labels that name a marker beside
    them stand above it. Labels with no marker beside them are notes carried over from the page
    before (or notes with no marker at all) and count neither way."""
    markers = _markers(beside)
    if not markers:
        return False
    labelled: list[tuple[int, Line]] = []
    for ln in run:
        label = parse_note_label(ln)
        if label is not None:
            labelled.append((label.number, ln))
    aligned: list[int] = []
    above = 0
    for number, ln in labelled:
        if number not in markers:
            continue
        pitch = max(ln.bottom - ln.top, 1.0)
        if ln.top >= markers[number] - pitch:
            aligned.append(number)
        else:
            above += 1
    if aligned != sorted(aligned) or len(aligned) < max(1, min(2, len(labelled))):
        return False
    return above < len(aligned)
