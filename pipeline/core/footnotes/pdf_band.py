"""Notes set in a full-width band under a body of several columns, as large as the body.

Without a rule or smaller type, what tells such a band from a numbered list in the text is where
it stands and what its labels name: it lies under every column of the page and spans more than
one of them, it opens with a label, and its labels go on in sequence through the numbers of the
markers printed in the columns above it. A numbered list in the text names no markers.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.core.footnotes.markers import parse_marker_label, parse_note_label
from pipeline.core.models import Line


def is_notes_band(runs: Sequence[list[Line]], k: int, next_number: int) -> bool:
    """Is run ``k`` of a page a band of notes under the page's columns?

    ``next_number`` is the note number the document expects next: the band's first label.
    """
    band = runs[k]
    above = [ln for j, run in enumerate(runs) if j != k for ln in run if ln.bottom <= band[0].top]
    below = [ln for j, run in enumerate(runs) if j != k for ln in run if ln.top >= band[-1].bottom]
    if not above or any(len(ln.text.split()) > 3 for ln in below):
        return False  # notes close the page: no text of the other runs under them (a page number aside)
    if not _spans_columns(band, [run for j, run in enumerate(runs) if j != k]):
        return False
    labels = _labels(band, next_number)
    if not labels or labels[0][0] is not band[0]:
        return False
    markers = {
        n for ln in above for s in ln.superscripts for n in parse_marker_label(ln.text[s.start : s.end])
    }
    numbers = [n for _, n in labels]
    # a page's footnotes are the notes of its markers: all of them, and nothing else
    return numbers[0] == next_number and set(numbers) == {n for n in markers if n >= next_number}


def _spans_columns(band: Sequence[Line], others: Sequence[list[Line]]) -> bool:
    """Does the band reach across two runs above it that stand side by side (columns)?"""
    x0, x1 = min(ln.x0 for ln in band), max(ln.x1 for ln in band)
    spans = [(min(ln.x0 for ln in run), max(ln.x1 for ln in run)) for run in others if run]
    return any(
        a1 <= b0 and x0 < a1 and x1 > b0 and x0 <= a0 + 1 and x1 >= b0 + 0.25 * (b1 - b0)
        for a0, a1 in spans
        for b0, b1 in spans
    )


def _labels(band: Sequence[Line], expected: int) -> list[tuple[Line, int]]:
    """The band's labelled lines and their numbers, read in sequence from ``expected``."""
    out = []
    for ln in band:
        label = parse_note_label(ln, expected)
        if label is not None and expected <= label.number <= expected + 3:
            out.append((ln, label.number))
            expected = label.number + 1
    return out
