"""Bold lines that run on in a sentence are running text, not headings.

Bold at the body size marks a heading line (``pdf_body._line_kind``), but a line in bold can be
the middle of a sentence: emphasis that fills a line, or the fonts an OCR engine guessed for a
scanned page's invisible text layer, which set whole lines of plain print in bold. A heading
stands apart from the sentences around it; a line that a sentence runs into, or runs out of, is
part of them. So a bold line is running text when

- it starts in lower case and the running line before it stops mid-sentence (it goes on with
  that sentence), or
- it fills its column, stops mid-sentence, and the running line after it, at the line pitch,
  starts in lower case (the sentence goes on there), or
- it is one of three or more bold lines one under the other at the line pitch that hold two
  sentence ends or more: a heading states no sentences (the rule ``pdf_body`` applies to
  running text set larger).

A bold heading wrapped over two lines is not running text by these rules: its second line goes on
from a bold line, not from running text, and the body after a heading starts a new sentence.
Found lines count as running text for their neighbours, so a run of bold lines inside a
paragraph is found from either end.
"""

from __future__ import annotations

import re

from pipeline.core.footnotes.cues import SENTENCE_END
from pipeline.core.footnotes.pdf_zones import Zone
from pipeline.core.models import Line, ParagraphKind

_SENTENCE_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)]*(?:\s+(?=[A-Z\"\u201c])|$)")
# A marker read as digits after the sentence end ("family. 14") still ends the sentence.
_TRAILING_MARKER = re.compile(r"\s*\d{1,3}$")


def running_bold_lines(
    body: list[tuple[Zone, Line]],
    kinds: list[ParagraphKind],
    edges: dict[int, tuple[float, float]],
    pitch: float,
) -> set[int]:
    """Indices of bold heading-kind lines of ``body`` that are running text (see the module)."""
    running = [k == ParagraphKind.BODY for k in kinds]
    candidates = [
        i
        for i, (_, ln) in enumerate(body)
        if kinds[i] == ParagraphKind.HEADING and ln.bold and ln.text.strip()
    ]
    found = _bold_paragraphs(body, candidates, pitch)
    for i in found:
        running[i] = True
    changed = True
    while changed:
        changed = False
        for i in candidates:
            if i in found:
                continue
            if _goes_on_from(body, running, i) or _runs_into(body, running, edges, pitch, i):
                found.add(i)
                running[i] = True
                changed = True
    return found


def _bold_paragraphs(body: list[tuple[Zone, Line]], candidates: list[int], pitch: float) -> set[int]:
    """Runs of three or more bold lines at the line pitch holding two sentence ends or more."""
    runs: list[list[int]] = []
    for i in candidates:
        prev = runs[-1][-1] if runs else None
        if (
            prev == i - 1
            and body[prev][0] is body[i][0]
            and body[i][1].top - body[prev][1].top <= 1.45 * pitch
        ):
            runs[-1].append(i)
        else:
            runs.append([i])
    out: set[int] = set()
    for run in runs:
        ends = sum(len(_SENTENCE_BREAK.findall(body[i][1].text)) for i in run)
        if len(run) >= 3 and ends >= 2:
            out.update(run)
    return out


def _open(line: Line) -> bool:
    """Does the line stop mid-sentence?"""
    text = _TRAILING_MARKER.sub("", line.text.rstrip())
    return bool(text) and not SENTENCE_END.search(text)


def _lower_start(line: Line) -> bool:
    return line.text.lstrip()[:1].islower()


def _goes_on_from(body: list[tuple[Zone, Line]], running: list[bool], i: int) -> bool:
    """Line ``i`` starts in lower case after running text that stopped mid-sentence."""
    return i > 0 and running[i - 1] and _open(body[i - 1][1]) and _lower_start(body[i][1])


def _runs_into(
    body: list[tuple[Zone, Line]],
    running: list[bool],
    edges: dict[int, tuple[float, float]],
    pitch: float,
    i: int,
) -> bool:
    """Line ``i`` fills its column, stops mid-sentence, and the running line after it, at the
    line pitch, starts in lower case."""
    if i + 1 >= len(body) or not running[i + 1]:
        return False
    (zone, line), (next_zone, nxt) = body[i], body[i + 1]
    lo, hi = edges[id(zone)]
    fills = line.x1 >= hi - 0.1 * (hi - lo)
    close = next_zone is not zone or 0 < nxt.top - line.top <= 1.45 * pitch
    return fills and close and _open(line) and _lower_start(nxt)
