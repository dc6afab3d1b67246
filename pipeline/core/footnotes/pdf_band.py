"""Notes set in a full-width band under a body of several columns, as large as the body.

Without a rule or smaller type, what tells such a band from a numbered list in the text is where
it stands and what its labels name: it lies under every column of the page and spans more than
one of them, it opens with a label, and its labels go on in sequence through the numbers of the
markers printed in the columns above it. A numbered list in the text names no markers.

A label may stand alone on its line ("2.", the note's URL on the next line). A note that does
not fit at the foot of a page runs on at the top of the next page's band, before its first
label. Notes that no marker cites are printed where the notes end: after the page's own notes
(out of sequence), or in a band under columns that cite nothing, or on a page of notes alone;
once the document's notes came in bands, such a band is read when its labels take up the next
number or numbers skipped before, which a numbered list in the text does not.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence, Set
from dataclasses import dataclass

from pipeline.core.footnotes.markers import NoteLabel, parse_label_alone, parse_marker_label, parse_note_label
from pipeline.core.models import Line


def band_labels(
    runs: Sequence[list[Line]],
    k: int,
    next_number: int,
    page_height: float = 0.0,
    *,
    missing: Set[int] = frozenset(),
    after_bands: bool = False,
    carried: bool = False,
) -> list[BandLabel] | None:
    """The labels of run ``k`` of a page if it is a band of notes under the page's columns.

    ``next_number`` is the note number the document expects next: the band's first label.
    ``page_height``: a band that reaches the page's foot may leave its last markers' notes to
    the next page.
    ``missing``: note numbers below ``next_number`` that no note has taken yet. A band may print
    such notes after its own (notes whose markers the body does not print, set where the
    document's notes end); their labels are read as labels out of sequence. ``after_bands``:
    the document's notes were set in bands before, so a band under columns that name no marker
    (or on a page of notes alone) is notes too when its labels go on where the notes stand.
    ``carried``: the band of the page before reached its page's foot (``reaches_foot``), so
    this band may open with the rest of that page's last note, before its first label.
    """
    band = runs[k]
    above = _stands_as_band(band, [run for j, run in enumerate(runs) if j != k], after_bands=after_bands)
    if above is None:
        return None
    labels = _labels(band, next_number, missing)
    if not labels or (labels[0].line is not band[0] and not (carried and _runs_on_from_before(band, labels))):
        return None
    markers = _markers(above)
    runs_on = reaches_foot(band, page_height)
    numbers = [b.label.number for b in labels if not b.out_of_sequence]
    if numbers and numbers[0] <= next_number + 3 and _names_the_markers(numbers, markers, runs_on=runs_on):
        return labels
    # the notes that close a document after their markers' pages: no marker on the page, and
    # the labels take up the document's next number or numbers it skipped
    goes_on = not numbers or numbers[0] == next_number
    return labels if after_bands and not markers and goes_on else None


def band_tail(
    runs: Sequence[list[Line]], k: int, next_number: int, page_height: float = 0.0
) -> tuple[int, list[BandLabel]] | None:
    """Where a band of short notes starts inside run ``k``, and its labels (None if it has none).

    A band whose lines all fit in the first column's width is no run of its own: the page's
    gutter runs down through it, so it ends the first column's run. It is the lines of that run
    below the foot of the columns beside it, set apart by a gap, opening with the next label,
    whose labels name the markers printed above them, as a band's do.
    """
    run = runs[k]
    others = [ln for j, other in enumerate(runs) if j != k for ln in other]
    cut = _tail_cut(run, others)
    if cut is None:
        return None
    tail = run[cut:]
    labels = _labels(tail, next_number)
    if not labels or labels[0].line is not tail[0]:
        return None
    if any(_is_text(ln) and ln.top >= tail[0].top for ln in others):
        return None  # notes close the page
    markers = _markers([*run[:cut], *(ln for ln in others if ln.bottom <= tail[0].top)])
    numbers = [b.label.number for b in labels]
    runs_on = reaches_foot(tail, page_height)
    if numbers[0] <= next_number + 3 and _names_the_markers(numbers, markers, runs_on=runs_on):
        return cut, labels
    return None


def _tail_cut(run: Sequence[Line], others: Sequence[Line]) -> int | None:
    """The first line of ``run`` below the foot of the column beside it, after a gap."""
    right = max(x.x1 for x in run) - 1
    beside = [ln for ln in others if _is_text(ln) and ln.x0 >= right]
    if not beside or len(run) < 3:
        return None
    foot = max(ln.bottom for ln in beside)
    steps = [b.top - a.top for a, b in itertools.pairwise(run) if b.top > a.top]
    if not steps:
        return None
    pitch = statistics.median(steps)
    return next(
        (i for i in range(1, len(run)) if run[i].top >= foot and run[i].top - run[i - 1].top > 1.5 * pitch),
        None,
    )


def _is_text(line: Line) -> bool:
    """A line of text, not a page number or a stray label (more than three words)."""
    return len(line.text.split()) > 3


def _markers(lines: Sequence[Line]) -> set[int]:
    """The note numbers the raised markers of ``lines`` name."""
    return {n for ln in lines for s in ln.superscripts for n in parse_marker_label(ln.text[s.start : s.end])}


def _runs_on_from_before(band: Sequence[Line], labels: Sequence[BandLabel]) -> bool:
    """Can the lines before the band's first label be the rest of the page before's last note?

    A note's rest is set solid with the notes under it and cites no marker: text with a marker,
    or set apart from the labels by a gap (a heading, a rule, a paragraph of the body), is not.
    """
    head = list(band[: next(i for i, ln in enumerate(band) if ln is labels[0].line) + 1])
    pitch = [b.top - a.top for a, b in itertools.pairwise(band) if b.top > a.top]
    if not pitch:
        return False
    usual = statistics.median(pitch)
    solid = all(b.top - a.top <= 1.5 * usual for a, b in itertools.pairwise(head))
    return solid and not any(ln.superscripts for ln in head[:-1])


def reaches_foot(band: Sequence[Line], page_height: float) -> bool:
    """Does the band reach its page's foot (so that its notes may run on to the next page)?"""
    return page_height > 0 and band[-1].bottom >= _FOOT * page_height


def _stands_as_band(
    band: Sequence[Line], others: Sequence[list[Line]], *, after_bands: bool
) -> list[Line] | None:
    """The lines above the band if it stands where notes do (None if it does not): under the
    page's columns and across them, or alone on its page once the notes came in bands."""
    above = [ln for run in others for ln in run if ln.bottom <= band[0].top]
    below = [ln for run in others for ln in run if ln.top >= band[-1].bottom]
    if any(len(ln.text.split()) > 3 for ln in below):
        return None  # notes close the page: no text of the other runs under them (a page number aside)
    if above:
        return above if _spans_columns(band, others) else None
    alone = not any(len(ln.text.split()) > 3 for run in others for ln in run)
    return above if after_bands and alone else None


@dataclass(frozen=True)
class BandLabel:
    """A labelled line of a band: its label, and whether it fills a number skipped before."""

    line: Line
    label: NoteLabel
    out_of_sequence: bool = False


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
    return any(a1 <= b0 and x0 < a1 and x1 > b0 and x0 <= a0 + 1 for a0, a1 in spans for b0, b1 in spans)


def _labels(band: Sequence[Line], expected: int, missing: Set[int] = frozenset()) -> list[BandLabel]:
    """The band's labelled lines, read in sequence from ``expected``; a delimited label of a
    number skipped before (``missing``) or earlier in the band is read out of sequence."""
    out, missing = [], set(missing)
    for ln in band:
        # "2." on its own line, the URL under it
        label = parse_note_label(ln, expected) or parse_label_alone(ln)
        if label is None:
            continue
        if expected <= label.number <= expected + 3:
            out.append(BandLabel(ln, label))
            missing |= set(range(expected, label.number))
            expected = label.number + 1
        elif label.number in missing and label.style != "plain":
            out.append(BandLabel(ln, label, out_of_sequence=True))
            missing.discard(label.number)
    return out
