"""Link annotations: which words of a page an annotation belongs to.

An annotation is a rectangle with a target. Producers draw it loosely: Word and LibreOffice give
a URL wrapped over two lines one rectangle across the whole width of both lines, some draw it
over the gutter into the next column, or over several notes. So the rectangle alone does not say
which words are linked: the printed text does. When some of the words under a rectangle print
the target (pieces of the URL), the annotation belongs to the lines and runs of words that hold
them; the other words it happens to cover (the next note's line, the other column across the
gutter) are not linked. When no word
under it prints the target (a hyperlink behind a title, a link-only URL), every word it covers
is linked, as drawn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.core.layout.reading_order import Word
from pipeline.core.text.urls import squash_url

#: (x0, top, x1, bottom, uri) of one annotation, in page coordinates (top-down)
LinkBox = tuple[float, float, float, float, str]

# brackets, quotes and sentence punctuation around a URL piece are not part of it
_EDGES = "()[]<>{}\"'“”‘’.,;:!?…"


def attach_links(words: Sequence[Word], links: Sequence[LinkBox]) -> None:
    """Set ``Word.uri`` of the words each annotation links (see the module docstring)."""
    for x0, top, x1, bottom, uri in links:
        covered = [
            w
            for w in words
            if x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1 and top - 1 <= (w.top + w.bottom) / 2 <= bottom + 1
        ]
        printed = [w for w in covered if prints_part_of(w.text, uri)]
        for w in _runs_with(covered, printed) if printed else covered:
            if w.uri is None:  # the first annotation over a word keeps it
                w.uri = uri


def _runs_with(covered: Sequence[Word], printed: Sequence[Word]) -> list[Word]:
    """The covered words set on one line with a printed piece, in one run with it.

    A run ends at a gap wider than a word space (a gutter); a line with no printed piece under
    the rectangle belongs to another note. Words of the run between the pieces (a URL whose
    underscores the text layer lost: ``3l epiphany/ a taxonomy``) stay linked.
    """
    keep: list[Word] = []
    lines: list[list[Word]] = []
    for w in sorted(covered, key=lambda w: (w.top + w.bottom) / 2):
        if (
            lines
            and abs((w.top + w.bottom) / 2 - (lines[-1][0].top + lines[-1][0].bottom) / 2) < 0.5 * w.height
        ):
            lines[-1].append(w)
        else:
            lines.append([w])
    ids = {id(w) for w in printed}
    for line in lines:
        line.sort(key=lambda w: w.x0)
        run: list[Word] = []
        for w in line:
            if run and w.x0 - run[-1].x1 > 1.5 * max(w.height, 1.0):
                keep += run if any(id(x) in ids for x in run) else []
                run = []
            run.append(w)
        keep += run if any(id(x) in ids for x in run) else []
    return keep


def prints_part_of(text: str, uri: str) -> bool:
    """Does the word print a piece of ``uri`` (``https://perma.cc/PY`` or ``B8-DZPA]``)?

    A piece must be specific enough not to match by chance: four characters or more, with a
    scheme, ``www.``, a slash, dot, inner hyphen or other URL character, or letters and digits
    mixed. A word of letters alone ("Followed") may be a title word the URL slug repeats, a
    number alone ("2024,") the date of the next note.
    """
    piece = text.strip(_EDGES)
    if len(piece) < 4:
        return False
    target = squash_url(uri)
    squashed = re.sub(r"[-\s]", "", re.sub(r"(?i)^(?:[a-z]+://)?(?:www\.)?", "", piece)).lower().rstrip("/")
    if not squashed or squashed not in target:
        return False
    if re.search(r"(?i)^(?:https?|ftp)://|^www\.|[/._=?&%#~]|\w-\w", piece):
        return True
    return bool(re.search(r"\d", piece)) and bool(re.search(r"[A-Za-z]", piece))  # PYB8, not 2024
