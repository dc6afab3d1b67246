"""Notes set in a full-width band under a body of several columns, as large as the body.

Without a rule or smaller type, what tells such a band from a numbered list in the text is where
it stands and what its labels name: it lies under every column of the page and spans more than
one of them, it opens with a label, and its labels go on in sequence through the numbers of the
markers printed in the columns above it. A numbered list in the text names no markers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.core.footnotes.markers import parse_marker_label, parse_note_label
from pipeline.core.models import Line


def is_notes_band(runs: Sequence[list[Line]], k: int, next_number: int, page_height: float = 0.0) -> bool:
    """Is run ``k`` of a page a band of notes under the page's columns?

    ``next_number`` is the note number the document expects next: the band's first label.
    ``page_height``: a band that reaches the page's foot may leave its last markers' notes to
    the next page.
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
    runs_on = page_height > 0 and band[-1].bottom >= _FOOT * page_height
    numbers = [n for _, n in labels]
    return numbers[0] <= next_number + 3 and _names_the_markers(numbers, markers, runs_on=runs_on)


def _names_the_markers(numbers: list[int], markers: set[int], *, runs_on: bool) -> bool:
    """Are the band's note numbers those of the page's markers, in order?

    All of them, and nothing else; a band that reaches the page's foot (``runs_on``) may leave
    its last markers' notes to the next page, and any band may open with notes carried over
    from the page before (numbers below this page's first marker). A note the document skips
    (a marker without its note) lets the band open a little later.
    """
    expected = sorted(n for n in markers if n >= numbers[0])
    if not expected:
        return False
    own = [n for n in numbers if n >= expected[0]]
    return bool(own) and (own == expected[: len(own)] if runs_on else own == expected)


#: a label printed alone on its line (the note's text, a URL, starts on the next line)
_LABEL_ALONE = re.compile(r"\s*(\d{1,3})[.)]\s*")
#: a band whose last line is this low on the page may run on to the next page
_FOOT = 0.85
#: lines of each run above the band that show where its column stands
_NEAR = 5


def _spans_columns(band: Sequence[Line], others: Sequence[list[Line]]) -> bool:
    """Does the band reach across two runs above it that stand side by side (columns)?"""
    x0, x1 = min(ln.x0 for ln in band), max(ln.x1 for ln in band)
    # the columns as they stand right above the band: a run may open with a full-width title
    near = [[ln for ln in run if ln.bottom <= band[0].top][-_NEAR:] for run in others]
    spans = [(min(ln.x0 for ln in run), max(ln.x1 for ln in run)) for run in near if run]
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
        alone = _LABEL_ALONE.fullmatch(ln.text)  # "2." on its own line, the URL under it
        number = label.number if label is not None else int(alone.group(1)) if alone else None
        if number is not None and expected <= number <= expected + 3:
            out.append((ln, number))
            expected = number + 1
    return out
